/* utf8.h - checking and repairing UTF-8 that came from outside. */
#ifndef WENMING_UTF8_H
#define WENMING_UTF8_H

#include <stddef.h>

/*
 * 1 when s[0..n) is strict UTF-8: no overlong forms, no surrogates, nothing
 * past U+10FFFF.  NUL bytes count as valid (they are ASCII).
 */
int utf8_valid(const void *s, size_t n);

/*
 * Replace, in place, every byte of the NUL-terminated s that is not part of
 * a strict UTF-8 sequence with '?', so text that echoes what a client sent
 * (an error message quoting a query argument) can always go into JSON.
 * Returns the number of bytes replaced.
 */
size_t utf8_scrub(char *s);

/* Code points in a UTF-8 string (invalid bytes count one each). */
size_t utf8_chars(const char *s);

#endif

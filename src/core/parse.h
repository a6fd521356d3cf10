/* parse.h - strict parsing of numbers typed by people or sent in URLs. */
#ifndef WENMING_PARSE_H
#define WENMING_PARSE_H

#include <stdint.h>

/*
 * A whole number of decimal digits only (no sign, no spaces, at most 18
 * digits) not above max; -1 otherwise.
 */
int64_t parse_count(const char *s, int64_t max);

#endif

/*
 * alloc.h - allocation that never returns NULL.
 *
 * Like Redis's zmalloc: running out of memory is not something a request
 * handler can recover from, so these abort with a message instead of making
 * every caller check.
 */
#ifndef WENMING_ALLOC_H
#define WENMING_ALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#endif

/*
 * arena.h - a bump allocator whose memory dies all at once.
 *
 * Each request owns one arena (as h2o's per-request pool): whatever a handler
 * allocates from it is freed when the request ends, so handlers never free.
 * Allocation never fails (it aborts on out-of-memory, like xmalloc).
 */
#ifndef WENMING_ARENA_H
#define WENMING_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena_chunk;

struct arena {
	struct arena_chunk *head;
	size_t total; /* bytes handed out, for limits and tests */
};

/* Set up an empty arena; allocates nothing. */
void arena_init(struct arena *a);

/* Free every chunk; the arena is empty and usable again. */
void arena_release(struct arena *a);

/* n bytes aligned to 16; the contents are undefined. */
void *arena_alloc(struct arena *a, size_t n);

/* n zeroed bytes aligned to 16. */
void *arena_calloc(struct arena *a, size_t n);

/*
 * Room for one more element in an arena array `list` of n elements of size
 * bytes: when n == *cap, doubles *cap (32 at first) and copies the n elements
 * into a bigger array from a.  Returns the array to use; the old one stays in
 * the arena until it is released.  Write `list = arena_grow(a, list, n, &cap,
 * sizeof(*list));` before adding list[n].
 */
void *arena_grow(struct arena *a, void *list, int n, int *cap, size_t size);

/* A copy of s in the arena; NULL copies as "". */
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap);

#endif

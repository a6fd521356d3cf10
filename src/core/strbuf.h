/*
 * strbuf.h - a growable byte buffer, always NUL-terminated (after git).
 *
 * strbuf_init allocates nothing; strbuf_release frees what the buffer holds
 * and leaves it empty and usable; strbuf_detach hands the bytes to the caller.
 */
#ifndef WENMING_STRBUF_H
#define WENMING_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

struct strbuf {
	char *buf;
	size_t len, alloc;
};

#define STRBUF_INIT                                                                                \
	{                                                                                          \
		NULL, 0, 0                                                                         \
	}

void strbuf_init(struct strbuf *sb);
void strbuf_release(struct strbuf *sb);
void strbuf_reset(struct strbuf *sb);
/* Ensure room for n more bytes plus the NUL. */
void strbuf_grow(struct strbuf *sb, size_t n);
void strbuf_add(struct strbuf *sb, const void *data, size_t n);
void strbuf_adds(struct strbuf *sb, const char *s);
void strbuf_addch(struct strbuf *sb, char ch);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Give away the buffer (malloc'd, never NULL); sb is left empty. */
char *strbuf_detach(struct strbuf *sb, size_t *len);
/* The contents, "" when nothing was ever added. */
const char *strbuf_str(const struct strbuf *sb);

#endif

/* utf8.c - strict UTF-8 checks (see utf8.h). */
#include "core/utf8.h"

#include <stdint.h>
#include <string.h>

/* Length of the strict UTF-8 sequence at s[0..n) (n >= 1), or 0 when there is none. */
static size_t seq_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	size_t k, j;
	uint32_t cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF) {
		k = 1;
		cp = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		k = 2;
		cp = c & 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		k = 3;
		cp = c & 0x07;
	} else {
		return 0;
	}
	if (k >= n)
		return 0;
	for (j = 1; j <= k; j++) {
		if ((s[j] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[j] & 0x3F);
	}
	if ((k == 2 && cp < 0x800) || (k == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
	    (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return k + 1;
}

int utf8_valid(const void *s, size_t n)
{
	const unsigned char *p = s;
	size_t i = 0, k;

	while (i < n) {
		if (!(k = seq_len(p + i, n - i)))
			return 0;
		i += k;
	}
	return 1;
}

size_t utf8_scrub(char *s)
{
	unsigned char *p = (unsigned char *)s;
	size_t n = strlen(s), i = 0, k, bad = 0;

	while (i < n) {
		if ((k = seq_len(p + i, n - i))) {
			i += k;
		} else {
			p[i++] = '?';
			bad++;
		}
	}
	return bad;
}

size_t utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

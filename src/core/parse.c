/* parse.c - strict number parsing. */
#include "core/parse.h"

#include <string.h>

int64_t parse_count(const char *s, int64_t max)
{
	int64_t n = 0;

	if (!*s || strlen(s) > 18)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		n = n * 10 + (*s - '0');
	}
	return n <= max ? n : -1;
}

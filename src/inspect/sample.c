/*
 * sample.c - the seeded draw of points for a round and how they are shared
 * among inspectors.  splitmix64 (Steele, Lea, Flood 2014) is small, fast
 * and gives the same numbers on every platform, unlike rand().
 */
#include "inspect/inspect.h"

#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"

uint64_t splitmix64(uint64_t *state)
{
	uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, bound) without modulo bias (rejection). */
static uint64_t below(uint64_t *state, uint64_t bound)
{
	uint64_t limit = UINT64_MAX - UINT64_MAX % bound, x;

	do
		x = splitmix64(state);
	while (x >= limit);
	return x % bound;
}

int sample_draw(const int64_t *ids, int n, int k, uint64_t seed, uint64_t salt, int64_t *out)
{
	uint64_t state = seed ^ (salt * 0xD1B54A32D192ED03ULL);
	int64_t *pool;
	int i;

	if (k > n)
		k = n;
	if (k <= 0)
		return 0;
	pool = xmalloc((size_t)n * sizeof(*pool));
	memcpy(pool, ids, (size_t)n * sizeof(*pool));
	splitmix64(&state); /* mix the salt in before the first pick */
	for (i = 0; i < k; i++) {
		int j = i + (int)below(&state, (uint64_t)(n - i));
		int64_t t = pool[i];

		pool[i] = pool[j];
		pool[j] = t;
		out[i] = pool[i];
	}
	free(pool);
	return k;
}

int share_block(int i, int n, int ninspectors)
{
	/* block b holds the points [b*n/k, (b+1)*n/k): sizes differ by at most one */
	int b;

	if (ninspectors <= 1 || n <= 0)
		return 0;
	for (b = ninspectors - 1; b > 0; b--)
		if ((int64_t)i * ninspectors >= (int64_t)b * n)
			return b;
	return 0;
}

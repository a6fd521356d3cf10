/*
 * test_sample.c - the seeded draw of a round's points and their sharing among
 * inspectors (src/inspect/sample.c): the same seed draws the same sample,
 * sizes are min(k, n), drawn ids are distinct members of the pool.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "inspect/inspect.h"

#define N 50

static void fill(int64_t ids[N])
{
	int i;

	for (i = 0; i < N; i++)
		ids[i] = 100 + i * 3;
}

static void test_same_seed_same_sample(void **state)
{
	int64_t ids[N], a[N], b[N], c[N];

	(void)state;
	fill(ids);
	assert_int_equal(sample_draw(ids, N, 10, 12345, 7, a), 10);
	assert_int_equal(sample_draw(ids, N, 10, 12345, 7, b), 10);
	assert_memory_equal(a, b, sizeof(int64_t) * 10);
	/* another seed, or another salt (point type), draws otherwise */
	assert_int_equal(sample_draw(ids, N, 10, 12346, 7, c), 10);
	assert_memory_not_equal(a, c, sizeof(int64_t) * 10);
	assert_int_equal(sample_draw(ids, N, 10, 12345, 8, c), 10);
	assert_memory_not_equal(a, c, sizeof(int64_t) * 10);
	/* a smaller k draws the first picks of the bigger one */
	assert_int_equal(sample_draw(ids, N, 4, 12345, 7, c), 4);
	assert_memory_equal(a, c, sizeof(int64_t) * 4);
}

static void test_sizes_and_members(void **state)
{
	int64_t ids[N], out[N];
	int i, j, seen[N];

	(void)state;
	fill(ids);
	assert_int_equal(sample_draw(ids, N, 0, 1, 1, out), 0);
	assert_int_equal(sample_draw(ids, N, -3, 1, 1, out), 0);
	assert_int_equal(sample_draw(ids, 0, 5, 1, 1, out), 0);
	assert_int_equal(sample_draw(ids, 3, 5, 1, 1, out), 3); /* k > n: all of them */
	assert_int_equal(sample_draw(ids, N, N + 10, 99, 2, out), N);
	memset(seen, 0, sizeof(seen));
	for (i = 0; i < N; i++) {
		j = (int)(out[i] - 100) / 3;
		assert_true(j >= 0 && j < N && out[i] == ids[j]);
		assert_int_equal(seen[j]++, 0); /* each once */
	}
	/* the caller's pool is left as it was */
	for (i = 0; i < N; i++)
		assert_int_equal(ids[i], 100 + i * 3);
}

static void test_share_block(void **state)
{
	int count[7], i, b, k;

	(void)state;
	assert_int_equal(share_block(5, 10, 1), 0);
	assert_int_equal(share_block(5, 10, 0), 0);
	assert_int_equal(share_block(0, 0, 3), 0);
	for (k = 2; k <= 7; k++) {
		int prev = 0, min = 1 << 30, max = 0;

		memset(count, 0, sizeof(count));
		for (i = 0; i < 23; i++) {
			b = share_block(i, 23, k);
			assert_true(b >= prev && b < k); /* contiguous blocks in order */
			prev = b;
			count[b]++;
		}
		for (b = 0; b < k; b++) {
			min = count[b] < min ? count[b] : min;
			max = count[b] > max ? count[b] : max;
		}
		assert_true(max - min <= 1);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_same_seed_same_sample),
	    cmocka_unit_test(test_sizes_and_members),
	    cmocka_unit_test(test_share_block),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

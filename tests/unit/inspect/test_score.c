/*
 * test_score.c - the field score on a fixture worked by hand.
 *
 * Standards S1 (weight 2), S2 (1), S3 (1, never observed); total 4.
 * Credits: 合格 1, 不合格 0.5, 严重不合格 0.
 *   S1: P1 pass, P2 fail, P3 severe, P4 n/a -> 3 observed, credit 1.5,
 *       rate 0.5, score 1.0, lost 1.0 (missed credit 1.5)
 *   S2: P1 fail, P3 pass -> 2 observed, credit 1.5, rate 0.75, score 0.75,
 *       lost 0.25 (missed credit 0.5)
 * score 1.75 over observed weight 3: predicted 4 x 1.75 / 3 = 2.3333,
 * coverage 0.75, overall rate 3 / 5 = 0.6.
 * Lost by unit: U1 (P1) = S2's 0.25 x 0.5/0.5 = 0.25;
 *               U2 (P2, P3) = S1's 1.0 x (0.5 + 1)/1.5 = 1.0.  Sum 1.25.
 * Lost by type: T1 (P1, P2) = 1.0 x 0.5/1.5 + 0.25 = 0.5833;
 *               T2 (P3) = 1.0 x 1/1.5 = 0.6667.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "inspect/inspect.h"
#include "inspect/score.h"

#define EPS 1e-9

static const struct score_standard standards[] = {{1, 2.0}, {2, 1.0}, {3, 1.0}};

/* standard, point, type, grid, unit, rating */
static const struct score_observation obs[] = {
    {1, 101, 11, 21, 31, RATING_PASS, NULL},    {1, 102, 11, 22, 32, RATING_FAIL, NULL},
    {1, 103, 12, 22, 32, RATING_SEVERE, NULL},  {1, 104, 12, 21, 31, RATING_NA, NULL},
    {2, 101, 11, 21, 31, RATING_FAIL, NULL},    {2, 103, 12, 22, 32, RATING_PASS, NULL},
    {99, 101, 11, 21, 31, RATING_SEVERE, NULL}, /* not in the framework: ignored */
};

static const struct group_loss *group(const struct score_result *r, int g, int64_t id)
{
	int i;

	for (i = 0; i < r->ngroups[g]; i++)
		if (r->groups[g][i].id == id)
			return &r->groups[g][i];
	fail_msg("group %lld missing", (long long)id);
	return NULL;
}

static void hand_worked_fixture(void **state)
{
	struct credit_table ct;
	struct score_result r;
	int *order, n;

	(void)state;
	credit_table_default(&ct);
	assert_int_equal(score_compute(standards, 3, obs, 7, &ct, &r), 0);
	assert_int_equal(r.standards[0].observed, 3);
	assert_float_equal(r.standards[0].rate, 0.5, EPS);
	assert_float_equal(r.standards[0].score, 1.0, EPS);
	assert_float_equal(r.standards[0].lost, 1.0, EPS);
	assert_int_equal(r.standards[1].observed, 2);
	assert_float_equal(r.standards[1].rate, 0.75, EPS);
	assert_float_equal(r.standards[1].lost, 0.25, EPS);
	assert_int_equal(r.standards[2].observed, 0);
	assert_float_equal(r.standards[2].lost, 0.0, EPS);
	assert_float_equal(r.total_weight, 4.0, EPS);
	assert_float_equal(r.observed_weight, 3.0, EPS);
	assert_float_equal(r.score, 1.75, EPS);
	assert_float_equal(r.predicted, 4.0 * 1.75 / 3.0, EPS);
	assert_float_equal(r.coverage, 0.75, EPS);
	assert_float_equal(r.rate, 0.6, EPS);

	assert_float_equal(group(&r, BY_UNIT, 31)->lost, 0.25, EPS);
	assert_float_equal(group(&r, BY_UNIT, 32)->lost, 1.0, EPS);
	assert_float_equal(group(&r, BY_UNIT, 31)->rate, 0.75, EPS);
	assert_float_equal(group(&r, BY_UNIT, 32)->rate, 0.5, EPS);
	assert_float_equal(group(&r, BY_POINT_TYPE, 11)->lost, 1.0 * 0.5 / 1.5 + 0.25, EPS);
	assert_float_equal(group(&r, BY_POINT_TYPE, 12)->lost, 1.0 / 1.5, EPS);
	assert_float_equal(group(&r, BY_GRID, 21)->lost, 0.25, EPS);
	assert_float_equal(group(&r, BY_GRID, 22)->lost, 1.0, EPS);
	assert_float_equal(group(&r, BY_POINT, 101)->lost, 0.25, EPS);
	assert_float_equal(group(&r, BY_POINT, 103)->lost, 1.0 / 1.5, EPS);

	/* where we lose points: S1 then S2; S3 (unobserved) is not a loss */
	n = score_losses(&r, &order);
	assert_int_equal(n, 2);
	assert_int_equal(r.standards[order[0]].id, 1);
	assert_int_equal(r.standards[order[1]].id, 2);
	free(order);
	score_release(&r);
}

static void losses_add_up_in_every_grouping(void **state)
{
	struct credit_table ct;
	struct score_result r;
	double lost = 0;
	int g, i;

	(void)state;
	credit_table_default(&ct);
	assert_int_equal(score_compute(standards, 3, obs, 7, &ct, &r), 0);
	for (i = 0; i < r.nstandards; i++)
		lost += r.standards[i].lost;
	for (g = 0; g < 4; g++) {
		double sum = 0;

		for (i = 0; i < r.ngroups[g]; i++)
			sum += r.groups[g][i].lost;
		assert_float_equal(sum, lost, EPS);
	}
	score_release(&r);
}

static void credits_are_configuration(void **state)
{
	struct credit_table strict = {1.0, 0.0, 0.0}, bad = {1.0, 1.5, 0.0};
	struct score_result r;

	(void)state;
	assert_int_equal(score_compute(standards, 3, obs, 7, &strict, &r), 0);
	assert_float_equal(r.standards[0].rate, 1.0 / 3.0, EPS);
	assert_float_equal(r.standards[1].rate, 0.5, EPS);
	score_release(&r);
	assert_int_equal(score_compute(standards, 3, obs, 7, &bad, &r), -1);
	/* nothing observed: no prediction, no division by zero */
	assert_int_equal(score_compute(standards, 3, obs, 0, &strict, &r), 0);
	assert_float_equal(r.predicted, 0.0, EPS);
	assert_float_equal(r.coverage, 0.0, EPS);
	score_release(&r);
}

/*
 * A checklist item may carry its own credits: the fixture with P1's S2
 * failure worth 0.6 instead of 0.5.  S2: 0.6 + 1 over 2 = 0.8, score 0.8,
 * lost 0.2, all of it at P1 (the only credit missed); total 1.8 over 3,
 * predicted 2.4.
 */
static void credits_per_observation(void **state)
{
	struct credit_table ct, item = {1.0, 0.6, 0.0}, bad = {1.0, 2.0, 0.0};
	struct score_observation own[7];
	struct score_result r;
	int i;

	(void)state;
	credit_table_default(&ct);
	for (i = 0; i < 7; i++)
		own[i] = obs[i];
	own[4].credits = &item; /* S2 at P1, fail */
	assert_int_equal(score_compute(standards, 3, own, 7, &ct, &r), 0);
	assert_float_equal(r.standards[1].rate, 0.8, EPS);
	assert_float_equal(r.standards[1].lost, 0.2, EPS);
	assert_float_equal(r.score, 1.8, EPS);
	assert_float_equal(r.predicted, 2.4, EPS);
	assert_float_equal(group(&r, BY_POINT, 101)->lost, 0.2, EPS);
	/* one observation's share of its standard's loss */
	assert_float_equal(score_observation_lost(&r, 1, 0.6), 0.2, EPS);
	assert_float_equal(score_observation_lost(&r, 0, 0.5), 1.0 / 3.0, EPS);
	assert_float_equal(score_observation_lost(&r, 0, 0.0), 2.0 / 3.0, EPS);
	assert_float_equal(score_observation_lost(&r, 0, -1), 0.0, EPS);
	score_release(&r);
	own[4].credits = &bad;
	assert_int_equal(score_compute(standards, 3, own, 7, &ct, &r), -1);
	score_release(&r);
}

/* The draw: the same seed gives the same sample, others differ; no repeats; all when k >= n. */
static void sample_is_reproducible(void **state)
{
	int64_t ids[50], a[10], b[10], c[10], all[60];
	int i, j, differs = 0;

	(void)state;
	for (i = 0; i < 50; i++)
		ids[i] = 1000 + i * 3;
	assert_int_equal(sample_draw(ids, 50, 10, 42, 7, a), 10);
	assert_int_equal(sample_draw(ids, 50, 10, 42, 7, b), 10);
	assert_memory_equal(a, b, sizeof(a));
	assert_int_equal(sample_draw(ids, 50, 10, 43, 7, c), 10);
	differs = memcmp(a, c, sizeof(a)) != 0;
	assert_true(differs);
	assert_int_equal(sample_draw(ids, 50, 10, 42, 8, c), 10); /* another point type */
	assert_true(memcmp(a, c, sizeof(a)) != 0);
	for (i = 0; i < 10; i++)
		for (j = i + 1; j < 10; j++)
			assert_true(a[i] != a[j]);
	assert_int_equal(sample_draw(ids, 50, 80, 1, 1, all), 50);
	assert_int_equal(sample_draw(ids, 0, 3, 1, 1, all), 0);
	/* splitmix64's published first output for state 0 */
	{
		uint64_t st = 0;

		assert_true(splitmix64(&st) == 0xE220A8397B1DCDAFULL);
	}
}

/* Blocks of points per inspector: contiguous, sizes differing by at most one. */
static void points_shared_in_blocks(void **state)
{
	int count[3] = {0, 0, 0}, i, last = 0;

	(void)state;
	for (i = 0; i < 10; i++) {
		int b = share_block(i, 10, 3);

		assert_true(b >= last);
		last = b;
		count[b]++;
	}
	assert_int_equal(count[0] + count[1] + count[2], 10);
	for (i = 0; i < 3; i++)
		assert_true(count[i] == 3 || count[i] == 4);
	assert_int_equal(share_block(5, 10, 1), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(hand_worked_fixture),
	    cmocka_unit_test(losses_add_up_in_every_grouping),
	    cmocka_unit_test(credits_are_configuration),
	    cmocka_unit_test(credits_per_observation),
	    cmocka_unit_test(sample_is_reproducible),
	    cmocka_unit_test(points_shared_in_blocks),
	};

	return cmocka_run_group_tests_name("score", tests, NULL, NULL);
}

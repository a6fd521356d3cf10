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

#include <cmocka.h>

#include "inspect/score.h"

#define EPS 1e-9

static const struct score_standard standards[] = {{1, 2.0}, {2, 1.0}, {3, 1.0}};

/* standard, point, type, grid, unit, rating */
static const struct score_observation obs[] = {
	{1, 101, 11, 21, 31, RATING_PASS},   {1, 102, 11, 22, 32, RATING_FAIL},
	{1, 103, 12, 22, 32, RATING_SEVERE}, {1, 104, 12, 21, 31, RATING_NA},
	{2, 101, 11, 21, 31, RATING_FAIL},   {2, 103, 12, 22, 32, RATING_PASS},
	{99, 101, 11, 21, 31, RATING_SEVERE}, /* not in the framework: ignored */
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hand_worked_fixture),
		cmocka_unit_test(losses_add_up_in_every_grouping),
		cmocka_unit_test(credits_are_configuration),
	};

	return cmocka_run_group_tests_name("score", tests, NULL, NULL);
}

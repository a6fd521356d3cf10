/*
 * test_grading.c - grading schemes (grading.h) worked by hand, and a round
 * scored through score.c with the credits they give.
 *
 * Levels A=100% B=80% C=60%: A 1, B 0.8, C 0.6.
 * Deduction, weight 4, 2 points per shortfall, floor 0:
 *   0 -> 4/4 = 1;  1 -> 2/4 = 0.5;  3 -> max(0, 4-6)/4 = 0.
 * Same with floor 1: 3 -> 1/4 = 0.25.
 * Rate ≥90%=1, ≥60%=0.6: 0.95 -> 1; 0.9 -> 1; 0.7 -> 0.6; 0.5 -> 0.
 *
 * The round: S1 (levels, weight 2) observed A, B, C -> credit 2.4 over 3,
 * rate 0.8, score 1.6.  S2 (deduction 2/shortfall, weight 4) observed with
 * 1 and 0 shortfalls -> credits 0.5 and 1, rate 0.75, score 3.  Total
 * weight 6, score 4.6, everything observed: predicted 4.6, lost 1.4.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <math.h>
#include <string.h>

#include <cmocka.h>

#include "inspect/grading.h"
#include "inspect/score.h"

#define EPS 1e-9

static const char S26[] = "1）制度健全；\n2）开展宣传；\n3）设置公示牌；\n4）联合惩戒。\n"
                          "4项全符合为A；符合2）3）4）为B；其余为C";

static double credit_of(const struct grading *g, double weight, const char *level,
                        int64_t shortfalls, double rate)
{
	struct credit_table ct;
	struct grading_answer a = {RATING_PASS, level, shortfalls, rate};
	double c = -2;

	credit_table_default(&ct);
	assert_int_equal(grading_credit(g, weight, &a, &ct, &c), 0);
	return c;
}

static void levels_from_a_sheet(void **state)
{
	struct grading g;
	char msg[160], *rules;
	struct grading_answer a = {RATING_PASS, "D", -1, -1};
	struct credit_table ct;
	double c;

	(void)state;
	assert_int_equal(grading_parse_cell("A=100%、B=80%、C=60%", S26, &g, &rules, msg), 0);
	assert_int_equal(g.kind, GRADING_LEVELS);
	assert_int_equal(g.nlevels, 3);
	assert_string_equal(g.levels[0].rule, "4项全符合为A");
	assert_string_equal(g.levels[1].rule, "符合2）3）4）为B");
	assert_string_equal(g.levels[2].rule, "其余为C");
	assert_true(credit_of(&g, 2, "A", -1, -1) == 1);
	assert_true(fabs(credit_of(&g, 2, "B", -1, -1) - 0.8) < EPS);
	assert_true(fabs(credit_of(&g, 2, "C", -1, -1) - 0.6) < EPS);
	/* a level the scheme does not have, or none, is refused */
	credit_table_default(&ct);
	assert_int_equal(grading_credit(&g, 2, &a, &ct, &c), -1);
	a.level = NULL;
	assert_int_equal(grading_credit(&g, 2, &a, &ct, &c), -1);
	/* not applicable under any scheme */
	a.rating = RATING_NA;
	assert_int_equal(grading_credit(&g, 2, &a, &ct, &c), 0);
	assert_true(c == -1);
	free(rules);

	/* no cell, but the text names its levels: the default shares 1 / 0.8 / 0.6 */
	assert_int_equal(grading_parse_cell("", S26, &g, &rules, msg), 0);
	assert_int_equal(g.kind, GRADING_LEVELS);
	assert_int_equal(g.nlevels, 3);
	assert_true(fabs(g.levels[2].share - 0.6) < EPS);
	free(rules);
	assert_int_equal(grading_parse_cell("", "设置公益广告。", &g, &rules, msg), 0);
	assert_int_equal(g.kind, GRADING_CREDITS);
	free(rules);
	assert_int_equal(grading_parse_cell("A=100%、B=120%", S26, &g, &rules, msg), -1);
	assert_int_equal(grading_parse_cell("A=1", S26, &g, &rules, msg), -1);
	assert_int_equal(grading_parse_cell("大概", S26, &g, &rules, msg), -1);
}

static void deductions_and_rates(void **state)
{
	struct grading g;
	char msg[160], *rules;

	(void)state;
	assert_int_equal(grading_parse_cell("每少一处扣2分", "", &g, &rules, msg), 0);
	assert_int_equal(g.kind, GRADING_DEDUCTION);
	assert_true(g.per == 2 && g.floor == 0);
	assert_true(credit_of(&g, 4, NULL, 0, -1) == 1);
	assert_true(fabs(credit_of(&g, 4, NULL, 1, -1) - 0.5) < EPS);
	assert_true(credit_of(&g, 4, NULL, 3, -1) == 0);
	assert_int_equal(grading_parse_cell("少一条扣４分，最低1分", "", &g, &rules, msg), 0);
	assert_true(g.per == 4 && g.floor == 1);
	g.per = 2;
	assert_true(fabs(credit_of(&g, 4, NULL, 3, -1) - 0.25) < EPS);
	assert_int_equal(grading_parse_cell("扣分", "", &g, &rules, msg), -1);

	assert_int_equal(grading_parse_cell("≥90%=100%、≥60%=60%", "", &g, &rules, msg), 0);
	assert_int_equal(g.kind, GRADING_RATE);
	assert_true(credit_of(&g, 1, NULL, -1, 0.95) == 1);
	assert_true(credit_of(&g, 1, NULL, -1, 0.9) == 1);
	assert_true(fabs(credit_of(&g, 1, NULL, -1, 0.7) - 0.6) < EPS);
	assert_true(credit_of(&g, 1, NULL, -1, 0.5) == 0);
	/* thresholds out of order are refused */
	assert_int_equal(grading_parse_cell(">=60%=0.6、>=90%=1", "", &g, &rules, msg), -1);
}

static void json_round_trip(void **state)
{
	struct grading g, back;
	char msg[160], *rules;
	json_t *j;

	(void)state;
	assert_int_equal(grading_parse_cell("A=100%、B=80%、C=60%", S26, &g, &rules, msg), 0);
	j = grading_json(&g);
	assert_int_equal(grading_from_json(j, &back, msg), 0);
	assert_int_equal(back.nlevels, 3);
	assert_string_equal(back.levels[1].name, "B");
	assert_string_equal(back.levels[1].rule, g.levels[1].rule);
	json_decref(j);
	free(rules);
	j = json_pack("{s:s, s:f}", "kind", "deduction", "per", 0.0);
	assert_int_equal(grading_from_json(j, &back, msg), -1);
	json_decref(j);
}

/* An edited scheme exports as a cell the import reads back to the same scheme. */
static void cells_round_trip(void **state)
{
	static const char *const cells[] = {"A=100%、B=80%、C=60%、D=30%", "每少一处扣2分，最低1分",
	                                    "每少一处扣0.5分", "≥90%=100%、≥80%=80%"};
	struct grading g, back;
	char cell[512], msg[160], *rules = NULL, *rules2 = NULL;
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(cells) / sizeof(cells[0]); i++) {
		assert_int_equal(grading_parse_cell(cells[i], "", &g, &rules, msg), 0);
		assert_int_equal(grading_cell(&g, cell, sizeof(cell)), 0);
		assert_string_equal(cell, cells[i]);
		assert_int_equal(grading_parse_cell(cell, "", &back, &rules2, msg), 0);
		assert_int_equal(back.kind, g.kind);
		assert_int_equal(back.nlevels, g.nlevels);
		assert_int_equal(back.nthresholds, g.nthresholds);
		assert_true(fabs(back.per - g.per) < 1e-9 && fabs(back.floor - g.floor) < 1e-9);
		free(rules);
		free(rules2);
		rules = rules2 = NULL;
	}
	g.kind = GRADING_CREDITS;
	assert_int_equal(grading_cell(&g, cell, sizeof(cell)), 0);
	assert_string_equal(cell, "");
	assert_int_equal(grading_parse_cell("A=100%、B=80%", "", &g, &rules, msg), 0);
	assert_int_equal(grading_cell(&g, cell, 8), -1); /* does not fit */
	free(rules);
}

static void a_round_on_graded_standards(void **state)
{
	struct grading lv, de;
	char msg[160], *rules;
	struct credit_table ct, t[5];
	const struct score_standard stds[] = {{1, 2.0}, {2, 4.0}};
	struct score_observation obs[5];
	struct score_result r;
	const char *levels[] = {"A", "B", "C"};
	const int64_t shortfalls[] = {1, 0};
	int i;

	(void)state;
	credit_table_default(&ct);
	assert_int_equal(grading_parse_cell("A=100%、B=80%、C=60%", S26, &lv, &rules, msg), 0);
	free(rules);
	assert_int_equal(grading_parse_cell("每少一处扣2分", "", &de, &rules, msg), 0);
	memset(obs, 0, sizeof(obs));
	for (i = 0; i < 5; i++) {
		double c = i < 3 ? credit_of(&lv, 2, levels[i], -1, -1)
		                 : credit_of(&de, 4, NULL, shortfalls[i - 3], -1);

		t[i].pass = t[i].fail = t[i].severe = c; /* as round_score.c hands them over */
		obs[i].standard_id = i < 3 ? 1 : 2;
		obs[i].point_id = 100 + i;
		obs[i].rating = RATING_PASS;
		obs[i].credits = &t[i];
	}
	assert_int_equal(score_compute(stds, 2, obs, 5, &ct, &r), 0);
	assert_true(fabs(r.standards[0].rate - 0.8) < EPS);
	assert_true(fabs(r.standards[0].score - 1.6) < EPS);
	assert_true(fabs(r.standards[1].rate - 0.75) < EPS);
	assert_true(fabs(r.standards[1].score - 3.0) < EPS);
	assert_true(fabs(r.score - 4.6) < EPS);
	assert_true(fabs(r.predicted - 4.6) < EPS);
	assert_true(fabs(r.standards[0].lost + r.standards[1].lost - 1.4) < EPS);
	score_release(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(levels_from_a_sheet),
	    cmocka_unit_test(deductions_and_rates),
	    cmocka_unit_test(json_round_trip),
	    cmocka_unit_test(cells_round_trip),
	    cmocka_unit_test(a_round_on_graded_standards),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_survey.c - the pure parts of questionnaires (src/survey/survey_stats.c,
 * survey_design.c, survey_results.c, survey_limit.c) on numbers worked by hand.
 *
 * Wilson, 8 of 10 at z = 1.96:
 *   p = 0.8, z² = 3.8415, d = 1 + z²/n = 1.38415,
 *   centre = (0.8 + 3.8415/20) / d = 0.99207 / 1.38415 = 0.71674,
 *   half = 1.96 × √(0.016 + 3.8415/400) / d = 1.96 × 0.15995 / 1.38415 = 0.22650,
 *   interval [0.49016, 0.94324].
 * Scored mean of 1, 0.8, 0.5: mean 0.76667, s² = (1 + 0.64 + 0.25 - 2.3²/3) / 2 = 0.06333,
 *   half = 1.96 × 0.25166 / √3 = 0.28478, interval [0.48189, 1] (clipped).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/arena.h"
#include "survey/survey.h"
#include "survey/survey_limit.h"

static void test_wilson_and_mean(void **state)
{
	struct stat_acc a;
	struct stat_value v;
	double lo, hi;
	int i;

	(void)state;
	wilson_interval(8, 10, 1.959963984540054, &lo, &hi);
	assert_float_equal(lo, 0.49016, 1e-4);
	assert_float_equal(hi, 0.94324, 1e-4);
	wilson_interval(0, 0, 1.96, &lo, &hi);
	assert_float_equal(lo, 0, 1e-12);
	assert_float_equal(hi, 0, 1e-12);
	/* all yes: the interval stays below 1 at its lower end */
	wilson_interval(5, 5, 1.959963984540054, &lo, &hi);
	assert_true(lo > 0.5 && lo < 0.6);
	assert_float_equal(hi, 1, 1e-12);

	memset(&a, 0, sizeof(a));
	for (i = 0; i < 10; i++)
		stat_add(&a, i < 8 ? 1 : 0);
	stat_value(&a, &v);
	assert_int_equal(v.n, 10);
	assert_true(v.wilson);
	assert_float_equal(v.rate, 0.8, 1e-12);
	assert_float_equal(v.low, 0.49016, 1e-4);

	memset(&a, 0, sizeof(a));
	stat_add(&a, 1);
	stat_add(&a, 0.8);
	stat_add(&a, 0.5);
	stat_value(&a, &v);
	assert_false(v.wilson);
	assert_float_equal(v.rate, 0.766667, 1e-5);
	assert_float_equal(v.low, 0.48189, 1e-4);
	assert_float_equal(v.high, 1, 1e-12);

	/* one scored answer says nothing about the spread */
	memset(&a, 0, sizeof(a));
	stat_add(&a, 0.8);
	stat_value(&a, &v);
	assert_float_equal(v.low, 0, 1e-12);
	assert_float_equal(v.high, 1, 1e-12);
}

static const char *design_text =
    "{\"sections\":[{\"title\":\"A\",\"questions\":["
    "{\"key\":\"q1\",\"type\":\"single\",\"title\":\"知道吗\",\"rate\":\"awareness\",\"indicator_"
    "id\":7,"
    "\"options\":[{\"key\":\"y\",\"label\":\"知道\",\"score\":1},{\"key\":\"n\",\"label\":"
    "\"不知道\",\"score\":0}]},"
    "{\"key\":\"q2\",\"type\":\"rating\",\"title\":\"满意吗\",\"rate\":\"satisfaction\","
    "\"indicator_id\":8,"
    "\"options\":[{\"key\":\"a\",\"label\":\"满意\",\"score\":1},{\"key\":\"b\",\"label\":"
    "\"比较满意\",\"score\":0.8},"
    "{\"key\":\"c\",\"label\":\"一般\",\"score\":0.5},{\"key\":\"x\",\"label\":\"不清楚\"}]},"
    "{\"key\":\"q3\",\"type\":\"multiple\",\"title\":\"参加过哪些\",\"rate\":\"participation\","
    "\"indicator_id\":8,"
    "\"options\":[{\"key\":\"a\",\"label\":\"志愿服务\",\"score\":0.6},{\"key\":\"b\",\"label\":"
    "\"宣讲\",\"score\":0.6},"
    "{\"key\":\"z\",\"label\":\"都没有\",\"score\":0}]},"
    "{\"type\":\"text\",\"title\":\"建议\",\"required\":false}]}]}";

static void parse(struct arena *a, struct survey_design *d)
{
	json_t *j = json_loads(design_text, 0, NULL);
	struct error e;

	assert_non_null(j);
	error_init(&e);
	assert_int_equal(survey_design_parse(j, a, d, &e), 0);
	json_decref(j);
}

static void test_design_and_answers(void **state)
{
	struct survey_design d;
	struct arena a;
	struct error e;
	json_t *ans, *bad;
	double score;
	int choice;

	(void)state;
	arena_init(&a);
	parse(&a, &d);
	assert_int_equal(d.nquestions, 4);
	assert_string_equal(d.questions[3].key, "q4"); /* made from its position */
	assert_int_equal(d.questions[1].options[3].scored, 0);

	ans = json_loads("{\"q1\":\"y\",\"q2\":\"x\",\"q3\":[\"a\",\"b\"]}", 0, NULL);
	error_init(&e);
	assert_int_equal(survey_answers_check(&d, ans, &e), 0);
	/* 不清楚 is chosen but does not count */
	assert_int_equal(
	    survey_answer_score(&d.questions[1], json_object_get(ans, "q2"), &score, &choice), 0);
	assert_int_equal(choice, 3);
	/* two options of 0.6 are capped at 1 */
	assert_int_equal(
	    survey_answer_score(&d.questions[2], json_object_get(ans, "q3"), &score, &choice), 1);
	assert_float_equal(score, 1, 1e-12);

	bad = json_loads("{\"q1\":\"y\",\"q2\":\"zzz\",\"q3\":[\"a\"]}", 0, NULL);
	assert_int_equal(survey_answers_check(&d, bad, &e), ERR_INVALID);
	assert_string_equal(e.field, "answers.q2");
	json_decref(bad);
	bad = json_loads("{\"q1\":\"y\",\"q3\":[\"a\"]}", 0, NULL);
	error_init(&e);
	assert_int_equal(survey_answers_check(&d, bad, &e), ERR_INVALID);
	assert_string_equal(e.field, "answers.q2");
	json_decref(bad);
	bad = json_loads("{\"q1\":\"y\",\"q2\":\"a\",\"q3\":[\"a\",\"a\"]}", 0, NULL);
	error_init(&e);
	assert_int_equal(survey_answers_check(&d, bad, &e), ERR_INVALID);
	json_decref(bad);
	json_decref(ans);
	arena_release(&a);
}

static void test_flags(void **state)
{
	struct survey_design d;
	struct survey_extent x = {1, 30.0, 30.5, 120.0, 120.5};
	struct arena a;
	char text[64];
	json_t *same;

	(void)state;
	arena_init(&a);
	parse(&a, &d);
	assert_true(survey_flag_fast(29999, 30));
	assert_false(survey_flag_fast(30000, 30));
	assert_false(survey_flag_fast(1, 0));
	/* only two single/rating questions: too few to call it straight-lining */
	same = json_loads("{\"q1\":\"y\",\"q2\":\"a\"}", 0, NULL);
	assert_false(survey_flag_straight(&d, same));
	json_decref(same);
	assert_false(survey_flag_gps(&x, 30.2, 120.2));
	assert_false(survey_flag_gps(&x, 30.51, 120.2)); /* within the 2 km margin */
	assert_true(survey_flag_gps(&x, 31.0, 120.2));
	x.known = 0;
	assert_false(survey_flag_gps(&x, 0, 0));
	survey_flags_text(FLAG_FAST | FLAG_GPS, text);
	assert_string_equal(text, "fast,gps");
	assert_int_equal(survey_flags_parse("fast,gps,bogus"), FLAG_FAST | FLAG_GPS);
	arena_release(&a);
}

/*
 * Results: unit 1 answers (y, a) and (n, b); unit 2 answers (y, x).
 *   awareness: unit 1 1/2, unit 2 1/1, overall 2/3;
 *   satisfaction: unit 1 (1 + 0.8)/2 = 0.9, unit 2 none (不清楚), overall 0.9;
 *   item 7 (q1) rate 2/3 weight 2 -> 1.3333; item 8 (q2) 0.9 weight 1 -> 0.9;
 *   predicted 2.2333 of total 20.
 */
static void test_results(void **state)
{
	struct survey s;
	struct survey_answerset rows[3];
	struct survey_item items[] = {{7, "A01", "知晓", "县文明办", 2},
	                              {8, "A02", "满意", "县民政局", 1}};
	struct survey_unit units[] = {{1, "和平社区", "城关街道", 10},
	                              {2, "幸福社区", "城关街道", 10}};
	struct survey_results_in in;
	struct arena a;
	json_t *res, *c1, *c2;

	(void)state;
	arena_init(&a);
	memset(&s, 0, sizeof(s));
	parse(&a, &s.d);
	rows[0].unit_id = 1;
	rows[0].answers = json_loads("{\"q1\":\"y\",\"q2\":\"a\"}", 0, NULL);
	rows[1].unit_id = 1;
	rows[1].answers = json_loads("{\"q1\":\"n\",\"q2\":\"b\"}", 0, NULL);
	rows[2].unit_id = 2;
	rows[2].answers = json_loads("{\"q1\":\"y\",\"q2\":\"x\"}", 0, NULL);
	memset(&in, 0, sizeof(in));
	in.s = &s;
	in.rows = rows;
	in.nrows = 3;
	in.items = items;
	in.nitems = 2;
	in.total = 20;
	in.units = units;
	in.nunits = 2;
	res = survey_results_compute(&in, &a);
	assert_float_equal(
	    json_real_value(json_object_get(
	        json_object_get(json_object_get(res, "rates"), "awareness"), "rate")),
	    0.6667, 1e-4);
	c1 = json_array_get(json_object_get(res, "communities"), 0);
	c2 = json_array_get(json_object_get(res, "communities"), 1);
	assert_float_equal(
	    json_real_value(json_object_get(
	        json_object_get(json_object_get(c1, "rates"), "satisfaction"), "rate")),
	    0.9, 1e-9);
	assert_true(json_is_null(json_object_get(
	    json_object_get(json_object_get(c2, "rates"), "satisfaction"), "rate")));
	assert_float_equal(json_real_value(json_object_get(res, "predicted")), 2.2333, 1e-4);
	assert_float_equal(json_real_value(json_object_get(res, "total")), 20, 1e-9);
	/* the item losing most comes first among the points at risk, with its unit */
	assert_string_equal(json_string_value(json_object_get(
	                        json_array_get(json_object_get(res, "at_risk"), 0), "unit_name")),
	                    "县文明办");
	json_decref(res);
	json_decref(rows[0].answers);
	json_decref(rows[1].answers);
	json_decref(rows[2].answers);
	arena_release(&a);
}

static void test_limit(void **state)
{
	int64_t retry = 0, now = 1000000;
	int i, passed = 0;

	(void)state;
	for (i = 0; i < 1000; i++)
		passed += !survey_limit_take("192.0.2.1", now, &retry);
	assert_int_equal(passed, SURVEY_BURST);
	assert_true(retry >= 1);
	/* another address has its own budget */
	assert_int_equal(survey_limit_take("192.0.2.2", now, &retry), 0);
	/* the bucket refills */
	assert_int_equal(survey_limit_take("192.0.2.1", now + SURVEY_REFILL_MS, &retry), 0);
	/* accepted responses have an hourly cap whatever the bucket holds */
	for (i = 0; i < SURVEY_ACCEPTED_PER_HOUR; i++)
		survey_limit_accepted("192.0.2.3", now);
	assert_int_equal(survey_limit_take("192.0.2.3", now, &retry), 1);
	assert_true(retry > 3000);
	assert_int_equal(survey_limit_take("192.0.2.3", now + 3600 * 1000LL, &retry), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_wilson_and_mean), cmocka_unit_test(test_design_and_answers),
	    cmocka_unit_test(test_flags),           cmocka_unit_test(test_results),
	    cmocka_unit_test(test_limit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

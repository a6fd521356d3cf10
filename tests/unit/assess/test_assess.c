/*
 * test_assess.c - the pure part of 考核 (src/assess/assess.c) on rows worked
 * by hand: the base over present components only, totals with adjustments,
 * ranks within a kind (ties share), grades, the red/black rule (units tied at
 * the bottom all black, the first never black) and the scheme's validation.
 *
 * Weights 40/20/20/10/10; bands 优秀 90, 良好 80, 合格 60, 不合格 0; red 1, black 1.
 *   D1 problems 100, tasks 100, materials 50 -> 7000/80 = 87.5; +2 -> 89.5 良好, rank 1, red
 *   D2 problems 14.29, tasks 50 -> 1571.6/60 = 26.19, rank 3, black
 *   D3 tasks 0, materials 100 -> 2000/40 = 50, rank 2
 *   D4 nothing -> no base, no rank
 *   T1 tasks 40, T2 tasks 40 (a kind of their own): both rank 1; T2 is not black
 *   (none ranks above either), both red.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "assess/assess_int.h"

static void scheme(struct assess_scheme *s)
{
	static const double w[AC_COUNT] = {40, 20, 20, 10, 10};

	assess_scheme_default(s);
	memcpy(s->weights, w, sizeof(w));
	s->red_top = 1;
	s->black_bottom = 1;
}

static void row(struct assess_row *r, int64_t id, const char *kind, double p, double t, double m)
{
	memset(r, 0, sizeof(*r));
	r->unit_id = id;
	r->unit_sort = id;
	r->unit_name = "u";
	r->unit_kind = kind;
	r->grade = "";
	if (p >= 0) {
		r->has[AC_PROBLEMS] = 1;
		r->score[AC_PROBLEMS] = p;
	}
	if (t >= 0) {
		r->has[AC_TASKS] = 1;
		r->score[AC_TASKS] = t;
	}
	if (m >= 0) {
		r->has[AC_MATERIALS] = 1;
		r->score[AC_MATERIALS] = m;
	}
}

static const struct assess_row *find(const struct assess_row *rows, int n, int64_t id)
{
	int i;

	for (i = 0; i < n; i++)
		if (rows[i].unit_id == id)
			return &rows[i];
	return NULL;
}

static void test_base_rank_lists(void **state)
{
	struct assess_scheme s;
	struct assess_row rows[6];
	const struct assess_row *x;
	int i;

	(void)state;
	scheme(&s);
	row(&rows[0], 1, "department", 100, 100, 50);
	row(&rows[1], 2, "department", 14.29, 50, -1);
	row(&rows[2], 3, "department", -1, 0, 100);
	row(&rows[3], 4, "department", -1, -1, -1);
	row(&rows[4], 5, "town", -1, 40, -1);
	row(&rows[5], 6, "town", -1, 40, -1);
	for (i = 0; i < 6; i++)
		assess_base(&rows[i], &s);
	rows[0].adjust = 2;
	assess_rank(rows, 6, &s);

	x = find(rows, 6, 1);
	assert_float_equal(x->base, 87.5, 1e-9);
	assert_float_equal(x->total, 89.5, 1e-9);
	assert_int_equal(x->rank, 1);
	assert_string_equal(x->grade, "良好");
	assert_int_equal(x->list, 1);
	x = find(rows, 6, 2);
	assert_float_equal(x->total, 26.19, 1e-9);
	assert_int_equal(x->rank, 3);
	assert_string_equal(x->grade, "不合格");
	assert_int_equal(x->list, -1);
	x = find(rows, 6, 3);
	assert_float_equal(x->total, 50, 1e-9);
	assert_int_equal(x->rank, 2);
	assert_int_equal(x->list, 0);
	x = find(rows, 6, 4);
	assert_false(x->has_base);
	assert_int_equal(x->rank, 0);
	assert_string_equal(x->grade, "");
	assert_int_equal(find(rows, 6, 5)->rank, 1);
	assert_int_equal(find(rows, 6, 6)->rank, 1);
	assert_int_equal(find(rows, 6, 5)->list, 1);
	assert_int_equal(find(rows, 6, 6)->list, 1);
}

static void test_tied_bottom_all_black(void **state)
{
	struct assess_scheme s;
	struct assess_row rows[3];
	int i;

	(void)state;
	scheme(&s);
	row(&rows[0], 1, "town", -1, -1, 100);
	row(&rows[1], 2, "town", -1, 0, -1);
	row(&rows[2], 3, "town", -1, 0, -1);
	for (i = 0; i < 3; i++)
		assess_base(&rows[i], &s);
	assess_rank(rows, 3, &s);
	assert_int_equal(find(rows, 3, 2)->rank, 2);
	assert_int_equal(find(rows, 3, 3)->rank, 2);
	assert_int_equal(find(rows, 3, 2)->list, -1);
	assert_int_equal(find(rows, 3, 3)->list, -1);
	assert_int_equal(find(rows, 3, 1)->list, 1);
}

static void test_scheme_validation(void **state)
{
	static const char *const bad[] = {
	    "{\"weights\": {\"problems\": -1}, \"bands\": []}",
	    "{\"weights\": {\"bogus\": 1}, \"bands\": []}",
	    "{\"weights\": {\"problems\": 0}, \"bands\": []}",
	    "{\"weights\": {\"problems\": 10}, \"bands\": [{\"grade\": \"A\", \"min\": 60},"
	    " {\"grade\": \"B\", \"min\": 80}]}",
	    "{\"weights\": {\"problems\": 10}, \"bands\": [], \"red_top\": 51}",
	    "{\"weights\": {\"problems\": 10}, \"bands\": [], \"extra\": 1}",
	    NULL};
	struct assess_scheme s;
	struct arena a;
	struct error e;
	json_t *doc;
	int i;

	(void)state;
	arena_init(&a);
	for (i = 0; bad[i]; i++) {
		doc = json_loads(bad[i], 0, NULL);
		assert_non_null(doc);
		error_init(&e);
		assert_int_equal(assess_scheme_parse(doc, &a, &s, &e), ERR_INVALID);
		json_decref(doc);
	}
	doc = json_loads(
	    "{\"weights\": {\"tasks\": 50}, \"bands\": [{\"grade\": \"好\", \"min\": 50}],"
	    " \"red_top\": 2, \"black_bottom\": 0, \"overdue_days\": 7}",
	    0, NULL);
	error_init(&e);
	assert_int_equal(assess_scheme_parse(doc, &a, &s, &e), 0);
	assert_float_equal(s.weights[AC_TASKS], 50, 1e-9);
	assert_float_equal(s.weights[AC_PROBLEMS], 0, 1e-9);
	assert_int_equal(s.nbands, 1);
	assert_int_equal(s.overdue_days, 7);
	json_decref(doc);
	arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_base_rank_lists),
	    cmocka_unit_test(test_tied_bottom_all_black),
	    cmocka_unit_test(test_scheme_validation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_ranking.c - rates, composite score, grades and order of unit rankings
 * (src/ranking/ranking.c) and the validation of tenant settings
 * (src/settings/settings.c), on counts worked by hand; the cache of counts
 * (src/ranking/ranking_cache.c).
 *
 * Default weights: closure 30, on time 30, rework 15, recurrence 15,
 * extension 10; bands A 90, B 75, C 60, D 40.
 *
 * U1: due 4, closed 3, on time 2, reworked 1, recurrences 1, assigned 5,
 *     extended 1, close time 3 + 5 + 10 hours = 18 h.
 *   closure 3/4 = 0.75, on time 2/4 = 0.5, rework 1/3, recurrence 1/3,
 *   extension 1/5 = 0.2, average 6.0 h.
 *   composite = 30 x 0.75 + 30 x 0.5 + 15 x (2/3) + 15 x (2/3) + 10 x 0.8
 *             = 22.5 + 15 + 10 + 10 + 8 = 65.5 over weight 100 -> 65.50, C.
 * U2: due 2, closed 0, assigned 0: closure 0, on time 0, the other three
 *   undefined -> composite over weight 60: 0 -> 0.00, E.
 * U3: due 0, assigned 2, extended 0: only the extension rate (0);
 *   nothing due -> no composite, no grade, no rank.
 * U4: due 1, closed 1, on time 1, recurrences 3 (more than closed):
 *   recurrence rate 3, counted as 1 - min(3, 1) = 0;
 *   composite = (30 + 30 + 15 x 1 + 15 x 0) / 90 x 100 = 83.333 -> 83.33, B.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "ranking/ranking.h"
#include "settings/settings.h"

#define EPS     1e-9
#define HOUR_MS (3600LL * 1000)

static struct rank_row unit(int64_t id, int64_t due, int64_t closed, int64_t on_time,
                            int64_t reworked, int64_t recur, int64_t assigned, int64_t extended)
{
	struct rank_row r;

	memset(&r, 0, sizeof(r));
	r.unit_id = id;
	r.unit_name = "单位";
	r.unit_sort = id;
	r.due = due;
	r.closed = closed;
	r.on_time = on_time;
	r.reworked = reworked;
	r.recurrences = recur;
	r.assigned = assigned;
	r.extended = extended;
	return r;
}

static void test_rates_and_composite(void **state)
{
	struct tenant_settings s;
	struct rank_row u1 = unit(1, 4, 3, 2, 1, 1, 5, 1), u2 = unit(2, 2, 0, 0, 0, 0, 0, 0),
	                u3 = unit(3, 0, 0, 0, 0, 0, 2, 0), u4 = unit(4, 1, 1, 1, 0, 3, 0, 0);

	(void)state;
	settings_defaults(&s);
	u1.close_ms = 18 * HOUR_MS;
	ranking_compute(&u1, &s);
	assert_true(u1.has_rate[RATE_CLOSURE] && u1.has_rate[RATE_EXTENSION]);
	assert_true(u1.rate[RATE_CLOSURE] == 0.75);
	assert_true(u1.rate[RATE_ON_TIME] == 0.5);
	assert_true(u1.rate[RATE_REWORK] - 1.0 / 3 < EPS && 1.0 / 3 - u1.rate[RATE_REWORK] < EPS);
	assert_true(u1.rate[RATE_EXTENSION] == 0.2);
	assert_true(u1.has_avg_hours && u1.avg_hours == 6.0);
	assert_true(u1.has_score && u1.score == 65.5);
	assert_int_equal(u1.grade, 'C');

	ranking_compute(&u2, &s);
	assert_true(u2.has_rate[RATE_CLOSURE] && u2.rate[RATE_CLOSURE] == 0);
	assert_false(u2.has_rate[RATE_REWORK] || u2.has_rate[RATE_RECURRENCE] ||
	             u2.has_rate[RATE_EXTENSION] || u2.has_avg_hours);
	assert_true(u2.has_score && u2.score == 0);
	assert_int_equal(u2.grade, 'E');

	ranking_compute(&u3, &s);
	assert_false(u3.has_rate[RATE_CLOSURE]);
	assert_true(u3.has_rate[RATE_EXTENSION] && u3.rate[RATE_EXTENSION] == 0);
	assert_false(u3.has_score);
	assert_int_equal(u3.grade, 0);

	ranking_compute(&u4, &s);
	assert_true(u4.rate[RATE_RECURRENCE] == 3);
	assert_true(u4.score == 83.33);
	assert_int_equal(u4.grade, 'B');
}

static void test_sort_and_json(void **state)
{
	struct tenant_settings s;
	struct rank_row rows[5] = {unit(3, 0, 0, 0, 0, 0, 2, 0), unit(1, 4, 3, 2, 1, 1, 5, 1),
	                           unit(2, 2, 0, 0, 0, 0, 0, 0), unit(4, 1, 1, 1, 0, 3, 0, 0),
	                           unit(5, 4, 3, 2, 1, 1, 5, 1)};
	json_t *j;
	int i;

	(void)state;
	settings_defaults(&s);
	for (i = 0; i < 5; i++)
		ranking_compute(&rows[i], &s);
	ranking_sort(rows, 5);
	/* 83.33, 65.5 (x2, sharing rank 2), 0, then the unscored unit */
	assert_int_equal(rows[0].unit_id, 4);
	assert_int_equal(rows[0].rank, 1);
	assert_int_equal(rows[1].unit_id, 1);
	assert_int_equal(rows[2].unit_id, 5);
	assert_int_equal(rows[1].rank, 2);
	assert_int_equal(rows[2].rank, 2);
	assert_int_equal(rows[3].unit_id, 2);
	assert_int_equal(rows[3].rank, 4);
	assert_int_equal(rows[4].unit_id, 3);
	assert_int_equal(rows[4].rank, 0);

	j = ranking_row_json(&rows[1]);
	assert_true(json_real_value(json_object_get(j, "rework_rate")) == 0.3333);
	assert_string_equal(json_string_value(json_object_get(j, "grade")), "C");
	json_decref(j);
	j = ranking_row_json(&rows[4]);
	assert_true(json_is_null(json_object_get(j, "closure_rate")));
	assert_true(json_is_null(json_object_get(j, "score")));
	assert_true(json_is_null(json_object_get(j, "grade")));
	assert_true(json_is_null(json_object_get(j, "rank")));
	assert_true(json_real_value(json_object_get(j, "extension_rate")) == 0);
	json_decref(j);
}

static void test_custom_weights_and_bands(void **state)
{
	struct tenant_settings s;
	struct rank_row u1 = unit(1, 4, 3, 2, 1, 1, 5, 1);

	(void)state;
	settings_defaults(&s);
	/* only the closure rate counts: 75 -> B under 90/75/60/40, A under 70/.. */
	memset(s.weights, 0, sizeof(s.weights));
	s.weights[RATE_CLOSURE] = 100;
	ranking_compute(&u1, &s);
	assert_true(u1.score == 75.0);
	assert_int_equal(u1.grade, 'B');
	s.grades[GRADE_A] = 70;
	s.grades[GRADE_B] = 50;
	assert_int_equal(ranking_grade(75.0, &s), 'A');
	assert_int_equal(ranking_grade(39.99, &s), 'E');
	assert_int_equal(ranking_grade(40, &s), 'D');
}

static json_t *valid_body(void)
{
	return json_pack("{s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i}",
	                 "recur_distance_m", 150, "recur_window_days", 20, "weight_closure", 40,
	                 "weight_on_time", 20, "weight_rework", 20, "weight_recurrence", 10,
	                 "weight_extension", 10, "grade_a", 95, "grade_b", 80, "grade_c", 60,
	                 "grade_d", 30);
}

/* Set key of a valid body to v and expect ERR_INVALID naming field. */
static void expect_invalid(const char *key, json_t *v, const char *field)
{
	struct tenant_settings s;
	struct error e;
	json_t *b = valid_body();

	error_init(&e);
	if (v)
		json_object_set_new(b, key, v);
	else
		json_object_del(b, key);
	assert_int_equal(settings_from_json(b, NULL, &s, &e), ERR_INVALID);
	assert_string_equal(e.field, field);
	json_decref(b);
}

static void test_settings_validation(void **state)
{
	struct tenant_settings s;
	struct error e;
	json_t *b = valid_body();

	(void)state;
	error_init(&e);
	assert_int_equal(settings_from_json(b, NULL, &s, &e), 0);
	assert_int_equal(s.recur_distance_m, 150);
	assert_int_equal(s.recur_window_days, 20);
	assert_int_equal(s.weights[RATE_CLOSURE], 40);
	assert_int_equal(s.grades[GRADE_D], 30);
	json_decref(b);

	expect_invalid("recur_distance_m", json_integer(9), "recur_distance_m");
	expect_invalid("recur_distance_m", json_integer(5001), "recur_distance_m");
	expect_invalid("recur_distance_m", json_string("100"), "recur_distance_m");
	expect_invalid("recur_window_days", json_integer(0), "recur_window_days");
	expect_invalid("recur_window_days", NULL, "recur_window_days");
	expect_invalid("weight_rework", json_integer(-1), "weight_rework");
	expect_invalid("weight_rework", json_integer(21), "weights"); /* sums to 101 */
	expect_invalid("grade_b", json_integer(95), "grade_b");       /* not below A */
	expect_invalid("grade_d", json_integer(0), "grade_d");
	expect_invalid("colour", json_integer(1), "colour");
}

/* ranking_cache.c: kept counts come back whole, by key, with their stamps. */
static void test_cache_keeps_counts(void **state)
{
	struct rank_row rows[2] = {
	    {.unit_id = 7, .unit_name = "城关镇", .ancestors = "/1/7/", .due = 4},
	    {.unit_id = 9, .unit_name = "河西村", .ancestors = "/1/7/9/", .overdue = 2}};
	struct rank_row *got = NULL;
	struct arena a;
	int64_t version = 0, cut = 0;
	uint64_t gen, gen2 = 0;
	int n = 0, i;

	(void)state;
	arena_init(&a);
	ranking_cache_clear();
	assert_int_equal(ranking_cache_get("t1|a", &a, &got, &n, &version, &cut, &gen2), 0);
	gen = ranking_cache_put("t1|a", 41, 1000, rows, 2);
	rows[0].unit_name = "changed after the put";
	assert_int_equal(ranking_cache_get("t1|a", &a, &got, &n, &version, &cut, &gen2), 1);
	assert_int_equal(n, 2);
	assert_int_equal(version, 41);
	assert_int_equal(cut, 1000);
	assert_true(gen2 == gen);
	assert_string_equal(got[0].unit_name, "城关镇");
	assert_string_equal(got[1].ancestors, "/1/7/9/");
	assert_int_equal(got[0].due, 4);
	assert_int_equal(got[1].overdue, 2);
	assert_int_equal(ranking_cache_get("t1|b", &a, &got, &n, &version, &cut, &gen2), 0);

	/* a later cut for the same counts; an older generation cannot move it */
	ranking_cache_touch("t1|a", gen, 2000);
	ranking_cache_touch("t1|a", gen + 1000, 3000);
	ranking_cache_get("t1|a", &a, &got, &n, &version, &cut, &gen2);
	assert_int_equal(cut, 2000);

	/* rendered text belongs to one generation and one set of settings */
	ranking_cache_set_rendered("t1|a", gen, "{\"w\":1}", "[1]");
	assert_string_equal(ranking_cache_rendered("t1|a", gen, "{\"w\":1}", &a), "[1]");
	assert_null(ranking_cache_rendered("t1|a", gen, "{\"w\":2}", &a));
	assert_null(ranking_cache_rendered("t1|a", gen + 1, "{\"w\":1}", &a));
	gen2 = ranking_cache_put("t1|a", 42, 2000, rows, 1);
	assert_true(gen2 != gen);
	assert_null(ranking_cache_rendered("t1|a", gen2, "{\"w\":1}", &a));
	ranking_cache_set_rendered("t1|a", gen, "{\"w\":1}", "[stale]");
	assert_null(ranking_cache_rendered("t1|a", gen2, "{\"w\":1}", &a));

	/* full: the least recently used goes, the one just read stays */
	for (i = 0; i < 40; i++) {
		char key[16];

		snprintf(key, sizeof(key), "t2|%d", i);
		ranking_cache_put(key, 1, 1, rows, 1);
		assert_int_equal(ranking_cache_get("t1|a", &a, &got, &n, &version, &cut, &gen), 1);
	}
	assert_int_equal(ranking_cache_get("t2|0", &a, &got, &n, &version, &cut, &gen), 0);
	assert_int_equal(ranking_cache_get("t2|39", &a, &got, &n, &version, &cut, &gen), 1);
	ranking_cache_clear();
	arena_release(&a);
}

static volatile int waiter_done;

static void *waiter(void *arg)
{
	int flying = -1, *waited = arg;

	*waited = ranking_cache_fly("t3|x", &flying);
	waiter_done = 1;
	return flying == 0 ? arg : NULL;
}

/* Misses of one key at once: one request counts, the others wait for it. */
static void test_cache_single_flight(void **state)
{
	int flying = 0, other = 0, waited = 0;
	pthread_t t;
	void *ret;

	(void)state;
	assert_int_equal(ranking_cache_fly("t3|x", &flying), 0);
	assert_int_equal(flying, 1);
	/* a different key flies at the same time */
	assert_int_equal(ranking_cache_fly("t3|y", &other), 0);
	assert_int_equal(other, 1);
	ranking_cache_land("t3|y");
	ranking_cache_land("t3|x");
	/* a second request for x waits until x lands, then looks again without flying */
	assert_int_equal(ranking_cache_fly("t3|x", &flying), 0);
	assert_int_equal(flying, 1);
	waiter_done = 0;
	assert_int_equal(pthread_create(&t, NULL, waiter, &waited), 0);
	usleep(100 * 1000);
	assert_int_equal(waiter_done, 0);
	ranking_cache_land("t3|x");
	assert_int_equal(pthread_join(t, &ret), 0);
	assert_int_equal(waited, 1);
	assert_ptr_equal(ret, &waited);
	/* landed: the next one flies again instead of waiting */
	assert_int_equal(ranking_cache_fly("t3|x", &flying), 0);
	assert_int_equal(flying, 1);
	ranking_cache_land("t3|x");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rates_and_composite),
	    cmocka_unit_test(test_sort_and_json),
	    cmocka_unit_test(test_custom_weights_and_bands),
	    cmocka_unit_test(test_settings_validation),
	    cmocka_unit_test(test_cache_keeps_counts),
	    cmocka_unit_test(test_cache_single_flight),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

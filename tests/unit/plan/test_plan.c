/*
 * test_plan.c - the task ledger's pure rules (src/plan/plan.c): calendar
 * dates from sheet cells, today in the tenant's zone, overdue, and the
 * 进展情况表 status against the share of time elapsed (docs/plans.md).
 *
 * A task from 2026-03-01 to 2026-04-09 is 40 days long (the deadline day
 * counts).  On 2026-03-11 ten days are gone: 25 %.  Slack is 10 points, so
 * 15 % is on schedule, 14 % behind; 0 % is 未启动 only while at most 10 %
 * of the time is gone (up to 2026-03-05: 4 days = 10 %).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "plan/plan.h"

static void dates_from_cells(void **state)
{
	char out[11];

	(void)state;
	assert_int_equal(plan_date_cell("2026-03-31", 0, out), 0);
	assert_string_equal(out, "2026-03-31");
	assert_int_equal(plan_date_cell("2026/3/1", 0, out), 0);
	assert_string_equal(out, "2026-03-01");
	assert_int_equal(plan_date_cell("2026年6月30日", 0, out), 0);
	assert_string_equal(out, "2026-06-30");
	assert_int_equal(plan_date_cell("46112", 0, out), 0); /* Excel's serial day */
	assert_string_equal(out, "2026-03-31");
	assert_int_equal(plan_date_cell("44650", 1, out), 0); /* the 1904 system: 1462 days less */
	assert_string_equal(out, "2026-03-31");
	assert_int_equal(plan_date_cell("2026-02-29", 0, out), -1);
	assert_int_equal(plan_date_cell("2026-13-01", 0, out), -1);
	assert_int_equal(plan_date_cell("下月底", 0, out), -1);
	assert_int_equal(plan_date_cell("2026-03-31x", 0, out), -1);
	assert_true(plan_date_ok("2028-02-29"));
	assert_false(plan_date_ok("2027-02-29"));
	assert_false(plan_date_ok("2026-3-01"));
}

static void today_in_zone(void **state)
{
	char out[11];
	int64_t utc_1700 = 1774976400000LL; /* 2026-03-31 17:00 UTC */

	(void)state;
	plan_today(utc_1700, 0, out);
	assert_string_equal(out, "2026-03-31");
	plan_today(utc_1700, 480, out); /* already 01:00 on April 1st in China */
	assert_string_equal(out, "2026-04-01");
	assert_int_equal(plan_days_between("2026-02-27", "2026-03-02"), 3);
	assert_int_equal(plan_days_between("2026-03-02", "2026-02-27"), -3);
}

static void overdue_from_deadline(void **state)
{
	struct plan_node t;

	(void)state;
	memset(&t, 0, sizeof(t));
	t.deadline = "2026-03-31";
	t.status = "active";
	assert_false(plan_overdue(&t, "2026-03-31")); /* the deadline day itself is still in time */
	assert_true(plan_overdue(&t, "2026-04-01"));
	t.status = "done";
	assert_false(plan_overdue(&t, "2026-04-01"));
}

static void progress_status(void **state)
{
	const char *s = "2026-03-01", *d = "2026-04-09";

	(void)state;
	assert_int_equal(plan_progress_of(15, 0, s, d, "2026-03-11"), PP_ON_SCHEDULE);
	assert_int_equal(plan_progress_of(14, 0, s, d, "2026-03-11"), PP_BEHIND);
	assert_int_equal(plan_progress_of(60, 0, s, d, "2026-03-11"), PP_ON_SCHEDULE);
	assert_int_equal(plan_progress_of(100, 0, s, d, "2026-03-11"), PP_DONE);
	assert_int_equal(plan_progress_of(20, 1, s, d, "2026-03-11"), PP_DONE);
	assert_int_equal(plan_progress_of(-1, 0, s, d, "2026-02-20"), PP_NOT_STARTED);
	assert_int_equal(plan_progress_of(-1, 0, s, d, "2026-03-05"), PP_NOT_STARTED);
	assert_int_equal(plan_progress_of(-1, 0, s, d, "2026-03-06"), PP_BEHIND);
	assert_int_equal(plan_progress_of(0, 0, s, d, "2026-03-06"), PP_BEHIND);
	assert_int_equal(plan_progress_of(95, 0, s, d, "2026-04-09"), PP_ON_SCHEDULE);
	assert_int_equal(plan_progress_of(95, 0, s, d, "2026-04-10"),
	                 PP_BEHIND); /* past deadline */
	assert_string_equal(plan_progress_title(PP_ON_SCHEDULE), "按进度推进");
	assert_string_equal(plan_progress_title(PP_BEHIND), "滞后");
	assert_int_equal(plan_rhythm_days("weekly"), 7);
	assert_int_equal(plan_rhythm_days("daily"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(dates_from_cells),
	    cmocka_unit_test(today_in_zone),
	    cmocka_unit_test(overdue_from_deadline),
	    cmocka_unit_test(progress_status),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

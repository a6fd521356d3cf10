/* plan.c - the task ledger's pure rules: levels, calendar days, overdue and progress status. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan/plan.h"

static const char *const level_keys[] = {"plan", "project", "action", "task"};
static const char *const level_titles[] = {"方案", "工程", "行动", "任务"};

const char *plan_level_key(enum plan_level l)
{
	return level_keys[l];
}

const char *plan_level_title(enum plan_level l)
{
	return level_titles[l];
}

int plan_level_of(const char *key)
{
	int i;

	for (i = 0; i < 4; i++)
		if (key && !strcmp(key, level_keys[i]))
			return i;
	return -1;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm). */
static long days_from_civil(int y, int m, int d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, int *y, int *m, int *d)
{
	long era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static int ymd_valid(int y, int m, int d)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return y >= 1900 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 &&
	       d <= mdays[m - 1] + (m == 2 && leap);
}

static long day_number(const char *s)
{
	int y = 0, m = 0, d = 0;

	if (!s || sscanf(s, "%4d-%2d-%2d", &y, &m, &d) != 3)
		return 0;
	return days_from_civil(y, m, d);
}

int plan_date_ok(const char *s)
{
	int y, m, d, i;

	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return 0;
	y = atoi(s);
	m = atoi(s + 5);
	d = atoi(s + 8);
	return ymd_valid(y, m, d);
}

int plan_date_cell(const char *cell, int date1904, char out[11])
{
	const char *p = cell;
	int y, m, d, n = 0, digits = 1;

	if (!cell || !*cell)
		return -1;
	for (p = cell; *p; p++)
		if ((*p < '0' || *p > '9') && *p != '.')
			digits = 0;
	if (digits && strlen(cell) <= 8) { /* an Excel serial day */
		long serial = strtol(cell, NULL, 10);

		if (serial < 1 || serial > 2958465)
			return -1;
		civil_from_days(serial + (date1904 ? -24107 : -25569), &y, &m, &d);
		snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
		return 0;
	}
	if (sscanf(cell, "%d-%d-%d%n", &y, &m, &d, &n) != 3 &&
	    sscanf(cell, "%d/%d/%d%n", &y, &m, &d, &n) != 3 &&
	    sscanf(cell, "%d.%d.%d%n", &y, &m, &d, &n) != 3 &&
	    sscanf(cell, "%d年%d月%d日%n", &y, &m, &d, &n) != 3)
		return -1;
	if (cell[n] || !ymd_valid(y, m, d))
		return -1;
	snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
	return 0;
}

void plan_today(int64_t now_ms, int minutes, char out[11])
{
	long days = (long)((now_ms + (int64_t)minutes * 60000) / 86400000);
	int y, m, d;

	civil_from_days(days, &y, &m, &d);
	snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
}

int plan_days_between(const char *a, const char *b)
{
	return (int)(day_number(b) - day_number(a));
}

int plan_overdue(const struct plan_node *t, const char *today)
{
	return t->deadline && *t->deadline && strcmp(t->deadline, today) < 0 &&
	       strcmp(t->status ? t->status : "", "done") != 0;
}

static const char *const progress_titles[] = {"已完成", "按进度推进", "滞后", "未启动"};
static const char *const progress_keys[] = {"done", "on_schedule", "behind", "not_started"};

const char *plan_progress_title(enum plan_progress p)
{
	return progress_titles[p];
}

const char *plan_progress_key(enum plan_progress p)
{
	return progress_keys[p];
}

/* Points of percent a unit may trail the elapsed share of time and still be on schedule. */
#define PLAN_SLACK_POINTS 10

enum plan_progress plan_progress_of(int percent, int done, const char *starts_on,
                                    const char *deadline, const char *today)
{
	long start = day_number(starts_on), end = day_number(deadline), now = day_number(today);
	double elapsed; /* percent of the time from start to the end of the deadline day */

	if (done || percent >= 100)
		return PP_DONE;
	if (deadline && *deadline && now > end)
		return PP_BEHIND;
	if (!starts_on || !*starts_on || !deadline || !*deadline || end < start)
		elapsed = 0;
	else if (now < start)
		elapsed = 0;
	else
		elapsed = 100.0 * (double)(now - start) / (double)(end - start + 1);
	if (percent <= 0)
		return elapsed <= PLAN_SLACK_POINTS ? PP_NOT_STARTED : PP_BEHIND;
	return percent + PLAN_SLACK_POINTS >= elapsed ? PP_ON_SCHEDULE : PP_BEHIND;
}

int plan_rhythm_days(const char *rhythm)
{
	if (rhythm && !strcmp(rhythm, "weekly"))
		return 7;
	if (rhythm && !strcmp(rhythm, "monthly"))
		return 31;
	return 0;
}

/*
 * 1 when the task is due a report: started, not done, and the newest report
 * (or the start, without one) is more than one period of the plan's rhythm
 * ago.
 */
int plan_report_missing(const struct plan_node *t, const char *rhythm, const char *today,
                        int64_t now)
{
	int days = plan_rhythm_days(rhythm);

	if (!days || !strcmp(t->status, "done") || !*t->starts_on ||
	    strcmp(t->starts_on, today) > 0)
		return 0;
	if (t->last_report_at)
		return now - t->last_report_at > (int64_t)days * 86400000;
	return plan_days_between(t->starts_on, today) > days;
}

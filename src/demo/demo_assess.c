/*
 * demo_assess.c - the demo county's 考核: the three calendar months before
 * the current one (the last of the ninety played days), each computed from
 * what was played, adjusted by the office (a bonus and a deduction with
 * their reasons), and published on the second day of the next month; then a
 * 问责 record (约谈) for a unit black-listed in the last two months, or the
 * last town of the last month when none was.  Everything goes through the
 * assess module's domain functions; the same day gives the same results.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assess/assess_int.h"
#include "core/clock.h"
#include "demo/demo.h"
#include "org/org.h"
#include "org/org_db.h"
#include "store/store.h"

#define DEMO_MINUTES 480 /* the demo tenant's Asia/Shanghai */
#define DAY_MS       (86400LL * 1000)

static int64_t unit_named(const struct unit *units, int n, const char *name)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(units[i].name, name))
			return units[i].id;
	return 0;
}

/* The month months back from the one holding now: its first and last days and ms. */
static void month_back(int64_t now, int months, struct arena *a, struct assess_period_row *p)
{
	char today[20], buf[40];
	int y, m, ny, nm;
	int64_t next;

	tz_format(now, DEMO_MINUTES, today);
	y = atoi(today);
	m = atoi(today + 5) - months;
	while (m < 1) {
		m += 12;
		y--;
	}
	ny = m == 12 ? y + 1 : y;
	nm = m == 12 ? 1 : m + 1;
	snprintf(buf, sizeof(buf), "%04d-%02d-01", y, m);
	p->from_day = arena_strdup(a, buf);
	tz_parse_date(buf, DEMO_MINUTES, &p->p.from_ms);
	snprintf(buf, sizeof(buf), "%04d-%02d-01", ny, nm);
	tz_parse_date(buf, DEMO_MINUTES, &next);
	p->p.to_ms = next;
	tz_format(next - DAY_MS, DEMO_MINUTES, today);
	p->to_day = arena_strndup(a, today, 10);
	p->p.title = arena_printf(a, "%04d年%d月考核", y, m);
	p->p.kind = "month";
}

static int adjust(struct store_conn *c, int64_t tenant_id, const struct assess_period_row *p,
                  int64_t unit_id, double points, const char *reason, int64_t office,
                  struct arena *a, struct error *e)
{
	struct assess_adjustment adj;

	if (!unit_id)
		return 0;
	memset(&adj, 0, sizeof(adj));
	adj.unit_id = unit_id;
	adj.points = points;
	adj.reason = reason;
	adj.file_ids = "[]";
	adj.approver_id = office;
	adj.created_at = p->p.to_ms + DAY_MS + 9 * 3600 * 1000LL;
	return assess_period_adjust(c, tenant_id, p, &adj, a, e);
}

/* The 问责 record: a unit black twice in a row, else the last town of period last. */
static int accountability(struct store_conn *c, int64_t tenant_id, int64_t last, int64_t office,
                          int64_t at, struct arena *a, struct error *e)
{
	struct accountability_action x;
	struct assess_result *res;
	const char **periods;
	int64_t *black, unit = 0;
	const char *basis = "";
	char day[20];
	int i, n, nb, rc;

	if ((rc = assess_db_black_twice(c, tenant_id, a, &black, &periods, &nb, e)))
		return rc;
	if (nb) {
		unit = black[0];
		basis = arena_printf(a, "连续两期列入黑榜（%s）", periods[0]);
	} else {
		if ((rc = assess_db_results(c, tenant_id, last, NULL, a, &res, &n, e)))
			return rc;
		for (i = 0; i < n; i++)
			if (!strcmp(res[i].unit_kind, "town") && res[i].rank && res[i].list < 0)
				unit = res[i].unit_id;
		assess_results_release(res, n);
		basis = "上月考核列入黑榜";
	}
	if (!unit)
		return 0;
	memset(&x, 0, sizeof(x));
	x.unit_id = unit;
	x.action = "talk";
	tz_format(at, DEMO_MINUTES, day);
	x.acted_on = arena_strndup(a, day, 10);
	x.text = "县创城办约谈该单位主要负责人，通报考核排名和超期问题，要求十日内拿出整改方案并"
	         "按周报送进展。";
	x.basis = basis;
	x.file_ids = "[]";
	x.created_by = office;
	x.created_at = at;
	return accountability_insert(c, tenant_id, &x, e);
}

int demo_assess_fill(struct store_conn *c, int64_t tenant_id, int64_t now, struct error *e)
{
	struct arena a;
	struct unit *units;
	int64_t office = 0, last = 0, at = 0;
	int i, n, rc;

	arena_init(&a);
	rc = unit_all(c, tenant_id, &a, &units, &n, e);
	if (!rc)
		rc = user_id_by_username(c, "office01", &office, e);
	for (i = 3; !rc && i >= 1; i--) {
		struct assess_period_row p;

		memset(&p, 0, sizeof(p));
		month_back(now, i, &a, &p);
		at = p.p.to_ms + DAY_MS + 10 * 3600 * 1000LL; /* the 2nd, 10:00 */
		p.created_at = p.p.to_ms + 9 * 3600 * 1000LL;
		rc = assess_period_create(c, tenant_id, DEMO_MINUTES, office, &a, &p, e);
		if (!rc)
			rc = adjust(c, tenant_id, &p, unit_named(units, n, "城关街道"), 2,
			            "创建省级文明街道示范点，经创城办审核加 2 分", office, &a, e);
		if (!rc && i == 2)
			rc = adjust(c, tenant_id, &p, unit_named(units, n, "县城管执法局"), -1,
			            "占道经营问题被市级媒体曝光，扣 1 分", office, &a, e);
		if (!rc)
			rc = assess_period_publish(c, tenant_id, &p, office, at, &a, e);
		last = p.p.id;
	}
	if (!rc)
		rc = accountability(c, tenant_id, last, office, at + DAY_MS, &a, e);
	arena_release(&a);
	return rc;
}

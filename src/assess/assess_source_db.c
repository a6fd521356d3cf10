/*
 * assess_source_db.c - the units an assessment ranks and its components,
 * each read from its own module's tables for the period (read-only SQL) and
 * scored 0..100; a component a unit has nothing for is missing, never 0.
 * The formulas are docs/assessment.md's.
 */
#include <string.h>

#include "assess/assess_int.h"
#include "auth/auth.h"
#include "core/clock.h"
#include "ranking/ranking.h"
#include "settings/settings.h"
#include "store/store.h"

#define DAY_MS (86400LL * 1000)

STORE_SQL(q_units, "SELECT id, name, kind, sort FROM units WHERE tenant_id = ? AND enabled = 1"
                   " AND kind IN ('department', 'town', 'community') ORDER BY sort, id");
STORE_SQL(q_overdue_long, "SELECT lead_unit_id, COUNT(*) FROM problems WHERE tenant_id = ?"
                          " AND lead_unit_id IS NOT NULL AND deadline < ? AND first_assigned_at < ?"
                          " AND (status IN ('assigned', 'rectifying', 'rework', 'submitted')"
                          " OR (status = 'closed' AND closed_at > ?))"
                          " GROUP BY lead_unit_id");
/* Each task active in the period, once per responsible unit: reported in the
 * period, the latest percent reported by its end. */
STORE_SQL(q_tasks,
          "SELECT pu.unit_id, n.starts_on, n.deadline, n.status,"
          " (SELECT COUNT(*) FROM task_reports r WHERE r.task_id = n.id"
          " AND r.unit_id = pu.unit_id AND r.created_at >= ? AND r.created_at < ?),"
          " COALESCE((SELECT r.percent FROM task_reports r WHERE r.task_id = n.id"
          " AND r.unit_id = pu.unit_id AND r.created_at < ?"
          " ORDER BY r.created_at DESC, r.id DESC LIMIT 1), 0)"
          " FROM plan_nodes n JOIN plan_node_units pu ON pu.node_id = n.id"
          " WHERE n.tenant_id = ? AND n.level = 'task' AND n.starts_on <= ? AND n.deadline >= ?");
/* Material items due in the period: the first submission and whether approved by its end. */
STORE_SQL(q_materials,
          "SELECT i.lead_unit_id, i.deadline,"
          " COALESCE((SELECT MIN(ev.created_at) FROM material_events ev WHERE ev.item_id = i.id"
          " AND ev.action = 'submit'), 0),"
          " (SELECT COUNT(*) FROM material_events ev WHERE ev.item_id = i.id"
          " AND ev.action = 'approve' AND ev.created_at < ?)"
          " FROM material_items i WHERE i.tenant_id = ? AND i.deadline >= ? AND i.deadline <= ?");
/* Observations at the unit's points recorded in the period. */
STORE_SQL(q_inspections,
          "SELECT p.unit_id, SUM(CASE WHEN o.rating = 'pass' THEN 1 ELSE 0 END), COUNT(*)"
          " FROM inspection_observations o JOIN inspection_records rec ON rec.id = o.record_id"
          " JOIN points p ON p.id = rec.point_id"
          " WHERE p.tenant_id = ? AND p.unit_id IS NOT NULL AND o.rating <> 'na'"
          " AND rec.submitted_at >= ? AND rec.submitted_at < ? GROUP BY p.unit_id");

/* Notices published in the period to each unit: read by its end, 回执 on time. */
STORE_SQL(q_announcements,
          "SELECT au.unit_id, COUNT(*),"
          " SUM(CASE WHEN au.read_at > 0 AND au.read_at < ? THEN 1 ELSE 0 END),"
          " SUM(CASE WHEN a.reply_due = 0 OR (au.replied_at > 0 AND au.replied_at <= a.reply_due)"
          " THEN 1 ELSE 0 END)"
          " FROM announcements a JOIN announcement_units au ON au.announcement_id = a.id"
          " WHERE a.tenant_id = ? AND a.status = 'published' AND a.published_at >= ?"
          " AND a.published_at < ? GROUP BY au.unit_id");

int assess_units(struct store_conn *c, int64_t tenant_id, struct arena *a, struct assess_row **out,
                 int *n, struct error *e)
{
	struct store_val args[] = {sv_int(tenant_id)};
	struct store_rows *r;
	int rc, cap = 0;

	*out = NULL;
	*n = 0;
	if ((rc = store_query(c, &q_units, args, 1, &r, e)))
		return rc;
	while ((rc = store_next(r)) > 0) {
		struct assess_row *row;

		*out = arena_grow(a, *out, *n, &cap, sizeof(**out));
		row = &(*out)[(*n)++];
		memset(row, 0, sizeof(*row));
		row->unit_id = store_int(r, 0);
		row->unit_name = arena_strdup(a, store_text(r, 1));
		row->unit_kind = arena_strdup(a, store_text(r, 2));
		row->unit_sort = store_int(r, 3);
		row->grade = "";
	}
	store_finish(r);
	return rc < 0 ? error_set(e, rc, NULL, NULL) : 0;
}

static struct assess_row *row_of(struct assess_row *rows, int n, int64_t unit_id)
{
	int i;

	for (i = 0; i < n; i++)
		if (rows[i].unit_id == unit_id)
			return &rows[i];
	return NULL;
}

int assess_overdue_long(struct store_conn *c, int64_t tenant_id, int64_t at, int64_t before,
                        struct assess_row *rows, int n, struct error *e)
{
	struct store_val args[] = {sv_int(tenant_id), sv_int(before), sv_int(at), sv_int(at)};
	struct store_rows *r;
	int rc;

	if ((rc = store_query(c, &q_overdue_long, args, 4, &r, e)))
		return rc;
	while ((rc = store_next(r)) > 0) {
		struct assess_row *row = row_of(rows, n, store_int(r, 0));

		if (row)
			row->overdue_long = (int)store_int(r, 1);
	}
	store_finish(r);
	return rc < 0 ? error_set(e, rc, NULL, NULL) : 0;
}

static void set_missing(struct assess_row *rows, int n, int comp, const char *reason)
{
	int i;

	for (i = 0; i < n; i++)
		if (!rows[i].has[comp] && !rows[i].reason[comp])
			rows[i].reason[comp] = reason;
}

/* The ranking's composite over [from, to] (ranking.h), the tenant's weights. */
static int comp_problems(struct store_conn *c, const struct assess_ctx *x, int comp,
                         struct assess_row *rows, int n, struct error *e)
{
	struct scope all = {1, 0, "[]", ""};
	struct ranking_query q;
	struct ranking_cached cached;
	struct tenant_settings set;
	struct rank_row *rr;
	int64_t version;
	int i, nr, rc;

	if ((rc = ranking_version(c, x->tenant_id, &version, e)) ||
	    (rc = settings_get(c, x->tenant_id, x->a, &set, e)))
		return rc;
	memset(&q, 0, sizeof(q));
	q.start = x->from_ms;
	q.end = x->to_ms;
	q.cut = x->cut;
	q.scope = &all;
	q.subtree = "";
	q.version = version;
	if ((rc = ranking_counts(c, x->tenant_id, &q, x->a, &rr, &nr, &cached, e)))
		return rc;
	for (i = 0; i < nr; i++) {
		struct assess_row *row = row_of(rows, n, rr[i].unit_id);

		if (!row)
			continue;
		ranking_compute(&rr[i], &set);
		if (!rr[i].has_score)
			continue;
		row->has[comp] = 1;
		row->score[comp] = assess_round2(rr[i].score);
		row->basis[comp] =
		    json_pack("{s:I, s:I, s:I, s:I}", "due", (json_int_t)rr[i].due, "closed",
		              (json_int_t)rr[i].closed, "on_time", (json_int_t)rr[i].on_time,
		              "overdue", (json_int_t)rr[i].overdue);
	}
	set_missing(rows, n, comp, "本期无到期问题");
	return 0;
}

/* Day number of "YYYY-MM-DD" (UTC midnight / day), or fallback when empty or malformed. */
static int64_t day_no(const char *ymd, int64_t fallback)
{
	int64_t ms;

	if (!ymd || !*ymd || tz_parse_date(ymd, 0, &ms))
		return fallback;
	return ms / DAY_MS;
}

/*
 * Tasks active in the period: reported in it (at least one report), and on
 * schedule at its end (done, or the latest percent at least the share of
 * the task's days that have passed).  Score = 50 reported + 50 on schedule,
 * as shares of the unit's tasks.
 */
static int comp_tasks(struct store_conn *c, const struct assess_ctx *x, int comp,
                      struct assess_row *rows, int n, struct error *e)
{
	struct store_val args[] = {sv_int(x->from_ms),   sv_int(x->to_ms),   sv_int(x->to_ms),
	                           sv_int(x->tenant_id), sv_text(x->to_day), sv_text(x->from_day)};
	int64_t *tasks = arena_calloc(x->a, (size_t)(n + 1) * 3 * sizeof(int64_t));
	int64_t from = day_no(x->from_day, 0), to = day_no(x->to_day, 0);
	struct store_rows *r;
	int i, rc;

	if ((rc = store_query(c, &q_tasks, args, 6, &r, e)))
		return rc;
	while ((rc = store_next(r)) > 0) {
		struct assess_row *row = row_of(rows, n, store_int(r, 0));
		int64_t start, end, *t;
		double expected;

		if (!row)
			continue;
		t = &tasks[(row - rows) * 3];
		start = day_no(store_text(r, 1), from);
		end = day_no(store_text(r, 2), to);
		expected = end <= to ? 100.0
		                     : 100.0 * (double)(to - start + 1) / (double)(end - start + 1);
		t[0]++;
		t[1] += store_int(r, 4) > 0;
		t[2] += !strcmp(store_text(r, 3), "done") || (double)store_int(r, 5) >= expected;
	}
	store_finish(r);
	if (rc < 0)
		return error_set(e, rc, NULL, NULL);
	for (i = 0; i < n; i++) {
		int64_t *t = &tasks[i * 3];

		if (!t[0])
			continue;
		rows[i].has[comp] = 1;
		rows[i].score[comp] = assess_round2(50.0 * (double)t[1] / (double)t[0] +
		                                    50.0 * (double)t[2] / (double)t[0]);
		rows[i].basis[comp] =
		    json_pack("{s:I, s:I, s:I}", "tasks", (json_int_t)t[0], "reported",
		              (json_int_t)t[1], "on_schedule", (json_int_t)t[2]);
	}
	set_missing(rows, n, comp, "本期无进行中的任务");
	return 0;
}

/*
 * Material items whose deadline falls in the period, by lead unit: submitted
 * on time (first submission before the deadline day ends) and approved by the
 * period's end.  Score = 50 on time + 50 approved, as shares of the items.
 */
static int comp_materials(struct store_conn *c, const struct assess_ctx *x, int comp,
                          struct assess_row *rows, int n, struct error *e)
{
	struct store_val args[] = {sv_int(x->to_ms), sv_int(x->tenant_id), sv_text(x->from_day),
	                           sv_text(x->to_day)};
	int64_t *items = arena_calloc(x->a, (size_t)(n + 1) * 3 * sizeof(int64_t));
	struct store_rows *r;
	int i, rc;

	if ((rc = store_query(c, &q_materials, args, 4, &r, e)))
		return rc;
	while ((rc = store_next(r)) > 0) {
		struct assess_row *row = row_of(rows, n, store_int(r, 0));
		int64_t due_end, first = store_int(r, 2), *t;

		if (!row)
			continue;
		t = &items[(row - rows) * 3];
		if (tz_parse_date(store_text(r, 1), x->minutes, &due_end))
			continue;
		due_end += DAY_MS;
		t[0]++;
		t[1] += first > 0 && first < due_end;
		t[2] += store_int(r, 3) > 0;
	}
	store_finish(r);
	if (rc < 0)
		return error_set(e, rc, NULL, NULL);
	for (i = 0; i < n; i++) {
		int64_t *t = &items[i * 3];

		if (!t[0])
			continue;
		rows[i].has[comp] = 1;
		rows[i].score[comp] = assess_round2(50.0 * (double)t[1] / (double)t[0] +
		                                    50.0 * (double)t[2] / (double)t[0]);
		rows[i].basis[comp] =
		    json_pack("{s:I, s:I, s:I}", "items", (json_int_t)t[0], "on_time",
		              (json_int_t)t[1], "approved", (json_int_t)t[2]);
	}
	set_missing(rows, n, comp, "本期无到期的申报材料");
	return 0;
}

/* Pass rate of the observations at the unit's points: 100 x passed / rated (n/a left out). */
static int comp_inspections(struct store_conn *c, const struct assess_ctx *x, int comp,
                            struct assess_row *rows, int n, struct error *e)
{
	struct store_val args[] = {sv_int(x->tenant_id), sv_int(x->from_ms), sv_int(x->to_ms)};
	struct store_rows *r;
	int rc;

	if ((rc = store_query(c, &q_inspections, args, 3, &r, e)))
		return rc;
	while ((rc = store_next(r)) > 0) {
		struct assess_row *row = row_of(rows, n, store_int(r, 0));
		int64_t pass = store_int(r, 1), all = store_int(r, 2);

		if (!row || all <= 0)
			continue;
		row->has[comp] = 1;
		row->score[comp] = assess_round2(100.0 * (double)pass / (double)all);
		row->basis[comp] = json_pack("{s:I, s:I}", "observations", (json_int_t)all,
		                             "passed", (json_int_t)pass);
	}
	store_finish(r);
	if (rc < 0)
		return error_set(e, rc, NULL, NULL);
	set_missing(rows, n, comp, "本期无该单位点位的测评记录");
	return 0;
}

/*
 * 通知公告 published in the period to the unit (announcement.h): read
 * before the period's end, and the 回执 in by its due time (a notice that
 * asks none counts as replied).  Score = 50 read + 50 replied on time, as
 * shares of the notices.
 */
static int comp_announcements(struct store_conn *c, const struct assess_ctx *x, int comp,
                              struct assess_row *rows, int n, struct error *e)
{
	struct store_val args[] = {sv_int(x->to_ms), sv_int(x->tenant_id), sv_int(x->from_ms),
	                           sv_int(x->to_ms)};
	struct store_rows *r;
	int rc;

	if ((rc = store_query(c, &q_announcements, args, 4, &r, e)))
		return rc;
	while ((rc = store_next(r)) > 0) {
		struct assess_row *row = row_of(rows, n, store_int(r, 0));
		int64_t all = store_int(r, 1), read = store_int(r, 2), replied = store_int(r, 3);

		if (!row || all <= 0)
			continue;
		row->has[comp] = 1;
		row->score[comp] = assess_round2(50.0 * (double)read / (double)all +
		                                 50.0 * (double)replied / (double)all);
		row->basis[comp] =
		    json_pack("{s:I, s:I, s:I}", "notices", (json_int_t)all, "read",
		              (json_int_t)read, "replied_on_time", (json_int_t)replied);
	}
	store_finish(r);
	if (rc < 0)
		return error_set(e, rc, NULL, NULL);
	set_missing(rows, n, comp, "本期无发给该单位的通知公告");
	return 0;
}

static const struct assess_component components[AC_COUNT] = {
    {"problems", "问题整改", comp_problems},
    {"tasks", "任务推进", comp_tasks},
    {"materials", "申报材料", comp_materials},
    {"inspections", "测评督查", comp_inspections},
    {"announcements", "通知公告", comp_announcements},
};

const struct assess_component *assess_component_at(int comp)
{
	return &components[comp];
}

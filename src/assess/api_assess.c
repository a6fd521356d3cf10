/*
 * api_assess.c - /assessments: the tenant's scheme, assessment periods
 * (create and compute a draft, recompute, adjust, publish; then locked: 409),
 * their results, the xlsx export and a unit's history over periods.
 * Reading needs assess:view (a unit's users see published periods and the
 * rows of the units in their scope); everything else assess:edit, adjusting
 * assess:adjust (the approver is the actor).  docs/assessment.md.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assess/assess_int.h"
#include "auth/auth.h"
#include "auth/login.h"
#include "core/clock.h"
#include "core/utf8.h"
#include "files/files.h"
#include "http/json_io.h"
#include "http/reply.h"
#include "http/req.h"
#include "http/router.h"
#include "org/org.h"
#include "spreadsheet/spreadsheet.h"
#include "store/store.h"

#define DAY_MS          (86400LL * 1000)
#define ASSESS_MAX_DAYS 366

static const char *const comp_keys[AC_COUNT] = {"problems", "tasks", "materials", "inspections",
                                                "announcements"};

static int drafts_visible(struct req *r)
{
	return principal_has(r->who, "assess:edit");
}

static json_t *period_json(const struct assess_period_row *p)
{
	json_t *scheme = json_loads(p->scheme, 0, NULL);

	return json_pack(
	    "{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:o, s:o, s:o, s:s, s:I,"
	    " s:i}",
	    "id", (json_int_t)p->p.id, "kind", p->p.kind, "kind_name",
	    assess_kind_title(p->p.kind) ? assess_kind_title(p->p.kind) : p->p.kind, "title",
	    p->p.title, "status", p->p.status, "from", p->from_day, "to", p->to_day, "from_ms",
	    (json_int_t)p->p.from_ms, "to_ms", (json_int_t)p->p.to_ms, "scheme",
	    scheme ? scheme : json_object(), "computed_at",
	    p->computed_at ? json_integer(p->computed_at) : json_null(), "published_at",
	    p->published_at ? json_integer(p->published_at) : json_null(), "published_by_name",
	    p->published_by_name, "created_at", (json_int_t)p->created_at, "units", p->units);
}

static int load_period(struct req *r, struct assess_period_row *p)
{
	struct error e;
	int64_t id;

	if (req_param_id(r, "id", &id) || !req_db(r))
		return r->err.code;
	error_init(&e);
	if (assess_db_get(r->db, r->who->tenant_id, id, drafts_visible(r), &r->arena, p, &e))
		return req_fail_error(r, &e);
	return 0;
}

/* ---- the scheme ------------------------------------------------------------------ */

/* GET /assessments/scheme */
static int scheme_get(struct req *r)
{
	struct assess_scheme s;
	struct error e;
	int64_t at;
	json_t *j;

	if (!req_db(r))
		return r->err.code;
	error_init(&e);
	if (assess_scheme_load(r->db, r->who->tenant_id, &r->arena, &s, &at, &e))
		return req_fail_error(r, &e);
	j = assess_scheme_json(&s);
	json_object_set_new(j, "updated_at", at ? json_integer(at) : json_null());
	return req_reply_json(r, 200, j);
}

/* PUT /assessments/scheme {weights, bands, red_top, black_bottom, overdue_days} */
static int scheme_put(struct req *r)
{
	struct assess_scheme s;
	struct error e;
	json_t *body, *j;
	char *text;
	int rc;

	error_init(&e);
	if (req_body_json(r, &body) || !req_db(r))
		return r->err.code;
	if (assess_scheme_parse(body, &r->arena, &s, &e))
		return req_fail_error(r, &e);
	j = assess_scheme_json(&s);
	json_object_del(j, "components");
	text = json_dumps(j, JSON_COMPACT | JSON_REAL_PRECISION(10));
	if (store_begin(r->db, 1, &e)) {
		free(text);
		json_decref(j);
		return req_fail_error(r, &e);
	}
	rc = assess_scheme_save(r->db, r->who->tenant_id, text, r->who->user_id, time_now_ms(), &e);
	if (!rc)
		rc = req_audit(r, r->db, "assessment.scheme", "assess_scheme", r->who->tenant_id,
		               json_incref(j));
	free(text);
	json_decref(j);
	if (req_tx_end(r, r->db, rc, &e))
		return r->err.code;
	return scheme_get(r);
}

/* ---- periods --------------------------------------------------------------------- */

/* GET /assessments?kind=&status= */
static int assessments_list(struct req *r)
{
	const char *kind = req_query(r, "kind"), *status = req_query(r, "status");
	struct assess_period_row *list;
	struct error e;
	json_t *items;
	int i, n;

	if (!req_db(r))
		return r->err.code;
	error_init(&e);
	if (assess_db_list(r->db, r->who->tenant_id, kind ? kind : "", status ? status : "",
	                   drafts_visible(r), &r->arena, &list, &n, &e))
		return req_fail_error(r, &e);
	items = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(items, period_json(&list[i]));
	return req_reply_json(r, 200, json_pack("{s:o, s:i}", "items", items, "total", n));
}

/* The default title: "2026年11月考核", "2026年度考核", "2026-11-02至2026-11-08周考核". */
static const char *default_title(struct req *r, const char *kind, const char *from, const char *to)
{
	if (!strcmp(kind, "month"))
		return arena_printf(&r->arena, "%.4s年%d月考核", from, atoi(from + 5));
	if (!strcmp(kind, "year"))
		return arena_printf(&r->arena, "%.4s年度考核", from);
	return arena_printf(&r->arena, "%s至%s周考核", from, to);
}

/* POST /assessments {kind, from, to, title?}: a draft, computed at once. */
static int assessments_create(struct req *r)
{
	static const char *const fields[] = {"kind", "from", "to", "title", NULL};
	struct assess_period_row p, out;
	int minutes = auth_tenant_minutes(r);
	int64_t last;
	struct error e;
	json_t *body;
	int rc;

	memset(&p, 0, sizeof(p));
	error_init(&e);
	if (req_body_json(r, &body) || !req_db(r))
		return r->err.code;
	if (json_only_keys(body, fields, &e) ||
	    json_get_string(body, "kind", JF_REQUIRED, 1, 8, &p.p.kind, &e) ||
	    json_get_string(body, "from", JF_REQUIRED, 10, 10, &p.from_day, &e) ||
	    json_get_string(body, "to", JF_REQUIRED, 10, 10, &p.to_day, &e) ||
	    json_get_string(body, "title", JF_NULLABLE, 1, 60, &p.p.title, &e))
		return req_fail_error(r, &e);
	if (!assess_kind_title(p.p.kind))
		return req_fail(r, ERR_INVALID, "kind",
		                "考核类型应为 week（周）、month（月度）或 year（年度）");
	if (tz_parse_date(p.from_day, minutes, &p.p.from_ms))
		return req_fail(r, ERR_INVALID, "from", "开始日期 from 应为 YYYY-MM-DD");
	if (tz_parse_date(p.to_day, minutes, &last))
		return req_fail(r, ERR_INVALID, "to", "结束日期 to 应为 YYYY-MM-DD");
	if (last < p.p.from_ms)
		return req_fail(r, ERR_INVALID, "to", "结束日期不能早于开始日期");
	if ((last - p.p.from_ms) / DAY_MS + 1 > ASSESS_MAX_DAYS)
		return req_fail(r, ERR_INVALID, "to", "考核期最长 %d 天", ASSESS_MAX_DAYS);
	p.p.to_ms = last + DAY_MS;
	if (!p.p.title)
		p.p.title = default_title(r, p.p.kind, p.from_day, p.to_day);
	p.created_at = time_now_ms();
	p.scheme = "{}";
	if (store_begin(r->db, 1, &e))
		return req_fail_error(r, &e);
	rc = assess_period_create(r->db, r->who->tenant_id, minutes, r->who->user_id, &r->arena, &p,
	                          &e);
	if (!rc)
		rc = req_audit(r, r->db, "assessment.create", "assessment", p.p.id,
		               json_pack("{s:s, s:s, s:s, s:s}", "kind", p.p.kind, "title",
		                         p.p.title, "from", p.from_day, "to", p.to_day));
	if (req_tx_end(r, r->db, rc, &e))
		return r->err.code;
	if (assess_db_get(r->db, r->who->tenant_id, p.p.id, 1, &r->arena, &out, &e))
		return req_fail_error(r, &e);
	return req_reply_json(r, 201, period_json(&out));
}

/* GET /assessments/{id} */
static int assessments_get(struct req *r)
{
	struct assess_period_row p;

	if (load_period(r, &p))
		return r->err.code;
	return req_reply_json(r, 200, period_json(&p));
}

/* PUT /assessments/{id} {title}: drafts only. */
static int assessments_update(struct req *r)
{
	static const char *const fields[] = {"title", NULL};
	struct assess_period_row p;
	const char *title = NULL;
	struct error e;
	json_t *body;
	int rc;

	error_init(&e);
	if (req_body_json(r, &body) || load_period(r, &p))
		return r->err.code;
	if (json_only_keys(body, fields, &e) ||
	    json_get_string(body, "title", JF_REQUIRED, 1, 60, &title, &e))
		return req_fail_error(r, &e);
	if (store_begin(r->db, 1, &e))
		return req_fail_error(r, &e);
	rc = assess_db_lock_draft(r->db, r->who->tenant_id, p.p.id, &e);
	if (!rc)
		rc = assess_db_set_title(r->db, r->who->tenant_id, p.p.id, title, &e);
	if (!rc)
		rc = req_audit(r, r->db, "assessment.update", "assessment", p.p.id,
		               json_pack("{s:s, s:s}", "from", p.p.title, "to", title));
	if (req_tx_end(r, r->db, rc, &e))
		return r->err.code;
	return assessments_get(r);
}

/* DELETE /assessments/{id}: drafts only. */
static int assessments_delete(struct req *r)
{
	struct assess_period_row p;
	struct error e;
	int rc;

	error_init(&e);
	if (load_period(r, &p))
		return r->err.code;
	if (store_begin(r->db, 1, &e))
		return req_fail_error(r, &e);
	rc = assess_db_lock_draft(r->db, r->who->tenant_id, p.p.id, &e);
	if (!rc)
		rc = assess_db_delete(r->db, r->who->tenant_id, p.p.id, &e);
	if (!rc)
		rc = req_audit(r, r->db, "assessment.delete", "assessment", p.p.id,
		               json_pack("{s:s}", "title", p.p.title));
	if (req_tx_end(r, r->db, rc, &e))
		return r->err.code;
	return req_reply_empty(r);
}

/* POST /assessments/{id}/compute: drafts only. */
static int assessments_compute(struct req *r)
{
	struct assess_period_row p;
	struct error e;
	int rc;

	error_init(&e);
	if (load_period(r, &p))
		return r->err.code;
	if (store_begin(r->db, 1, &e))
		return req_fail_error(r, &e);
	rc = assess_period_compute(r->db, r->who->tenant_id, auth_tenant_minutes(r), &r->arena, &p,
	                           &e);
	if (!rc)
		rc = req_audit(r, r->db, "assessment.compute", "assessment", p.p.id,
		               json_pack("{s:s}", "title", p.p.title));
	if (req_tx_end(r, r->db, rc, &e))
		return r->err.code;
	return assessments_get(r);
}

/* POST /assessments/{id}/publish: the results are frozen from now on. */
static int assessments_publish(struct req *r)
{
	struct assess_period_row p;
	struct error e;
	int rc;

	error_init(&e);
	if (load_period(r, &p))
		return r->err.code;
	if (store_begin(r->db, 1, &e))
		return req_fail_error(r, &e);
	rc = assess_period_publish(r->db, r->who->tenant_id, &p, r->who->user_id, time_now_ms(),
	                           &r->arena, &e);
	if (!rc)
		rc = req_audit(r, r->db, "assessment.publish", "assessment", p.p.id,
		               json_pack("{s:s, s:i}", "title", p.p.title, "units", p.units));
	if (req_tx_end(r, r->db, rc, &e))
		return r->err.code;
	return assessments_get(r);
}

/* ---- results and adjustments ------------------------------------------------------ */

json_t *assess_files_json(struct req *r, const char *file_ids)
{
	json_t *ids = json_loads(file_ids, 0, NULL), *files = json_array(), *v;
	size_t i;

	json_array_foreach(ids, i, v)
	{
		struct file_info f;
		struct error e;

		error_init(&e);
		if (!file_get(r->db, r->who->tenant_id, json_integer_value(v), &r->arena, &f, &e))
			json_array_append_new(files, file_json(&f));
	}
	json_decref(ids);
	return files;
}

int assess_file_ids(struct req *r, json_t *body, const char **out)
{
	json_t *files = json_object_get(body, "file_ids"), *v;
	struct error e;
	size_t i;
	char *t;

	error_init(&e);
	if (files && !json_is_null(files) &&
	    (!json_is_array(files) || json_array_size(files) > ASSESS_MAX_FILES))
		return req_fail(r, ERR_INVALID, "file_ids",
		                "附件 file_ids 应为最多 %d 个编号的数组", ASSESS_MAX_FILES);
	json_array_foreach(files, i, v)
	{
		struct file_info f;

		if (!json_is_integer(v) ||
		    file_get(r->db, r->who->tenant_id, json_integer_value(v), &r->arena, &f, &e))
			return req_fail(r, ERR_INVALID, "file_ids", "附件 %zu 不存在", i + 1);
	}
	t = files && json_is_array(files) ? json_dumps(files, JSON_COMPACT) : NULL;
	*out = arena_strdup(&r->arena, t ? t : "[]");
	free(t);
	return 0;
}

static json_t *adjustment_json(struct req *r, const struct assess_adjustment *j)
{
	json_t *files = assess_files_json(r, j->file_ids);

	return json_pack("{s:I, s:I, s:s, s:f, s:s, s:o, s:I, s:s, s:I}", "id", (json_int_t)j->id,
	                 "unit_id", (json_int_t)j->unit_id, "unit_name", j->unit_name, "points",
	                 j->points, "reason", j->reason, "files", files, "approver_id",
	                 (json_int_t)j->approver_id, "approver_name", j->approver_name,
	                 "created_at", (json_int_t)j->created_at);
}

static const char *list_name(int list)
{
	return list > 0 ? "red" : list < 0 ? "black" : NULL;
}

/* GET /assessments/{id}/results: the stored rows within the caller's scope. */
static int assessments_results(struct req *r)
{
	struct assess_period_row p;
	struct assess_result *res;
	struct assess_adjustment *adj;
	struct scope s;
	struct error e;
	json_t *items;
	int i, k, n, nadj;

	if (load_period(r, &p))
		return r->err.code;
	unit_scope(r->who, "assess:view", &r->arena, &s);
	error_init(&e);
	if (assess_db_adjustments(r->db, r->who->tenant_id, p.p.id, &s, &r->arena, &adj, &nadj,
	                          &e) ||
	    assess_db_results(r->db, r->who->tenant_id, p.p.id, &s, &r->arena, &res, &n, &e))
		return req_fail_error(r, &e);
	items = json_array();
	for (i = 0; i < n; i++) {
		const struct assess_result *x = &res[i];
		const char *ln = list_name(x->list);
		json_t *adjs = json_array();

		for (k = 0; k < nadj; k++)
			if (adj[k].unit_id == x->unit_id)
				json_array_append_new(adjs, adjustment_json(r, &adj[k]));
		json_array_append_new(
		    items,
		    json_pack(
		        "{s:I, s:s, s:s, s:s, s:O, s:o, s:f, s:o, s:o, s:o, s:s, s:o, s:o}",
		        "unit_id", (json_int_t)x->unit_id, "unit_name", x->unit_name, "unit_kind",
		        x->unit_kind, "unit_kind_name", unit_kind_title(x->unit_kind), "components",
		        x->components, "adjustments", adjs, "adjust", x->adjust, "base",
		        x->rank ? json_real(assess_round2(x->total - x->adjust)) : json_null(),
		        "total", x->rank ? json_real(x->total) : json_null(), "rank",
		        x->rank ? json_integer(x->rank) : json_null(), "grade", x->grade, "list",
		        ln ? json_string(ln) : json_null(), "reason",
		        x->rank ? json_null() : json_string("各考核项均无数据，不参与排名")));
	}
	assess_results_release(res, n);
	return req_reply_json(
	    r, 200,
	    json_pack("{s:o, s:o, s:i}", "period", period_json(&p), "items", items, "total", n));
}

/* POST /assessments/{id}/adjustments {unit_id, points, reason, file_ids} */
static int assessments_adjust(struct req *r)
{
	static const char *const fields[] = {"unit_id", "points", "reason", "file_ids", NULL};
	struct assess_period_row p;
	struct assess_adjustment adj;
	struct assess_result *res;
	json_t *body, *pts;
	struct error e;
	int n, k, found = 0, rc;

	memset(&adj, 0, sizeof(adj));
	error_init(&e);
	if (req_body_json(r, &body) || load_period(r, &p))
		return r->err.code;
	if (json_only_keys(body, fields, &e) ||
	    json_get_int(body, "unit_id", JF_REQUIRED, 1, INT64_MAX, &adj.unit_id, &e) ||
	    json_get_string(body, "reason", JF_REQUIRED, 2, ASSESS_REASON_MAX, &adj.reason, &e))
		return req_fail_error(r, &e);
	pts = json_object_get(body, "points");
	if (!json_is_number(pts) || fabs(json_number_value(pts)) > ASSESS_POINTS_MAX ||
	    json_number_value(pts) == 0)
		return req_fail(r, ERR_INVALID, "points",
		                "加减分 points 应为 -%d 到 %d 之间且不为 0 的数", ASSESS_POINTS_MAX,
		                ASSESS_POINTS_MAX);
	adj.points = assess_round2(json_number_value(pts));
	if (assess_file_ids(r, body, &adj.file_ids))
		return r->err.code;
	if (assess_db_results(r->db, r->who->tenant_id, p.p.id, NULL, &r->arena, &res, &n, &e))
		return req_fail_error(r, &e);
	for (k = 0; k < n; k++)
		found |= res[k].unit_id == adj.unit_id;
	assess_results_release(res, n);
	if (!found)
		return req_fail(r, ERR_INVALID, "unit_id", "该单位不在本期考核范围内");
	adj.approver_id = r->who->user_id;
	adj.created_at = time_now_ms();
	if (store_begin(r->db, 1, &e))
		return req_fail_error(r, &e);
	rc = assess_period_adjust(r->db, r->who->tenant_id, &p, &adj, &r->arena, &e);
	if (!rc)
		rc = req_audit(r, r->db, "assessment.adjust", "assessment", p.p.id,
		               json_pack("{s:I, s:I, s:f, s:s}", "adjustment_id",
		                         (json_int_t)adj.id, "unit_id", (json_int_t)adj.unit_id,
		                         "points", adj.points, "reason", adj.reason));
	if (req_tx_end(r, r->db, rc, &e))
		return r->err.code;
	adj.unit_name = "";
	adj.approver_name = r->who->name ? r->who->name : "";
	return req_reply_json(r, 201, adjustment_json(r, &adj));
}

/* GET /assessments/{id}/export: the results as xlsx. */
static int assessments_export(struct req *r)
{
	static const char *const headers[] = {"单位类别", "排名",     "单位",     "问题整改",
	                                      "任务推进", "申报材料", "测评督查", "通知公告",
	                                      "加减分",   "总分",     "等次",     "红黑榜"};
	struct assess_period_row p;
	struct assess_result *res;
	struct sheet_writer w;
	struct scope s;
	struct error e;
	int i, k, n, rc;

	if (load_period(r, &p))
		return r->err.code;
	unit_scope(r->who, "assess:view", &r->arena, &s);
	error_init(&e);
	if (assess_db_results(r->db, r->who->tenant_id, p.p.id, &s, &r->arena, &res, &n, &e))
		return req_fail_error(r, &e);
	rc = sheet_writer_init(&w, "考核结果", headers, 12, &e);
	if (!rc)
		rc = sheet_writer_title(
		    &w,
		    arena_printf(&r->arena, "%s（%s 至 %s，%s）", p.p.title, p.from_day, p.to_day,
		                 strcmp(p.p.status, "published") ? "草稿" : "已发布"),
		    &e);
	for (i = 0; !rc && i < n; i++) {
		const struct assess_result *x = &res[i];
		const char *cells[12];
		char types[13] = "snsnnnnnnnss";

		cells[0] = unit_kind_title(x->unit_kind);
		cells[1] = x->rank ? arena_printf(&r->arena, "%d", x->rank) : "";
		cells[2] = x->unit_name;
		for (k = 0; k < AC_COUNT; k++) {
			json_t *sc =
			    json_object_get(json_object_get(x->components, comp_keys[k]), "score");

			cells[3 + k] = json_is_number(sc)
			                   ? arena_printf(&r->arena, "%.2f", json_number_value(sc))
			                   : "";
		}
		cells[8] = arena_printf(&r->arena, "%.2f", x->adjust);
		cells[9] = x->rank ? arena_printf(&r->arena, "%.2f", x->total) : "";
		cells[10] = x->grade;
		cells[11] = x->list > 0 ? "红榜" : x->list < 0 ? "黑榜" : "";
		rc = sheet_writer_row_typed(&w, types, cells, &e);
	}
	assess_results_release(res, n);
	return http_reply_export(
	    r, &w, rc, &e, "assessment.export", "assessment",
	    json_pack("{s:I, s:i}", "assessment_id", (json_int_t)p.p.id, "rows", n), "assessment",
	    p.p.title);
}

/* GET /assessments/units/{unit_id}/history?kind=month: published periods, oldest first. */
static int assessments_history(struct req *r)
{
	const char *kind = req_query(r, "kind");
	struct assess_history_row *h;
	struct accountability_action *acts;
	struct unit u;
	struct scope s;
	struct error e;
	json_t *items, *records;
	int64_t unit_id;
	int i, n, na;

	if (req_param_id(r, "unit_id", &unit_id) || !req_db(r))
		return r->err.code;
	if (kind && *kind && !assess_kind_title(kind))
		return req_fail(r, ERR_INVALID, "kind", "考核类型应为 week、month 或 year");
	unit_scope(r->who, "assess:view", &r->arena, &s);
	error_init(&e);
	if (unit_get(r->db, r->who->tenant_id, &s, unit_id, &r->arena, &u, &e))
		return req_fail_error(r, &e);
	if (assess_db_history(r->db, r->who->tenant_id, unit_id, kind && *kind ? kind : NULL,
	                      &r->arena, &h, &n, &e) ||
	    accountability_list(r->db, r->who->tenant_id, unit_id, &s, &r->arena, &acts, &na, &e))
		return req_fail_error(r, &e);
	items = json_array();
	for (i = 0; i < n; i++) {
		const char *ln = list_name(h[i].list);

		json_array_append_new(
		    items, json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:f, s:o, s:i, s:s, s:o}",
		                     "period_id", (json_int_t)h[i].period_id, "title", h[i].title,
		                     "kind", h[i].kind, "from", h[i].from_day, "to", h[i].to_day,
		                     "total", h[i].has_total ? json_real(h[i].total) : json_null(),
		                     "adjust", h[i].adjust, "rank",
		                     h[i].rank ? json_integer(h[i].rank) : json_null(), "ranked",
		                     h[i].ranked, "grade", h[i].grade, "list",
		                     ln ? json_string(ln) : json_null()));
	}
	records = json_array();
	for (i = 0; i < na; i++)
		json_array_append_new(records, json_pack("{s:I, s:s, s:s, s:s}", "id",
		                                         (json_int_t)acts[i].id, "action",
		                                         acts[i].action, "acted_on",
		                                         acts[i].acted_on, "text", acts[i].text));
	return req_reply_json(r, 200,
	                      json_pack("{s:{s:I, s:s, s:s, s:s}, s:o, s:o}", "unit", "id",
	                                (json_int_t)u.id, "name", u.name, "kind", u.kind,
	                                "kind_name", unit_kind_title(u.kind), "items", items,
	                                "accountability", records));
}

void assess_routes(struct router *rt)
{
	router_add(rt, "GET", "/api/v1/assessments/scheme", scheme_get, "assess:view", 0);
	router_add(rt, "PUT", "/api/v1/assessments/scheme", scheme_put, "assess:edit", 0);
	router_add(rt, "GET", "/api/v1/assessments", assessments_list, "assess:view", 0);
	router_add(rt, "POST", "/api/v1/assessments", assessments_create, "assess:edit", 0);
	router_add(rt, "GET", "/api/v1/assessments/units/{unit_id}/history", assessments_history,
	           "assess:view", 0);
	router_add(rt, "GET", "/api/v1/assessments/{id}", assessments_get, "assess:view", 0);
	router_add(rt, "PUT", "/api/v1/assessments/{id}", assessments_update, "assess:edit", 0);
	router_add(rt, "DELETE", "/api/v1/assessments/{id}", assessments_delete, "assess:edit", 0);
	router_add(rt, "POST", "/api/v1/assessments/{id}/compute", assessments_compute,
	           "assess:edit", 0);
	router_add(rt, "POST", "/api/v1/assessments/{id}/publish", assessments_publish,
	           "assess:edit", 0);
	router_add(rt, "GET", "/api/v1/assessments/{id}/results", assessments_results,
	           "assess:view", 0);
	router_add(rt, "POST", "/api/v1/assessments/{id}/adjustments", assessments_adjust,
	           "assess:adjust", 0);
	router_add(rt, "GET", "/api/v1/assessments/{id}/export", assessments_export, "assess:view",
	           0);
	accountability_routes(rt);
}

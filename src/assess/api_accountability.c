/*
 * api_accountability.c - /accountability (问责): the units a rule puts on
 * the list (black-listed in the last two published periods of one kind, or
 * with problems overdue longer than the scheme's days) and the actions the
 * office records for a unit (约谈, 通报批评, 责令整改 ...), which are part
 * of the unit's history.  Reading needs accountability:view, recording
 * accountability:edit.
 */
#include <stdlib.h>
#include <string.h>

#include "assess/assess_int.h"
#include "auth/auth.h"
#include "core/clock.h"
#include "http/json_io.h"
#include "http/req.h"
#include "http/router.h"
#include "org/org.h"
#include "store/store.h"

#define DAY_MS (86400LL * 1000)

static const struct {
	const char *key, *title;
} actions[] = {
    {"talk", "约谈"}, {"criticize", "通报批评"}, {"rectify", "责令整改"}, {"other", "其他"}};

static const char *action_title(const char *key)
{
	size_t i;

	for (i = 0; key && i < sizeof(actions) / sizeof(actions[0]); i++)
		if (!strcmp(actions[i].key, key))
			return actions[i].title;
	return NULL;
}

static json_t *record_json(struct req *r, const struct accountability_action *x)
{
	json_t *files = assess_files_json(r, x->file_ids);

	return json_pack(
	    "{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:I}", "id", (json_int_t)x->id,
	    "unit_id", (json_int_t)x->unit_id, "unit_name", x->unit_name, "unit_kind", x->unit_kind,
	    "action", x->action, "action_name",
	    action_title(x->action) ? action_title(x->action) : x->action, "acted_on", x->acted_on,
	    "text", x->text, "basis", x->basis, "files", files, "created_by_name",
	    x->created_by_name, "created_at", (json_int_t)x->created_at);
}

/* GET /accountability: {items: candidates, records, overdue_days} */
static int accountability_get(struct req *r)
{
	struct assess_scheme s;
	struct assess_row *rows;
	struct accountability_action *acts;
	struct scope sc;
	struct error e;
	int64_t *black, now = time_now_ms();
	const char **periods;
	json_t *items, *records;
	int i, k, n, nb, na;

	if (!req_db(r))
		return r->err.code;
	unit_scope(r->who, "accountability:view", &r->arena, &sc);
	error_init(&e);
	if (assess_scheme_load(r->db, r->who->tenant_id, &r->arena, &s, NULL, &e) ||
	    assess_units(r->db, r->who->tenant_id, &r->arena, &rows, &n, &e) ||
	    assess_overdue_long(r->db, r->who->tenant_id, now,
	                        now - (int64_t)s.overdue_days * DAY_MS, rows, n, &e) ||
	    assess_db_black_twice(r->db, r->who->tenant_id, &r->arena, &black, &periods, &nb, &e) ||
	    accountability_list(r->db, r->who->tenant_id, 0, &sc, &r->arena, &acts, &na, &e))
		return req_fail_error(r, &e);
	items = json_array();
	for (i = 0; i < n; i++) {
		json_t *reasons = json_array();
		struct unit u;
		int done = 0;

		for (k = 0; k < nb; k++)
			if (black[k] == rows[i].unit_id)
				json_array_append_new(
				    reasons, json_sprintf("连续两期列入黑榜（%s）", periods[k]));
		if (rows[i].overdue_long > 0)
			json_array_append_new(reasons,
			                      json_sprintf("%d 个问题超期 %d 天以上未整改",
			                                   rows[i].overdue_long, s.overdue_days));
		if (!json_array_size(reasons) ||
		    unit_get(r->db, r->who->tenant_id, &sc, rows[i].unit_id, &r->arena, &u, &e)) {
			json_decref(reasons);
			continue;
		}
		for (k = 0; k < na; k++)
			done += acts[k].unit_id == rows[i].unit_id;
		json_array_append_new(
		    items, json_pack("{s:I, s:s, s:s, s:s, s:o, s:i, s:i}", "unit_id",
		                     (json_int_t)rows[i].unit_id, "unit_name", rows[i].unit_name,
		                     "unit_kind", rows[i].unit_kind, "unit_kind_name",
		                     unit_kind_title(rows[i].unit_kind), "reasons", reasons,
		                     "overdue_long", rows[i].overdue_long, "actions", done));
	}
	records = json_array();
	for (i = 0; i < na; i++)
		json_array_append_new(records, record_json(r, &acts[i]));
	return req_reply_json(r, 200,
	                      json_pack("{s:o, s:o, s:i, s:i}", "items", items, "records", records,
	                                "overdue_days", s.overdue_days, "total",
	                                (int)json_array_size(items)));
}

/* POST /accountability {unit_id, action, acted_on, text, basis?, file_ids?} */
static int accountability_post(struct req *r)
{
	static const char *const fields[] = {"unit_id", "action",   "acted_on", "text",
	                                     "basis",   "file_ids", NULL};
	struct accountability_action x, *list;
	struct unit u;
	struct error e;
	json_t *body;
	int64_t ms;
	int n, rc;

	memset(&x, 0, sizeof(x));
	x.basis = "";
	error_init(&e);
	if (req_body_json(r, &body) || !req_db(r))
		return r->err.code;
	if (json_only_keys(body, fields, &e) ||
	    json_get_int(body, "unit_id", JF_REQUIRED, 1, INT64_MAX, &x.unit_id, &e) ||
	    json_get_string(body, "action", JF_REQUIRED, 1, 16, &x.action, &e) ||
	    json_get_string(body, "acted_on", JF_REQUIRED, 10, 10, &x.acted_on, &e) ||
	    json_get_string(body, "text", JF_REQUIRED, 2, 2000, &x.text, &e) ||
	    json_get_string(body, "basis", JF_NULLABLE, 0, 500, &x.basis, &e))
		return req_fail_error(r, &e);
	if (!x.basis)
		x.basis = "";
	if (!action_title(x.action))
		return req_fail(
		    r, ERR_INVALID, "action",
		    "问责方式应为 talk（约谈）、criticize（通报批评）、rectify（责令整改）或 "
		    "other（其他）");
	if (tz_parse_date(x.acted_on, 0, &ms))
		return req_fail(r, ERR_INVALID, "acted_on", "问责日期应为 YYYY-MM-DD 格式的日期");
	if (unit_get(r->db, r->who->tenant_id, NULL, x.unit_id, &r->arena, &u, &e))
		return req_fail(r, ERR_INVALID, "unit_id", "单位不存在");
	if (assess_file_ids(r, body, &x.file_ids))
		return r->err.code;
	x.created_by = r->who->user_id;
	x.created_at = time_now_ms();
	if (store_begin(r->db, 1, &e))
		return req_fail_error(r, &e);
	rc = accountability_insert(r->db, r->who->tenant_id, &x, &e);
	if (!rc)
		rc = req_audit(r, r->db, "accountability.create", "unit", x.unit_id,
		               json_pack("{s:I, s:s, s:s, s:s}", "record_id", (json_int_t)x.id,
		                         "action", x.action, "acted_on", x.acted_on, "text",
		                         x.text));
	if (req_tx_end(r, r->db, rc, &e))
		return r->err.code;
	if (accountability_list(r->db, r->who->tenant_id, x.unit_id, NULL, &r->arena, &list, &n,
	                        &e))
		return req_fail_error(r, &e);
	for (rc = 0; rc < n; rc++)
		if (list[rc].id == x.id)
			return req_reply_json(r, 201, record_json(r, &list[rc]));
	return req_fail(r, ERR_INTERNAL, NULL, NULL);
}

void accountability_routes(struct router *rt)
{
	router_add(rt, "GET", "/api/v1/accountability", accountability_get, "accountability:view",
	           0);
	router_add(rt, "POST", "/api/v1/accountability", accountability_post, "accountability:edit",
	           0);
}

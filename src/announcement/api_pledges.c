/*
 * api_pledges.c - /pledges (责任书): the office writes a year's target
 * responsibility list for chosen units or every unit of a kind; the unit
 * confirms it online; the office sees who has not.  Reading needs plan:view
 * (a unit sees its own), writing plan:edit, confirming plan:report by a user
 * of that unit.
 */
#include <stdio.h>
#include <string.h>

#include "announcement/announcement.h"
#include "announcement/announcement_api.h"
#include "app.h"
#include "auth/auth.h"
#include "core/clock.h"
#include "http/json_io.h"
#include "http/reply.h"
#include "http/req.h"
#include "http/router.h"
#include "org/org.h"
#include "plan/plan_api.h"
#include "store/store.h"

static json_t *pledge_json(const struct pledge *p)
{
	return json_pack("{s:I, s:i, s:I, s:s, s:s, s:s, s:s, s:I, s:I, s:s, s:b}", "id",
	                 (json_int_t)p->id, "year", p->year, "unit_id", (json_int_t)p->unit_id,
	                 "unit_name", p->unit_name, "unit_kind", p->unit_kind, "unit_kind_name",
	                 unit_kind_title(p->unit_kind), "items", p->items, "created_at",
	                 (json_int_t)p->created_at, "confirmed_at", (json_int_t)p->confirmed_at,
	                 "confirmed_by_name", p->confirmed_by_name, "confirmed",
	                 p->confirmed_at > 0);
}

/* This year in the caller's tenant calendar. */
static int this_year(struct req *r)
{
	char day[11];
	int y = 0;

	plan_api_today(r, day);
	sscanf(day, "%d", &y);
	return y;
}

/* GET /pledges?year= */
static int pledges_list(struct req *r)
{
	struct pledge *list;
	struct scope s;
	struct error e;
	const char *ys = req_query(r, "year");
	json_t *items;
	int i, n, year, confirmed = 0;

	error_init(&e);
	if (!req_db(r))
		return r->err.code;
	year = this_year(r);
	if (ys && *ys && (sscanf(ys, "%d", &year) != 1 || year < 2000 || year > 2100))
		return req_fail(r, ERR_INVALID, "year", "年度应在 2000 到 2100 之间");
	ann_api_scope(r, &s);
	if (pledge_list(r->db, r->who->tenant_id, &s, year, &r->arena, &list, &n, &e))
		return req_fail_error(r, &e);
	items = json_array();
	for (i = 0; i < n; i++) {
		json_t *j = pledge_json(&list[i]);

		json_object_set_new(j, "mine", json_boolean(list[i].unit_id == r->who->unit_id));
		confirmed += list[i].confirmed_at > 0;
		json_array_append_new(items, j);
	}
	return req_reply_json(r, 200,
	                      json_pack("{s:i, s:o, s:i, s:i}", "year", year, "items", items,
	                                "total", n, "confirmed", confirmed));
}

/* POST /pledges {year, unit_ids | unit_kind, items}: one 责任书 per unit. */
static int pledges_put(struct req *r)
{
	static const char *const fields[] = {"year", "unit_ids", "unit_kind", "items", NULL};
	struct pledge p;
	struct error e;
	const char *kind = NULL, *items = NULL;
	json_t *body, *ids_out;
	int64_t year = 0, *ids;
	int nids = 0, i, rc = 0;

	error_init(&e);
	if (req_body_json(r, &body) || !req_db(r))
		return r->err.code;
	if (json_only_keys(body, fields, &e) ||
	    json_get_int(body, "year", JF_REQUIRED, 2000, 2100, &year, &e) ||
	    json_get_string(body, "items", JF_REQUIRED, 1, PLEDGE_ITEMS_MAX, &items, &e) ||
	    json_get_string(body, "unit_kind", JF_NULLABLE, 1, 32, &kind, &e) ||
	    json_get_ids(body, "unit_ids", ANN_MAX_UNITS, &r->arena, &ids, &nids, &e))
		return req_fail_error(r, &e);
	if (kind) {
		struct unit *units;
		int n;

		if (!unit_kind_key(kind) || strcmp(unit_kind_key(kind), kind))
			return req_fail(r, ERR_INVALID, "unit_kind", "单位类型 %s 不存在", kind);
		if (unit_all(r->db, r->who->tenant_id, &r->arena, &units, &n, &e))
			return req_fail_error(r, &e);
		for (i = 0; i < n && nids < ANN_MAX_UNITS; i++)
			if (units[i].enabled && !strcmp(units[i].kind, kind))
				ids[nids++] = units[i].id;
	}
	if (!nids)
		return req_fail(r, ERR_INVALID, "unit_ids", "请选择单位或单位类型");
	ids_out = json_array();
	if (store_begin(r->db, 1, &e)) {
		json_decref(ids_out);
		return req_fail_error(r, &e);
	}
	for (i = 0; !rc && i < nids; i++) {
		memset(&p, 0, sizeof(p));
		p.tenant_id = r->who->tenant_id;
		p.year = (int)year;
		p.unit_id = ids[i];
		p.items = items;
		p.created_by = r->who->user_id;
		p.created_at = time_now_ms();
		rc = pledge_put(r->db, &p, &e);
		if (!rc)
			json_array_append_new(ids_out, json_integer(p.id));
	}
	if (!rc)
		rc = req_audit(r, r->db, "pledge.put", "pledge", 0,
		               json_pack("{s:I, s:i, s:O}", "year", (json_int_t)year, "units", nids,
		                         "ids", ids_out));
	if (req_tx_end(r, r->db, rc, &e)) {
		json_decref(ids_out);
		return r->err.code;
	}
	return req_reply_json(r, 201,
	                      json_pack("{s:I, s:o}", "year", (json_int_t)year, "ids", ids_out));
}

/* POST /pledges/{id}/confirm: a user of the unit confirms its 责任书. */
static int pledges_confirm(struct req *r)
{
	struct pledge p;
	struct scope s;
	struct error e;
	int64_t id;
	int rc;

	error_init(&e);
	if (req_param_id(r, "id", &id) || !req_db(r))
		return r->err.code;
	ann_api_scope(r, &s);
	if (pledge_get(r->db, r->who->tenant_id, &s, id, &r->arena, &p, &e))
		return req_fail_error(r, &e);
	if (p.unit_id != r->who->unit_id)
		return req_fail(r, ERR_FORBIDDEN, NULL, "只有本单位的用户可以确认责任书");
	if (store_begin(r->db, 1, &e))
		return req_fail_error(r, &e);
	rc = pledge_confirm(r->db, r->who->tenant_id, id, r->who->user_id, time_now_ms(), &e);
	if (!rc)
		rc = req_audit(
		    r, r->db, "pledge.confirm", "pledge", id,
		    json_pack("{s:i, s:I}", "year", p.year, "unit_id", (json_int_t)p.unit_id));
	if (req_tx_end(r, r->db, rc, &e) ||
	    pledge_get(r->db, r->who->tenant_id, &s, id, &r->arena, &p, &e))
		return r->err.code ? r->err.code : req_fail_error(r, &e);
	return req_reply_json(r, 200, pledge_json(&p));
}

void pledge_routes(struct router *rt)
{
	router_add(rt, "GET", "/api/v1/pledges", pledges_list, "plan:view", 0);
	router_add(rt, "POST", "/api/v1/pledges", pledges_put, "plan:edit", 1L << 20);
	router_add(rt, "POST", "/api/v1/pledges/{id}/confirm", pledges_confirm, "plan:report", 0);
}

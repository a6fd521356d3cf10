/*
 * api_problems.c - /problems: report a problem (numbered, routed, checked
 * for recurrence and near-duplicates), list them with filters and data
 * scope, and show one with its timeline and photos.  The transitions are in
 * api_problem_actions.c.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth/login.h"
#include "auth/auth.h"
#include "core/clock.h"
#include "files/files.h"
#include "http/json_io.h"
#include "http/reply.h"
#include "http/req.h"
#include "http/router.h"
#include "master/master.h"
#include "org/org.h"
#include "problem/problem.h"
#include "problem/problem_rules.h"
#include "settings/settings.h"
#include "store/store.h"
#include "system/tenants.h"

/* ---- shared helpers ---------------------------------------------------------- */

void problem_view_scope(struct req *r, struct scope *s)
{
	principal_scope(r->who, "problem:view", &r->arena, s);
}

/* Minutes east of UTC of the caller's tenant (Asia/Shanghai when unknown). */
int problem_api_minutes(struct req *r)
{
	return auth_tenant_minutes(r);
}

/*
 * A time in a body: milliseconds, "YYYY-MM-DD" (the end of that day in
 * China's zone, UTC+8) or ISO 8601 "YYYY-MM-DDTHH:MM[:SS][.fff][Z|±HH:MM]"
 * (UTC+8 without a zone).
 */
int problem_api_time(json_t *v, const char *field, int64_t *out, struct error *e)
{
	int y, mo, d, h = 23, mi = 59, s = 59, n = 0, off = 480, oh, om, date_only = 1;
	const char *str, *rest;
	struct tm tm;

	if (json_is_integer(v) && json_integer_value(v) > 0) {
		*out = json_integer_value(v);
		return 0;
	}
	if (!json_is_string(v))
		goto bad;
	str = json_string_value(v);
	if (strlen(str) > 40 || sscanf(str, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3 || n != 10)
		goto bad;
	rest = str + 10;
	if (*rest == 'T' || *rest == ' ') {
		date_only = 0;
		s = 0;
		n = 0;
		if (sscanf(rest + 1, "%2d:%2d%n", &h, &mi, &n) != 2 || n != 5)
			goto bad;
		rest += 1 + n;
		if (*rest == ':') {
			if (sscanf(rest + 1, "%2d%n", &s, &n) != 1 || n != 2)
				goto bad;
			rest += 3;
			if (*rest == '.')
				for (rest++; *rest >= '0' && *rest <= '9'; rest++)
					;
		}
		if (*rest == 'Z') {
			off = 0;
			rest++;
		} else if (*rest == '+' || *rest == '-') {
			if (sscanf(rest + 1, "%2d:%2d%n", &oh, &om, &n) != 2 || n != 5)
				goto bad;
			off = (*rest == '-' ? -1 : 1) * (oh * 60 + om);
			rest += 1 + n;
		}
	}
	if (*rest || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59 ||
	    y < 1970)
		goto bad;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	*out = ((int64_t)timegm(&tm) - off * 60LL) * 1000 + (date_only ? 999 : 0);
	return 0;
bad:
	return error_set(e, ERR_INVALID, field,
	                 "%s 应为毫秒时间戳、YYYY-MM-DD 日期或 ISO 8601 时间", field);
}

/* photo_ids of body into ids (at most PROBLEM_MAX_PHOTOS, distinct), at least min. */
int problem_api_photo_ids(struct req *r, json_t *body, int min, int64_t *ids, int *n)
{
	struct error e;

	error_init(&e);
	return problem_photo_ids(body, min, ids, n, &e) ? req_fail_error(r, &e) : 0;
}

int problem_api_check_photos(struct req *r, const int64_t *ids, int n)
{
	struct error e;

	error_init(&e);
	if (problem_check_photos(r->db, r->who->tenant_id, r->who, ids, n, &r->arena, &e))
		return req_fail_error(r, &e);
	return 0;
}

/* 1 when the caller's tenant lets the office act for a unit (代办). */
static int proxy_enabled(struct req *r)
{
	struct tenant_settings ts;
	struct error e;

	error_init(&e);
	return !settings_get(r->db, r->who->tenant_id, &r->arena, &ts, &e) && ts.proxy_enabled;
}

/* Reply with p in full detail, given its timeline, photos, co-units and links (taken). */
static int detail_reply_parts(struct req *r, const struct problem *p, json_t *events,
                              json_t *photos, json_t *co, json_t *links, int status)
{
	json_t *j = problem_json(p, time_now_ms()), *ph;
	size_t i;
	struct problem_caller who;
	struct scope rectify;
	int lead;

	json_array_foreach(photos, i, ph)
	    files_urls_json(ph, json_integer_value(json_object_get(ph, "file_id")));

	/* what the page offers: the unit's steps to the unit, 代办 to the office where allowed */
	memset(&who, 0, sizeof(who));
	principal_scope(r->who, "problem:rectify", &r->arena, &rectify);
	who.unit_id = r->who->unit_id;
	who.rectify = &rectify;
	lead = principal_has(r->who, "problem:rectify") && problem_actor_is_lead(&who, p);
	json_object_set_new(j, "unit_actor", json_boolean(lead));
	json_object_set_new(j, "proxy_allowed",
	                    json_boolean(!lead && p->lead_unit_id &&
	                                 principal_has(r->who, "problem:assign") &&
	                                 proxy_enabled(r)));
	json_object_set_new(j, "verify_warnings", problem_photos_warnings(photos));
	json_object_set_new(j, "co_units", co);
	json_object_set_new(j, "links", links);
	json_object_set_new(j, "events", events);
	json_object_set_new(j, "photos", photos);
	return req_reply_json(r, status, j);
}

/* Reply with problem p, as read, in full detail: timeline, photos, co-units, links. */
static int detail_reply(struct req *r, const struct problem *p, int status)
{
	json_t *events, *photos, *co, *links;
	struct scope s;
	struct error e;

	error_init(&e);
	problem_view_scope(r, &s);
	if (problem_detail_json(r->db, p, &s, &events, &photos, &co, &links, &e))
		return req_fail_error(r, &e);
	return detail_reply_parts(r, p, events, photos, co, links, status);
}

/* Reply with problem id (read without scope: the caller checked it) in full detail. */
int problem_api_detail(struct req *r, int64_t id, int status)
{
	struct problem p;
	struct error e;

	error_init(&e);
	if (problem_get(r->db, r->who->tenant_id, NULL, id, &r->arena, &p, &e))
		return req_fail_error(r, &e);
	return detail_reply(r, &p, status);
}

/* ---- report ------------------------------------------------------------------- */

/* lat and lng of body: both numbers in range, or both absent. */
static int location_fields(struct req *r, json_t *body, int *has, double *lat, double *lng)
{
	json_t *a = json_object_get(body, "lat"), *b = json_object_get(body, "lng");

	*has = 0;
	if ((!a || json_is_null(a)) && (!b || json_is_null(b)))
		return 0;
	if (!json_is_number(a) || fabs(json_number_value(a)) > 90)
		return req_fail(r, ERR_INVALID, "lat", "纬度 lat 应为 -90 到 90 之间的数");
	if (!json_is_number(b) || fabs(json_number_value(b)) > 180)
		return req_fail(r, ERR_INVALID, "lng", "经度 lng 应为 -180 到 180 之间的数");
	*lat = json_number_value(a);
	*lng = json_number_value(b);
	*has = 1;
	return 0;
}

static int report_fields(struct req *r, json_t *body, struct problem *p, int64_t *photos,
                         int *nphotos)
{
	static const char *const fields[] = {"category_id", "point_id",    "lat",      "lng",
	                                     "address",     "description", "severity", "source",
	                                     "photo_ids",   NULL};
	int64_t severity = 0;
	struct error e;

	error_init(&e);
	if (json_only_keys(body, fields, &e) ||
	    json_get_int(body, "category_id", JF_REQUIRED, 1, INT64_MAX, &p->category_id, &e) ||
	    json_get_int(body, "point_id", JF_NULLABLE, 1, INT64_MAX, &p->point_id, &e) ||
	    json_get_string(body, "address", JF_NULLABLE, 0, PROBLEM_ADDRESS_MAX, &p->address,
	                    &e) ||
	    json_get_string(body, "description", JF_REQUIRED, 1, PROBLEM_DESC_MAX, &p->description,
	                    &e) ||
	    json_get_int(body, "severity", JF_NULLABLE, 1, 3, &severity, &e) ||
	    json_get_string(body, "source", JF_REQUIRED, 1, 32, &p->source, &e))
		return req_fail_error(r, &e);
	p->severity = (int)severity;
	if (!problem_source_ok(p->source))
		return req_fail(r, ERR_INVALID, "source",
		                "问题来源应为 inspection、supervision、covert、grid、leader、"
		                "citizen 或 media");
	if (location_fields(r, body, &p->has_location, &p->lat, &p->lng))
		return r->err.code;
	if (!p->point_id && !p->has_location)
		return req_fail(r, ERR_INVALID, "point_id", "请选择点位或给出位置坐标");
	return problem_api_photo_ids(r, body, 0, photos, nphotos);
}

/* POST /problems */
static int problems_create(struct req *r)
{
	int64_t photos[PROBLEM_MAX_PHOTOS], now = time_now_ms();
	json_t *body, *similar = json_array(), *summary;
	struct problem_report rep;
	struct problem p;
	struct error e;
	int nphotos = 0, rc;

	memset(&p, 0, sizeof(p));
	p.address = "";
	p.outcome = "";
	if (req_body_json(r, &body) || report_fields(r, body, &p, photos, &nphotos) || !req_db(r)) {
		json_decref(similar);
		return r->err.code;
	}
	p.tenant_id = r->who->tenant_id;
	p.reporter_id = r->who->user_id;
	memset(&rep, 0, sizeof(rep));
	rep.p = &p;
	rep.actor_unit_id = r->who->unit_id;
	rep.photos = photos;
	rep.reader = r->who;
	rep.nphotos = nphotos;
	rep.now = now;
	rep.tz_minutes = problem_api_minutes(r);
	rep.similar = similar;
	error_init(&e);
	/* the reads first, outside the write transaction (problem.h) */
	if (problem_report_prepare(r->db, &rep, &r->arena, &e)) {
		json_decref(similar);
		return req_fail_error(r, &e);
	}
	if (store_begin(r->db, 1, &e)) {
		json_decref(similar);
		return req_fail_error(r, &e);
	}
	rc = problem_report_insert(r->db, &rep, &r->arena, &e);
	if (rc == 0) {
		summary =
		    json_pack("{s:s, s:I, s:s, s:i}", "code", p.code, "category_id",
		              (json_int_t)p.category_id, "source", p.source, "photos", nphotos);
		if (p.recurrence_of)
			json_object_set_new(summary, "recurrence_of",
			                    json_integer(p.recurrence_of));
		rc = req_audit(r, r->db, "problem.create", "problem", p.id, summary);
	}
	if (req_tx_end(r, r->db, rc, &e)) {
		json_decref(similar);
		return r->err.code;
	}
	{
		struct problem out;
		json_t *j;

		if (problem_get(r->db, p.tenant_id, NULL, p.id, &r->arena, &out, &e)) {
			json_decref(similar);
			return req_fail_error(r, &e);
		}
		j = problem_json(&out, now);
		json_object_set_new(j, "similar", similar);
		return req_reply_json(r, 201, j);
	}
}

/* ---- list, get ------------------------------------------------------------------ */

/* ",reported,closed," from "reported,closed"; ERR_INVALID naming status. */
static int status_filter(struct req *r, const char *v, const char **out)
{
	char *copy, *tok, *save = NULL;
	struct strbuf sb = STRBUF_INIT;
	enum problem_status s;

	*out = "";
	if (!v || !*v)
		return 0;
	if (strlen(v) > 200)
		return req_fail(r, ERR_INVALID, "status", "状态过多");
	copy = arena_strdup(&r->arena, v);
	strbuf_addch(&sb, ',');
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (problem_status_parse(tok, &s)) {
			strbuf_release(&sb);
			return req_fail(r, ERR_INVALID, "status", "状态 %s 不正确", tok);
		}
		strbuf_addf(&sb, "%s,", tok);
	}
	*out = arena_strdup(&r->arena, sb.buf);
	strbuf_release(&sb);
	return 0;
}

/* "[id, descendants...]" of a category of the tenant; ERR_INVALID when unknown. */
static int category_filter(struct req *r, int64_t id, const char **out)
{
	struct strbuf sb = STRBUF_INIT;
	struct error e;
	int64_t *ids;
	int n, i, rc;

	*out = NULL;
	if (!id)
		return 0;
	error_init(&e);
	rc = category_subtree_ids(r->db, r->who->tenant_id, id, &r->arena, &ids, &n, &e);
	if (rc == ERR_NOT_FOUND)
		return req_fail(r, ERR_INVALID, "category_id", "问题分类不存在");
	if (rc)
		return req_fail_error(r, &e);
	strbuf_addch(&sb, '[');
	for (i = 0; i < n; i++)
		strbuf_addf(&sb, "%s%lld", i ? "," : "", (long long)ids[i]);
	strbuf_addch(&sb, ']');
	*out = arena_strdup(&r->arena, sb.buf);
	strbuf_release(&sb);
	return 0;
}

/* from / to query arguments: ms, or a date in the tenant's zone (end of day for to). */
static int query_time(struct req *r, const char *key, int minutes, int end, int64_t *out)
{
	const char *v = req_query(r, key);

	*out = 0;
	if (!v || !*v)
		return 0;
	if (v[strspn(v, "0123456789")] == '\0' && strlen(v) <= 15) {
		*out = strtoll(v, NULL, 10);
		return 0;
	}
	if (tz_parse_date(v, minutes, out) == 0) {
		if (end)
			*out += 86400 * 1000LL - 1;
		return 0;
	}
	return req_fail(r, ERR_INVALID, key, "%s 应为毫秒时间戳或 YYYY-MM-DD 日期", key);
}

/*
 * The list's filters from the query string (status, category_id, unit_id,
 * grid_id, point_id, source, from, to, overdue, keyword) and the scope of
 * perm into f; page and size are the caller's.  ERR_INVALID naming the key.
 */
int problem_api_filter(struct req *r, const char *perm, struct problem_filter *f)
{
	const char *src = req_query(r, "source"), *kw = req_query(r, "keyword"),
	           *od = req_query(r, "overdue");
	struct scope *s = arena_alloc(&r->arena, sizeof(*s));
	int64_t category_id;
	int minutes;

	if (!req_db(r))
		return r->err.code;
	principal_scope(r->who, perm, &r->arena, s);
	f->scope = s;
	f->now = time_now_ms();
	minutes = problem_api_minutes(r);
	if (status_filter(r, req_query(r, "status"), &f->statuses) ||
	    http_query_id(r, "category_id", &category_id) ||
	    category_filter(r, category_id, &f->category_ids) ||
	    http_query_id(r, "unit_id", &f->unit_id) || http_query_id(r, "grid_id", &f->grid_id) ||
	    http_query_id(r, "point_id", &f->point_id) ||
	    http_query_id(r, "inspection_id", &f->inspection_id) ||
	    http_query_id(r, "standard_id", &f->standard_id) ||
	    query_time(r, "from", minutes, 0, &f->from) || query_time(r, "to", minutes, 1, &f->to))
		return r->err.code;
	if (src && *src) {
		if (!problem_source_ok(src))
			return req_fail(r, ERR_INVALID, "source", "问题来源不正确");
		f->source = src;
	}
	if (od && *od) {
		if (strcmp(od, "1") && strcmp(od, "true") && strcmp(od, "0") && strcmp(od, "false"))
			return req_fail(r, ERR_INVALID, "overdue", "参数 overdue 应为 1 或 0");
		f->overdue = !strcmp(od, "1") || !strcmp(od, "true");
	}
	if (kw && *kw) {
		if (strlen(kw) > 200)
			return req_fail(r, ERR_INVALID, "keyword", "关键词过长");
		f->keyword = kw;
	}
	return 0;
}

/* GET /problems */
static int problems_list(struct req *r)
{
	struct problem_filter f;
	struct problem *list;
	struct error e;
	int64_t total = 0;
	int i, n;
	json_t *items;

	memset(&f, 0, sizeof(f));
	if (req_page(r, &f.offset, &f.limit) || problem_api_filter(r, "problem:view", &f))
		return r->err.code;
	error_init(&e);
	if (problem_list(r->db, r->who->tenant_id, &f, &r->arena, &list, &n, &total, &e))
		return req_fail_error(r, &e);
	items = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(items, problem_json(&list[i], f.now));
	return req_reply_json(r, 200,
	                      json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)total));
}

/* The problem {id} of the path within the caller's view scope into *p; 404 outside it. */
int problem_api_load(struct req *r, struct problem *p)
{
	struct scope s;
	struct error e;
	int64_t id;

	if (req_param_id(r, "id", &id) || !req_db(r))
		return r->err.code;
	problem_view_scope(r, &s);
	error_init(&e);
	if (problem_get(r->db, r->who->tenant_id, &s, id, &r->arena, p, &e))
		return req_fail_error(r, &e);
	return 0;
}

/*
 * GET /problems/{id}: the problem within the caller's view scope (404
 * outside it) and its timeline, photos, co-units and links in one batch.
 */
static int problems_get(struct req *r)
{
	json_t *events, *photos, *co, *links;
	struct problem p;
	struct scope s;
	struct error e;
	int64_t id;

	if (req_param_id(r, "id", &id) || !req_db(r))
		return r->err.code;
	problem_view_scope(r, &s);
	error_init(&e);
	if (problem_get_detail(r->db, r->who->tenant_id, &s, id, &r->arena, &p, &events, &photos,
	                       &co, &links, &e))
		return req_fail_error(r, &e);
	return detail_reply_parts(r, &p, events, photos, co, links, 200);
}

/* ---- routes ---------------------------------------------------------------------- */

void problem_routes(struct router *rt)
{
	router_add(rt, "GET", "/api/v1/problems", problems_list, "problem:view", 0);
	router_add(rt, "POST", "/api/v1/problems", problems_create, "problem:report", 0);
	router_add(rt, "GET", "/api/v1/problems/{id}", problems_get, "problem:view", 0);
	problem_export_routes(rt);
	problem_link_routes(rt);
	problem_action_routes(rt);
	problem_batch_routes(rt);
	files_register_owner(&problem_file_kind);
}

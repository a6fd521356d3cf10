/*
 * api_problem_links.c - near-duplicates: GET /problems/{id}/similar offers
 * the open problems of the same category close by, POST /problems/{id}/links
 * links one (kind duplicate or related) and DELETE
 * /problems/{id}/links/{other_id} unlinks it.  A link and its removal are a
 * timeline event on both problems and one audit row, in one transaction.
 *
 * The problem in the path must be within the caller's view scope (404).  The
 * other one must be too, or else be a near-duplicate of it (same category,
 * within the tenant's recurrence distance): a reporter who sees only their own reports can
 * still link a new report to the open problem the report offered as similar.
 */
#include <math.h>
#include <string.h>

#include "auth/auth.h"
#include "core/clock.h"
#include "http/json_io.h"
#include "http/req.h"
#include "http/router.h"
#include "problem/problem.h"
#include "settings/settings.h"
#include "store/store.h"

/* The tenant's "close by" distance in metres (参数设置, the recurrence distance). */
static int near_meters(struct req *r)
{
	struct tenant_settings set;
	struct error e;

	error_init(&e);
	if (settings_get(r->db, r->who->tenant_id, &r->arena, &set, &e))
		settings_defaults(&set);
	return set.recur_distance_m;
}

/* 1 when q is a near-duplicate candidate of p: same category, both placed, close. */
static int problem_near(struct req *r, const struct problem *p, const struct problem *q)
{
	return p->category_id == q->category_id && p->has_location && q->has_location &&
	       problem_distance_m(p->lat, p->lng, q->lat, q->lng) <= near_meters(r);
}

/* A "link" or "unlink" event on p naming other, by the caller. */
static int link_event(struct req *r, const struct problem *p, const struct problem *other,
                      const char *action, const char *kind, int64_t now, struct error *e)
{
	struct problem_event ev;
	json_t *detail = json_pack("{s:I, s:s, s:s}", "other_id", (json_int_t)other->id,
	                           "other_code", other->code, "kind", kind);
	int rc;

	memset(&ev, 0, sizeof(ev));
	ev.problem_id = p->id;
	ev.action = action;
	ev.has_from = 1;
	ev.from = ev.to = p->status;
	ev.user_id = r->who->user_id;
	ev.unit_id = r->who->unit_id;
	ev.note = "";
	ev.detail = detail;
	ev.at = now;
	rc = problem_event_add(r->db, &ev, NULL, e);
	json_decref(detail);
	return rc;
}

/*
 * In the open write transaction: {id} within the view scope into *p (404),
 * other_id into *q when the caller may link to it (422 naming other_id).
 */
static int link_pair(struct req *r, int64_t id, int64_t other_id, struct problem *p,
                     struct problem *q)
{
	struct scope s;
	struct error e;
	int rc;

	problem_view_scope(r, &s);
	error_init(&e);
	if (problem_get(r->db, r->who->tenant_id, &s, id, &r->arena, p, &e))
		return req_fail_error(r, &e);
	if (other_id == id)
		return req_fail(r, ERR_INVALID, "other_id", "不能把问题与自身关联");
	rc = problem_get(r->db, r->who->tenant_id, NULL, other_id, &r->arena, q, &e);
	if (rc && rc != ERR_NOT_FOUND)
		return req_fail_error(r, &e);
	if (!rc && !problem_near(r, p, q)) {
		error_init(&e);
		rc = problem_get(r->db, r->who->tenant_id, &s, other_id, &r->arena, q, &e);
		if (rc && rc != ERR_NOT_FOUND)
			return req_fail_error(r, &e);
	}
	if (rc)
		return req_fail(r, ERR_INVALID, "other_id", "要关联的问题不存在");
	return 0;
}

/* Both events and the audit row of a link or unlink of p and q, then commit. */
static int link_finish(struct req *r, const struct problem *p, const struct problem *q,
                       const char *action, const char *kind, int64_t now, struct error *e)
{
	if (link_event(r, p, q, action, kind, now, e) || link_event(r, q, p, action, kind, now, e))
		return req_fail_error(r, e);
	return req_audit(r, r->db, arena_printf(&r->arena, "problem.%s", action), "problem", p->id,
	                 json_pack("{s:s, s:I, s:s, s:s}", "code", p->code, "other_id",
	                           (json_int_t)q->id, "other_code", q->code, "kind", kind));
}

/* POST /problems/{id}/links {"other_id", "kind"} */
static int links_create(struct req *r)
{
	static const char *const fields[] = {"other_id", "kind", NULL};
	const char *kind = NULL;
	struct problem p, q;
	struct error e;
	json_t *body;
	int64_t id, other_id, now = time_now_ms();
	int rc;

	error_init(&e);
	if (req_param_id(r, "id", &id) || req_body_json(r, &body))
		return r->err.code;
	if (json_only_keys(body, fields, &e) ||
	    json_get_int(body, "other_id", JF_REQUIRED, 1, INT64_MAX, &other_id, &e) ||
	    json_get_string(body, "kind", JF_NULLABLE, 1, 16, &kind, &e))
		return req_fail_error(r, &e);
	if (!kind || !*kind)
		kind = "duplicate";
	if (!problem_link_kind_ok(kind))
		return req_fail(r, ERR_INVALID, "kind",
		                "关联类型应为 duplicate（重复）或 related（相关）");
	if (!req_db(r))
		return r->err.code;
	if (store_begin(r->db, 1, &e))
		return req_fail_error(r, &e);
	rc = link_pair(r, id, other_id, &p, &q);
	if (rc == 0)
		rc = problem_link_add(r->db, r->who->tenant_id, p.id, q.id, kind, r->who->user_id,
		                      now, &e);
	if (rc == 0)
		rc = link_finish(r, &p, &q, "link", kind, now, &e);
	if (req_tx_end(r, r->db, rc, &e))
		return r->err.code;
	return problem_api_detail(r, id, 201);
}

/* DELETE /problems/{id}/links/{other_id} */
static int links_delete(struct req *r)
{
	struct problem p, q;
	struct error e;
	const char *kind = "";
	int64_t id, other_id, now = time_now_ms();
	int rc;

	error_init(&e);
	if (req_param_id(r, "id", &id) || req_param_id(r, "other_id", &other_id) || !req_db(r))
		return r->err.code;
	if (store_begin(r->db, 1, &e))
		return req_fail_error(r, &e);
	rc = link_pair(r, id, other_id, &p, &q);
	/* an unknown other problem is simply no link of this one */
	if (rc && r->err.code == ERR_INVALID && !strcmp(r->err.field, "other_id"))
		req_fail(r, ERR_NOT_FOUND, NULL, "这两个问题没有关联");
	if (rc == 0)
		rc =
		    problem_link_remove(r->db, r->who->tenant_id, p.id, q.id, &r->arena, &kind, &e);
	if (rc == 0)
		rc = link_finish(r, &p, &q, "unlink", kind, now, &e);
	if (req_tx_end(r, r->db, rc, &e))
		return r->err.code;
	return problem_api_detail(r, id, 200);
}

/* GET /problems/{id}/similar: open problems of its category within the tenant's recurrence
 * distance. */
static int problems_similar(struct req *r)
{
	static const struct scope everything = SCOPE_EVERYTHING;
	struct problem_near *near;
	struct problem p;
	struct error e;
	json_t *items, *links = NULL, *l;
	int64_t id;
	int i, n = 0;
	size_t k;

	if (problem_api_load(r, &p))
		return r->err.code;
	id = p.id;
	error_init(&e);
	if (p.has_location &&
	    (problem_nearby(r->db, p.tenant_id, p.category_id, p.lat, p.lng, near_meters(r),
	                    time_now_ms(), &r->arena, &near, &n, &e) ||
	     problem_links_json(r->db, p.tenant_id, id, &everything, &links, &e)))
		return req_fail_error(r, &e);
	items = json_array();
	for (i = 0; i < n; i++) {
		int linked = 0;

		if (near[i].id == id || problem_status_final(near[i].status))
			continue;
		json_array_foreach(links, k, l)
		{
			if (json_integer_value(json_object_get(l, "id")) == near[i].id)
				linked = 1;
		}
		json_array_append_new(
		    items,
		    json_pack("{s:I, s:s, s:s, s:s, s:i, s:b}", "id", (json_int_t)near[i].id,
		              "code", near[i].code, "status", problem_status_name(near[i].status),
		              "status_title", problem_status_title(near[i].status), "distance_m",
		              (int)lround(near[i].distance_m), "linked", linked));
	}
	json_decref(links);
	return req_reply_json(r, 200, json_pack("{s:o}", "items", items));
}

void problem_link_routes(struct router *rt)
{
	router_add(rt, "GET", "/api/v1/problems/{id}/similar", problems_similar, "problem:view", 0);
	router_add(rt, "POST", "/api/v1/problems/{id}/links", links_create, "problem:link", 0);
	router_add(rt, "DELETE", "/api/v1/problems/{id}/links/{other_id}", links_delete,
	           "problem:link", 0);
}

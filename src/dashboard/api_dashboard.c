/*
 * api_dashboard.c - GET /dashboard, the leaders' 驾驶舱 (docs/dashboard.md).
 * County-wide figures: the reader needs dashboard:view with scope 全部 (the
 * office and leaders); a role holding it over fewer units gets 403.  The
 * week's predicted figures are kept for the trend when they changed.
 */
#include <math.h>
#include <string.h>

#include "auth/auth.h"
#include "auth/login.h"
#include "core/clock.h"
#include "dashboard/dashboard.h"
#include "http/req.h"
#include "http/router.h"
#include "store/store.h"

/* 1 when the kept figures of week (the trend's last entry) equal predicted's. */
static int week_unchanged(json_t *trend, const char *week, json_t *predicted)
{
	static const char *const keys[] = {"total", "field", "questionnaire", "materials"};
	json_t *last = json_array_get(trend, json_array_size(trend) - 1);
	size_t k;

	if (!last || strcmp(json_string_value(json_object_get(last, "week")), week))
		return 0;
	for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
		json_t *kept = json_object_get(last, keys[k]);
		json_t *now = json_object_get(json_object_get(predicted, keys[k]), "score");

		if (json_is_number(kept) != json_is_number(now))
			return 0;
		if (json_is_number(now) &&
		    fabs(json_number_value(kept) - json_number_value(now)) > 1e-9)
			return 0;
	}
	return 1;
}

/* Commit c's transaction when rc is 0, else roll it back; rc or the commit's. */
static int tx_finish(struct store_conn *c, int rc, struct error *e)
{
	if (!rc)
		return store_commit(c, e);
	store_rollback(c);
	return rc;
}

/* Keep this week's figures and show them as the trend's last point. */
static int week_keep(struct req *r, json_t *out, int64_t now)
{
	json_t *trend = json_object_get(out, "trend"), *pred = json_object_get(out, "predicted");
	const char *week = json_string_value(json_object_get(out, "week"));
	struct error e;
	int rc;

	if (!json_is_number(json_object_get(json_object_get(pred, "total"), "score")) ||
	    week_unchanged(trend, week, pred))
		return 0;
	error_init(&e);
	rc = store_begin(r->db, 1, &e);
	if (!rc)
		rc = tx_finish(
		    r->db, dashboard_week_save(r->db, r->who->tenant_id, week, pred, now, &e), &e);
	if (rc)
		return req_fail_error(r, &e);
	if (json_array_size(trend) &&
	    !strcmp(json_string_value(
	                json_object_get(json_array_get(trend, json_array_size(trend) - 1), "week")),
	            week))
		json_array_remove(trend, json_array_size(trend) - 1);
	json_array_append_new(
	    trend,
	    json_pack("{s:s, s:O, s:O, s:O, s:O}", "week", week, "total",
	              json_object_get(json_object_get(pred, "total"), "score"), "field",
	              json_object_get(json_object_get(pred, "field"), "score"), "questionnaire",
	              json_object_get(json_object_get(pred, "questionnaire"), "score"), "materials",
	              json_object_get(json_object_get(pred, "materials"), "score")));
	return 0;
}

/* GET /dashboard */
static int dashboard_get(struct req *r)
{
	struct scope s;
	struct error e;
	json_t *out;
	int64_t now;
	int rc;

	principal_scope(r->who, "dashboard:view", &r->arena, &s);
	if (!s.all)
		return req_fail(r, ERR_FORBIDDEN, NULL, "驾驶舱仅向县级领导和创城办开放");
	if (!req_db(r))
		return r->err.code;
	now = time_now_ms();
	error_init(&e);
	rc = store_begin(r->db, 0, &e);
	if (!rc)
		rc = tx_finish(r->db,
		               dashboard_build(r->db, r->who->tenant_id, now,
		                               auth_tenant_minutes(r), &r->arena, &out, &e),
		               &e);
	if (rc)
		return req_fail_error(r, &e);
	json_object_set_new(out, "now", json_integer(now));
	if (week_keep(r, out, now)) {
		json_decref(out);
		return r->err.code;
	}
	return req_reply_json(r, 200, out);
}

void dashboard_routes(struct router *rt)
{
	router_add(rt, "GET", "/api/v1/dashboard", dashboard_get, "dashboard:view", 0);
}

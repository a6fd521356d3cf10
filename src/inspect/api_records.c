/*
 * api_records.c - /inspections/{id}/records: one record per point visited,
 * submitted idempotently (the client's key: a retry answers the stored
 * record and stores nothing twice), changed by its inspector while the
 * round is open.  Every failed item becomes a problem of the closed loop in
 * the same transaction, routed by the point like any other report.
 */
#include <string.h>

#include "auth/auth.h"
#include "core/clock.h"
#include "http/json_io.h"
#include "http/reply.h"
#include "http/req.h"
#include "http/router.h"
#include "inspect/grading.h"
#include "inspect/inspect.h"
#include "inspect/inspect_api.h"
#include "org/org.h"
#include "problem/problem.h"
#include "store/store.h"

static int record_reply(struct req *r, int64_t round_id, int64_t id, int status, int replayed)
{
	struct credit_table d;
	struct record x;
	struct error e;
	json_t *j;

	error_init(&e);
	if (inspection_settings_get(r->db, r->who->tenant_id, &d, &e) ||
	    record_get(r->db, round_id, NULL, id, &d, &r->arena, &x, &e))
		return req_fail_error(r, &e);
	j = record_json(&x, 1);
	if (replayed) {
		json_object_set_new(j, "replayed", json_true());
		r->audited = 1; /* a replay stores nothing: no audit row is owed */
	}
	return req_reply_json(r, status, j);
}

/* The round point the caller may fill in; 404 outside the scope, 403 not theirs. */
static int record_point(struct req *r, const struct scope *s, const struct round *x,
                        int64_t point_id, struct round_point *out)
{
	struct round_point_filter f;
	struct round_point *pts;
	struct error e;
	int64_t total;
	int n;

	memset(&f, 0, sizeof(f));
	f.scope = s;
	f.done = -1;
	f.point_id = point_id;
	error_init(&e);
	if (round_points(r->db, x->id, &f, &r->arena, &pts, &n, &total, &e))
		return req_fail_error(r, &e);
	if (!n)
		return req_fail(r, ERR_NOT_FOUND, "point_id", "该轮次没有这个点位");
	if (!s->all && pts[0].inspector_id != r->who->user_id)
		return req_fail(r, ERR_FORBIDDEN, "point_id", "该点位没有分配给您");
	*out = pts[0];
	return 0;
}

/* lat, lng, captured_at, note of body into x. */
static int record_fields(struct req *r, json_t *body, struct record *x)
{
	json_t *lat = json_object_get(body, "lat"), *lng = json_object_get(body, "lng");
	json_t *at = json_object_get(body, "captured_at");
	struct error e;
	int64_t now = time_now_ms();

	error_init(&e);
	x->note = "";
	if (json_get_string(body, "note", JF_NULLABLE, 0, RECORD_NOTE_MAX, &x->note, &e))
		return req_fail_error(r, &e);
	x->has_location = 0;
	if ((lat && !json_is_null(lat)) || (lng && !json_is_null(lng))) {
		if (inspect_json_number(r, body, "lat", -90, 90, &x->lat, NULL) ||
		    inspect_json_number(r, body, "lng", -180, 180, &x->lng, NULL))
			return r->err.code;
		if (!lat || json_is_null(lat) || !lng || json_is_null(lng))
			return req_fail(r, ERR_INVALID, lat && !json_is_null(lat) ? "lng" : "lat",
			                "经纬度应同时填写");
		x->has_location = 1;
	}
	x->captured_at = 0;
	if (at && !json_is_null(at)) {
		if (problem_api_time(at, "captured_at", &x->captured_at, &e))
			return req_fail_error(r, &e);
		if (x->captured_at > now + 86400 * 1000LL)
			return req_fail(r, ERR_INVALID, "captured_at", "采集时间不能晚于现在");
	}
	return 0;
}

/*
 * The rating and credit of observation o from what its standard's scheme
 * needs (grading.h): a rating for pass/fail credits; a level, a count of
 * shortfalls or a rate for a graded standard, whose credit decides the
 * rating (full credit passes; anything less fails, and makes a problem).
 * rating "na" is not applicable under any scheme; "pass" alone on a graded
 * standard means it holds in full (the top level, no shortfall, the full
 * rate), so clients that only rate still work; "fail" or "severe" alone is
 * refused there, since the scheme alone says how much credit is left.
 */
static int observation_grade(struct req *r, const struct checklist_item *it,
                             const struct credit_table *defaults, const char *rating,
                             struct observation *o, const char *prefix)
{
	static const char *const asks[] = {"rating", "level", "shortfalls", "rate"};
	static const char *const says[] = {
	    "请选择评价：pass、fail、severe 或 na", "此标准按档次评分，请选择档次",
	    "此标准按扣分评分，请填写缺少几处", "此标准按达标率评分，请填写达标率（0 到 1）"};
	struct grading_answer ans;
	struct credit_table t;
	struct grading g;
	json_t *hold;
	int ok = 1;

	grading_load(it->grading, &g, &hold);
	ans.rating = rating ? rating_parse_name(rating, &ok) : RATING_PASS;
	if (!ok || (!rating && g.kind == GRADING_CREDITS)) {
		json_decref(hold);
		return req_fail(r, ERR_INVALID, arena_printf(&r->arena, "%srating", prefix), "%s",
		                says[0]);
	}
	ans.level = *o->level ? o->level : NULL;
	ans.shortfalls = o->shortfalls;
	ans.rate = o->rate;
	checklist_credits(it, defaults, &t);
	if (g.kind != GRADING_CREDITS && rating && ans.rating == RATING_PASS && !ans.level &&
	    ans.shortfalls < 0 && ans.rate < 0) {
		json_decref(hold);
		o->rating = RATING_PASS;
		o->credit = 1;
		o->graded = 1;
		return 0;
	}
	if (grading_credit(&g, it->standard_weight, &ans, &t, &o->credit)) {
		json_decref(hold);
		return req_fail(r, ERR_INVALID,
		                arena_printf(&r->arena, "%s%s", prefix, asks[g.kind]), "%s",
		                says[g.kind]);
	}
	json_decref(hold);
	o->rating = ans.rating;
	o->graded = g.kind != GRADING_CREDITS && ans.rating != RATING_NA;
	if (o->graded)
		o->rating = o->credit >= 1 - 1e-9 ? RATING_PASS : RATING_FAIL;
	else
		o->level = "", o->shortfalls = -1, o->rate = -1;
	return 0;
}

/* observations[] of body checked against the checklist of the point's type. */
static int observations_fields(struct req *r, json_t *body, const struct round *x,
                               const struct round_point *pt, struct observation **out, int *n)
{
	static const char *const keys[] = {"item_id", "rating",     "count", "note", "photo_ids",
	                                   "level",   "shortfalls", "rate",  NULL};
	json_t *arr = json_object_get(body, "observations"), *v;
	struct checklist_item *items;
	struct observation *obs;
	struct credit_table defaults;
	struct error e;
	size_t i;
	int nitems, k;

	if (!json_is_array(arr) || !json_array_size(arr))
		return req_fail(r, ERR_INVALID, "observations", "请至少填写一个检查项");
	if (json_array_size(arr) > RECORD_MAX_OBS)
		return req_fail(r, ERR_INVALID, "observations", "检查项最多 %d 个", RECORD_MAX_OBS);
	error_init(&e);
	if (checklist_list(r->db, x->framework_id, pt->type_id, &r->arena, &items, &nitems, &e) ||
	    inspection_settings_get(r->db, r->who->tenant_id, &defaults, &e))
		return req_fail_error(r, &e);
	obs = arena_calloc(&r->arena, (json_array_size(arr) + 1) * sizeof(*obs));
	*n = 0;
	json_array_foreach(arr, i, v)
	{
		struct observation *o = &obs[*n];
		const char *rating = NULL,
		           *prefix = arena_printf(&r->arena, "observations[%d].", (int)i);
		int64_t *photos;
		int nphotos, j;

		o->count = 1;
		o->note = "";
		o->level = "";
		o->shortfalls = -1;
		o->rate = -1;
		if (!json_is_object(v))
			return req_fail(r, ERR_INVALID,
			                arena_printf(&r->arena, "observations[%d]", (int)i),
			                "应为对象");
		if (json_only_keys(v, keys, &e) ||
		    json_get_int(v, "item_id", JF_REQUIRED, 1, INT64_MAX, &o->item_id, &e) ||
		    json_get_string(v, "rating", JF_NULLABLE, 1, 10, &rating, &e) ||
		    json_get_string(v, "level", JF_NULLABLE, 1, GRADING_LEVEL_MAX, &o->level, &e) ||
		    json_get_int(v, "shortfalls", JF_NULLABLE, 0, 9999, &o->shortfalls, &e) ||
		    json_get_int(v, "count", JF_NULLABLE, 1, 9999, &o->count, &e) ||
		    json_get_string(v, "note", JF_NULLABLE, 0, RECORD_NOTE_MAX, &o->note, &e))
			return req_fail(r, e.code, arena_printf(&r->arena, "%s%s", prefix, e.field),
			                "%s", e.message);
		if (!o->level)
			o->level = "";
		if (json_object_get(v, "rate") && !json_is_null(json_object_get(v, "rate"))) {
			json_t *rv = json_object_get(v, "rate");

			if (!json_is_number(rv) || json_number_value(rv) < 0 ||
			    json_number_value(rv) > 1)
				return req_fail(r, ERR_INVALID,
				                arena_printf(&r->arena, "%srate", prefix),
				                "达标率应为 0 到 1 之间的数");
			o->rate = json_number_value(rv);
		}
		for (k = 0; k < nitems && items[k].id != o->item_id; k++)
			;
		if (k == nitems)
			return req_fail(
			    r, ERR_INVALID, arena_printf(&r->arena, "%sitem_id", prefix),
			    "检查项 %lld 不属于“%s”的检查表", (long long)o->item_id, pt->type_name);
		if (observation_grade(r, &items[k], &defaults, rating, o, prefix))
			return r->err.code;
		for (j = 0; j < *n; j++)
			if (obs[j].item_id == o->item_id)
				return req_fail(r, ERR_INVALID,
				                arena_printf(&r->arena, "%sitem_id", prefix),
				                "检查项重复");
		o->standard_id = items[k].standard_id;
		o->category_id = items[k].category_id;
		o->item_title = items[k].title;
		if (inspect_json_ids(r, v, "photo_ids", OBS_MAX_PHOTOS, &photos, &nphotos))
			return req_fail(r, r->err.code,
			                arena_printf(&r->arena, "%sphoto_ids", prefix), "%s",
			                r->err.message);
		if (problem_check_photos(r->db, r->who->tenant_id, r->who, photos, nphotos,
		                         &r->arena, &e))
			return req_fail(r, e.code, arena_printf(&r->arena, "%sphoto_ids", prefix),
			                "%s", e.message);
		if (nphotos)
			memcpy(o->photos, photos, (size_t)nphotos * sizeof(int64_t));
		o->nphotos = nphotos;
		(*n)++;
	}
	*out = obs;
	return 0;
}

/* A problem for failed observation o of record x at point pt; in the open transaction. */
static int observation_problem(struct req *r, const struct round *x, const struct record *rec,
                               const struct round_point *pt, struct observation *o)
{
	struct error e;
	json_t *summary;

	error_init(&e);
	if (record_observation_problem(r->db, r->who->tenant_id, x, rec, pt, o, r->who->unit_id,
	                               problem_api_minutes(r), &r->arena, &summary, &e))
		return req_fail_error(r, &e);
	return req_audit(r, r->db, "problem.create", "problem", o->problem_id, summary);
}

/*
 * Write the observations of record rec (its row already stored); a failed
 * item keeps the problem in keep[] (same item, still failed) or gets a new one.
 */
static int observations_write(struct req *r, const struct round *x, const struct record *rec,
                              const struct round_point *pt, struct observation *obs, int n,
                              const struct observation *old, int nold, int *created)
{
	struct error e;
	int i, k;

	error_init(&e);
	*created = 0;
	for (i = 0; i < n; i++) {
		struct observation *o = &obs[i];
		int failed = o->rating == RATING_FAIL || o->rating == RATING_SEVERE;

		o->problem_id = 0;
		for (k = 0; failed && k < nold; k++)
			if (old[k].item_id == o->item_id && old[k].problem_id &&
			    (old[k].rating == RATING_FAIL || old[k].rating == RATING_SEVERE))
				o->problem_id = old[k].problem_id;
		if (observation_insert(r->db, x->id, rec->id, o, i, &e))
			return req_fail_error(r, &e);
		if (failed && !o->problem_id) {
			if (observation_problem(r, x, rec, pt, o))
				return r->err.code;
			(*created)++;
		}
	}
	return 0;
}

/* The open round for a change; 409 once closed. */
static int round_open(struct req *r, const struct round *x)
{
	if (strcmp(x->status, "open"))
		return req_fail(r, ERR_CONFLICT, NULL, "测评轮次已结束，不能再提交或修改记录");
	return 0;
}

/* POST /inspections/{id}/records */
static int records_create(struct req *r)
{
	struct round_point pt;
	struct observation *obs;
	struct record rec;
	struct round x;
	struct scope s;
	struct error e;
	json_t *body;
	const char *key = NULL;
	int64_t existing = 0, owner = 0, at_point = 0;
	int nobs, created = 0, rc;

	if (inspect_round_param(r, &s, &x) || req_body_json(r, &body) ||
	    http_idempotency_key(r, body, &key))
		return r->err.code;
	error_init(&e);
	/* the write lock first: a concurrent retry waits here and then sees this record */
	if (store_begin(r->db, 1, &e))
		return req_fail_error(r, &e);
	if ((rc = record_by_key(r->db, x.id, key, &existing, &owner, &e)))
		return req_tx_end(r, r->db, rc, &e);
	if (existing) {
		store_rollback(r->db);
		if (owner != r->who->user_id)
			return req_fail(r, ERR_CONFLICT, "client_key",
			                "该 client_key 已被其他用户使用");
		return record_reply(r, x.id, existing, 200, 1);
	}
	{
		static const char *const keys[] = {"client_key",  "point_id", "lat",          "lng",
		                                   "captured_at", "note",     "observations", NULL};
		int64_t point_id = 0;

		if ((rc = json_only_keys(body, keys, &e)) ||
		    (rc = json_get_int(body, "point_id", JF_REQUIRED, 1, INT64_MAX, &point_id, &e)))
			return req_tx_end(r, r->db, rc, &e);
		if (round_open(r, &x) || record_point(r, &s, &x, point_id, &pt))
			return req_tx_end(r, r->db, r->err.code, &e);
	}
	if ((rc = record_by_point(r->db, x.id, pt.point_id, &at_point, &e)))
		return req_tx_end(r, r->db, rc, &e);
	if (at_point)
		return req_tx_end(
		    r, r->db,
		    req_fail(r, ERR_CONFLICT, "point_id", "该点位已提交记录，请修改原记录"), &e);
	memset(&rec, 0, sizeof(rec));
	if (record_fields(r, body, &rec) || observations_fields(r, body, &x, &pt, &obs, &nobs))
		return req_tx_end(r, r->db, r->err.code, &e);
	rec.inspection_id = x.id;
	rec.point_id = pt.point_id;
	rec.inspector_id = r->who->user_id;
	rec.client_key = key;
	rec.submitted_at = rec.updated_at = time_now_ms();
	rc = record_insert(r->db, &rec, &e);
	if (rc == ERR_CONFLICT) {
		/* the unique index caught a retry that raced past the lookup */
		store_rollback(r->db);
		if (record_by_key(r->db, x.id, key, &existing, &owner, &e))
			return req_fail_error(r, &e);
		if (existing && owner == r->who->user_id)
			return record_reply(r, x.id, existing, 200, 1);
		return req_fail(r, ERR_CONFLICT, "point_id", "该点位已提交记录，请修改原记录");
	}
	if (rc == 0)
		rc = observations_write(r, &x, &rec, &pt, obs, nobs, NULL, 0, &created);
	if (rc == 0)
		rc = req_audit(r, r->db, "inspection_record.create", "inspection_record", rec.id,
		               json_pack("{s:I, s:I, s:s, s:i, s:i}", "inspection_id",
		                         (json_int_t)x.id, "point_id", (json_int_t)pt.point_id,
		                         "client_key", key, "observations", nobs, "problems",
		                         created));
	if (req_tx_end(r, r->db, rc, &e))
		return r->err.code;
	return record_reply(r, x.id, rec.id, 201, 0);
}

/* PUT /inspections/{id}/records/{rid} */
static int records_update(struct req *r)
{
	static const char *const keys[] = {"lat",  "lng",          "captured_at",
	                                   "note", "observations", NULL};
	struct round_point_filter f;
	struct round_point *pts;
	struct observation *obs;
	struct credit_table d;
	struct record old, rec;
	struct round x;
	struct scope s;
	struct error e;
	json_t *body;
	int64_t id, total;
	int nobs, n, created = 0, rc;

	if (inspect_round_param(r, &s, &x) || req_param_id(r, "rid", &id) ||
	    req_body_json(r, &body))
		return r->err.code;
	error_init(&e);
	if (json_only_keys(body, keys, &e))
		return req_fail_error(r, &e);
	if (store_begin(r->db, 1, &e))
		return req_fail_error(r, &e);
	if ((rc = inspection_settings_get(r->db, r->who->tenant_id, &d, &e)) ||
	    (rc = record_get(r->db, x.id, &s, id, &d, &r->arena, &old, &e)))
		return req_tx_end(r, r->db, rc, &e);
	if (round_open(r, &x))
		return req_tx_end(r, r->db, r->err.code, &e);
	if (!s.all && old.inspector_id != r->who->user_id)
		return req_tx_end(
		    r, r->db, req_fail(r, ERR_FORBIDDEN, NULL, "只有提交记录的督查员可以修改"), &e);
	memset(&f, 0, sizeof(f));
	f.done = -1;
	f.point_id = old.point_id;
	if ((rc = round_points(r->db, x.id, &f, &r->arena, &pts, &n, &total, &e)))
		return req_tx_end(r, r->db, rc, &e);
	if (!n)
		return req_tx_end(r, r->db, req_fail(r, ERR_NOT_FOUND, NULL, "测评记录不存在"), &e);
	rec = old;
	if (record_fields(r, body, &rec) || observations_fields(r, body, &x, &pts[0], &obs, &nobs))
		return req_tx_end(r, r->db, r->err.code, &e);
	rec.updated_at = time_now_ms();
	rc = record_update(r->db, &rec, &e);
	if (rc == 0)
		rc = record_clear(r->db, rec.id, &e);
	if (rc == 0)
		rc = observations_write(r, &x, &rec, &pts[0], obs, nobs, old.obs, old.nobs,
		                        &created);
	if (rc == 0)
		rc = req_audit(r, r->db, "inspection_record.update", "inspection_record", rec.id,
		               json_pack("{s:I, s:I, s:i, s:i}", "inspection_id", (json_int_t)x.id,
		                         "point_id", (json_int_t)rec.point_id, "observations", nobs,
		                         "problems", created));
	if (req_tx_end(r, r->db, rc, &e))
		return r->err.code;
	return record_reply(r, x.id, rec.id, 200, 0);
}

static int records_list(struct req *r)
{
	struct record_filter f;
	struct credit_table d;
	struct record *list;
	struct round x;
	struct scope s;
	struct error e;
	int64_t total = 0;
	json_t *items;
	int i, n;

	memset(&f, 0, sizeof(f));
	if (inspect_round_param(r, &s, &x) || req_page(r, &f.offset, &f.limit) ||
	    http_query_id(r, "point_id", &f.point_id) ||
	    http_query_id(r, "inspector_id", &f.inspector_id))
		return r->err.code;
	f.scope = &s;
	error_init(&e);
	if (inspection_settings_get(r->db, r->who->tenant_id, &d, &e) ||
	    record_list(r->db, x.id, &f, &d, &r->arena, &list, &n, &total, &e))
		return req_fail_error(r, &e);
	items = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(items, record_json(&list[i], 0));
	return req_reply_json(r, 200,
	                      json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)total));
}

static int records_get(struct req *r)
{
	struct credit_table d;
	struct record rec;
	struct round x;
	struct scope s;
	struct error e;
	int64_t id;

	if (inspect_round_param(r, &s, &x) || req_param_id(r, "rid", &id))
		return r->err.code;
	error_init(&e);
	if (inspection_settings_get(r->db, r->who->tenant_id, &d, &e) ||
	    record_get(r->db, x.id, &s, id, &d, &r->arena, &rec, &e))
		return req_fail_error(r, &e);
	return req_reply_json(r, 200, record_json(&rec, 1));
}

void record_routes(struct router *rt)
{
	router_add(rt, "GET", "/api/v1/inspections/{id}/records", records_list,
	           "inspection:round:view", 0);
	router_add(rt, "POST", "/api/v1/inspections/{id}/records", records_create,
	           "inspection:record:submit", 0);
	router_add(rt, "GET", "/api/v1/inspections/{id}/records/{rid}", records_get,
	           "inspection:round:view", 0);
	router_add(rt, "PUT", "/api/v1/inspections/{id}/records/{rid}", records_update,
	           "inspection:record:submit", 0);
}

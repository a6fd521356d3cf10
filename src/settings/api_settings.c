/*
 * api_settings.c - GET/PUT /settings: the caller's tenant settings
 * (settings.h).  A PUT replaces every field at once, audited with what
 * changed.
 */
#include <string.h>

#include "auth/auth.h"
#include "core/clock.h"
#include "http/req.h"
#include "http/router.h"
#include "http/json_io.h"
#include "settings/settings.h"
#include "store/store.h"
#include "system/tenants.h"

/* The settings with the defaults beside them, for the page's 恢复默认. */
static int settings_reply(struct req *r, const struct tenant_settings *s)
{
	struct tenant_settings d;
	json_t *j = settings_json(s), *dj;

	settings_defaults(&d);
	dj = settings_json(&d);
	json_object_del(dj, "updated_at");
	json_object_del(dj, "updated_by_name");
	json_object_set_new(j, "defaults", dj);
	return req_reply_json(r, 200, j);
}

/* GET /settings */
static int settings_show(struct req *r)
{
	struct tenant_settings s;
	struct error e;

	if (!req_db(r))
		return r->err.code;
	error_init(&e);
	if (settings_get(r->db, r->who->tenant_id, &r->arena, &s, &e))
		return req_fail_error(r, &e);
	return settings_reply(r, &s);
}

/* {"key": [old, new]} for each field that changed. */
static json_t *settings_changes(const struct tenant_settings *from,
                                const struct tenant_settings *to)
{
	json_t *a = settings_json(from), *b = settings_json(to), *out = json_object(), *v;
	const char *key;

	json_object_foreach(b, key, v)
	{
		json_t *old = json_object_get(a, key);

		if (strcmp(key, "updated_at") && strcmp(key, "updated_by_name") &&
		    !json_equal(old, v))
			json_object_set_new(out, key, json_pack("[O, O]", old, v));
	}
	json_decref(a);
	json_decref(b);
	return out;
}

/* PUT /settings */
static int settings_update(struct req *r)
{
	struct tenant_settings old, s;
	struct error e;
	json_t *body;
	int rc;

	error_init(&e);
	if (req_body_json(r, &body))
		return r->err.code;
	if (!req_db(r))
		return r->err.code;
	rc = store_begin(r->db, 1, &e);
	if (rc)
		return req_fail_error(r, &e);
	rc = settings_get(r->db, r->who->tenant_id, &r->arena, &old, &e);
	if (!rc)
		rc = settings_from_json(body, &old, &s, &e);
	if (!rc)
		rc = settings_put(r->db, r->who->tenant_id, &s, r->who->user_id, time_now_ms(), &e);
	if (!rc)
		rc = req_audit(r, r->db, "settings.update", "tenant", r->who->tenant_id,
		               settings_changes(&old, &s));
	if (req_tx_end(r, r->db, rc, &e))
		return r->err.code;
	if (settings_get(r->db, r->who->tenant_id, &r->arena, &s, &e))
		return req_fail_error(r, &e);
	return settings_reply(r, &s);
}

/*
 * PUT /settings/eval-date {"eval_date": "YYYY-MM-DD" | null}: the office sets
 * the 测评日期 the home page counts down to (the platform admin's tenant page
 * sets the same field).  Audited with the old and the new date.
 */
static int eval_date_update(struct req *r)
{
	static const char *const fields[] = {"eval_date", NULL};
	char old[16] = "";
	const char *date = NULL;
	struct error e;
	json_t *body, *v;
	int64_t ms;
	int rc;

	error_init(&e);
	if (req_body_json(r, &body))
		return r->err.code;
	if (json_only_keys(body, fields, &e))
		return req_fail_error(r, &e);
	v = json_object_get(body, "eval_date");
	if (!v)
		return req_fail(r, ERR_INVALID, "eval_date", "请填写测评日期");
	if (json_is_string(v) && *json_string_value(v)) {
		date = json_string_value(v);
		if (strlen(date) != 10 || tz_parse_date(date, 0, &ms))
			return req_fail(r, ERR_INVALID, "eval_date", "测评日期应为 YYYY-MM-DD");
	} else if (!json_is_null(v) && !(json_is_string(v) && !*json_string_value(v))) {
		return req_fail(r, ERR_INVALID, "eval_date", "测评日期应为 YYYY-MM-DD 或 null");
	}
	if (!req_db(r))
		return r->err.code;
	rc = store_begin(r->db, 1, &e);
	if (rc)
		return req_fail_error(r, &e);
	rc = tenant_eval_date(r->db, r->who->tenant_id, old, &e);
	if (!rc)
		rc = tenant_eval_date_set(r->db, r->who->tenant_id, date, &e);
	if (!rc)
		rc = req_audit(r, r->db, "settings.eval_date", "tenant", r->who->tenant_id,
		               json_pack("{s:[s?,s?]}", "eval_date", *old ? old : NULL, date));
	if (req_tx_end(r, r->db, rc, &e))
		return r->err.code;
	return req_reply_json(r, 200, json_pack("{s:s?}", "eval_date", date));
}

void settings_routes(struct router *rt)
{
	router_add(rt, "PUT", "/api/v1/settings/eval-date", eval_date_update, "system:setting:edit",
	           0);
	router_add(rt, "GET", "/api/v1/settings", settings_show, "system:setting:view", 0);
	router_add(rt, "PUT", "/api/v1/settings", settings_update, "system:setting:edit", 0);
}

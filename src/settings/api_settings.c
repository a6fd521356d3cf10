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
#include "settings/settings.h"
#include "store/store.h"

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

void settings_routes(struct router *rt)
{
	router_add(rt, "GET", "/api/v1/settings", settings_show, "system:setting:view", 0);
	router_add(rt, "PUT", "/api/v1/settings", settings_update, "system:setting:edit", 0);
}

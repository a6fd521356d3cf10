/* auth_http.c - session, CSRF and permission checks for every request. */
#include "auth/auth_http.h"

#include <sodium.h>
#include <string.h>

#include "app.h"
#include "auth/auth.h"
#include "auth/login.h"
#include "core/clock.h"
#include "core/log.h"
#include "http/req.h"

void auth_actor(struct req *r, int64_t *tenant_id, int64_t *user_id, const char **username)
{
	*tenant_id = r->who ? r->who->tenant_id : 0;
	*user_id = r->who ? r->who->user_id : 0;
	*username = r->who ? r->who->username : "";
}

/* Record a refused request in its own transaction; a failure here is only logged. */
static void audit_denied(struct req *r, struct store_conn *c, const char *why, const char *perm)
{
	struct req_audit_row a;
	struct error e;
	json_t *summary = json_pack("{s:s, s:s, s:s, s:s}", "method", r->method, "path", r->path,
	                            "reason", why, "permission", perm ? perm : "");
	char *text = json_dumps(summary, JSON_COMPACT | JSON_SORT_KEYS);

	memset(&a, 0, sizeof(a));
	a.tenant_id = r->who ? r->who->tenant_id : 0;
	a.user_id = r->who ? r->who->user_id : 0;
	a.username = r->who ? r->who->username : "";
	a.ip = r->ip;
	a.action = "access.denied";
	a.summary = text;
	a.result = "denied";
	a.request_id = r->id;
	error_init(&e);
	if (req_audit_write(c, &a, 1, &e))
		log_error("req %s: cannot audit a denial: %s", r->id, e.message);
	free(text);
	json_decref(summary);
}

int auth_authorize(struct req *r)
{
	const struct route *route = r->match.route;
	struct auth_settings settings = {r->app->cfg.session_idle, r->app->cfg.session_absolute};
	struct store_conn *c;
	struct error e;
	const char *csrf;

	r->token = req_cookie(r, SESSION_COOKIE);
	if (route->perm == ROUTE_PUBLIC)
		return 0;
	if (!r->token)
		return req_fail(r, ERR_UNAUTHORIZED, NULL, NULL);
	c = req_db(r);
	if (!c)
		return r->err.code;
	error_init(&e);
	if (auth_session_load(c, r->token, &settings, &r->arena, &r->who, &e))
		return req_fail_error(r, &e);
	if (req_is_mutating(r->method)) {
		csrf = req_header(r, "X-CSRF-Token");
		if (!csrf || strlen(csrf) != strlen(r->who->csrf) ||
		    sodium_memcmp(csrf, r->who->csrf, strlen(csrf)) != 0) {
			audit_denied(r, c, "csrf", route->perm);
			return req_fail(r, ERR_CSRF, NULL, NULL);
		}
	}
	if (route->perm[0] && !principal_has(r->who, route->perm)) {
		audit_denied(r, c, "permission", route->perm);
		return req_fail(r, ERR_FORBIDDEN, NULL, NULL);
	}
	return 0;
}

int auth_tenant_minutes(struct req *r)
{
	char tz[64] = "Asia/Shanghai"; /* TENANT_DEFAULT_TZ */
	struct error e;
	int minutes = 480;

	error_init(&e);
	if (req_db(r) && r->who && !tenant_timezone(r->db, r->who->tenant_id, tz, &e))
		tz_supported(tz, &minutes);
	return minutes;
}

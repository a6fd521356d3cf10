/*
 * api_auth.c - login, logout and the own account: /auth/login, /auth/logout,
 * /me, /me/password.
 */
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "auth/auth.h"
#include "auth/auth_http.h"
#include "auth/login.h"
#include "auth/password.h"
#include "core/log.h"
#include "http/json_io.h"
#include "http/req.h"
#include "store/store.h"

/*
 * Verifying against this when the username is unknown makes a failed login
 * take as long either way, so timing does not reveal which accounts exist.
 */
static char dummy_hash[PASSWORD_HASH_MAX];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void dummy_init(void)
{
	char pw[33];

	password_generate(pw, 32);
	if (password_hash(pw, dummy_hash, NULL))
		dummy_hash[0] = '\0';
}

static const char *cookie_attrs(struct req *r)
{
	return r->app->cfg.https ? "; Path=/; HttpOnly; SameSite=Lax; Secure"
	                         : "; Path=/; HttpOnly; SameSite=Lax";
}

static void audit_auth(struct req *r, struct store_conn *c, int64_t tenant_id, int64_t user_id,
                       const char *username, const char *action, const char *result,
                       json_t *summary)
{
	struct req_audit_row a;
	struct error e;
	char *text = summary ? json_dumps(summary, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	char name[4 * 64 + 1]; /* a login name is at most 64 characters */

	memset(&a, 0, sizeof(a));
	a.tenant_id = tenant_id;
	a.user_id = user_id;
	/* what a client typed: CR, LF and other controls escaped ("\\r"), never raw */
	a.username = log_escape(name, sizeof(name), username);
	a.ip = r->ip;
	a.action = action;
	a.object_type = "user";
	a.summary = text ? text : "{}";
	a.result = result;
	a.request_id = r->id;
	error_init(&e);
	if (req_audit_write(c, &a, 1, &e))
		log_error("req %s: cannot audit %s: %s", r->id, action, e.message);
	free(text);
	json_decref(summary);
}

/* The permission keys of p as a JSON array. */
static json_t *perm_list(const struct principal *p)
{
	json_t *list = json_array();
	int i;

	for (i = 0; i < perm_count(); i++)
		if (principal_has(p, perm_at(i)->key))
			json_array_append_new(list, json_string(perm_at(i)->key));
	return list;
}

/* GET /me and the login answer share this shape (docs/accounts.md). */
static int me_json(struct req *r, struct store_conn *c, const struct principal *p, json_t **out)
{
	json_t *tenant = NULL, *unit = NULL, *roles = json_array();
	struct permset county;
	char phone[64] = "";
	struct error e;
	int i;

	error_init(&e);
	if (login_tenant_json(c, p->tenant_id, &tenant, &e) ||
	    login_unit_json(c, p->tenant_id, p->unit_id, &unit, &e) ||
	    user_phone(c, p->user_id, phone, &e)) {
		json_decref(tenant);
		json_decref(unit);
		json_decref(roles);
		return req_fail_error(r, &e);
	}
	memset(&county, 0, sizeof(county));
	for (i = 0; i < p->nroles; i++) {
		json_array_append_new(roles, json_string(p->roles[i].key));
		if (p->roles[i].scope == SCOPE_ALL)
			permset_union(&county, &p->roles[i].perms);
	}
	*out = json_pack("{s:I, s:s, s:s, s:s, s:o, s:o, s:o, s:b, s:o, s:o, s:s, s:I}", "id",
	                 (json_int_t)p->user_id, "username", p->username, "name", p->name, "phone",
	                 phone, "tenant", tenant, "unit", unit, "roles", roles, "is_platform_admin",
	                 p->is_platform_admin, "permissions", perm_list(p), "menu",
	                 menu_json(&p->perms, &county, p->is_platform_admin), "csrf_token", p->csrf,
	                 "session_expires_at", (json_int_t)p->expires_at);
	return 0;
}

/* The audit rows of one key's attempt: the delay beginning, a lock, an unlock. */
static void throttle_audit(struct req *r, struct store_conn *c, const struct login_user *u,
                           const char *username, const struct throttle_key *k, const char *what)
{
	if (k->lock_ended)
		audit_auth(r, c, u->tenant_id, u->id, username, "auth.unlock", "ok",
		           json_pack("{s:s, s:I}", "key", what, "refused", (json_int_t)k->refused));
	if (k->throttle_started)
		audit_auth(r, c, u->tenant_id, u->id, username, "auth.throttle", "denied",
		           json_pack("{s:s, s:I, s:I}", "key", what, "failures",
		                     (json_int_t)k->failures, "retry_after",
		                     (json_int_t)k->retry_after));
	if (k->locked_now)
		audit_auth(r, c, u->tenant_id, u->id, username, "auth.lock", "ok",
		           json_pack("{s:s, s:i, s:I, s:I}", "key", what, "minutes", 15, "failures",
		                     (json_int_t)k->failures, "refused", (json_int_t)k->refused));
}

static int throttled(struct req *r, int64_t retry_after, int locked)
{
	int rc = req_fail(r, ERR_RATE_LIMITED, NULL,
	                  locked ? "登录失败次数过多，账号或地址已锁定，请在 %lld 分钟后再试"
	                         : "登录尝试过于频繁，请在 %lld 秒后再试",
	                  locked ? (long long)(retry_after + 59) / 60 : (long long)retry_after);

	r->err.retry_after = (long)retry_after;
	return rc;
}

/* POST /auth/login {"username","password"} */
static int auth_login(struct req *r)
{
	static const char *const fields[] = {"username", "password", NULL};
	struct auth_settings settings = {r->app->cfg.session_idle, r->app->cfg.session_absolute};
	const char *username = NULL, *password = NULL;
	char ukey[160], ikey[96], token[AUTH_TOKEN_LEN + 1], csrf[AUTH_TOKEN_LEN + 1];
	struct login_user u;
	struct principal *p = NULL;
	struct store_conn *c;
	struct throttle_key tu, ti;
	int64_t expires = 0, session_id = 0;
	int ok, rc;
	json_t *body, *me = NULL;
	struct error e;

	if (req_body_json(r, &body))
		return r->err.code;
	error_init(&e);
	if (json_only_keys(body, fields, &e) ||
	    json_get_string(body, "username", JF_REQUIRED, 1, 64, &username, &e) ||
	    json_get_string(body, "password", JF_REQUIRED, 1, PASSWORD_MAX_CHARS, &password, &e))
		return req_fail_error(r, &e);
	c = req_db(r);
	if (!c)
		return r->err.code;
	snprintf(ukey, sizeof(ukey), "u:%s", username);
	snprintf(ikey, sizeof(ikey), "ip:%s", r->ip);

	/* Known first, so even throttled attempts are audited under their tenant. */
	rc = user_login_lookup(c, username, &u, &e);
	if (rc && rc != ERR_NOT_FOUND)
		return req_fail_error(r, &e);
	if (rc)
		memset(&u, 0, sizeof(u));
	error_init(&e);
	if (throttle_attempt(c, ukey, ikey, &tu, &ti, &e))
		return req_fail_error(r, &e);
	/*
	 * The audit log records the throttle as it starts, each lock and each
	 * unlock, with counts; the attempts refused in between are only counted
	 * (login_throttle.refused), so a flood cannot fill the disk.
	 */
	throttle_audit(r, c, &u, username, &tu, "account");
	throttle_audit(r, c, &u, username, &ti, "address");
	if (tu.verdict != THROTTLE_OK || ti.verdict != THROTTLE_OK) {
		int locked = tu.verdict == THROTTLE_LOCKED || ti.verdict == THROTTLE_LOCKED;
		int64_t retry = tu.retry_after > ti.retry_after ? tu.retry_after : ti.retry_after;

		return throttled(r, retry, locked);
	}

	pthread_once(&dummy_once, dummy_init);
	ok = password_verify(u.id ? u.password_hash : dummy_hash, password) && u.id && u.enabled;
	if (!ok) {
		if (throttle_failed(c, ikey, &ti, &e))
			return req_fail_error(r, &e);
		audit_auth(r, c, u.tenant_id, u.id, username, "auth.login", "failed",
		           json_pack("{s:s}", "reason",
		                     !u.id ? "unknown user"
		                           : (u.enabled ? "wrong password" : "disabled")));
		throttle_audit(r, c, &u, username, &ti, "address");
		return req_fail(r, ERR_UNAUTHORIZED, NULL, "用户名或密码错误");
	}

	/* One transaction: the old token dies, the new session and its audit row are born. */
	if (store_begin(c, 1, &e))
		return req_fail_error(r, &e);
	rc = auth_session_revoke_token(c, r->token, "relogin", &e);
	if (!rc)
		rc = auth_session_create(c, u.id, u.tenant_id, r->ip, req_header(r, "User-Agent"),
		                         &settings, token, csrf, &expires, &session_id, &e);
	if (!rc)
		rc = user_touch_login(c, u.id, r->ip, &e);
	if (!rc)
		rc = throttle_clear(c, ukey, &e);
	if (!rc) {
		struct req_audit_row a;

		memset(&a, 0, sizeof(a));
		a.tenant_id = u.tenant_id;
		a.user_id = u.id;
		a.username = username;
		a.ip = r->ip;
		a.action = "auth.login";
		a.object_type = "user";
		a.summary = "{}";
		a.result = "ok";
		a.request_id = r->id;
		rc = req_audit_write(c, &a, 0, &e);
	}
	if ((rc = req_tx_end(r, c, rc, &e)))
		return rc;
	r->audited = 1;
	if (auth_session_load(c, token, &settings, &r->arena, &p, &e))
		return req_fail_error(r, &e);
	r->who = p;
	if (me_json(r, c, p, &me))
		return r->err.code;
	req_add_header(r, "Set-Cookie",
	               arena_printf(&r->arena, "%s=%s%s", SESSION_COOKIE, token, cookie_attrs(r)));
	sodium_memzero(token, sizeof(token));
	return req_reply_json(r, 200, json_pack("{s:o}", "user", me));
}

/* POST /auth/logout */
static int auth_logout(struct req *r)
{
	struct store_conn *c = req_db(r);
	struct error e;
	int rc;

	if (!c)
		return r->err.code;
	error_init(&e);
	rc = store_begin(c, 1, &e);
	if (!rc)
		rc = auth_session_revoke_token(c, r->token, "logout", &e);
	if (!rc)
		rc = req_audit(r, c, "auth.logout", "user", r->who->user_id, NULL);
	if ((rc = req_tx_end(r, c, rc, &e)))
		return rc;
	req_add_header(
	    r, "Set-Cookie",
	    arena_printf(&r->arena, "%s=%s; Max-Age=0", SESSION_COOKIE, cookie_attrs(r)));
	return req_reply_empty(r);
}

/* GET /me */
static int me_get(struct req *r)
{
	json_t *me;

	if (me_json(r, req_db(r), r->who, &me))
		return r->err.code;
	return req_reply_json(r, 200, me);
}

/* PUT /me {"name","phone"} */
static int me_put(struct req *r)
{
	static const char *const fields[] = {"name", "phone", NULL};
	const char *name = r->who->name, *phone = NULL;
	char old_phone[64] = "";
	struct store_conn *c = req_db(r);
	struct error e;
	json_t *body;
	int rc;

	if (req_body_json(r, &body))
		return r->err.code;
	error_init(&e);
	if (user_phone(c, r->who->user_id, old_phone, &e))
		return req_fail_error(r, &e);
	phone = old_phone;
	if (json_only_keys(body, fields, &e) ||
	    json_get_string(body, "name", 0, 1, 32, &name, &e) ||
	    json_get_string(body, "phone", 0, 0, 20, &phone, &e))
		return req_fail_error(r, &e);
	if (phone[strspn(phone, "0123456789-+ ")] != '\0')
		return req_fail(r, ERR_INVALID, "phone", "电话号码只能包含数字、空格、+ 和 -");
	rc = store_begin(c, 1, &e);
	if (!rc)
		rc = user_update_profile(c, r->who->user_id, name, phone, &e);
	if (!rc)
		rc = req_audit(r, c, "user.profile", "user", r->who->user_id,
		               json_pack("{s:s}", "name", name));
	if ((rc = req_tx_end(r, c, rc, &e)))
		return rc;
	return me_get(r);
}

/* PUT /me/password {"old_password","new_password"}: ends the user's other sessions. */
static int me_password(struct req *r)
{
	static const char *const fields[] = {"old_password", "new_password", NULL};
	const char *old_pw = NULL, *new_pw = NULL;
	char hash[PASSWORD_HASH_MAX], current[128];
	struct store_conn *c = req_db(r);
	struct error e;
	json_t *body;
	int rc;

	if (req_body_json(r, &body))
		return r->err.code;
	error_init(&e);
	if (json_only_keys(body, fields, &e) ||
	    json_get_string(body, "old_password", JF_REQUIRED, 1, PASSWORD_MAX_CHARS, &old_pw,
	                    &e) ||
	    json_get_string(body, "new_password", JF_REQUIRED, 1, PASSWORD_MAX_CHARS * 4, &new_pw,
	                    &e))
		return req_fail_error(r, &e);
	if (user_password_hash(c, r->who->user_id, current, &e))
		return req_fail_error(r, &e);
	if (!password_verify(current, old_pw))
		return req_fail(r, ERR_INVALID, "old_password", "原密码不正确");
	if (password_check_policy(r->who->username, new_pw, &e)) {
		snprintf(e.field, sizeof(e.field), "new_password");
		return req_fail_error(r, &e);
	}
	if (password_hash(new_pw, hash, &e))
		return req_fail_error(r, &e);
	rc = store_begin(c, 1, &e);
	if (!rc)
		rc = user_set_password_hash(c, r->who->user_id, hash, &e);
	if (!rc)
		rc = auth_sessions_revoke_user(c, r->who->user_id, r->who->session_id,
		                               "password changed", &e);
	if (!rc)
		rc = req_audit(r, c, "user.password", "user", r->who->user_id, NULL);
	if ((rc = req_tx_end(r, c, rc, &e)))
		return rc;
	return req_reply_empty(r);
}

void auth_routes(struct router *rt)
{
	router_add(rt, "POST", "/api/v1/auth/login", auth_login, ROUTE_PUBLIC, 16 * 1024);
	router_add(rt, "POST", "/api/v1/auth/logout", auth_logout, ROUTE_LOGIN, 0);
	router_add(rt, "GET", "/api/v1/me", me_get, ROUTE_LOGIN, 0);
	router_add(rt, "PUT", "/api/v1/me", me_put, ROUTE_LOGIN, 0);
	router_add(rt, "PUT", "/api/v1/me/password", me_password, ROUTE_LOGIN, 16 * 1024);
}

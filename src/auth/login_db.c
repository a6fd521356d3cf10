/*
 * login_db.c - the look-ups a login and the own account need: the account a
 * username names, its password hash and profile, and the tenant and unit
 * /me shows.
 */
#include "auth/login.h"

#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "store/store.h"

STORE_SQL(q_user_set_password,
          "UPDATE users SET password_hash = ?, password_changed_at = ?, updated_at = ?"
          " WHERE id = ?");

int user_set_password_hash(struct store_conn *c, int64_t user_id, const char *hash, struct error *e)
{
	int64_t now = time_now_ms(), changes = 0;
	struct store_val args[] = {sv_text(hash), sv_int(now), sv_int(now), sv_int(user_id)};
	int rc;

	rc = store_exec(c, &q_user_set_password, args, 4, &changes, e);
	if (rc == 0 && changes == 0)
		return error_set(e, ERR_NOT_FOUND, NULL, "用户不存在");
	return rc;
}

STORE_SQL(q_user_login, "SELECT u.id, u.tenant_id, u.enabled * t.enabled, u.password_hash"
                        " FROM users u JOIN tenants t ON t.id = u.tenant_id WHERE u.username = ?");

int user_login_lookup(struct store_conn *c, const char *username, struct login_user *out,
                      struct error *e)
{
	struct store_val args[] = {sv_text(username)};
	struct store_rows *r;
	int rc;

	rc = store_query_one(c, &q_user_login, args, 1, &r, NULL, e);
	if (rc)
		return rc;
	out->id = store_int(r, 0);
	out->tenant_id = store_int(r, 1);
	out->enabled = (int)store_int(r, 2);
	snprintf(out->password_hash, sizeof(out->password_hash), "%s", store_text(r, 3));
	store_finish(r);
	return 0;
}

STORE_SQL(q_user_touch_login, "UPDATE users SET last_login_at = ?, last_login_ip = ? WHERE id = ?");

int user_touch_login(struct store_conn *c, int64_t user_id, const char *ip, struct error *e)
{
	struct store_val args[] = {sv_int(time_now_ms()), sv_text(ip), sv_int(user_id)};

	return store_exec(c, &q_user_touch_login, args, 3, NULL, e);
}

STORE_SQL(q_user_hash, "SELECT password_hash, phone FROM users WHERE id = ?");

static int user_text_field(struct store_conn *c, int64_t user_id, int col, char *out, size_t size,
                           struct error *e)
{
	struct store_val args[] = {sv_int(user_id)};
	struct store_rows *r;
	int rc;

	rc = store_query_one(c, &q_user_hash, args, 1, &r, NULL, e);
	if (rc)
		return rc;
	snprintf(out, size, "%s", store_text(r, col));
	store_finish(r);
	return 0;
}

int user_password_hash(struct store_conn *c, int64_t user_id, char out[128], struct error *e)
{
	return user_text_field(c, user_id, 0, out, 128, e);
}

int user_phone(struct store_conn *c, int64_t user_id, char out[64], struct error *e)
{
	return user_text_field(c, user_id, 1, out, 64, e);
}

STORE_SQL(q_user_profile, "UPDATE users SET name = ?, phone = ?, updated_at = ? WHERE id = ?");

int user_update_profile(struct store_conn *c, int64_t user_id, const char *name, const char *phone,
                        struct error *e)
{
	struct store_val args[] = {sv_text(name), sv_text(phone), sv_int(time_now_ms()),
	                           sv_int(user_id)};

	return store_exec(c, &q_user_profile, args, 4, NULL, e);
}

STORE_SQL(q_tenant_get,
          "SELECT id, name, region_code, level, eval_date, timezone, enabled, created_at"
          " FROM tenants WHERE id = ?");

int login_tenant_json(struct store_conn *c, int64_t id, json_t **out, struct error *e)
{
	struct store_val args[] = {sv_int(id)};
	struct store_rows *r;
	int rc;

	*out = NULL;
	rc = store_query_one(c, &q_tenant_get, args, 1, &r, NULL, e);
	if (rc)
		return rc;
	*out = json_pack("{s:I, s:s, s:s, s:s, s:o, s:s, s:b, s:I}", "id",
	                 (json_int_t)store_int(r, 0), "name", store_text(r, 1), "region_code",
	                 store_text(r, 2), "level", store_text(r, 3), "eval_date",
	                 store_isnull(r, 4) ? json_null() : json_string(store_text(r, 4)),
	                 "timezone", store_text(r, 5), "enabled", (int)store_int(r, 6),
	                 "created_at", (json_int_t)store_int(r, 7));
	store_finish(r);
	return 0;
}

STORE_SQL(q_unit_brief, "SELECT id, name, kind FROM units WHERE id = ? AND tenant_id = ?");

int login_unit_json(struct store_conn *c, int64_t tenant_id, int64_t id, json_t **out,
                    struct error *e)
{
	struct store_val args[] = {sv_int(id), sv_int(tenant_id)};
	struct store_rows *r;
	int rc;

	*out = json_null();
	if (!id)
		return 0;
	rc = store_query(c, &q_unit_brief, args, 2, &r, e);
	if (rc)
		return rc;
	rc = store_next(r);
	if (rc > 0)
		*out = json_pack("{s:I, s:s, s:s}", "id", (json_int_t)store_int(r, 0), "name",
		                 store_text(r, 1), "kind", store_text(r, 2));
	store_finish(r);
	return rc < 0 ? error_set(e, rc, NULL, NULL) : 0;
}

STORE_SQL(q_tenant_tz, "SELECT timezone FROM tenants WHERE id = ?");

int tenant_timezone(struct store_conn *c, int64_t id, char out[64], struct error *e)
{
	struct store_val args[] = {sv_int(id)};
	struct store_rows *r;
	int rc;

	rc = store_query_one(c, &q_tenant_tz, args, 1, &r, "创建主体不存在", e);
	if (rc)
		return rc;
	snprintf(out, 64, "%s", store_text(r, 0));
	store_finish(r);
	return 0;
}

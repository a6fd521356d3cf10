/* org_db.c - tenants and users in the store. */
#include "org/org_db.h"

#include <stdio.h>
#include <time.h>

#include "auth/perm.h"
#include "store/store.h"

/* 0: the system clock; else the time `wenming demo` plays at (time_set_now_ms). */
static int64_t clock_override_ms;

int64_t time_now_ms(void)
{
	struct timespec ts;

	if (clock_override_ms)
		return clock_override_ms;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void time_set_now_ms(int64_t ms)
{
	clock_override_ms = ms;
}

STORE_SQL(q_tenant_insert,
	  "INSERT INTO tenants (name, region_code, level, created_at, updated_at)"
	  " VALUES (?, ?, ?, ?, ?) RETURNING id");
STORE_SQL(q_tenant_count, "SELECT COUNT(*) FROM tenants");
STORE_SQL(q_tenant_first, "SELECT id FROM tenants ORDER BY id LIMIT 1");

int tenant_insert(struct store_conn *c, const struct tenant_new *t, int64_t *id,
		  struct error *e)
{
	int64_t now = time_now_ms();
	struct store_val args[] = {
		sv_text(t->name), sv_text(t->region_code ? t->region_code : ""),
		sv_text(t->level ? t->level : "county"), sv_int(now), sv_int(now),
	};

	return store_query_int(c, &q_tenant_insert, args, 5, id, e);
}

int tenant_count(struct store_conn *c, int64_t *n, struct error *e)
{
	return store_query_int(c, &q_tenant_count, NULL, 0, n, e);
}

int tenant_first(struct store_conn *c, int64_t *id, struct error *e)
{
	return store_query_int(c, &q_tenant_first, NULL, 0, id, e);
}

STORE_SQL(q_user_insert,
	  "INSERT INTO users (tenant_id, username, name, phone, password_hash,"
	  " is_platform_admin, password_changed_at, created_at, updated_at)"
	  " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
STORE_SQL(q_user_by_username, "SELECT id FROM users WHERE username = ?");
STORE_SQL(q_user_set_password,
	  "UPDATE users SET password_hash = ?, password_changed_at = ?, updated_at = ?"
	  " WHERE id = ?");

int user_insert(struct store_conn *c, const struct user_new *u, int64_t *id, struct error *e)
{
	int64_t now = time_now_ms();
	struct store_val args[] = {
		sv_int(u->tenant_id),
		sv_text(u->username),
		sv_text(u->name ? u->name : ""),
		sv_text(u->phone ? u->phone : ""),
		sv_text(u->password_hash),
		sv_int(u->is_platform_admin),
		sv_int(now),
		sv_int(now),
		sv_int(now),
	};

	return store_query_int(c, &q_user_insert, args, 9, id, e);
}

int user_id_by_username(struct store_conn *c, const char *username, int64_t *id,
			struct error *e)
{
	struct store_val args[] = {sv_text(username)};

	return store_query_int(c, &q_user_by_username, args, 1, id, e);
}

int user_set_password_hash(struct store_conn *c, int64_t user_id, const char *hash,
			   struct error *e)
{
	int64_t now = time_now_ms(), changes = 0;
	struct store_val args[] = {sv_text(hash), sv_int(now), sv_int(now), sv_int(user_id)};
	int rc;

	rc = store_exec(c, &q_user_set_password, args, 4, &changes, e);
	if (rc == 0 && changes == 0)
		return error_set(e, ERR_NOT_FOUND, NULL, "用户不存在");
	return rc;
}

/* ---- roles, logins, profile ---------------------------------------- */

STORE_SQL(q_role_seed,
	  "INSERT INTO roles (tenant_id, key, name, builtin, data_scope, sort, created_at, updated_at)"
	  " VALUES (?, ?, ?, 1, ?, ?, ?, ?) ON CONFLICT (tenant_id, key) DO NOTHING");

int roles_seed_builtin(struct store_conn *c, int64_t tenant_id, struct error *e)
{
	const struct builtin_role *b;
	int64_t now = time_now_ms();
	int i, n, rc = 0;

	b = builtin_roles(&n);
	for (i = 0; i < n && rc == 0; i++) {
		struct store_val args[] = {sv_int(tenant_id),		sv_text(b[i].key),
					   sv_text(b[i].name),		sv_text(scope_name(b[i].scope)),
					   sv_int(i + 1),		sv_int(now),
					   sv_int(now)};

		rc = store_exec(c, &q_role_seed, args, 7, NULL, e);
	}
	return rc;
}

STORE_SQL(q_user_add_role,
	  "INSERT INTO user_roles (user_id, role_id) SELECT ?, id FROM roles"
	  " WHERE tenant_id = ? AND key = ? ON CONFLICT DO NOTHING");

int user_add_role(struct store_conn *c, int64_t tenant_id, int64_t user_id, const char *role_key,
		  struct error *e)
{
	struct store_val args[] = {sv_int(user_id), sv_int(tenant_id), sv_text(role_key)};

	return store_exec(c, &q_user_add_role, args, 3, NULL, e);
}

STORE_SQL(q_user_login,
	  "SELECT u.id, u.tenant_id, u.enabled * t.enabled, u.password_hash"
	  " FROM users u JOIN tenants t ON t.id = u.tenant_id WHERE u.username = ?");

int user_login_lookup(struct store_conn *c, const char *username, struct login_user *out,
		      struct error *e)
{
	struct store_val args[] = {sv_text(username)};
	struct store_rows *r;
	int rc;

	rc = store_query(c, &q_user_login, args, 1, &r, e);
	if (rc)
		return rc;
	rc = store_next(r);
	if (rc > 0) {
		out->id = store_int(r, 0);
		out->tenant_id = store_int(r, 1);
		out->enabled = (int)store_int(r, 2);
		snprintf(out->password_hash, sizeof(out->password_hash), "%s", store_text(r, 3));
	}
	store_finish(r);
	if (rc < 0)
		return error_set(e, rc, NULL, NULL);
	return rc == 0 ? error_set(e, ERR_NOT_FOUND, NULL, NULL) : 0;
}

STORE_SQL(q_user_touch_login, "UPDATE users SET last_login_at = ?, last_login_ip = ? WHERE id = ?");

int user_touch_login(struct store_conn *c, int64_t user_id, const char *ip, struct error *e)
{
	struct store_val args[] = {sv_int(time_now_ms()), sv_text(ip), sv_int(user_id)};

	return store_exec(c, &q_user_touch_login, args, 3, NULL, e);
}

STORE_SQL(q_user_hash, "SELECT password_hash, phone FROM users WHERE id = ?");

static int user_text_field(struct store_conn *c, int64_t user_id, int col, char *out,
			   size_t size, struct error *e)
{
	struct store_val args[] = {sv_int(user_id)};
	struct store_rows *r;
	int rc;

	rc = store_query(c, &q_user_hash, args, 1, &r, e);
	if (rc)
		return rc;
	rc = store_next(r);
	if (rc > 0)
		snprintf(out, size, "%s", store_text(r, col));
	store_finish(r);
	if (rc < 0)
		return error_set(e, rc, NULL, NULL);
	return rc == 0 ? error_set(e, ERR_NOT_FOUND, NULL, NULL) : 0;
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

int user_update_profile(struct store_conn *c, int64_t user_id, const char *name,
			const char *phone, struct error *e)
{
	struct store_val args[] = {sv_text(name), sv_text(phone), sv_int(time_now_ms()),
				   sv_int(user_id)};

	return store_exec(c, &q_user_profile, args, 4, NULL, e);
}

STORE_SQL(q_tenant_get,
	  "SELECT id, name, region_code, level, eval_date, timezone, enabled, created_at"
	  " FROM tenants WHERE id = ?");

int tenant_get_json(struct store_conn *c, int64_t id, json_t **out, struct error *e)
{
	struct store_val args[] = {sv_int(id)};
	struct store_rows *r;
	int rc;

	*out = NULL;
	rc = store_query(c, &q_tenant_get, args, 1, &r, e);
	if (rc)
		return rc;
	rc = store_next(r);
	if (rc > 0)
		*out = json_pack("{s:I, s:s, s:s, s:s, s:o, s:s, s:b, s:I}", "id",
				 (json_int_t)store_int(r, 0), "name", store_text(r, 1),
				 "region_code", store_text(r, 2), "level", store_text(r, 3),
				 "eval_date",
				 store_isnull(r, 4) ? json_null() : json_string(store_text(r, 4)),
				 "timezone", store_text(r, 5), "enabled", (int)store_int(r, 6),
				 "created_at", (json_int_t)store_int(r, 7));
	store_finish(r);
	if (rc < 0)
		return error_set(e, rc, NULL, NULL);
	return rc == 0 ? error_set(e, ERR_NOT_FOUND, NULL, NULL) : 0;
}

STORE_SQL(q_unit_brief, "SELECT id, name, kind FROM units WHERE id = ? AND tenant_id = ?");

int unit_brief_json(struct store_conn *c, int64_t tenant_id, int64_t id, json_t **out,
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

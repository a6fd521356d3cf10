/* org_db.c - tenants and users in the store. */
#include "org/org_db.h"

#include <time.h>

#include "store/store.h"

int64_t time_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
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

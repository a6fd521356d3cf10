/* org_db.c - user accounts and their roles in the store. */
#include "org/org_db.h"

#include <stdio.h>
#include <time.h>

#include "auth/perm.h"
#include "core/clock.h"
#include "store/store.h"

STORE_SQL(q_user_insert, "INSERT INTO users (tenant_id, username, name, phone, password_hash,"
                         " is_platform_admin, password_changed_at, created_at, updated_at)"
                         " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
STORE_SQL(q_user_by_username, "SELECT id FROM users WHERE username = ?");

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

int user_id_by_username(struct store_conn *c, const char *username, int64_t *id, struct error *e)
{
	struct store_val args[] = {sv_text(username)};

	return store_query_int(c, &q_user_by_username, args, 1, id, e);
}

/* ---- roles ------------------------------------------------------------ */

STORE_SQL(
    q_role_seed,
    "INSERT INTO roles (tenant_id, key, name, builtin, data_scope, sort, created_at, updated_at)"
    " VALUES (?, ?, ?, 1, ?, ?, ?, ?) ON CONFLICT (tenant_id, key) DO NOTHING");

int roles_seed_builtin(struct store_conn *c, int64_t tenant_id, struct error *e)
{
	const struct builtin_role *b;
	int64_t now = time_now_ms();
	int i, n, rc = 0;

	b = builtin_roles(&n);
	for (i = 0; i < n && rc == 0; i++) {
		struct store_val args[] = {sv_int(tenant_id),  sv_text(b[i].key),
		                           sv_text(b[i].name), sv_text(scope_name(b[i].scope)),
		                           sv_int(i + 1),      sv_int(now),
		                           sv_int(now)};

		rc = store_exec(c, &q_role_seed, args, 7, NULL, e);
	}
	return rc;
}

STORE_SQL(q_user_add_role, "INSERT INTO user_roles (user_id, role_id) SELECT ?, id FROM roles"
                           " WHERE tenant_id = ? AND key = ? ON CONFLICT DO NOTHING");

int user_add_role(struct store_conn *c, int64_t tenant_id, int64_t user_id, const char *role_key,
                  struct error *e)
{
	struct store_val args[] = {sv_int(user_id), sv_int(tenant_id), sv_text(role_key)};

	return store_exec(c, &q_user_add_role, args, 3, NULL, e);
}

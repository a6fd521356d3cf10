/* role_db.c - roles, their permissions and custom-scope units in the store. */
#include "org/roles.h"

#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "core/strbuf.h"
#include "store/store.h"

#define ROLE_COLS                                                                                  \
	"r.id, r.key, r.name, r.builtin, r.data_scope, r.enabled, r.sort, r.created_at,"           \
	" r.updated_at, (SELECT COUNT(*) FROM user_roles ur WHERE ur.role_id = r.id)"
#define ROLE_WHERE                                                                                 \
	" WHERE r.tenant_id = ? AND (? = '' OR r.name LIKE ? ESCAPE '\\' OR r.key LIKE ? ESCAPE "  \
	"'\\')"                                                                                    \
	" AND (? < 0 OR r.enabled = ?)"

STORE_SQL(q_role_count, "SELECT COUNT(*) FROM roles r" ROLE_WHERE);
STORE_SQL(q_role_page,
          "SELECT " ROLE_COLS " FROM roles r" ROLE_WHERE " ORDER BY r.sort, r.id LIMIT ? OFFSET ?");
STORE_SQL(q_role_one, "SELECT " ROLE_COLS " FROM roles r WHERE r.id = ? AND r.tenant_id = ?");
STORE_SQL(q_role_perms,
          "SELECT permission FROM role_permissions WHERE role_id = ? ORDER BY permission");
STORE_SQL(q_role_unit_ids, "SELECT unit_id FROM role_units WHERE role_id = ? ORDER BY unit_id");

/* The JSON of the current row of a cursor over ROLE_COLS. */
static json_t *role_row_json(struct store_rows *r)
{
	return json_pack(
	    "{s:I, s:s, s:s, s:b, s:s, s:b, s:I, s:I, s:I, s:I}", "id", (json_int_t)store_int(r, 0),
	    "key", store_text(r, 1), "name", store_text(r, 2), "builtin", (int)store_int(r, 3),
	    "data_scope", store_text(r, 4), "enabled", (int)store_int(r, 5), "sort",
	    (json_int_t)store_int(r, 6), "created_at", (json_int_t)store_int(r, 7), "updated_at",
	    (json_int_t)store_int(r, 8), "user_count", (json_int_t)store_int(r, 9));
}

int role_list_json(struct store_conn *c, int64_t tenant_id, const struct role_filter *f,
                   json_t **items, int64_t *total, struct error *e)
{
	char *like = store_like_pattern(NULL, f->name, 1);
	const char *name = f->name ? f->name : "";
	struct store_val args[] = {sv_int(tenant_id), sv_text(name),      sv_text(like),
	                           sv_text(like),     sv_int(f->enabled), sv_int(f->enabled),
	                           sv_int(f->limit),  sv_int(f->offset)};
	struct store_rows *r = NULL;
	int rc;

	*items = NULL;
	rc = store_query_int(c, &q_role_count, args, 6, total, e);
	if (rc == 0)
		rc = store_query(c, &q_role_page, args, 8, &r, e);
	if (rc)
		goto out;
	*items = json_array();
	while ((rc = store_next(r)) > 0)
		json_array_append_new(*items, role_row_json(r));
	store_finish(r);
	if (rc < 0) {
		json_decref(*items);
		*items = NULL;
		rc = error_set(e, rc, NULL, NULL);
		goto out;
	}
	rc = 0;
out:
	free(like);
	return rc;
}

/* The rows of a one-column query of role_id as a JSON array (ints or strings). */
static int role_column_json(struct store_conn *c, const struct store_sql *q, int64_t role_id,
                            int as_int, json_t **out, struct error *e)
{
	struct store_val args[] = {sv_int(role_id)};
	struct store_rows *r;
	int rc;

	*out = NULL;
	rc = store_query(c, q, args, 1, &r, e);
	if (rc)
		return rc;
	*out = json_array();
	while ((rc = store_next(r)) > 0)
		json_array_append_new(*out, as_int ? json_integer(store_int(r, 0))
		                                   : json_string(store_text(r, 0)));
	store_finish(r);
	if (rc < 0) {
		json_decref(*out);
		*out = NULL;
		return error_set(e, rc, NULL, NULL);
	}
	return 0;
}

int role_get_json(struct store_conn *c, int64_t tenant_id, int64_t id, json_t **out,
                  struct error *e)
{
	struct store_val args[] = {sv_int(id), sv_int(tenant_id)};
	struct store_rows *r;
	json_t *role = NULL, *perms = NULL, *units = NULL;
	int rc, builtin = 0;

	*out = NULL;
	rc = store_query(c, &q_role_one, args, 2, &r, e);
	if (rc)
		return rc;
	rc = store_next(r);
	if (rc > 0) {
		role = role_row_json(r);
		builtin = (int)store_int(r, 3);
	}
	store_finish(r);
	if (rc < 0)
		return error_set(e, rc, NULL, NULL);
	if (rc == 0)
		return error_set(e, ERR_NOT_FOUND, NULL, "角色不存在");
	rc = 0;
	if (builtin) {
		struct permset set;
		int i;

		builtin_role_perms(json_string_value(json_object_get(role, "key")), &set);
		perms = json_array();
		for (i = 0; i < perm_count(); i++)
			if (permset_has(&set, i))
				json_array_append_new(perms, json_string(perm_at(i)->key));
	} else {
		rc = role_column_json(c, &q_role_perms, id, 0, &perms, e);
	}
	if (rc == 0)
		rc = role_column_json(c, &q_role_unit_ids, id, 1, &units, e);
	if (rc) {
		json_decref(role);
		json_decref(perms);
		return rc;
	}
	json_object_set_new(role, "permissions", perms);
	json_object_set_new(role, "unit_ids", units);
	*out = role;
	return 0;
}

int role_get_row(struct store_conn *c, int64_t tenant_id, int64_t id, struct role_row *out,
                 struct error *e)
{
	struct store_val args[] = {sv_int(id), sv_int(tenant_id)};
	struct store_rows *r;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = store_query(c, &q_role_one, args, 2, &r, e);
	if (rc)
		return rc;
	rc = store_next(r);
	if (rc > 0) {
		out->id = store_int(r, 0);
		snprintf(out->key, sizeof(out->key), "%s", store_text(r, 1));
		out->builtin = (int)store_int(r, 3);
		out->enabled = (int)store_int(r, 5);
		out->user_count = store_int(r, 9);
	}
	store_finish(r);
	if (rc < 0)
		return error_set(e, rc, NULL, NULL);
	if (rc == 0)
		return error_set(e, ERR_NOT_FOUND, NULL, "角色不存在");
	if (out->builtin) {
		builtin_role_perms(out->key, &out->perms);
		return 0;
	}
	{
		struct store_val pa[] = {sv_int(id)};

		rc = store_query(c, &q_role_perms, pa, 1, &r, e);
		if (rc)
			return rc;
		while ((rc = store_next(r)) > 0)
			permset_add(&out->perms, perm_index(store_text(r, 0)));
		store_finish(r);
	}
	return rc < 0 ? error_set(e, rc, NULL, NULL) : 0;
}

STORE_SQL(q_units_in_tenant, "SELECT COUNT(*) FROM units WHERE tenant_id = ? AND id IN_IDS(?)");

int role_units_in_tenant(struct store_conn *c, int64_t tenant_id, const char *ids, int64_t *n,
                         struct error *e)
{
	struct store_val args[] = {sv_int(tenant_id), sv_text(ids)};

	return store_query_int(c, &q_units_in_tenant, args, 2, n, e);
}

STORE_SQL(q_role_key_taken, "SELECT COUNT(*) FROM roles WHERE tenant_id = ? AND key = ?");
STORE_SQL(q_role_insert,
          "INSERT INTO roles (tenant_id, key, name, builtin, data_scope, sort, enabled, created_at,"
          " updated_at) VALUES (?, ?, ?, 0, ?, 100, ?, ?, ?) RETURNING id");
STORE_SQL(q_role_update, "UPDATE roles SET name = ?, data_scope = ?, enabled = ?, updated_at = ?"
                         " WHERE id = ? AND tenant_id = ?");
STORE_SQL(q_role_perms_clear, "DELETE FROM role_permissions WHERE role_id = ?");
STORE_SQL(q_role_perm_add, "INSERT INTO role_permissions (role_id, permission) VALUES (?, ?)");
STORE_SQL(q_role_units_clear, "DELETE FROM role_units WHERE role_id = ?");
STORE_SQL(q_role_units_add, "INSERT INTO role_units (role_id, unit_id) SELECT ?, id FROM units"
                            " WHERE tenant_id = ? AND id IN_IDS(?)");
/* The NOT EXISTS keeps a user assigned meanwhile from losing the role by cascade. */
STORE_SQL(q_role_delete, "DELETE FROM roles WHERE id = ? AND tenant_id = ? AND builtin = 0"
                         " AND NOT EXISTS (SELECT 1 FROM user_roles WHERE role_id = ?)");

/* Replace a role's custom-scope units and, unless kept, its permissions. */
static int role_write_children(struct store_conn *c, int64_t tenant_id, int64_t id,
                               const struct role_fields *f, struct error *e)
{
	struct store_val ra[] = {sv_int(id)};
	int rc, i;

	rc = store_exec(c, &q_role_units_clear, ra, 1, NULL, e);
	if (rc == 0 && f->unit_ids && strcmp(f->unit_ids, "[]")) {
		struct store_val ua[] = {sv_int(id), sv_int(tenant_id), sv_text(f->unit_ids)};

		rc = store_exec(c, &q_role_units_add, ua, 3, NULL, e);
	}
	if (rc || f->builtin_keep_perms)
		return rc;
	rc = store_exec(c, &q_role_perms_clear, ra, 1, NULL, e);
	for (i = 0; rc == 0 && f->perms && i < perm_count(); i++) {
		struct store_val pa[2];

		if (!permset_has(f->perms, i))
			continue;
		pa[0] = sv_int(id);
		pa[1] = sv_text(perm_at(i)->key);
		rc = store_exec(c, &q_role_perm_add, pa, 2, NULL, e);
	}
	return rc;
}

int role_insert(struct store_conn *c, int64_t tenant_id, const struct role_fields *f, int64_t *id,
                struct error *e)
{
	int64_t now = time_now_ms(), taken = 0;
	int rc;

	{
		struct store_val args[] = {sv_int(tenant_id), sv_text(f->key)};

		rc = store_query_int(c, &q_role_key_taken, args, 2, &taken, e);
	}
	if (rc)
		return rc;
	if (taken)
		return error_set(e, ERR_CONFLICT, "key", "角色标识 %s 已存在", f->key);
	{
		struct store_val args[] = {sv_int(tenant_id),
		                           sv_text(f->key),
		                           sv_text(f->name),
		                           sv_text(f->data_scope),
		                           sv_int(f->enabled ? 1 : 0),
		                           sv_int(now),
		                           sv_int(now)};

		rc = store_query_int(c, &q_role_insert, args, 7, id, e);
	}
	if (rc == ERR_CONFLICT)
		return error_set(e, ERR_CONFLICT, "key", "角色标识 %s 已存在", f->key);
	if (rc)
		return rc;
	return role_write_children(c, tenant_id, *id, f, e);
}

int role_update(struct store_conn *c, int64_t tenant_id, int64_t id, const struct role_fields *f,
                struct error *e)
{
	struct store_val args[] = {sv_text(f->name),
	                           sv_text(f->data_scope),
	                           sv_int(f->enabled ? 1 : 0),
	                           sv_int(time_now_ms()),
	                           sv_int(id),
	                           sv_int(tenant_id)};
	int64_t changes = 0;
	int rc;

	rc = store_exec(c, &q_role_update, args, 6, &changes, e);
	if (rc)
		return rc;
	if (!changes)
		return error_set(e, ERR_NOT_FOUND, NULL, "角色不存在");
	return role_write_children(c, tenant_id, id, f, e);
}

int role_delete(struct store_conn *c, int64_t tenant_id, int64_t id, struct error *e)
{
	struct role_row row;
	struct store_val ra[] = {sv_int(id)};
	struct store_val da[] = {sv_int(id), sv_int(tenant_id), sv_int(id)};
	int64_t changes = 0;
	int rc;

	rc = role_get_row(c, tenant_id, id, &row, e);
	if (rc)
		return rc;
	if (row.builtin)
		return error_set(e, ERR_CONFLICT, NULL, "内置角色不能删除");
	if (row.user_count)
		return error_set(e, ERR_CONFLICT, NULL, "还有 %lld 个用户拥有该角色，请先取消分配",
		                 (long long)row.user_count);
	/* Children first: SQLite's cascade needs foreign_keys on, and we do not rely on it. */
	rc = store_exec(c, &q_role_units_clear, ra, 1, NULL, e);
	if (rc == 0)
		rc = store_exec(c, &q_role_perms_clear, ra, 1, NULL, e);
	if (rc == 0)
		rc = store_exec(c, &q_role_delete, da, 3, &changes, e);
	if (rc == 0 && !changes)
		return error_set(e, ERR_CONFLICT, NULL, "该角色刚被分配给用户，未删除");
	return rc;
}

/*
 * roles.h - roles of a tenant: storage (role_db.c) and the /roles and
 * /permissions endpoints (api_roles.c).
 *
 * A built-in role (admin, office, ...) is a row like any other, but its
 * permissions come from the code (perm.c), so only its name and data scope
 * live in the database.  A custom role keeps its permissions in
 * role_permissions and, for the custom data scope, its units in role_units.
 * Principals are loaded on every request, so a change to a role applies to
 * its users from their next request on; no session needs to end.
 *
 * Every function takes a borrowed connection and the caller's tenant: a role
 * of another tenant is ERR_NOT_FOUND, never visible.  Writers expect the
 * caller to hold a write transaction when several writes (and the audit row)
 * must commit together.  JSON results belong to the caller.
 */
#ifndef WENMING_ROLES_H
#define WENMING_ROLES_H

#include <jansson.h>
#include <stdint.h>

#include "auth/perm.h"
#include "core/err.h"

struct store_conn;
struct router;

struct role_filter {
	const char *name; /* substring of name or key, or NULL */
	int enabled;      /* -1 any, 0, 1 */
	int64_t offset, limit;
};

/* One page of roles (with user_count) as a JSON array, and the total matching. */
int role_list_json(struct store_conn *c, int64_t tenant_id, const struct role_filter *f,
                   json_t **items, int64_t *total, struct error *e);

/*
 * One role as {id, key, name, builtin, data_scope, unit_ids, permissions,
 * enabled, sort, user_count, created_at, updated_at}; ERR_NOT_FOUND.
 */
int role_get_json(struct store_conn *c, int64_t tenant_id, int64_t id, json_t **out,
                  struct error *e);

/* What a role is, as stored (for the rules in api_roles.c). */
struct role_row {
	int64_t id;
	char key[40];
	int builtin, enabled;
	int64_t user_count;
	struct permset perms; /* built-in: from the code; custom: from the database */
};

/* Load the row of a role; ERR_NOT_FOUND. */
int role_get_row(struct store_conn *c, int64_t tenant_id, int64_t id, struct role_row *out,
                 struct error *e);

struct role_fields {
	const char *key; /* create only */
	const char *name;
	const char *data_scope; /* scope name (perm.h) */
	const char *unit_ids;   /* JSON array of unit ids for the custom scope, "[]" otherwise */
	int enabled;
	int builtin_keep_perms; /* 1: built-in role, permissions untouched */
	const struct permset *perms;
};

/* Insert a custom role; ERR_CONFLICT (field key) when the key is taken. */
int role_insert(struct store_conn *c, int64_t tenant_id, const struct role_fields *f, int64_t *id,
                struct error *e);

/* Update a role: name, scope, units, enabled and (custom roles) permissions. */
int role_update(struct store_conn *c, int64_t tenant_id, int64_t id, const struct role_fields *f,
                struct error *e);

/* Delete a custom role with no users; ERR_CONFLICT otherwise. */
int role_delete(struct store_conn *c, int64_t tenant_id, int64_t id, struct error *e);

/* How many distinct ids of the JSON array ids are units of the tenant. */
int role_units_in_tenant(struct store_conn *c, int64_t tenant_id, const char *ids, int64_t *n,
                         struct error *e);

/* GET/POST /roles, GET/PUT/DELETE /roles/{id}, GET /permissions. */
void role_routes(struct router *rt);

#endif

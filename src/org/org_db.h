/*
 * org_db.h - storage of user accounts and their roles (SQL lives here and
 * nowhere above it).  Every function takes a borrowed connection; those that
 * write expect the caller to hold a write transaction when it wants several
 * writes to commit together.
 */
#ifndef WENMING_ORG_DB_H
#define WENMING_ORG_DB_H

#include <stdint.h>

#include <jansson.h>

#include "core/err.h"

struct store_conn;

struct user_new {
	int64_t tenant_id;
	const char *username;
	const char *name;
	const char *phone;
	const char *password_hash;
	int is_platform_admin;
};

int user_insert(struct store_conn *c, const struct user_new *u, int64_t *id, struct error *e);

/* Id of the user with this username; ERR_NOT_FOUND when none. */
int user_id_by_username(struct store_conn *c, const char *username, int64_t *id, struct error *e);

/* ---- roles (0002) ---------------------------------------------------- */

/* Create the built-in roles of a tenant (idempotent). */
int roles_seed_builtin(struct store_conn *c, int64_t tenant_id, struct error *e);

/* Give a user the tenant's role with this key. */
int user_add_role(struct store_conn *c, int64_t tenant_id, int64_t user_id, const char *role_key,
                  struct error *e);

#endif

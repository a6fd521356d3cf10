/*
 * org_db.h - storage of tenants and user accounts (SQL lives here and
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

struct tenant_new {
	const char *name;
	const char *region_code;
	const char *level;  /* city | county_city | county | district */
};

/* Insert a tenant; *id = its id. */
int tenant_insert(struct store_conn *c, const struct tenant_new *t, int64_t *id,
		  struct error *e);

/* Number of tenants. */
int tenant_count(struct store_conn *c, int64_t *n, struct error *e);

/* Id of the first tenant created (the one `wenming init` made); ERR_NOT_FOUND when none. */
int tenant_first(struct store_conn *c, int64_t *id, struct error *e);

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
int user_id_by_username(struct store_conn *c, const char *username, int64_t *id,
			struct error *e);

/* Replace a user's password hash (and stamp password_changed_at). */
int user_set_password_hash(struct store_conn *c, int64_t user_id, const char *hash,
			   struct error *e);

/* Milliseconds since the Unix epoch, UTC: the system clock unless set below. */
int64_t time_now_ms(void);

/*
 * Make time_now_ms answer ms until set back with 0.  Only `wenming demo`
 * sets it, to play its ninety days through the domain functions at the
 * times they happened; the server never does.  Not thread-safe by design:
 * the demo runs on one thread before anything else.
 */
void time_set_now_ms(int64_t ms);

/* ---- roles (0002) ---------------------------------------------------- */

/* Create the built-in roles of a tenant (idempotent). */
int roles_seed_builtin(struct store_conn *c, int64_t tenant_id, struct error *e);

/* Give a user the tenant's role with this key. */
int user_add_role(struct store_conn *c, int64_t tenant_id, int64_t user_id, const char *role_key,
		  struct error *e);

struct login_user {
	int64_t id, tenant_id;
	int enabled;
	char password_hash[128];
};

/* The account a login names; ERR_NOT_FOUND when none. */
int user_login_lookup(struct store_conn *c, const char *username, struct login_user *out,
		      struct error *e);

/* Stamp a successful login. */
int user_touch_login(struct store_conn *c, int64_t user_id, const char *ip, struct error *e);

/* The password hash of a user (for a password change). */
int user_password_hash(struct store_conn *c, int64_t user_id, char out[128], struct error *e);

/* Update own profile fields. */
int user_update_profile(struct store_conn *c, int64_t user_id, const char *name,
			const char *phone, struct error *e);

/* Tenant as JSON {id,name,region_code,level,eval_date,timezone,enabled}; ERR_NOT_FOUND. */
int tenant_get_json(struct store_conn *c, int64_t id, json_t **out, struct error *e);

/* {id,name,kind} of a unit, or JSON null for id 0 / missing. */
int unit_brief_json(struct store_conn *c, int64_t tenant_id, int64_t id, json_t **out,
		    struct error *e);

/* Phone of a user (for the own profile). */
int user_phone(struct store_conn *c, int64_t user_id, char out[64], struct error *e);

#endif

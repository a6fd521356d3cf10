/*
 * login.h - storage look-ups of a login and the own account (SQL in
 * login_db.c): the account a username names, password hashes, the own
 * profile, and the tenant and unit /me shows.
 */
#ifndef WENMING_LOGIN_H
#define WENMING_LOGIN_H

#include <stdint.h>

#include <jansson.h>

#include "core/err.h"

struct store_conn;

/* Replace a user's password hash (and stamp password_changed_at). */
int user_set_password_hash(struct store_conn *c, int64_t user_id, const char *hash,
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
int user_update_profile(struct store_conn *c, int64_t user_id, const char *name, const char *phone,
                        struct error *e);

/*
 * The own tenant (for /me) as JSON
 * {id,name,region_code,level,eval_date,timezone,enabled}; ERR_NOT_FOUND.
 */
int login_tenant_json(struct store_conn *c, int64_t id, json_t **out, struct error *e);

/* {id,name,kind} of a unit, or JSON null for id 0 / missing. */
int login_unit_json(struct store_conn *c, int64_t tenant_id, int64_t id, json_t **out,
                    struct error *e);

/* Phone of a user (for the own profile). */
int user_phone(struct store_conn *c, int64_t user_id, char out[64], struct error *e);

int tenant_timezone(struct store_conn *c, int64_t id, char out[64], struct error *e);

struct req;
/* Minutes east of UTC of the caller's tenant (Asia/Shanghai, 480, when unknown). */
int auth_tenant_minutes(struct req *r);

#endif

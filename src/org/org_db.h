/*
 * org_db.h - storage of tenants and user accounts (SQL lives here and
 * nowhere above it).  Every function takes a borrowed connection; those that
 * write expect the caller to hold a write transaction when it wants several
 * writes to commit together.
 */
#ifndef WENMING_ORG_DB_H
#define WENMING_ORG_DB_H

#include <stdint.h>

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

/* Milliseconds since the Unix epoch, UTC. */
int64_t time_now_ms(void);

#endif

/*
 * org.h - the organisation of a tenant: units (单位) as a tree and the user
 * accounts that belong to them.  Storage lives in unit_db.c and user_db.c
 * (the only places with their SQL); the /units and /users endpoints, with
 * their imports and exports, in api_units.c and api_users.c.
 *
 * Every query takes the caller's tenant and, where rows are filtered by data
 * scope, a struct scope (auth.h) that becomes four bound values of the SQL.
 * A row outside the tenant or the scope is ERR_NOT_FOUND, never "forbidden",
 * so ids cannot be probed.  Functions that write expect the caller to hold a
 * write transaction when the change and its audit row must commit together.
 * Strings of returned structs are allocated from the arena the caller passes.
 */
#ifndef WENMING_ORG_H
#define WENMING_ORG_H

#include <jansson.h>
#include <stdint.h>

#include "auth/auth.h"
#include "auth/password.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/parse.h"

struct store_conn;
struct router;
struct req;

/* ---- units ------------------------------------------------------------ */

#define UNIT_NAME_MAX   64
#define UNIT_PERSON_MAX 32 /* leader, liaison */
#define UNIT_PHONE_MAX  20
#define UNIT_SORT_MAX   99999

/* The key of a unit kind given its key or a Chinese name (部门, 乡镇, ...); NULL when unknown. */
const char *unit_kind_key(const char *s);

/* The Chinese name of a kind key ("部门"); the key itself when unknown. */
const char *unit_kind_title(const char *key);

struct unit {
	int64_t id;
	int64_t parent_id; /* 0: a top-level unit */
	const char *name, *kind;
	const char *ancestors; /* "/1/3/7/": root to self */
	const char *leader, *liaison, *phone;
	int64_t sort;
	int enabled;
	int64_t created_at, updated_at;
};

/*
 * The scope of perm over units.  For units, "self" means the user's own
 * unit (a user with only self scope still sees where they belong).
 */
void unit_scope(const struct principal *p, const char *perm, struct arena *a, struct scope *out);

/* 1 when unit u lies within scope s (checked in memory, for imports). */
int unit_in_scope(const struct scope *s, const struct unit *u);

struct unit_filter {
	const struct scope *scope;
	const char *name;      /* substring, or NULL */
	const char *kind;      /* kind key, or NULL */
	int enabled;           /* -1 any, 0, 1 */
	int64_t parent_id;     /* direct children of this unit only; 0 any */
	int64_t offset, limit; /* limit 0: every row */
};

/* Units matching f (sorted by sort, id), and how many match in all. */
int unit_list(struct store_conn *c, int64_t tenant_id, const struct unit_filter *f, struct arena *a,
              struct unit **out, int *n, int64_t *total, struct error *e);

/* Every unit of the tenant, parents before children (tree order). */
int unit_all(struct store_conn *c, int64_t tenant_id, struct arena *a, struct unit **out, int *n,
             struct error *e);

/* Reorder units so each comes after its parent, siblings by sort and id. */
void unit_tree_order(struct unit *units, int n, struct arena *a);

/* One unit in scope s (NULL: the whole tenant); ERR_NOT_FOUND otherwise. */
int unit_get(struct store_conn *c, int64_t tenant_id, const struct scope *s, int64_t id,
             struct arena *a, struct unit *out, struct error *e);

/* The unit as the API shows it (docs/accounts.md); caller owns the JSON. */
json_t *unit_json(const struct unit *u);

/* units[0..n) nested by parent as [{..., children: [...]}]; orphans become roots. */
json_t *unit_tree_json(const struct unit *units, int n, struct arena *a);

/* "示例县总指挥部/创城办": the names from the root down to unit id, or "". */
const char *unit_path(const struct unit *all, int n, int64_t id, struct arena *a);

/*
 * The unit text names among units[0..n): a name, or a path "A/B/C" matched
 * from its last segment upwards (a whole name is tried first, since names
 * may hold a "/").  *matches = how many fit; returns the index of one or -1.
 */
int unit_find(const struct unit *units, int n, const char *text, int *matches, struct arena *a);

/* *taken = 1 when a sibling under parent_id (0: top) has this name (except_id aside). */
int unit_name_taken(struct store_conn *c, int64_t tenant_id, int64_t parent_id, const char *name,
                    int64_t except_id, int *taken, struct error *e);

/*
 * Insert u under parent (NULL: top level); u->id and u->ancestors are set.
 * ERR_CONFLICT when the parent already has a unit of that name.
 */
int unit_insert(struct store_conn *c, int64_t tenant_id, struct unit *u, const struct unit *parent,
                struct arena *a, struct error *e);

/* Write name, kind, leader, liaison, phone, sort and enabled of u. */
int unit_update(struct store_conn *c, int64_t tenant_id, const struct unit *u, struct error *e);

/*
 * Put u under new_parent (NULL: top level) and rewrite the ancestors of its
 * whole subtree.  ERR_CONFLICT when new_parent is u or inside u (a cycle).
 */
int unit_move(struct store_conn *c, int64_t tenant_id, const struct unit *u,
              const struct unit *new_parent, struct error *e);

/* Delete a unit; ERR_CONFLICT (with the reason) while it has sub-units or users. */
int unit_delete(struct store_conn *c, int64_t tenant_id, int64_t id, struct error *e);

/* ---- roles, as user management needs them ---------------------------- */

struct org_role {
	int64_t id;
	const char *key, *name;
	int builtin, enabled;
	enum data_scope scope;
	struct permset perms;
};

/* Every role of the tenant (built-in ones with their permissions from perm.c). */
int org_roles_load(struct store_conn *c, int64_t tenant_id, struct arena *a, struct org_role **out,
                   int *n, struct error *e);

/* The role with this key, or else this name; NULL when none. */
const struct org_role *org_role_find(const struct org_role *roles, int n, const char *key_or_name);

/* ---- users ------------------------------------------------------------ */

#define USER_NAME_MAX 32

struct user {
	int64_t id, unit_id; /* unit 0: none */
	const char *username, *name, *phone;
	const char *unit_name, *unit_ancestors; /* "" without a unit */
	int enabled, is_platform_admin;
	int64_t last_login_at; /* 0: never */
	int64_t created_at;
	int nroles;
	const char **roles; /* role keys */
};

/* "138****1234": the first three and last four digits of a phone, or "". */
void phone_mask(const char *phone, char out[32]);

struct user_filter {
	const struct scope *scope;
	const char *unit_subtree; /* ancestors LIKE pattern "/1/3/%", or NULL */
	const char *role;         /* role key, or NULL */
	const char *keyword;      /* substring of username, name or phone, or NULL */
	int enabled;              /* -1 any */
	int oldest_first;         /* 0: newest first (lists); 1: as created (exports) */
	int64_t offset, limit;    /* limit 0: every row */
};

/* Users matching f with their role keys, and how many match in all. */
int user_list(struct store_conn *c, int64_t tenant_id, const struct user_filter *f, struct arena *a,
              struct user **out, int *n, int64_t *total, struct error *e);

/* One user in scope s (NULL: the whole tenant), with roles; ERR_NOT_FOUND. */
int user_get(struct store_conn *c, int64_t tenant_id, const struct scope *s, int64_t id,
             struct arena *a, struct user *out, struct error *e);

/* The user as the API shows it; the phone masked unless full_phone. */
json_t *user_json(const struct user *u, int full_phone);

/* *taken = 1 when any tenant has an account with this username (except_id aside). */
int user_username_taken(struct store_conn *c, const char *username, int64_t except_id, int *taken,
                        struct error *e);

struct user_fields {
	const char *username, *name, *phone;
	int64_t unit_id; /* 0: none */
	int enabled;
	const char *password_hash; /* create only */
};

/* Insert a user; ERR_CONFLICT (field username) when the username is taken. */
int user_create(struct store_conn *c, int64_t tenant_id, const struct user_fields *f, int64_t *id,
                struct error *e);

/* Write username, name, phone, unit and enabled. */
int user_update(struct store_conn *c, int64_t tenant_id, int64_t id, const struct user_fields *f,
                struct error *e);

/* Replace the roles of a user with role_ids[0..n). */
int user_set_roles(struct store_conn *c, int64_t user_id, const int64_t *role_ids, int n,
                   struct error *e);

/* Delete a user (their sessions and role grants go with them). */
int user_delete(struct store_conn *c, int64_t tenant_id, int64_t id, struct error *e);

/* ---- imports ------------------------------------------------------------- */

/*
 * Checking a sheet before anything is written: every bad cell becomes an
 * {row, field, message} in an errors array (the row as Excel numbers it, the
 * field as the column's header), and only a sheet without errors is written.
 */

/* "启用" 1, "停用" 0 (and the spellings people use; empty is 启用); -1 otherwise. */
int org_status_value(const char *s);

/* 1 when s holds an ASCII control character (line breaks forge logs and sheets). */
int org_has_control(const char *s);

/* A phone as units accept it: empty or digits, spaces, +, -. */
int org_phone_ok(const char *s);

/* Append {row, field, message} to errors (at most 1,000 are kept). */
void org_import_error(json_t *errors, int row, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/*
 * Locate the named columns in a sheet's header row: idx[i] = 0-based column
 * of names[i] (a trailing "*" on the header is ignored), -1 when missing.
 */
void org_sheet_columns(const char *const *headers, int nheaders, const char *const *names, int n,
                       int *idx);

/*
 * Check the header row of an import: data rows exist and are not too many
 * (5,000), and the first nrequired of names are columns (col[] as
 * org_sheet_columns).  Problems go to errors; ERR_INVALID when there are any.
 */
struct sheet;
struct sheet_row;
int org_import_header(const struct sheet *sh, const char *const *names, int ncols, int nrequired,
                      int *col, json_t *errors);

/* Columns of the units sheet; the first two are required. */
enum { UC_NAME, UC_KIND, UC_PARENT, UC_LEADER, UC_LIAISON, UC_PHONE, UC_SORT, UC_STATUS, UC_NCOLS };
extern const char *const unit_import_columns[UC_NCOLS];

/*
 * The units of the tenant followed by the rows of the sheet checked so far.
 * A row's unit has a temporary id below zero and its parent's id (real or
 * temporary), so names and paths resolve against both alike; parents are
 * rows earlier in the sheet or units that exist.
 */
struct unit_import {
	struct unit *units;
	int *parent; /* index of the parent in units: -1 top level, -2 unresolved */
	int *row;    /* sheet row, 0 for a unit that exists */
	int n, nexisting;
	const struct scope *scope; /* org:unit:import */
	json_t *errors;
	struct arena *a;
};

void unit_import_init(struct unit_import *p, const struct unit *all, int nall, int nrows,
                      const struct scope *s, json_t *errors, struct arena *a);

/* Check one data row (col[] indexed by UC_*) and add it as units[n]. */
void unit_import_check(struct unit_import *p, const struct sheet_row *row, const int *col);

/* ---- rules about users (no SQL) ----------------------------------------- */

#define USER_MAX_ROLES                16 /* roles one user may be given */
#define USER_GENERATED_PASSWORD_CHARS 16 /* about 93 random bits */

/* 2–32 letters, digits, "_", "." or "-". */
int user_username_ok(const char *s);

/* Empty, or a mainland mobile number: 11 digits starting with 1. */
int user_mobile_ok(const char *s);

/* The caller holds the admin role or runs the platform. */
int org_is_admin(const struct principal *p);

/* The user holds the admin role or runs the platform (only admins touch such accounts). */
int user_is_admin(const struct user *u);

/* 1 when scope s (over users) covers u: through its unit, or u as "self". */
int user_in_scope(const struct scope *s, const struct user *u);

/*
 * Why p may not grant role (NULL when it may): a non-admin grants neither
 * admin, nor permissions they lack, nor (without the whole tenant in
 * edit_scope) a role whose own scope is all or custom.
 */
const char *org_grant_refusal(const struct principal *p, const struct scope *edit_scope,
                              const struct org_role *role);

/* Columns of the users sheet; the first four are required. */
enum { UI_USERNAME, UI_NAME, UI_UNIT, UI_ROLES, UI_PHONE, UI_PASSWORD, UI_STATUS, UI_NCOLS };
extern const char *const user_import_columns[UI_NCOLS];

struct user_import {
	struct store_conn *c; /* for usernames taken by accounts that exist */
	const struct principal *who;
	struct arena *a;
	const struct unit *units; /* every unit of the tenant */
	int nunits;
	const struct org_role *roles;
	int nroles;
	struct scope scope; /* where the importer may put users (units only) */
	json_t *errors;
	const char **keys; /* the sheet's usernames so far (hash set) */
	int *rows;
	size_t cap;
};

struct user_import_row {
	int row;
	struct user_fields f;
	int64_t role_ids[USER_MAX_ROLES];
	int nroles;
	const char *password; /* as typed in the sheet, or NULL: generate one */
	char hash[PASSWORD_HASH_MAX];
};

/* Set up x (c, who, a, units, roles and scope filled in) for a sheet of nrows rows. */
void user_import_init(struct user_import *x, int nrows, json_t *errors);

/* Check one data row (col[] indexed by UI_*) into u; <0 only when the database fails. */
int user_import_check(struct user_import *x, const struct sheet_row *row, const int *col,
                      struct user_import_row *u, struct error *e);

/*
 * Hash the passwords of users[0..n): chosen ones with the full Argon2id cost
 * on every core, missing ones generated (cheaply hashed: they are random)
 * and listed in generated as {row, username, password}.
 */
int user_import_passwords(struct user_import_row *users, int n, json_t *generated, struct arena *a,
                          struct error *e);

/* ---- routes ------------------------------------------------------------ */

void unit_routes(struct router *rt);
void user_routes(struct router *rt);

/* Both: what routes.c calls. */
void org_routes(struct router *rt);

#endif

/*
 * auth.h - sessions, login throttling, the logged-in principal and its data
 * scope.
 *
 * A session token is 256 random bits sent as the cookie wm_session; the
 * database keeps only its SHA-256, so every server instance accepts it and a
 * leaked database does not leak sessions.  Each request loads its principal
 * from the token: the user, their unit, their roles with each role's
 * permissions and data scope.
 *
 * Data scope (docs/domain.md, "Data scope"): for a permission, the user's scope is the union of
 * the scopes of the roles that grant THAT permission.  struct scope holds
 * that union as data (flags, unit ids, a unit path); scope_args turns it
 * into the bound values of a scoped query for the store layer.
 */
#ifndef WENMING_AUTH_H
#define WENMING_AUTH_H

#include <stdint.h>

#include "auth/perm.h"
#include "core/arena.h"
#include "core/err.h"
#include "store/store.h"

#define AUTH_TOKEN_LEN 43 /* base64url of 32 bytes, no padding */
#define AUTH_MAX_ROLES 16

struct principal_role {
	int64_t id;
	const char *key;
	enum data_scope scope;
	const int64_t *unit_ids; /* the custom scope's units */
	int nunits;
	struct permset perms;
};

struct principal {
	int64_t session_id, user_id, tenant_id, unit_id;
	const char *username, *name;
	const char *unit_ancestors; /* "/1/3/" or "" without a unit */
	int is_platform_admin;
	int64_t expires_at, last_seen_at;
	char csrf[AUTH_TOKEN_LEN + 1];
	int nroles;
	struct principal_role roles[AUTH_MAX_ROLES];
	struct permset perms; /* union over roles */
};

/*
 * The rows a principal may touch for one permission: everything, or the
 * union of some units one by one, one unit with every unit below it, and
 * the rows the user owns.  The whole tenant: {.all = 1} (SCOPE_EVERYTHING).
 */
struct scope {
	int all;
	int64_t self_user_id;    /* 0: not included */
	const int64_t *unit_ids; /* units one by one (nunits of them) */
	int nunits;
	const char *subtree; /* ancestors path "/1/3/": that unit and below; NULL: none */
};

#define SCOPE_EVERYTHING                                                                           \
	{                                                                                          \
		.all = 1                                                                           \
	}

struct auth_settings {
	int idle_seconds;
	int absolute_seconds;
};

/* 1 when p holds perm (platform admins hold system:tenant:*). */
int principal_has(const struct principal *p, const char *perm);

/* The union scope of p's roles that grant perm (allocations from a). */
void principal_scope(const struct principal *p, const char *perm, struct arena *a,
                     struct scope *out);

/* Add unit_id to s's units one by one (allocations from a). */
void scope_add_unit(struct scope *s, int64_t unit_id, struct arena *a);

/*
 * The four bound values a scoped query takes, in this order, for a clause
 * written as (see store.h for IN_IDS, sv_ids and sv_prefix):
 *   (? = 1 OR <unit column> IN_IDS(?) OR <ancestors column> LIKE ? OR <owner column> = ?)
 */
void scope_args(const struct scope *s, struct store_val out[4]);

/*
 * 1 when unit unit_id, whose ancestors path is ancestors ("/1/3/7/"), lies
 * within s: all, one of its units, or below its subtree (checked in memory).
 */
int scope_covers_unit(const struct scope *s, int64_t unit_id, const char *ancestors);

/* Create a session; token_out and csrf_out get AUTH_TOKEN_LEN + 1 bytes. */
int auth_session_create(struct store_conn *c, int64_t user_id, int64_t tenant_id, const char *ip,
                        const char *user_agent, const struct auth_settings *cfg, char *token_out,
                        char *csrf_out, int64_t *expires_at, int64_t *session_id, struct error *e);

/*
 * Load the principal of a token: ERR_UNAUTHORIZED when unknown, revoked,
 * idle or past its absolute end, or the user is disabled.
 */
int auth_session_load(struct store_conn *c, const char *token, const struct auth_settings *cfg,
                      struct arena *a, struct principal **out, struct error *e);

/*
 * The principal of an enabled user acting without a session (no token,
 * no CSRF), for a process that runs domain functions as that user:
 * `wenming demo` plays its county's months as its accounts.  ERR_NOT_FOUND
 * for no such user of the tenant, ERR_FORBIDDEN when it is disabled.
 */
int auth_principal_of_user(struct store_conn *c, int64_t tenant_id, int64_t user_id,
                           struct arena *a, struct principal **out, struct error *e);

/* Revoke one session by token (logout); unknown tokens are not an error. */
int auth_session_revoke_token(struct store_conn *c, const char *token, const char *why,
                              struct error *e);

/* Revoke every session of a user except keep_session_id (0: all). */
int auth_sessions_revoke_user(struct store_conn *c, int64_t user_id, int64_t keep_session_id,
                              const char *why, struct error *e);

/* ---- login throttling --------------------------------------------- */

enum throttle_verdict { THROTTLE_OK = 0, THROTTLE_WAIT, THROTTLE_LOCKED };

/* What one attempt did to one key (an account "u:NAME" or an address "ip:ADDR"). */
struct throttle_key {
	enum throttle_verdict verdict; /* THROTTLE_OK: check the password */
	int64_t retry_after;           /* seconds, when refused */
	int64_t failures;              /* within the window, this attempt included */
	int64_t refused;               /* attempts refused since the delay began (or during
	                                  the lock that just ended) */
	int throttle_started;          /* the first refusal: the delay has begun */
	int locked_now;                /* this attempt started a lock */
	int lock_ended;                /* a lock ran out before this attempt */
};

/*
 * Check and count one login attempt for the account key and the address
 * key in one write transaction of its own, so parallel guesses at one
 * account each see the ones before them: the attempt counts as an account
 * failure up front (a correct password clears the account key).  The
 * address is only checked (counted when refused); after a wrong password
 * the caller counts it with throttle_failed.
 */
int throttle_attempt(struct store_conn *c, const char *ukey, const char *ikey,
                     struct throttle_key *u, struct throttle_key *ip, struct error *e);

/* Count a wrong password on the address key ikey (its own transaction). */
int throttle_failed(struct store_conn *c, const char *ikey, struct throttle_key *k,
                    struct error *e);

/* Forget key's failures (after a successful login). */
int throttle_clear(struct store_conn *c, const char *key, struct error *e);

/* SHA-256 of a token as 64 hex characters. */
void auth_token_hash(const char *token, char out[65]);

#endif

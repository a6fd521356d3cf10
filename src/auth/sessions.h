/*
 * sessions.h - the online users of a tenant: listing live sessions and
 * forcing one out (session_db.c for the SQL, api_sessions.c for /sessions).
 *
 * A session is live when it is not revoked, its absolute end is ahead and
 * it was seen within the idle timeout: exactly the sessions
 * auth_session_load would still accept.  Both calls take the caller's data
 * scope for their permission, so a role scoped to a unit sees and ends only
 * that unit's sessions; another tenant's session is ERR_NOT_FOUND.
 */
#ifndef WENMING_SESSIONS_H
#define WENMING_SESSIONS_H

#include <jansson.h>
#include <stdint.h>

#include "core/err.h"

struct store_conn;
struct scope;
struct router;

struct session_filter {
	int64_t tenant_id;
	const struct scope *scope;
	int64_t now, idle_ms;
	const char *user;   /* substring of username or name, or NULL */
	int64_t current_id; /* marked "current": true */
	int64_t offset, limit;
};

/*
 * One page of live sessions, most recently seen first, as {id, user_id,
 * username, name, unit_name, ip, user_agent, created_at, last_seen_at,
 * expires_at, current}, and the total.
 */
int session_list_json(struct store_conn *c, const struct session_filter *f, json_t **items,
                      int64_t *total, struct error *e);

/*
 * Revoke live session id (tenant, scope, clock and idle from f) with reason
 * "kicked"; *user_id and username (64 bytes) say whose it was.  ERR_NOT_FOUND
 * when there is no such live session in reach.
 */
int session_kick(struct store_conn *c, const struct session_filter *f, int64_t id, int64_t *user_id,
                 char *username, struct error *e);

/* GET /sessions, DELETE /sessions/{id}. */
void session_routes(struct router *rt);

#endif

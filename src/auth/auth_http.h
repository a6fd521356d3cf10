/*
 * auth_http.h - authorization of each request, called by the server before
 * the handler: the session cookie, the CSRF token of mutating requests and
 * the route's permission.  Denials are audited.
 */
#ifndef WENMING_AUTH_HTTP_H
#define WENMING_AUTH_HTTP_H

struct req;

#define SESSION_COOKIE "wm_session"

/* 0: go on; else an ERR_* code already described on r (401, 403, 503). */
int auth_authorize(struct req *r);

struct router;

/* /auth/login, /auth/logout, /me, /me/password (api_auth.c). */
void auth_routes(struct router *rt);

/* The actor hook the HTTP layer calls for an audit row: r's tenant, user and username. */
#include <stdint.h>
void auth_actor(struct req *r, int64_t *tenant_id, int64_t *user_id, const char **username);

#endif

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

/* 1 for POST, PUT, PATCH and DELETE. */
int auth_is_mutating(const char *method);

#endif

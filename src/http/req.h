/*
 * req.h - one HTTP request as a handler sees it.
 *
 * A handler is `int handler(struct req *r)`.  It either replies
 * (req_reply_json and friends) and returns 0, or returns a negative ERR_*
 * code after describing the problem with req_fail(); the server then sends
 * the JSON error body {"error":{"code","message","field"?,"request_id"}}.
 *
 * Everything a handler allocates comes from r->arena and dies with the
 * request.  The database connection from req_db() is borrowed for the
 * request and given back by the server.
 */
#ifndef WENMING_REQ_H
#define WENMING_REQ_H

#include <jansson.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "core/strbuf.h"
#include "http/router.h"

struct app;
struct store_conn;
struct principal;

#define REQ_MAX_HEADERS 8

struct req {
	struct arena arena;
	struct app *app;
	void *conn; /* struct MHD_Connection, opaque here */
	const char *method;
	const char *path;
	char id[17]; /* request id, also sent as X-Request-Id */
	char ip[64];
	int64_t start_ns;

	struct route_match match;
	int route_rc; /* router_match result */
	char allow[64];

	struct strbuf body;
	int body_fd;       /* streamed body (route->stream_body), or -1 */
	long body_size;    /* bytes in body_fd */
	json_t *json_body; /* parsed by req_body_json, freed at the end */
	long body_limit;
	int body_too_large;
	long discarded; /* bytes of an over-size body thrown away */

	struct store_conn *db;
	struct principal *who; /* the logged-in user, NULL on public routes */
	const char *token;     /* the session cookie as sent, or NULL */
	int audited;           /* the handler wrote an audit row */
	struct error err;

	/* the response, built by req_reply* and queued by the server */
	int status;
	void *response; /* struct MHD_Response */
	size_t response_bytes;
	int nheaders;
	const char *header_names[REQ_MAX_HEADERS];
	const char *header_values[REQ_MAX_HEADERS];
	int queued;  /* response handed to libmicrohttpd */
	int counted; /* counted in the server's in-flight total */
};

/* Query-string argument, or NULL. */
const char *req_query(struct req *r, const char *key);

/* Cookie value, or NULL. */
const char *req_cookie(struct req *r, const char *name);

/* Request header (case-insensitive name), or NULL. */
const char *req_header(struct req *r, const char *name);

/* Path parameter of the matched route by name ("id" for {id}), or NULL. */
const char *req_param(struct req *r, const char *name);

/*
 * The `page` (from 1) and `size` (1-500, default 20) query arguments as an
 * offset and a limit; ERR_INVALID naming the argument otherwise.
 */
int req_page(struct req *r, int64_t *offset, int64_t *limit);

/* Path parameter as a positive id; ERR_NOT_FOUND (set on r) otherwise. */
int req_param_id(struct req *r, const char *name, int64_t *out);

/*
 * Parse the body as one strict JSON object: Content-Type application/json
 * (415 otherwise), valid UTF-8, no duplicate keys, no \u0000 (400).  The
 * returned object belongs to the request; do not json_decref it.
 */
int req_body_json(struct req *r, json_t **out);

/* Describe a failure on r and return code (for `return req_fail(...)`). */
int req_fail(struct req *r, int code, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Copy an error record onto r and return its code. */
int req_fail_error(struct req *r, const struct error *e);

/* The request's database connection, borrowed on first use; NULL and r->err set on failure. */
struct store_conn *req_db(struct req *r);

/* Add a response header (both strings must outlive the request, e.g. arena). */
void req_add_header(struct req *r, const char *name, const char *value);

/* One audit row as the HTTP layer hands it to the audit log (audit/ stores it). */
struct req_audit_row {
	int64_t tenant_id; /* 0: none */
	int64_t user_id;   /* 0: anonymous */
	const char *username;
	const char *ip;
	const char *action;      /* "user.create", "auth.login", ... */
	const char *object_type; /* "user", "unit", ... or "" */
	const char *object_id;   /* "" when none */
	const char *summary;     /* JSON text; never a password or a token */
	const char *result;      /* "ok" | "denied" | "failed" */
	const char *request_id;
};

/*
 * What the application plugs into this layer at start-up (routes.c), so
 * http/ needs nothing above it: who may call a route, who a request acts
 * for, and how an audit row is written.
 */
struct http_hooks {
	/* Before every matched handler: 0 to go on, else an ERR_* code described on r. */
	int (*authorize)(struct req *r);
	/* The tenant, user and username r acts for (0, 0, "" when nobody is logged in). */
	void (*actor)(struct req *r, int64_t *tenant_id, int64_t *user_id, const char **username);
	/* Append row on c: inside the caller's write transaction, or (alone) in one of its own. */
	int (*audit_write)(struct store_conn *c, const struct req_audit_row *row, int alone,
	                   struct error *e);
};

/* Register the hooks (copied); call once before the server starts. */
void http_set_hooks(const struct http_hooks *h);

/* Run the authorization hook for r (fails closed when none is registered). */
int req_authorize(struct req *r);

/* 1 for POST, PUT, PATCH and DELETE. */
int req_is_mutating(const char *method);

/* Write an audit row through the registered hook (see struct http_hooks). */
int req_audit_write(struct store_conn *c, const struct req_audit_row *row, int alone,
                    struct error *e);

/*
 * Append an audit row for this request (user, address, request id filled
 * in) on connection c, inside the caller's write transaction.  summary may
 * be NULL; the reference is stolen.
 */
int req_audit(struct req *r, struct store_conn *c, const char *action, const char *object_type,
              int64_t object_id, json_t *summary);

/*
 * End the write transaction on c that a handler opened: commit when rc is 0;
 * otherwise (or when the commit fails) roll back.  Returns 0, or the error
 * already described on r (else e's, copied onto r).
 */
int req_tx_end(struct req *r, struct store_conn *c, int rc, struct error *e);

/* Reply 204 No Content. */
int req_reply_empty(struct req *r);

/* Reply with a JSON document; steals the reference to body. */
int req_reply_json(struct req *r, int status, json_t *body);

/* Reply with bytes: copy != 0 copies data, else data must outlive the server. */
int req_reply_bytes(struct req *r, int status, const char *content_type, const void *data,
                    size_t len, int copy);

/*
 * Reply 200 with the len bytes of the open file fd as an attachment named
 * utf8_name (ascii_name as the fallback); the response owns fd and closes it
 * when sent, so the bytes are streamed from disk, never held in memory.
 */
int req_reply_fd(struct req *r, const char *content_type, int fd, size_t len,
                 const char *ascii_name, const char *utf8_name);

/* Reply with the JSON error body for r->err (the server calls this). */
int req_reply_error(struct req *r);

#endif

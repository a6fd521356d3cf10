/* req.c - the request API handlers use, on top of libmicrohttpd. */
#include "http/req.h"

#include <microhttpd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "app.h"
#include "core/log.h"
#include "core/parse.h"
#include "core/utf8.h"
#include "http/json_io.h"
#include "store/store.h"

const char *req_query(struct req *r, const char *key)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, key);
}

const char *req_cookie(struct req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
}

const char *req_header(struct req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *req_param(struct req *r, const char *name)
{
	size_t n = strlen(name);
	int i;

	for (i = 0; i < r->match.nparams; i++) {
		const char *pat = r->match.names[i]; /* "{name}" */

		if (!strncmp(pat + 1, name, n) && pat[n + 1] == '}' && pat[n + 2] == '\0')
			return r->match.values[i];
	}
	return NULL;
}

int req_page(struct req *r, int64_t *offset, int64_t *limit)
{
	const char *ps = req_query(r, "page"), *ss = req_query(r, "size");
	int64_t page = 1, size = 20;

	if (ps && *ps && (page = parse_count(ps, 1000000)) < 1)
		return req_fail(r, ERR_INVALID, "page", "页码 page 应为正整数");
	if (ss && *ss && (size = parse_count(ss, 500)) < 1)
		return req_fail(r, ERR_INVALID, "size", "每页条数 size 应在 1 到 500 之间");
	*offset = (page - 1) * size;
	*limit = size;
	return 0;
}

int req_param_id(struct req *r, const char *name, int64_t *out)
{
	const char *v = req_param(r, name);
	int64_t n = v ? parse_count(v, INT64_MAX) : -1;

	if (n <= 0)
		return req_fail(r, ERR_NOT_FOUND, NULL, NULL);
	*out = n;
	return 0;
}

int req_body_json(struct req *r, json_t **out)
{
	const char *ct = req_header(r, MHD_HTTP_HEADER_CONTENT_TYPE);
	struct error e;
	json_t *doc;

	*out = NULL;
	if (r->json_body) {
		*out = r->json_body;
		return 0;
	}
	if (!ct || strncasecmp(ct, "application/json", 16) ||
	    (ct[16] && ct[16] != ';' && ct[16] != ' '))
		return req_fail(r, ERR_MEDIA_TYPE, NULL, "请求内容必须是 JSON (application/json)");
	error_init(&e);
	if (json_parse_object(r->body.buf, r->body.len, &doc, &e))
		return req_fail_error(r, &e);
	r->json_body = doc; /* released when the request ends */
	*out = doc;
	return 0;
}

int req_fail(struct req *r, int code, const char *field, const char *fmt, ...)
{
	va_list ap;

	r->err.code = code;
	r->err.retry_after = 0;
	snprintf(r->err.field, sizeof(r->err.field), "%s", field ? field : "");
	if (fmt) {
		va_start(ap, fmt);
		vsnprintf(r->err.message, sizeof(r->err.message), fmt, ap);
		va_end(ap);
	} else {
		snprintf(r->err.message, sizeof(r->err.message), "%s", err_default_message(code));
	}
	return code;
}

int req_fail_error(struct req *r, const struct error *e)
{
	if (e->code == ERR_OK)
		return req_fail(r, ERR_INTERNAL, NULL, NULL);
	r->err = *e;
	if (!r->err.message[0])
		snprintf(r->err.message, sizeof(r->err.message), "%s",
		         err_default_message(e->code));
	return e->code;
}

struct store_conn *req_db(struct req *r)
{
	if (!r->db) {
		struct error e;

		error_init(&e);
		r->db = store_acquire(r->app->store, &e);
		if (!r->db)
			req_fail_error(r, &e);
	}
	return r->db;
}

void req_add_header(struct req *r, const char *name, const char *value)
{
	if (r->nheaders == REQ_MAX_HEADERS) {
		log_error("req %s: too many response headers", r->id);
		return;
	}
	r->header_names[r->nheaders] = name;
	r->header_values[r->nheaders] = value;
	r->nheaders++;
}

static int req_set_response(struct req *r, int status, struct MHD_Response *resp,
                            const char *content_type, size_t len)
{
	if (!resp) {
		log_error("req %s: cannot create response", r->id);
		return req_fail(r, ERR_INTERNAL, NULL, NULL);
	}
	if (r->response)
		MHD_destroy_response(r->response);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, content_type);
	r->response = resp;
	r->status = status;
	r->response_bytes = len;
	return 0;
}

static struct http_hooks hooks;

void http_set_hooks(const struct http_hooks *h)
{
	hooks = *h;
}

int req_is_mutating(const char *method)
{
	return !strcmp(method, "POST") || !strcmp(method, "PUT") || !strcmp(method, "PATCH") ||
	       !strcmp(method, "DELETE");
}

int req_authorize(struct req *r)
{
	if (!hooks.authorize) {
		log_error("req %s: no authorization hook registered", r->id);
		return req_fail(r, ERR_INTERNAL, NULL, NULL);
	}
	return hooks.authorize(r);
}

int req_audit_write(struct store_conn *c, const struct req_audit_row *row, int alone,
                    struct error *e)
{
	if (!hooks.audit_write) {
		log_error("req %s: no audit hook registered", row->request_id);
		return error_set(e, ERR_INTERNAL, NULL, NULL);
	}
	return hooks.audit_write(c, row, alone, e);
}

int req_audit(struct req *r, struct store_conn *c, const char *action, const char *object_type,
              int64_t object_id, json_t *summary)
{
	struct req_audit_row a;
	struct error e;
	char *text = summary ? json_dumps(summary, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	char oid[24] = "";
	int rc;

	if (object_id)
		snprintf(oid, sizeof(oid), "%lld", (long long)object_id);
	memset(&a, 0, sizeof(a));
	a.username = "";
	if (hooks.actor)
		hooks.actor(r, &a.tenant_id, &a.user_id, &a.username);
	a.ip = r->ip;
	a.action = action;
	a.object_type = object_type ? object_type : "";
	a.object_id = oid;
	a.summary = text ? text : "{}";
	a.result = "ok";
	a.request_id = r->id;
	error_init(&e);
	rc = req_audit_write(c, &a, 0, &e);
	free(text);
	json_decref(summary);
	if (rc)
		return req_fail_error(r, &e);
	r->audited = 1;
	return 0;
}

int req_tx_end(struct req *r, struct store_conn *c, int rc, struct error *e)
{
	if (!rc)
		rc = store_commit(c, e);
	if (rc) {
		store_rollback(c);
		return r->err.code ? r->err.code : req_fail_error(r, e);
	}
	return 0;
}

int req_reply_empty(struct req *r)
{
	return req_reply_bytes(r, 204, "application/json; charset=utf-8", "", 0, 0);
}

int req_reply_json(struct req *r, int status, json_t *body)
{
	char *text = json_dumps(body, JSON_COMPACT | JSON_REAL_PRECISION(12));
	size_t len;

	json_decref(body);
	if (!text)
		return req_fail(r, ERR_INTERNAL, NULL, NULL);
	len = strlen(text);
	return req_set_response(r, status,
	                        MHD_create_response_from_buffer(len, text, MHD_RESPMEM_MUST_FREE),
	                        "application/json; charset=utf-8", len);
}

int req_reply_bytes(struct req *r, int status, const char *content_type, const void *data,
                    size_t len, int copy)
{
	return req_set_response(
	    r, status,
	    MHD_create_response_from_buffer(len, (void *)data,
	                                    copy ? MHD_RESPMEM_MUST_COPY : MHD_RESPMEM_PERSISTENT),
	    content_type, len);
}

int req_reply_error(struct req *r)
{
	json_t *err, *doc;

	if (r->err.code == ERR_OK)
		req_fail(r, ERR_INTERNAL, NULL, NULL);
	if (r->err.code == ERR_INTERNAL) {
		/* The details went to the log; the client gets the id to quote. */
		log_error("req %s: %s %s answered 500", r->id, r->method, r->path);
		snprintf(r->err.message, sizeof(r->err.message), "%s（请求编号 %s）",
		         err_default_message(ERR_INTERNAL), r->id);
	}
	/* a message may quote what the client sent, which need not be UTF-8 */
	utf8_scrub(r->err.message);
	utf8_scrub(r->err.field);
	err = json_pack("{s:s, s:s, s:s}", "code", err_code_name(r->err.code), "message",
	                r->err.message, "request_id", r->id);
	if (r->err.field[0])
		json_object_set_new(err, "field", json_string(r->err.field));
	if (r->err.retry_after > 0) {
		json_object_set_new(err, "retry_after", json_integer(r->err.retry_after));
		req_add_header(r, "Retry-After",
		               arena_printf(&r->arena, "%ld", r->err.retry_after));
	}
	doc = json_pack("{s:o}", "error", err);
	if (r->err.code == ERR_METHOD && r->allow[0])
		req_add_header(r, MHD_HTTP_HEADER_ALLOW, r->allow);
	return req_reply_json(r, err_http_status(r->err.code), doc);
}

int req_reply_fd(struct req *r, const char *content_type, int fd, size_t len,
                 const char *ascii_name, const char *utf8_name)
{
	static const char hex[] = "0123456789ABCDEF";
	struct strbuf cd = STRBUF_INIT;
	struct MHD_Response *resp;
	const unsigned char *p;
	int rc;

	strbuf_addf(&cd, "attachment; filename=\"%s\"; filename*=UTF-8''", ascii_name);
	for (p = (const unsigned char *)utf8_name; *p; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || strchr("!#$&+-.^_`|~", *p)) {
			strbuf_addch(&cd, (char)*p);
		} else {
			strbuf_addch(&cd, '%');
			strbuf_addch(&cd, hex[*p >> 4]);
			strbuf_addch(&cd, hex[*p & 15]);
		}
	}
	req_add_header(r, MHD_HTTP_HEADER_CONTENT_DISPOSITION, arena_strdup(&r->arena, cd.buf));
	strbuf_release(&cd);
	resp = MHD_create_response_from_fd((uint64_t)len, fd);
	if (!resp)
		close(fd); /* the response owns fd only once it exists */
	rc = req_set_response(r, 200, resp, content_type, len);
	return rc;
}

/*
 * reply.h - query arguments and replies every domain's endpoints share
 * (filters in the query string, .xlsx downloads, refused imports, times as
 * a person reads them).
 */
#ifndef WENMING_HTTP_REPLY_H
#define WENMING_HTTP_REPLY_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/arena.h"
#include "core/err.h"

struct req;
struct sheet_writer;

/* An optional boolean filter ("1", "0", "true", "false"); -1 when absent. */
int http_query_bool(struct req *r, const char *key, int *out);

/* An optional positive id in the query string; 0 when absent. */
int http_query_id(struct req *r, const char *key, int64_t *out);

#define HTTP_IDEMPOTENCY_KEY_MAX 64

/*
 * The idempotency key of a create that a phone may send again: the header
 * Idempotency-Key and/or the body's client_key (equal when both are given),
 * 1-64 characters of A-Z a-z 0-9 . _ : -.  Fails the request (400,
 * client_key) when it is missing, malformed or the two differ.
 */
int http_idempotency_key(struct req *r, json_t *body, const char **out);

/* Reply an .xlsx download named utf8_name (a date is appended). */
int http_reply_xlsx(struct req *r, void *data, size_t len, const char *ascii_name,
                    const char *utf8_name);

/*
 * End an export whose rows are written (rc: how writing them went): finish
 * the workbook, audit action with summary in a transaction of its own and
 * reply the .xlsx.  Releases w and summary in every case.
 */
int http_reply_export(struct req *r, struct sheet_writer *w, int rc, struct error *e,
                      const char *action, const char *object_type, json_t *summary,
                      const char *ascii_name, const char *utf8_name);

/* Reply 422 {error, imported: 0, errors} for a refused import. */
int http_reply_import_errors(struct req *r, json_t *errors);

/* Write one audit row in a transaction of its own (an export, which changes nothing else). */
int http_audit_alone(struct req *r, const char *action, const char *object_type, json_t *summary);

/* {"rows": rows, key: value...} of the query keys[] (NULL-terminated) that were given. */
json_t *http_query_summary(struct req *r, const char *const *keys, int64_t rows);

/* Milliseconds as "2026-11-22 08:30" at offset minutes (http_tenant_minutes), "" for 0. */
const char *http_format_local(int64_t ms, int minutes, struct arena *a);

/* Milliseconds as "2026-11-22 08:30" in China time, "" for 0. */
const char *http_format_time(int64_t ms, struct arena *a);

#endif

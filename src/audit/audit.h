/*
 * audit.h - the append-only, hash-chained audit log.
 *
 * Every row keeps the hash of its own content and the previous row's hash,
 * so editing or deleting any row breaks the chain at that row, and
 * `wenming audit verify` names it.  A change and its audit row are written in
 * the same transaction (audit_append inside the caller's write transaction);
 * events that change nothing else (a failed login, a denied request) use
 * audit_append_alone, which opens its own.
 *
 * The chain's head is one row (audit_head); updating it first in the
 * transaction serializes every writer of the chain on both back ends.
 */
#ifndef WENMING_AUDIT_H
#define WENMING_AUDIT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "http/req.h"

struct store_conn;

/* An audit row is struct req_audit_row (http/req.h): the HTTP layer builds them too. */

/* Append inside the caller's open write transaction. */
int audit_append(struct store_conn *c, const struct req_audit_row *a, struct error *e);

/* The HTTP layer's audit hook (struct http_hooks): append row, alone or not. */
int audit_write_row(struct store_conn *c, const struct req_audit_row *row, int alone,
                    struct error *e);

/* Append in a transaction of its own (c must not be in one). */
int audit_append_alone(struct store_conn *c, const struct req_audit_row *a, struct error *e);

struct audit_verify_result {
	int64_t rows;   /* rows checked */
	int64_t bad_id; /* first broken row, 0 when the chain holds */
	char why[256];
};

/* Recompute the whole chain. */
int audit_verify(struct store_conn *c, struct audit_verify_result *out, struct error *e);

struct audit_filter {
	int64_t tenant_id;
	int64_t from, to;        /* ms; 0 = open */
	const char *username;    /* exact, or NULL */
	const char *action;      /* prefix ("auth." for the login log), or NULL */
	const char *object_type; /* or NULL */
	const char *result;      /* or NULL */
	int64_t offset, limit;
};

/* Rows newest first as a JSON array, and the total matching. */
int audit_list(struct store_conn *c, const struct audit_filter *f, json_t **items, int64_t *total,
               struct error *e);

/* ---- the catalogue of labels (audit_labels.c) ------------------------------- */

/* "problem.submit" → 提交整改; "unit.create" → 新增单位 (buf holds a composed one); else as given.
 */
const char *audit_action_label(const char *action, char *buf, size_t size);
/* "unit" → 单位; else as given. */
const char *audit_object_label(const char *type);
/* The summary as one line in Chinese ("状态：整改中 → 已反馈，编号：…"); malloc'd. */
char *audit_summary_text(json_t *summary);
/* {actions, verbs, object_types, summary_keys, statuses}: GET /audit/catalogue. */
json_t *audit_catalogue_json(void);

#endif

/* audit_db.c - appending to and verifying the audit chain. */
#include "audit/audit.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/strbuf.h"
#include "http/req.h"
#include "store/store.h"

STORE_SQL(q_head_take, "UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, last_hash");
STORE_SQL(q_head_set, "UPDATE audit_head SET last_hash = ? WHERE id = 1");
STORE_SQL(q_head_get, "SELECT seq, last_hash FROM audit_head WHERE id = 1");
STORE_SQL(q_audit_insert,
          "INSERT INTO audit_log (id, tenant_id, at, user_id, username, ip, action, object_type,"
          " object_id, summary, result, request_id, prev_hash, hash)"
          " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
STORE_SQL(q_audit_all,
          "SELECT id, COALESCE(tenant_id, 0), at, COALESCE(user_id, 0), username, ip, action,"
          " object_type, object_id, summary, result, request_id, prev_hash, hash"
          " FROM audit_log ORDER BY id");

static const char *nz(const char *s)
{
	return s ? s : "";
}

/*
 * The hashed text: every field in a fixed order, separated by the ASCII unit
 * separator, which cannot appear in JSON text or our other values unescaped.
 */
static void audit_hash(int64_t id, const struct req_audit_row *a, int64_t at, const char *prev,
                       char out[65])
{
	unsigned char digest[crypto_hash_sha256_BYTES];
	struct strbuf sb = STRBUF_INIT;
	int i;

	strbuf_addf(&sb, "%s\x1f%lld\x1f%lld\x1f%lld\x1f%lld\x1f", prev, (long long)id,
	            (long long)a->tenant_id, (long long)at, (long long)a->user_id);
	strbuf_adds(&sb, nz(a->username));
	strbuf_addch(&sb, '\x1f');
	strbuf_adds(&sb, nz(a->ip));
	strbuf_addch(&sb, '\x1f');
	strbuf_adds(&sb, nz(a->action));
	strbuf_addch(&sb, '\x1f');
	strbuf_adds(&sb, nz(a->object_type));
	strbuf_addch(&sb, '\x1f');
	strbuf_adds(&sb, nz(a->object_id));
	strbuf_addch(&sb, '\x1f');
	strbuf_adds(&sb, a->summary ? a->summary : "{}");
	strbuf_addch(&sb, '\x1f');
	strbuf_adds(&sb, a->result ? a->result : "ok");
	strbuf_addch(&sb, '\x1f');
	strbuf_adds(&sb, nz(a->request_id));
	crypto_hash_sha256(digest, (const unsigned char *)sb.buf, sb.len);
	strbuf_release(&sb);
	for (i = 0; i < (int)sizeof(digest); i++)
		snprintf(out + i * 2, 3, "%02x", digest[i]);
}

int audit_append(struct store_conn *c, const struct req_audit_row *a, struct error *e)
{
	struct store_rows *r;
	char prev[65], hash[65];
	int64_t id = 0, at = time_now_ms();
	int rc;

	rc = store_query(c, &q_head_take, NULL, 0, &r, e);
	if (rc)
		return rc;
	rc = store_next(r);
	if (rc > 0) {
		id = store_int(r, 0);
		snprintf(prev, sizeof(prev), "%s", store_text(r, 1));
	}
	store_finish(r);
	if (rc <= 0)
		return error_set(e, ERR_INTERNAL, NULL, NULL);
	audit_hash(id, a, at, prev, hash);
	{
		struct store_val args[] = {
		    sv_int(id),
		    a->tenant_id ? sv_int(a->tenant_id) : sv_null(),
		    sv_int(at),
		    a->user_id ? sv_int(a->user_id) : sv_null(),
		    sv_text(nz(a->username)),
		    sv_text(nz(a->ip)),
		    sv_text(nz(a->action)),
		    sv_text(nz(a->object_type)),
		    sv_text(nz(a->object_id)),
		    sv_text(a->summary ? a->summary : "{}"),
		    sv_text(a->result ? a->result : "ok"),
		    sv_text(nz(a->request_id)),
		    sv_text(prev),
		    sv_text(hash),
		};

		rc = store_exec(c, &q_audit_insert, args, 14, NULL, e);
	}
	if (rc == 0) {
		struct store_val args[] = {sv_text(hash)};

		rc = store_exec(c, &q_head_set, args, 1, NULL, e);
	}
	return rc;
}

int audit_append_alone(struct store_conn *c, const struct req_audit_row *a, struct error *e)
{
	int rc = store_begin(c, 1, e);

	if (rc)
		return rc;
	rc = audit_append(c, a, e);
	if (rc == 0)
		return store_commit(c, e);
	store_rollback(c);
	return rc;
}

int audit_verify(struct store_conn *c, struct audit_verify_result *out, struct error *e)
{
	struct store_rows *r;
	char prev[65] = "0000000000000000000000000000000000000000000000000000000000000000";
	char hash[65];
	int64_t last_id = 0, head_seq = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = store_begin(c, 0, e); /* one consistent snapshot */
	if (rc)
		return rc;
	rc = store_query(c, &q_audit_all, NULL, 0, &r, e);
	if (rc)
		goto out;
	while ((rc = store_next(r)) > 0) {
		struct req_audit_row a;
		int64_t id = store_int(r, 0), at = store_int(r, 2);

		a.tenant_id = store_int(r, 1);
		a.user_id = store_int(r, 3);
		a.username = store_text(r, 4);
		a.ip = store_text(r, 5);
		a.action = store_text(r, 6);
		a.object_type = store_text(r, 7);
		a.object_id = store_text(r, 8);
		a.summary = store_text(r, 9);
		a.result = store_text(r, 10);
		a.request_id = store_text(r, 11);
		out->rows++;
		if (id != last_id + 1) {
			out->bad_id = id;
			snprintf(out->why, sizeof(out->why),
			         "第 %lld 行之前缺少记录（被删除）/ row(s) before %lld missing",
			         (long long)id, (long long)id);
			break;
		}
		if (strcmp(store_text(r, 12), prev)) {
			out->bad_id = id;
			snprintf(out->why, sizeof(out->why),
			         "第 %lld 行的前序哈希不符 / previous hash mismatch",
			         (long long)id);
			break;
		}
		audit_hash(id, &a, at, prev, hash);
		if (strcmp(store_text(r, 13), hash)) {
			out->bad_id = id;
			snprintf(out->why, sizeof(out->why),
			         "第 %lld 行的内容被修改 / content changed", (long long)id);
			break;
		}
		memcpy(prev, hash, sizeof(prev));
		last_id = id;
	}
	store_finish(r);
	if (rc < 0) {
		rc = error_set(e, rc, NULL, NULL);
		goto out;
	}
	rc = 0;
	if (!out->bad_id) {
		/* Rows cut from the end leave the head ahead of the last row. */
		rc = store_query(c, &q_head_get, NULL, 0, &r, e);
		if (rc)
			goto out;
		if (store_next(r) > 0) {
			head_seq = store_int(r, 0);
			if (head_seq != last_id || strcmp(store_text(r, 1), prev)) {
				out->bad_id = last_id + 1;
				snprintf(out->why, sizeof(out->why),
				         "链尾的第 %lld 至 %lld 行缺失 / rows %lld..%lld missing "
				         "at the end",
				         (long long)last_id + 1, (long long)head_seq,
				         (long long)last_id + 1, (long long)head_seq);
			}
		}
		store_finish(r);
	}
out:
	store_rollback(c);
	return rc;
}

STORE_SQL(q_audit_count,
          "SELECT COUNT(*) FROM audit_log WHERE tenant_id = ? AND at >= ? AND at <= ?"
          " AND (? = '' OR username = ?) AND (? = '' OR action LIKE ? ESCAPE '\\')"
          " AND (? = '' OR object_type = ?) AND (? = '' OR result = ?)");
STORE_SQL(q_audit_page,
          "SELECT id, at, COALESCE(user_id, 0), username, ip, action, object_type, object_id,"
          " summary, result, request_id FROM audit_log WHERE tenant_id = ? AND at >= ? AND at <= ?"
          " AND (? = '' OR username = ?) AND (? = '' OR action LIKE ? ESCAPE '\\')"
          " AND (? = '' OR object_type = ?) AND (? = '' OR result = ?)"
          " ORDER BY id DESC LIMIT ? OFFSET ?");

int audit_list(struct store_conn *c, const struct audit_filter *f, json_t **items, int64_t *total,
               struct error *e)
{
	char *action_like = store_like_pattern(NULL, nz(f->action), 0);
	struct store_rows *r;
	struct store_val args[15];
	int rc, n = 0;

	*items = NULL;
	args[n++] = sv_int(f->tenant_id);
	args[n++] = sv_int(f->from);
	args[n++] = sv_int(f->to ? f->to : INT64_MAX);
	args[n++] = sv_text(nz(f->username));
	args[n++] = sv_text(nz(f->username));
	args[n++] = sv_text(nz(f->action));
	args[n++] = sv_text(action_like);
	args[n++] = sv_text(nz(f->object_type));
	args[n++] = sv_text(nz(f->object_type));
	args[n++] = sv_text(nz(f->result));
	args[n++] = sv_text(nz(f->result));
	rc = store_query_int(c, &q_audit_count, args, n, total, e);
	if (rc)
		goto out;
	args[n++] = sv_int(f->limit);
	args[n++] = sv_int(f->offset);
	rc = store_query(c, &q_audit_page, args, n, &r, e);
	if (rc)
		goto out;
	*items = json_array();
	while ((rc = store_next(r)) > 0) {
		json_t *summary = json_loads(store_text(r, 8), 0, NULL);

		json_array_append_new(
		    *items,
		    json_pack("{s:I, s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:s}", "id",
		              (json_int_t)store_int(r, 0), "at", (json_int_t)store_int(r, 1),
		              "user_id", (json_int_t)store_int(r, 2), "username", store_text(r, 3),
		              "ip", store_text(r, 4), "action", store_text(r, 5), "object_type",
		              store_text(r, 6), "object_id", store_text(r, 7), "summary",
		              summary ? summary : json_object(), "result", store_text(r, 9),
		              "request_id", store_text(r, 10)));
	}
	store_finish(r);
	if (rc < 0) {
		json_decref(*items);
		*items = NULL;
		rc = error_set(e, rc, NULL, NULL);
	} else {
		rc = 0;
	}
out:
	free(action_like);
	return rc;
}

int audit_write_row(struct store_conn *c, const struct req_audit_row *row, int alone,
                    struct error *e)
{
	return alone ? audit_append_alone(c, row, e) : audit_append(c, row, e);
}

/*
 * api_announcements.c - /announcements: the office composes a notice (draft
 * or published at once) to all units, chosen units or unit kinds, with
 * attachments and an optional 回执 due time; an addressee's user opening it
 * records the user's and the unit's reading; a unit replies; the office sees
 * per unit who read, who replied and who is overdue, and reminds the rest.
 * Reading needs plan:view (scope as announcement.h says), writing plan:edit,
 * replying plan:report.
 */
#include <stdlib.h>
#include <string.h>

#include "announcement/announcement.h"
#include "announcement/announcement_api.h"
#include "app.h"
#include "auth/auth.h"
#include "core/clock.h"
#include "files/files.h"
#include "http/json_io.h"
#include "http/reply.h"
#include "http/req.h"
#include "http/router.h"
#include "org/org.h"
#include "store/store.h"

void ann_api_scope(struct req *r, struct scope *s)
{
	principal_scope(r->who, "plan:view", &r->arena, s);
}

json_t *ann_files_json(struct req *r, const int64_t *ids, int n)
{
	json_t *files = json_array();
	int i;

	for (i = 0; i < n; i++) {
		struct file_info f;
		struct error e;

		error_init(&e);
		if (!file_get(r->db, r->who->tenant_id, ids[i], &r->arena, &f, &e)) {
			json_t *j = file_json(&f);

			files_urls_json(j, f.id);
			json_array_append_new(files, j);
		}
	}
	return files;
}

static json_t *ann_json(struct req *r, const struct announcement *n, int64_t now)
{
	json_t *kinds = json_loads(n->kinds, 0, NULL), *j;

	j = json_pack("{s:I, s:s, s:s, s:s, s:I, s:s, s:o, s:s, s:I, s:I, s:s, s:I, s:I, s:I,"
	              " s:I, s:I, s:I, s:o}",
	              "id", (json_int_t)n->id, "title", n->title, "body", n->body, "source_kind",
	              n->source_kind, "source_id", (json_int_t)n->source_id, "audience",
	              n->audience, "kinds", kinds ? kinds : json_array(), "status", n->status,
	              "reply_due", (json_int_t)n->reply_due, "author_id", (json_int_t)n->author_id,
	              "author_name", n->author_name, "created_at", (json_int_t)n->created_at,
	              "published_at", (json_int_t)n->published_at, "unit_count",
	              (json_int_t)n->nunits, "read_count", (json_int_t)n->nread, "replied_count",
	              (json_int_t)n->nreplied, "updated_at", (json_int_t)n->updated_at, "files",
	              ann_files_json(r, n->file_ids, n->nfiles));
	if (n->my_unit) {
		int overdue = n->reply_due && !n->my_replied_at && now > n->reply_due;

		json_object_set_new(j, "mine",
		                    json_pack("{s:I, s:I, s:I, s:b}", "unit_id",
		                              (json_int_t)n->my_unit, "read_at",
		                              (json_int_t)n->my_read_at, "replied_at",
		                              (json_int_t)n->my_replied_at, "overdue", overdue));
	} else {
		json_object_set_new(j, "mine", json_null());
	}
	if (n->unit_ids) {
		json_t *ids = json_array();
		int i;

		for (i = 0; i < n->nunit_ids; i++)
			json_array_append_new(ids, json_integer(n->unit_ids[i]));
		json_object_set_new(j, "unit_ids", ids);
	}
	return j;
}

/*
 * The addressees of body's audience: "all" (every enabled unit), "kinds"
 * (the enabled units of the kinds listed) or "units" (unit_ids).
 */
static int read_audience(struct req *r, json_t *body, struct announcement_new *a,
                         struct announcement_audience *aud, struct error *e)
{
	json_t *kinds = json_object_get(body, "kinds"), *v;
	struct unit *units;
	int64_t *ids;
	size_t i;
	int n, k, rc;

	aud->kind = "units";
	aud->kinds = "[]";
	if (json_get_string(body, "audience", JF_NULLABLE, 1, 8, &aud->kind, e))
		return e->code;
	if (!strcmp(aud->kind, "units"))
		return json_get_ids(body, "unit_ids", ANN_MAX_UNITS, &r->arena,
		                    (int64_t **)&a->unit_ids, &a->nunits, e);
	if (strcmp(aud->kind, "all") && strcmp(aud->kind, "kinds"))
		return error_set(
		    e, ERR_INVALID, "audience",
		    "接收范围应为 all（全部单位）、units（指定单位）或 kinds（单位类型）");
	if (!strcmp(aud->kind, "kinds")) {
		if (!json_is_array(kinds) || !json_array_size(kinds) || json_array_size(kinds) > 20)
			return error_set(e, ERR_INVALID, "kinds", "请选择至少一个单位类型");
		json_array_foreach(
		    kinds, i,
		    v) if (!json_is_string(v) || !unit_kind_key(json_string_value(v)) ||
		           strcmp(unit_kind_key(json_string_value(v)),
		                  json_string_value(v))) return error_set(e, ERR_INVALID, "kinds",
		                                                          "单位类型 %s 不存在",
		                                                          json_is_string(v)
		                                                              ? json_string_value(v)
		                                                              : "?");
		char *dumped = json_dumps(kinds, JSON_COMPACT);

		aud->kinds = arena_strdup(&r->arena, dumped ? dumped : "[]");
		free(dumped);
	}
	if ((rc = unit_all(r->db, r->who->tenant_id, &r->arena, &units, &n, e)) != 0)
		return rc;
	ids = arena_alloc(&r->arena, (size_t)(n ? n : 1) * sizeof(*ids));
	a->nunits = 0;
	for (k = 0; k < n; k++) {
		int take = units[k].enabled;

		if (take && !strcmp(aud->kind, "kinds")) {
			take = 0;
			json_array_foreach(
			    kinds, i, v) if (!strcmp(json_string_value(v), units[k].kind)) take = 1;
		}
		if (take && a->nunits < ANN_MAX_UNITS)
			ids[a->nunits++] = units[k].id;
	}
	a->unit_ids = ids;
	if (!a->nunits)
		return error_set(e, ERR_INVALID, "kinds", "所选单位类型下没有单位");
	return 0;
}

/* The fields of a notice from body (POST and PUT); *publish from "publish". */
static int read_notice(struct req *r, json_t *body, struct announcement_new *a,
                       struct announcement_audience *aud, int *publish, struct error *e)
{
	static const char *const fields[] = {"title",     "body",    "audience",
	                                     "unit_ids",  "kinds",   "file_ids",
	                                     "reply_due", "publish", NULL};

	memset(a, 0, sizeof(*a));
	a->body = "";
	a->source_kind = "";
	a->author_id = r->who->user_id;
	*publish = 0;
	if (json_only_keys(body, fields, e) ||
	    json_get_string(body, "title", JF_REQUIRED, 1, ANN_TITLE_MAX, &a->title, e) ||
	    json_get_string(body, "body", JF_NULLABLE, 0, ANN_BODY_MAX, &a->body, e) ||
	    json_get_int(body, "reply_due", JF_NULLABLE, 0, INT64_MAX / 2, &a->reply_due_ms, e) ||
	    json_get_bool(body, "publish", JF_NULLABLE, publish, e) ||
	    json_get_ids(body, "file_ids", ANN_MAX_FILES, &r->arena, (int64_t **)&a->file_ids,
	                 &a->nfiles, e) ||
	    read_audience(r, body, a, aud, e))
		return e->code;
	return 0;
}

/* POST /announcements */
static int ann_create(struct req *r)
{
	struct announcement_new a;
	struct announcement_audience aud;
	struct announcement out;
	struct error e;
	json_t *body;
	int64_t id = 0, now = time_now_ms();
	int publish, rc;

	error_init(&e);
	if (req_body_json(r, &body) || !req_db(r))
		return r->err.code;
	if (read_notice(r, body, &a, &aud, &publish, &e))
		return req_fail_error(r, &e);
	if (store_begin(r->db, 1, &e))
		return req_fail_error(r, &e);
	rc = announcement_insert(r->db, r->who->tenant_id, &a, &aud, publish, now, &id, &e);
	if (!rc)
		rc = req_audit(r, r->db, publish ? "announcement.publish" : "announcement.create",
		               "announcement", id,
		               json_pack("{s:s, s:s, s:i, s:i, s:I}", "title", a.title, "audience",
		                         aud.kind, "units", a.nunits, "files", a.nfiles,
		                         "reply_due", (json_int_t)a.reply_due_ms));
	if (req_tx_end(r, r->db, rc, &e))
		return r->err.code;
	if (announcement_get(r->db, r->who->tenant_id, NULL, 0, id, &r->arena, &out, &e))
		return req_fail_error(r, &e);
	return req_reply_json(r, 201, ann_json(r, &out, now));
}

/* GET /announcements?status=&q=&pending=1&page=&size= */
static int ann_list(struct req *r)
{
	struct announcement_filter f;
	struct announcement *list;
	struct scope s;
	struct error e;
	json_t *items;
	int64_t total = 0, now = time_now_ms();
	int i, n;

	memset(&f, 0, sizeof(f));
	error_init(&e);
	if (req_page(r, &f.offset, &f.limit) || !req_db(r) ||
	    http_query_bool(r, "pending", &f.pending))
		return r->err.code;
	f.pending = f.pending == 1; /* absent: -1 */
	f.status = req_query(r, "status");
	if (f.status && *f.status && strcmp(f.status, "draft") && strcmp(f.status, "published"))
		return req_fail(r, ERR_INVALID, "status",
		                "状态应为 draft（草稿）或 published（已发布）");
	f.q = req_query(r, "q");
	ann_api_scope(r, &s);
	f.scope = &s;
	f.my_unit = r->who->unit_id;
	if (announcement_list(r->db, r->who->tenant_id, &f, &r->arena, &list, &n, &total, &e))
		return req_fail_error(r, &e);
	items = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(items, ann_json(r, &list[i], now));
	return req_reply_json(r, 200,
	                      json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)total));
}

/* The notice {id} within the caller's scope into n. */
static int load(struct req *r, struct announcement *n)
{
	struct scope s;
	struct error e;
	int64_t id;

	if (req_param_id(r, "id", &id) || !req_db(r))
		return r->err.code;
	ann_api_scope(r, &s);
	error_init(&e);
	if (announcement_get(r->db, r->who->tenant_id, &s, r->who->unit_id, id, &r->arena, n, &e))
		return req_fail_error(r, &e);
	return 0;
}

/* Record the caller's reading of n (an addressee's user, published); audited when new. */
static int record_read(struct req *r, struct announcement *n)
{
	struct error e;
	int first = 0, rc;

	if (!n->my_unit || strcmp(n->status, "published"))
		return 0;
	error_init(&e);
	if (store_begin(r->db, 1, &e))
		return req_fail_error(r, &e);
	rc = announcement_mark_read(r->db, n->id, n->my_unit, r->who->user_id, time_now_ms(),
	                            &first, &e);
	if (!rc && first)
		rc = req_audit(r, r->db, "announcement.read", "announcement", n->id,
		               json_pack("{s:I}", "unit_id", (json_int_t)n->my_unit));
	if (req_tx_end(r, r->db, rc, &e))
		return r->err.code;
	if (!n->my_read_at)
		n->my_read_at = time_now_ms();
	return 0;
}

/* GET /announcements/{id}: an addressee opening it records the reading. */
static int ann_get(struct req *r)
{
	struct announcement n;

	if (load(r, &n) || record_read(r, &n))
		return r->err.code;
	if (load(r, &n))
		return r->err.code;
	return req_reply_json(r, 200, ann_json(r, &n, time_now_ms()));
}

/* POST /announcements/{id}/read */
static int ann_read(struct req *r)
{
	struct announcement n;

	if (load(r, &n))
		return r->err.code;
	if (!n.my_unit)
		return req_fail(r, ERR_CONFLICT, NULL, "本单位不在该通知的接收单位中");
	if (record_read(r, &n) || load(r, &n))
		return r->err.code;
	return req_reply_json(r, 200, ann_json(r, &n, time_now_ms()));
}

/* PUT /announcements/{id} (drafts only) */
static int ann_update(struct req *r)
{
	struct announcement_new a;
	struct announcement_audience aud;
	struct announcement n;
	struct error e;
	json_t *body;
	int64_t now = time_now_ms();
	int publish, rc;

	error_init(&e);
	if (req_body_json(r, &body) || load(r, &n))
		return r->err.code;
	if (read_notice(r, body, &a, &aud, &publish, &e))
		return req_fail_error(r, &e);
	if (store_begin(r->db, 1, &e))
		return req_fail_error(r, &e);
	rc = announcement_update(r->db, r->who->tenant_id, n.id, &a, &aud, now, &e);
	if (!rc && publish)
		rc = announcement_publish(r->db, r->who->tenant_id, n.id, now, &e);
	if (!rc)
		rc = req_audit(r, r->db, publish ? "announcement.publish" : "announcement.update",
		               "announcement", n.id,
		               json_pack("{s:s, s:s, s:i, s:i}", "title", a.title, "audience",
		                         aud.kind, "units", a.nunits, "files", a.nfiles));
	if (req_tx_end(r, r->db, rc, &e) || load(r, &n))
		return r->err.code;
	return req_reply_json(r, 200, ann_json(r, &n, now));
}

/* DELETE /announcements/{id} (drafts only) */
static int ann_delete(struct req *r)
{
	struct announcement n;
	struct error e;
	int rc;

	error_init(&e);
	if (load(r, &n))
		return r->err.code;
	if (store_begin(r->db, 1, &e))
		return req_fail_error(r, &e);
	rc = announcement_delete(r->db, r->who->tenant_id, n.id, &e);
	if (!rc)
		rc = req_audit(r, r->db, "announcement.delete", "announcement", n.id,
		               json_pack("{s:s}", "title", n.title));
	if (req_tx_end(r, r->db, rc, &e))
		return r->err.code;
	return req_reply_empty(r);
}

/* POST /announcements/{id}/publish */
static int ann_publish(struct req *r)
{
	struct announcement n;
	struct error e;
	int64_t now = time_now_ms();
	int rc;

	error_init(&e);
	if (load(r, &n))
		return r->err.code;
	if (store_begin(r->db, 1, &e))
		return req_fail_error(r, &e);
	rc = announcement_publish(r->db, r->who->tenant_id, n.id, now, &e);
	if (!rc)
		rc = req_audit(
		    r, r->db, "announcement.publish", "announcement", n.id,
		    json_pack("{s:s, s:I}", "title", n.title, "units", (json_int_t)n.nunits));
	if (req_tx_end(r, r->db, rc, &e) || load(r, &n))
		return r->err.code;
	return req_reply_json(r, 200, ann_json(r, &n, now));
}

/* POST /announcements/{id}/receipts {reply, file_ids}: the caller's unit replies. */
static int ann_reply(struct req *r)
{
	static const char *const fields[] = {"reply", "file_ids", NULL};
	struct announcement n;
	struct error e;
	const char *reply = NULL;
	json_t *body;
	int64_t *files, now = time_now_ms();
	int nfiles = 0, rc;

	error_init(&e);
	if (req_body_json(r, &body) || load(r, &n))
		return r->err.code;
	if (json_only_keys(body, fields, &e) ||
	    json_get_string(body, "reply", JF_REQUIRED, 1, ANN_REPLY_MAX, &reply, &e) ||
	    json_get_ids(body, "file_ids", ANN_MAX_FILES, &r->arena, &files, &nfiles, &e))
		return req_fail_error(r, &e);
	if (!n.my_unit)
		return req_fail(r, ERR_CONFLICT, NULL, "本单位不在该通知的接收单位中");
	if (store_begin(r->db, 1, &e))
		return req_fail_error(r, &e);
	rc = announcement_reply(r->db, &n, n.my_unit, r->who->user_id, reply, files, nfiles, now,
	                        &e);
	if (!rc)
		rc = req_audit(
		    r, r->db, "announcement.reply", "announcement", n.id,
		    json_pack("{s:I, s:i}", "unit_id", (json_int_t)n.my_unit, "files", nfiles));
	if (req_tx_end(r, r->db, rc, &e) || load(r, &n))
		return r->err.code;
	return req_reply_json(r, 201, ann_json(r, &n, now));
}

/*
 * GET /announcements/{id}/receipts: per addressed unit who read it and when,
 * the 回执 and its files, overdue; a unit outside the office sees its own row.
 */
static int ann_receipts(struct req *r)
{
	struct announcement_receipt *list;
	struct announcement n;
	struct scope s;
	struct error e;
	json_t *items;
	int64_t now = time_now_ms();
	int i, cnt, nread = 0, nreplied = 0, noverdue = 0;

	error_init(&e);
	if (load(r, &n))
		return r->err.code;
	ann_api_scope(r, &s);
	if (announcement_receipts(r->db, n.id, &r->arena, &list, &cnt, &e))
		return req_fail_error(r, &e);
	items = json_array();
	for (i = 0; i < cnt; i++) {
		const struct announcement_receipt *x = &list[i];
		int overdue = n.reply_due && !x->replied_at && now > n.reply_due;

		if (!s.all && n.author_id != r->who->user_id && x->unit_id != r->who->unit_id)
			continue;
		nread += x->read_at > 0;
		nreplied += x->replied_at > 0;
		noverdue += overdue;
		json_array_append_new(
		    items,
		    json_pack("{s:I, s:s, s:s, s:s, s:I, s:s, s:i, s:I, s:s, s:s, s:o, s:b, s:I}",
		              "unit_id", (json_int_t)x->unit_id, "unit_name", x->unit_name,
		              "unit_kind", x->unit_kind, "unit_kind_name",
		              unit_kind_title(x->unit_kind), "read_at", (json_int_t)x->read_at,
		              "read_by_name", x->read_by_name, "readers", x->nreaders, "replied_at",
		              (json_int_t)x->replied_at, "replied_by_name", x->replied_by_name,
		              "reply", x->reply, "files", ann_files_json(r, x->file_ids, x->nfiles),
		              "overdue", overdue, "reminded_at", (json_int_t)x->reminded_at));
	}
	return req_reply_json(r, 200,
	                      json_pack("{s:I, s:I, s:o, s:i, s:i, s:i, s:i}", "id",
	                                (json_int_t)n.id, "reply_due", (json_int_t)n.reply_due,
	                                "items", items, "total", (int)json_array_size(items),
	                                "read", nread, "replied", nreplied, "overdue", noverdue));
}

/* POST /announcements/{id}/remind: mark the unread (and unanswered) addressees reminded. */
static int ann_remind(struct req *r)
{
	struct announcement n;
	struct error e;
	int64_t reminded = 0;
	int rc;

	error_init(&e);
	if (load(r, &n))
		return r->err.code;
	if (strcmp(n.status, "published"))
		return req_fail(r, ERR_CONFLICT, NULL, "通知尚未发布");
	if (store_begin(r->db, 1, &e))
		return req_fail_error(r, &e);
	rc = announcement_remind(r->db, n.id, time_now_ms(), &reminded, &e);
	if (!rc)
		rc = req_audit(r, r->db, "announcement.remind", "announcement", n.id,
		               json_pack("{s:I}", "units", (json_int_t)reminded));
	if (req_tx_end(r, r->db, rc, &e))
		return r->err.code;
	return req_reply_json(r, 200, json_pack("{s:I}", "reminded", (json_int_t)reminded));
}

/* GET /announcements/pending: what the caller's unit has not read or answered. */
static int ann_pending(struct req *r)
{
	struct error e;
	int64_t unread = 0, unanswered = 0;

	error_init(&e);
	if (!req_db(r))
		return r->err.code;
	if (r->who->unit_id && announcement_pending(r->db, r->who->tenant_id, r->who->unit_id,
	                                            &unread, &unanswered, &e))
		return req_fail_error(r, &e);
	return req_reply_json(r, 200,
	                      json_pack("{s:I, s:I}", "unread", (json_int_t)unread, "unanswered",
	                                (json_int_t)unanswered));
}

/* Files of notices and 回执: readable within plan:view's scope (announcement_file_readable). */
static int ann_file_readable(struct store_conn *c, const struct principal *who, int64_t file_id,
                             struct arena *a, int *ok, struct error *e)
{
	struct scope s;

	*ok = 0;
	if (!principal_has(who, "plan:view"))
		return 0;
	principal_scope(who, "plan:view", a, &s);
	return announcement_file_readable(c, who->tenant_id, &s, file_id, ok, e);
}

static const struct file_owner_kind ann_file_kind = {"announcement", ann_file_readable};

void announcement_routes(struct router *rt)
{
	files_register_owner(&ann_file_kind);
	router_add(rt, "GET", "/api/v1/announcements", ann_list, "plan:view", 0);
	router_add(rt, "POST", "/api/v1/announcements", ann_create, "plan:edit", 1L << 20);
	router_add(rt, "GET", "/api/v1/announcements/pending", ann_pending, "plan:view", 0);
	router_add(rt, "GET", "/api/v1/announcements/{id}", ann_get, "plan:view", 0);
	router_add(rt, "PUT", "/api/v1/announcements/{id}", ann_update, "plan:edit", 1L << 20);
	router_add(rt, "DELETE", "/api/v1/announcements/{id}", ann_delete, "plan:edit", 0);
	router_add(rt, "POST", "/api/v1/announcements/{id}/publish", ann_publish, "plan:edit", 0);
	router_add(rt, "POST", "/api/v1/announcements/{id}/read", ann_read, "plan:view", 0);
	router_add(rt, "POST", "/api/v1/announcements/{id}/receipts", ann_reply, "plan:report", 0);
	router_add(rt, "GET", "/api/v1/announcements/{id}/receipts", ann_receipts, "plan:view", 0);
	router_add(rt, "POST", "/api/v1/announcements/{id}/remind", ann_remind, "plan:edit", 0);
	archive_routes(rt);
	pledge_routes(rt);
}

/*
 * api_problem_batch.c - POST /problems/batch: 受理, 交办 or 作废 of many
 * problems from the list in one request.
 *
 *   {"action": "accept" | "assign" | "void", "reason": "...", "note": "...",
 *    "items": [{"id": 1, "unit_id": 7, "deadline": "2026-12-10 18:00"}, ...]}
 *
 * All or nothing: every problem goes through problem_transition (the same
 * rules, timeline event and audit row as one by one) inside one write
 * transaction; the first row that fails rolls everything back and the reply
 * names it (422/409/404 with "index" and "id"), so the office fixes that row
 * and sends the batch again.  An assignment takes each problem's routed
 * unit and its category's deadline unless the row overrides them.
 */
#include <string.h>

#include "auth/auth.h"
#include "http/json_io.h"
#include "http/req.h"
#include "http/router.h"
#include "core/clock.h"
#include "org/org_db.h"
#include "problem/problem.h"
#include "problem/problem_rules.h"
#include "store/store.h"

#define BATCH_MAX 200

/* The action of a batch and the permission it needs. */
static int batch_action(const char *name, enum problem_action *a)
{
	if (!strcmp(name, "accept"))
		*a = PA_ACCEPT;
	else if (!strcmp(name, "assign"))
		*a = PA_ASSIGN;
	else if (!strcmp(name, "void"))
		*a = PA_VOID;
	else
		return ERR_INVALID;
	return 0;
}

/* The body of one row: the batch's note and reason, the row's unit and deadline. */
static json_t *row_body(json_t *item, enum problem_action a, const char *note, const char *reason)
{
	json_t *b = json_object(), *v;

	if (note)
		json_object_set_new(b, "note", json_string(note));
	if (a == PA_VOID && reason)
		json_object_set_new(b, "reason", json_string(reason));
	if (a == PA_ASSIGN) {
		if ((v = json_object_get(item, "unit_id")) && !json_is_null(v))
			json_object_set(b, "unit_id", v);
		if ((v = json_object_get(item, "deadline")) && !json_is_null(v))
			json_object_set(b, "deadline", v);
	}
	return b;
}

/* POST /problems/batch */
static int problems_batch(struct req *r)
{
	static const char *const keys[] = {"action", "items", "note", "reason", NULL};
	static const char *const item_keys[] = {"id", "unit_id", "deadline", NULL};
	const char *name = NULL, *note = NULL, *reason = NULL, *perm;
	struct problem_caller who;
	struct scope view, rectify;
	enum problem_action a;
	struct error e;
	json_t *body, *items, *item, *done;
	int64_t now = time_now_ms();
	size_t i, k;
	int rc = 0;

	if (req_body_json(r, &body))
		return r->err.code;
	error_init(&e);
	if (json_only_keys(body, keys, &e) ||
	    json_get_string(body, "action", JF_REQUIRED, 1, 16, &name, &e) ||
	    json_get_string(body, "note", JF_NULLABLE, 0, PROBLEM_NOTE_MAX, &note, &e) ||
	    json_get_string(body, "reason", JF_NULLABLE, 1, PROBLEM_NOTE_MAX, &reason, &e))
		return req_fail_error(r, &e);
	if (batch_action(name, &a))
		return req_fail(r, ERR_INVALID, "action",
		                "批量操作 action 应为 accept、assign 或 void");
	perm = problem_action_permission(a);
	if (!principal_has(r->who, perm))
		return req_fail(r, ERR_FORBIDDEN, NULL, "没有权限");
	if (a == PA_VOID && !reason)
		return req_fail(r, ERR_INVALID, "reason", "请填写作废原因 reason");
	items = json_object_get(body, "items");
	if (!json_is_array(items) || !json_array_size(items) || json_array_size(items) > BATCH_MAX)
		return req_fail(r, ERR_INVALID, "items", "items 应为 1 到 %d 个问题", BATCH_MAX);
	json_array_foreach(items, i, item)
	{
		int64_t id;

		if (!json_is_object(item) || json_only_keys(item, item_keys, &e) ||
		    json_get_int(item, "id", JF_REQUIRED, 1, INT64_MAX, &id, &e))
			return req_fail(r, ERR_INVALID, "items", "第 %zu 行：%s", i + 1,
			                e.message[0] ? e.message : "应为 {id, unit_id, deadline}");
		for (k = 0; k < i; k++)
			if (json_integer_value(json_object_get(json_array_get(items, k), "id")) ==
			    id)
				return req_fail(r, ERR_INVALID, "items", "第 %zu 行：问题重复",
				                i + 1);
	}
	if (!req_db(r))
		return r->err.code;
	problem_view_scope(r, &view);
	if (store_begin(r->db, 1, &e))
		return req_fail_error(r, &e);
	rc = problem_caller_init(r->db, r->who, &r->arena, &rectify, &who, &e);
	done = json_array();
	json_array_foreach(items, i, item)
	{
		int64_t id = json_integer_value(json_object_get(item, "id"));
		json_t *rb = row_body(item, a, note, reason), *summary = NULL;
		struct problem_input in;
		struct problem p;

		if (rc)
			break;
		rc = problem_input_read(a, rb, &r->arena, &in, &e);
		if (!rc)
			rc = problem_get(r->db, r->who->tenant_id, &view, id, &r->arena, &p, &e);
		if (!rc)
			rc = problem_transition(r->db, a, &in, &who, &p, now, &r->arena, &summary,
			                        &e);
		if (!rc) {
			json_object_set_new(summary, "batch", json_true());
			if (req_audit(r, r->db,
			              arena_printf(&r->arena, "problem.%s", problem_action_name(a)),
			              "problem", p.id, summary))
				rc = r->err.code ? r->err.code : ERR_INTERNAL;
			else
				json_array_append_new(
				    done,
				    json_pack("{s:I, s:s, s:s}", "id", (json_int_t)p.id, "code",
				              p.code, "status", problem_status_name(p.status)));
		}
		if (rc && !r->err.code) {
			/* name the row: the office fixes it and sends the batch again */
			struct error row;

			error_init(&row);
			error_set(&row, e.code, e.field, "第 %zu 行（问题 %lld）：%s", i + 1,
			          (long long)id, e.message[0] ? e.message : "问题不存在");
			e = row;
		}
		json_decref(rb);
	}
	if (req_tx_end(r, r->db, rc, &e)) {
		json_decref(done);
		return r->err.code;
	}
	return req_reply_json(r, 200,
	                      json_pack("{s:s, s:I, s:o}", "action", name, "count",
	                                (json_int_t)json_array_size(done), "items", done));
}

void problem_batch_routes(struct router *rt)
{
	/* each action's own permission is checked in the handler (problem_action_permission) */
	router_add(rt, "POST", "/api/v1/problems/batch", problems_batch, "problem:view", 0);
}

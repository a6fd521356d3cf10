/*
 * api_meetings.c - /meetings: 周例会, 联席会议, 调度会 and 现场推进会 with their
 * date, chair, attending units, minutes, attachments and decisions; one step
 * makes a decision a task owned by a unit with a deadline, and each decision
 * shows its task's progress (the next meeting's agenda).  Reading needs
 * plan:view (a unit sees the meetings it attended), writing plan:edit.
 */
#include <string.h>

#include "app.h"
#include "auth/auth.h"
#include "core/clock.h"
#include "core/utf8.h"
#include "files/files.h"
#include "http/json_io.h"
#include "http/req.h"
#include "http/router.h"
#include "org/org.h"
#include "plan/plan.h"
#include "plan/plan_api.h"
#include "store/store.h"

static json_t *meeting_json(struct req *r, const struct meeting *m)
{
	json_t *units = json_array(), *names = json_array(), *files = json_array();
	json_t *decisions = json_array();
	int i;

	for (i = 0; i < m->nunits; i++) {
		json_array_append_new(units, json_integer(m->unit_ids[i]));
		json_array_append_new(names, json_string(m->unit_names[i]));
	}
	for (i = 0; i < m->nfiles; i++) {
		struct file_info f;
		struct error e;

		error_init(&e);
		if (!file_get(r->db, m->tenant_id, m->file_ids[i], &r->arena, &f, &e))
			json_array_append_new(files, file_json(&f));
	}
	for (i = 0; i < m->ndecisions; i++) {
		const struct meeting_decision *d = &m->decisions[i];
		json_t *j = json_pack("{s:I, s:i, s:s}", "id", (json_int_t)d->id, "seq", d->seq,
		                      "text", d->text);

		if (d->task_id)
			json_object_set_new(j, "task",
			                    json_pack("{s:I, s:s, s:s, s:s, s:s, s:i}", "id",
			                              (json_int_t)d->task_id, "title",
			                              d->task_title, "unit_name", d->task_unit_name,
			                              "deadline", d->task_deadline, "status",
			                              d->task_status, "percent",
			                              d->task_percent < 0 ? 0 : d->task_percent));
		else
			json_object_set_new(j, "task", json_null());
		json_array_append_new(decisions, j);
	}
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:s, s:s, s:o, s:o, s:o, s:o, s:I}", "id",
	                 (json_int_t)m->id, "kind", m->kind, "kind_name",
	                 meeting_kind_title(m->kind) ? meeting_kind_title(m->kind) : m->kind,
	                 "title", m->title, "held_on", m->held_on, "chair_id",
	                 m->chair_id ? json_integer(m->chair_id) : json_null(), "chair_name",
	                 m->chair_name, "minutes", m->minutes, "unit_ids", units, "unit_names",
	                 names, "files", files, "decisions", decisions, "created_at",
	                 (json_int_t)m->created_at);
}

/* Check the units and files of m against the tenant. */
static int meeting_refs_ok(struct req *r, const struct meeting *m, struct error *e)
{
	int i;

	for (i = 0; i < m->nunits; i++) {
		struct unit u;

		if (unit_get(r->db, m->tenant_id, NULL, m->unit_ids[i], &r->arena, &u, e))
			return error_set(e, ERR_INVALID, "unit_ids", "单位 %lld 不存在",
			                 (long long)m->unit_ids[i]);
	}
	for (i = 0; i < m->nfiles; i++) {
		struct file_info f;

		if (file_get(r->db, m->tenant_id, m->file_ids[i], &r->arena, &f, e))
			return error_set(e, ERR_INVALID, "file_ids", "附件 %lld 不存在",
			                 (long long)m->file_ids[i]);
	}
	if (m->chair_id) {
		struct user u;

		if (user_get(r->db, m->tenant_id, NULL, m->chair_id, &r->arena, &u, e))
			return error_set(e, ERR_INVALID, "chair_id", "主持人不存在");
	}
	return 0;
}

/* POST /meetings {kind, title, held_on, chair_id, minutes, unit_ids, file_ids, decisions: [text]}
 */
static int meetings_create(struct req *r)
{
	static const char *const fields[] = {"kind",     "title",     "held_on",
	                                     "chair_id", "minutes",   "unit_ids",
	                                     "file_ids", "decisions", NULL};
	struct meeting m, out;
	struct error e;
	json_t *body, *decs, *v;
	size_t i;
	int rc;

	memset(&m, 0, sizeof(m));
	m.minutes = "";
	error_init(&e);
	if (req_body_json(r, &body) || !req_db(r))
		return r->err.code;
	if (json_only_keys(body, fields, &e) ||
	    json_get_string(body, "kind", JF_REQUIRED, 1, 16, &m.kind, &e) ||
	    json_get_string(body, "title", JF_REQUIRED, 1, PLAN_TITLE_MAX, &m.title, &e) ||
	    json_get_string(body, "held_on", JF_REQUIRED, 10, 10, &m.held_on, &e) ||
	    json_get_int(body, "chair_id", JF_NULLABLE, 1, INT64_MAX, &m.chair_id, &e) ||
	    json_get_string(body, "minutes", JF_NULLABLE, 0, 20000, &m.minutes, &e) ||
	    json_get_ids(body, "unit_ids", 200, &r->arena, &m.unit_ids, &m.nunits, &e) ||
	    json_get_ids(body, "file_ids", PLAN_MAX_FILES, &r->arena, &m.file_ids, &m.nfiles, &e))
		return req_fail_error(r, &e);
	if (!meeting_kind_title(m.kind))
		return req_fail(
		    r, ERR_INVALID, "kind",
		    "会议类型应为 weekly（周例会）、joint（联席会议）、dispatch（调度会）或 "
		    "onsite（现场推进会）");
	if (!plan_date_ok(m.held_on))
		return req_fail(r, ERR_INVALID, "held_on", "会议日期应为 YYYY-MM-DD 格式的日期");
	decs = json_object_get(body, "decisions");
	m.decisions = arena_calloc(&r->arena, MEETING_MAX_DECISIONS * sizeof(*m.decisions));
	if (decs && !json_is_null(decs)) {
		if (!json_is_array(decs) || json_array_size(decs) > MEETING_MAX_DECISIONS)
			return req_fail(r, ERR_INVALID, "decisions",
			                "议定事项应为最多 %d 条文字的数组", MEETING_MAX_DECISIONS);
		json_array_foreach(decs, i, v)
		{
			const char *text = json_string_value(v);

			if (!text || !*text || utf8_chars(text) > PLAN_TITLE_MAX)
				return req_fail(r, ERR_INVALID, "decisions",
				                "第 %zu 条议定事项应为 1 到 %d 个字", i + 1,
				                PLAN_TITLE_MAX);
			m.decisions[m.ndecisions++].text = text;
		}
	}
	m.tenant_id = r->who->tenant_id;
	m.created_by = r->who->user_id;
	m.created_at = time_now_ms();
	if (store_begin(r->db, 1, &e))
		return req_fail_error(r, &e);
	rc = meeting_refs_ok(r, &m, &e);
	if (!rc)
		rc = meeting_db_insert(r->db, &m, &e);
	if (!rc)
		rc = req_audit(r, r->db, "meeting.create", "meeting", m.id,
		               json_pack("{s:s, s:s, s:s, s:i, s:i}", "kind", m.kind, "title",
		                         m.title, "held_on", m.held_on, "units", m.nunits,
		                         "decisions", m.ndecisions));
	if (req_tx_end(r, r->db, rc, &e))
		return r->err.code;
	if (meeting_db_get(r->db, m.tenant_id, NULL, m.id, &r->arena, &out, &e))
		return req_fail_error(r, &e);
	return req_reply_json(r, 201, meeting_json(r, &out));
}

/* GET /meetings */
static int meetings_list(struct req *r)
{
	struct meeting *list;
	struct scope s;
	struct error e;
	json_t *items;
	int i, n;

	if (!req_db(r))
		return r->err.code;
	plan_api_scope(r, &s);
	error_init(&e);
	if (meeting_db_list(r->db, r->who->tenant_id, &s, &r->arena, &list, &n, &e))
		return req_fail_error(r, &e);
	items = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(items, meeting_json(r, &list[i]));
	return req_reply_json(r, 200, json_pack("{s:o, s:i}", "items", items, "total", n));
}

static int load_meeting(struct req *r, struct meeting *m)
{
	struct scope s;
	struct error e;
	int64_t id;

	if (req_param_id(r, "id", &id) || !req_db(r))
		return r->err.code;
	plan_api_scope(r, &s);
	error_init(&e);
	if (meeting_db_get(r->db, r->who->tenant_id, &s, id, &r->arena, m, &e))
		return req_fail_error(r, &e);
	return 0;
}

/* GET /meetings/{id} */
static int meetings_get(struct req *r)
{
	struct meeting m;

	if (load_meeting(r, &m))
		return r->err.code;
	return req_reply_json(r, 200, meeting_json(r, &m));
}

/* POST /meetings/{id}/decisions/{d}/task {plan_id, unit_id, deadline, leader_id?} */
static int decisions_task(struct req *r)
{
	static const char *const fields[] = {"plan_id", "unit_id", "deadline", "leader_id", NULL};
	const struct meeting_decision *d = NULL;
	const char *deadline = NULL;
	struct plan_node task;
	struct meeting m;
	struct error e;
	json_t *body, *j;
	int64_t did, plan_id = 0, unit_id = 0, leader_id = 0;
	int i, rc;

	error_init(&e);
	if (req_body_json(r, &body) || load_meeting(r, &m) || req_param_id(r, "d", &did))
		return r->err.code;
	for (i = 0; i < m.ndecisions; i++)
		if (m.decisions[i].id == did)
			d = &m.decisions[i];
	if (!d)
		return req_fail(r, ERR_NOT_FOUND, NULL, "议定事项不存在");
	if (json_only_keys(body, fields, &e) ||
	    json_get_int(body, "plan_id", JF_REQUIRED, 1, INT64_MAX, &plan_id, &e) ||
	    json_get_int(body, "unit_id", JF_REQUIRED, 1, INT64_MAX, &unit_id, &e) ||
	    json_get_string(body, "deadline", JF_REQUIRED, 10, 10, &deadline, &e) ||
	    json_get_int(body, "leader_id", JF_NULLABLE, 1, INT64_MAX, &leader_id, &e))
		return req_fail_error(r, &e);
	if (store_begin(r->db, 1, &e))
		return req_fail_error(r, &e);
	rc = meeting_decision_to_task(r->db, &m, d, plan_id, unit_id, deadline, leader_id,
	                              r->who->user_id, time_now_ms(), &task, &e);
	if (!rc)
		rc = req_audit(r, r->db, "meeting.decision.task", "meeting", m.id,
		               json_pack("{s:I, s:I, s:I, s:s}", "decision_id", (json_int_t)did,
		                         "task_id", (json_int_t)task.id, "unit_id",
		                         (json_int_t)unit_id, "deadline", deadline));
	if (req_tx_end(r, r->db, rc, &e))
		return r->err.code;
	if (meeting_db_get(r->db, m.tenant_id, NULL, m.id, &r->arena, &m, &e))
		return req_fail_error(r, &e);
	j = meeting_json(r, &m);
	json_object_set_new(j, "task_id", json_integer(task.id));
	return req_reply_json(r, 201, j);
}

void plan_meeting_routes(struct router *rt)
{
	router_add(rt, "GET", "/api/v1/meetings", meetings_list, "plan:view", 0);
	router_add(rt, "POST", "/api/v1/meetings", meetings_create, "plan:edit", 0);
	router_add(rt, "GET", "/api/v1/meetings/{id}", meetings_get, "plan:view", 0);
	router_add(rt, "POST", "/api/v1/meetings/{id}/decisions/{d}/task", decisions_task,
	           "plan:edit", 0);
}

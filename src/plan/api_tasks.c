/*
 * api_tasks.c - /tasks: the tasks of every plan as a list by deadline
 * (overdue, per unit, per leader), and their progress reports.  A unit
 * sees, and reports on, only the tasks it leads or is responsible for;
 * another task answers 404.  Every report is kept; the office comments.
 */
#include <string.h>

#include "app.h"
#include "auth/auth.h"
#include "core/clock.h"
#include "files/files.h"
#include "http/json_io.h"
#include "http/reply.h"
#include "http/req.h"
#include "http/router.h"
#include "org/org.h"
#include "plan/plan.h"
#include "plan/plan_api.h"
#include "store/store.h"

/* The rhythm of the plan of task t among plans[0..n); "monthly" when not found. */
static const char *rhythm_of(const struct plan_node *plans, int n, int64_t plan_id)
{
	int i;

	for (i = 0; i < n; i++)
		if (plans[i].id == plan_id)
			return plans[i].rhythm;
	return "monthly";
}

static const char *plan_title_of(const struct plan_node *plans, int n, int64_t plan_id)
{
	int i;

	for (i = 0; i < n; i++)
		if (plans[i].id == plan_id)
			return plans[i].title;
	return "";
}

static json_t *task_json(const struct plan_node *t, const struct plan_node *plans, int nplans,
                         const char *today, int64_t now)
{
	json_t *j = plan_node_json(t, today);
	const char *rhythm = rhythm_of(plans, nplans, t->plan_id);
	enum plan_progress st = plan_progress_of(t->last_percent, !strcmp(t->status, "done"),
	                                         t->starts_on, t->deadline, today);

	json_object_set_new(j, "plan_title", json_string(plan_title_of(plans, nplans, t->plan_id)));
	json_object_set_new(j, "rhythm", json_string(rhythm));
	json_object_set_new(j, "report_missing",
	                    json_boolean(plan_report_missing(t, rhythm, today, now)));
	json_object_set_new(j, "progress", json_string(plan_progress_key(st)));
	json_object_set_new(j, "progress_name", json_string(plan_progress_title(st)));
	return j;
}

/* GET /tasks?overdue=1&unit_id=&plan_id=&leader_id=&mine=1 */
static int tasks_list(struct req *r)
{
	struct plan_task_filter f;
	struct plan_node *list, *plans;
	struct scope s;
	struct error e;
	int64_t total = 0, now = time_now_ms();
	char today[11];
	json_t *items;
	int overdue = -1, mine = -1, i, n, nplans;

	memset(&f, 0, sizeof(f));
	if (req_page(r, &f.offset, &f.limit) || !req_db(r) ||
	    http_query_id(r, "unit_id", &f.unit_id) || http_query_id(r, "plan_id", &f.plan_id) ||
	    http_query_id(r, "leader_id", &f.leader_id) ||
	    http_query_bool(r, "overdue", &overdue) || http_query_bool(r, "mine", &mine))
		return r->err.code;
	plan_api_today(r, today);
	if (overdue == 1)
		f.overdue_before = today;
	if (mine == 1)
		f.leader_id = r->who->user_id;
	plan_api_scope(r, &s);
	f.scope = &s;
	error_init(&e);
	if (plan_db_tasks(r->db, r->who->tenant_id, &f, &r->arena, &list, &n, &total, &e) ||
	    plan_db_plans(r->db, r->who->tenant_id, &r->arena, &plans, &nplans, &e))
		return req_fail_error(r, &e);
	items = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(items, task_json(&list[i], plans, nplans, today, now));
	return req_reply_json(r, 200,
	                      json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)total));
}

/* The task {id} within the caller's plan:view scope. */
static int load_task(struct req *r, struct plan_node *t)
{
	struct scope s;
	struct error e;
	int64_t id;

	if (req_param_id(r, "id", &id) || !req_db(r))
		return r->err.code;
	plan_api_scope(r, &s);
	error_init(&e);
	if (plan_db_get(r->db, r->who->tenant_id, &s, id, &r->arena, t, &e))
		return req_fail_error(r, &e);
	if (t->level != PL_TASK)
		return req_fail(r, ERR_NOT_FOUND, NULL, "任务不存在");
	return 0;
}

/* GET /tasks/{id} */
static int tasks_get(struct req *r)
{
	struct plan_node t, *plans;
	struct error e;
	char today[11];
	int nplans;

	if (load_task(r, &t))
		return r->err.code;
	error_init(&e);
	plan_api_today(r, today);
	if (plan_db_plans(r->db, r->who->tenant_id, &r->arena, &plans, &nplans, &e))
		return req_fail_error(r, &e);
	return req_reply_json(r, 200, task_json(&t, plans, nplans, today, time_now_ms()));
}

static json_t *report_json(struct req *r, const struct task_report *rep)
{
	json_t *files = json_array();
	int i;

	for (i = 0; i < rep->nfiles; i++) {
		struct file_info f;
		struct error e;

		error_init(&e);
		if (!file_get(r->db, r->who->tenant_id, rep->file_ids[i], &r->arena, &f, &e))
			json_array_append_new(files, file_json(&f));
	}
	return json_pack("{s:I, s:I, s:I, s:s, s:I, s:s, s:i, s:s, s:s, s:s, s:s, s:o, s:o, s:I}",
	                 "id", (json_int_t)rep->id, "task_id", (json_int_t)rep->task_id, "unit_id",
	                 (json_int_t)rep->unit_id, "unit_name", rep->unit_name, "user_id",
	                 (json_int_t)rep->user_id, "user_name", rep->user_name, "percent",
	                 rep->percent, "text", rep->text, "problems", rep->problems, "comment",
	                 rep->comment, "comment_by_name", rep->comment_by_name, "comment_at",
	                 rep->comment_at ? json_integer(rep->comment_at) : json_null(), "files",
	                 files, "created_at", (json_int_t)rep->created_at);
}

/* GET /tasks/{id}/reports: every report of a task the caller sees, newest first. */
static int reports_list(struct req *r)
{
	struct task_report *list;
	struct plan_node t;
	struct error e;
	json_t *items;
	int i, n;

	if (load_task(r, &t))
		return r->err.code;
	error_init(&e);
	if (report_db_list(r->db, t.id, &r->arena, &list, &n, &e))
		return req_fail_error(r, &e);
	items = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(items, report_json(r, &list[i]));
	return req_reply_json(r, 200, json_pack("{s:o, s:i}", "items", items, "total", n));
}

static int file_ids_field(struct req *r, json_t *body, struct task_report *rep, struct error *e)
{
	json_t *arr = json_object_get(body, "file_ids"), *v;
	size_t i;

	rep->nfiles = 0;
	rep->file_ids = arena_alloc(&r->arena, PLAN_MAX_FILES * sizeof(*rep->file_ids));
	if (!arr || json_is_null(arr))
		return 0;
	if (!json_is_array(arr) || json_array_size(arr) > PLAN_MAX_FILES)
		return error_set(e, ERR_INVALID, "file_ids",
		                 "file_ids 应为最多 %d 个附件编号的数组", PLAN_MAX_FILES);
	json_array_foreach(arr, i, v)
	{
		if (!json_is_integer(v) || json_integer_value(v) < 1)
			return error_set(e, ERR_INVALID, "file_ids", "file_ids 应为附件编号的数组");
		rep->file_ids[rep->nfiles++] = json_integer_value(v);
	}
	return 0;
}

/* 1 when unit id lies within the caller's plan:report scope. */
static int unit_reportable(struct req *r, int64_t unit_id)
{
	struct scope s;
	struct unit u;
	struct error e;

	error_init(&e);
	principal_scope(r->who, "plan:report", &r->arena, &s);
	if (unit_get(r->db, r->who->tenant_id, NULL, unit_id, &r->arena, &u, &e))
		return 0;
	return unit_in_scope(&s, &u);
}

/* POST /tasks/{id}/reports {percent, text, problems?, file_ids?, unit_id?} */
static int reports_create(struct req *r)
{
	static const char *const fields[] = {"percent",  "text",    "problems",
	                                     "file_ids", "unit_id", NULL};
	struct task_report rep, out;
	struct plan_node t;
	struct error e;
	json_t *body;
	int64_t percent = -1, unit_id = 0;
	int rc;

	memset(&rep, 0, sizeof(rep));
	rep.problems = "";
	error_init(&e);
	if (req_body_json(r, &body) || load_task(r, &t))
		return r->err.code;
	if (json_only_keys(body, fields, &e) ||
	    json_get_int(body, "percent", JF_REQUIRED, 0, 100, &percent, &e) ||
	    json_get_string(body, "text", JF_REQUIRED, 1, REPORT_TEXT_MAX, &rep.text, &e) ||
	    json_get_string(body, "problems", JF_NULLABLE, 0, REPORT_TEXT_MAX, &rep.problems, &e) ||
	    json_get_int(body, "unit_id", JF_NULLABLE, 1, INT64_MAX, &unit_id, &e) ||
	    file_ids_field(r, body, &rep, &e))
		return req_fail_error(r, &e);
	if (!unit_id)
		unit_id = r->who->unit_id;
	if (!unit_id)
		return req_fail(r, ERR_INVALID, "unit_id", "请指明报送进展的单位");
	if (!unit_reportable(r, unit_id))
		return req_fail(r, ERR_INVALID, "unit_id", "只能为本单位报送进展");
	rep.percent = (int)percent;
	rep.unit_id = unit_id;
	rep.user_id = r->who->user_id;
	rep.created_at = time_now_ms();
	if (store_begin(r->db, 1, &e))
		return req_fail_error(r, &e);
	rc = plan_report_add(r->db, &t, &rep, &e);
	if (!rc)
		rc = req_audit(r, r->db, "task.report", "task", t.id,
		               json_pack("{s:I, s:I, s:i, s:i}", "report_id", (json_int_t)rep.id,
		                         "unit_id", (json_int_t)unit_id, "percent", rep.percent,
		                         "files", rep.nfiles));
	if (req_tx_end(r, r->db, rc, &e))
		return r->err.code;
	if (report_db_get(r->db, t.id, rep.id, &r->arena, &out, &e))
		return req_fail_error(r, &e);
	return req_reply_json(r, 201, report_json(r, &out));
}

/* POST /tasks/{id}/reports/{report}/comment {comment}: the office's 点评. */
static int reports_comment(struct req *r)
{
	static const char *const fields[] = {"comment", NULL};
	struct task_report rep;
	struct plan_node t;
	struct error e;
	const char *comment = NULL;
	json_t *body;
	int64_t id;
	int rc;

	error_init(&e);
	if (req_body_json(r, &body) || load_task(r, &t) || req_param_id(r, "report", &id))
		return r->err.code;
	if (json_only_keys(body, fields, &e) ||
	    json_get_string(body, "comment", JF_REQUIRED, 1, REPORT_TEXT_MAX, &comment, &e))
		return req_fail_error(r, &e);
	if (store_begin(r->db, 1, &e))
		return req_fail_error(r, &e);
	rc = report_db_get(r->db, t.id, id, &r->arena, &rep, &e);
	if (!rc)
		rc = report_db_comment(r->db, id, comment, r->who->user_id, time_now_ms(), &e);
	if (!rc)
		rc = req_audit(
		    r, r->db, "task.report.comment", "task", t.id,
		    json_pack("{s:I, s:s}", "report_id", (json_int_t)id, "comment", comment));
	if (req_tx_end(r, r->db, rc, &e))
		return r->err.code;
	if (report_db_get(r->db, t.id, id, &r->arena, &rep, &e))
		return req_fail_error(r, &e);
	return req_reply_json(r, 200, report_json(r, &rep));
}

void plan_task_routes(struct router *rt)
{
	router_add(rt, "GET", "/api/v1/tasks", tasks_list, "plan:view", 0);
	router_add(rt, "GET", "/api/v1/tasks/{id}", tasks_get, "plan:view", 0);
	router_add(rt, "GET", "/api/v1/tasks/{id}/reports", reports_list, "plan:view", 0);
	router_add(rt, "POST", "/api/v1/tasks/{id}/reports", reports_create, "plan:report", 0);
	router_add(rt, "POST", "/api/v1/tasks/{id}/reports/{report}/comment", reports_comment,
	           "plan:comment", 0);
}

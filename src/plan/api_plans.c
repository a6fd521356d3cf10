/*
 * api_plans.c - /plans: action plans as a tree (plan -> projects -> actions
 * -> tasks).  The office creates a plan with its whole tree in one request
 * or node by node, edits and deletes (plan:edit); anyone with plan:view
 * reads it, a unit seeing only the tasks it leads or is responsible for.
 * Every change writes its audit row in the same transaction.
 */
#include <string.h>

#include "app.h"
#include "auth/auth.h"
#include "core/clock.h"
#include "files/files.h"
#include "http/json_io.h"
#include "http/req.h"
#include "http/router.h"
#include "plan/plan.h"
#include "plan/plan_api.h"
#include "store/store.h"
#include "system/tenants.h"

static const char *const child_key[] = {"projects", "actions", "tasks", NULL};

json_t *plan_node_json(const struct plan_node *n, const char *today)
{
	json_t *ids = json_array(), *names = json_array();
	json_t *j;
	int i;

	for (i = 0; i < n->nunits; i++) {
		json_array_append_new(ids, json_integer(n->unit_ids[i]));
		json_array_append_new(names, json_string(n->unit_names[i]));
	}
	j = json_pack("{s:I, s:s, s:s, s:o, s:o, s:o, s:s, s:s, s:s, s:s, s:s, s:s, s:I}", "id",
	              (json_int_t)n->id, "level", plan_level_key(n->level), "title", n->title,
	              "unit_ids", ids, "unit_names", names, "leader_id",
	              n->leader_id ? json_integer(n->leader_id) : json_null(), "leader_name",
	              n->leader_name, "lead_unit_name", n->lead_unit_name, "starts_on",
	              n->starts_on, "deadline", n->deadline, "status", n->status, "milestones",
	              n->milestones, "sort", (json_int_t)n->sort);
	json_object_set_new(j, "lead_unit_id",
	                    n->lead_unit_id ? json_integer(n->lead_unit_id) : json_null());
	json_object_set_new(j, "expected_results", json_string(n->expected));
	if (n->level == PL_PLAN)
		json_object_set_new(j, "rhythm", json_string(n->rhythm));
	if (n->plan_id)
		json_object_set_new(j, "plan_id", json_integer(n->plan_id));
	if (n->parent_id)
		json_object_set_new(j, "parent_id", json_integer(n->parent_id));
	if (*n->deadline) {
		json_object_set_new(j, "overdue", json_boolean(plan_overdue(n, today)));
		json_object_set_new(j, "days_left",
		                    json_integer(plan_days_between(today, n->deadline)));
	}
	if (n->level == PL_TASK) {
		json_object_set_new(j, "last_report_at",
		                    n->last_report_at ? json_integer(n->last_report_at)
		                                      : json_null());
		json_object_set_new(j, "percent",
		                    json_integer(n->last_percent < 0 ? 0 : n->last_percent));
	}
	return j;
}

json_t *plan_tree_json(const struct plan_node *nodes, int n, const char *today)
{
	json_t *stack[4] = {NULL};
	int i;

	stack[0] = plan_node_json(&nodes[0], today);
	json_object_set_new(stack[0], "projects", json_array());
	for (i = 1; i < n; i++) {
		int lv = (int)nodes[i].level;
		json_t *j = plan_node_json(&nodes[i], today);

		if (lv < PL_TASK)
			json_object_set_new(j, child_key[lv], json_array());
		if (stack[lv - 1])
			json_array_append_new(json_object_get(stack[lv - 1], child_key[lv - 1]), j);
		else
			json_decref(j);
		stack[lv] = lv < PL_TASK ? j : NULL;
		if (lv < PL_ACTION)
			stack[PL_ACTION] = NULL;
	}
	return stack[0];
}

void plan_api_today(struct req *r, char out[11])
{
	char tz[64] = TENANT_DEFAULT_TZ;
	struct error e;
	int minutes = 480;

	error_init(&e);
	if (req_db(r) && !tenant_timezone(r->db, r->who->tenant_id, tz, &e))
		tz_supported(tz, &minutes);
	plan_today(time_now_ms(), minutes, out);
}

void plan_api_scope(struct req *r, struct scope *s)
{
	principal_scope(r->who, "plan:view", &r->arena, s);
}

/* ---- reading a node from a body --------------------------------------------------- */

static int id_list(struct req *r, json_t *body, const char *key, struct plan_node *n,
                   struct error *e)
{
	json_t *arr = json_object_get(body, key), *v;
	size_t i;

	n->nunits = 0;
	n->unit_ids = arena_alloc(&r->arena, PLAN_MAX_UNITS * sizeof(*n->unit_ids));
	if (!arr || json_is_null(arr))
		return 0;
	if (!json_is_array(arr) || json_array_size(arr) > PLAN_MAX_UNITS)
		return error_set(e, ERR_INVALID, key, "%s 应为最多 %d 个单位编号的数组", key,
		                 PLAN_MAX_UNITS);
	json_array_foreach(arr, i, v)
	{
		if (!json_is_integer(v) || json_integer_value(v) < 1)
			return error_set(e, ERR_INVALID, key, "%s 应为单位编号的数组", key);
		n->unit_ids[n->nunits++] = json_integer_value(v);
	}
	return 0;
}

/*
 * Fill n from body (create: defaults first; update: only the fields given
 * change) and check it against the tenant.
 */
static int node_from_body(struct req *r, json_t *body, struct plan_node *n, int create,
                          struct error *e)
{
	static const char *const fields[] = {
	    "title",    "leader_id", "lead_unit_id", "unit_ids",         "starts_on",
	    "deadline", "status",    "milestones",   "expected_results", "rhythm",
	    "projects", "actions",   "tasks",        "parent_id",        "level",
	    NULL};
	int64_t leader = n->leader_id, lead = n->lead_unit_id;

	if (create) {
		n->title = "";
		n->starts_on = n->deadline = n->milestones = n->expected = "";
		n->status = "active";
		n->rhythm = n->level == PL_PLAN ? "monthly" : "";
	}
	if (json_only_keys(body, fields, e) ||
	    json_get_string(body, "title", create ? JF_REQUIRED : 0, 1, PLAN_TITLE_MAX, &n->title,
	                    e) ||
	    json_get_string(body, "starts_on", JF_NULLABLE, 0, 10, &n->starts_on, e) ||
	    json_get_string(body, "deadline", JF_NULLABLE, 0, 10, &n->deadline, e) ||
	    json_get_string(body, "status", 0, 1, 10, &n->status, e) ||
	    json_get_string(body, "milestones", JF_NULLABLE, 0, PLAN_TEXT_MAX, &n->milestones, e) ||
	    json_get_string(body, "expected_results", JF_NULLABLE, 0, PLAN_TEXT_MAX, &n->expected,
	                    e) ||
	    (n->level == PL_PLAN && json_get_string(body, "rhythm", 0, 1, 10, &n->rhythm, e)))
		return e->code;
	if (json_object_get(body, "leader_id")) {
		leader = 0;
		if (json_get_int(body, "leader_id", JF_NULLABLE, 1, INT64_MAX, &leader, e))
			return e->code;
	}
	if (json_object_get(body, "lead_unit_id")) {
		lead = 0;
		if (json_get_int(body, "lead_unit_id", JF_NULLABLE, 1, INT64_MAX, &lead, e))
			return e->code;
	}
	n->leader_id = leader;
	n->lead_unit_id = lead;
	if ((create || json_object_get(body, "unit_ids")) && id_list(r, body, "unit_ids", n, e))
		return e->code;
	n->tenant_id = r->who->tenant_id;
	return plan_node_check(r->db, n, e);
}

/* Insert n and, from body's child array, its subtree; count the nodes. */
static int insert_subtree(struct req *r, json_t *body, struct plan_node *n, int *count,
                          struct error *e)
{
	json_t *kids, *kid;
	size_t i;
	int rc;

	n->created_by = r->who->user_id;
	n->created_at = n->updated_at = time_now_ms();
	if (++*count > PLAN_MAX_NODES)
		return error_set(e, ERR_INVALID, NULL, "一个计划最多 %d 个节点", PLAN_MAX_NODES);
	if ((rc = plan_db_insert(r->db, n, e)) != 0)
		return rc;
	if (n->level == PL_TASK)
		return 0;
	kids = json_object_get(body, child_key[n->level]);
	if (!kids || json_is_null(kids))
		return 0;
	if (!json_is_array(kids))
		return error_set(e, ERR_INVALID, child_key[n->level], "%s 应为数组",
		                 child_key[n->level]);
	json_array_foreach(kids, i, kid)
	{
		struct plan_node c;

		memset(&c, 0, sizeof(c));
		c.level = n->level + 1;
		c.plan_id = n->plan_id ? n->plan_id : n->id;
		c.parent_id = n->id;
		c.sort = (int64_t)i;
		if (!json_is_object(kid))
			return error_set(e, ERR_INVALID, child_key[n->level], "%s 的每一项应为对象",
			                 child_key[n->level]);
		if ((rc = node_from_body(r, kid, &c, 1, e)) != 0) {
			/* name the node in the message: which child went wrong */
			struct error inner = *e;

			return error_set(e, rc, inner.field[0] ? inner.field : NULL, "%s“%s”：%s",
			                 plan_level_title(c.level), c.title ? c.title : "",
			                 inner.message);
		}
		if ((rc = insert_subtree(r, kid, &c, count, e)) != 0)
			return rc;
	}
	return 0;
}

/* Reply the tree of plan id as the caller sees it. */
static int tree_reply(struct req *r, int64_t id, int status)
{
	struct plan_node *nodes;
	struct scope s;
	struct error e;
	char today[11];
	int n;

	error_init(&e);
	plan_api_scope(r, &s);
	plan_api_today(r, today);
	if (plan_db_tree(r->db, r->who->tenant_id, &s, id, &r->arena, &nodes, &n, &e))
		return req_fail_error(r, &e);
	return req_reply_json(r, status, plan_tree_json(nodes, n, today));
}

/* POST /plans */
static int plans_create(struct req *r)
{
	struct plan_node p;
	struct error e;
	json_t *body;
	int count = 0, rc;

	memset(&p, 0, sizeof(p));
	p.level = PL_PLAN;
	error_init(&e);
	if (req_body_json(r, &body) || !req_db(r))
		return r->err.code;
	if (store_begin(r->db, 1, &e))
		return req_fail_error(r, &e);
	rc = node_from_body(r, body, &p, 1, &e);
	if (!rc)
		rc = insert_subtree(r, body, &p, &count, &e);
	if (!rc)
		rc = req_audit(r, r->db, "plan.create", "plan", p.id,
		               json_pack("{s:s, s:i}", "title", p.title, "nodes", count));
	if (req_tx_end(r, r->db, rc, &e))
		return r->err.code;
	return tree_reply(r, p.id, 201);
}

/* GET /plans */
static int plans_list(struct req *r)
{
	struct plan_node *list;
	struct error e;
	char today[11];
	json_t *items;
	int i, n;

	if (!req_db(r))
		return r->err.code;
	error_init(&e);
	plan_api_today(r, today);
	if (plan_db_plans(r->db, r->who->tenant_id, &r->arena, &list, &n, &e))
		return req_fail_error(r, &e);
	items = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(items, plan_node_json(&list[i], today));
	return req_reply_json(r, 200, json_pack("{s:o, s:i}", "items", items, "total", n));
}

/* GET /plans/{id} */
static int plans_get(struct req *r)
{
	int64_t id;

	if (req_param_id(r, "id", &id) || !req_db(r))
		return r->err.code;
	return tree_reply(r, id, 200);
}

/* The node {node} (or the plan itself when node_param is NULL) of plan {id}, for a write. */
static int load_node(struct req *r, const char *node_param, struct plan_node *out, struct error *e)
{
	int64_t plan_id, id;

	if (req_param_id(r, "id", &plan_id) || (node_param && req_param_id(r, node_param, &id)))
		return r->err.code;
	if (!node_param)
		id = plan_id;
	if (plan_db_get(r->db, r->who->tenant_id, NULL, id, &r->arena, out, e))
		return req_fail_error(r, e);
	if ((node_param && out->plan_id != plan_id) || (!node_param && out->level != PL_PLAN))
		return req_fail(r, ERR_NOT_FOUND, NULL, "计划或任务不存在");
	return 0;
}

static int node_update(struct req *r, const char *node_param)
{
	struct plan_node n;
	struct error e;
	json_t *body;
	int rc;

	error_init(&e);
	if (req_body_json(r, &body) || !req_db(r))
		return r->err.code;
	if (store_begin(r->db, 1, &e))
		return req_fail_error(r, &e);
	if (load_node(r, node_param, &n, &e)) {
		store_rollback(r->db);
		return r->err.code;
	}
	rc = node_from_body(r, body, &n, 0, &e);
	n.updated_at = time_now_ms();
	if (!rc)
		rc = plan_db_update(r->db, &n, &e);
	if (!rc)
		rc = req_audit(r, r->db, "plan.update", plan_level_key(n.level), n.id,
		               json_pack("{s:s, s:s, s:s}", "title", n.title, "deadline",
		                         n.deadline, "status", n.status));
	if (req_tx_end(r, r->db, rc, &e))
		return r->err.code;
	return tree_reply(r, n.plan_id ? n.plan_id : n.id, 200);
}

/* PUT /plans/{id} */
static int plans_update(struct req *r)
{
	return node_update(r, NULL);
}

/* PUT /plans/{id}/nodes/{node} */
static int nodes_update(struct req *r)
{
	return node_update(r, "node");
}

static int node_delete(struct req *r, const char *node_param)
{
	struct plan_node n;
	struct error e;
	int rc;

	error_init(&e);
	if (!req_db(r))
		return r->err.code;
	if (store_begin(r->db, 1, &e))
		return req_fail_error(r, &e);
	if (load_node(r, node_param, &n, &e)) {
		store_rollback(r->db);
		return r->err.code;
	}
	rc = plan_db_delete(r->db, r->who->tenant_id, n.id, &e);
	if (!rc)
		rc = req_audit(r, r->db, "plan.delete", plan_level_key(n.level), n.id,
		               json_pack("{s:s}", "title", n.title));
	if (req_tx_end(r, r->db, rc, &e))
		return r->err.code;
	return req_reply_empty(r);
}

/* DELETE /plans/{id} */
static int plans_delete(struct req *r)
{
	return node_delete(r, NULL);
}

/* DELETE /plans/{id}/nodes/{node} */
static int nodes_delete(struct req *r)
{
	return node_delete(r, "node");
}

/* POST /plans/{id}/nodes: {parent_id, title, ...} one node (and its children) under parent. */
static int nodes_create(struct req *r)
{
	struct plan_node parent, n;
	struct error e;
	json_t *body;
	int64_t plan_id, parent_id = 0;
	int count = 0, rc;

	error_init(&e);
	if (req_body_json(r, &body) || !req_db(r) || req_param_id(r, "id", &plan_id))
		return r->err.code;
	if (json_get_int(body, "parent_id", 0, 1, INT64_MAX, &parent_id, &e))
		return req_fail_error(r, &e);
	if (!parent_id)
		parent_id = plan_id;
	if (store_begin(r->db, 1, &e))
		return req_fail_error(r, &e);
	rc = plan_db_get(r->db, r->who->tenant_id, NULL, parent_id, &r->arena, &parent, &e);
	if (!rc && parent.id != plan_id && parent.plan_id != plan_id)
		rc = error_set(&e, ERR_NOT_FOUND, NULL, "计划不存在");
	if (!rc && parent.level == PL_TASK)
		rc = error_set(&e, ERR_INVALID, "parent_id", "任务下不能再添加节点");
	if (!rc) {
		memset(&n, 0, sizeof(n));
		n.level = parent.level + 1;
		n.plan_id = plan_id;
		n.parent_id = parent.id;
		n.sort = time_now_ms() / 1000;
		rc = node_from_body(r, body, &n, 1, &e);
	}
	if (!rc)
		rc = insert_subtree(r, body, &n, &count, &e);
	if (!rc)
		rc = req_audit(r, r->db, "plan.node.create", plan_level_key(n.level), n.id,
		               json_pack("{s:s, s:I, s:i}", "title", n.title, "plan_id",
		                         (json_int_t)plan_id, "nodes", count));
	if (req_tx_end(r, r->db, rc, &e))
		return r->err.code;
	return tree_reply(r, plan_id, 201);
}

/* GET /plan-leaders: the leader accounts a 包抓领导 may be. */
static int leaders_list(struct req *r)
{
	struct plan_leader *list;
	struct error e;
	json_t *items;
	int i, n;

	if (!req_db(r))
		return r->err.code;
	error_init(&e);
	if (plan_db_leaders(r->db, r->who->tenant_id, &r->arena, &list, &n, &e))
		return req_fail_error(r, &e);
	items = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(items, json_pack("{s:I, s:s, s:s}", "id",
		                                       (json_int_t)list[i].id, "username",
		                                       list[i].username, "name", list[i].name));
	return req_reply_json(r, 200, json_pack("{s:o}", "items", items));
}

/* Files attached to task reports and meetings: readable within plan:view's scope. */
static int plan_file_readable(struct store_conn *c, const struct principal *who, int64_t file_id,
                              struct arena *a, int *ok, struct error *e)
{
	struct scope s;

	principal_scope(who, "plan:view", a, &s);
	*ok = 0;
	if (!principal_has(who, "plan:view"))
		return 0;
	return plan_db_file_readable(c, who->tenant_id, &s, file_id, ok, e);
}

static const struct file_owner_kind plan_file_kind = {"plan", plan_file_readable};

void plan_routes(struct router *rt)
{
	files_register_owner(&plan_file_kind);
	router_add(rt, "GET", "/api/v1/plans", plans_list, "plan:view", 0);
	router_add(rt, "POST", "/api/v1/plans", plans_create, "plan:edit", 2L << 20);
	router_add(rt, "GET", "/api/v1/plans/{id}", plans_get, "plan:view", 0);
	router_add(rt, "PUT", "/api/v1/plans/{id}", plans_update, "plan:edit", 0);
	router_add(rt, "DELETE", "/api/v1/plans/{id}", plans_delete, "plan:edit", 0);
	router_add(rt, "POST", "/api/v1/plans/{id}/nodes", nodes_create, "plan:edit", 0);
	router_add(rt, "PUT", "/api/v1/plans/{id}/nodes/{node}", nodes_update, "plan:edit", 0);
	router_add(rt, "DELETE", "/api/v1/plans/{id}/nodes/{node}", nodes_delete, "plan:edit", 0);
	router_add(rt, "GET", "/api/v1/plan-leaders", leaders_list, "plan:view", 0);
	plan_sheet_routes(rt);
	plan_task_routes(rt);
	plan_meeting_routes(rt);
}

/* plan_db.c - plan nodes, their units and the progress reports in the store. */
#include <stdint.h>
#include <string.h>

#include "auth/auth.h"
#include "plan/plan.h"
#include "store/store.h"

#define NODE_COLS                                                                                  \
	"n.id, n.tenant_id, COALESCE(n.plan_id, 0), COALESCE(n.parent_id, 0), n.level, n.title,"   \
	" COALESCE(n.leader_id, 0), COALESCE(lu.name, ''), COALESCE(n.lead_unit_id, 0),"           \
	" COALESCE(un.name, ''), n.starts_on, n.deadline, n.status, n.milestones, n.expected,"     \
	" n.rhythm, n.sort, COALESCE(n.created_by, 0), n.created_at, n.updated_at"
#define NODE_FROM                                                                                  \
	" FROM plan_nodes n LEFT JOIN users lu ON lu.id = n.leader_id"                             \
	" LEFT JOIN units un ON un.id = n.lead_unit_id"
/* A task is seen through its lead or responsible units (id or subtree) or its leader. */
#define TASK_SCOPE                                                                                 \
	"(? = 1 OR EXISTS (SELECT 1 FROM plan_node_units su JOIN units sun ON sun.id = su.unit_id" \
	" WHERE su.node_id = n.id AND (su.unit_id IN_IDS(?) OR sun.ancestors LIKE ?))"             \
	" OR n.leader_id = ?)"
#define LAST_REPORT                                                                                \
	", COALESCE((SELECT MAX(created_at) FROM task_reports tr WHERE tr.task_id = n.id), 0),"    \
	" COALESCE((SELECT tr.percent FROM task_reports tr WHERE tr.task_id = n.id"                \
	" ORDER BY tr.created_at DESC, tr.id DESC LIMIT 1), -1)"
#define TASK_WHERE                                                                                 \
	NODE_FROM " WHERE n.tenant_id = ? AND n.level = 'task' AND " TASK_SCOPE                    \
	          " AND (CAST(? AS BIGINT) = 0 OR n.plan_id = ?)"                                  \
	          " AND (CAST(? AS BIGINT) = 0 OR EXISTS (SELECT 1 FROM plan_node_units fu"        \
	          " WHERE fu.node_id = n.id AND fu.unit_id = ?))"                                  \
	          " AND (CAST(? AS BIGINT) = 0 OR n.leader_id = ?)"                                \
	          " AND (CAST(? AS TEXT) = '' OR (n.deadline <> '' AND n.deadline < ?"             \
	          " AND n.status <> 'done'))"

STORE_SQL(q_node_insert,
          "INSERT INTO plan_nodes (tenant_id, plan_id, parent_id, level, title, leader_id,"
          " lead_unit_id, starts_on, deadline, status, milestones, expected, rhythm, sort,"
          " created_by, created_at, updated_at)"
          " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
STORE_SQL(q_node_update, "UPDATE plan_nodes SET title = ?, leader_id = ?, lead_unit_id = ?,"
                         " starts_on = ?, deadline = ?, status = ?, milestones = ?, expected = ?,"
                         " rhythm = ?, updated_at = ? WHERE id = ? AND tenant_id = ?");
STORE_SQL(q_node_units_clear, "DELETE FROM plan_node_units WHERE node_id = ?");
STORE_SQL(q_node_unit_add,
          "INSERT INTO plan_node_units (node_id, unit_id, is_lead) VALUES (?, ?, ?)"
          " ON CONFLICT (node_id, unit_id) DO NOTHING");
STORE_SQL(q_node_delete, "DELETE FROM plan_nodes WHERE tenant_id = ? AND id = ?");
STORE_SQL(q_node_get,
          "SELECT " NODE_COLS LAST_REPORT NODE_FROM
          " WHERE n.tenant_id = ? AND n.id = ? AND (n.level <> 'task' OR " TASK_SCOPE ")");
STORE_SQL(q_node_tree, "SELECT " NODE_COLS LAST_REPORT NODE_FROM
                       " WHERE n.tenant_id = ? AND (n.id = ? OR n.plan_id = ?)"
                       " AND (n.level <> 'task' OR " TASK_SCOPE ")"
                       " ORDER BY n.sort, n.id");
STORE_SQL(q_plans,
          "SELECT " NODE_COLS ", 0, -1" NODE_FROM
          " WHERE n.tenant_id = ? AND n.level = 'plan' ORDER BY n.created_at DESC, n.id DESC");
STORE_SQL(q_task_count, "SELECT COUNT(*)" TASK_WHERE);
STORE_SQL(q_task_page,
          "SELECT " NODE_COLS LAST_REPORT TASK_WHERE " ORDER BY n.deadline, n.id LIMIT ? OFFSET ?");
STORE_SQL(q_node_units, "SELECT nu.unit_id, u.name FROM plan_node_units nu"
                        " JOIN units u ON u.id = nu.unit_id"
                        " WHERE nu.node_id = ? AND nu.is_lead = 0 ORDER BY u.sort, u.id");
STORE_SQL(q_is_leader, "SELECT COUNT(*) FROM users u JOIN user_roles ur ON ur.user_id = u.id"
                       " JOIN roles r ON r.id = ur.role_id"
                       " WHERE u.tenant_id = ? AND u.id = ? AND u.enabled = 1"
                       " AND r.key = 'leader' AND r.enabled = 1");
STORE_SQL(q_leaders, "SELECT DISTINCT u.id, u.username, u.name FROM users u"
                     " JOIN user_roles ur ON ur.user_id = u.id JOIN roles r ON r.id = ur.role_id"
                     " WHERE u.tenant_id = ? AND u.enabled = 1 AND r.key = 'leader'"
                     " AND r.enabled = 1 ORDER BY u.id");

static void node_read(struct store_rows *r, struct arena *a, struct plan_node *n)
{
	int lv;

	memset(n, 0, sizeof(*n));
	n->id = store_int(r, 0);
	n->tenant_id = store_int(r, 1);
	n->plan_id = store_int(r, 2);
	n->parent_id = store_int(r, 3);
	lv = plan_level_of(store_text(r, 4));
	n->level = lv < 0 ? PL_TASK : (enum plan_level)lv;
	n->title = arena_strdup(a, store_text(r, 5));
	n->leader_id = store_int(r, 6);
	n->leader_name = arena_strdup(a, store_text(r, 7));
	n->lead_unit_id = store_int(r, 8);
	n->lead_unit_name = arena_strdup(a, store_text(r, 9));
	n->starts_on = arena_strdup(a, store_text(r, 10));
	n->deadline = arena_strdup(a, store_text(r, 11));
	n->status = arena_strdup(a, store_text(r, 12));
	n->milestones = arena_strdup(a, store_text(r, 13));
	n->expected = arena_strdup(a, store_text(r, 14));
	n->rhythm = arena_strdup(a, store_text(r, 15));
	n->sort = store_int(r, 16);
	n->created_by = store_int(r, 17);
	n->created_at = store_int(r, 18);
	n->updated_at = store_int(r, 19);
	n->last_report_at = store_int(r, 20);
	n->last_percent = (int)store_int(r, 21);
}

static struct store_val id_or_null(int64_t id)
{
	return id ? sv_int(id) : sv_null();
}

static int units_write(struct store_conn *c, const struct plan_node *n, struct error *e)
{
	struct store_val args[3];
	int i, rc;

	args[0] = sv_int(n->id);
	rc = store_exec(c, &q_node_units_clear, args, 1, NULL, e);
	if (!rc && n->lead_unit_id) {
		args[1] = sv_int(n->lead_unit_id);
		args[2] = sv_int(1);
		rc = store_exec(c, &q_node_unit_add, args, 3, NULL, e);
	}
	for (i = 0; !rc && i < n->nunits; i++) {
		args[1] = sv_int(n->unit_ids[i]);
		args[2] = sv_int(0);
		rc = store_exec(c, &q_node_unit_add, args, 3, NULL, e);
	}
	return rc;
}

int plan_db_insert(struct store_conn *c, struct plan_node *n, struct error *e)
{
	struct store_val args[] = {sv_int(n->tenant_id),        id_or_null(n->plan_id),
	                           id_or_null(n->parent_id),    sv_text(plan_level_key(n->level)),
	                           sv_text(n->title),           id_or_null(n->leader_id),
	                           id_or_null(n->lead_unit_id), sv_text(n->starts_on),
	                           sv_text(n->deadline),        sv_text(n->status),
	                           sv_text(n->milestones),      sv_text(n->expected),
	                           sv_text(n->rhythm),          sv_int(n->sort),
	                           id_or_null(n->created_by),   sv_int(n->created_at),
	                           sv_int(n->updated_at)};
	int rc = store_query_int(c, &q_node_insert, args, 17, &n->id, e);

	return rc ? rc : units_write(c, n, e);
}

int plan_db_update(struct store_conn *c, const struct plan_node *n, struct error *e)
{
	struct store_val args[] = {sv_text(n->title),
	                           id_or_null(n->leader_id),
	                           id_or_null(n->lead_unit_id),
	                           sv_text(n->starts_on),
	                           sv_text(n->deadline),
	                           sv_text(n->status),
	                           sv_text(n->milestones),
	                           sv_text(n->expected),
	                           sv_text(n->rhythm),
	                           sv_int(n->updated_at),
	                           sv_int(n->id),
	                           sv_int(n->tenant_id)};
	int64_t changes = 0;
	int rc = store_exec(c, &q_node_update, args, 12, &changes, e);

	if (rc)
		return rc;
	if (!changes)
		return error_set(e, ERR_NOT_FOUND, NULL, "计划不存在");
	return units_write(c, n, e);
}

int plan_db_delete(struct store_conn *c, int64_t tenant_id, int64_t id, struct error *e)
{
	struct store_val args[] = {sv_int(tenant_id), sv_int(id)};
	int64_t changes = 0;
	int rc = store_exec(c, &q_node_delete, args, 2, &changes, e);

	if (rc)
		return rc;
	return changes ? 0 : error_set(e, ERR_NOT_FOUND, NULL, "计划不存在");
}

/* The responsible units of n (not the lead unit). */
static int node_units(struct store_conn *c, struct plan_node *n, struct arena *a, struct error *e)
{
	struct store_val args[] = {sv_int(n->id)};
	struct store_rows *r;
	int rc;

	n->nunits = 0;
	n->unit_ids = arena_alloc(a, PLAN_MAX_UNITS * sizeof(*n->unit_ids));
	n->unit_names = arena_alloc(a, PLAN_MAX_UNITS * sizeof(*n->unit_names));
	rc = store_query(c, &q_node_units, args, 1, &r, e);
	if (rc)
		return rc;
	while ((rc = store_next(r)) > 0)
		if (n->nunits < PLAN_MAX_UNITS) {
			n->unit_ids[n->nunits] = store_int(r, 0);
			n->unit_names[n->nunits++] = arena_strdup(a, store_text(r, 1));
		}
	store_finish(r);
	return rc < 0 ? error_set(e, rc, NULL, NULL) : 0;
}

/* Run q, read every node into *out and fetch each one's units. */
static int nodes_query(struct store_conn *c, const struct store_sql *q, struct store_val *args,
                       int nargs, struct arena *a, struct plan_node **out, int *n, struct error *e)
{
	struct store_rows *r;
	struct plan_node *list = NULL;
	int cap = 0, rc, i;

	*out = NULL;
	*n = 0;
	rc = store_query(c, q, args, nargs, &r, e);
	if (rc)
		return rc;
	while ((rc = store_next(r)) > 0) {
		if (*n == cap) {
			struct plan_node *bigger;

			cap = cap ? cap * 2 : 64;
			bigger = arena_alloc(a, (size_t)cap * sizeof(*bigger));
			if (*n)
				memcpy(bigger, list, (size_t)*n * sizeof(*bigger));
			list = bigger;
		}
		node_read(r, a, &list[(*n)++]);
	}
	store_finish(r);
	if (rc < 0)
		return error_set(e, rc, NULL, NULL);
	for (i = 0; i < *n; i++)
		if ((rc = node_units(c, &list[i], a, e)) != 0)
			return rc;
	*out = list;
	return 0;
}

static const struct scope everything = SCOPE_EVERYTHING;

int plan_db_get(struct store_conn *c, int64_t tenant_id, const struct scope *s, int64_t id,
                struct arena *a, struct plan_node *out, struct error *e)
{
	struct store_val args[6];
	struct plan_node *list;
	int n, rc;

	args[0] = sv_int(tenant_id);
	args[1] = sv_int(id);
	scope_args(s ? s : &everything, args + 2);
	rc = nodes_query(c, &q_node_get, args, 6, a, &list, &n, e);
	if (rc)
		return rc;
	if (!n)
		return error_set(e, ERR_NOT_FOUND, NULL, "计划或任务不存在");
	*out = list[0];
	return 0;
}

/* Append the children of parent (in query order) and theirs, depth first. */
static void tree_walk(const struct plan_node *nodes, int n, int64_t parent, int depth,
                      struct plan_node *sorted, int *k)
{
	int i;

	if (depth > PL_TASK)
		return;
	for (i = 0; i < n; i++)
		if (nodes[i].level != PL_PLAN && nodes[i].parent_id == parent) {
			sorted[(*k)++] = nodes[i];
			tree_walk(nodes, n, nodes[i].id, depth + 1, sorted, k);
		}
}

/* Put nodes in tree order: the plan, then each child followed by its subtree. */
static void tree_order(struct plan_node *nodes, int *n, struct arena *a)
{
	struct plan_node *sorted = arena_alloc(a, (size_t)*n * sizeof(*sorted));
	int i, k = 0;

	for (i = 0; i < *n; i++)
		if (nodes[i].level == PL_PLAN)
			sorted[k++] = nodes[i];
	if (k != 1)
		return;
	tree_walk(nodes, *n, sorted[0].id, 1, sorted, &k);
	memcpy(nodes, sorted, (size_t)k * sizeof(*sorted));
	*n = k; /* nodes whose parent is out of scope are left out */
}

int plan_db_tree(struct store_conn *c, int64_t tenant_id, const struct scope *s, int64_t plan_id,
                 struct arena *a, struct plan_node **out, int *n, struct error *e)
{
	struct store_val args[7];
	int rc;

	args[0] = sv_int(tenant_id);
	args[1] = sv_int(plan_id);
	args[2] = sv_int(plan_id);
	scope_args(s ? s : &everything, args + 3);
	rc = nodes_query(c, &q_node_tree, args, 7, a, out, n, e);
	if (rc)
		return rc;
	tree_order(*out, n, a);
	if (!*n || (*out)[0].level != PL_PLAN)
		return error_set(e, ERR_NOT_FOUND, NULL, "计划不存在");
	return 0;
}

int plan_db_plans(struct store_conn *c, int64_t tenant_id, struct arena *a, struct plan_node **out,
                  int *n, struct error *e)
{
	struct store_val args[] = {sv_int(tenant_id)};

	return nodes_query(c, &q_plans, args, 1, a, out, n, e);
}

int plan_db_tasks(struct store_conn *c, int64_t tenant_id, const struct plan_task_filter *f,
                  struct arena *a, struct plan_node **out, int *n, int64_t *total, struct error *e)
{
	const char *before = f->overdue_before ? f->overdue_before : "";
	struct store_val args[18];
	int k = 0, rc;

	args[k++] = sv_int(tenant_id);
	scope_args(f->scope ? f->scope : &everything, args + k);
	k += 4;
	args[k++] = sv_int(f->plan_id);
	args[k++] = sv_int(f->plan_id);
	args[k++] = sv_int(f->unit_id);
	args[k++] = sv_int(f->unit_id);
	args[k++] = sv_int(f->leader_id);
	args[k++] = sv_int(f->leader_id);
	args[k++] = sv_text(before);
	args[k++] = sv_text(before);
	rc = store_query_int(c, &q_task_count, args, k, total, e);
	if (rc)
		return rc;
	args[k++] = sv_int(f->limit > 0 ? f->limit : INT32_MAX);
	args[k++] = sv_int(f->offset);
	return nodes_query(c, &q_task_page, args, k, a, out, n, e);
}

int plan_db_is_leader(struct store_conn *c, int64_t tenant_id, int64_t user_id, int *ok,
                      struct error *e)
{
	struct store_val args[] = {sv_int(tenant_id), sv_int(user_id)};
	int64_t count = 0;
	int rc = store_query_int(c, &q_is_leader, args, 2, &count, e);

	*ok = count > 0;
	return rc;
}

int plan_db_leaders(struct store_conn *c, int64_t tenant_id, struct arena *a,
                    struct plan_leader **out, int *n, struct error *e)
{
	struct store_val args[] = {sv_int(tenant_id)};
	struct store_rows *r;
	int cap = 0, rc;

	*out = NULL;
	*n = 0;
	rc = store_query(c, &q_leaders, args, 1, &r, e);
	if (rc)
		return rc;
	while ((rc = store_next(r)) > 0) {
		if (*n == cap) {
			struct plan_leader *bigger;

			cap = cap ? cap * 2 : 32;
			bigger = arena_alloc(a, (size_t)cap * sizeof(*bigger));
			if (*n)
				memcpy(bigger, *out, (size_t)*n * sizeof(*bigger));
			*out = bigger;
		}
		(*out)[*n].id = store_int(r, 0);
		(*out)[*n].username = arena_strdup(a, store_text(r, 1));
		(*out)[*n].name = arena_strdup(a, store_text(r, 2));
		(*n)++;
	}
	store_finish(r);
	return rc < 0 ? error_set(e, rc, NULL, NULL) : 0;
}

/* ---- reports ---------------------------------------------------------------- */

#define REPORT_COLS                                                                                \
	"r.id, r.tenant_id, r.task_id, r.unit_id, COALESCE(r.user_id, 0), COALESCE(u.name, ''),"   \
	" COALESCE(us.name, ''), r.percent, r.text, r.problems, r.comment,"                        \
	" COALESCE(cu.name, ''), COALESCE(r.comment_by, 0), COALESCE(r.comment_at, 0), "           \
	"r.created_at"
#define REPORT_FROM                                                                                \
	" FROM task_reports r JOIN units u ON u.id = r.unit_id"                                    \
	" LEFT JOIN users us ON us.id = r.user_id LEFT JOIN users cu ON cu.id = r.comment_by"

STORE_SQL(q_report_insert, "INSERT INTO task_reports (tenant_id, task_id, unit_id, user_id,"
                           " percent, text, problems, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                           " RETURNING id");
STORE_SQL(q_report_file,
          "INSERT INTO task_report_files (report_id, file_id, sort) VALUES (?, ?, ?)");
STORE_SQL(q_report_list, "SELECT " REPORT_COLS REPORT_FROM
                         " WHERE r.task_id = ? ORDER BY r.created_at DESC, r.id DESC");
STORE_SQL(q_report_get, "SELECT " REPORT_COLS REPORT_FROM " WHERE r.task_id = ? AND r.id = ?");
STORE_SQL(q_report_files,
          "SELECT file_id FROM task_report_files WHERE report_id = ? ORDER BY sort, file_id");
STORE_SQL(q_report_comment, "UPDATE task_reports SET comment = ?, comment_by = ?, comment_at = ?"
                            " WHERE id = ?");
STORE_SQL(q_report_latest,
          "SELECT " REPORT_COLS REPORT_FROM
          " WHERE r.task_id IN (SELECT id FROM plan_nodes WHERE plan_id = ? AND level = 'task')"
          " AND NOT EXISTS (SELECT 1 FROM task_reports r2 WHERE r2.task_id = r.task_id"
          " AND r2.unit_id = r.unit_id AND (r2.created_at > r.created_at"
          " OR (r2.created_at = r.created_at AND r2.id > r.id)))");

static void report_read(struct store_rows *rw, struct arena *a, struct task_report *r)
{
	memset(r, 0, sizeof(*r));
	r->id = store_int(rw, 0);
	r->tenant_id = store_int(rw, 1);
	r->task_id = store_int(rw, 2);
	r->unit_id = store_int(rw, 3);
	r->user_id = store_int(rw, 4);
	r->unit_name = arena_strdup(a, store_text(rw, 5));
	r->user_name = arena_strdup(a, store_text(rw, 6));
	r->percent = (int)store_int(rw, 7);
	r->text = arena_strdup(a, store_text(rw, 8));
	r->problems = arena_strdup(a, store_text(rw, 9));
	r->comment = arena_strdup(a, store_text(rw, 10));
	r->comment_by_name = arena_strdup(a, store_text(rw, 11));
	r->comment_by = store_int(rw, 12);
	r->comment_at = store_int(rw, 13);
	r->created_at = store_int(rw, 14);
}

int report_db_insert(struct store_conn *c, struct task_report *r, struct error *e)
{
	struct store_val args[] = {sv_int(r->tenant_id),
	                           sv_int(r->task_id),
	                           sv_int(r->unit_id),
	                           id_or_null(r->user_id),
	                           sv_int(r->percent),
	                           sv_text(r->text),
	                           sv_text(r->problems ? r->problems : ""),
	                           sv_int(r->created_at)};
	int i, rc = store_query_int(c, &q_report_insert, args, 8, &r->id, e);

	for (i = 0; !rc && i < r->nfiles; i++) {
		struct store_val fa[] = {sv_int(r->id), sv_int(r->file_ids[i]), sv_int(i)};

		rc = store_exec(c, &q_report_file, fa, 3, NULL, e);
	}
	return rc;
}

static int report_files(struct store_conn *c, struct task_report *r, struct arena *a,
                        struct error *e)
{
	struct store_val args[] = {sv_int(r->id)};
	struct store_rows *rw;
	int rc;

	r->nfiles = 0;
	r->file_ids = arena_alloc(a, PLAN_MAX_FILES * sizeof(*r->file_ids));
	rc = store_query(c, &q_report_files, args, 1, &rw, e);
	if (rc)
		return rc;
	while ((rc = store_next(rw)) > 0)
		if (r->nfiles < PLAN_MAX_FILES)
			r->file_ids[r->nfiles++] = store_int(rw, 0);
	store_finish(rw);
	return rc < 0 ? error_set(e, rc, NULL, NULL) : 0;
}

static int reports_query(struct store_conn *c, const struct store_sql *q, struct store_val *args,
                         int nargs, int with_files, struct arena *a, struct task_report **out,
                         int *n, struct error *e)
{
	struct store_rows *rw;
	struct task_report *list = NULL;
	int cap = 0, rc, i;

	*out = NULL;
	*n = 0;
	rc = store_query(c, q, args, nargs, &rw, e);
	if (rc)
		return rc;
	while ((rc = store_next(rw)) > 0) {
		if (*n == cap) {
			struct task_report *bigger;

			cap = cap ? cap * 2 : 32;
			bigger = arena_alloc(a, (size_t)cap * sizeof(*bigger));
			if (*n)
				memcpy(bigger, list, (size_t)*n * sizeof(*bigger));
			list = bigger;
		}
		report_read(rw, a, &list[(*n)++]);
	}
	store_finish(rw);
	if (rc < 0)
		return error_set(e, rc, NULL, NULL);
	for (i = 0; with_files && i < *n; i++)
		if ((rc = report_files(c, &list[i], a, e)) != 0)
			return rc;
	*out = list;
	return 0;
}

int report_db_list(struct store_conn *c, int64_t task_id, struct arena *a, struct task_report **out,
                   int *n, struct error *e)
{
	struct store_val args[] = {sv_int(task_id)};

	return reports_query(c, &q_report_list, args, 1, 1, a, out, n, e);
}

int report_db_get(struct store_conn *c, int64_t task_id, int64_t id, struct arena *a,
                  struct task_report *out, struct error *e)
{
	struct store_val args[] = {sv_int(task_id), sv_int(id)};
	struct task_report *list;
	int n, rc = reports_query(c, &q_report_get, args, 2, 1, a, &list, &n, e);

	if (rc)
		return rc;
	if (!n)
		return error_set(e, ERR_NOT_FOUND, NULL, "进展报告不存在");
	*out = list[0];
	return 0;
}

int report_db_comment(struct store_conn *c, int64_t id, const char *comment, int64_t by, int64_t at,
                      struct error *e)
{
	struct store_val args[] = {sv_text(comment), sv_int(by), sv_int(at), sv_int(id)};

	return store_exec(c, &q_report_comment, args, 4, NULL, e);
}

int report_db_latest(struct store_conn *c, int64_t plan_id, struct arena *a,
                     struct task_report **out, int *n, struct error *e)
{
	struct store_val args[] = {sv_int(plan_id)};

	return reports_query(c, &q_report_latest, args, 1, 0, a, out, n, e);
}

STORE_SQL(q_file_readable,
          "SELECT (SELECT COUNT(*) FROM task_report_files trf"
          " JOIN task_reports tr ON tr.id = trf.report_id JOIN plan_nodes n ON n.id = tr.task_id"
          " WHERE trf.file_id = ? AND n.tenant_id = ? AND " TASK_SCOPE ")"
          " + (SELECT COUNT(*) FROM meeting_files mf JOIN meetings m ON m.id = mf.meeting_id"
          " WHERE mf.file_id = ? AND m.tenant_id = ? AND (? = 1 OR EXISTS (SELECT 1"
          " FROM meeting_units mu JOIN units mun ON mun.id = mu.unit_id"
          " WHERE mu.meeting_id = m.id AND (mu.unit_id IN_IDS(?) OR mun.ancestors LIKE ?))"
          " OR m.created_by = ?))");

int plan_db_file_readable(struct store_conn *c, int64_t tenant_id, const struct scope *s,
                          int64_t file_id, int *ok, struct error *e)
{
	struct store_val args[12];
	int64_t n = 0;
	int rc;

	args[0] = sv_int(file_id);
	args[1] = sv_int(tenant_id);
	scope_args(s, args + 2);
	args[6] = sv_int(file_id);
	args[7] = sv_int(tenant_id);
	scope_args(s, args + 8);
	rc = store_query_int(c, &q_file_readable, args, 12, &n, e);
	*ok = n > 0;
	return rc;
}

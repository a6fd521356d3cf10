/*
 * plan_ops.c - the checked domain operations on plans and reports that the
 * endpoints, the import and the demo share: a node's fields against the
 * tenant, and a unit's progress report on a task.
 */
#include <string.h>

#include "core/utf8.h"
#include "files/files.h"
#include "org/org.h"
#include "plan/plan.h"

/* The unit id exists in the tenant. */
static int unit_exists(struct store_conn *c, int64_t tenant_id, int64_t id, const char *field,
                       struct error *e)
{
	struct arena a;
	struct unit u;
	struct error ue;
	int rc;

	arena_init(&a);
	error_init(&ue);
	rc = unit_get(c, tenant_id, NULL, id, &a, &u, &ue);
	arena_release(&a);
	if (rc == ERR_NOT_FOUND)
		return error_set(e, ERR_INVALID, field, "单位 %lld 不存在", (long long)id);
	if (rc)
		return error_set(e, rc, NULL, "%s", ue.message);
	return 0;
}

static int text_ok(const char *s, size_t min, size_t max, const char *field, const char *what,
                   struct error *e)
{
	size_t n = s ? utf8_chars(s) : 0;

	if (n < min)
		return error_set(e, ERR_INVALID, field, "%s不能为空", what);
	if (n > max)
		return error_set(e, ERR_INVALID, field, "%s不能超过 %zu 个字", what, max);
	return 0;
}

int plan_node_check(struct store_conn *c, const struct plan_node *n, struct error *e)
{
	int i, j, ok = 0, rc;

	if (text_ok(n->title, 1, PLAN_TITLE_MAX, "title", "名称", e) ||
	    text_ok(n->milestones, 0, PLAN_TEXT_MAX, "milestones", "阶段目标", e) ||
	    text_ok(n->expected, 0, PLAN_TEXT_MAX, "expected_results", "预期成效", e))
		return e->code;
	if (*n->starts_on && !plan_date_ok(n->starts_on))
		return error_set(e, ERR_INVALID, "starts_on", "开始日期应为 YYYY-MM-DD 格式的日期");
	if (*n->deadline && !plan_date_ok(n->deadline))
		return error_set(e, ERR_INVALID, "deadline", "完成时限应为 YYYY-MM-DD 格式的日期");
	if (n->level == PL_TASK && !*n->deadline)
		return error_set(e, ERR_INVALID, "deadline", "任务必须有完成时限");
	if (*n->starts_on && *n->deadline && strcmp(n->starts_on, n->deadline) > 0)
		return error_set(e, ERR_INVALID, "deadline", "完成时限不能早于开始日期");
	if (strcmp(n->status, "active") && strcmp(n->status, "done"))
		return error_set(e, ERR_INVALID, "status", "状态应为 active 或 done");
	if (n->level == PL_PLAN && plan_rhythm_days(n->rhythm) == 0)
		return error_set(e, ERR_INVALID, "rhythm",
		                 "报送频次应为 weekly（每周）或 monthly（每月）");
	if (n->leader_id) {
		rc = plan_db_is_leader(c, n->tenant_id, n->leader_id, &ok, e);
		if (rc)
			return rc;
		if (!ok)
			return error_set(e, ERR_INVALID, "leader_id",
			                 "包抓领导应为本地区具有领导角色的用户");
	}
	if (n->lead_unit_id && unit_exists(c, n->tenant_id, n->lead_unit_id, "lead_unit_id", e))
		return e->code;
	if (n->nunits > PLAN_MAX_UNITS)
		return error_set(e, ERR_INVALID, "unit_ids", "责任单位最多 %d 个", PLAN_MAX_UNITS);
	for (i = 0; i < n->nunits; i++) {
		for (j = 0; j < i; j++)
			if (n->unit_ids[j] == n->unit_ids[i])
				return error_set(e, ERR_INVALID, "unit_ids", "责任单位重复");
		if (unit_exists(c, n->tenant_id, n->unit_ids[i], "unit_ids", e))
			return e->code;
	}
	return 0;
}

int plan_report_add(struct store_conn *c, const struct plan_node *task, struct task_report *r,
                    struct error *e)
{
	struct file_info f;
	struct arena a;
	int i, j, member = task->lead_unit_id == r->unit_id, rc = 0;

	r->tenant_id = task->tenant_id;
	r->task_id = task->id;
	if (task->level != PL_TASK)
		return error_set(e, ERR_INVALID, NULL, "只能对任务报送进展");
	if (r->percent < 0 || r->percent > 100)
		return error_set(e, ERR_INVALID, "percent", "完成进度应为 0 到 100 的整数");
	if (text_ok(r->text, 1, REPORT_TEXT_MAX, "text", "进展情况", e) ||
	    text_ok(r->problems, 0, REPORT_TEXT_MAX, "problems", "存在问题", e))
		return e->code;
	for (i = 0; i < task->nunits; i++)
		if (task->unit_ids[i] == r->unit_id)
			member = 1;
	if (!member)
		return error_set(e, ERR_INVALID, "unit_id", "该单位不是此任务的牵头或责任单位");
	if (r->nfiles > PLAN_MAX_FILES)
		return error_set(e, ERR_INVALID, "file_ids", "附件最多 %d 个", PLAN_MAX_FILES);
	arena_init(&a);
	for (i = 0; !rc && i < r->nfiles; i++) {
		for (j = 0; j < i; j++)
			if (r->file_ids[j] == r->file_ids[i])
				rc = error_set(e, ERR_INVALID, "file_ids", "附件重复");
		if (!rc && file_get(c, r->tenant_id, r->file_ids[i], &a, &f, e))
			rc = error_set(e, ERR_INVALID, "file_ids", "附件 %lld 不存在",
			               (long long)r->file_ids[i]);
	}
	arena_release(&a);
	if (rc)
		return rc;
	return report_db_insert(c, r, e);
}

static const struct {
	const char *key, *title;
} meeting_kinds[] = {
    {"weekly", "周例会"}, {"joint", "联席会议"}, {"dispatch", "调度会"}, {"onsite", "现场推进会"}};

const char *meeting_kind_title(const char *kind)
{
	size_t i;

	for (i = 0; i < sizeof(meeting_kinds) / sizeof(meeting_kinds[0]); i++)
		if (kind && !strcmp(kind, meeting_kinds[i].key))
			return meeting_kinds[i].title;
	return NULL;
}

/* The node of the plan titled "会议议定事项" at level under parent, made when missing. */
static int decisions_node(struct store_conn *c, int64_t tenant_id, int64_t plan_id,
                          int64_t parent_id, enum plan_level level, int64_t by, int64_t now,
                          int64_t *id, struct error *e)
{
	static const char title[] = "会议议定事项";
	struct plan_node n;
	int64_t none = 0;
	int rc = plan_db_find_child(c, tenant_id, parent_id, level, title, id, e);

	if (rc || *id)
		return rc;
	memset(&n, 0, sizeof(n));
	n.tenant_id = tenant_id;
	n.level = level;
	n.plan_id = plan_id;
	n.parent_id = parent_id;
	n.title = title;
	n.unit_ids = &none;
	n.starts_on = n.deadline = n.milestones = n.expected = n.rhythm = "";
	n.status = "active";
	n.sort = 9999;
	n.created_by = by;
	n.created_at = n.updated_at = now;
	rc = plan_db_insert(c, &n, e);
	*id = n.id;
	return rc;
}

int meeting_decision_to_task(struct store_conn *c, const struct meeting *m,
                             const struct meeting_decision *d, int64_t plan_id, int64_t unit_id,
                             const char *deadline, int64_t leader_id, int64_t by, int64_t now,
                             struct plan_node *task, struct error *e)
{
	struct plan_node plan;
	struct arena a;
	int64_t project = 0, action = 0, none = 0;
	int rc;

	if (d->task_id)
		return error_set(e, ERR_CONFLICT, NULL, "该议定事项已转为任务");
	arena_init(&a);
	rc = plan_db_get(c, m->tenant_id, NULL, plan_id, &a, &plan, e);
	if (rc == ERR_NOT_FOUND || (!rc && plan.level != PL_PLAN))
		rc = error_set(e, ERR_INVALID, "plan_id", "计划不存在");
	arena_release(&a);
	if (!rc)
		rc = decisions_node(c, m->tenant_id, plan_id, plan_id, PL_PROJECT, by, now,
		                    &project, e);
	if (!rc)
		rc = decisions_node(c, m->tenant_id, plan_id, project, PL_ACTION, by, now, &action,
		                    e);
	if (rc)
		return rc;
	memset(task, 0, sizeof(*task));
	task->tenant_id = m->tenant_id;
	task->level = PL_TASK;
	task->plan_id = plan_id;
	task->parent_id = action;
	task->title = d->text;
	task->leader_id = leader_id;
	task->lead_unit_id = unit_id;
	task->unit_ids = &none;
	task->starts_on = strcmp(m->held_on, deadline) <= 0 ? m->held_on : "";
	task->deadline = deadline;
	task->status = "active";
	task->milestones = "";
	task->expected = "";
	task->rhythm = "";
	task->sort = d->seq;
	task->created_by = by;
	task->created_at = task->updated_at = now;
	if (!unit_id)
		return error_set(e, ERR_INVALID, "unit_id", "请指定负责单位");
	if ((rc = plan_node_check(c, task, e)) != 0)
		return rc;
	if ((rc = plan_db_insert(c, task, e)) != 0)
		return rc;
	return meeting_db_decision_task(c, d->id, task->id, e);
}

int plan_tasks_report_missing(struct store_conn *c, int64_t tenant_id, const struct scope *s,
                              const char *today, int64_t now, int64_t *n, struct error *e)
{
	struct plan_task_filter f;
	struct plan_node *tasks, *plans;
	struct arena a;
	int64_t total = 0;
	int i, k, ntasks, nplans, rc;

	memset(&f, 0, sizeof(f));
	f.scope = s;
	*n = 0;
	arena_init(&a);
	rc = plan_db_tasks(c, tenant_id, &f, &a, &tasks, &ntasks, &total, e);
	if (!rc)
		rc = plan_db_plans(c, tenant_id, &a, &plans, &nplans, e);
	for (i = 0; !rc && i < ntasks; i++) {
		const char *rhythm = "monthly"; /* as the task list says when the plan is gone */

		for (k = 0; k < nplans; k++)
			if (plans[k].id == tasks[i].plan_id)
				rhythm = plans[k].rhythm;
		*n += plan_report_missing(&tasks[i], rhythm, today, now);
	}
	arena_release(&a);
	return rc;
}

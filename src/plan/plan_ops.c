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
		return error_set(e, ERR_INVALID, "rhythm", "报送频次应为 weekly（每周）或 monthly（每月）");
	if (n->leader_id) {
		rc = plan_db_is_leader(c, n->tenant_id, n->leader_id, &ok, e);
		if (rc)
			return rc;
		if (!ok)
			return error_set(e, ERR_INVALID, "leader_id", "包抓领导应为本地区具有领导角色的用户");
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

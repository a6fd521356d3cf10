/*
 * demo_plan.c - the demo county's task ledger: a 集中攻坚行动实施方案 of five
 * projects and twelve actions with sixty tasks, each with a county leader
 * (leader01..leader04), a lead department and responsible towns, and three
 * months of monthly progress reports, some late or missing.  Everything goes
 * through the plan module's domain functions; no randomness, so the same
 * day gives the same county.
 */
#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "demo/demo.h"
#include "org/org.h"
#include "plan/plan.h"
#include "store/store.h"

static const char *const projects[5] = {"城市环境提升工程", "交通秩序整治工程", "市场秩序规范工程",
                                        "文明风尚培育工程", "公共服务优化工程"};
/* The twelve actions and the project (index) each belongs to. */
static const struct {
	int project;
	const char *title;
	const char *lead; /* lead department */
} actions[12] = {{0, "背街小巷整治行动", "县住建局"},       {0, "环境卫生清洁行动", "县环卫中心"},
                 {0, "园林绿化提质行动", "县园林绿化中心"}, {1, "交通秩序规范行动", "县交警大队"},
                 {1, "公交站点提升行动", "县公交公司"},     {2, "农贸市场改造行动", "县市场监管局"},
                 {2, "占道经营治理行动", "县城管执法局"},   {3, "志愿服务推进行动", "团县委"},
                 {3, "公益广告宣传行动", "县委宣传部"},     {3, "移风易俗倡导行动", "县民政局"},
                 {4, "窗口单位服务行动", "县行政审批局"},   {4, "校园周边整治行动", "县教育局"}};

static const char *const task_verbs[5] = {"摸底排查", "制定整改清单", "集中整治", "巩固提升",
                                          "验收评估"};
static const char *const towns[6] = {"城关街道", "东城街道", "西城街道",
                                     "南湖街道", "北山镇",   "青石镇"};

static int64_t unit_named(const struct unit *units, int n, const char *name)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(units[i].name, name))
			return units[i].id;
	return 0;
}

/* "YYYY-MM-DD" of today plus days. */
static const char *day_from(struct arena *a, const char *today, int days)
{
	int64_t ms = 0;
	char out[11];

	tz_parse_date(today, 0, &ms);
	plan_today(ms + (int64_t)days * 86400000, 0, out);
	return arena_strdup(a, out);
}

static int add_node(struct store_conn *c, struct plan_node *n, struct error *e)
{
	int rc = plan_node_check(c, n, e);

	return rc ? rc : plan_db_insert(c, n, e);
}

/* Two meetings: last month's 联席会议 (one decision made a task) and this week's 周例会. */
static int demo_meetings(struct store_conn *c, int64_t tenant_id, int64_t plan_id,
                         const struct unit *units, int nunits, int64_t chair, int64_t now,
                         const char *today, struct arena *a, struct error *e)
{
	static const char *const joint_units[] = {"县住建局", "县城管执法局", "城关街道",
	                                          "东城街道"};
	static const char *const weekly_units[] = {"县文明办", "县住建局", "县市场监管局",
	                                           "县交警大队", "县环卫中心"};
	struct meeting m;
	struct plan_node task;
	int i, rc;

	memset(&m, 0, sizeof(m));
	m.tenant_id = tenant_id;
	m.kind = "joint";
	m.title = "城市环境提升工程联席会议";
	m.held_on = day_from(a, today, -30);
	m.chair_id = chair;
	m.minutes = "听取背街小巷整治、环境卫生清洁两项行动进展汇报；研究解决施工协调和资金问题。";
	m.unit_ids = arena_alloc(a, 8 * sizeof(int64_t));
	for (i = 0; i < 4; i++)
		if ((m.unit_ids[m.nunits] = unit_named(units, nunits, joint_units[i])) != 0)
			m.nunits++;
	m.decisions = arena_calloc(a, 2 * sizeof(*m.decisions));
	m.decisions[0].text = "城关街道两周内完成和平巷、幸福巷路灯修复";
	m.decisions[1].text = "县住建局会同财政局落实背街小巷改造资金";
	m.ndecisions = 2;
	m.created_at = now - 30LL * 86400000;
	if ((rc = meeting_db_insert(c, &m, e)) != 0)
		return rc;
	rc = meeting_decision_to_task(c, &m, &m.decisions[0], plan_id,
	                              unit_named(units, nunits, "城关街道"),
	                              day_from(a, today, -16), chair, 0, m.created_at, &task, e);
	if (rc)
		return rc;
	memset(&m, 0, sizeof(m));
	m.tenant_id = tenant_id;
	m.kind = "weekly";
	m.title = "创城办周例会";
	m.held_on = day_from(a, today, -2);
	m.chair_id = chair;
	m.minutes = "通报上周督查发现问题和任务进展；部署本周工作。";
	m.unit_ids = arena_alloc(a, 8 * sizeof(int64_t));
	for (i = 0; i < 5; i++)
		if ((m.unit_ids[m.nunits] = unit_named(units, nunits, weekly_units[i])) != 0)
			m.nunits++;
	m.decisions = arena_calloc(a, 2 * sizeof(*m.decisions));
	m.decisions[0].text = "各牵头单位本周五前报送月度进展";
	m.decisions[1].text = "县市场监管局下周开展农贸市场专项检查";
	m.ndecisions = 2;
	m.created_at = now - 2LL * 86400000;
	return meeting_db_insert(c, &m, e);
}

int demo_plan_fill(struct store_conn *c, int64_t tenant_id, int64_t now,
                   struct demo_plan_counts *counts, struct error *e)
{
	struct plan_node plan, proj[5], act[12], task;
	struct plan_leader *leaders;
	struct unit *units;
	struct arena a;
	char today[11];
	int nleaders, nunits, i, j, k, m, rc;

	memset(counts, 0, sizeof(*counts));
	arena_init(&a);
	plan_today(now, 480, today);
	rc = unit_all(c, tenant_id, &a, &units, &nunits, e);
	if (!rc)
		rc = plan_db_leaders(c, tenant_id, &a, &leaders, &nleaders, e);
	if (!rc && nleaders < 1)
		rc = error_set(e, ERR_INTERNAL, NULL, "示例县没有领导账号");
	if (rc)
		goto out;
	memset(&plan, 0, sizeof(plan));
	plan.tenant_id = tenant_id;
	plan.level = PL_PLAN;
	plan.title = "示例县创建全国文明城市集中攻坚行动实施方案";
	plan.leader_id = leaders[0].id;
	plan.lead_unit_id = unit_named(units, nunits, "县文明办");
	plan.unit_ids = arena_alloc(&a, sizeof(int64_t));
	plan.starts_on = day_from(&a, today, -92);
	plan.deadline = day_from(&a, today, 120);
	plan.status = "active";
	plan.milestones = "三月打基础、六月见成效、年底迎测评";
	plan.expected = "测评成绩进入全省前列";
	plan.rhythm = "monthly";
	plan.created_at = plan.updated_at = now;
	if ((rc = add_node(c, &plan, e)) != 0)
		goto out;
	for (i = 0; i < 5; i++) {
		proj[i] = plan;
		proj[i].level = PL_PROJECT;
		proj[i].plan_id = proj[i].parent_id = plan.id;
		proj[i].title = projects[i];
		proj[i].leader_id = leaders[i % nleaders].id;
		proj[i].lead_unit_id =
		    unit_named(units, nunits, actions[i == 0 ? 0 : i * 2 + 1].lead);
		proj[i].rhythm = "";
		proj[i].milestones = proj[i].expected = "";
		proj[i].sort = i;
		if ((rc = add_node(c, &proj[i], e)) != 0)
			goto out;
		counts->projects++;
	}
	for (j = 0; j < 12; j++) {
		act[j] = proj[actions[j].project];
		act[j].level = PL_ACTION;
		act[j].parent_id = proj[actions[j].project].id;
		act[j].title = actions[j].title;
		act[j].lead_unit_id = unit_named(units, nunits, actions[j].lead);
		act[j].sort = j;
		if ((rc = add_node(c, &act[j], e)) != 0)
			goto out;
		counts->actions++;
		for (k = 0; k < 5; k++) {
			int seq = j * 5 + k, ends = -20 + seq * 2 + k * 9; /* some already past */
			int64_t resp[2];

			memset(&task, 0, sizeof(task));
			task.tenant_id = tenant_id;
			task.level = PL_TASK;
			task.plan_id = plan.id;
			task.parent_id = act[j].id;
			task.title = arena_printf(&a, "%s：%s", actions[j].title, task_verbs[k]);
			task.leader_id = leaders[seq % nleaders].id;
			task.lead_unit_id = act[j].lead_unit_id;
			resp[0] = unit_named(units, nunits, towns[seq % 6]);
			resp[1] = unit_named(units, nunits, towns[(seq + 2) % 6]);
			task.unit_ids = resp;
			task.nunits = resp[0] && resp[1] ? 2 : 0;
			task.starts_on = day_from(&a, today, -90 + k * 5);
			task.deadline = day_from(&a, today, ends);
			task.status = seq % 11 == 3 ? "done" : "active";
			task.milestones =
			    arena_printf(&a, "%s 前完成%s", task.deadline, task_verbs[k]);
			task.expected = "问题清零、群众满意";
			task.rhythm = "";
			task.sort = k;
			task.created_at = task.updated_at = now;
			if ((rc = add_node(c, &task, e)) != 0)
				goto out;
			counts->tasks++;
			/* three monthly rounds; every seventh task skips the last, every fifth is
			 * late */
			for (m = 0; m < 3; m++) {
				struct task_report rep;
				int late = seq % 5 == 0 ? 9 : 0;

				if (m == 2 && seq % 7 == 0)
					break;
				memset(&rep, 0, sizeof(rep));
				rep.unit_id = task.lead_unit_id;
				rep.percent =
				    seq % 11 == 3 && m == 2 ? 100 : (m + 1) * (12 + seq % 4 * 6);
				rep.text = arena_printf(
				    &a, "第 %d 月：%s已完成 %d%%，排查问题 %d 处，已整改 %d 处",
				    m + 1, task_verbs[k], rep.percent, 10 + seq % 9,
				    (10 + seq % 9) * rep.percent / 100);
				rep.problems =
				    seq % 4 == 1 ? "部分路段施工协调难度大，资金尚未到位" : "";
				rep.created_at = now - (int64_t)(80 - m * 30 - late) * 86400000;
				if ((rc = plan_report_add(c, &task, &rep, e)) != 0)
					goto out;
				counts->reports++;
				if (task.nunits && m > 0 &&
				    seq % 3 == 0) { /* a responsible town too */
					rep.unit_id = resp[0];
					rep.percent =
					    rep.percent > 10 ? rep.percent - 10 : rep.percent;
					rep.text = arena_printf(&a, "%s：本辖区%s进度 %d%%",
					                        towns[seq % 6], task_verbs[k],
					                        rep.percent);
					rep.problems = "";
					rep.created_at += 86400000;
					if ((rc = plan_report_add(c, &task, &rep, e)) != 0)
						goto out;
					counts->reports++;
				}
			}
		}
	}
	rc = demo_meetings(c, tenant_id, plan.id, units, nunits, leaders[0].id, now, today, &a, e);
	if (!rc)
		counts->meetings = 2;
out:
	arena_release(&a);
	return rc;
}

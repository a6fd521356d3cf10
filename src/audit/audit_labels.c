/*
 * audit_labels.c - the one catalogue of what audit codes mean in Chinese:
 * actions ("problem.submit" → 提交整改), object types, the summary's keys and
 * the values some keys carry (a problem's status "rectifying" → 整改中).  The
 * xlsx export writes with it and GET /audit/catalogue hands it to the pages,
 * so the log reads the same on the screen and on paper.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "core/strbuf.h"
#include "problem/problem_fsm.h"

struct pair {
	const char *code, *label;
};

/* Whole actions first; any other "object.verb" is the verb's label + the object's. */
static const struct pair actions[] = {
    {"auth.login", "登录"},
    {"auth.logout", "退出登录"},
    {"auth.lock", "锁定账号"},
    {"auth.unlock", "解除锁定"},
    {"access.denied", "越权访问"},
    {"user.profile", "修改个人资料"},
    {"user.password", "修改密码"},
    {"user.reset_password", "重置用户密码"},
    {"session.kick", "强制下线"},
    {"file.upload", "上传照片或附件"},
    {"problem.create", "上报问题"},
    {"problem.accept", "受理问题"},
    {"problem.invalidate", "不予立案"},
    {"problem.assign", "交办问题"},
    {"problem.sign", "签收问题"},
    {"problem.return", "退回问题"},
    {"problem.submit", "提交整改"},
    {"problem.verify", "复核问题"},
    {"problem.extend", "申请延期"},
    {"problem.decide-extension", "审批延期"},
    {"problem.park", "挂账"},
    {"problem.unpark", "取消挂账"},
    {"problem.void", "作废问题"},
    {"problem.reopen", "重新打开问题"},
    {"problem.link", "关联重复问题"},
    {"problem.unlink", "取消关联问题"},
    {"sheet.create", "生成交办单"},
    {"sheet.sign", "签收交办单"},
    {"bulletin.create", "起草通报"},
    {"bulletin.issue", "印发通报"},
    {"settings.update", "修改参数设置"},
    {"settings.eval_date", "修改测评日期"},
    {"inspection_settings.update", "修改默认得分"},
    {"inspection.report", "导出测评报告"},
    {"inspection.assign", "调整点位分配"},
    {"inspection_record.create", "提交测评记录"},
    {"inspection_record.update", "修改测评记录"},
    {"checklist.update", "修改检查项"},
    {"audit.export", "导出操作日志"},
    {"ranking.export", "导出单位排名"},
    {NULL, NULL},
};

static const struct pair verbs[] = {
    {"create", "新增"},   {"update", "修改"},     {"delete", "删除"},   {"move", "移动"},
    {"import", "导入"},   {"export", "导出"},     {"enable", "启用"},   {"disable", "停用"},
    {"activate", "启用"}, {"copy", "复制"},       {"close", "结束"},    {"reopen", "重新开启"},
    {"login", "登录"},    {"logout", "退出登录"}, {"kick", "强制下线"}, {NULL, NULL},
};

static const struct pair object_types[] = {
    {"unit", "单位"},
    {"user", "用户"},
    {"role", "角色"},
    {"tenant", "创建主体"},
    {"session", "会话"},
    {"file", "文件"},
    {"problem", "问题"},
    {"sheet", "交办单"},
    {"bulletin", "通报"},
    {"category", "问题分类"},
    {"grid", "责任网格"},
    {"point", "测评点位"},
    {"point_type", "点位类型"},
    {"framework", "测评体系"},
    {"indicator", "测评指标"},
    {"checklist", "检查项"},
    {"inspection", "测评轮次"},
    {"inspection_record", "测评记录"},
    {"settings", "参数设置"},
    {"ranking", "单位排名"},
    {"audit", "操作日志"},
    {NULL, NULL},
};

static const struct pair summary_keys[] = {
    {"name", "名称"},
    {"username", "用户名"},
    {"kind", "类型"},
    {"key", "标识"},
    {"parent_id", "上级单位ID"},
    {"unit_id", "单位ID"},
    {"user_id", "用户ID"},
    {"roles", "角色"},
    {"enabled", "启用"},
    {"count", "条数"},
    {"imported", "导入条数"},
    {"errors", "错误数"},
    {"file", "文件"},
    {"reason", "原因"},
    {"minutes", "分钟"},
    {"user_agent", "浏览器"},
    {"data_scope", "数据范围"},
    {"fields", "字段"},
    {"code", "编号"},
    {"from", "原状态"},
    {"to", "新状态"},
    {"status", "状态"},
    {"title", "标题"},
    {"rows", "行数"},
    {"note", "说明"},
    {"passed", "通过"},
    {"deadline", "期限"},
    {"problems", "问题数"},
    {"number", "编号"},
    {"period", "通报期"},
    {"action", "操作"},
    {"size", "大小"},
    {"type", "类型"},
    {"failures", "失败次数"},
    {NULL, NULL},
};

static const char *find(const struct pair *p, const char *code, size_t len)
{
	for (; p->code; p++)
		if (strlen(p->code) == len && !strncmp(p->code, code, len))
			return p->label;
	return NULL;
}

const char *audit_object_label(const char *type)
{
	const char *l;

	if (!type || !*type)
		return "";
	l = find(object_types, type, strlen(type));
	return l ? l : type;
}

const char *audit_action_label(const char *action, char *buf, size_t size)
{
	const char *l, *dot, *verb, *obj;

	if (!action || !*action)
		return "";
	if ((l = find(actions, action, strlen(action))))
		return l;
	dot = strchr(action, '.');
	if (!dot)
		return action;
	verb = find(verbs, dot + 1, strlen(dot + 1));
	obj = find(object_types, action, (size_t)(dot - action));
	if (!verb || !obj)
		return action;
	snprintf(buf, size, "%s%s", verb, obj);
	return buf;
}

/* A value shown in Chinese where its key says what it is (a problem status). */
static void value_text(struct strbuf *sb, const char *key, json_t *v)
{
	enum problem_status s;

	if (json_is_string(v)) {
		const char *text = json_string_value(v);

		if ((!strcmp(key, "from") || !strcmp(key, "to") || !strcmp(key, "status")) &&
		    !problem_status_parse(text, &s))
			strbuf_adds(sb, problem_status_title(s));
		else
			strbuf_adds(sb, text);
	} else if (json_is_true(v)) {
		strbuf_adds(sb, "是");
	} else if (json_is_false(v)) {
		strbuf_adds(sb, "否");
	} else {
		char *dump = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);

		strbuf_adds(sb, dump ? dump : "");
		free(dump);
	}
}

char *audit_summary_text(json_t *summary)
{
	struct strbuf sb = STRBUF_INIT;
	const char *key;
	json_t *v, *from, *to;
	int first = 1;

	if (!json_is_object(summary)) {
		char *dump = summary ? json_dumps(summary, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;

		strbuf_adds(&sb, dump ? dump : "");
		free(dump);
		return strbuf_detach(&sb, NULL);
	}
	/* a transition reads 状态：整改中 → 已提交 */
	from = json_object_get(summary, "from");
	to = json_object_get(summary, "to");
	if (json_is_string(from) && json_is_string(to)) {
		strbuf_adds(&sb, "状态：");
		value_text(&sb, "from", from);
		strbuf_adds(&sb, " → ");
		value_text(&sb, "to", to);
		first = 0;
	}
	json_object_foreach(summary, key, v)
	{
		const char *label;

		if (json_is_string(from) && json_is_string(to) &&
		    (!strcmp(key, "from") || !strcmp(key, "to")))
			continue;
		label = find(summary_keys, key, strlen(key));
		if (!first)
			strbuf_adds(&sb, "，");
		first = 0;
		strbuf_addf(&sb, "%s：", label ? label : key);
		value_text(&sb, key, v);
	}
	return strbuf_detach(&sb, NULL);
}

static json_t *pairs_json(const struct pair *p)
{
	json_t *o = json_object();

	for (; p->code; p++)
		json_object_set_new(o, p->code, json_string(p->label));
	return o;
}

json_t *audit_catalogue_json(void)
{
	json_t *statuses = json_object();
	int s;

	for (s = 0; s < PS_COUNT; s++)
		json_object_set_new(statuses, problem_status_name((enum problem_status)s),
		                    json_string(problem_status_title((enum problem_status)s)));
	return json_pack("{s:o, s:o, s:o, s:o, s:o}", "actions", pairs_json(actions), "verbs",
	                 pairs_json(verbs), "object_types", pairs_json(object_types),
	                 "summary_keys", pairs_json(summary_keys), "statuses", statuses);
}

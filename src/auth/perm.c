/* perm.c - the catalogue of permissions, built-in roles and the menu. */
#include "auth/perm.h"

#include <string.h>

static const struct perm_info catalogue[] = {
    {"system:tenant:view", "查看创建主体", "创建主体"},
    {"system:tenant:edit", "编辑创建主体", "创建主体"},
    {"org:unit:view", "查看单位", "单位管理"},
    {"org:unit:edit", "新增、修改、移动、删除单位", "单位管理"},
    {"org:unit:import", "导入单位", "单位管理"},
    {"org:unit:export", "导出单位", "单位管理"},
    {"org:user:view", "查看用户", "用户管理"},
    {"org:user:edit", "新增、修改、停用、删除用户", "用户管理"},
    {"org:user:reset-password", "重置用户密码", "用户管理"},
    {"org:user:import", "导入用户", "用户管理"},
    {"org:user:export", "导出用户", "用户管理"},
    {"org:role:view", "查看角色", "角色管理"},
    {"org:role:edit", "新增、修改、删除角色", "角色管理"},
    {"audit:log:view", "查看操作日志", "日志与会话"},
    {"audit:log:export", "导出操作日志", "日志与会话"},
    {"audit:login:view", "查看登录日志", "日志与会话"},
    {"session:online:view", "查看在线用户", "日志与会话"},
    {"session:online:kick", "强制下线", "日志与会话"},
    {"file:upload", "上传照片和附件", "照片与附件"},
    {"file:view", "查看照片和附件", "照片与附件"},
    {"master:category:view", "查看问题分类", "问题分类"},
    {"master:category:edit", "编辑、导入问题分类", "问题分类"},
    {"master:grid:view", "查看责任网格", "责任网格"},
    {"master:grid:edit", "编辑、导入责任网格", "责任网格"},
    {"master:point:view", "查看点位类型和测评点位", "测评点位"},
    {"master:point:edit", "编辑、导入点位类型和测评点位", "测评点位"},
    {"problem:view", "查看问题", "问题闭环"},
    {"problem:report", "上报问题", "问题闭环"},
    {"problem:export", "导出问题列表", "问题闭环"},
    {"problem:link", "关联、取消关联重复问题", "问题闭环"},
    {"problem:accept", "受理问题、不予立案", "问题闭环"},
    {"problem:assign", "交办、改派问题", "问题闭环"},
    {"problem:rectify", "签收、退回、整改反馈、申请延期", "问题闭环"},
    {"problem:verify", "复核销号", "问题闭环"},
    {"problem:approve", "审批延期、挂账、取消挂账、作废", "问题闭环"},
    {"problem:reopen", "重新打开已销号问题", "问题闭环"},
    {"problem:ranking:view", "查看、导出单位排名", "问题闭环"},
    {"system:setting:view", "查看参数设置", "参数设置"},
    {"system:setting:edit", "修改参数设置", "参数设置"},
    {"inspection:framework:view", "查看测评体系和检查项", "测评督查"},
    {"inspection:framework:edit", "编辑、导入、复制、启用测评体系，编辑检查项和默认得分",
     "测评督查"},
    {"inspection:round:view", "查看测评轮次、记录和得分", "测评督查"},
    {"inspection:round:edit", "新建、修改、结束、删除测评轮次，调整点位分配", "测评督查"},
    {"inspection:round:export", "导出测评轮次（Excel、PDF 报告）", "测评督查"},
    {"inspection:record:submit", "提交、修改实地测评记录", "测评督查"},
    {"plan:view", "查看工作台账（计划、任务、进展）", "工作台账"},
    {"plan:edit", "新增、修改、导入、删除行动计划", "工作台账"},
    {"plan:report", "报送任务进展", "工作台账"},
    {"plan:comment", "点评任务进展", "工作台账"},
    {"material:view", "查看申报材料和进度", "网上申报"},
    {"material:edit", "编辑、导入、复制申报材料目录", "网上申报"},
    {"material:upload", "上传、提交申报材料", "网上申报"},
    {"material:review", "审核申报材料（退回、通过并评定）", "网上申报"},
    {"material:export", "查看预测得分，导出进度表和材料包", "网上申报"},
    {"survey:view", "查看问卷", "问卷测评"},
    {"survey:edit", "设计、发布、结束问卷，打印二维码海报", "问卷测评"},
    {"survey:review", "审核答卷质量（通过、剔除）", "问卷测评"},
    {"survey:results", "查看、导出问卷结果和报告", "问卷测评"},
    {"survey:respond", "调查员代填问卷（入户、街头）", "问卷测评"},
    {"assess:view", "查看考核结果和单位考核历史", "考核问责"},
    {"assess:edit", "设置考核方案，新建、计算、发布、删除考核期", "考核问责"},
    {"assess:adjust", "录入考核加减分（审批人）", "考核问责"},
    {"accountability:view", "查看问责名单和问责记录", "考核问责"},
    {"accountability:edit", "录入问责记录", "考核问责"},
    {"bulletin:view", "查看通报，下载 PDF 和 Word", "督查通报"},
    {"bulletin:edit", "起草、修改、删除、印发通报", "督查通报"},
    {"dashboard:view", "查看驾驶舱（预测总分、失分整改清单、趋势）", "驾驶舱"},
};

#define NPERMS ((int)(sizeof(catalogue) / sizeof(catalogue[0])))

static const char *const perms_all[] = {"*", NULL};
static const char *const perms_office[] = {"org:unit:view",
                                           "org:unit:edit",
                                           "org:unit:import",
                                           "org:unit:export",
                                           "org:user:view",
                                           "org:user:edit",
                                           "org:user:reset-password",
                                           "org:user:import",
                                           "org:user:export",
                                           "org:role:view",
                                           "audit:log:view",
                                           "audit:log:export",
                                           "audit:login:view",
                                           "session:online:view",
                                           "file:upload",
                                           "file:view",
                                           "master:category:view",
                                           "master:category:edit",
                                           "master:grid:view",
                                           "master:grid:edit",
                                           "master:point:view",
                                           "master:point:edit",
                                           "problem:view",
                                           "problem:report",
                                           "problem:export",
                                           "problem:link",
                                           "problem:accept",
                                           "problem:assign",
                                           "problem:rectify",
                                           "problem:verify",
                                           "problem:approve",
                                           "problem:reopen",
                                           "problem:ranking:view",
                                           "system:setting:view",
                                           "system:setting:edit",
                                           "inspection:framework:view",
                                           "inspection:framework:edit",
                                           "inspection:round:view",
                                           "inspection:round:edit",
                                           "inspection:round:export",
                                           "inspection:record:submit",
                                           "plan:view",
                                           "plan:edit",
                                           "plan:report",
                                           "plan:comment",
                                           "material:view",
                                           "material:edit",
                                           "material:upload",
                                           "material:review",
                                           "material:export",
                                           "survey:view",
                                           "survey:edit",
                                           "survey:review",
                                           "survey:results",
                                           "survey:respond",
                                           "assess:view",
                                           "assess:edit",
                                           "assess:adjust",
                                           "accountability:view",
                                           "accountability:edit",
                                           "bulletin:view",
                                           "bulletin:edit",
                                           "dashboard:view",
                                           NULL};
static const char *const perms_leader[] = {"org:unit:view",
                                           "org:user:view",
                                           "org:role:view",
                                           "audit:log:view",
                                           "audit:login:view",
                                           "session:online:view",
                                           "file:view",
                                           "master:category:view",
                                           "master:grid:view",
                                           "master:point:view",
                                           "problem:view",
                                           "problem:export",
                                           "problem:ranking:view",
                                           "system:setting:view",
                                           "inspection:framework:view",
                                           "inspection:round:view",
                                           "inspection:round:export",
                                           "plan:view",
                                           "plan:comment",
                                           "material:view",
                                           "material:export",
                                           "survey:view",
                                           "survey:results",
                                           "assess:view",
                                           "accountability:view",
                                           "bulletin:view",
                                           "dashboard:view",
                                           NULL};
static const char *const perms_unit_admin[] = {"org:unit:view",
                                               "org:user:view",
                                               "org:user:edit",
                                               "org:user:reset-password",
                                               "org:user:export",
                                               "file:upload",
                                               "file:view",
                                               "master:category:view",
                                               "master:grid:view",
                                               "master:point:view",
                                               "problem:view",
                                               "problem:report",
                                               "problem:export",
                                               "problem:rectify",
                                               "problem:ranking:view",
                                               "inspection:framework:view",
                                               "inspection:round:view",
                                               "plan:view",
                                               "plan:report",
                                               "material:view",
                                               "material:upload",
                                               "assess:view",
                                               NULL};
static const char *const perms_unit_staff[] = {"org:unit:view",
                                               "org:user:view",
                                               "file:upload",
                                               "file:view",
                                               "master:category:view",
                                               "master:grid:view",
                                               "master:point:view",
                                               "problem:view",
                                               "problem:report",
                                               "problem:export",
                                               "problem:rectify",
                                               "problem:ranking:view",
                                               "inspection:framework:view",
                                               "inspection:round:view",
                                               "plan:view",
                                               "plan:report",
                                               "material:view",
                                               "material:upload",
                                               "assess:view",
                                               NULL};
static const char *const perms_field[] = {
    "org:unit:view",    "file:upload",       "file:view",      "master:category:view",
    "master:grid:view", "master:point:view", "problem:view",   "problem:report",
    "problem:link",     "problem:reopen",    "survey:respond", NULL};
static const char *const perms_inspector[] = {"org:unit:view",
                                              "file:upload",
                                              "file:view",
                                              "master:category:view",
                                              "master:grid:view",
                                              "master:point:view",
                                              "problem:view",
                                              "problem:report",
                                              "problem:link",
                                              "problem:reopen",
                                              "inspection:framework:view",
                                              "inspection:round:view",
                                              "inspection:record:submit",
                                              "survey:respond",
                                              NULL};
static const char *const perms_volunteer[] = {"survey:respond", NULL};

static const struct builtin_role builtins[] = {
    {"admin", "系统管理员", SCOPE_ALL, perms_all},
    {"office", "创城办", SCOPE_ALL, perms_office},
    {"leader", "领导", SCOPE_ALL, perms_leader},
    {"inspector", "督查员", SCOPE_SELF, perms_inspector},
    {"unit_admin", "单位管理员", SCOPE_UNIT_BELOW, perms_unit_admin},
    {"unit_staff", "单位联络员", SCOPE_UNIT, perms_unit_staff},
    {"grid_worker", "网格员", SCOPE_SELF, perms_field},
    {"volunteer", "志愿者", SCOPE_SELF, perms_volunteer},
};

int perm_index(const char *key)
{
	int i;

	for (i = 0; i < NPERMS; i++)
		if (!strcmp(catalogue[i].key, key))
			return i;
	return -1;
}

int perm_count(void)
{
	return NPERMS;
}

const struct perm_info *perm_at(int i)
{
	return i >= 0 && i < NPERMS ? &catalogue[i] : NULL;
}

void permset_add(struct permset *s, int idx)
{
	if (idx >= 0 && idx < PERM_WORDS * 64)
		s->bits[idx / 64] |= (uint64_t)1 << (idx % 64);
}

int permset_has(const struct permset *s, int idx)
{
	return idx >= 0 && idx < PERM_WORDS * 64 && (s->bits[idx / 64] >> (idx % 64)) & 1;
}

void permset_union(struct permset *into, const struct permset *from)
{
	int i;

	for (i = 0; i < PERM_WORDS; i++)
		into->bits[i] |= from->bits[i];
}

int builtin_role_perms(const char *key, struct permset *out)
{
	size_t i;
	const char *const *p;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++) {
		if (strcmp(builtins[i].key, key))
			continue;
		for (p = builtins[i].perms; *p; p++) {
			if (!strcmp(*p, "*")) {
				int k;

				for (k = 0; k < NPERMS; k++)
					if (strncmp(catalogue[k].key, "system:tenant:", 14))
						permset_add(out, k);
			} else {
				permset_add(out, perm_index(*p));
			}
		}
		return 1;
	}
	return 0;
}

const struct builtin_role *builtin_roles(int *n)
{
	*n = (int)(sizeof(builtins) / sizeof(builtins[0]));
	return builtins;
}

static const char *const scope_names[] = {"none", "self", "unit", "unit_below", "custom", "all"};

const char *scope_name(enum data_scope s)
{
	return s >= SCOPE_NONE && s <= SCOPE_ALL ? scope_names[s] : "none";
}

int scope_parse(const char *name, enum data_scope *out)
{
	int i;

	for (i = SCOPE_SELF; i <= SCOPE_ALL; i++)
		if (!strcmp(scope_names[i], name)) {
			*out = (enum data_scope)i;
			return 0;
		}
	return -1;
}

json_t *perm_tree_json(void)
{
	json_t *tree = json_array(), *group = NULL;
	const char *current = NULL;
	int i;

	for (i = 0; i < NPERMS; i++) {
		if (!strncmp(catalogue[i].key, "system:tenant:", 14))
			continue; /* not grantable through roles */
		if (!current || strcmp(current, catalogue[i].group)) {
			current = catalogue[i].group;
			group = json_pack("{s:s, s:[]}", "group", current, "items");
			json_array_append_new(tree, group);
		}
		json_array_append_new(
		    json_object_get(group, "items"),
		    json_pack("{s:s, s:s}", "key", catalogue[i].key, "title", catalogue[i].title));
	}
	return tree;
}

/*
 * A menu entry shows what a role works with: perm opens the page; an entry
 * with a work permission is shown only to those who read the whole county
 * (perm held with scope 全部: the office, leaders) or hold work.  A unit's
 * liaison may read the point catalogue, but it is not its work.
 */
struct menu_item {
	const char *key, *title, *path, *icon, *perm, *work;
};

#define COUNTY "" /* work permission nobody holds: county-wide readers only */

static const struct menu_item problem_menu[] = {
    {"problems", "问题列表", "/problems", "List", "problem:view", NULL},
    {"sheets", "交办单", "/sheets", "Tickets", "problem:view", "problem:rectify"},
    {"map", "地图", "/map", "MapLocation", "problem:view", COUNTY},
    {"rankings", "单位排名", "/rankings", "Histogram", "problem:ranking:view", NULL},
};

static const struct menu_item inspection_menu[] = {
    {"frameworks", "测评体系", "/inspection/frameworks", "Tickets", "inspection:framework:view",
     COUNTY},
    {"checklists", "检查项", "/inspection/checklists", "Checked", "inspection:framework:view",
     COUNTY},
    {"inspections", "测评轮次", "/inspection/rounds", "Aim", "inspection:round:view",
     "inspection:record:submit"},
};

static const struct menu_item plan_menu[] = {
    {"plans", "行动计划", "/plans", "Calendar", "plan:view", "plan:edit"},
    {"tasks", "任务台账", "/tasks", "List", "plan:view", NULL},
    {"meetings", "会议调度", "/meetings", "ChatDotSquare", "plan:view", "plan:edit"},
    {"announcements", "通知公告", "/announcements", "Bell", "plan:view", NULL},
    {"archives", "资料归档", "/archives", "FolderChecked", "plan:view", NULL},
};

static const struct menu_item bulletin_menu[] = {
    {"bulletins", "通报列表", "/bulletins", "Notification", "bulletin:view", NULL},
};

static const struct menu_item materials_menu[] = {
    {"material-items", "材料目录", "/materials/items", "Document", "material:view", NULL},
    {"materials-progress", "申报进度", "/materials/progress", "Grid", "material:view",
     "material:review"},
    {"materials-score", "预测得分", "/materials/score", "TrendCharts", "material:export", NULL},
};

static const struct menu_item survey_menu[] = {
    {"surveys", "问卷管理", "/surveys", "EditPen", "survey:view", NULL},
};

static const struct menu_item assess_menu[] = {
    {"assessments", "考核结果", "/assessments", "Medal", "assess:view", NULL},
    {"accountability", "问责管理", "/accountability", "Warning", "accountability:view", COUNTY},
};

static const struct menu_item master_menu[] = {
    {"categories", "问题分类", "/master/categories", "Collection", "master:category:view", COUNTY},
    {"grids", "责任网格", "/master/grids", "Grid", "master:grid:view", COUNTY},
    {"point-types", "点位类型", "/master/point-types", "Files", "master:point:view", COUNTY},
    {"points", "测评点位", "/master/points", "Location", "master:point:view", COUNTY},
};

static const struct menu_item system_menu[] = {
    {"tenants", "创建主体", "/system/tenants", "OfficeBuilding", "system:tenant:view", NULL},
    {"units", "单位管理", "/system/units", "School", "org:unit:view", COUNTY},
    {"users", "用户管理", "/system/users", "User", "org:user:view", "org:user:edit"},
    {"roles", "角色管理", "/system/roles", "Key", "org:role:view", COUNTY},
    {"audit", "操作日志", "/system/audit", "Document", "audit:log:view", COUNTY},
    {"logins", "登录日志", "/system/logins", "Tickets", "audit:login:view", COUNTY},
    {"sessions", "在线用户", "/system/sessions", "Monitor", "session:online:view", COUNTY},
    {"settings", "参数设置", "/system/settings", "Tools", "system:setting:view", COUNTY},
};

/* A menu group of the items perms allow; NULL when none. */
static json_t *menu_group(const char *key, const char *title, const char *icon,
                          const struct menu_item *items, size_t n, const struct permset *perms,
                          const struct permset *county, int is_platform_admin)
{
	json_t *children = json_array();
	size_t i;

	for (i = 0; i < n; i++) {
		const struct menu_item *m = &items[i];
		int allowed = !strncmp(m->perm, "system:tenant:", 14)
		                  ? is_platform_admin
		                  : permset_has(perms, perm_index(m->perm));

		if (allowed && m->work && !permset_has(county, perm_index(m->perm)))
			allowed = *m->work && permset_has(perms, perm_index(m->work));
		if (allowed)
			json_array_append_new(children, json_pack("{s:s, s:s, s:s, s:s}", "key",
			                                          m->key, "title", m->title, "path",
			                                          m->path, "icon", m->icon));
	}
	if (!json_array_size(children)) {
		json_decref(children);
		return NULL;
	}
	return json_pack("{s:s, s:s, s:s, s:o}", "key", key, "title", title, "icon", icon,
	                 "children", children);
}

json_t *menu_json(const struct permset *perms, const struct permset *county, int is_platform_admin)
{
	json_t *menu = json_array(), *group;

	json_array_append_new(menu, json_pack("{s:s, s:s, s:s, s:s}", "key", "home", "title",
	                                      "首页", "path", "/", "icon", "HomeFilled"));
	/* the county's one screen: for those who read the whole county */
	if (permset_has(county, perm_index("dashboard:view")))
		json_array_append_new(menu, json_pack("{s:s, s:s, s:s, s:s}", "key", "dashboard",
		                                      "title", "驾驶舱", "path", "/dashboard",
		                                      "icon", "DataBoard"));
	group = menu_group("problem", "问题闭环", "Warning", problem_menu,
	                   sizeof(problem_menu) / sizeof(problem_menu[0]), perms, county,
	                   is_platform_admin);
	if (group)
		json_array_append_new(menu, group);
	group = menu_group("inspection", "测评督查", "Aim", inspection_menu,
	                   sizeof(inspection_menu) / sizeof(inspection_menu[0]), perms, county,
	                   is_platform_admin);
	if (group)
		json_array_append_new(menu, group);
	group =
	    menu_group("plan", "工作台账", "Notebook", plan_menu,
	               sizeof(plan_menu) / sizeof(plan_menu[0]), perms, county, is_platform_admin);
	if (group)
		json_array_append_new(menu, group);
	group = menu_group("bulletin", "督查通报", "Notification", bulletin_menu,
	                   sizeof(bulletin_menu) / sizeof(bulletin_menu[0]), perms, county,
	                   is_platform_admin);
	if (group)
		json_array_append_new(menu, group);
	group = menu_group("materials", "网上申报", "FolderOpened", materials_menu,
	                   sizeof(materials_menu) / sizeof(materials_menu[0]), perms, county,
	                   is_platform_admin);
	if (group)
		json_array_append_new(menu, group);
	group = menu_group("survey", "问卷测评", "ChatLineSquare", survey_menu,
	                   sizeof(survey_menu) / sizeof(survey_menu[0]), perms, county,
	                   is_platform_admin);
	if (group)
		json_array_append_new(menu, group);
	group = menu_group("assess", "考核问责", "Medal", assess_menu,
	                   sizeof(assess_menu) / sizeof(assess_menu[0]), perms, county,
	                   is_platform_admin);
	if (group)
		json_array_append_new(menu, group);
	group = menu_group("master", "基础数据", "Coin", master_menu,
	                   sizeof(master_menu) / sizeof(master_menu[0]), perms, county,
	                   is_platform_admin);
	if (group)
		json_array_append_new(menu, group);
	group = menu_group("system", "系统管理", "Setting", system_menu,
	                   sizeof(system_menu) / sizeof(system_menu[0]), perms, county,
	                   is_platform_admin);
	if (group)
		json_array_append_new(menu, group);
	return menu;
}

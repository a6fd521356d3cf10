/*
 * demo_eval.c - the demo county's evaluation framework: 7 projects, 58
 * contents and 118 standards at the county scale with invented wording,
 * weights adding up to 100 split 40 / 20 / 40 between field inspection,
 * questionnaire and online materials (docs/inspection.md, "Weights and
 * methods"), and a checklist for every point type.
 *
 * The standards come in four kinds, so the parts add up exactly:
 *   30 field (实地考察) of weight 1          -> field 30
 *   20 field + materials of weight 1        -> field 10, materials 10
 *   20 questionnaire (问卷调查) of weight 1   -> questionnaire 20
 *   48 materials or data of weight 0.625    -> materials 30
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "demo/demo.h"
#include "inspect/inspect.h"
#include "master/master.h"
#include "store/store.h"

struct demo_project {
	const char *title, *lead, *category;
	const char *contents[12];
};

static const struct demo_project projects[] = {
    {"理想信念教育",
     "县委宣传部",
     "GY",
     {"党史学习教育常态化", "新时代文明实践阵地", "理论宣讲进基层", "爱国主义教育基地",
      "革命文物保护利用", "主题宣传氛围营造", "青少年理想信念教育", "网络空间正能量"}},
    {"社会主义核心价值观",
     "县文明办",
     "GY",
     {"公益广告宣传", "道德模范评选", "身边好人推选", "志愿服务制度化", "文明家庭创建", "移风易俗",
      "文明餐桌", "文明旅游", "未成年人思想道德建设"}},
    {"思想道德建设",
     "县文明办",
     "SR03",
     {"社会公德", "职业道德", "家庭美德", "个人品德", "学雷锋志愿服务", "关爱特殊群体",
      "文明礼仪普及", "网络文明"}},
    {"诚信建设",
     "县市场监管局",
     "GY",
     {"政务诚信", "商务诚信", "社会诚信", "信用信息公示", "诚信经营示范", "失信联合惩戒"}},
    {"法治环境",
     "县司法局",
     "JT02",
     {"普法宣传教育", "公共法律服务", "社会治安防控", "矛盾纠纷化解", "安全生产", "消防安全",
      "食品药品安全"}},
    {"公共文明与城乡环境",
     "县城管执法局",
     "SR01",
     {"市容市貌", "环境卫生", "交通秩序", "公共秩序", "农贸市场管理", "背街小巷整治",
      "公共厕所管理", "建筑工地管理", "城乡结合部治理", "生态环境保护", "垃圾分类", "窗口服务"}},
    {"群众文明素质与文化服务",
     "县文旅局",
     "SS01",
     {"公共文化设施", "全民阅读", "群众体育", "文明行为养成", "公共场所秩序", "社区服务",
      "无障碍环境", "文明乡风"}},
};

#define NPROJECTS ((int)(sizeof(projects) / sizeof(projects[0])))

/* Categories a field item of the environment project is reported under, in turn. */
static const char *const env_categories[] = {"SR01", "SR02", "ZD",   "SS01",
                                             "JT01", "CY",   "SS03", "XF"};

enum kind { K_FIELD, K_FIELD_MATERIALS, K_QUESTIONNAIRE, K_MATERIALS, K_DATA };

/*
 * The kind of standard k (0..117): two passes of 59 positions, each with
 * 15 field, 10 field + materials, 10 questionnaire and 24 materials or data
 * standards (the counts of the header comment), spread over the projects by
 * a stride coprime with 59.
 */
static enum kind standard_kind(int k)
{
	int m = (k % 59) * 17 % 59;

	if (m < 15)
		return K_FIELD;
	if (m < 25)
		return K_FIELD_MATERIALS;
	if (m < 35)
		return K_QUESTIONNAIRE;
	return m % 3 ? K_MATERIALS : K_DATA;
}

static const char *const wording[] = {
    [K_FIELD] = "实地查看：%s相关场所设施完好、管理规范、秩序良好",
    [K_FIELD_MATERIALS] = "%s工作机制健全、台账完整，实地抽查落实到位",
    [K_QUESTIONNAIRE] = "群众对%s工作的知晓率、支持率和满意度",
    [K_MATERIALS] = "%s工作有部署、有方案、有总结，材料齐全",
    [K_DATA] = "%s相关数据指标达到测评要求（部门评价）",
};

static const int kind_methods[] = {
    [K_FIELD] = METHOD_FIELD,
    [K_FIELD_MATERIALS] = METHOD_FIELD | METHOD_MATERIALS,
    [K_QUESTIONNAIRE] = METHOD_QUESTIONNAIRE,
    [K_MATERIALS] = METHOD_MATERIALS,
    [K_DATA] = METHOD_DATA,
};

STORE_SQL(q_demo_unit_id, "SELECT id FROM units WHERE tenant_id = ? AND name = ?");

static int64_t unit_id(struct store_conn *c, int64_t tenant_id, const char *name)
{
	struct store_val args[] = {sv_int(tenant_id), sv_text(name)};
	struct error e;
	int64_t id = 0;

	error_init(&e);
	return store_query_int(c, &q_demo_unit_id, args, 2, &id, &e) ? 0 : id;
}

static int64_t category_by_code(const struct category *cats, int n, const char *code)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(cats[i].code, code))
			return cats[i].id;
	return cats[0].id;
}

/* One checklist item of a point type, kept until the type's list is written. */
struct demo_item {
	int64_t standard_id, category_id;
	char title[160];
};

int demo_eval_fill(struct store_conn *c, int64_t tenant_id, struct demo_eval_counts *counts,
                   struct error *e)
{
	struct type_filter tf = {NULL, -1, 0, 0};
	struct point_type *types;
	struct category *cats;
	struct framework f;
	struct arena a;
	struct demo_item *items;
	int *nitems;
	int64_t total;
	int ntypes, ncats, p, k = 0, rc, t, nfield = 0;

	memset(counts, 0, sizeof(*counts));
	arena_init(&a);
	rc = point_type_list(c, tenant_id, &tf, &a, &types, &ntypes, &total, e);
	if (!rc)
		rc = category_all(c, tenant_id, &a, &cats, &ncats, e);
	if (rc || !ntypes || !ncats)
		goto out;
	items = arena_calloc(&a, (size_t)ntypes * 64 * sizeof(*items));
	nitems = arena_calloc(&a, (size_t)ntypes * sizeof(int));
	memset(&f, 0, sizeof(f));
	f.name = "示例县文明城市测评体系（县级）";
	f.note = "示例数据：7 个测评项目、58 项测评内容、118 条测评标准，措辞为虚构";
	rc = framework_insert(c, tenant_id, &f, e);
	for (p = 0; !rc && p < NPROJECTS; p++) {
		const struct demo_project *pr = &projects[p];
		struct indicator proj = {0};
		int64_t lead = unit_id(c, tenant_id, pr->lead);
		int ci;

		proj.framework_id = f.id;
		proj.level = 1;
		proj.code = arena_printf(&a, "%d", p + 1);
		proj.title = pr->title;
		proj.sort = p + 1;
		rc = indicator_insert(c, &proj, e);
		counts->projects++;
		for (ci = 0; !rc && ci < 12 && pr->contents[ci]; ci++) {
			struct indicator content = {0};
			/* two standards per content; the first two contents get a third */
			int nstd = counts->contents < 2 ? 3 : 2, si;

			content.framework_id = f.id;
			content.parent_id = proj.id;
			content.level = 2;
			content.code = arena_printf(&a, "%d.%d", p + 1, ci + 1);
			content.title = pr->contents[ci];
			content.sort = ci + 1;
			rc = indicator_insert(c, &content, e);
			counts->contents++;
			for (si = 0; !rc && si < nstd; si++, k++) {
				struct indicator s = {0};
				enum kind kind = standard_kind(k);
				int64_t type_ids[4];
				int ntype_ids = 0, j;

				s.framework_id = f.id;
				s.parent_id = content.id;
				s.level = 3;
				s.code = arena_printf(&a, "%d.%d.%d", p + 1, ci + 1, si + 1);
				s.title = arena_printf(&a, wording[kind], pr->contents[ci]);
				s.weight = kind <= K_QUESTIONNAIRE ? 1.0 : 0.625;
				s.methods = kind_methods[kind];
				s.lead_unit_id = lead;
				s.sort = si + 1;
				rc = indicator_insert(c, &s, e);
				if (rc)
					break;
				counts->standards++;
				if (kind == K_FIELD || kind == K_FIELD_MATERIALS) {
					/* checked at four point types, dealt so every type gets its
					 * share */
					for (j = 0; j < 4; j++) {
						t = (nfield * 3 + j * 7) % ntypes;
						type_ids[ntype_ids++] = types[t].id;
						if (nitems[t] < 64) {
							struct demo_item *it =
							    &items[t * 64 + nitems[t]++];
							const char *code =
							    p == 5 ? env_categories[nfield % 8]
							           : pr->category;

							it->standard_id = s.id;
							it->category_id =
							    category_by_code(cats, ncats, code);
							snprintf(it->title, sizeof(it->title),
							         "%s：%s", pr->contents[ci],
							         types[t].name);
						}
					}
					nfield++;
				}
				rc = indicator_set_refs(c, s.id, lead ? &lead : NULL, lead ? 1 : 0,
				                        type_ids, ntype_ids, e);
			}
		}
	}
	for (t = 0; !rc && t < ntypes; t++) {
		struct checklist_item *list =
		    arena_calloc(&a, (size_t)(nitems[t] + 1) * sizeof(*list));
		int i;

		for (i = 0; i < nitems[t]; i++) {
			list[i].standard_id = items[t * 64 + i].standard_id;
			list[i].category_id = items[t * 64 + i].category_id;
			list[i].title = items[t * 64 + i].title;
			list[i].credit[0] = list[i].credit[1] = list[i].credit[2] = NAN;
			list[i].sort = i + 1;
		}
		rc = checklist_replace(c, f.id, types[t].id, list, nitems[t], e);
		counts->checklist_items += nitems[t];
	}
	if (!rc)
		rc = framework_activate(c, tenant_id, f.id, e);
out:
	arena_release(&a);
	return rc;
}

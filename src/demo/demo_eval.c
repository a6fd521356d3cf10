/*
 * demo_eval.c - the demo county's evaluation framework, in the layout of
 * docs/samples/framework-sample.xlsx (docs/framework-import.md): codes
 * numbered across the framework (测评项目 Ⅰ-1 ... , 测评内容 Ⅱ-1 ... ,
 * 测评标准 Ⅲ-1 ... ), standards written on several numbered lines ending in
 * their grading rule, methods in the offices' words, a lead unit that fits
 * each content, checklist items per point type; 7 projects, 58 contents and
 * 118 standards with weights adding up to 100 split 40 / 20 / 40 between
 * field inspection, questionnaire and online materials; a 负面清单, the
 * minors' part (未成年人思想道德建设, its own 100 points and the 85 gate)
 * and local features (特色指标, up to 5 extra points).  Wording invented.
 *
 * The standards come in four kinds, so the parts add up exactly:
 *   30 field (实地考察) of weight 1          -> field 30
 *   20 field + materials of weight 1        -> field 10, materials 10
 *   20 questionnaire (问卷调查) of weight 1   -> questionnaire 20
 *   48 materials or data of weight 0.625    -> materials 30
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demo/demo.h"
#include "inspect/grading.h"
#include "inspect/inspect.h"
#include "master/master.h"
#include "store/store.h"

struct demo_content {
	const char *title, *lead;
};

struct demo_project {
	const char *title, *category;
	struct demo_content contents[12];
};

static const struct demo_project projects[] = {
    {"理想信念教育",
     "GY",
     {{"党史学习教育常态化", "县委宣传部"},
      {"新时代文明实践阵地", "县文明办"},
      {"理论宣讲进基层", "县委宣传部"},
      {"爱国主义教育基地", "县退役军人事务局"},
      {"革命文物保护利用", "县文旅局"},
      {"主题宣传氛围营造", "县融媒体中心"},
      {"青少年理想信念教育", "县教育局"},
      {"网络空间正能量", "县委宣传部"}}},
    {"社会主义核心价值观",
     "GY",
     {{"公益广告宣传", "县城管执法局"},
      {"道德模范评选", "县文明办"},
      {"身边好人推选", "县文明办"},
      {"志愿服务制度化", "团县委"},
      {"文明家庭创建", "县妇联"},
      {"移风易俗", "县民政局"},
      {"文明餐桌", "县商务局"},
      {"文明旅游", "县文旅局"},
      {"未成年人思想道德建设", "县教育局"}}},
    {"思想道德建设",
     "SR03",
     {{"社会公德", "县文明办"},
      {"职业道德", "县总工会"},
      {"家庭美德", "县妇联"},
      {"个人品德", "县文明办"},
      {"学雷锋志愿服务", "团县委"},
      {"关爱特殊群体", "县残联"},
      {"文明礼仪普及", "县教育局"},
      {"网络文明", "县委宣传部"}}},
    {"诚信建设",
     "GY",
     {{"政务诚信", "县行政审批局"},
      {"商务诚信", "县商务局"},
      {"社会诚信", "县市场监管局"},
      {"信用信息公示", "县数据局"},
      {"诚信经营示范", "县市场监管局"},
      {"失信联合惩戒", "县税务局"}}},
    {"法治环境",
     "JT02",
     {{"普法宣传教育", "县司法局"},
      {"公共法律服务", "县司法局"},
      {"社会治安防控", "县公安局"},
      {"矛盾纠纷化解", "县司法局"},
      {"安全生产", "县应急管理局"},
      {"消防安全", "县消防救援大队"},
      {"食品药品安全", "县市场监管局"}}},
    {"公共文明与城乡环境",
     "SR01",
     {{"市容市貌", "县城管执法局"},
      {"环境卫生", "县城管执法局"},
      {"交通秩序", "县交警大队"},
      {"公共秩序", "县公安局"},
      {"农贸市场管理", "县市场监管局"},
      {"背街小巷整治", "县住建局"},
      {"公共厕所管理", "县城管执法局"},
      {"建筑工地管理", "县住建局"},
      {"城乡结合部治理", "县自然资源局"},
      {"生态环境保护", "县生态环境分局"},
      {"垃圾分类", "县城管执法局"},
      {"窗口服务", "县行政审批局"}}},
    {"群众文明素质与文化服务",
     "SS01",
     {{"公共文化设施", "县文旅局"},
      {"全民阅读", "县文旅局"},
      {"群众体育", "县教育局"},
      {"文明行为养成", "县文明办"},
      {"公共场所秩序", "县公安局"},
      {"社区服务", "县民政局"},
      {"无障碍环境", "县残联"},
      {"文明乡风", "县农业农村局"}}},
};

/* The 负面清单: points off, or the title vetoed. */
static const struct {
	const char *title;
	double deduction;
	int veto;
} negatives[] = {
    {"发生重特大安全生产责任事故", 0, 1},
    {"发生重大食品药品安全事件", 0, 1},
    {"发生重大环境污染事件，造成恶劣社会影响", 0, 1},
    {"发生严重暴力恐怖案件或重大群体性事件", 0, 1},
    {"发生不文明行为被中央主要媒体曝光、造成恶劣影响", 2, 0},
    {"发生严重失信行为被全国通报", 1, 0},
    {"校园及周边发生严重欺凌事件被媒体曝光", 1, 0},
    {"公共场所发生重大拥挤踩踏事件", 2, 0},
};

/* The minors' part: its own 100 points (the 85 gate), field standards at schools. */
static const struct {
	const char *project, *content, *title, *methods, *grading, *lead;
	double weight;
	int field;
} minors[] = {
    {"思想道德教育", "理想信念教育",
     "1）中小学开展“扣好人生第一粒扣子”主题教育；\n2）少先队、共青团活动经常化。\n"
     "2项全符合为A；符合1项为B；其余为C",
     "材料审核、听取汇报", "A=100%、B=70%、C=30%", "县教育局", 30, 0},
    {"思想道德教育", "校园文化", "校园文化环境健康向上，宣传栏内容更新及时。", "实地考察", "",
     "县教育局", 20, 1},
    {"校园周边环境", "周边治理",
     "学校周边200米内无网吧、游戏厅、歌舞娱乐场所，无流动摊点。\n每发现一处扣5分，扣完为止",
     "实地考察", "每发现一处扣5分", "县市场监管局", 30, 1},
    {"家庭教育", "家长学校", "家长学校覆盖率达到90%以上。", "数据采集、主管部门意见",
     "≥90%=100%、≥70%=60%", "县妇联", 20, 0},
};

/* 特色指标: extra points within the framework's cap (5). */
static const struct {
	const char *title, *lead;
	double weight;
} features[] = {
    {"“红色文化”品牌建设成效明显，形成可推广经验。", "县委宣传部", 2.5},
    {"“门前三包”责任制全覆盖，商户签约率达到95%以上。", "县城管执法局", 2.5},
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

/* A standard's text on numbered lines, its grading rule last (graded) or not. */
static const char *const wording[] = {
    [K_FIELD] = "1）%s相关场所设施完好、整洁有序；\n2）管理责任人和监督电话公示；\n"
                "3）无乱堆乱放、乱贴乱画。\n3项全符合为A；符合1）2）为B；其余为C",
    [K_FIELD_MATERIALS] = "%s工作机制健全、台账完整，实地抽查落实到位。\n"
                          "每发现一处不符合扣0.2分，扣完为止",
    [K_QUESTIONNAIRE] = "群众对%s工作的知晓率、支持率和满意度。",
    [K_MATERIALS] = "1）%s工作有部署、有方案；\n2）有过程记录和图片资料；\n3）有年度总结。\n"
                    "时间节点：2024年1月以来",
    [K_DATA] = "%s相关数据指标达到测评要求。",
};

/* Plain pass/fail wording for the field standards not graded (every other one). */
static const char *const wording_plain[] = {
    [K_FIELD] = "实地查看：%s相关场所设施完好、管理规范、秩序良好。",
    [K_FIELD_MATERIALS] = "%s工作机制健全、台账完整，实地抽查落实到位。",
};

static const char *const method_words[] = {
    [K_FIELD] = "实地考察",
    [K_FIELD_MATERIALS] = "实地考察、材料审核",
    [K_QUESTIONNAIRE] = "问卷调查",
    [K_MATERIALS] = "网上申报",
    [K_DATA] = "主管部门意见、数据采集",
};

static const char *const grading_words[] = {
    [K_FIELD] = "A=100%、B=70%、C=40%",
    [K_FIELD_MATERIALS] = "每发现一处扣0.2分",
    [K_QUESTIONNAIRE] = "≥90%=100%、≥80%=80%、≥60%=60%",
    [K_MATERIALS] = "",
    [K_DATA] = "",
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
	char code[48];
	char title[160];
};

/* The scheme of a 评分方式 cell, as the import reads it, into s. */
static void set_grading(struct indicator *s, const char *cell, struct arena *a)
{
	struct grading g;
	char msg[160], *rules;
	json_t *j;
	char *text;

	s->grading_text = cell;
	s->grading = "";
	if (grading_parse_cell(cell, s->title, &g, &rules, msg))
		return;
	if (g.kind != GRADING_CREDITS) {
		j = grading_json(&g);
		text = json_dumps(j, JSON_COMPACT);
		s->grading = arena_strdup(a, text ? text : "");
		free(text);
		json_decref(j);
	}
	free(rules);
}

/* The point type named name (0 when none). */
static int64_t type_named(const struct point_type *types, int n, const char *name)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(types[i].name, name))
			return types[i].id;
	return 0;
}

/* The negative list, the minors' part and local features (sections of their own). */
static int demo_eval_sections(struct store_conn *c, int64_t tenant_id, int64_t fid,
                              const struct point_type *types, int ntypes, struct demo_item *items,
                              int *nitems, int64_t category, struct arena *a, struct error *e)
{
	int64_t school = type_named(types, ntypes, "中小学校周边");
	struct indicator proj = {0}, content = {0};
	int i, rc = 0, np = 0, nc = 0, t;

	for (i = 0; !rc && i < (int)(sizeof(negatives) / sizeof(negatives[0])); i++) {
		struct negative_item it = {0};

		it.framework_id = fid;
		it.code = arena_printf(a, "负-%02d", i + 1);
		it.title = negatives[i].title;
		it.deduction = negatives[i].deduction;
		it.veto = negatives[i].veto;
		it.sort = i + 1;
		rc = negative_item_insert(c, &it, e);
	}
	for (i = 0; !rc && i < (int)(sizeof(minors) / sizeof(minors[0])); i++) {
		struct indicator s = {0};
		int64_t lead = unit_id(c, tenant_id, minors[i].lead);
		const char *unknown;

		if (!i || strcmp(minors[i].project, minors[i - 1].project)) {
			memset(&proj, 0, sizeof(proj));
			proj.framework_id = fid;
			proj.level = 1;
			proj.code = arena_printf(a, "未Ⅰ-%d", ++np);
			proj.title = minors[i].project;
			proj.section = SECTION_MINORS;
			proj.sort = 100 + np;
			rc = indicator_insert(c, &proj, e);
		}
		if (!rc && (!i || strcmp(minors[i].content, minors[i - 1].content))) {
			memset(&content, 0, sizeof(content));
			content.framework_id = fid;
			content.parent_id = proj.id;
			content.level = 2;
			content.code = arena_printf(a, "未Ⅱ-%d", ++nc);
			content.title = minors[i].content;
			content.section = SECTION_MINORS;
			content.sort = nc;
			rc = indicator_insert(c, &content, e);
		}
		if (rc)
			break;
		s.framework_id = fid;
		s.parent_id = content.id;
		s.level = 3;
		s.code = arena_printf(a, "未Ⅲ-%d", i + 1);
		s.title = minors[i].title;
		s.weight = minors[i].weight;
		s.method_text = minors[i].methods;
		methods_from_cell_vocab(s.method_text, NULL, 0, &s.methods, &unknown, a);
		set_grading(&s, minors[i].grading, a);
		s.lead_unit_id = lead;
		s.section = SECTION_MINORS;
		s.sort = i + 1;
		rc = indicator_insert(c, &s, e);
		if (!rc && minors[i].field && school) {
			rc = indicator_set_refs(c, s.id, lead ? &lead : NULL, lead ? 1 : 0, &school,
			                        1, e);
			for (t = 0; t < ntypes && types[t].id != school; t++)
				;
			if (!rc && t < ntypes && nitems[t] < 64) {
				struct demo_item *it = &items[t * 64 + nitems[t]++];

				it->standard_id = s.id;
				it->category_id = category;
				snprintf(it->code, sizeof(it->code), "校园-%02d", i + 1);
				snprintf(it->title, sizeof(it->title), "未成年人：%s",
				         minors[i].content);
			}
		}
	}
	if (!rc) {
		memset(&proj, 0, sizeof(proj));
		proj.framework_id = fid;
		proj.level = 1;
		proj.code = "特Ⅰ-1";
		proj.title = "特色指标";
		proj.section = SECTION_FEATURE;
		proj.sort = 200;
		rc = indicator_insert(c, &proj, e);
	}
	if (!rc) {
		memset(&content, 0, sizeof(content));
		content.framework_id = fid;
		content.parent_id = proj.id;
		content.level = 2;
		content.code = "特Ⅱ-1";
		content.title = "地方特色创建";
		content.section = SECTION_FEATURE;
		rc = indicator_insert(c, &content, e);
	}
	for (i = 0; !rc && i < (int)(sizeof(features) / sizeof(features[0])); i++) {
		struct indicator s = {0};
		int64_t lead = unit_id(c, tenant_id, features[i].lead);

		s.framework_id = fid;
		s.parent_id = content.id;
		s.level = 3;
		s.code = arena_printf(a, "特Ⅲ-%d", i + 1);
		s.title = features[i].title;
		s.weight = features[i].weight;
		s.methods = METHOD_MATERIALS;
		s.method_text = "材料审核、听取汇报";
		s.methods |= METHOD_DATA;
		s.lead_unit_id = lead;
		s.section = SECTION_FEATURE;
		s.sort = i + 1;
		rc = indicator_insert(c, &s, e);
	}
	return rc;
}

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
	f.note = "示例数据：7 个测评项目、58 项测评内容、118 条测评标准，另有负面清单、"
	         "未成年人思想道德建设和特色指标；措辞为虚构（docs/samples/framework-sample.xlsx）";
	rc = framework_insert(c, tenant_id, &f, e);
	for (p = 0; !rc && p < NPROJECTS; p++) {
		const struct demo_project *pr = &projects[p];
		struct indicator proj = {0};
		int ci;

		proj.framework_id = f.id;
		proj.level = 1;
		proj.code = arena_printf(&a, "Ⅰ-%d", p + 1);
		proj.title = pr->title;
		proj.sort = p + 1;
		rc = indicator_insert(c, &proj, e);
		counts->projects++;
		for (ci = 0; !rc && ci < 12 && pr->contents[ci].title; ci++) {
			const struct demo_content *dc = &pr->contents[ci];
			struct indicator content = {0};
			int64_t lead = unit_id(c, tenant_id, dc->lead);
			/* two standards per content; the first two contents get a third */
			int nstd = counts->contents < 2 ? 3 : 2, si;

			content.framework_id = f.id;
			content.parent_id = proj.id;
			content.level = 2;
			content.code = arena_printf(&a, "Ⅱ-%d", counts->contents + 1);
			content.title = dc->title;
			content.sort = ci + 1;
			rc = indicator_insert(c, &content, e);
			counts->contents++;
			for (si = 0; !rc && si < nstd; si++, k++) {
				struct indicator s = {0};
				enum kind kind = standard_kind(k);
				/* half the field standards graded (levels, deductions), half
				 * pass/fail */
				int graded = kind > K_FIELD_MATERIALS || k % 2 == 0;
				int64_t type_ids[4];
				int ntype_ids = 0, j;

				s.framework_id = f.id;
				s.parent_id = content.id;
				s.level = 3;
				s.code = arena_printf(&a, "Ⅲ-%d", k + 1);
				s.title = arena_printf(
				    &a, graded ? wording[kind] : wording_plain[kind], dc->title);
				s.weight = kind <= K_QUESTIONNAIRE ? 1.0 : 0.625;
				s.methods = kind_methods[kind];
				s.method_text = method_words[kind];
				set_grading(&s, graded ? grading_words[kind] : "", &a);
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
							snprintf(it->code, sizeof(it->code),
							         "%s-%02d", types[t].code,
							         nitems[t]);
							snprintf(
							    it->title, sizeof(it->title),
							    "%s：%s%s", dc->title, types[t].name,
							    kind == K_FIELD ? "设施完好、秩序良好"
							                    : "管理台账与现场一致");
						}
					}
					nfield++;
				}
				rc = indicator_set_refs(c, s.id, lead ? &lead : NULL, lead ? 1 : 0,
				                        type_ids, ntype_ids, e);
			}
		}
	}
	if (!rc)
		rc = demo_eval_sections(c, tenant_id, f.id, types, ntypes, items, nitems,
		                        category_by_code(cats, ncats, "SR01"), &a, e);
	for (t = 0; !rc && t < ntypes; t++) {
		struct checklist_item *list =
		    arena_calloc(&a, (size_t)(nitems[t] + 1) * sizeof(*list));
		int i;

		for (i = 0; i < nitems[t]; i++) {
			list[i].standard_id = items[t * 64 + i].standard_id;
			list[i].category_id = items[t * 64 + i].category_id;
			list[i].code = items[t * 64 + i].code;
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

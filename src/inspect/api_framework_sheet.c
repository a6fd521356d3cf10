/*
 * api_framework_sheet.c - a framework as a spreadsheet, as offices keep it:
 * one or several worksheets (the standards, the 负面清单, checklists per
 * point type, the minors' part and local features), header synonyms,
 * merged cells filled down, codes and text kept exactly as written, the
 * tree taken from the columns.  Every row is checked before anything is
 * written; ?preview=1 answers what would be written without writing.  The
 * export (api_framework_export.c) writes the same layout (framework_sheet.h),
 * so an exported version re-imports.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/utf8.h"
#include "http/multipart.h"
#include "http/reply.h"
#include "http/req.h"
#include "inspect/grading.h"
#include "inspect/inspect.h"
#include "inspect/inspect_api.h"
#include "inspect/framework_sheet.h"
#include "inspect/inspect_int.h"
#include "master/master.h"
#include "org/org.h"
#include "spreadsheet/spreadsheet.h"
#include "store/store.h"

#define FW_IMPORT_MAX_ROWS 5000 /* data rows of one worksheet, as every import */

const char *const fw_columns[FC_NCOLS] = {
    "项目编码", "测评项目", "内容编码", "测评内容",     "标准编码", "测评标准", "分值",
    "测评方法", "牵头单位", "责任单位", "考察点位类型", "评分方式", "所属部分"};

/* Other names real sheets give the columns (docs/framework-import.md). */
static const struct {
	int col;
	const char *name;
} fw_synonyms[] = {
    {FC_PCODE, "项目编号"},
    {FC_PCODE, "一级指标编码"},
    {FC_PROJECT, "一级指标"},
    {FC_PROJECT, "项目"},
    {FC_CCODE, "内容编号"},
    {FC_CCODE, "二级指标编码"},
    {FC_CONTENT, "二级指标"},
    {FC_SCODE, "标准编号"},
    {FC_SCODE, "序号"},
    {FC_SCODE, "编号"},
    {FC_STANDARD, "标准内容"},
    {FC_STANDARD, "三级指标"},
    {FC_STANDARD, "测评标准内容"},
    {FC_WEIGHT, "权重"},
    {FC_WEIGHT, "标准分"},
    {FC_METHODS, "考察方式"},
    {FC_METHODS, "测评方式"},
    {FC_UNITS, "配合单位"},
    {FC_TYPES, "点位类型"},
    {FC_TYPES, "考察点位"},
    {FC_GRADING, "评分标准"},
    {FC_GRADING, "评分规则"},
    {FC_SECTION, "部分"},
};

const char *const neg_columns[NC_NCOLS] = {"编号", "负面清单内容", "扣分", "一票否决", "标准编码"};
static const struct {
	int col;
	const char *name;
} neg_synonyms[] = {
    {NC_CODE, "序号"},          {NC_CODE, "编码"},      {NC_CODE, "清单编号"},
    {NC_TITLE, "内容"},         {NC_TITLE, "负面清单"}, {NC_TITLE, "事项"},
    {NC_TITLE, "情形"},         {NC_TITLE, "测评内容"}, {NC_DEDUCTION, "扣分值"},
    {NC_DEDUCTION, "扣减分值"}, {NC_DEDUCTION, "分值"}, {NC_VETO, "否决"},
    {NC_VETO, "处理方式"},
};

const char *const chk_columns[KC_NCOLS] = {"点位类型", "检查项编码", "检查项", "标准编码",
                                           "问题类别"};
static const struct {
	int col;
	const char *name;
} chk_synonyms[] = {
    {KC_TYPE, "考察点位"},     {KC_TYPE, "考察点位类型"}, {KC_CODE, "检查项编号"},
    {KC_CODE, "编号"},         {KC_CODE, "序号"},         {KC_TITLE, "检查内容"},
    {KC_TITLE, "检查项内容"},  {KC_STANDARD, "对应标准"}, {KC_STANDARD, "测评标准编码"},
    {KC_CATEGORY, "问题分类"},
};

static const struct sheet_column fw_sheet_columns[FC_NCOLS] = {
    {"项目编码", 0, 's', "如 Ⅰ-1；与上一行相同时可留空（或合并单元格）"},
    {"测评项目", 1, 's', "与上一行相同时可留空（或合并单元格）"},
    {"内容编码", 0, 's', "如 Ⅱ-3；与上一行相同时可留空"},
    {"测评内容", 1, 's', "与上一行相同时可留空"},
    {"标准编码", 1, 's', "如 Ⅲ-26；全表不能重复；照原样保存"},
    {"测评标准", 1, 's', "标准的内容，可以多行，最多 2000 个字"},
    {"分值", 1, 'n', "0 到 100 的数"},
    {"测评方法", 1, 's',
     "实地考察、问卷调查、网上申报、材料审核、听取汇报、整体观察、网络（电话、媒体）调查、"
     "主管部门意见、数据采集等，多个用“、”分隔；分值在这些方法所属的得分部分之间平均分配"},
    {"牵头单位", 0, 's', "已有单位的名称；重名时写完整路径"},
    {"责任单位", 0, 's', "已有单位，多个用“、”分隔"},
    {"考察点位类型", 0, 's', "已有点位类型的名称或编码，多个用“、”分隔；只用于实地考察"},
    {"评分方式", 0, 's',
     "留空为合格/不合格；分档如“A=100%、B=80%、C=60%”；扣分如“每少一处扣2分”；"
     "达标率如“≥90%=100%、≥60%=60%”"},
    {"所属部分", 0, 's', "留空为测评体系；“未成年人”或“特色指标”"},
};

int framework_template(struct req *r)
{
	static const char *const example[FC_NCOLS] = {
	    "Ⅰ-1",
	    "理想信念教育",
	    "Ⅱ-1",
	    "社会主义核心价值观宣传",
	    "Ⅲ-1",
	    ("1）主次干道、公共场所设置社会主义核心价值观公益广告；\n2）内容规范、无破损。\n"
	     "2项全符合为A；符合1项为B；其余为C"),
	    "1.2",
	    "实地考察、网上申报",
	    "县委宣传部",
	    "县城管执法局、县住建局",
	    "主次干道、公共广场",
	    "A=100%、B=60%、C=0",
	    ""};
	struct error e;
	void *data;
	size_t len;

	error_init(&e);
	if (sheet_template("测评体系", fw_sheet_columns, FC_NCOLS, example, &data, &len, &e))
		return req_fail_error(r, &e);
	return http_reply_xlsx(r, data, len, "framework-template", "测评体系导入模板");
}

/* Split a list cell at 、,，;； into arena copies. */
static int split_list(const char *cell, struct arena *a, const char ***out)
{
	static const char *const seps[] = {"、", "，", "；", ",", ";", "\n"};
	const char **parts = arena_calloc(a, (strlen(cell) + 2) * sizeof(char *));
	const char *s = cell, *start = cell;
	int n = 0;
	size_t k;

	for (;;) {
		size_t sep = 0;

		for (k = 0; *s && k < sizeof(seps) / sizeof(seps[0]); k++)
			if (!strncmp(s, seps[k], strlen(seps[k])))
				sep = strlen(seps[k]);
		if (!*s || sep) {
			const char *b = start, *e = s;

			while (b < e && (*b == ' ' || *b == '\r'))
				b++;
			while (e > b && (e[-1] == ' ' || e[-1] == '\r'))
				e--;
			if (e > b)
				parts[n++] = arena_strndup(a, b, (size_t)(e - b));
			if (!*s)
				break;
			s += sep;
			start = s;
		} else {
			s++;
		}
	}
	*out = parts;
	return n;
}

/* ---- the header row --------------------------------------------------------------- */

/* A header cell without "*", spaces and line breaks (“测评\n标准” reads 测评标准). */
static const char *header_key(const char *cell, struct arena *a)
{
	char *out = arena_strdup(a, cell), *w = out;
	const char *p;

	for (p = cell; *p; p++)
		if (*p != '*' && *p != ' ' && *p != '\n' && *p != '\r' && *p != '\t')
			*w++ = *p;
	*w = 0;
	if (!strncmp(out, "＊", 3))
		memmove(out, out + 3, strlen(out + 3) + 1);
	return out;
}

struct colmap {
	int ncols;
	const char *const *names;
	int nsyn;
	const int *syn_col;
	const char *const *syn_name;
};

/*
 * Columns of header row h: col[k] for each of m's columns (-1 missing);
 * *matched = how many cells were recognised; unknown headers go to
 * warnings.  Returns the number of columns found.
 */
static int match_header(const struct sheet *sh, int h, const struct colmap *m, int *col,
                        int *matched, json_t *warnings, struct arena *a, int report)
{
	const struct sheet_row *row = &sh->rows[h];
	int i, k, found = 0;

	for (k = 0; k < m->ncols; k++)
		col[k] = -1;
	*matched = 0;
	for (i = 0; i < row->ncells; i++) {
		const char *key = header_key(row->cells[i], a);
		int which = -1;

		if (!*key)
			continue;
		for (k = 0; which < 0 && k < m->ncols; k++)
			if (!strcmp(key, m->names[k]))
				which = k;
		for (k = 0; which < 0 && k < m->nsyn; k++)
			if (!strcmp(key, m->syn_name[k]))
				which = m->syn_col[k];
		if (which >= 0 && col[which] < 0) {
			col[which] = i;
			(*matched)++;
			found++;
		} else if (report) {
			char letter[8];

			json_array_append_new(
			    warnings, json_pack("{s:s, s:i, s:s, s:s}", "sheet",
			                        sh->name ? sh->name : "", "row", row->number,
			                        "column", sheet_column_name(i, letter), "message",
			                        arena_printf(a,
			                                     which >= 0 ? "“%s”列重复，只读第一列"
			                                                : "不认识的列“%s”，未导入",
			                                     row->cells[i])));
		}
	}
	return found;
}

/* ---- the import state ---------------------------------------------------------- */

struct fw_node {
	const char *code, *title, *section;
	int parent; /* index into the projects (contents) */
	int row;
	int64_t id;
};

struct fw_standard {
	struct indicator ind;
	int content;
	int64_t *units, *types;
	int nunits, ntypes;
	const char *sheet;
	json_t *grading;
};

struct fw_check {
	struct checklist_item it;
	const char *type_name, *standard_code;
	int row;
};

struct fw_import {
	struct req *r;
	json_t *errors, *warnings;
	const struct unit *units;
	int nunits;
	const struct point_type *types;
	int ntypes;
	const struct category *cats;
	int ncats;
	const struct method_name *vocab;
	int nvocab;
	struct fw_node *projects, *contents;
	int nprojects, ncontents; /* room for as many as rows read */
	struct fw_standard *standards;
	int nstandards, cap_standards;
	struct negative_item *negs;
	int nnegs, cap_negs;
	struct fw_check *checks;
	int nchecks, cap_checks;
	const char *sheet;                           /* the worksheet being read */
	const char *pcode, *ptitle, *ccode, *ctitle; /* carried from the row above */
	int gen_projects, gen_contents;
};

static void row_error(struct fw_import *x, int row, const char *field, const char *msg)
{
	org_import_error(x->errors, row, field, "%s", msg);
	if (x->sheet && *x->sheet)
		json_object_set_new(json_array_get(x->errors, json_array_size(x->errors) - 1),
		                    "sheet", json_string(x->sheet));
}

#define ROW_ERROR(x, row, field, ...)                                                              \
	row_error(x, row, field, arena_printf(&(x)->r->arena, __VA_ARGS__))

/* The project (level 1) or content (level 2) of a row: found by code or added. */
static int fw_node(struct fw_import *x, struct fw_node **nodes, int *n, const char *code,
                   const char *title, const char *section, int parent, int row,
                   const char *col_code, const char *col_title)
{
	int i;

	for (i = 0; i < *n; i++)
		if (!strcmp((*nodes)[i].code, code) &&
		    (parent < 0 || (*nodes)[i].parent == parent ||
		     strcmp((*nodes)[i].title, title))) {
			if (strcmp((*nodes)[i].title, title))
				ROW_ERROR(x, row, col_title,
				          "编码 %s 在第 %d 行的名称是“%s”，此处不一致", code,
				          (*nodes)[i].row, (*nodes)[i].title);
			else if ((*nodes)[i].parent != parent)
				ROW_ERROR(x, row, col_code, "编码 %s 在第 %d 行属于另一个测评项目",
				          code, (*nodes)[i].row);
			else if (strcmp((*nodes)[i].section, section))
				ROW_ERROR(x, row, "所属部分", "测评项目 %s 的各行应属于同一部分",
				          code);
			return i;
		}
	if (parent >= 0)
		for (i = 0; i < *n; i++)
			if (!strcmp((*nodes)[i].code, code))
				ROW_ERROR(x, row, col_code, "编码 %s 在第 %d 行属于另一个测评项目",
				          code, (*nodes)[i].row);
	/* both lists share one capacity: there are never more nodes than rows read */
	(*nodes)[*n].code = code;
	(*nodes)[*n].title = title;
	(*nodes)[*n].section = section;
	(*nodes)[*n].parent = parent;
	(*nodes)[*n].row = row;
	return (*n)++;
}

static const char *carry(const char *cell, const char **carried)
{
	if (*cell)
		*carried = cell;
	return *carried ? *carried : "";
}

/* SECTION_* of a 所属部分 cell or a sheet's name; NULL when the cell says something else. */
static const char *section_of(const char *cell, const char *sheet_name)
{
	if (*cell) {
		if (!strcmp(cell, "测评体系") || !strcmp(cell, "主体") || !strcmp(cell, "main") ||
		    !strcmp(cell, "测评标准"))
			return SECTION_MAIN;
		if (strstr(cell, "未成年人") || !strcmp(cell, "minors"))
			return SECTION_MINORS;
		if (strstr(cell, "特色") || !strcmp(cell, "feature"))
			return SECTION_FEATURE;
		return NULL;
	}
	if (sheet_name && strstr(sheet_name, "未成年人"))
		return SECTION_MINORS;
	if (sheet_name && strstr(sheet_name, "特色"))
		return SECTION_FEATURE;
	return SECTION_MAIN;
}

/* 1 when a title or standard text is fine; errors go to the row. */
static int text_check(struct fw_import *x, int row, const char *field, const char *s)
{
	if (!*s)
		ROW_ERROR(x, row, field, "%s不能为空", field);
	else if (utf8_chars(s) > IND_TITLE_MAX)
		ROW_ERROR(x, row, field, "%s最多 %d 个字", field, IND_TITLE_MAX);
	else if (!indicator_text_ok(s))
		ROW_ERROR(x, row, field, "%s不能包含换行、制表符以外的控制字符", field);
	else
		return 1;
	return 0;
}

static void code_check(struct fw_import *x, int row, const char *field, const char *code)
{
	if (!indicator_code_ok(code))
		ROW_ERROR(x, row, field,
		          "%s不能为空，最多 %d 个字符，只能包含字母（含罗马数字、全角字母、汉字）、"
		          "数字、横线、点、下划线和括号",
		          field, IND_CODE_MAX);
}

/* ---- one standards row ----------------------------------------------------------- */

static void fw_import_row(struct fw_import *x, const struct sheet *sh, int ri, const int *col)
{
	struct arena *a = &x->r->arena;
	const struct sheet_row *row = &sh->rows[ri];
	struct fw_standard *s;
	const char *pcode, *ptitle, *ccode, *ctitle, *weight, *lead, **list, *section, *mcell,
	    *unknown, *gcell, *sec;
	int nrow = row->number, i, k, n, project, content,
	    errors0 = (int)json_array_size(x->errors);
	char *end, msg[160], *rules;
	struct grading g;

	x->standards =
	    arena_grow(a, x->standards, x->nstandards, &x->cap_standards, sizeof(*x->standards));
	s = &x->standards[x->nstandards];
#define CELL(c) arena_strdup(a, col[c] >= 0 ? sheet_cell_merged(sh, ri, col[c]) : "")
	pcode = CELL(FC_PCODE);
	ptitle = CELL(FC_PROJECT);
	ccode = CELL(FC_CCODE);
	ctitle = CELL(FC_CONTENT);
	/* no code column: the tree is still the columns; codes are made up from the titles' order
	 */
	if (col[FC_PCODE] < 0 && *ptitle && (!x->ptitle || strcmp(ptitle, x->ptitle)))
		pcode = arena_printf(a, "P%d", ++x->gen_projects);
	if (col[FC_CCODE] < 0 && *ctitle && (!x->ctitle || strcmp(ctitle, x->ctitle) || *pcode))
		ccode = arena_printf(a, "P%d.C%d", x->gen_projects, ++x->gen_contents);
	/* a new project code starts its own contents: nothing carries across it */
	if (*pcode && x->pcode && strcmp(pcode, x->pcode)) {
		x->ptitle = NULL;
		x->ccode = x->ctitle = NULL;
	}
	pcode = carry(pcode, &x->pcode);
	ptitle = carry(ptitle, &x->ptitle);
	if (*ccode && x->ccode && strcmp(ccode, x->ccode))
		x->ctitle = NULL;
	ccode = carry(ccode, &x->ccode);
	ctitle = carry(ctitle, &x->ctitle);
	memset(s, 0, sizeof(*s));
	s->sheet = x->sheet;
	s->ind.level = 3;
	s->ind.code = CELL(FC_SCODE);
	s->ind.title = CELL(FC_STANDARD);
	weight = CELL(FC_WEIGHT);
	lead = CELL(FC_LEAD);
	sec = CELL(FC_SECTION);
	section = section_of(sec, x->sheet);
	if (!section) {
		ROW_ERROR(x, nrow, "所属部分", "所属部分应为测评体系、未成年人或特色指标");
		section = SECTION_MAIN;
	}
	s->ind.section = section;

	code_check(x, nrow, "项目编码", pcode);
	text_check(x, nrow, "测评项目", ptitle);
	code_check(x, nrow, "内容编码", ccode);
	text_check(x, nrow, "测评内容", ctitle);
	code_check(x, nrow, "标准编码", s->ind.code);
	for (i = 0; i < x->nstandards; i++)
		if (!strcmp(x->standards[i].ind.code, s->ind.code))
			ROW_ERROR(x, nrow, "标准编码", "与%s第 %d 行的标准编码重复",
			          x->standards[i].sheet &&
			                  strcmp(x->standards[i].sheet, x->sheet ? x->sheet : "")
			              ? arena_printf(a, "工作表“%s”", x->standards[i].sheet)
			              : "",
			          (int)x->standards[i].ind.sort);
	for (i = 0; i < x->nprojects + x->ncontents; i++) {
		const struct fw_node *nd =
		    i < x->nprojects ? &x->projects[i] : &x->contents[i - x->nprojects];

		if (!strcmp(nd->code, s->ind.code))
			ROW_ERROR(x, nrow, "标准编码", "与第 %d 行的项目或内容编码重复", nd->row);
	}
	text_check(x, nrow, "测评标准", s->ind.title);
	s->ind.weight = strtod(weight, &end);
	if (!*weight || *end || !(s->ind.weight >= 0 && s->ind.weight <= 100))
		ROW_ERROR(x, nrow, "分值", "分值应为 0 到 100 之间的数");
	mcell = CELL(FC_METHODS);
	s->ind.method_text = mcell;
	if (methods_from_cell_vocab(mcell, x->vocab, x->nvocab, &s->ind.methods, &unknown, a))
		ROW_ERROR(x, nrow, "测评方法",
		          "测评方法“%s”不在方法词表中（如实地考察、问卷调查、网上申报、材料审核；"
		          "本单位的新方法可先加入词表）",
		          unknown);
	else if (!s->ind.methods)
		ROW_ERROR(x, nrow, "测评方法", "测评方法不能为空");
	gcell = CELL(FC_GRADING);
	s->ind.grading_text = gcell;
	if (grading_parse_cell(gcell, s->ind.title, &g, &rules, msg)) {
		row_error(x, nrow, "评分方式", msg);
	} else {
		s->grading = grading_json(&g);
		s->ind.grading = "";
		if (g.kind != GRADING_CREDITS) {
			char *dump = json_dumps(s->grading, JSON_COMPACT);

			s->ind.grading = arena_strdup(a, dump ? dump : "");
			free(dump);
		}
	}
	free(rules);
	if (*lead) {
		s->ind.lead_unit_id = master_unit_by_name(x->units, x->nunits, lead, a);
		s->ind.lead_unit_name = lead;
		if (s->ind.lead_unit_id < 0)
			ROW_ERROR(x, nrow, "牵头单位",
			          s->ind.lead_unit_id == -1 ? "找不到单位“%s”"
			                                    : "有多个单位名为“%s”，请写完整路径",
			          lead);
	}
	n = split_list(CELL(FC_UNITS), a, &list);
	s->units = arena_calloc(a, (size_t)(n + 1) * sizeof(int64_t));
	for (i = 0; i < n; i++) {
		int64_t id = master_unit_by_name(x->units, x->nunits, list[i], a);

		if (id < 0)
			ROW_ERROR(x, nrow, "责任单位",
			          id == -1 ? "找不到单位“%s”" : "有多个单位名为“%s”，请写完整路径",
			          list[i]);
		for (k = 0; id > 0 && k < s->nunits; k++)
			if (s->units[k] == id)
				id = 0;
		if (id > 0)
			s->units[s->nunits++] = id;
	}
	n = split_list(CELL(FC_TYPES), a, &list);
	s->types = arena_calloc(a, (size_t)(n + 1) * sizeof(int64_t));
	for (i = 0; i < n; i++) {
		int64_t id = 0;

		for (k = 0; k < x->ntypes; k++)
			if (!strcmp(x->types[k].name, list[i]) ||
			    !strcmp(x->types[k].code, list[i]))
				id = x->types[k].id;
		if (!id)
			ROW_ERROR(x, nrow, "考察点位类型", "找不到点位类型“%s”", list[i]);
		for (k = 0; id && k < s->ntypes; k++)
			if (s->types[k] == id)
				id = 0;
		if (id)
			s->types[s->ntypes++] = id;
	}
	if (s->ntypes && s->ind.methods > 0 && !(s->ind.methods & METHOD_FIELD))
		ROW_ERROR(x, nrow, "考察点位类型", "只有实地考察的测评标准才填写考察点位类型");
#undef CELL
	if ((int)json_array_size(x->errors) > errors0) {
		json_decref(s->grading);
		return; /* keep the tree clean of rows that failed */
	}
	project = fw_node(x, &x->projects, &x->nprojects, pcode, ptitle, section, -1, nrow,
	                  "项目编码", "测评项目");
	content = fw_node(x, &x->contents, &x->ncontents, ccode, ctitle, section, project, nrow,
	                  "内容编码", "测评内容");
	s->content = content;
	s->ind.sort = nrow; /* also the row number for the duplicate message */
	x->nstandards++;
}

/* ---- one negative-list row ------------------------------------------------------- */

static int veto_cell(const char *s)
{
	return strstr(s, "一票否决") || !strcmp(s, "是") || !strcmp(s, "√") || !strcmp(s, "Y") ||
	       !strcmp(s, "y") || !strcmp(s, "1") || !strcmp(s, "否决");
}

static void neg_import_row(struct fw_import *x, const struct sheet *sh, int ri, const int *col)
{
	struct arena *a = &x->r->arena;
	int nrow = sh->rows[ri].number, i, errors0 = (int)json_array_size(x->errors);
	struct negative_item *it;
	const char *ded, *veto;
	char *end;

	x->negs = arena_grow(a, x->negs, x->nnegs, &x->cap_negs, sizeof(*x->negs));
	it = &x->negs[x->nnegs];
	memset(it, 0, sizeof(*it));
#define CELL(c) arena_strdup(a, col[c] >= 0 ? sheet_cell_merged(sh, ri, col[c]) : "")
	it->code = CELL(NC_CODE);
	if (col[NC_CODE] < 0)
		it->code = arena_printf(a, "N%d", x->nnegs + 1);
	it->title = CELL(NC_TITLE);
	ded = CELL(NC_DEDUCTION);
	veto = CELL(NC_VETO);
#undef CELL
	code_check(x, nrow, neg_columns[NC_CODE], it->code);
	text_check(x, nrow, neg_columns[NC_TITLE], it->title);
	it->veto = veto_cell(veto) || veto_cell(ded);
	if (*ded && !strstr(ded, "一票否决")) {
		it->deduction = strtod(ded, &end);
		if (*end || !(it->deduction >= 0 && it->deduction <= 100))
			ROW_ERROR(x, nrow, "扣分", "扣分应为 0 到 100 之间的数，或写“一票否决”");
	}
	if (!*ded && !it->veto)
		ROW_ERROR(x, nrow, "扣分", "请填写扣分，或在“一票否决”列写“是”");
	for (i = 0; i < x->nnegs; i++)
		if (!strcmp(x->negs[i].code, it->code))
			ROW_ERROR(x, nrow, neg_columns[NC_CODE], "与第 %d 行的编号重复",
			          (int)x->negs[i].sort);
	if ((int)json_array_size(x->errors) > errors0)
		return;
	it->sort = nrow;
	x->nnegs++;
}

/* ---- one checklist row ------------------------------------------------------------ */

static void chk_import_row(struct fw_import *x, const struct sheet *sh, int ri, const int *col)
{
	struct arena *a = &x->r->arena;
	int nrow = sh->rows[ri].number, k, errors0 = (int)json_array_size(x->errors);
	struct fw_check *c;
	const char *type, *cat;

	x->checks = arena_grow(a, x->checks, x->nchecks, &x->cap_checks, sizeof(*x->checks));
	c = &x->checks[x->nchecks];
	memset(c, 0, sizeof(*c));
#define CELL(k) arena_strdup(a, col[k] >= 0 ? sheet_cell_merged(sh, ri, col[k]) : "")
	type = CELL(KC_TYPE);
	c->it.code = CELL(KC_CODE);
	c->it.title = CELL(KC_TITLE);
	c->standard_code = CELL(KC_STANDARD);
	cat = CELL(KC_CATEGORY);
#undef CELL
	c->row = nrow;
	c->type_name = type;
	for (k = 0; k < x->ntypes; k++)
		if (!strcmp(x->types[k].name, type) || !strcmp(x->types[k].code, type))
			c->it.point_type_id = x->types[k].id;
	if (!c->it.point_type_id)
		ROW_ERROR(x, nrow, "点位类型", "找不到点位类型“%s”", type);
	if (*c->it.code)
		code_check(x, nrow, "检查项编码", c->it.code);
	if (!*c->it.title || utf8_chars(c->it.title) > ITEM_TITLE_MAX ||
	    !indicator_text_ok(c->it.title))
		ROW_ERROR(x, nrow, "检查项", "检查项不能为空，最多 %d 个字", ITEM_TITLE_MAX);
	if (!*c->standard_code)
		ROW_ERROR(x, nrow, "标准编码", "请填写检查项对应的标准编码");
	/* a blank category: the tenant's first category (docs/framework-import.md) */
	for (k = 0; k < x->ncats && !c->it.category_id; k++)
		if (*cat ? !strcmp(x->cats[k].name, cat) || !strcmp(x->cats[k].code, cat)
		         : !x->cats[k].parent_id)
			c->it.category_id = x->cats[k].id;
	if (!c->it.category_id)
		ROW_ERROR(x, nrow, "问题类别", *cat ? "找不到问题类别“%s”" : "还没有问题类别%s",
		          cat);
	c->it.credit[0] = c->it.credit[1] = c->it.credit[2] = NAN;
	if ((int)json_array_size(x->errors) > errors0)
		return;
	x->nchecks++;
}

/* After every sheet: each checklist item's standard by its code. */
static void chk_resolve(struct fw_import *x)
{
	int i, k;

	for (i = 0; i < x->nchecks; i++) {
		struct fw_check *c = &x->checks[i];

		c->it.standard_id = -1;
		for (k = 0; k < x->nstandards; k++)
			if (!strcmp(x->standards[k].ind.code, c->standard_code))
				c->it.standard_id = k; /* an index until written */
		if (c->it.standard_id < 0)
			ROW_ERROR(x, c->row, "标准编码", "标准编码“%s”不在测评标准中",
			          c->standard_code);
		else if (!(x->standards[c->it.standard_id].ind.methods & METHOD_FIELD))
			ROW_ERROR(x, c->row, "标准编码", "标准“%s”不是实地考察的标准",
			          c->standard_code);
	}
}

/* ---- the sheets ------------------------------------------------------------------ */

enum { SHEET_SKIP, SHEET_STANDARDS, SHEET_NEGATIVE, SHEET_CHECKLIST };

/*
 * What worksheet sh holds, its header row (*h, an index into rows; a
 * title line above the header is allowed) and its columns.
 */
static int sheet_kind(struct fw_import *x, const struct sheet *sh, int *h, int *col, int report)
{
	struct arena *a = &x->r->arena;
	static int fsyn_col[64], nsyn_col[64], ksyn_col[64];
	static const char *fsyn_name[64], *nsyn_name[64], *ksyn_name[64];
	struct colmap fm = {FC_NCOLS, fw_columns, 0, fsyn_col, fsyn_name};
	struct colmap nm = {NC_NCOLS, neg_columns, 0, nsyn_col, nsyn_name};
	struct colmap km = {KC_NCOLS, chk_columns, 0, ksyn_col, ksyn_name};
	int i, k, matched, best = 0, kind = SHEET_SKIP, fw_best = 0, fw_row = -1;
	int negname = sh->name && strstr(sh->name, "负面清单");

	for (k = 0; k < (int)(sizeof(fw_synonyms) / sizeof(fw_synonyms[0])); k++, fm.nsyn++) {
		fsyn_col[k] = fw_synonyms[k].col;
		fsyn_name[k] = fw_synonyms[k].name;
	}
	for (k = 0; k < (int)(sizeof(neg_synonyms) / sizeof(neg_synonyms[0])); k++, nm.nsyn++) {
		nsyn_col[k] = neg_synonyms[k].col;
		nsyn_name[k] = neg_synonyms[k].name;
	}
	for (k = 0; k < (int)(sizeof(chk_synonyms) / sizeof(chk_synonyms[0])); k++, km.nsyn++) {
		ksyn_col[k] = chk_synonyms[k].col;
		ksyn_name[k] = chk_synonyms[k].name;
	}
	*h = -1;
	/* the header: the first of the top rows naming the most known columns */
	for (i = 0; i < sh->nrows && i < 6; i++) {
		int c[FC_NCOLS];

		if (match_header(sh, i, &km, c, &matched, NULL, a, 0) && c[KC_TITLE] >= 0 &&
		    matched > best) {
			best = matched;
			*h = i;
			kind = SHEET_CHECKLIST;
		}
		if (match_header(sh, i, &nm, c, &matched, NULL, a, 0) && c[NC_TITLE] >= 0 &&
		    (negname || c[NC_VETO] >= 0 ||
		     (c[NC_DEDUCTION] >= 0 && sh->rows[i].ncells < 6)) &&
		    matched > best) {
			best = matched;
			*h = i;
			kind = SHEET_NEGATIVE;
		}
		if (match_header(sh, i, &fm, c, &matched, NULL, a, 0) && matched > fw_best) {
			fw_best = matched;
			fw_row = i;
		}
		if (match_header(sh, i, &fm, c, &matched, NULL, a, 0) && c[FC_STANDARD] >= 0 &&
		    matched >= best && !negname) {
			best = matched;
			*h = i;
			kind = SHEET_STANDARDS;
		}
	}
	/* a standards sheet short of columns: say which are missing */
	if (kind == SHEET_SKIP && fw_best >= 2 && !negname) {
		kind = SHEET_STANDARDS;
		*h = fw_row;
	}
	if (kind == SHEET_STANDARDS)
		match_header(sh, *h, &fm, col, &matched, report ? x->warnings : NULL, a, report);
	else if (kind == SHEET_NEGATIVE)
		match_header(sh, *h, &nm, col, &matched, report ? x->warnings : NULL, a, report);
	else if (kind == SHEET_CHECKLIST)
		match_header(sh, *h, &km, col, &matched, report ? x->warnings : NULL, a, report);
	return kind;
}

static void read_sheet(struct fw_import *x, const struct sheet *sh)
{
	int col[FC_NCOLS], h, i, kind;
	static const int required[] = {FC_PROJECT,  FC_CONTENT, FC_SCODE,
	                               FC_STANDARD, FC_WEIGHT,  FC_METHODS};

	/* the book is released before the answer is built: keep the name */
	x->sheet = arena_strdup(&x->r->arena, sh->name ? sh->name : "");
	x->pcode = x->ptitle = x->ccode = x->ctitle = NULL;
	kind = sheet_kind(x, sh, &h, col, 1);
	if (kind == SHEET_SKIP) {
		if (sh->nrows)
			json_array_append_new(
			    x->warnings,
			    json_pack("{s:s, s:i, s:s}", "sheet", x->sheet, "row",
			              sh->rows[0].number, "message",
			              "没有认出测评标准、负面清单或检查项的表头，此工作表未导入"));
		return;
	}
	if (kind == SHEET_STANDARDS)
		for (i = 0; i < (int)(sizeof(required) / sizeof(required[0])); i++)
			if (col[required[i]] < 0)
				ROW_ERROR(x, sh->rows[h].number, fw_columns[required[i]],
				          "缺少“%s”列，请使用导入模板", fw_columns[required[i]]);
	if (json_array_size(x->errors))
		return;
	if (sh->nrows - h - 1 > FW_IMPORT_MAX_ROWS) {
		ROW_ERROR(x, sh->rows[h].number, "", "一次最多导入 %d 行，请分批导入",
		          FW_IMPORT_MAX_ROWS);
		return;
	}
	if (kind == SHEET_STANDARDS) {
		for (i = h + 1; i < sh->nrows; i++)
			fw_import_row(x, sh, i, col);
	} else if (kind == SHEET_NEGATIVE) {
		for (i = h + 1; i < sh->nrows; i++)
			neg_import_row(x, sh, i, col);
	} else {
		for (i = h + 1; i < sh->nrows; i++)
			chk_import_row(x, sh, i, col);
	}
}

/* Write the checked tree into the new framework fid. */
static int fw_import_write(struct fw_import *x, int64_t fid, struct error *e)
{
	struct store_conn *c = x->r->db;
	int i, k, rc = 0;

	for (i = 0; !rc && i < x->nprojects; i++) {
		struct indicator ind = {0};

		ind.framework_id = fid;
		ind.level = 1;
		ind.code = x->projects[i].code;
		ind.title = x->projects[i].title;
		ind.section = x->projects[i].section;
		ind.sort = i + 1;
		rc = indicator_insert(c, &ind, e);
		x->projects[i].id = ind.id;
	}
	for (i = 0; !rc && i < x->ncontents; i++) {
		struct indicator ind = {0};

		ind.framework_id = fid;
		ind.parent_id = x->projects[x->contents[i].parent].id;
		ind.level = 2;
		ind.code = x->contents[i].code;
		ind.title = x->contents[i].title;
		ind.section = x->contents[i].section;
		ind.sort = i + 1;
		rc = indicator_insert(c, &ind, e);
		x->contents[i].id = ind.id;
	}
	for (i = 0; !rc && i < x->nstandards; i++) {
		struct fw_standard *s = &x->standards[i];

		s->ind.framework_id = fid;
		s->ind.parent_id = x->contents[s->content].id;
		s->ind.sort = i + 1;
		rc = indicator_insert(c, &s->ind, e);
		if (!rc)
			rc = indicator_set_refs(c, s->ind.id, s->units, s->nunits, s->types,
			                        s->ntypes, e);
	}
	for (i = 0; !rc && i < x->nnegs; i++) {
		x->negs[i].framework_id = fid;
		x->negs[i].sort = i + 1;
		rc = negative_item_insert(c, &x->negs[i], e);
	}
	/* checklists a point type at a time, in the order the sheet gave them */
	for (i = 0; !rc && i < x->nchecks; i++) {
		struct checklist_item *items;
		int n = 0, done = 0;

		for (k = 0; k < i; k++)
			if (x->checks[k].it.point_type_id == x->checks[i].it.point_type_id)
				done = 1;
		if (done)
			continue;
		items = arena_calloc(&x->r->arena, (size_t)x->nchecks * sizeof(*items));
		for (k = i; k < x->nchecks; k++)
			if (x->checks[k].it.point_type_id == x->checks[i].it.point_type_id) {
				items[n] = x->checks[k].it;
				items[n].standard_id =
				    x->standards[x->checks[k].it.standard_id].ind.id;
				items[n].sort = n + 1;
				n++;
			}
		rc = checklist_replace(c, fid, x->checks[i].it.point_type_id, items, n, e);
	}
	return rc;
}

/* What would be written: the tree, the negative list and the checklists. */
static json_t *preview_json(struct fw_import *x, const char *name)
{
	json_t *projects = json_array(), *negs = json_array(), *checks = json_array();
	int i, k, j;

	for (i = 0; i < x->nprojects; i++) {
		json_t *contents = json_array();

		for (k = 0; k < x->ncontents; k++) {
			json_t *stds;

			if (x->contents[k].parent != i)
				continue;
			stds = json_array();
			for (j = 0; j < x->nstandards; j++) {
				const struct fw_standard *s = &x->standards[j];

				if (s->content != k)
					continue;
				json_array_append_new(
				    stds,
				    json_pack("{s:s, s:s, s:f, s:s, s:o, s:O, s:s, s:s, s:i, s:i, "
				              "s:s, s:i}",
				              "code", s->ind.code, "title", s->ind.title, "weight",
				              s->ind.weight, "method_text", s->ind.method_text,
				              "methods", methods_json(s->ind.methods), "grading",
				              s->grading ? s->grading : json_null(), "grading_text",
				              s->ind.grading_text, "lead_unit",
				              s->ind.lead_unit_name ? s->ind.lead_unit_name : "",
				              "units", s->nunits, "point_types", s->ntypes, "sheet",
				              s->sheet, "row", (int)s->ind.sort));
			}
			json_array_append_new(
			    contents, json_pack("{s:s, s:s, s:o}", "code", x->contents[k].code,
			                        "title", x->contents[k].title, "standards", stds));
		}
		json_array_append_new(projects,
		                      json_pack("{s:s, s:s, s:s, s:o}", "code", x->projects[i].code,
		                                "title", x->projects[i].title, "section",
		                                x->projects[i].section, "contents", contents));
	}
	for (i = 0; i < x->nnegs; i++)
		json_array_append_new(negs, negative_item_json(&x->negs[i]));
	for (i = 0; i < x->nchecks; i++)
		json_array_append_new(
		    checks, json_pack("{s:s, s:s, s:s, s:s, s:i}", "point_type",
		                      x->checks[i].type_name, "code", x->checks[i].it.code, "title",
		                      x->checks[i].it.title, "standard_code",
		                      x->checks[i].standard_code, "row", x->checks[i].row));
	return json_pack("{s:b, s:s, s:{s:i, s:i, s:i, s:i, s:i}, s:o, s:o, s:o}", "preview", 1,
	                 "name", name, "counts", "projects", x->nprojects, "contents", x->ncontents,
	                 "standards", x->nstandards, "negative_items", x->nnegs, "checklist_items",
	                 x->nchecks, "projects", projects, "negative_items", negs,
	                 "checklist_items", checks);
}

/* The framework's name: ?name=, else the file name without its extension. */
static int import_name(struct req *r, const char *filename, const char **out)
{
	const char *name = req_query(r, "name");
	char *dot;

	if (!name || !*name) {
		const char *slash = filename ? strrchr(filename, '/') : NULL;

		name = arena_strdup(&r->arena, slash ? slash + 1 : filename ? filename : "");
		if ((dot = strrchr(name, '.')))
			*dot = 0;
	}
	if (!*name)
		name = arena_printf(&r->arena, "导入的测评体系 %s",
		                    http_format_time(time_now_ms(), &r->arena));
	if (utf8_chars(name) > FW_NAME_MAX || org_has_control(name))
		return req_fail(r, ERR_INVALID, "name", "名称最多 %d 个字", FW_NAME_MAX);
	*out = name;
	return 0;
}

int framework_import(struct req *r)
{
	struct sheet *book = NULL;
	struct type_filter tf = {NULL, -1, 0, 0};
	struct fw_import x;
	struct framework f;
	struct unit *units;
	struct point_type *types;
	struct category *cats;
	struct method_name *vocab;
	struct error e;
	const char *filename, *pv = req_query(r, "preview");
	const void *data;
	size_t len;
	int64_t total;
	int nbook = 0, i, rc, preview = pv && (!strcmp(pv, "1") || !strcmp(pv, "true"));
	json_t *answer;

	memset(&x, 0, sizeof(x));
	memset(&f, 0, sizeof(f));
	error_init(&e);
	if (req_multipart_file(r, "file", &data, &len, &filename, &e) ||
	    sheet_read_book(data, len, filename, &book, &nbook, &e)) {
		sheet_book_release(book, nbook);
		return req_fail_error(r, &e);
	}
	if (import_name(r, filename, &f.name) || !req_db(r) ||
	    unit_all(r->db, r->who->tenant_id, &r->arena, &units, &x.nunits, &e) ||
	    point_type_list(r->db, r->who->tenant_id, &tf, &r->arena, &types, &x.ntypes, &total,
	                    &e) ||
	    category_all(r->db, r->who->tenant_id, &r->arena, &cats, &x.ncats, &e) ||
	    method_vocab_list(r->db, r->who->tenant_id, &r->arena, &vocab, &x.nvocab, &e)) {
		sheet_book_release(book, nbook);
		return r->err.code ? r->err.code : req_fail_error(r, &e);
	}
	x.r = r;
	x.units = units;
	x.types = types;
	x.cats = cats;
	x.vocab = vocab;
	x.errors = json_array();
	x.warnings = json_array();
	{
		int rows = 1;

		for (i = 0; i < nbook; i++)
			rows += book[i].nrows;
		/* projects and contents never outnumber the rows read */
		x.projects = arena_calloc(&r->arena, (size_t)rows * sizeof(*x.projects));
		x.contents = arena_calloc(&r->arena, (size_t)rows * sizeof(*x.contents));
	}
	for (i = 0; i < nbook; i++)
		read_sheet(&x, &book[i]);
	chk_resolve(&x);
	if (!x.nstandards && !json_array_size(x.errors))
		org_import_error(
		    x.errors, 1, "测评标准",
		    "表格中没有测评标准：需要“测评项目、测评内容、标准编码、测评标准、分值、"
		    "测评方法”这几列");
	sheet_book_release(book, nbook);
	if (preview) {
		answer = preview_json(&x, f.name);
		json_object_set_new(answer, "errors", x.errors);
		json_object_set_new(answer, "warnings", x.warnings);
		for (i = 0; i < x.nstandards; i++)
			json_decref(x.standards[i].grading);
		r->audited = 1; /* a preview stores nothing: no audit row is owed */
		return req_reply_json(r, 200, answer);
	}
	for (i = 0; i < x.nstandards; i++)
		json_decref(x.standards[i].grading);
	if (json_array_size(x.errors)) {
		json_decref(x.warnings);
		return http_reply_import_errors(r, x.errors);
	}
	json_decref(x.errors);
	f.note = "";
	rc = store_begin(r->db, 1, &e);
	if (!rc)
		rc = framework_insert(r->db, r->who->tenant_id, &f, &e);
	if (!rc)
		rc = fw_import_write(&x, f.id, &e);
	if (!rc)
		rc = req_audit(r, r->db, "framework.import", "framework", f.id,
		               json_pack("{s:s, s:s, s:i, s:i, s:i, s:i, s:i}", "name", f.name,
		                         "file", filename ? filename : "", "projects", x.nprojects,
		                         "contents", x.ncontents, "standards", x.nstandards,
		                         "negative_items", x.nnegs, "checklist_items", x.nchecks));
	if (req_tx_end(r, r->db, rc, &e) ||
	    framework_get(r->db, r->who->tenant_id, f.id, &r->arena, &f, &e)) {
		json_decref(x.warnings);
		return r->err.code ? r->err.code : req_fail_error(r, &e);
	}
	return req_reply_json(r, 201,
	                      json_pack("{s:o, s:{s:i, s:i, s:i, s:i, s:i}, s:[], s:o}",
	                                "framework", framework_json(&f), "imported", "projects",
	                                x.nprojects, "contents", x.ncontents, "standards",
	                                x.nstandards, "negative_items", x.nnegs, "checklist_items",
	                                x.nchecks, "errors", "warnings", x.warnings));
}

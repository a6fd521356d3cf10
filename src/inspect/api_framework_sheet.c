/*
 * api_framework_sheet.c - a framework as a spreadsheet: the import (one row
 * per standard, every row checked before anything is written), its template
 * and the export in the same layout, so an exported version re-imports.
 */
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/utf8.h"
#include "http/multipart.h"
#include "http/reply.h"
#include "http/req.h"
#include "inspect/inspect.h"
#include "inspect/inspect_api.h"
#include "inspect/inspect_int.h"
#include "master/master.h"
#include "org/org.h"
#include "spreadsheet/spreadsheet.h"
#include "store/store.h"

enum {
	FC_PCODE,
	FC_PROJECT,
	FC_CCODE,
	FC_CONTENT,
	FC_SCODE,
	FC_STANDARD,
	FC_WEIGHT,
	FC_METHODS,
	FC_LEAD,
	FC_UNITS,
	FC_TYPES,
	FC_NCOLS
};

static const char *const fw_columns[FC_NCOLS] = {"项目编码", "测评项目", "内容编码",    "测评内容",
                                                 "标准编码", "测评标准", "分值",        "测评方法",
                                                 "牵头单位", "责任单位", "考察点位类型"};

static const struct sheet_column fw_sheet_columns[FC_NCOLS] = {
    {"项目编码", 1, 's', "如 1；与上一行相同时可留空（合并单元格）"},
    {"测评项目", 1, 's', "最多 500 个字；与上一行相同时可留空"},
    {"内容编码", 1, 's', "以项目编码加“.”开头，如 1.2；与上一行相同时可留空"},
    {"测评内容", 1, 's', "最多 500 个字；与上一行相同时可留空"},
    {"标准编码", 1, 's', "以内容编码加“.”开头，如 1.2.3；不能重复"},
    {"测评标准", 1, 's', "标准的内容，最多 500 个字"},
    {"分值", 1, 'n', "0 到 100 的数"},
    {"测评方法", 1, 's',
     "实地考察、问卷调查、网上申报、数据/部门评价，多个用“、”分隔；分值在这些方法之间平均分配"},
    {"牵头单位", 0, 's', "已有单位的名称；重名时写完整路径"},
    {"责任单位", 0, 's', "已有单位，多个用“、”分隔"},
    {"考察点位类型", 0, 's', "已有点位类型的名称或编码，多个用“、”分隔；只用于实地考察"},
};

int framework_template(struct req *r)
{
	static const char *const example[FC_NCOLS] = {
	    "1",
	    "理想信念教育",
	    "1.1",
	    "社会主义核心价值观宣传",
	    "1.1.1",
	    "主次干道、公共场所设置社会主义核心价值观公益广告，内容规范、无破损",
	    "1.2",
	    "实地考察、网上申报",
	    "县委宣传部",
	    "县城管执法局、县住建局",
	    "主次干道、公共广场"};
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
	static const char *const seps[] = {"、", "，", "；", ",", ";"};
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

			while (b < e && *b == ' ')
				b++;
			while (e > b && e[-1] == ' ')
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

struct fw_node {
	const char *code, *title;
	int parent; /* index into the projects (contents) */
	int row;
	int64_t id;
};

struct fw_standard {
	struct indicator ind;
	int content;
	int64_t *units, *types;
	int nunits, ntypes;
};

struct fw_import {
	struct req *r;
	json_t *errors;
	const struct unit *units;
	int nunits;
	const struct point_type *types;
	int ntypes;
	struct fw_node *projects, *contents;
	int nprojects, ncontents;
	struct fw_standard *standards;
	int nstandards;
	const char *pcode, *ptitle, *ccode, *ctitle; /* carried from the row above */
};

/* The project (level 1) or content (level 2) of a row: found by code or added. */
static int fw_node(struct fw_import *x, struct fw_node *nodes, int *n, const char *code,
                   const char *title, int parent, int row, const char *col_code,
                   const char *col_title)
{
	int i;

	for (i = 0; i < *n; i++)
		if (!strcmp(nodes[i].code, code)) {
			if (strcmp(nodes[i].title, title))
				org_import_error(x->errors, row, col_title,
				                 "编码 %s 在第 %d 行的名称是“%s”，此处不一致", code,
				                 nodes[i].row, nodes[i].title);
			else if (nodes[i].parent != parent)
				org_import_error(x->errors, row, col_code,
				                 "编码 %s 在第 %d 行属于另一个测评项目", code,
				                 nodes[i].row);
			return i;
		}
	nodes[*n].code = code;
	nodes[*n].title = title;
	nodes[*n].parent = parent;
	nodes[*n].row = row;
	return (*n)++;
}

/* 1 when code starts with prefix and ".". */
static int code_under(const char *code, const char *prefix)
{
	size_t n = strlen(prefix);

	return !strncmp(code, prefix, n) && code[n] == '.' && code[n + 1];
}

static const char *carry(const char *cell, const char **carried)
{
	if (*cell)
		*carried = cell;
	return *carried ? *carried : "";
}

static void fw_import_row(struct fw_import *x, const struct sheet_row *row, const int *col)
{
	struct arena *a = &x->r->arena;
	struct fw_standard *s = &x->standards[x->nstandards];
	const char *pcode, *ptitle, *ccode, *ctitle, *weight, *lead, **list;
	int nrow = row->number, i, k, n, project, content,
	    errors0 = (int)json_array_size(x->errors);
	char *end;

#define CELL(c) arena_strdup(a, col[c] >= 0 ? sheet_cell(row, col[c]) : "")
	pcode = CELL(FC_PCODE);
	ptitle = CELL(FC_PROJECT);
	ccode = CELL(FC_CCODE);
	ctitle = CELL(FC_CONTENT);
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
	s->ind.level = 3;
	s->ind.code = CELL(FC_SCODE);
	s->ind.title = CELL(FC_STANDARD);
	weight = CELL(FC_WEIGHT);
	lead = CELL(FC_LEAD);

	if (!master_code_ok(pcode))
		org_import_error(x->errors, nrow, "项目编码",
		                 "项目编码不能为空，只能包含字母、数字、.、- 和 _");
	if (!*ptitle || utf8_chars(ptitle) > IND_TITLE_MAX || org_has_control(ptitle))
		org_import_error(x->errors, nrow, "测评项目", "测评项目不能为空，最多 %d 个字",
		                 IND_TITLE_MAX);
	if (!master_code_ok(ccode) || !code_under(ccode, pcode))
		org_import_error(x->errors, nrow, "内容编码", "内容编码应以项目编码“%s.”开头",
		                 pcode);
	if (!*ctitle || utf8_chars(ctitle) > IND_TITLE_MAX || org_has_control(ctitle))
		org_import_error(x->errors, nrow, "测评内容", "测评内容不能为空，最多 %d 个字",
		                 IND_TITLE_MAX);
	if (!master_code_ok(s->ind.code) || !code_under(s->ind.code, ccode))
		org_import_error(x->errors, nrow, "标准编码", "标准编码应以内容编码“%s.”开头",
		                 ccode);
	for (i = 0; i < x->nstandards; i++)
		if (!strcmp(x->standards[i].ind.code, s->ind.code))
			org_import_error(x->errors, nrow, "标准编码", "与第 %d 行的标准编码重复",
			                 (int)x->standards[i].ind.sort);
	for (i = 0; i < x->nprojects + x->ncontents; i++) {
		const struct fw_node *nd =
		    i < x->nprojects ? &x->projects[i] : &x->contents[i - x->nprojects];

		if (!strcmp(nd->code, s->ind.code))
			org_import_error(x->errors, nrow, "标准编码",
			                 "与第 %d 行的项目或内容编码重复", nd->row);
	}
	if (!*s->ind.title || utf8_chars(s->ind.title) > IND_TITLE_MAX ||
	    org_has_control(s->ind.title))
		org_import_error(x->errors, nrow, "测评标准", "测评标准不能为空，最多 %d 个字",
		                 IND_TITLE_MAX);
	s->ind.weight = strtod(weight, &end);
	if (!*weight || *end || !(s->ind.weight >= 0 && s->ind.weight <= 100))
		org_import_error(x->errors, nrow, "分值", "分值应为 0 到 100 之间的数");
	s->ind.methods = methods_from_cell(CELL(FC_METHODS));
	if (s->ind.methods <= 0)
		org_import_error(x->errors, nrow, "测评方法",
		                 "测评方法应为实地考察、问卷调查、网上申报或数据/部门评价");
	if (*lead) {
		s->ind.lead_unit_id = master_unit_by_name(x->units, x->nunits, lead, a);
		if (s->ind.lead_unit_id < 0)
			org_import_error(x->errors, nrow, "牵头单位",
			                 s->ind.lead_unit_id == -1
			                     ? "找不到单位“%s”"
			                     : "有多个单位名为“%s”，请写完整路径",
			                 lead);
	}
	n = split_list(CELL(FC_UNITS), a, &list);
	s->units = arena_calloc(a, (size_t)(n + 1) * sizeof(int64_t));
	for (i = 0; i < n; i++) {
		int64_t id = master_unit_by_name(x->units, x->nunits, list[i], a);

		if (id < 0)
			org_import_error(x->errors, nrow, "责任单位",
			                 id == -1 ? "找不到单位“%s”"
			                          : "有多个单位名为“%s”，请写完整路径",
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
			org_import_error(x->errors, nrow, "考察点位类型", "找不到点位类型“%s”",
			                 list[i]);
		for (k = 0; id && k < s->ntypes; k++)
			if (s->types[k] == id)
				id = 0;
		if (id)
			s->types[s->ntypes++] = id;
	}
	if (s->ntypes && s->ind.methods > 0 && !(s->ind.methods & METHOD_FIELD))
		org_import_error(x->errors, nrow, "考察点位类型",
		                 "只有实地考察的测评标准才填写考察点位类型");
#undef CELL
	if ((int)json_array_size(x->errors) > errors0)
		return; /* keep the tree clean of rows that failed */
	project =
	    fw_node(x, x->projects, &x->nprojects, pcode, ptitle, -1, nrow, "项目编码", "测评项目");
	content = fw_node(x, x->contents, &x->ncontents, ccode, ctitle, project, nrow, "内容编码",
	                  "测评内容");
	s->content = content;
	s->ind.sort = nrow; /* also the row number for the duplicate message */
	x->nstandards++;
}

/* Write the checked tree into the new framework fid. */
static int fw_import_write(struct fw_import *x, int64_t fid, struct error *e)
{
	struct store_conn *c = x->r->db;
	int i, rc = 0;

	for (i = 0; !rc && i < x->nprojects; i++) {
		struct indicator ind = {0};

		ind.framework_id = fid;
		ind.level = 1;
		ind.code = x->projects[i].code;
		ind.title = x->projects[i].title;
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
	return rc;
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
	struct sheet sh = SHEET_INIT;
	struct type_filter tf = {NULL, -1, 0, 0};
	struct fw_import x;
	struct framework f;
	struct unit *units;
	struct point_type *types;
	struct error e;
	const char *filename;
	const void *data;
	size_t len;
	int64_t total;
	int col[FC_NCOLS], i, rc;

	memset(&x, 0, sizeof(x));
	memset(&f, 0, sizeof(f));
	error_init(&e);
	if (req_multipart_file(r, "file", &data, &len, &filename, &e) ||
	    sheet_read(data, len, filename, &sh, &e)) {
		sheet_release(&sh);
		return req_fail_error(r, &e);
	}
	if (import_name(r, filename, &f.name) || !req_db(r) ||
	    unit_all(r->db, r->who->tenant_id, &r->arena, &units, &x.nunits, &e) ||
	    point_type_list(r->db, r->who->tenant_id, &tf, &r->arena, &types, &x.ntypes, &total,
	                    &e)) {
		sheet_release(&sh);
		return r->err.code ? r->err.code : req_fail_error(r, &e);
	}
	x.r = r;
	x.units = units;
	x.types = types;
	x.errors = json_array();
	if (org_import_header(&sh, fw_columns, FC_NCOLS, 8, col, x.errors)) {
		sheet_release(&sh);
		return http_reply_import_errors(r, x.errors);
	}
	x.projects = arena_calloc(&r->arena, (size_t)sh.nrows * sizeof(*x.projects));
	x.contents = arena_calloc(&r->arena, (size_t)sh.nrows * sizeof(*x.contents));
	x.standards = arena_calloc(&r->arena, (size_t)sh.nrows * sizeof(*x.standards));
	for (i = 1; i < sh.nrows; i++)
		fw_import_row(&x, &sh.rows[i], col);
	sheet_release(&sh);
	if (json_array_size(x.errors))
		return http_reply_import_errors(r, x.errors);
	json_decref(x.errors);
	f.note = "";
	rc = store_begin(r->db, 1, &e);
	if (!rc)
		rc = framework_insert(r->db, r->who->tenant_id, &f, &e);
	if (!rc)
		rc = fw_import_write(&x, f.id, &e);
	if (!rc)
		rc = req_audit(r, r->db, "framework.import", "framework", f.id,
		               json_pack("{s:s, s:s, s:i, s:i, s:i}", "name", f.name, "file",
		                         filename ? filename : "", "projects", x.nprojects,
		                         "contents", x.ncontents, "standards", x.nstandards));
	if (req_tx_end(r, r->db, rc, &e) ||
	    framework_get(r->db, r->who->tenant_id, f.id, &r->arena, &f, &e))
		return r->err.code ? r->err.code : req_fail_error(r, &e);
	return req_reply_json(r, 201,
	                      json_pack("{s:o, s:{s:i, s:i, s:i}, s:[]}", "framework",
	                                framework_json(&f), "imported", "projects", x.nprojects,
	                                "contents", x.ncontents, "standards", x.nstandards,
	                                "errors"));
}

/* Names of the refs of indicator id joined with "、". */
static const char *refs_cell(const struct ref *refs, int n, int64_t id, struct arena *a)
{
	const char *out = "";
	int i;

	for (i = 0; i < n; i++)
		if (refs[i].owner == id)
			out = *out ? arena_printf(a, "%s、%s", out, refs[i].name) : refs[i].name;
	return out;
}

static const char *methods_cell(int bits, struct arena *a)
{
	static const char *const zh[] = {"实地考察", "问卷调查", "网上申报", "数据/部门评价"};
	const char *out = "";
	int i;

	for (i = 0; i < 4; i++)
		if (bits & (1 << i))
			out = *out ? arena_printf(a, "%s、%s", out, zh[i]) : zh[i];
	return out;
}

/* One export row of standard s under content c of project p. */
static int export_row(struct req *r, struct sheet_writer *w, const struct indicator *p,
                      const struct indicator *c, const struct indicator *s, const struct ref *units,
                      int nu, const struct ref *types, int nt, struct error *e)
{
	const char *cells[FC_NCOLS] = {p->code,
	                               p->title,
	                               c->code,
	                               c->title,
	                               s->code,
	                               s->title,
	                               arena_printf(&r->arena, "%g", s->weight),
	                               methods_cell(s->methods, &r->arena),
	                               s->lead_unit_name,
	                               refs_cell(units, nu, s->id, &r->arena),
	                               refs_cell(types, nt, s->id, &r->arena)};

	return sheet_writer_row_typed(w, "ssssssn", cells, e);
}

int framework_export(struct req *r)
{
	struct framework f;
	struct indicator *all;
	struct ref *units, *types;
	struct sheet_writer w;
	struct error e;
	void *data = NULL;
	size_t len = 0;
	int n, nu, nt, i, j, k, rows = 0, rc;

	if (inspect_framework_param(r, "id", &f))
		return r->err.code;
	error_init(&e);
	if (indicator_all(r->db, f.id, &r->arena, &all, &n, &units, &nu, &types, &nt, &e))
		return req_fail_error(r, &e);
	rc = sheet_writer_init(&w, "测评体系", fw_columns, FC_NCOLS, &e);
	/* tree order: projects, their contents, their standards */
	for (i = 0; !rc && i < n; i++)
		for (k = 0; !rc && all[i].level == 1 && k < n; k++)
			for (j = 0; !rc && all[k].parent_id == all[i].id && j < n; j++)
				if (all[j].parent_id == all[k].id) {
					rc = export_row(r, &w, &all[i], &all[k], &all[j], units, nu,
					                types, nt, &e);
					rows++;
				}
	if (!rc)
		rc = sheet_writer_finish(&w, &data, &len, &e);
	sheet_writer_release(&w);
	if (rc) {
		free(data);
		return req_fail_error(r, &e);
	}
	if (http_audit_alone(
	        r, "framework.export", "framework",
	        json_pack("{s:I, s:i}", "framework_id", (json_int_t)f.id, "rows", rows))) {
		free(data);
		return r->err.code;
	}
	return http_reply_xlsx(r, data, len, "framework", f.name);
}

/*
 * api_framework_export.c - a framework version as the spreadsheet offices
 * keep (GET /frameworks/{id}/export): the standards, the 负面清单 and the
 * checklists, in the columns the import reads (framework_sheet.h).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
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

/* The methods as the sheet wrote them; a hand-made standard's in the built-in words. */
static const char *methods_cell(const struct indicator *s, struct arena *a)
{
	static const char *const zh[] = {"实地考察", "问卷调查", "网上申报", "数据/部门评价"};
	const char *out = "";
	int i;

	if (s->method_text && *s->method_text)
		return s->method_text;
	for (i = 0; i < 4; i++)
		if (s->methods & (1 << i))
			out = *out ? arena_printf(a, "%s、%s", out, zh[i]) : zh[i];
	return out;
}

static const char *section_cell(const char *section)
{
	if (section && !strcmp(section, SECTION_MINORS))
		return "未成年人";
	if (section && !strcmp(section, SECTION_FEATURE))
		return "特色指标";
	return "";
}

/* One export row of standard s under content c of project p. */
/* The 评分方式 cell: the sheet's words, or the scheme edited since (grading_cell)
 * unless a blank cell reads as it. */
static const char *grading_cell_of(const struct indicator *s, struct arena *a)
{
	struct grading g;
	json_t *hold;
	char cell[512];
	const char *out = "";

	if (s->grading_text && *s->grading_text)
		return s->grading_text;
	if (!grading_load(s->grading, &g, &hold)) {
		struct grading implied;
		char *rules = NULL, msg[160];
		json_t *mine = grading_json(&g), *blank = NULL;

		/* a blank cell the import reads as this scheme (levels from the text) stays blank
		 */
		if (!grading_parse_cell("", s->title, &implied, &rules, msg))
			blank = grading_json(&implied);
		if (!(blank && json_equal(blank, mine)) && !grading_cell(&g, cell, sizeof(cell)))
			out = arena_strdup(a, cell);
		json_decref(blank);
		json_decref(mine);
		free(rules);
	}
	json_decref(hold);
	return out;
}

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
	                               methods_cell(s, &r->arena),
	                               s->lead_unit_name,
	                               refs_cell(units, nu, s->id, &r->arena),
	                               refs_cell(types, nt, s->id, &r->arena),
	                               grading_cell_of(s, &r->arena),
	                               section_cell(p->section)};

	return sheet_writer_row_typed(w, "ssssssn", cells, e);
}

/* The 负面清单 and the checklists, each on its own worksheet when there are any. */
static int export_extra_sheets(struct req *r, struct sheet_writer *w, int64_t fid,
                               const struct indicator *all, int n, struct error *e)
{
	struct negative_item *negs;
	struct checklist_item *items;
	struct point_type *types;
	struct type_filter tf = {NULL, -1, 0, 0};
	int nnegs, nitems, ntypes, i, k, rc;
	int64_t total;

	rc = negative_items_list(r->db, fid, &r->arena, &negs, &nnegs, e);
	if (!rc && nnegs)
		rc = sheet_writer_next_sheet(w, "负面清单", neg_columns, 4, e);
	for (i = 0; !rc && i < nnegs; i++) {
		const char *cells[4] = {negs[i].code, negs[i].title,
		                        negs[i].deduction > 0 || !negs[i].veto
		                            ? arena_printf(&r->arena, "%g", negs[i].deduction)
		                            : "",
		                        negs[i].veto ? "是" : ""};

		rc = sheet_writer_row_typed(w, "ssn", cells, e);
	}
	if (!rc)
		rc = checklist_list(r->db, fid, 0, &r->arena, &items, &nitems, e);
	if (!rc && nitems)
		rc = point_type_list(r->db, r->who->tenant_id, &tf, &r->arena, &types, &ntypes,
		                     &total, e);
	if (!rc && nitems)
		rc = sheet_writer_next_sheet(w, "检查项", chk_columns, KC_NCOLS, e);
	for (i = 0; !rc && i < nitems; i++) {
		const char *type = "";
		const char *cells[KC_NCOLS];

		for (k = 0; k < ntypes; k++)
			if (types[k].id == items[i].point_type_id)
				type = types[k].name;
		cells[KC_TYPE] = type;
		cells[KC_CODE] = items[i].code;
		cells[KC_TITLE] = items[i].title;
		cells[KC_STANDARD] = items[i].standard_code;
		cells[KC_CATEGORY] = items[i].category_name;
		rc = sheet_writer_row(w, cells, e);
	}
	(void)all;
	(void)n;
	return rc;
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
		rc = export_extra_sheets(r, &w, f.id, all, n, &e);
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

/*
 * api_materials_import.c - /materials/import: the office's catalogue as a
 * spreadsheet (one row per item), checked row by row against the framework's
 * standards, the units and the codes already there; all rows or none.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth/auth.h"
#include "http/req.h"
#include "http/router.h"
#include "inspect/inspect.h"
#include "master/master_api.h"
#include "materials/materials.h"
#include "materials/materials_api.h"
#include "core/utf8.h"
#include "http/reply.h"
#include "org/org.h"
#include "store/store.h"

enum { MC_CODE, MC_TITLE, MC_TYPE, MC_STANDARD, MC_LEAD, MC_UNITS, MC_DEADLINE, MC_REQ, MC_NCOLS };

static const struct sheet_column columns[MC_NCOLS] = {
    {"材料编号", 1, 's', "本测评体系内唯一，如 1.1.2-1"},
    {"材料名称", 1, 's', "不超过 200 字"},
    {"类型", 1, 's', "说明报告、图片资料、数据表格、部门评价或其他"},
    {"测评标准编号", 1, 's', "测评体系中第三级指标的编号，如 1.1.2"},
    {"牵头单位", 1, 's', "单位名称或路径，如 县文明办"},
    {"责任单位", 0, 's', "多个单位用顿号、逗号或分号隔开"},
    {"截止日期", 1, 's', "YYYY-MM-DD"},
    {"材料要求", 0, 's', "时间范围、篇幅、格式、照片数量等"},
};

static int materials_template(struct req *r)
{
	static const char *const example[MC_NCOLS] = {
	    "1.1.2-1",    "党史学习教育工作情况说明",
	    "说明报告",   "1.1.2",
	    "县委宣传部", "县文明办、县教育局",
	    "2026-06-30", "2024年1月以来；不超过5页；Word或PDF"};

	return master_reply_template(r, "材料目录", columns, MC_NCOLS, example,
	                             "materials-template", "申报材料目录导入模板");
}

/* A date cell: "YYYY-MM-DD" (also with / or .) or an Excel serial day; 0 and out on success. */
static int cell_date(const char *s, int date1904, char out[11])
{
	int y, m, d;
	char sep1, sep2;

	if (sscanf(s, "%4d%c%2d%c%2d", &y, &sep1, &m, &sep2, &d) == 5 && sep1 == sep2 &&
	    strchr("-/.", sep1) && y >= 2000 && y <= 2100 && m >= 1 && m <= 12 && d >= 1 &&
	    d <= 31) {
		snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
		return 0;
	}
	if (*s && strspn(s, "0123456789.") == strlen(s)) {
		double serial = atof(s);
		time_t t;
		struct tm tm;

		if (serial < 36526 || serial > 73051) /* 2000-01-01 .. 2100-01-01 */
			return -1;
		t = (time_t)((long)serial - (date1904 ? 24107 : 25569)) * 86400;
		gmtime_r(&t, &tm);
		strftime(out, 11, "%Y-%m-%d", &tm);
		return 0;
	}
	return -1;
}

/* Find unit text among units; report a missing or ambiguous one. */
static int64_t find_unit(const struct unit *units, int n, const char *text, json_t *errors, int row,
                         const char *field, struct arena *a)
{
	int matches = 0, i = unit_find(units, n, text, &matches, a);

	if (i < 0 || matches == 0) {
		org_import_error(errors, row, field, "单位“%s”不存在", text);
		return 0;
	}
	if (matches > 1) {
		org_import_error(errors, row, field, "单位“%s”有重名，请写成路径，如 上级单位/%s",
		                 text, text);
		return 0;
	}
	return units[i].id;
}

static int materials_import(struct req *r)
{
	struct master_import im;
	struct material_item *items;
	struct material_filter f;
	struct material_item *existing;
	struct indicator *inds;
	struct ref *refs, *types;
	struct unit *units;
	struct scope all = SCOPE_EVERYTHING;
	struct error e;
	int64_t fw, total;
	int nexisting, ninds, nrefs, ntypes, nunits, n = 0, i, k, rc;

	if (materials_framework_param(r, &fw))
		return r->err.code;
	error_init(&e);
	if (master_import_open(r, &im, columns, MC_NCOLS))
		return r->err.code;
	memset(&f, 0, sizeof(f));
	f.scope = &all;
	f.framework_id = fw;
	if (indicator_all(r->db, fw, &r->arena, &inds, &ninds, &refs, &nrefs, &types, &ntypes,
	                  &e) ||
	    unit_all(r->db, r->who->tenant_id, &r->arena, &units, &nunits, &e) ||
	    material_list(r->db, r->who->tenant_id, &f, &r->arena, &existing, &nexisting, &total,
	                  &e)) {
		master_import_release(&im);
		return req_fail_error(r, &e);
	}
	items = arena_calloc(&r->arena, sizeof(*items) * (size_t)(im.sh.nrows + 1));
	for (i = 1; i < im.sh.nrows; i++) {
		const struct sheet_row *row = &im.sh.rows[i];
		struct material_item *it = &items[n];
		const char *c[MC_NCOLS];
		char *list, *tok, *save = NULL;
		int rn = row->number, bad = (int)json_array_size(im.errors);

		for (k = 0; k < MC_NCOLS; k++)
			c[k] = master_import_cell(&im, row, k);
		it->framework_id = fw;
		it->code = c[MC_CODE];
		it->title = c[MC_TITLE];
		it->requirement = c[MC_REQ];
		it->sort = i;
		if (!*it->code || strlen(it->code) > MAT_CODE_MAX)
			org_import_error(im.errors, rn, "材料编号",
			                 "材料编号不能为空，不超过 %d 个字符", MAT_CODE_MAX);
		for (k = 0; k < nexisting; k++)
			if (!strcmp(existing[k].code, it->code))
				org_import_error(im.errors, rn, "材料编号", "材料编号 %s 已存在",
				                 it->code);
		for (k = 0; k < n; k++)
			if (!strcmp(items[k].code, it->code))
				org_import_error(im.errors, rn, "材料编号",
				                 "材料编号 %s 与前面的行重复", it->code);
		if (!*it->title || strlen(it->title) > MAT_TITLE_MAX * 3)
			org_import_error(im.errors, rn, "材料名称",
			                 "材料名称不能为空，不超过 %d 字", MAT_TITLE_MAX);
		if (!(it->type = material_type_key(c[MC_TYPE])))
			org_import_error(im.errors, rn, "类型",
			                 "类型应为 说明报告、图片资料、数据表格、部门评价 或 其他");
		for (k = 0; k < ninds; k++)
			if (inds[k].level == 3 && !strcmp(inds[k].code, c[MC_STANDARD]))
				it->standard_id = inds[k].id;
		if (!it->standard_id)
			org_import_error(im.errors, rn, "测评标准编号",
			                 "测评体系中没有编号为“%s”的测评标准", c[MC_STANDARD]);
		if (*c[MC_LEAD])
			it->lead_unit_id = find_unit(units, nunits, c[MC_LEAD], im.errors, rn,
			                             "牵头单位", &r->arena);
		else
			org_import_error(im.errors, rn, "牵头单位", "牵头单位不能为空");
		list = arena_strdup(&r->arena, c[MC_UNITS]);
		/* 、，； are multi-byte: turn them into ASCII separators first */
		for (tok = list; *tok; tok++)
			if (!strncmp(tok, "、", 3) || !strncmp(tok, "，", 3) ||
			    !strncmp(tok, "；", 3))
				memset(tok, ',', 3);
		for (tok = strtok_r(list, ",;", &save); tok; tok = strtok_r(NULL, ",;", &save)) {
			int64_t id;

			while (*tok == ' ')
				tok++;
			if (!*tok)
				continue;
			if (it->nunits == MAT_MAX_UNITS) {
				org_import_error(im.errors, rn, "责任单位",
				                 "责任单位不能超过 %d 个", MAT_MAX_UNITS);
				break;
			}
			if ((id = find_unit(units, nunits, tok, im.errors, rn, "责任单位",
			                    &r->arena)))
				it->unit_ids[it->nunits++] = id;
		}
		it->deadline = arena_alloc(&r->arena, 11);
		if (cell_date(c[MC_DEADLINE], im.sh.date1904, (char *)it->deadline))
			org_import_error(im.errors, rn, "截止日期", "截止日期应为 YYYY-MM-DD");
		if ((int)json_array_size(im.errors) == bad)
			n++;
	}
	if (master_import_refused(r, &im))
		return 0;
	rc = store_begin(r->db, 1, &e);
	for (i = 0; rc == 0 && i < n; i++) {
		rc = material_insert(r->db, r->who->tenant_id, r->who->user_id, &items[i], &e);
		if (!rc)
			rc = material_event_add(r->db, r->who->tenant_id, items[i].id, 0, "create",
			                        r->who->user_id, r->who->unit_id, "导入", &e);
	}
	return master_import_commit(r, &im, rc, &e, "material.import", "material_item", n);
}

void materials_import_routes(struct router *rt)
{
	router_add(rt, "GET", "/api/v1/materials/import/template", materials_template,
	           "material:edit", 0);
	router_add(rt, "POST", "/api/v1/materials/import", materials_import, "material:edit",
	           MASTER_IMPORT_MAX_BODY);
}

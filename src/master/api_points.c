/*
 * api_points.c - /point-types and /points, with the points' xlsx export,
 * template and all-or-nothing import.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "http/json_io.h"
#include "http/reply.h"
#include "http/req.h"
#include "http/router.h"
#include "master/master_api.h"
#include "org/org.h"
#include "spreadsheet/spreadsheet.h"
#include "store/store.h"

/* ---- point types ------------------------------------------------------------ */

static const char *const type_keys[] = {"code",        "name",       "sort",       "enabled", "id",
                                        "point_count", "created_at", "updated_at", NULL};

static int types_list(struct req *r)
{
	struct type_filter f;
	struct point_type *types;
	struct error e;
	int64_t total = 0;
	json_t *items;
	int i, n;

	memset(&f, 0, sizeof(f));
	f.keyword = req_query(r, "keyword");
	if (http_query_bool(r, "enabled", &f.enabled) || req_page(r, &f.offset, &f.limit) ||
	    !req_db(r))
		return r->err.code;
	error_init(&e);
	if (point_type_list(r->db, r->who->tenant_id, &f, &r->arena, &types, &n, &total, &e))
		return req_fail_error(r, &e);
	items = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(items, point_type_json(&types[i]));
	return req_reply_json(r, 200,
	                      json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)total));
}

static int types_get(struct req *r)
{
	struct point_type t;
	struct error e;
	int64_t id;

	if (req_param_id(r, "id", &id) || !req_db(r))
		return r->err.code;
	error_init(&e);
	if (point_type_get(r->db, r->who->tenant_id, id, &r->arena, &t, &e))
		return req_fail_error(r, &e);
	return req_reply_json(r, 200, point_type_json(&t));
}

static int types_save(struct req *r, int create)
{
	struct point_type t;
	struct error e;
	json_t *body;
	int64_t id = 0;
	int rc;

	memset(&t, 0, sizeof(t));
	t.enabled = 1;
	if ((!create && req_param_id(r, "id", &id)) || req_body_json(r, &body) || !req_db(r))
		return r->err.code;
	error_init(&e);
	if (!create && point_type_get(r->db, r->who->tenant_id, id, &r->arena, &t, &e))
		return req_fail_error(r, &e);
	if (json_only_keys(body, type_keys, &e) ||
	    master_code_name(body, create, &t.code, &t.name, &e) ||
	    json_get_int(body, "sort", 0, 0, MASTER_SORT_MAX, &t.sort, &e) ||
	    json_get_bool(body, "enabled", 0, &t.enabled, &e))
		return req_fail_error(r, &e);
	rc = store_begin(r->db, 1, &e);
	if (!rc)
		rc = create ? point_type_insert(r->db, r->who->tenant_id, &t, &e)
		            : point_type_update(r->db, r->who->tenant_id, &t, &e);
	if (!rc)
		rc = req_audit(r, r->db, create ? "point_type.create" : "point_type.update",
		               "point_type", t.id,
		               json_pack("{s:s, s:s}", "code", t.code, "name", t.name));
	if (req_tx_end(r, r->db, rc, &e) ||
	    point_type_get(r->db, r->who->tenant_id, t.id, &r->arena, &t, &e))
		return r->err.code ? r->err.code : req_fail_error(r, &e);
	return req_reply_json(r, create ? 201 : 200, point_type_json(&t));
}

static int types_create(struct req *r)
{
	return types_save(r, 1);
}

static int types_update(struct req *r)
{
	return types_save(r, 0);
}

static int types_delete(struct req *r)
{
	struct point_type t;
	struct error e;
	int64_t id;
	int rc;

	if (req_param_id(r, "id", &id) || !req_db(r))
		return r->err.code;
	error_init(&e);
	if (point_type_get(r->db, r->who->tenant_id, id, &r->arena, &t, &e))
		return req_fail_error(r, &e);
	rc = store_begin(r->db, 1, &e);
	if (!rc)
		rc = point_type_delete(r->db, r->who->tenant_id, id, &e);
	if (!rc)
		rc = req_audit(r, r->db, "point_type.delete", "point_type", id,
		               json_pack("{s:s, s:s}", "code", t.code, "name", t.name));
	if (req_tx_end(r, r->db, rc, &e))
		return r->err.code;
	return req_reply_empty(r);
}

/* ---- point types: export, template, import ---------------------------------- */

enum { TC_CODE, TC_NAME, TC_SORT, TC_STATUS, TC_NCOLS };

static const struct sheet_column type_sheet_columns[TC_NCOLS] = {
    {"类型编码", 1, 's', "字母、数字、-、_ 和 .，最多 32 位；不能与已有类型重复"},
    {"类型名称", 1, 's', "最多 64 个字；不能与已有类型重名"},
    {"排序", 0, 'n', "0–99999 的整数，小的在前；留空为 0"},
    {"状态", 0, 's', "启用 或 停用；留空为启用"},
};

/* GET /point-types/export: what the list's filters select, with the point counts; audited. */
static int types_export(struct req *r)
{
	static const char *const filters[] = {"keyword", "enabled", NULL};
	static const char *const computed[] = {"点位数", NULL};
	struct type_filter f;
	struct point_type *types;
	struct sheet_writer w;
	struct error e;
	int64_t total;
	int i, n, rc;

	memset(&f, 0, sizeof(f));
	f.keyword = req_query(r, "keyword");
	if (http_query_bool(r, "enabled", &f.enabled) || !req_db(r))
		return r->err.code;
	error_init(&e);
	if (point_type_list(r->db, r->who->tenant_id, &f, &r->arena, &types, &n, &total, &e))
		return req_fail_error(r, &e);
	rc = master_writer_init(&w, "点位类型", type_sheet_columns, TC_NCOLS, computed, &r->arena,
	                        &e);
	for (i = 0; rc == 0 && i < n; i++) {
		const struct point_type *t = &types[i];
		const char *cells[TC_NCOLS + 1] = {t->code, t->name, master_int_text(r, t->sort),
		                                   t->enabled ? "启用" : "停用",
		                                   master_int_text(r, t->point_count)};

		rc = sheet_writer_row_typed(&w, "ssnsn", cells, &e);
	}
	return http_reply_export(r, &w, rc, &e, "point_type.export", "point_type",
	                         http_query_summary(r, filters, n), "point-types", "点位类型");
}

/* GET /point-types/import/template */
static int types_template(struct req *r)
{
	static const char *const example[TC_NCOLS] = {"T27", "城市书房", "270", "启用"};

	return master_reply_template(r, "点位类型", type_sheet_columns, TC_NCOLS, example,
	                             "point-types-template", "点位类型导入模板");
}

/* The code and the name of types[i] are taken by no type of the tenant and no earlier row. */
static void type_import_unique(const struct master_import *im, const struct point_type *types,
                               int i, const struct point_type *existing, int nexisting)
{
	int f, k;

	for (f = 0; f < 2; f++) {
		const char *v = f ? types[i].name : types[i].code,
		           *field = f ? "类型名称" : "类型编码";
		int taken = 0;

		for (k = 0; *v && !taken && k < nexisting; k++)
			taken = !strcmp(f ? existing[k].name : existing[k].code, v) ? -1 : 0;
		for (k = 0; *v && !taken && k < i; k++)
			if (!strcmp(f ? types[k].name : types[k].code, v))
				taken = im->sh.rows[k + 1].number;
		if (taken)
			master_import_taken(im->errors, im->sh.rows[i + 1].number, field, v,
			                    taken > 0 ? taken : 0);
	}
}

/* POST /point-types/import (multipart "file"): every row or none. */
static int types_import(struct req *r)
{
	struct master_import im;
	struct type_filter tf = {NULL, -1, 0, 0};
	struct point_type *existing, *types;
	struct error e;
	int64_t total;
	int nexisting, n, i, rc;

	error_init(&e);
	if (master_import_open(r, &im, type_sheet_columns, TC_NCOLS))
		return r->err.code;
	if (point_type_list(r->db, r->who->tenant_id, &tf, &r->arena, &existing, &nexisting, &total,
	                    &e)) {
		master_import_release(&im);
		return req_fail_error(r, &e);
	}
	n = im.sh.nrows - 1;
	types = arena_calloc(&r->arena, (size_t)im.sh.nrows * sizeof(*types));
	for (i = 0; i < n; i++) {
		const struct sheet_row *row = &im.sh.rows[i + 1];
		struct point_type *t = &types[i];
		const char *sort = master_import_cell(&im, row, TC_SORT);

		t->code = master_import_cell(&im, row, TC_CODE);
		t->name = master_import_cell(&im, row, TC_NAME);
		if (!master_code_ok(t->code))
			org_import_error(
			    im.errors, row->number, "类型编码",
			    "类型编码不能为空，只能包含字母、数字、-、_ 和 .，最多 %d 位",
			    MASTER_CODE_MAX);
		if (!*t->name || utf8_chars(t->name) > MASTER_NAME_MAX || org_has_control(t->name))
			org_import_error(im.errors, row->number, "类型名称",
			                 "类型名称不能为空，最多 %d 个字", MASTER_NAME_MAX);
		if (*sort && (t->sort = parse_count(sort, MASTER_SORT_MAX)) < 0)
			org_import_error(im.errors, row->number, "排序", "排序应为 0–%d 的整数",
			                 MASTER_SORT_MAX);
		if ((t->enabled = org_status_value(master_import_cell(&im, row, TC_STATUS))) < 0)
			org_import_error(im.errors, row->number, "状态", "状态应为“启用”或“停用”");
		type_import_unique(&im, types, i, existing, nexisting);
	}
	if (master_import_refused(r, &im))
		return 0;
	rc = store_begin(r->db, 1, &e);
	for (i = 0; rc == 0 && i < n; i++)
		rc = point_type_insert(r->db, r->who->tenant_id, &types[i], &e);
	return master_import_commit(r, &im, rc, &e, "point_type.import", "point_type", n);
}

/* ---- points ---------------------------------------------------------------------- */

static const char *const point_keys[] = {
    "type_id",   "code",      "name",      "lat",        "lng",        "address",
    "grid_id",   "unit_id",   "person",    "phone",      "enabled",    "id",
    "type_name", "grid_name", "unit_name", "created_at", "updated_at", NULL};

/* lat and lng of body: both numbers in range, or both null/absent (no location). */
static int location_fields(json_t *body, struct point *p, struct error *e)
{
	json_t *lat = json_object_get(body, "lat"), *lng = json_object_get(body, "lng");

	if (!lat && !lng)
		return 0;
	if ((!lat || json_is_null(lat)) && (!lng || json_is_null(lng))) {
		p->has_location = 0;
		return 0;
	}
	if (!json_is_number(lat) ||
	    !(json_number_value(lat) >= -90 && json_number_value(lat) <= 90))
		return error_set(e, ERR_INVALID, "lat", "纬度 lat 应为 -90 到 90 之间的数字");
	if (!json_is_number(lng) ||
	    !(json_number_value(lng) >= -180 && json_number_value(lng) <= 180))
		return error_set(e, ERR_INVALID, "lng", "经度 lng 应为 -180 到 180 之间的数字");
	p->has_location = 1;
	p->lat = json_number_value(lat);
	p->lng = json_number_value(lng);
	return 0;
}

static int point_fields(json_t *body, struct point *p, int create, struct error *e)
{
	int present = 0;

	if (master_code_name(body, create, &p->code, &p->name, e) ||
	    master_id_field(body, "type_id", &p->type_id, &present, e) ||
	    master_id_field(body, "grid_id", &p->grid_id, NULL, e) ||
	    master_id_field(body, "unit_id", &p->unit_id, NULL, e) ||
	    json_get_string(body, "address", JF_NULLABLE, 0, MASTER_ADDRESS_MAX, &p->address, e) ||
	    json_get_string(body, "person", JF_NULLABLE, 0, MASTER_PERSON_MAX, &p->person, e) ||
	    json_get_string(body, "phone", JF_NULLABLE, 0, MASTER_PHONE_MAX, &p->phone, e) ||
	    json_get_bool(body, "enabled", 0, &p->enabled, e) || location_fields(body, p, e))
		return e->code;
	if (!p->type_id)
		return error_set(e, ERR_INVALID, "type_id", "请选择点位类型");
	if (org_has_control(p->address) || org_has_control(p->person))
		return error_set(e, ERR_INVALID, org_has_control(p->address) ? "address" : "person",
		                 "不能包含换行等控制字符");
	if (!org_phone_ok(p->phone))
		return error_set(e, ERR_INVALID, "phone", "联系电话只能包含数字、空格、+ 和 -");
	return 0;
}

/* The type and grid a point names exist in the tenant. */
static int point_refs(struct req *r, const struct point *p)
{
	struct point_type t;
	struct grid g;
	struct error e;
	int rc;

	error_init(&e);
	rc = point_type_get(r->db, r->who->tenant_id, p->type_id, &r->arena, &t, &e);
	if (rc == ERR_NOT_FOUND)
		return req_fail(r, ERR_INVALID, "type_id", "点位类型不存在");
	if (!rc && p->grid_id &&
	    (rc = grid_get(r->db, r->who->tenant_id, p->grid_id, &r->arena, &g, &e)) ==
	        ERR_NOT_FOUND)
		return req_fail(r, ERR_INVALID, "grid_id", "网格不存在");
	if (rc)
		return req_fail_error(r, &e);
	return master_check_unit(r, p->unit_id, "unit_id");
}

static int point_filter_of(struct req *r, struct point_filter *f)
{
	memset(f, 0, sizeof(*f));
	f->keyword = req_query(r, "keyword");
	if (f->keyword && strlen(f->keyword) > 256)
		return req_fail(r, ERR_INVALID, "keyword", "关键字过长");
	if (http_query_id(r, "type_id", &f->type_id) || http_query_id(r, "grid_id", &f->grid_id) ||
	    http_query_id(r, "unit_id", &f->unit_id) || http_query_bool(r, "enabled", &f->enabled))
		return r->err.code;
	return 0;
}

static int points_list(struct req *r)
{
	struct point_filter f;
	struct point *points;
	struct error e;
	int64_t total = 0;
	json_t *items;
	int i, n;

	if (point_filter_of(r, &f) || req_page(r, &f.offset, &f.limit) || !req_db(r))
		return r->err.code;
	error_init(&e);
	if (point_list(r->db, r->who->tenant_id, &f, &r->arena, &points, &n, &total, &e))
		return req_fail_error(r, &e);
	items = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(items, point_json(&points[i]));
	return req_reply_json(r, 200,
	                      json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)total));
}

static int points_get(struct req *r)
{
	struct point p;
	struct error e;
	int64_t id;

	if (req_param_id(r, "id", &id) || !req_db(r))
		return r->err.code;
	error_init(&e);
	if (point_get(r->db, r->who->tenant_id, id, &r->arena, &p, &e))
		return req_fail_error(r, &e);
	return req_reply_json(r, 200, point_json(&p));
}

static int points_save(struct req *r, int create)
{
	struct point p;
	struct error e;
	json_t *body;
	int64_t id = 0;
	int rc;

	memset(&p, 0, sizeof(p));
	p.address = p.person = p.phone = "";
	p.enabled = 1;
	if ((!create && req_param_id(r, "id", &id)) || req_body_json(r, &body) || !req_db(r))
		return r->err.code;
	error_init(&e);
	if (!create && point_get(r->db, r->who->tenant_id, id, &r->arena, &p, &e))
		return req_fail_error(r, &e);
	if (json_only_keys(body, point_keys, &e) || point_fields(body, &p, create, &e))
		return req_fail_error(r, &e);
	if (point_refs(r, &p))
		return r->err.code;
	rc = store_begin(r->db, 1, &e);
	if (!rc)
		rc = create ? point_insert(r->db, r->who->tenant_id, &p, &e)
		            : point_update(r->db, r->who->tenant_id, &p, &e);
	if (!rc)
		rc = req_audit(r, r->db, create ? "point.create" : "point.update", "point", p.id,
		               json_pack("{s:s, s:s}", "code", p.code, "name", p.name));
	if (req_tx_end(r, r->db, rc, &e) ||
	    point_get(r->db, r->who->tenant_id, p.id, &r->arena, &p, &e))
		return r->err.code ? r->err.code : req_fail_error(r, &e);
	return req_reply_json(r, create ? 201 : 200, point_json(&p));
}

static int points_create(struct req *r)
{
	return points_save(r, 1);
}

static int points_update(struct req *r)
{
	return points_save(r, 0);
}

static int points_delete(struct req *r)
{
	struct point p;
	struct error e;
	int64_t id;
	int rc;

	if (req_param_id(r, "id", &id) || !req_db(r))
		return r->err.code;
	error_init(&e);
	if (point_get(r->db, r->who->tenant_id, id, &r->arena, &p, &e))
		return req_fail_error(r, &e);
	rc = store_begin(r->db, 1, &e);
	if (!rc)
		rc = point_delete(r->db, r->who->tenant_id, id, &e);
	if (!rc)
		rc = req_audit(r, r->db, "point.delete", "point", id,
		               json_pack("{s:s, s:s}", "code", p.code, "name", p.name));
	if (req_tx_end(r, r->db, rc, &e))
		return r->err.code;
	return req_reply_empty(r);
}

/* ---- points: export, template, import ------------------------------------------- */

enum {
	PC_CODE,
	PC_NAME,
	PC_TYPE,
	PC_LNG,
	PC_LAT,
	PC_ADDRESS,
	PC_GRID,
	PC_UNIT,
	PC_PERSON,
	PC_PHONE,
	PC_STATUS,
	PC_NCOLS
};
static const struct sheet_column point_sheet_columns[PC_NCOLS] = {
    {"点位编码", 1, 's', "字母、数字、-、_ 和 .，最多 32 位；不能与已有点位重复"},
    {"点位名称", 1, 's', "最多 64 个字"},
    {"点位类型", 1, 's', "已有点位类型的名称或编码"},
    {"经度", 0, 'n', "-180 到 180；与纬度同时填写或同时留空"},
    {"纬度", 0, 'n', "-90 到 90"},
    {"地址", 0, 's', "最多 128 个字"},
    {"所属网格", 0, 's', "已有网格的名称或编码；留空则不属于网格"},
    {"责任单位", 0, 's', "已有单位的名称；重名时写完整路径"},
    {"责任人", 0, 's', "最多 32 个字"},
    {"联系电话", 0, 's', "数字、空格、+ 和 -，最多 20 位"},
    {"状态", 0, 's', "启用 或 停用；留空为启用"},
};

static int points_export(struct req *r)
{
	static const char *const filters[] = {"keyword", "type_id", "grid_id",
	                                      "unit_id", "enabled", NULL};
	struct point_filter f;
	struct point *points;
	struct unit *units;
	struct sheet_writer w;
	struct error e;
	int64_t total;
	int i, n, nunits, rc;

	if (point_filter_of(r, &f) || !req_db(r))
		return r->err.code;
	error_init(&e);
	if (point_list(r->db, r->who->tenant_id, &f, &r->arena, &points, &n, &total, &e) ||
	    unit_all(r->db, r->who->tenant_id, &r->arena, &units, &nunits, &e))
		return req_fail_error(r, &e);
	rc = master_writer_init(&w, "测评点位", point_sheet_columns, PC_NCOLS, NULL, &r->arena, &e);
	for (i = 0; rc == 0 && i < n; i++) {
		const struct point *p = &points[i];
		const char *cells[PC_NCOLS] = {
		    p->code,
		    p->name,
		    p->type_name,
		    p->has_location ? arena_printf(&r->arena, "%.6f", p->lng) : "",
		    p->has_location ? arena_printf(&r->arena, "%.6f", p->lat) : "",
		    p->address,
		    p->grid_name,
		    unit_path(units, nunits, p->unit_id, &r->arena),
		    p->person,
		    p->phone,
		    p->enabled ? "启用" : "停用",
		};

		rc = sheet_writer_row_typed(&w, "sssnnssssss", cells, &e);
	}
	return http_reply_export(r, &w, rc, &e, "point.export", "point",
	                         http_query_summary(r, filters, n), "points", "测评点位");
}

static int points_template(struct req *r)
{
	static const char *const example[PC_NCOLS] = {"P0001",      "人民路（中山路—解放路）",
	                                              "主次干道",   "120.0012",
	                                              "30.0021",    "人民路",
	                                              "城关一网格", "县城管执法局",
	                                              "王建华",     "13800001111",
	                                              "启用"};

	return master_reply_template(r, "测评点位", point_sheet_columns, PC_NCOLS, example,
	                             "points-template", "测评点位导入模板");
}

/* A decimal number in [lo, hi]; 0 when it is not one. */
static int parse_coord(const char *s, double lo, double hi, double *out)
{
	char *end;

	*out = strtod(s, &end);
	return *s && !*end && *out >= lo && *out <= hi;
}

/* Check one row into p; errors go to im->errors. */
static int point_import_row(struct req *r, const struct master_import *im,
                            const struct sheet_row *row, const struct point_type *types, int ntypes,
                            const struct unit *units, int nunits, struct point *p, struct error *e)
{
	json_t *errors = im->errors;
	int nrow = row->number, i;
	const char *type, *grid, *unit, *lng, *lat;

#define CELL(k) master_import_cell(im, row, k)
	memset(p, 0, sizeof(*p));
	p->code = CELL(PC_CODE);
	p->name = CELL(PC_NAME);
	p->address = CELL(PC_ADDRESS);
	p->person = CELL(PC_PERSON);
	p->phone = CELL(PC_PHONE);
	type = CELL(PC_TYPE);
	grid = CELL(PC_GRID);
	unit = CELL(PC_UNIT);
	lng = CELL(PC_LNG);
	lat = CELL(PC_LAT);
	if (!master_code_ok(p->code))
		org_import_error(errors, nrow, "点位编码",
		                 "点位编码不能为空，只能包含字母、数字、-、_ 和 .，最多 32 位");
	if (!*p->name || utf8_chars(p->name) > MASTER_NAME_MAX || org_has_control(p->name))
		org_import_error(errors, nrow, "点位名称", "点位名称不能为空，最多 64 个字");
	for (i = 0; i < ntypes; i++)
		if (!strcmp(types[i].name, type) || !strcmp(types[i].code, type))
			p->type_id = types[i].id;
	if (!p->type_id)
		org_import_error(errors, nrow, "点位类型", "找不到点位类型“%s”", type);
	if (*lng || *lat) {
		p->has_location = 1;
		if (!parse_coord(lng, -180, 180, &p->lng))
			org_import_error(errors, nrow, "经度", "经度应为 -180 到 180 之间的数字");
		if (!parse_coord(lat, -90, 90, &p->lat))
			org_import_error(errors, nrow, "纬度", "纬度应为 -90 到 90 之间的数字");
	}
	if (utf8_chars(p->address) > MASTER_ADDRESS_MAX || org_has_control(p->address))
		org_import_error(errors, nrow, "地址", "地址最多 %d 个字", MASTER_ADDRESS_MAX);
	if (*grid) {
		if (grid_find(r->db, r->who->tenant_id, grid, &p->grid_id, e))
			return e->code;
		if (!p->grid_id)
			org_import_error(errors, nrow, "所属网格", "找不到网格“%s”", grid);
	}
	if (*unit)
		p->unit_id =
		    master_import_unit(errors, nrow, "责任单位", units, nunits, unit, &r->arena);
	if (utf8_chars(p->person) > MASTER_PERSON_MAX || org_has_control(p->person))
		org_import_error(errors, nrow, "责任人", "责任人最多 %d 个字", MASTER_PERSON_MAX);
	if (strlen(p->phone) > MASTER_PHONE_MAX || !org_phone_ok(p->phone))
		org_import_error(errors, nrow, "联系电话", "联系电话只能包含数字、空格、+ 和 -");
	if ((p->enabled = org_status_value(CELL(PC_STATUS))) < 0)
		org_import_error(errors, nrow, "状态", "状态应为“启用”或“停用”");
#undef CELL
	return 0;
}

/* POST /points/import (multipart "file"): every row or none. */
static int points_import(struct req *r)
{
	struct master_import im;
	struct type_filter tf = {NULL, -1, 0, 0};
	struct point_filter pf;
	struct point_type *types;
	struct point *points, *existing;
	struct unit *units;
	struct error e;
	int64_t total;
	int ntypes, nunits, nexisting, n, i, k, taken, rc = 0;

	memset(&pf, 0, sizeof(pf));
	pf.enabled = -1;
	error_init(&e);
	if (master_import_open(r, &im, point_sheet_columns, PC_NCOLS))
		return r->err.code;
	if (point_type_list(r->db, r->who->tenant_id, &tf, &r->arena, &types, &ntypes, &total,
	                    &e) ||
	    unit_all(r->db, r->who->tenant_id, &r->arena, &units, &nunits, &e) ||
	    point_list(r->db, r->who->tenant_id, &pf, &r->arena, &existing, &nexisting, &total,
	               &e)) {
		master_import_release(&im);
		return req_fail_error(r, &e);
	}
	n = im.sh.nrows - 1;
	points = arena_calloc(&r->arena, (size_t)im.sh.nrows * sizeof(*points));
	for (i = 0; rc == 0 && i < n; i++) {
		const struct sheet_row *row = &im.sh.rows[i + 1];
		struct point *p = &points[i];

		rc = point_import_row(r, &im, row, types, ntypes, units, nunits, p, &e);
		for (k = 0, taken = 0; rc == 0 && *p->code && !taken && k < nexisting; k++)
			taken = !strcmp(existing[k].code, p->code) ? -1 : 0;
		for (k = 0; rc == 0 && *p->code && !taken && k < i; k++)
			if (!strcmp(points[k].code, p->code))
				taken = im.sh.rows[k + 1].number;
		if (taken)
			master_import_taken(im.errors, row->number, "点位编码", p->code,
			                    taken > 0 ? taken : 0);
	}
	if (rc) {
		master_import_release(&im);
		return req_fail_error(r, &e);
	}
	if (master_import_refused(r, &im))
		return 0;
	rc = store_begin(r->db, 1, &e);
	for (i = 0; rc == 0 && i < n; i++)
		rc = point_insert(r->db, r->who->tenant_id, &points[i], &e);
	return master_import_commit(r, &im, rc, &e, "point.import", "point", n);
}

void point_routes(struct router *rt)
{
	router_add(rt, "GET", "/api/v1/point-types", types_list, "master:point:view", 0);
	router_add(rt, "POST", "/api/v1/point-types", types_create, "master:point:edit", 0);
	router_add(rt, "GET", "/api/v1/point-types/export", types_export, "master:point:view", 0);
	router_add(rt, "GET", "/api/v1/point-types/import/template", types_template,
	           "master:point:edit", 0);
	router_add(rt, "POST", "/api/v1/point-types/import", types_import, "master:point:edit",
	           MASTER_IMPORT_MAX_BODY);
	router_add(rt, "GET", "/api/v1/point-types/{id}", types_get, "master:point:view", 0);
	router_add(rt, "PUT", "/api/v1/point-types/{id}", types_update, "master:point:edit", 0);
	router_add(rt, "DELETE", "/api/v1/point-types/{id}", types_delete, "master:point:edit", 0);
	router_add(rt, "GET", "/api/v1/points", points_list, "master:point:view", 0);
	router_add(rt, "POST", "/api/v1/points", points_create, "master:point:edit", 0);
	router_add(rt, "GET", "/api/v1/points/export", points_export, "master:point:view", 0);
	router_add(rt, "GET", "/api/v1/points/import/template", points_template,
	           "master:point:edit", 0);
	router_add(rt, "POST", "/api/v1/points/import", points_import, "master:point:edit",
	           MASTER_IMPORT_MAX_BODY);
	router_add(rt, "GET", "/api/v1/points/{id}", points_get, "master:point:view", 0);
	router_add(rt, "PUT", "/api/v1/points/{id}", points_update, "master:point:edit", 0);
	router_add(rt, "DELETE", "/api/v1/points/{id}", points_delete, "master:point:edit", 0);
}

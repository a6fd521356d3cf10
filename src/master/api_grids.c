/* api_grids.c - /grids: responsibility grids, their workers and a GeoJSON import. */
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "http/json_io.h"
#include "http/multipart.h"
#include "http/reply.h"
#include "http/req.h"
#include "http/router.h"
#include "master/master_api.h"
#include "org/org.h"
#include "store/store.h"

#define GRID_MAX_WORKERS  50
#define GEOJSON_MAX_BODY  (10L << 20)
#define GEOJSON_MAX_GRIDS 1000

/* Read the fields of a grid; geometry is checked and its text kept on the arena. */
static int grid_fields(struct req *r, json_t *body, struct grid *g, int create, int64_t *workers,
                       int *nworkers, struct error *e)
{
	json_t *geometry = json_object_get(body, "geometry"), *w, *v;
	size_t i;

	if (master_code_name(body, create, &g->code, &g->name, e) ||
	    master_id_field(body, "unit_id", &g->unit_id, NULL, e) ||
	    json_get_int(body, "sort", 0, 0, MASTER_SORT_MAX, &g->sort, e) ||
	    json_get_bool(body, "enabled", 0, &g->enabled, e))
		return e->code;
	if (create && !geometry)
		return error_set(e, ERR_INVALID, "geometry", "缺少必填字段 geometry（网格范围）");
	if (geometry) {
		char *text;

		if (geo_check(geometry, &g->geo, e))
			return e->code;
		text = json_dumps(geometry, JSON_COMPACT);
		g->geometry = arena_strdup(&r->arena, text);
		free(text);
	}
	*nworkers = -1;
	if ((w = json_object_get(body, "worker_ids")) && !json_is_null(w)) {
		if (!json_is_array(w) || json_array_size(w) > GRID_MAX_WORKERS)
			return error_set(e, ERR_INVALID, "worker_ids",
			                 "worker_ids 应为用户编号的数组（最多 %d 个）",
			                 GRID_MAX_WORKERS);
		*nworkers = 0;
		json_array_foreach(w, i, v)
		{
			int k, dup = 0;

			if (!json_is_integer(v) || json_integer_value(v) < 1)
				return error_set(e, ERR_INVALID, "worker_ids",
				                 "网格员应为用户编号");
			for (k = 0; k < *nworkers; k++)
				dup |= workers[k] == json_integer_value(v);
			if (!dup)
				workers[(*nworkers)++] = json_integer_value(v);
		}
	}
	return 0;
}

static const char *const grid_keys[] = {
    "code",         "name",        "unit_id",   "geometry",     "worker_ids", "sort",
    "enabled",      "id",          "unit_name", "vertex_count", "area_m2",    "bbox",
    "worker_count", "point_count", "workers",   "created_at",   "updated_at", NULL};

static int grids_list(struct req *r)
{
	struct grid_filter f;
	struct grid *grids;
	struct error e;
	int64_t total = 0;
	json_t *items;
	int i, n;

	memset(&f, 0, sizeof(f));
	f.keyword = req_query(r, "keyword");
	if (http_query_id(r, "unit_id", &f.unit_id) || http_query_bool(r, "enabled", &f.enabled) ||
	    req_page(r, &f.offset, &f.limit) || !req_db(r))
		return r->err.code;
	error_init(&e);
	if (grid_list(r->db, r->who->tenant_id, &f, &r->arena, &grids, &n, &total, &e))
		return req_fail_error(r, &e);
	items = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(items, grid_json(&grids[i], 0));
	return req_reply_json(r, 200,
	                      json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)total));
}

static int grids_get(struct req *r)
{
	struct grid g;
	struct error e;
	int64_t id;

	if (req_param_id(r, "id", &id) || !req_db(r))
		return r->err.code;
	error_init(&e);
	if (grid_get(r->db, r->who->tenant_id, id, &r->arena, &g, &e))
		return req_fail_error(r, &e);
	return req_reply_json(r, 200, grid_json(&g, 1));
}

/* POST /grids and PUT /grids/{id}. */
static int grids_save(struct req *r, int create)
{
	int64_t workers[GRID_MAX_WORKERS], id = 0;
	struct grid g, old;
	struct error e;
	json_t *body;
	int nworkers = -1, rc;

	memset(&g, 0, sizeof(g));
	g.enabled = 1;
	if ((!create && req_param_id(r, "id", &id)) || req_body_json(r, &body) || !req_db(r))
		return r->err.code;
	error_init(&e);
	if (!create) {
		if (grid_get(r->db, r->who->tenant_id, id, &r->arena, &old, &e))
			return req_fail_error(r, &e);
		g = old;
	}
	if (json_only_keys(body, grid_keys, &e) ||
	    grid_fields(r, body, &g, create, workers, &nworkers, &e))
		return req_fail_error(r, &e);
	if (master_check_unit(r, g.unit_id, "unit_id"))
		return r->err.code;
	rc = store_begin(r->db, 1, &e);
	if (!rc)
		rc = create ? grid_insert(r->db, r->who->tenant_id, &g, &e)
		            : grid_update(r->db, r->who->tenant_id, &g, &e);
	if (!rc && nworkers >= 0)
		rc = grid_set_workers(r->db, r->who->tenant_id, g.id, workers, nworkers, &e);
	if (!rc)
		rc = req_audit(r, r->db, create ? "grid.create" : "grid.update", "grid", g.id,
		               json_pack("{s:s, s:s, s:i}", "code", g.code, "name", g.name,
		                         "vertices", g.geo.vertices));
	if (req_tx_end(r, r->db, rc, &e) ||
	    grid_get(r->db, r->who->tenant_id, g.id, &r->arena, &g, &e))
		return r->err.code ? r->err.code : req_fail_error(r, &e);
	return req_reply_json(r, create ? 201 : 200, grid_json(&g, 1));
}

static int grids_create(struct req *r)
{
	return grids_save(r, 1);
}

static int grids_update(struct req *r)
{
	return grids_save(r, 0);
}

static int grids_delete(struct req *r)
{
	struct grid g;
	struct error e;
	int64_t id;
	int rc;

	if (req_param_id(r, "id", &id) || !req_db(r))
		return r->err.code;
	error_init(&e);
	if (grid_get(r->db, r->who->tenant_id, id, &r->arena, &g, &e))
		return req_fail_error(r, &e);
	rc = store_begin(r->db, 1, &e);
	if (!rc)
		rc = grid_delete(r->db, r->who->tenant_id, id, &e);
	if (!rc)
		rc = req_audit(r, r->db, "grid.delete", "grid", id,
		               json_pack("{s:s, s:s}", "code", g.code, "name", g.name));
	if (req_tx_end(r, r->db, rc, &e))
		return r->err.code;
	return req_reply_empty(r);
}

/* ---- GeoJSON import ------------------------------------------------------------- */

static void feature_error(json_t *errors, int feature, const char *field, const char *msg)
{
	if (json_array_size(errors) < 1000)
		json_array_append_new(errors, json_pack("{s:i, s:s, s:s}", "feature", feature,
		                                        "field", field, "message", msg));
}

/* The text of a feature property, "" when absent; numbers as their digits. */
static const char *prop(json_t *props, const char *a, const char *b, struct arena *ar)
{
	json_t *v = json_object_get(props, a);

	if (!v && b)
		v = json_object_get(props, b);
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v))
		return arena_printf(ar, "%lld", (long long)json_integer_value(v));
	return "";
}

/*
 * POST /grids/import-geojson: a FeatureCollection (JSON body, or a multipart
 * "file"), one grid per feature with properties name, code and unit (名称,
 * 编码, 责任单位 also read).  All features or none; errors name the feature
 * by its 1-based position.
 */
static int grids_import(struct req *r)
{
	const char *ctype = req_header(r, "content-type");
	json_t *doc = NULL, *features, *errors, *f;
	struct unit *units;
	struct grid *grids;
	struct error e;
	int nunits, ngrids = 0, rc = 0;
	size_t i;

	error_init(&e);
	if (ctype && !strncmp(ctype, "multipart/", 10)) {
		const void *data;
		const char *filename;
		size_t len;

		if (req_multipart_file(r, "file", &data, &len, &filename, &e) ||
		    json_parse_object(data, len, &doc, &e))
			return req_fail_error(r, &e);
	} else {
		if (req_body_json(r, &doc))
			return r->err.code;
		json_incref(doc);
	}
	features = json_object_get(doc, "features");
	if (strcmp(json_string_value(json_object_get(doc, "type")) ?: "", "FeatureCollection") ||
	    !json_is_array(features)) {
		json_decref(doc);
		return req_fail(r, ERR_INVALID, "type", "请上传 GeoJSON 的 FeatureCollection");
	}
	if (!json_array_size(features) || json_array_size(features) > GEOJSON_MAX_GRIDS) {
		json_decref(doc);
		return req_fail(r, ERR_INVALID, "features", "要素数量应为 1–%d 个",
		                GEOJSON_MAX_GRIDS);
	}
	if (!req_db(r) || unit_all(r->db, r->who->tenant_id, &r->arena, &units, &nunits, &e)) {
		json_decref(doc);
		return r->err.code ? r->err.code : req_fail_error(r, &e);
	}
	grids = arena_calloc(&r->arena, json_array_size(features) * sizeof(*grids));
	errors = json_array();
	json_array_foreach(features, i, f)
	{
		json_t *props = json_object_get(f, "properties");
		struct grid *g = &grids[ngrids++];
		const char *unit = prop(props, "unit", "责任单位", &r->arena);
		int k, n = (int)i + 1;
		int64_t taken = 0;

		g->enabled = 1;
		g->name = prop(props, "name", "名称", &r->arena);
		g->code = prop(props, "code", "编码", &r->arena);
		if (!*g->name || utf8_chars(g->name) > MASTER_NAME_MAX || org_has_control(g->name))
			feature_error(errors, n, "name", "网格名称不能为空，最多 64 个字");
		if (!*g->code)
			g->code = arena_printf(&r->arena, "G%03d", n);
		if (!master_code_ok(g->code))
			feature_error(errors, n, "code", "编码只能包含字母、数字、-、_ 和 .");
		for (k = 0; k < ngrids - 1; k++)
			if (!strcmp(grids[k].code, g->code) || !strcmp(grids[k].name, g->name))
				feature_error(errors, n, "code",
				              arena_printf(&r->arena,
				                           "与第 %d 个要素的编码或名称重复",
				                           k + 1));
		if (*g->name && !grid_find(r->db, r->who->tenant_id, g->name, &taken, &e) && taken)
			feature_error(errors, n, "name",
			              arena_printf(&r->arena, "已有名为“%s”的网格", g->name));
		if (!grid_find(r->db, r->who->tenant_id, g->code, &taken, &e) && taken)
			feature_error(errors, n, "code",
			              arena_printf(&r->arena, "编码“%s”已被使用", g->code));
		if (*unit) {
			g->unit_id = master_unit_by_name(units, nunits, unit, &r->arena);
			if (g->unit_id < 0)
				feature_error(errors, n, "unit",
				              arena_printf(&r->arena,
				                           g->unit_id == -1
				                               ? "找不到单位“%s”"
				                               : "有多个单位名为“%s”，请写完整路径",
				                           unit));
		}
		if (geo_check(json_object_get(f, "geometry"), &g->geo, &e)) {
			feature_error(errors, n, "geometry", e.message);
			error_init(&e);
		} else {
			char *text = json_dumps(json_object_get(f, "geometry"), JSON_COMPACT);

			g->geometry = arena_strdup(&r->arena, text);
			free(text);
		}
	}
	if (json_array_size(errors)) {
		json_decref(doc);
		return http_reply_import_errors(r, errors);
	}
	json_decref(errors);
	rc = store_begin(r->db, 1, &e);
	for (i = 0; rc == 0 && i < (size_t)ngrids; i++)
		rc = grid_insert(r->db, r->who->tenant_id, &grids[i], &e);
	if (!rc)
		rc = req_audit(r, r->db, "grid.import", "grid", 0,
		               json_pack("{s:i}", "count", ngrids));
	json_decref(doc);
	if (req_tx_end(r, r->db, rc, &e))
		return r->err.code;
	return req_reply_json(r, 200, json_pack("{s:i, s:[]}", "imported", ngrids, "errors"));
}

/* ---- xlsx export, template and import ----------------------------------------- */

enum { GC_CODE, GC_NAME, GC_UNIT, GC_WORKERS, GC_SORT, GC_STATUS, GC_GEOMETRY, GC_NCOLS };

static const struct sheet_column grid_sheet_columns[GC_NCOLS] = {
    {"网格编码", 0, 's', "字母、数字、-、_ 和 .，最多 32 位；不能与已有网格重复；留空则自动编号"},
    {"网格名称", 1, 's', "最多 64 个字；不能与已有网格重名"},
    {"责任单位", 0, 's', "已有单位的名称；重名时写完整路径"},
    {"网格员", 0, 's',
     "已有用户的用户名或姓名，多个用“、”分隔，最多 50 个；导出的“姓名（用户名）”也可"},
    {"排序", 0, 'n', "0–99999 的整数，小的在前；留空为 0"},
    {"状态", 0, 's', "启用 或 停用；留空为启用"},
    {"边界（GeoJSON）", 1, 's',
     "GeoJSON 的 Polygon 或 MultiPolygon（或含其一的 Feature），坐标为 [经度, 纬度]，"
     "每个环至少 4 个点且首尾相同；最多 32767 个字符"},
};

static const char *const grid_computed[] = {"面积（平方米）", "顶点数", NULL};

/* "张三（grid01）、李四（grid02）": the workers of g as the import reads them back. */
static const char *workers_text(struct req *r, const struct grid *g)
{
	const char *s = "";
	int i;

	for (i = 0; i < g->nworkers; i++)
		s = arena_printf(&r->arena, "%s%s%s（%s）", s, i ? "、" : "", g->workers[i].name,
		                 g->workers[i].username);
	return s;
}

/*
 * The stored GeoJSON with 12 significant digits, as API replies print it
 * (120.01, not 120.01000000000001: well under a millimetre); NULL when the
 * stored text does not parse.
 */
static const char *geometry_text(struct req *r, const char *stored)
{
	json_t *doc = json_loads(stored, 0, NULL);
	char *text = doc ? json_dumps(doc, JSON_COMPACT | JSON_REAL_PRECISION(12)) : NULL;
	const char *out = text ? arena_strdup(&r->arena, text) : NULL;

	free(text);
	json_decref(doc);
	return out;
}

/*
 * GET /grids/export: the grids the list's filters select, each with its
 * workers and its boundary as GeoJSON text, then the computed area and
 * vertex count; the file imports again as it is.  Audited.
 */
static int grids_export(struct req *r)
{
	static const char *const filters[] = {"keyword", "unit_id", "enabled", NULL};
	struct grid_filter f;
	struct grid *grids;
	struct unit *units;
	struct sheet_writer w;
	struct error e;
	int64_t total;
	int i, n, nunits, rc;

	memset(&f, 0, sizeof(f));
	f.keyword = req_query(r, "keyword");
	if (http_query_id(r, "unit_id", &f.unit_id) || http_query_bool(r, "enabled", &f.enabled) ||
	    !req_db(r))
		return r->err.code;
	error_init(&e);
	if (grid_list(r->db, r->who->tenant_id, &f, &r->arena, &grids, &n, &total, &e) ||
	    unit_all(r->db, r->who->tenant_id, &r->arena, &units, &nunits, &e))
		return req_fail_error(r, &e);
	rc = master_writer_init(&w, "责任网格", grid_sheet_columns, GC_NCOLS, grid_computed,
	                        &r->arena, &e);
	for (i = 0; rc == 0 && i < n; i++) {
		const char *boundary;
		struct grid g;

		if ((rc = grid_get(r->db, r->who->tenant_id, grids[i].id, &r->arena, &g, &e)))
			break;
		if (!(boundary = geometry_text(r, g.geometry)) ||
		    strlen(boundary) > SHEET_EXCEL_MAX_CELL_CHARS) {
			rc = error_set(&e, ERR_TOO_LARGE, NULL,
			               "网格“%s”的边界有 %zu 个字符，超过 Excel 单元格的上限 %d，"
			               "无法导出到表格",
			               g.name, boundary ? strlen(boundary) : 0,
			               SHEET_EXCEL_MAX_CELL_CHARS);
			break;
		}
		{
			const char *cells[GC_NCOLS + 2] = {
			    g.code,
			    g.name,
			    unit_path(units, nunits, g.unit_id, &r->arena),
			    workers_text(r, &g),
			    master_int_text(r, g.sort),
			    g.enabled ? "启用" : "停用",
			    boundary,
			    arena_printf(&r->arena, "%.0f", g.geo.area_m2),
			    master_int_text(r, g.geo.vertices),
			};

			rc = sheet_writer_row_typed(&w, "ssssnssnn", cells, &e);
		}
	}
	return http_reply_export(r, &w, rc, &e, "grid.export", "grid",
	                         http_query_summary(r, filters, n), "grids", "责任网格");
}

/* GET /grids/import/template */
static int grids_template(struct req *r)
{
	static const char *const example[GC_NCOLS] = {
	    "G010",
	    "城关十网格",
	    "城关街道",
	    "grid01",
	    "100",
	    "启用",
	    ("{\"type\":\"Polygon\",\"coordinates\":[[[120.001,30.001],[120.011,30.001],"
	     "[120.011,30.011],[120.001,30.011],[120.001,30.001]]]}")};

	return master_reply_template(r, "责任网格", grid_sheet_columns, GC_NCOLS, example,
	                             "grids-template", "责任网格导入模板");
}

/* One checked row of a grids sheet. */
struct grid_row {
	int row; /* in the sheet */
	struct grid g;
	int64_t workers[GRID_MAX_WORKERS];
	int nworkers;
};

/*
 * The user a token of the 网格员 cell names: "姓名（用户名）" by the
 * username in brackets, else a username, else a name held by one user.
 * The user's index, -1 none, -2 several.
 */
static int find_worker(const struct user *users, int n, const char *token, struct arena *a)
{
	const char *open = strstr(token, "（"), *ascii = strchr(token, '(');
	size_t len = strlen(token);
	int i, found = -1, matches = 0;

	if (open && len >= 3 && !strcmp(token + len - 3, "）"))
		token = arena_strndup(a, open + 3, (size_t)(token + len - 3 - (open + 3)));
	else if (ascii && len && token[len - 1] == ')')
		token = arena_strndup(a, ascii + 1, (size_t)(token + len - 1 - (ascii + 1)));
	for (i = 0; i < n; i++)
		if (!strcmp(users[i].username, token))
			return i;
	for (i = 0; i < n; i++)
		if (!strcmp(users[i].name, token)) {
			found = i;
			matches++;
		}
	return matches > 1 ? -2 : found;
}

/* The 网格员 cell of a row: names or usernames separated by 、 , ， ; ； or line breaks. */
static void import_workers(struct req *r, json_t *errors, int nrow, const char *cell,
                           const struct user *users, int nusers, struct grid_row *out)
{
	char *copy = arena_strdup(&r->arena, cell), *save = NULL, *tok;
	int i, k, dup;

	/* the full-width separators become commas first: strtok_r splits on bytes */
	for (i = 0; copy[i]; i++)
		if (!strncmp(copy + i, "、", 3) || !strncmp(copy + i, "，", 3) ||
		    !strncmp(copy + i, "；", 3))
			memcpy(copy + i, ",  ", 3), i += 2;
	for (tok = strtok_r(copy, ",;\n\r", &save); tok; tok = strtok_r(NULL, ",;\n\r", &save)) {
		while (*tok == ' ')
			tok++;
		for (k = (int)strlen(tok); k > 0 && tok[k - 1] == ' '; k--)
			tok[k - 1] = '\0';
		if (!*tok)
			continue;
		if ((i = find_worker(users, nusers, tok, &r->arena)) < 0) {
			org_import_error(
			    errors, nrow, "网格员",
			    i == -1 ? "找不到用户“%s”" : "有多个用户名为“%s”，请写用户名", tok);
			continue;
		}
		for (k = 0, dup = 0; k < out->nworkers; k++)
			dup |= out->workers[k] == users[i].id;
		if (dup)
			continue;
		if (out->nworkers == GRID_MAX_WORKERS) {
			org_import_error(errors, nrow, "网格员", "网格员最多 %d 个",
			                 GRID_MAX_WORKERS);
			return;
		}
		out->workers[out->nworkers++] = users[i].id;
	}
}

/* The boundary cell: GeoJSON checked by geo_check, as POST /grids and the GeoJSON import do. */
static void import_boundary(struct req *r, json_t *errors, int nrow, const char *cell,
                            struct grid *g)
{
	const char *field = grid_sheet_columns[GC_GEOMETRY].header;
	json_t *doc = NULL, *geometry;
	struct error e;
	char *text;

	error_init(&e);
	if (!*cell) {
		org_import_error(errors, nrow, field, "边界不能为空");
		return;
	}
	if (json_parse_object(cell, strlen(cell), &doc, &e)) {
		org_import_error(errors, nrow, field, "边界不是有效的 GeoJSON：%s", e.message);
		return;
	}
	geometry = doc;
	if (!strcmp(json_string_value(json_object_get(doc, "type")) ?: "", "Feature"))
		geometry = json_object_get(doc, "geometry");
	if (geo_check(geometry, &g->geo, &e)) {
		org_import_error(errors, nrow, field, "%s", e.message);
	} else {
		text = json_dumps(geometry, JSON_COMPACT);
		g->geometry = arena_strdup(&r->arena, text);
		free(text);
	}
	json_decref(doc);
}

/* Check one data row into out; errors go to im->errors. */
static void grid_import_row(struct req *r, const struct master_import *im,
                            const struct sheet_row *row, const struct unit *units, int nunits,
                            const struct user *users, int nusers, struct grid_row *out)
{
	struct grid *g = &out->g;
	json_t *errors = im->errors;
	const char *sort = master_import_cell(im, row, GC_SORT);
	const char *unit = master_import_cell(im, row, GC_UNIT);
	int nrow = row->number;

	memset(out, 0, sizeof(*out));
	out->row = nrow;
	g->code = master_import_cell(im, row, GC_CODE);
	g->name = master_import_cell(im, row, GC_NAME);
	if (*g->code && !master_code_ok(g->code))
		org_import_error(errors, nrow, "网格编码",
		                 "网格编码只能包含字母、数字、-、_ 和 .，最多 %d 位",
		                 MASTER_CODE_MAX);
	if (!*g->name || utf8_chars(g->name) > MASTER_NAME_MAX || org_has_control(g->name))
		org_import_error(errors, nrow, "网格名称", "网格名称不能为空，最多 %d 个字",
		                 MASTER_NAME_MAX);
	if (*unit)
		g->unit_id =
		    master_import_unit(errors, nrow, "责任单位", units, nunits, unit, &r->arena);
	import_workers(r, errors, nrow, master_import_cell(im, row, GC_WORKERS), users, nusers,
	               out);
	if (*sort && (g->sort = parse_count(sort, MASTER_SORT_MAX)) < 0)
		org_import_error(errors, nrow, "排序", "排序应为 0–%d 的整数", MASTER_SORT_MAX);
	if ((g->enabled = org_status_value(master_import_cell(im, row, GC_STATUS))) < 0)
		org_import_error(errors, nrow, "状态", "状态应为“启用”或“停用”");
	import_boundary(r, errors, nrow, master_import_cell(im, row, GC_GEOMETRY), g);
}

/*
 * Who has this code (field 0) or name (1) already: -1 a grid of
 * existing[0..n), the sheet row of one of rows[0..nrows), or 0 nobody.
 */
static int grid_taken(const struct grid *existing, int n, const struct grid_row *rows, int nrows,
                      int name, const char *s)
{
	int k;

	for (k = 0; k < n; k++)
		if (!strcmp(name ? existing[k].name : existing[k].code, s))
			return -1;
	for (k = 0; k < nrows; k++)
		if (!strcmp(name ? rows[k].g.name : rows[k].g.code, s))
			return rows[k].row;
	return 0;
}

/* POST /grids/import (multipart "file", the export's columns): every row or none. */
static int grids_sheet_import(struct req *r)
{
	static const struct scope everyone = SCOPE_EVERYTHING;
	struct user_filter uf = {&everyone, NULL, NULL, NULL, -1, 1, 0, 0};
	struct grid_filter gf = {NULL, 0, -1, 0, 0};
	struct master_import im;
	struct grid *existing;
	struct grid_row *rows;
	struct unit *units;
	struct user *users;
	struct error e;
	int64_t total;
	int nexisting, nunits, nusers, n, i, k, f, next = 1, rc;

	error_init(&e);
	if (master_import_open(r, &im, grid_sheet_columns, GC_NCOLS))
		return r->err.code;
	if (grid_list(r->db, r->who->tenant_id, &gf, &r->arena, &existing, &nexisting, &total,
	              &e) ||
	    unit_all(r->db, r->who->tenant_id, &r->arena, &units, &nunits, &e) ||
	    user_list(r->db, r->who->tenant_id, &uf, &r->arena, &users, &nusers, &total, &e)) {
		master_import_release(&im);
		return req_fail_error(r, &e);
	}
	n = im.sh.nrows - 1;
	rows = arena_calloc(&r->arena, (size_t)im.sh.nrows * sizeof(*rows));
	for (i = 0; i < n; i++) {
		const struct grid *g = &rows[i].g;

		grid_import_row(r, &im, &im.sh.rows[i + 1], units, nunits, users, nusers, &rows[i]);
		for (f = 0; f < 2; f++) {
			const char *v = f ? g->name : g->code;

			if (*v && (k = grid_taken(existing, nexisting, rows, i, f, v)))
				master_import_taken(im.errors, rows[i].row,
				                    f ? "网格名称" : "网格编码", v, k > 0 ? k : 0);
		}
	}
	if (master_import_refused(r, &im))
		return 0;
	/* rows without a code get the first free G001, G002, ... */
	for (i = 0; i < n; i++)
		while (!*rows[i].g.code) {
			const char *code = arena_printf(&r->arena, "G%03d", next++);

			if (!grid_taken(existing, nexisting, rows, n, 0, code))
				rows[i].g.code = code;
		}
	rc = store_begin(r->db, 1, &e);
	for (i = 0; rc == 0 && i < n; i++) {
		rc = grid_insert(r->db, r->who->tenant_id, &rows[i].g, &e);
		if (!rc && rows[i].nworkers)
			rc = grid_set_workers(r->db, r->who->tenant_id, rows[i].g.id,
			                      rows[i].workers, rows[i].nworkers, &e);
	}
	return master_import_commit(r, &im, rc, &e, "grid.import", "grid", n);
}

void grid_routes(struct router *rt)
{
	router_add(rt, "GET", "/api/v1/grids", grids_list, "master:grid:view", 0);
	router_add(rt, "POST", "/api/v1/grids", grids_create, "master:grid:edit", 0);
	router_add(rt, "POST", "/api/v1/grids/import-geojson", grids_import, "master:grid:edit",
	           GEOJSON_MAX_BODY);
	router_add(rt, "GET", "/api/v1/grids/export", grids_export, "master:grid:view", 0);
	router_add(rt, "GET", "/api/v1/grids/import/template", grids_template, "master:grid:edit",
	           0);
	router_add(rt, "POST", "/api/v1/grids/import", grids_sheet_import, "master:grid:edit",
	           MASTER_IMPORT_MAX_BODY);
	router_add(rt, "GET", "/api/v1/grids/{id}", grids_get, "master:grid:view", 0);
	router_add(rt, "PUT", "/api/v1/grids/{id}", grids_update, "master:grid:edit", 0);
	router_add(rt, "DELETE", "/api/v1/grids/{id}", grids_delete, "master:grid:edit", 0);
}

/* api_grids.c - /grids: responsibility grids, their workers and a GeoJSON import. */
#include <stdlib.h>
#include <string.h>

#include "http/json_io.h"
#include "http/multipart.h"
#include "http/req.h"
#include "http/router.h"
#include "master/master_api.h"
#include "org/org.h"
#include "store/store.h"

#define GRID_MAX_WORKERS   50
#define GEOJSON_MAX_BODY   (10L << 20)
#define GEOJSON_MAX_GRIDS  1000

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
			                 "worker_ids 应为用户编号的数组（最多 %d 个）", GRID_MAX_WORKERS);
		*nworkers = 0;
		json_array_foreach(w, i, v)
		{
			int k, dup = 0;

			if (!json_is_integer(v) || json_integer_value(v) < 1)
				return error_set(e, ERR_INVALID, "worker_ids", "网格员应为用户编号");
			for (k = 0; k < *nworkers; k++)
				dup |= workers[k] == json_integer_value(v);
			if (!dup)
				workers[(*nworkers)++] = json_integer_value(v);
		}
	}
	return 0;
}

static const char *const grid_keys[] = {
    "code",   "name",         "unit_id",     "geometry",   "worker_ids", "sort",
    "enabled", "id",          "unit_name",   "vertex_count", "area_m2",  "bbox",
    "worker_count", "point_count", "workers", "created_at", "updated_at", NULL};

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
	if (org_query_id(r, "unit_id", &f.unit_id) || org_query_bool(r, "enabled", &f.enabled) ||
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
	if (req_tx_end(r, r->db, rc, &e) || grid_get(r->db, r->who->tenant_id, g.id, &r->arena, &g, &e))
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
		json_array_append_new(errors, json_pack("{s:i, s:s, s:s}", "feature", feature, "field",
		                                        field, "message", msg));
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
		return req_fail(r, ERR_INVALID, "features", "要素数量应为 1–%d 个", GEOJSON_MAX_GRIDS);
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
				              arena_printf(&r->arena, "与第 %d 个要素的编码或名称重复",
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
				                           g->unit_id == -1 ? "找不到单位“%s”"
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
		return org_reply_import_errors(r, errors);
	}
	json_decref(errors);
	rc = store_begin(r->db, 1, &e);
	for (i = 0; rc == 0 && i < (size_t)ngrids; i++)
		rc = grid_insert(r->db, r->who->tenant_id, &grids[i], &e);
	if (!rc)
		rc = req_audit(r, r->db, "grid.import", "grid", 0, json_pack("{s:i}", "count", ngrids));
	json_decref(doc);
	if (req_tx_end(r, r->db, rc, &e))
		return r->err.code;
	return req_reply_json(r, 200, json_pack("{s:i, s:[]}", "imported", ngrids, "errors"));
}

void grid_routes(struct router *rt)
{
	router_add(rt, "GET", "/api/v1/grids", grids_list, "master:grid:view", 0);
	router_add(rt, "POST", "/api/v1/grids", grids_create, "master:grid:edit", 0);
	router_add(rt, "POST", "/api/v1/grids/import-geojson", grids_import, "master:grid:edit",
	           GEOJSON_MAX_BODY);
	router_add(rt, "GET", "/api/v1/grids/{id}", grids_get, "master:grid:view", 0);
	router_add(rt, "PUT", "/api/v1/grids/{id}", grids_update, "master:grid:edit", 0);
	router_add(rt, "DELETE", "/api/v1/grids/{id}", grids_delete, "master:grid:edit", 0);
}

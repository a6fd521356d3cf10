/*
 * api_categories.c - /categories: the problem category tree, and what the
 * master data endpoints share (references to units, codes, body fields).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "http/json_io.h"
#include "http/reply.h"
#include "http/req.h"
#include "http/router.h"
#include "master/master_api.h"
#include "org/org.h"
#include "spreadsheet/spreadsheet.h"
#include "store/store.h"

/* ---- shared helpers ------------------------------------------------------ */

int master_code_ok(const char *s)
{
	size_t n = strlen(s);

	return n >= 1 && n <= MASTER_CODE_MAX &&
	       s[strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")] ==
	           '\0';
}

int master_check_unit(struct req *r, int64_t unit_id, const char *field)
{
	struct unit u;
	struct error e;
	int rc;

	if (!unit_id)
		return 0;
	error_init(&e);
	rc = unit_get(req_db(r), r->who->tenant_id, NULL, unit_id, &r->arena, &u, &e);
	if (rc == ERR_NOT_FOUND)
		return req_fail(r, ERR_INVALID, field, "单位不存在");
	return rc ? req_fail_error(r, &e) : 0;
}

int64_t master_unit_by_name(const struct unit *all, int n, const char *text, struct arena *a)
{
	int matches = 0, i = unit_find(all, n, text, &matches, a);

	return matches == 1 ? all[i].id : matches ? -2 : -1;
}

int master_id_field(json_t *body, const char *key, int64_t *id, int *present, struct error *e)
{
	json_t *v = json_object_get(body, key);

	if (present)
		*present = v != NULL;
	if (!v)
		return 0;
	if (json_is_null(v)) {
		*id = 0;
		return 0;
	}
	if (!json_is_integer(v) || json_integer_value(v) < 1)
		return error_set(e, ERR_INVALID, key, "%s 应为编号或 null", key);
	*id = json_integer_value(v);
	return 0;
}

int master_code_name(json_t *body, int create, const char **code, const char **name,
                     struct error *e)
{
	int req = create ? JF_REQUIRED : 0;

	if (json_get_string(body, "code", req, 1, MASTER_CODE_MAX, code, e) ||
	    json_get_string(body, "name", req, 1, MASTER_NAME_MAX, name, e))
		return e->code;
	if (!master_code_ok(*code))
		return error_set(e, ERR_INVALID, "code",
		                 "编码只能包含字母、数字、-、_ 和 .，最多 %d 位", MASTER_CODE_MAX);
	if (org_has_control(*name) || (*name)[0] == ' ' || (*name)[strlen(*name) - 1] == ' ')
		return error_set(e, ERR_INVALID, "name",
		                 "名称不能包含换行等控制字符，首尾不能有空格");
	return 0;
}

/* ---- fields ------------------------------------------------------------------ */

static int category_fields(json_t *body, struct category *k, int create, struct error *e)
{
	int64_t severity = k->severity;

	if (master_code_name(body, create, &k->code, &k->name, e) ||
	    master_id_field(body, "parent_id", &k->parent_id, NULL, e) ||
	    master_id_field(body, "default_unit_id", &k->default_unit_id, NULL, e) ||
	    json_get_int(body, "default_deadline_hours", JF_NULLABLE, 0, MASTER_DEADLINE_MAX,
	                 &k->deadline_hours, e) ||
	    json_get_int(body, "severity", 0, 1, 3, &severity, e) ||
	    json_get_int(body, "sort", 0, 0, MASTER_SORT_MAX, &k->sort, e) ||
	    json_get_bool(body, "enabled", 0, &k->enabled, e))
		return e->code;
	k->severity = (int)severity;
	return 0;
}

/*
 * The parent of k must be a category of the tenant and not k or below it
 * (walking up from the parent never meets k).
 */
static int check_parent(struct req *r, const struct category *k)
{
	struct category p;
	struct error e;
	int64_t id = k->parent_id;
	int depth, rc;

	error_init(&e);
	for (depth = 0; id && depth < 32; depth++) {
		if (k->id && id == k->id)
			return req_fail(r, ERR_CONFLICT, "parent_id",
			                "不能把分类放到它自己或它的下级分类之下");
		rc = category_get(r->db, r->who->tenant_id, id, &r->arena, &p, &e);
		if (rc == ERR_NOT_FOUND)
			return req_fail(r, ERR_INVALID, "parent_id", "上级分类不存在");
		if (rc)
			return req_fail_error(r, &e);
		id = p.parent_id;
	}
	return depth >= 32 ? req_fail(r, ERR_INVALID, "parent_id", "分类层级过深") : 0;
}

/* ---- handlers ----------------------------------------------------------------- */

/* GET /categories: the whole tree (?tree=1) or a flat page, filtered by keyword and enabled. */
static int categories_list(struct req *r)
{
	const char *tree = req_query(r, "tree"), *kw = req_query(r, "keyword");
	int as_tree = tree && (!strcmp(tree, "1") || !strcmp(tree, "true")), enabled, i, n, k = 0;
	int64_t offset = 0, limit = 0, total = 0;
	struct category *cats, *hits;
	struct error e;
	json_t *items;

	if (http_query_bool(r, "enabled", &enabled) || (!as_tree && req_page(r, &offset, &limit)) ||
	    !req_db(r))
		return r->err.code;
	error_init(&e);
	if (category_all(r->db, r->who->tenant_id, &r->arena, &cats, &n, &e))
		return req_fail_error(r, &e);
	hits = arena_alloc(&r->arena, (size_t)(n + 1) * sizeof(*hits));
	for (i = 0; i < n; i++)
		if ((enabled < 0 || cats[i].enabled == enabled) &&
		    (!kw || !*kw || strstr(cats[i].name, kw) || strstr(cats[i].code, kw)))
			hits[k++] = cats[i];
	if (as_tree)
		return req_reply_json(
		    r, 200,
		    json_pack("{s:o, s:i}", "items", category_tree_json(hits, k), "total", k));
	items = json_array();
	for (i = (int)offset; i < k && i < offset + limit; i++)
		json_array_append_new(items, category_json(&hits[i]));
	total = k;
	return req_reply_json(r, 200,
	                      json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)total));
}

static int categories_get(struct req *r)
{
	struct category k;
	struct error e;
	int64_t id;

	if (req_param_id(r, "id", &id) || !req_db(r))
		return r->err.code;
	error_init(&e);
	if (category_get(r->db, r->who->tenant_id, id, &r->arena, &k, &e))
		return req_fail_error(r, &e);
	return req_reply_json(r, 200, category_json(&k));
}

static const char *const category_keys[] = {
    "parent_id",  "code",     "name", "default_unit_id",   "default_deadline_hours", "severity",
    "sort",       "enabled",  "id",   "default_unit_name", "severity_name",          "created_at",
    "updated_at", "children", NULL};

static int categories_create(struct req *r)
{
	struct category k;
	struct error e;
	json_t *body;
	int rc;

	memset(&k, 0, sizeof(k));
	k.severity = 1;
	k.enabled = 1;
	if (req_body_json(r, &body))
		return r->err.code;
	error_init(&e);
	if (json_only_keys(body, category_keys, &e) || category_fields(body, &k, 1, &e))
		return req_fail_error(r, &e);
	if (!req_db(r) || check_parent(r, &k) ||
	    master_check_unit(r, k.default_unit_id, "default_unit_id"))
		return r->err.code;
	rc = store_begin(r->db, 1, &e);
	if (!rc)
		rc = category_insert(r->db, r->who->tenant_id, &k, &e);
	if (!rc)
		rc = req_audit(r, r->db, "category.create", "category", k.id,
		               json_pack("{s:s, s:s}", "code", k.code, "name", k.name));
	if (req_tx_end(r, r->db, rc, &e) ||
	    category_get(r->db, r->who->tenant_id, k.id, &r->arena, &k, &e))
		return r->err.code ? r->err.code : req_fail_error(r, &e);
	return req_reply_json(r, 201, category_json(&k));
}

static int categories_update(struct req *r)
{
	struct category k, old;
	struct error e;
	json_t *body;
	int64_t id;
	int rc;

	if (req_param_id(r, "id", &id) || req_body_json(r, &body) || !req_db(r))
		return r->err.code;
	error_init(&e);
	if (category_get(r->db, r->who->tenant_id, id, &r->arena, &old, &e))
		return req_fail_error(r, &e);
	k = old;
	if (json_only_keys(body, category_keys, &e) || category_fields(body, &k, 0, &e))
		return req_fail_error(r, &e);
	if (check_parent(r, &k) || master_check_unit(r, k.default_unit_id, "default_unit_id"))
		return r->err.code;
	rc = store_begin(r->db, 1, &e);
	if (!rc)
		rc = category_update(r->db, r->who->tenant_id, &k, &e);
	if (!rc)
		rc = req_audit(r, r->db, "category.update", "category", id,
		               json_pack("{s:s, s:s, s:s}", "code", k.code, "name", k.name,
		                         "old_name", old.name));
	if (req_tx_end(r, r->db, rc, &e) ||
	    category_get(r->db, r->who->tenant_id, id, &r->arena, &k, &e))
		return r->err.code ? r->err.code : req_fail_error(r, &e);
	return req_reply_json(r, 200, category_json(&k));
}

static int categories_delete(struct req *r)
{
	struct category k;
	struct error e;
	int64_t id;
	int rc;

	if (req_param_id(r, "id", &id) || !req_db(r))
		return r->err.code;
	error_init(&e);
	if (category_get(r->db, r->who->tenant_id, id, &r->arena, &k, &e))
		return req_fail_error(r, &e);
	rc = store_begin(r->db, 1, &e);
	if (!rc)
		rc = category_delete(r->db, r->who->tenant_id, id, &e);
	if (!rc)
		rc = req_audit(r, r->db, "category.delete", "category", id,
		               json_pack("{s:s, s:s}", "code", k.code, "name", k.name));
	if (req_tx_end(r, r->db, rc, &e))
		return r->err.code;
	return req_reply_empty(r);
}

/* A coordinate of the query string: NaN when absent. */
static int query_coord(struct req *r, const char *key, double lo, double hi, double *out)
{
	const char *v = req_query(r, key);
	char *end;

	*out = NAN;
	if (!v || !*v)
		return 0;
	*out = strtod(v, &end);
	if (*end || !(*out >= lo && *out <= hi))
		return req_fail(r, ERR_INVALID, key, "%s 应在 %g 到 %g 之间", key, lo, hi);
	return 0;
}

/*
 * GET /categories/{id}/route?point_id=&lat=&lng=: the unit and deadline a
 * problem of this category there would get by default (master_route).
 */
static int categories_route(struct req *r)
{
	int64_t id, point_id, unit_id, hours;
	double lat, lng;
	struct error e;

	if (req_param_id(r, "id", &id) || http_query_id(r, "point_id", &point_id) ||
	    query_coord(r, "lat", -90, 90, &lat) || query_coord(r, "lng", -180, 180, &lng) ||
	    !req_db(r))
		return r->err.code;
	if (isnan(lat) != isnan(lng))
		return req_fail(r, ERR_INVALID, isnan(lat) ? "lat" : "lng", "经纬度须同时给出");
	error_init(&e);
	if (master_route(r->db, r->who->tenant_id, id, point_id, lat, lng, &unit_id, &hours, &e))
		return req_fail_error(r, &e);
	return req_reply_json(r, 200,
	                      json_pack("{s:o, s:I}", "unit_id",
	                                unit_id ? json_integer(unit_id) : json_null(),
	                                "deadline_hours", (json_int_t)hours));
}

/* ---- export, template, import ------------------------------------------------- */

static const struct sheet_column category_sheet_columns[CC_NCOLS] = {
    {"分类编码", 1, 's', "字母、数字、-、_ 和 .，最多 32 位；不能与已有分类重复"},
    {"分类名称", 1, 's', "最多 64 个字；同一上级分类下不能重名"},
    {"上级分类", 0, 's',
     "已有分类或本表前面行中的分类：完整路径（如 市容环境/乱扔垃圾）、名称或编码；"
     "留空为一级分类"},
    {"默认责任单位", 0, 's', "已有单位的名称；重名时写完整路径"},
    {"处置时限（小时）", 0, 'n', "0–8784 的整数；留空则沿用上级分类"},
    {"严重程度", 0, 's', "一般、较重 或 严重；留空为一般"},
    {"排序", 0, 'n', "0–99999 的整数，小的在前；留空为 0"},
    {"状态", 0, 's', "启用 或 停用；留空为启用"},
};

/*
 * GET /categories/export: every category, parents before children, with
 * the template's columns (the parent as its path), so the file imports
 * again as it is; audited.
 */
static int categories_export(struct req *r)
{
	struct category_import tree;
	struct category *cats;
	struct sheet_writer w;
	struct unit *units;
	struct error e;
	int i, n, nunits, rc;

	if (!req_db(r))
		return r->err.code;
	error_init(&e);
	if (category_all(r->db, r->who->tenant_id, &r->arena, &cats, &n, &e) ||
	    unit_all(r->db, r->who->tenant_id, &r->arena, &units, &nunits, &e))
		return req_fail_error(r, &e);
	/* the import's view of the tree gives every category its path */
	category_import_init(&tree, cats, n, 0, NULL, 0, NULL, &r->arena);
	rc = master_writer_init(&w, "问题分类", category_sheet_columns, CC_NCOLS, NULL, &r->arena,
	                        &e);
	for (i = 0; rc == 0 && i < n; i++) {
		const struct category *k = &cats[i];
		const char *cells[CC_NCOLS] = {
		    k->code,
		    k->name,
		    tree.parent[i] >= 0 ? tree.path[tree.parent[i]] : "",
		    unit_path(units, nunits, k->default_unit_id, &r->arena),
		    k->deadline_hours ? master_int_text(r, k->deadline_hours) : "",
		    category_severity_title(k->severity),
		    master_int_text(r, k->sort),
		    k->enabled ? "启用" : "停用",
		};

		rc = sheet_writer_row_typed(&w, "ssssnsns", cells, &e);
	}
	return http_reply_export(r, &w, rc, &e, "category.export", "category",
	                         json_pack("{s:i}", "rows", n), "categories", "问题分类");
}

/* GET /categories/import/template */
static int categories_template(struct req *r)
{
	static const char *const example[CC_NCOLS] = {
	    "SR09", "占用盲道", "市容环境", "县城管执法局", "48", "一般", "90", "启用"};

	return master_reply_template(r, "问题分类", category_sheet_columns, CC_NCOLS, example,
	                             "categories-template", "问题分类导入模板");
}

/* POST /categories/import (multipart "file"): every row or none, parents before children. */
static int categories_import(struct req *r)
{
	struct master_import im;
	struct category_import x;
	struct category *all;
	struct unit *units;
	struct error e;
	int nall, nunits, i, k, rc;

	error_init(&e);
	if (master_import_open(r, &im, category_sheet_columns, CC_NCOLS))
		return r->err.code;
	if (category_all(r->db, r->who->tenant_id, &r->arena, &all, &nall, &e) ||
	    unit_all(r->db, r->who->tenant_id, &r->arena, &units, &nunits, &e)) {
		master_import_release(&im);
		return req_fail_error(r, &e);
	}
	category_import_init(&x, all, nall, im.sh.nrows, units, nunits, im.errors, &r->arena);
	for (i = 1; i < im.sh.nrows; i++) {
		const char *cells[CC_NCOLS];

		for (k = 0; k < CC_NCOLS; k++)
			cells[k] = master_import_cell(&im, &im.sh.rows[i], k);
		category_import_check(&x, im.sh.rows[i].number, cells);
	}
	if (master_import_refused(r, &im))
		return 0;
	/* in sheet order: each parent has its real id before its children are written */
	rc = store_begin(r->db, 1, &e);
	for (i = x.nexisting; rc == 0 && i < x.n; i++) {
		struct category *c = &x.cats[i];

		c->parent_id = x.parent[i] >= 0 ? x.cats[x.parent[i]].id : 0;
		rc = category_insert(r->db, r->who->tenant_id, c, &e);
	}
	return master_import_commit(r, &im, rc, &e, "category.import", "category",
	                            x.n - x.nexisting);
}

void category_routes(struct router *rt)
{
	router_add(rt, "GET", "/api/v1/categories", categories_list, "master:category:view", 0);
	router_add(rt, "POST", "/api/v1/categories", categories_create, "master:category:edit", 0);
	router_add(rt, "GET", "/api/v1/categories/export", categories_export,
	           "master:category:view", 0);
	router_add(rt, "GET", "/api/v1/categories/import/template", categories_template,
	           "master:category:edit", 0);
	router_add(rt, "POST", "/api/v1/categories/import", categories_import,
	           "master:category:edit", MASTER_IMPORT_MAX_BODY);
	router_add(rt, "GET", "/api/v1/categories/{id}", categories_get, "master:category:view", 0);
	router_add(rt, "PUT", "/api/v1/categories/{id}", categories_update, "master:category:edit",
	           0);
	router_add(rt, "DELETE", "/api/v1/categories/{id}", categories_delete,
	           "master:category:edit", 0);
	router_add(rt, "GET", "/api/v1/categories/{id}/route", categories_route,
	           "master:category:view", 0);
}

void master_routes(struct router *rt)
{
	category_routes(rt);
	grid_routes(rt);
	point_routes(rt);
}

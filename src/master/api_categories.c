/*
 * api_categories.c - /categories: the problem category tree, and what the
 * master data endpoints share (references to units, codes, body fields).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "http/json_io.h"
#include "http/req.h"
#include "http/router.h"
#include "master/master_api.h"
#include "org/org.h"
#include "sheet/sheet.h"
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
		return error_set(e, ERR_INVALID, "code", "编码只能包含字母、数字、-、_ 和 .，最多 %d 位",
		                 MASTER_CODE_MAX);
	if (org_has_control(*name) || (*name)[0] == ' ' || (*name)[strlen(*name) - 1] == ' ')
		return error_set(e, ERR_INVALID, "name", "名称不能包含换行等控制字符，首尾不能有空格");
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

	if (org_query_bool(r, "enabled", &enabled) ||
	    (!as_tree && req_page(r, &offset, &limit)) || !req_db(r))
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
		return req_reply_json(r, 200,
		                      json_pack("{s:o, s:i}", "items", category_tree_json(hits, k),
		                                "total", k));
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
    "parent_id", "code", "name",    "default_unit_id", "default_deadline_hours", "severity",
    "sort",      "enabled", "id",   "default_unit_name", "severity_name",         "created_at",
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

	if (req_param_id(r, "id", &id) || org_query_id(r, "point_id", &point_id) ||
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

/* ---- export --------------------------------------------------------------------- */

static const char *const category_columns[] = {"分类编码", "分类名称", "上级分类编码", "默认责任单位",
                                               "处置时限（小时）", "严重程度", "排序", "状态"};

/* GET /categories/export: every category, parents first; audited. */
static int categories_export(struct req *r)
{
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
	rc = sheet_writer_init(&w, "问题分类", category_columns, 8, &e);
	for (i = 0; rc == 0 && i < n; i++) {
		const char *parent = "";
		int k;

		for (k = 0; k < n; k++)
			if (cats[k].id == cats[i].parent_id)
				parent = cats[k].code;
		{
			const char *cells[8] = {
			    cats[i].code,
			    cats[i].name,
			    parent,
			    unit_path(units, nunits, cats[i].default_unit_id, &r->arena),
			    cats[i].deadline_hours
			        ? arena_printf(&r->arena, "%lld", (long long)cats[i].deadline_hours)
			        : "",
			    category_severity_title(cats[i].severity),
			    arena_printf(&r->arena, "%lld", (long long)cats[i].sort),
			    cats[i].enabled ? "启用" : "停用",
			};

			rc = sheet_writer_row_typed(&w, "ssssnsns", cells, &e);
		}
	}
	return org_reply_export(r, &w, rc, &e, "category.export", "category",
	                        json_pack("{s:i}", "rows", n), "categories", "问题分类");
}

void category_routes(struct router *rt)
{
	router_add(rt, "GET", "/api/v1/categories", categories_list, "master:category:view", 0);
	router_add(rt, "POST", "/api/v1/categories", categories_create, "master:category:edit", 0);
	router_add(rt, "GET", "/api/v1/categories/export", categories_export,
	           "master:category:view", 0);
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

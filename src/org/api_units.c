/*
 * api_units.c - /units: the unit tree of a tenant, its export and import;
 * and the helpers the organisation's endpoints share (paging, filters,
 * downloads, import error lists).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http/json_io.h"
#include "http/multipart.h"
#include "http/reply.h"
#include "http/req.h"
#include "org/org.h"
#include "spreadsheet/spreadsheet.h"
#include "store/store.h"

#define IMPORT_MAX_BODY (10L << 20)

/* ---- fields ------------------------------------------------------------- */

/* Read the editable fields of a unit from body into u (absent ones keep u's values). */
static int unit_fields(json_t *body, struct unit *u, int create, struct error *e)
{
	const char *kind = NULL;
	int req = create ? JF_REQUIRED : 0;

	if (json_get_string(body, "name", req, 1, UNIT_NAME_MAX, &u->name, e) ||
	    json_get_string(body, "kind", req, 1, 32, &kind, e) ||
	    json_get_string(body, "leader", JF_NULLABLE, 0, UNIT_PERSON_MAX, &u->leader, e) ||
	    json_get_string(body, "liaison", JF_NULLABLE, 0, UNIT_PERSON_MAX, &u->liaison, e) ||
	    json_get_string(body, "phone", JF_NULLABLE, 0, UNIT_PHONE_MAX, &u->phone, e) ||
	    json_get_int(body, "sort", 0, 0, UNIT_SORT_MAX, &u->sort, e) ||
	    json_get_bool(body, "enabled", 0, &u->enabled, e))
		return e->code;
	if (kind && !(u->kind = unit_kind_key(kind)))
		return error_set(e, ERR_INVALID, "kind",
		                 "单位类型不正确，可选：总指挥部、创城办、工作组、分指挥部、部门、"
		                 "乡镇/街道、社区/村、企事业单位、其他");
	if (org_has_control(u->name) || org_has_control(u->leader) || org_has_control(u->liaison))
		return error_set(e, ERR_INVALID, org_has_control(u->name) ? "name" : "leader",
		                 "不能包含换行等控制字符");
	if (u->name[0] == ' ' || (*u->name && u->name[strlen(u->name) - 1] == ' '))
		return error_set(e, ERR_INVALID, "name", "单位名称首尾不能有空格");
	if (!org_phone_ok(u->phone))
		return error_set(e, ERR_INVALID, "phone", "联系电话只能包含数字、空格、+ 和 -");
	return 0;
}

/* parent_id of body: *present = 0 when absent; *id = 0 for null (top level). */
static int parent_field(json_t *body, int64_t *id, int *present, struct error *e)
{
	json_t *v = json_object_get(body, "parent_id");

	*id = 0;
	*present = v != NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < 1)
		return error_set(e, ERR_INVALID, "parent_id",
		                 "上级单位 parent_id 应为单位编号或 null");
	*id = json_integer_value(v);
	return 0;
}

/*
 * Load the new parent for a create or move by the caller's edit scope.  A
 * parent outside the scope reads as missing; a top-level unit needs the
 * whole tenant in scope.
 */
static int load_parent(struct req *r, struct store_conn *c, const struct scope *s, int64_t id,
                       struct unit *out, const struct unit **parent)
{
	struct error e;
	int rc;

	*parent = NULL;
	if (!id)
		return s->all ? 0 : req_fail(r, ERR_INVALID, "parent_id", "请选择上级单位");
	error_init(&e);
	rc = unit_get(c, r->who->tenant_id, s, id, &r->arena, out, &e);
	if (rc == ERR_NOT_FOUND)
		return req_fail(r, ERR_INVALID, "parent_id", "上级单位不存在");
	if (rc)
		return req_fail_error(r, &e);
	*parent = out;
	return 0;
}

/* ---- list, get ---------------------------------------------------------- */

/* The filters of GET /units and /units/export. */
static int list_filter(struct req *r, struct unit_filter *f, struct scope *s)
{
	const char *name = req_query(r, "name"), *kind = req_query(r, "kind");

	memset(f, 0, sizeof(*f));
	unit_scope(r->who, "org:unit:view", &r->arena, s);
	f->scope = s;
	if (name && strlen(name) > UNIT_NAME_MAX * 4)
		return req_fail(r, ERR_INVALID, "name", "名称过长");
	f->name = name && *name ? name : NULL;
	if (kind && *kind && !(f->kind = unit_kind_key(kind)))
		return req_fail(r, ERR_INVALID, "kind", "单位类型不正确");
	if (http_query_bool(r, "enabled", &f->enabled) ||
	    http_query_id(r, "parent_id", &f->parent_id))
		return r->err.code;
	return 0;
}

/* GET /units: a page, or with ?tree=1 every matching unit nested by parent. */
static int units_list(struct req *r)
{
	const char *tree = req_query(r, "tree");
	int as_tree = tree && (!strcmp(tree, "1") || !strcmp(tree, "true"));
	struct unit_filter f;
	struct unit *units;
	struct scope s;
	struct error e;
	int64_t total = 0;
	json_t *items;
	int i, n;

	if (list_filter(r, &f, &s) || (!as_tree && req_page(r, &f.offset, &f.limit)))
		return r->err.code;
	if (!req_db(r))
		return r->err.code;
	error_init(&e);
	if (unit_list(r->db, r->who->tenant_id, &f, &r->arena, &units, &n, &total, &e))
		return req_fail_error(r, &e);
	if (as_tree) {
		items = unit_tree_json(units, n, &r->arena);
	} else {
		items = json_array();
		for (i = 0; i < n; i++)
			json_array_append_new(items, unit_json(&units[i]));
	}
	return req_reply_json(r, 200,
	                      json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)total));
}

/* GET /units/{id} */
static int units_get(struct req *r)
{
	struct unit u;
	struct scope s;
	struct error e;
	int64_t id;

	if (req_param_id(r, "id", &id) || !req_db(r))
		return r->err.code;
	unit_scope(r->who, "org:unit:view", &r->arena, &s);
	error_init(&e);
	if (unit_get(r->db, r->who->tenant_id, &s, id, &r->arena, &u, &e))
		return req_fail_error(r, &e);
	return req_reply_json(r, 200, unit_json(&u));
}

/* ---- create, update, move, delete ----------------------------------------- */

/* POST /units */
static int units_create(struct req *r)
{
	static const char *const fields[] = {"parent_id", "name", "kind",    "leader", "liaison",
	                                     "phone",     "sort", "enabled", NULL};
	struct unit u, parent_row;
	const struct unit *parent;
	struct store_conn *c;
	struct scope s;
	struct error e;
	int64_t parent_id;
	int present, taken, rc;
	json_t *body;

	memset(&u, 0, sizeof(u));
	u.leader = u.liaison = u.phone = "";
	u.enabled = 1;
	if (req_body_json(r, &body))
		return r->err.code;
	error_init(&e);
	if (json_only_keys(body, fields, &e) || parent_field(body, &parent_id, &present, &e) ||
	    unit_fields(body, &u, 1, &e))
		return req_fail_error(r, &e);
	if (!(c = req_db(r)))
		return r->err.code;
	unit_scope(r->who, "org:unit:edit", &r->arena, &s);
	if (load_parent(r, c, &s, parent_id, &parent_row, &parent))
		return r->err.code;
	if (unit_name_taken(c, r->who->tenant_id, parent_id, u.name, 0, &taken, &e))
		return req_fail_error(r, &e);
	if (taken)
		return req_fail(r, ERR_CONFLICT, "name", "同一上级单位下已有名为“%s”的单位",
		                u.name);
	rc = store_begin(c, 1, &e);
	if (!rc)
		rc = unit_insert(c, r->who->tenant_id, &u, parent, &r->arena, &e);
	if (!rc)
		rc = req_audit(r, c, "unit.create", "unit", u.id,
		               json_pack("{s:s, s:s, s:o}", "name", u.name, "kind", u.kind,
		                         "parent_id",
		                         parent ? json_integer(parent->id) : json_null()));
	if (req_tx_end(r, c, rc, &e))
		return r->err.code;
	return req_reply_json(r, 201, unit_json(&u));
}

/*
 * PUT /units/{id}: the editable fields; a different parent_id moves the
 * unit as POST /units/{id}/move does.  The read-only fields of the unit
 * (as GET returned it) may come back and are ignored.
 */
static int units_update(struct req *r)
{
	static const char *const fields[] = {
	    "parent_id", "name", "kind",      "leader",     "liaison",    "phone", "sort",
	    "enabled",   "id",   "ancestors", "created_at", "updated_at", NULL};
	struct unit u, old, parent_row;
	const struct unit *parent = NULL;
	struct store_conn *c;
	struct scope s;
	struct error e;
	int64_t id, parent_id;
	int present, moving, taken, rc;
	json_t *body;

	if (req_param_id(r, "id", &id) || req_body_json(r, &body) || !(c = req_db(r)))
		return r->err.code;
	unit_scope(r->who, "org:unit:edit", &r->arena, &s);
	error_init(&e);
	if (unit_get(c, r->who->tenant_id, &s, id, &r->arena, &old, &e))
		return req_fail_error(r, &e);
	u = old;
	if (json_only_keys(body, fields, &e) || parent_field(body, &parent_id, &present, &e) ||
	    unit_fields(body, &u, 0, &e))
		return req_fail_error(r, &e);
	moving = present && parent_id != old.parent_id;
	if (moving && load_parent(r, c, &s, parent_id, &parent_row, &parent))
		return r->err.code;
	if (unit_name_taken(c, r->who->tenant_id, moving ? parent_id : old.parent_id, u.name, id,
	                    &taken, &e))
		return req_fail_error(r, &e);
	if (taken)
		return req_fail(r, ERR_CONFLICT, "name", "同一上级单位下已有名为“%s”的单位",
		                u.name);
	rc = store_begin(c, 1, &e);
	if (!rc)
		rc = unit_update(c, r->who->tenant_id, &u, &e);
	if (!rc && moving)
		rc = unit_move(c, r->who->tenant_id, &old, parent, &e);
	if (!rc) {
		json_t *sum = json_pack("{s:s, s:s, s:b}", "name", u.name, "kind", u.kind,
		                        "enabled", u.enabled);

		if (strcmp(u.name, old.name))
			json_object_set_new(sum, "old_name", json_string(old.name));
		if (moving)
			json_object_set_new(sum, "parent_id",
			                    parent ? json_integer(parent->id) : json_null());
		rc = req_audit(r, c, "unit.update", "unit", id, sum);
	}
	if (req_tx_end(r, c, rc, &e))
		return r->err.code;
	if (unit_get(c, r->who->tenant_id, NULL, id, &r->arena, &u, &e))
		return req_fail_error(r, &e);
	return req_reply_json(r, 200, unit_json(&u));
}

/* POST /units/{id}/move {"parent_id"}: the unit and its subtree; 409 on a cycle. */
static int units_move(struct req *r)
{
	static const char *const fields[] = {"parent_id", NULL};
	struct unit u, parent_row;
	const struct unit *parent;
	struct store_conn *c;
	struct scope s;
	struct error e;
	int64_t id, parent_id;
	int present, taken, rc;
	json_t *body;

	if (req_param_id(r, "id", &id) || req_body_json(r, &body) || !(c = req_db(r)))
		return r->err.code;
	error_init(&e);
	if (json_only_keys(body, fields, &e) || parent_field(body, &parent_id, &present, &e))
		return req_fail_error(r, &e);
	if (!present)
		return req_fail(r, ERR_INVALID, "parent_id", "缺少必填字段 parent_id");
	unit_scope(r->who, "org:unit:edit", &r->arena, &s);
	if (unit_get(c, r->who->tenant_id, &s, id, &r->arena, &u, &e))
		return req_fail_error(r, &e);
	if (load_parent(r, c, &s, parent_id, &parent_row, &parent))
		return r->err.code;
	if (parent && !strncmp(parent->ancestors, u.ancestors, strlen(u.ancestors)))
		return req_fail(r, ERR_CONFLICT, "parent_id",
		                parent->id == u.id ? "不能把单位移动到它自己之下"
		                                   : "不能把单位移动到它自己的下级单位之下");
	if (unit_name_taken(c, r->who->tenant_id, parent_id, u.name, id, &taken, &e))
		return req_fail_error(r, &e);
	if (taken)
		return req_fail(r, ERR_CONFLICT, "parent_id", "新的上级单位下已有名为“%s”的单位",
		                u.name);
	rc = store_begin(c, 1, &e);
	if (!rc)
		rc = unit_move(c, r->who->tenant_id, &u, parent, &e);
	if (!rc)
		rc = req_audit(r, c, "unit.move", "unit", id,
		               json_pack("{s:s, s:o, s:o}", "name", u.name, "from",
		                         u.parent_id ? json_integer(u.parent_id) : json_null(),
		                         "to", parent ? json_integer(parent->id) : json_null()));
	if (req_tx_end(r, c, rc, &e))
		return r->err.code;
	if (unit_get(c, r->who->tenant_id, NULL, id, &r->arena, &u, &e))
		return req_fail_error(r, &e);
	return req_reply_json(r, 200, unit_json(&u));
}

/* DELETE /units/{id}: 409 while it has sub-units or users. */
static int units_delete(struct req *r)
{
	struct store_conn *c;
	struct unit u;
	struct scope s;
	struct error e;
	int64_t id;
	int rc;

	if (req_param_id(r, "id", &id) || !(c = req_db(r)))
		return r->err.code;
	unit_scope(r->who, "org:unit:edit", &r->arena, &s);
	error_init(&e);
	if (unit_get(c, r->who->tenant_id, &s, id, &r->arena, &u, &e))
		return req_fail_error(r, &e);
	rc = store_begin(c, 1, &e);
	if (!rc)
		rc = unit_delete(c, r->who->tenant_id, id, &e);
	if (!rc)
		rc = req_audit(r, c, "unit.delete", "unit", id,
		               json_pack("{s:s, s:s}", "name", u.name, "kind", u.kind));
	if (req_tx_end(r, c, rc, &e))
		return r->err.code;
	return req_reply_empty(r);
}

/* ---- export, template ------------------------------------------------------ */

/* The export has the import's columns, so an exported sheet imports as is. */
#define UNIT_NCOLS UC_NCOLS

/* GET /units/export: what the list filters select, parents before children; audited. */
static int units_export(struct req *r)
{
	static const char *const filters[] = {"name", "kind", "enabled", "parent_id", NULL};
	struct unit_filter f;
	struct unit *units, *all;
	struct sheet_writer w;
	struct scope s;
	struct error e;
	int64_t total;
	int i, n, nall, rc;

	if (list_filter(r, &f, &s) || !req_db(r))
		return r->err.code;
	error_init(&e);
	if (unit_list(r->db, r->who->tenant_id, &f, &r->arena, &units, &n, &total, &e) ||
	    unit_all(r->db, r->who->tenant_id, &r->arena, &all, &nall, &e))
		return req_fail_error(r, &e);
	unit_tree_order(units, n, &r->arena);
	rc = sheet_writer_init(&w, "单位", unit_import_columns, UNIT_NCOLS, &e);
	for (i = 0; rc == 0 && i < n; i++) {
		const struct unit *u = &units[i];
		const char *cells[UNIT_NCOLS] = {
		    u->name,
		    unit_kind_title(u->kind),
		    unit_path(all, nall, u->parent_id, &r->arena),
		    u->leader,
		    u->liaison,
		    u->phone,
		    arena_printf(&r->arena, "%lld", (long long)u->sort),
		    u->enabled ? "启用" : "停用",
		};

		rc = sheet_writer_row_typed(&w, "ssssssns", cells, &e);
	}
	return http_reply_export(r, &w, rc, &e, "unit.export", "unit",
	                         http_query_summary(r, filters, n), "units", "单位");
}

static const struct sheet_column unit_columns[UNIT_NCOLS] = {
    {"单位名称", 1, 's', "最多 64 个字；同一上级单位下不能重名"},
    {"单位类型", 1, 's',
     "总指挥部、创城办、工作组、分指挥部、部门、乡镇/街道、社区/村、企事业单位、其他"},
    {"上级单位", 0, 's',
     "已有单位或本表前面行中的单位名称；重名时写完整路径，如 示例县总指挥部/创城办；"
     "留空为顶级单位"},
    {"包抓领导", 0, 's', "最多 32 个字"},
    {"联络员", 0, 's', "最多 32 个字"},
    {"联系电话", 0, 's', "数字、空格、+ 和 -，最多 20 位"},
    {"排序", 0, 'n', "0–99999 的整数，小的在前；留空为 0"},
    {"状态", 0, 's', "启用 或 停用；留空为启用"},
};

/* GET /units/import/template */
static int units_template(struct req *r)
{
	static const char *const example[UNIT_NCOLS] = {"县住建局", "部门",   "示例县总指挥部",
	                                                "王建华",   "李秀英", "0571-12345678",
	                                                "10",       "启用"};
	struct error e;
	void *data;
	size_t len;

	error_init(&e);
	if (sheet_template("单位", unit_columns, UNIT_NCOLS, example, &data, &len, &e))
		return req_fail_error(r, &e);
	return http_reply_xlsx(r, data, len, "units-template", "单位导入模板");
}

/* ---- import ---------------------------------------------------------------- */

/* POST /units/import (multipart "file"): all rows or none. */
static int units_import(struct req *r)
{
	struct sheet sh = SHEET_INIT;
	struct store_conn *c;
	struct unit *all;
	struct unit_import p;
	struct scope s;
	struct error e;
	const char *filename;
	const void *data;
	size_t len;
	int col[UC_NCOLS], nall, i, rc;
	json_t *errors;

	error_init(&e);
	if (req_multipart_file(r, "file", &data, &len, &filename, &e) ||
	    sheet_read(data, len, filename, &sh, &e)) {
		sheet_release(&sh);
		return req_fail_error(r, &e);
	}
	if (!(c = req_db(r)) || unit_all(c, r->who->tenant_id, &r->arena, &all, &nall, &e)) {
		sheet_release(&sh);
		return r->err.code ? r->err.code : req_fail_error(r, &e);
	}
	unit_scope(r->who, "org:unit:import", &r->arena, &s);
	errors = json_array();
	if (org_import_header(&sh, unit_import_columns, UC_NCOLS, 2, col, errors)) {
		sheet_release(&sh);
		return http_reply_import_errors(r, errors);
	}
	unit_import_init(&p, all, nall, sh.nrows, &s, errors, &r->arena);
	for (i = 1; i < sh.nrows; i++)
		unit_import_check(&p, &sh.rows[i], col);
	if (json_array_size(errors)) {
		sheet_release(&sh);
		return http_reply_import_errors(r, errors);
	}
	json_decref(errors);

	/* Every row is good: insert in sheet order, so each parent exists before its children. */
	rc = store_begin(c, 1, &e);
	for (i = p.nexisting; rc == 0 && i < p.n; i++) {
		const struct unit *parent = p.parent[i] >= 0 ? &p.units[p.parent[i]] : NULL;

		rc = unit_insert(c, r->who->tenant_id, &p.units[i], parent, &r->arena, &e);
	}
	if (!rc)
		rc = req_audit(
		    r, c, "unit.import", "unit", 0,
		    json_pack("{s:i, s:s}", "count", p.n - p.nexisting, "file", filename));
	sheet_release(&sh);
	if (req_tx_end(r, c, rc, &e))
		return r->err.code;
	return req_reply_json(r, 200,
	                      json_pack("{s:i, s:[]}", "imported", p.n - p.nexisting, "errors"));
}

/* ---- routes ---------------------------------------------------------------- */

void unit_routes(struct router *rt)
{
	router_add(rt, "GET", "/api/v1/units", units_list, "org:unit:view", 0);
	router_add(rt, "POST", "/api/v1/units", units_create, "org:unit:edit", 0);
	router_add(rt, "GET", "/api/v1/units/export", units_export, "org:unit:export", 0);
	router_add(rt, "GET", "/api/v1/units/import/template", units_template, "org:unit:import",
	           0);
	router_add(rt, "POST", "/api/v1/units/import", units_import, "org:unit:import",
	           IMPORT_MAX_BODY);
	router_add(rt, "GET", "/api/v1/units/{id}", units_get, "org:unit:view", 0);
	router_add(rt, "PUT", "/api/v1/units/{id}", units_update, "org:unit:edit", 0);
	router_add(rt, "DELETE", "/api/v1/units/{id}", units_delete, "org:unit:edit", 0);
	router_add(rt, "POST", "/api/v1/units/{id}/move", units_move, "org:unit:edit", 0);
}

void org_routes(struct router *rt)
{
	unit_routes(rt);
	user_routes(rt);
}

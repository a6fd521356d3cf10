/*
 * api_frameworks.c - /frameworks: versions of the evaluation framework, the
 * indicator tree, copying a version, activating one, and the xlsx/csv
 * import (all-or-nothing), its template and the export.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "http/json_io.h"
#include "http/multipart.h"
#include "http/req.h"
#include "http/router.h"
#include "inspect/grading.h"
#include "inspect/inspect.h"
#include "inspect/inspect_api.h"
#include "master/master.h"
#include "master/master_api.h"
#include "files/files.h"
#include "org/org.h"
#include "spreadsheet/spreadsheet.h"
#include "store/store.h"

#define IMPORT_MAX_BODY (10L << 20)

/* ---- helpers shared by the inspect api files ------------------------------- */

int inspect_round_scope(struct req *r, struct scope *s)
{
	principal_scope(r->who, "inspection:round:view", &r->arena, s);
	return 0;
}

int inspect_json_ids(struct req *r, json_t *body, const char *key, int max, int64_t **ids, int *n)
{
	json_t *arr = json_object_get(body, key), *v;
	size_t i;
	int k;

	*n = 0;
	*ids = NULL;
	if (!arr || json_is_null(arr))
		return 0;
	if (!json_is_array(arr))
		return req_fail(r, ERR_INVALID, key, "%s 应为编号的数组", key);
	if ((int)json_array_size(arr) > max)
		return req_fail(r, ERR_INVALID, key, "%s 最多 %d 个", key, max);
	*ids = arena_calloc(&r->arena, (json_array_size(arr) + 1) * sizeof(int64_t));
	json_array_foreach(arr, i, v)
	{
		if (!json_is_integer(v) || json_integer_value(v) < 1)
			return req_fail(r, ERR_INVALID, key, "%s 应为编号的数组", key);
		for (k = 0; k < *n; k++)
			if ((*ids)[k] == json_integer_value(v))
				return req_fail(r, ERR_INVALID, key, "%s 中有重复的编号", key);
		(*ids)[(*n)++] = json_integer_value(v);
	}
	return 0;
}

int inspect_json_number(struct req *r, json_t *body, const char *key, double lo, double hi,
                        double *out, int *present)
{
	json_t *v = json_object_get(body, key);

	if (present)
		*present = v && !json_is_null(v);
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_number(v) || !(json_number_value(v) >= lo && json_number_value(v) <= hi))
		return req_fail(r, ERR_INVALID, key, "%s 应为 %g 到 %g 之间的数", key, lo, hi);
	*out = json_number_value(v);
	return 0;
}

/* The framework of the path's {id} (or fid). */
int inspect_framework_param(struct req *r, const char *param, struct framework *f)
{
	struct error e;
	int64_t id;

	if (req_param_id(r, param, &id) || !req_db(r))
		return r->err.code;
	error_init(&e);
	if (framework_get(r->db, r->who->tenant_id, id, &r->arena, f, &e))
		return req_fail_error(r, &e);
	return 0;
}

/* ---- frameworks ---------------------------------------------------------------- */

static int frameworks_list(struct req *r)
{
	const char *kw = req_query(r, "keyword");
	struct framework *list;
	struct error e;
	json_t *items;
	int i, n;

	if (kw && strlen(kw) > 200)
		return req_fail(r, ERR_INVALID, "keyword", "关键字过长");
	if (!req_db(r))
		return r->err.code;
	error_init(&e);
	if (framework_list(r->db, r->who->tenant_id, kw, &r->arena, &list, &n, &e))
		return req_fail_error(r, &e);
	items = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(items, framework_json(&list[i]));
	return req_reply_json(r, 200, json_pack("{s:o, s:i}", "items", items, "total", n));
}

static int frameworks_get(struct req *r)
{
	struct framework f;

	if (inspect_framework_param(r, "id", &f))
		return r->err.code;
	return req_reply_json(r, 200, framework_json(&f));
}

/*
 * name and note of body into f; name required when create.  minors_gate (the
 * minors' part's gate out of 100) and feature_cap (the most local features
 * add) change on PUT only: a new framework starts at 85 and 5.
 */
static int framework_fields(struct req *r, json_t *body, struct framework *f, int create)
{
	static const char *const keys[] = {"name", "note", "minors_gate", "feature_cap", NULL};
	struct error e;
	int given;

	error_init(&e);
	if (json_only_keys(body, keys, &e) ||
	    json_get_string(body, "name", create ? JF_REQUIRED : 0, 1, FW_NAME_MAX, &f->name, &e) ||
	    json_get_string(body, "note", JF_NULLABLE, 0, FW_NOTE_MAX, &f->note, &e))
		return req_fail_error(r, &e);
	if (org_has_control(f->name))
		return req_fail(r, ERR_INVALID, "name", "名称不能包含换行等控制字符");
	if (create &&
	    (json_object_get(body, "minors_gate") || json_object_get(body, "feature_cap")))
		return req_fail(r, ERR_INVALID, "minors_gate", "门槛和特色指标上限在创建后修改");
	if (inspect_json_number(r, body, "minors_gate", 0, 100, &f->minors_gate, &given) ||
	    inspect_json_number(r, body, "feature_cap", 0, 100, &f->feature_cap, &given))
		return r->err.code;
	return 0;
}

/* Reply with framework id re-read after a change. */
static int framework_reply(struct req *r, int64_t id, int status)
{
	struct framework f;
	struct error e;

	error_init(&e);
	if (framework_get(r->db, r->who->tenant_id, id, &r->arena, &f, &e))
		return req_fail_error(r, &e);
	return req_reply_json(r, status, framework_json(&f));
}

static int frameworks_create(struct req *r)
{
	struct framework f;
	struct error e;
	json_t *body;
	int rc;

	memset(&f, 0, sizeof(f));
	f.note = "";
	if (req_body_json(r, &body) || framework_fields(r, body, &f, 1) || !req_db(r))
		return r->err.code;
	error_init(&e);
	rc = store_begin(r->db, 1, &e);
	if (!rc)
		rc = framework_insert(r->db, r->who->tenant_id, &f, &e);
	if (!rc)
		rc = req_audit(r, r->db, "framework.create", "framework", f.id,
		               json_pack("{s:s}", "name", f.name));
	if (req_tx_end(r, r->db, rc, &e))
		return r->err.code;
	return framework_reply(r, f.id, 201);
}

static int frameworks_update(struct req *r)
{
	struct framework f;
	struct error e;
	json_t *body;
	int rc;

	if (inspect_framework_param(r, "id", &f) || req_body_json(r, &body) ||
	    framework_fields(r, body, &f, 0))
		return r->err.code;
	error_init(&e);
	rc = store_begin(r->db, 1, &e);
	if (!rc)
		rc = framework_update(r->db, r->who->tenant_id, &f, &e);
	if (!rc)
		rc = req_audit(r, r->db, "framework.update", "framework", f.id,
		               json_pack("{s:s, s:f, s:f}", "name", f.name, "minors_gate",
		                         f.minors_gate, "feature_cap", f.feature_cap));
	if (req_tx_end(r, r->db, rc, &e))
		return r->err.code;
	return framework_reply(r, f.id, 200);
}

static int frameworks_delete(struct req *r)
{
	struct framework f;
	struct error e;
	int rc;

	if (inspect_framework_param(r, "id", &f))
		return r->err.code;
	if (f.active)
		return req_fail(r, ERR_CONFLICT, NULL,
		                "正在使用的测评体系不能删除，请先启用其他版本");
	error_init(&e);
	rc = store_begin(r->db, 1, &e);
	if (!rc)
		rc = framework_check_unlocked(r->db, f.id, &e);
	if (!rc)
		rc = framework_delete(r->db, r->who->tenant_id, f.id, &e);
	if (!rc)
		rc = req_audit(r, r->db, "framework.delete", "framework", f.id,
		               json_pack("{s:s}", "name", f.name));
	if (req_tx_end(r, r->db, rc, &e))
		return r->err.code;
	return req_reply_empty(r);
}

static int frameworks_copy(struct req *r)
{
	struct framework from, to;
	struct error e;
	json_t *body;
	int rc;

	memset(&to, 0, sizeof(to));
	to.note = "";
	if (inspect_framework_param(r, "id", &from) || req_body_json(r, &body) ||
	    framework_fields(r, body, &to, 1))
		return r->err.code;
	to.copied_from = from.id;
	error_init(&e);
	rc = store_begin(r->db, 1, &e);
	if (!rc)
		rc = framework_insert(r->db, r->who->tenant_id, &to, &e);
	if (!rc)
		rc = framework_copy_content(r->db, from.id, to.id, &e);
	if (!rc)
		rc = req_audit(
		    r, r->db, "framework.copy", "framework", to.id,
		    json_pack("{s:s, s:I}", "name", to.name, "copied_from", (json_int_t)from.id));
	if (req_tx_end(r, r->db, rc, &e))
		return r->err.code;
	return framework_reply(r, to.id, 201);
}

static int frameworks_activate(struct req *r)
{
	struct framework f;
	struct error e;
	int rc;

	if (inspect_framework_param(r, "id", &f))
		return r->err.code;
	if (!f.standards)
		return req_fail(r, ERR_CONFLICT, NULL, "测评体系中还没有测评标准，不能启用");
	error_init(&e);
	rc = store_begin(r->db, 1, &e);
	if (!rc)
		rc = framework_activate(r->db, r->who->tenant_id, f.id, &e);
	if (!rc)
		rc = req_audit(r, r->db, "framework.activate", "framework", f.id,
		               json_pack("{s:s}", "name", f.name));
	if (req_tx_end(r, r->db, rc, &e))
		return r->err.code;
	return framework_reply(r, f.id, 200);
}

/* ---- indicators ------------------------------------------------------------------ */

static int indicators_tree(struct req *r)
{
	struct framework f;
	struct indicator *all;
	struct ref *units, *types;
	struct error e;
	int n, nu, nt;
	json_t *tree;

	if (inspect_framework_param(r, "id", &f))
		return r->err.code;
	error_init(&e);
	if (indicator_all(r->db, f.id, &r->arena, &all, &n, &units, &nu, &types, &nt, &e))
		return req_fail_error(r, &e);
	tree = indicator_tree_json(all, n, units, nu, types, nt);
	json_object_set_new(tree, "framework",
	                    json_pack("{s:I, s:s, s:b, s:b}", "id", (json_int_t)f.id, "name",
	                              f.name, "active", f.active, "locked", f.rounds > 0));
	return req_reply_json(r, 200, tree);
}

/* Reply with one node, its units and point types. */
static int indicator_reply(struct req *r, int64_t fid, int64_t id, int status)
{
	struct indicator *all;
	struct ref *units, *types;
	struct error e;
	int n, nu, nt, i;

	error_init(&e);
	if (indicator_all(r->db, fid, &r->arena, &all, &n, &units, &nu, &types, &nt, &e))
		return req_fail_error(r, &e);
	for (i = 0; i < n; i++)
		if (all[i].id == id)
			return req_reply_json(r, status,
			                      indicator_json(&all[i], units, nu, types, nt));
	return req_fail(r, ERR_NOT_FOUND, NULL, "测评指标不存在");
}

static int indicators_get(struct req *r)
{
	struct framework f;
	int64_t id;

	if (inspect_framework_param(r, "id", &f) || req_param_id(r, "iid", &id))
		return r->err.code;
	return indicator_reply(r, f.id, id, 200);
}

/* The methods array of body into *bits; present says whether it was there. */
static int methods_field(struct req *r, json_t *body, int *bits, int *present)
{
	json_t *arr = json_object_get(body, "methods"), *v;
	size_t i;

	*present = arr && !json_is_null(arr);
	if (!*present)
		return 0;
	if (!json_is_array(arr) || !json_array_size(arr))
		return req_fail(r, ERR_INVALID, "methods", "请选择测评方法");
	*bits = 0;
	json_array_foreach(arr, i, v)
	{
		int b = json_is_string(v) ? methods_parse(json_string_value(v)) : -1;

		if (b <= 0 || (b & (b - 1)))
			return req_fail(r, ERR_INVALID, "methods",
			                "测评方法应为 field、questionnaire、materials 或 data");
		if (*bits & b)
			return req_fail(r, ERR_INVALID, "methods", "测评方法重复");
		*bits |= b;
	}
	return 0;
}

struct ind_body {
	int64_t *unit_ids, *type_ids;
	int nunits, ntypes;
	int units_given, types_given;
};

/* The fields of a node's body into ind (level already known). */
static int indicator_fields(struct req *r, json_t *body, struct indicator *ind, int create,
                            struct ind_body *x)
{
	static const char *const keys[] = {
	    "parent_id", "code",           "title", "weight",  "methods", "lead_unit_id",
	    "unit_ids",  "point_type_ids", "sort",  "grading", "section", NULL};
	int has_weight = 0, has_methods = 0, has_lead = 0, i;
	const char *section = NULL;
	struct error e;
	json_t *grading;

	memset(x, 0, sizeof(*x));
	error_init(&e);
	if (json_only_keys(body, keys, &e) ||
	    json_get_string(body, "code", create ? JF_REQUIRED : 0, 1, IND_CODE_MAX, &ind->code,
	                    &e) ||
	    json_get_string(body, "title", create ? JF_REQUIRED : 0, 1, IND_TITLE_MAX, &ind->title,
	                    &e) ||
	    json_get_int(body, "sort", 0, 0, MASTER_SORT_MAX, &ind->sort, &e) ||
	    json_get_string(body, "section", 0, 1, 10, &section, &e) ||
	    master_id_field(body, "lead_unit_id", &ind->lead_unit_id, &has_lead, &e))
		return req_fail_error(r, &e);
	if (!indicator_code_ok(ind->code))
		return req_fail(r, ERR_INVALID, "code",
		                "编码只能包含字母（含罗马数字、全角字母、汉字）、数字、横线、点、"
		                "下划线和括号，最多 32 个字符");
	if (!indicator_text_ok(ind->title))
		return req_fail(r, ERR_INVALID, "title", "内容不能包含换行、制表符以外的控制字符");
	if (section) {
		if (!section_ok(section))
			return req_fail(r, ERR_INVALID, "section",
			                "所属部分应为 main、minors 或 feature");
		if (ind->level != 1)
			return req_fail(r, ERR_INVALID, "section",
			                "所属部分设在测评项目（第一级）上");
		ind->section = section;
	}
	grading = json_object_get(body, "grading");
	if (grading) {
		struct grading g;
		char msg[160];

		if (ind->level != 3 && !json_is_null(grading))
			return req_fail(r, ERR_INVALID, "grading",
			                "评分方式只属于测评标准（第三级）");
		if (grading_from_json(grading, &g, msg))
			return req_fail(r, ERR_INVALID, "grading", "%s", msg);
		if (g.kind == GRADING_CREDITS) {
			ind->grading = "";
		} else {
			json_t *norm = grading_json(&g);
			char *text = json_dumps(norm, JSON_COMPACT);

			ind->grading = arena_strdup(&r->arena, text ? text : "");
			free(text);
			json_decref(norm);
		}
		/* the sheet's words no longer say what the scheme is */
		ind->grading_text = "";
	}
	if (inspect_json_number(r, body, "weight", 0, 100, &ind->weight, &has_weight) ||
	    methods_field(r, body, &ind->methods, &has_methods) ||
	    inspect_json_ids(r, body, "unit_ids", IND_MAX_UNITS, &x->unit_ids, &x->nunits) ||
	    inspect_json_ids(r, body, "point_type_ids", 100, &x->type_ids, &x->ntypes))
		return r->err.code;
	if (has_methods)
		ind->method_text = ""; /* the export writes the built-in words */
	x->units_given = json_object_get(body, "unit_ids") != NULL;
	x->types_given = json_object_get(body, "point_type_ids") != NULL;
	if (ind->level < 3) {
		if ((has_weight && ind->weight != 0) || has_methods || ind->lead_unit_id ||
		    x->nunits || x->ntypes)
			return req_fail(
			    r, ERR_INVALID,
			    has_weight    ? "weight"
			    : has_methods ? "methods"
			                  : "unit_ids",
			    "分值、测评方法、责任单位和点位类型只属于测评标准（第三级）");
		return 0;
	}
	if (!ind->methods)
		return req_fail(r, ERR_INVALID, "methods", "请选择测评方法");
	if (x->ntypes && !(ind->methods & METHOD_FIELD))
		return req_fail(r, ERR_INVALID, "point_type_ids",
		                "只有实地考察的测评标准才有考察点位类型");
	if (master_check_unit(r, ind->lead_unit_id, "lead_unit_id"))
		return r->err.code;
	for (i = 0; i < x->nunits; i++)
		if (master_check_unit(r, x->unit_ids[i], "unit_ids"))
			return r->err.code;
	for (i = 0; i < x->ntypes; i++) {
		struct point_type t;

		error_init(&e);
		if (point_type_get(r->db, r->who->tenant_id, x->type_ids[i], &r->arena, &t, &e))
			return req_fail(r, ERR_INVALID, "point_type_ids", "点位类型 %lld 不存在",
			                (long long)x->type_ids[i]);
	}
	return 0;
}

/* Keep the stored units / point types not given in the body. */
static int indicator_keep_refs(struct req *r, int64_t fid, int64_t id, struct ind_body *x)
{
	struct indicator *all;
	struct ref *units, *types;
	struct error e;
	int n, nu, nt, i;

	if (x->units_given && x->types_given)
		return 0;
	error_init(&e);
	if (indicator_all(r->db, fid, &r->arena, &all, &n, &units, &nu, &types, &nt, &e))
		return req_fail_error(r, &e);
	if (!x->units_given) {
		x->unit_ids = arena_calloc(&r->arena, (size_t)(nu + 1) * sizeof(int64_t));
		for (i = 0; i < nu; i++)
			if (units[i].owner == id)
				x->unit_ids[x->nunits++] = units[i].id;
	}
	if (!x->types_given) {
		x->type_ids = arena_calloc(&r->arena, (size_t)(nt + 1) * sizeof(int64_t));
		for (i = 0; i < nt; i++)
			if (types[i].owner == id)
				x->type_ids[x->ntypes++] = types[i].id;
	}
	return 0;
}

static int indicators_save(struct req *r, int create)
{
	struct framework f;
	struct indicator ind, parent;
	struct ind_body x;
	struct error e;
	json_t *body;
	int64_t id = 0;
	int rc;

	memset(&ind, 0, sizeof(ind));
	if (inspect_framework_param(r, "id", &f) || (!create && req_param_id(r, "iid", &id)) ||
	    req_body_json(r, &body))
		return r->err.code;
	error_init(&e);
	if (!create && indicator_get(r->db, f.id, id, &r->arena, &ind, &e))
		return req_fail_error(r, &e);
	if (create) {
		if (master_id_field(body, "parent_id", &ind.parent_id, NULL, &e))
			return req_fail_error(r, &e);
		ind.framework_id = f.id;
		ind.level = 1;
		if (ind.parent_id) {
			rc = indicator_get(r->db, f.id, ind.parent_id, &r->arena, &parent, &e);
			if (rc == ERR_NOT_FOUND)
				return req_fail(r, ERR_INVALID, "parent_id", "上级指标不存在");
			if (rc)
				return req_fail_error(r, &e);
			if (parent.level >= 3)
				return req_fail(r, ERR_INVALID, "parent_id",
				                "测评标准下不能再添加下级");
			ind.level = parent.level + 1;
			ind.section = parent.section; /* a project's children are in its part */
		}
	} else if (json_object_get(body, "parent_id")) {
		return req_fail(r, ERR_INVALID, "parent_id", "不能修改上级指标");
	}
	if (indicator_fields(r, body, &ind, create, &x) ||
	    (!create && indicator_keep_refs(r, f.id, ind.id, &x)))
		return r->err.code;
	rc = store_begin(r->db, 1, &e);
	if (!rc)
		rc = framework_check_unlocked(r->db, f.id, &e);
	if (!rc)
		rc = create ? indicator_insert(r->db, &ind, &e) : indicator_update(r->db, &ind, &e);
	if (!rc && ind.level == 3)
		rc = indicator_set_refs(r->db, ind.id, x.unit_ids, x.nunits, x.type_ids, x.ntypes,
		                        &e);
	if (!rc)
		rc = req_audit(r, r->db, create ? "indicator.create" : "indicator.update",
		               "indicator", ind.id,
		               json_pack("{s:I, s:s, s:s}", "framework_id", (json_int_t)f.id,
		                         "code", ind.code, "title", ind.title));
	if (req_tx_end(r, r->db, rc, &e))
		return r->err.code;
	return indicator_reply(r, f.id, ind.id, create ? 201 : 200);
}

static int indicators_create(struct req *r)
{
	return indicators_save(r, 1);
}

static int indicators_update(struct req *r)
{
	return indicators_save(r, 0);
}

static int indicators_delete(struct req *r)
{
	struct framework f;
	struct indicator ind;
	struct error e;
	int64_t id;
	int rc;

	if (inspect_framework_param(r, "id", &f) || req_param_id(r, "iid", &id))
		return r->err.code;
	error_init(&e);
	if (indicator_get(r->db, f.id, id, &r->arena, &ind, &e))
		return req_fail_error(r, &e);
	rc = store_begin(r->db, 1, &e);
	if (!rc)
		rc = framework_check_unlocked(r->db, f.id, &e);
	if (!rc)
		rc = indicator_delete(r->db, f.id, id, &e);
	if (!rc)
		rc = req_audit(
		    r, r->db, "indicator.delete", "indicator", id,
		    json_pack("{s:I, s:s}", "framework_id", (json_int_t)f.id, "code", ind.code));
	if (req_tx_end(r, r->db, rc, &e))
		return r->err.code;
	return req_reply_empty(r);
}

/* ---- routes ------------------------------------------------------------------------ */

void framework_routes(struct router *rt)
{
	router_add(rt, "GET", "/api/v1/frameworks", frameworks_list, "inspection:framework:view",
	           0);
	router_add(rt, "POST", "/api/v1/frameworks", frameworks_create, "inspection:framework:edit",
	           0);
	router_add(rt, "GET", "/api/v1/frameworks/import/template", framework_template,
	           "inspection:framework:edit", 0);
	router_add(rt, "POST", "/api/v1/frameworks/import", framework_import,
	           "inspection:framework:edit", IMPORT_MAX_BODY);
	router_add(rt, "GET", "/api/v1/frameworks/{id}", frameworks_get,
	           "inspection:framework:view", 0);
	router_add(rt, "PUT", "/api/v1/frameworks/{id}", frameworks_update,
	           "inspection:framework:edit", 0);
	router_add(rt, "DELETE", "/api/v1/frameworks/{id}", frameworks_delete,
	           "inspection:framework:edit", 0);
	router_add(rt, "POST", "/api/v1/frameworks/{id}/copy", frameworks_copy,
	           "inspection:framework:edit", 0);
	router_add(rt, "POST", "/api/v1/frameworks/{id}/activate", frameworks_activate,
	           "inspection:framework:edit", 0);
	router_add(rt, "GET", "/api/v1/frameworks/{id}/export", framework_export,
	           "inspection:framework:view", 0);
	router_add(rt, "GET", "/api/v1/frameworks/{id}/indicators", indicators_tree,
	           "inspection:framework:view", 0);
	router_add(rt, "POST", "/api/v1/frameworks/{id}/indicators", indicators_create,
	           "inspection:framework:edit", 0);
	router_add(rt, "GET", "/api/v1/frameworks/{id}/indicators/{iid}", indicators_get,
	           "inspection:framework:view", 0);
	router_add(rt, "PUT", "/api/v1/frameworks/{id}/indicators/{iid}", indicators_update,
	           "inspection:framework:edit", 0);
	router_add(rt, "DELETE", "/api/v1/frameworks/{id}/indicators/{iid}", indicators_delete,
	           "inspection:framework:edit", 0);
}

void inspect_routes(struct router *rt)
{
	framework_routes(rt);
	checklist_routes(rt);
	round_routes(rt);
	record_routes(rt);
	round_report_routes(rt);
	negative_routes(rt);
	files_register_owner(&record_file_kind);
}

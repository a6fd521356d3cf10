/*
 * api_checklists.c - /point-types/{id}/checklist (a point type's items in a
 * framework version) and /inspection-settings (the tenant's default credit
 * of each rating).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "http/json_io.h"
#include "http/reply.h"
#include "http/req.h"
#include "http/router.h"
#include "inspect/inspect.h"
#include "inspect/inspect_api.h"
#include "master/master.h"
#include "org/org.h"
#include "store/store.h"

static int settings_get(struct req *r)
{
	struct credit_table t;
	struct error e;

	if (!req_db(r))
		return r->err.code;
	error_init(&e);
	if (inspection_settings_get(r->db, r->who->tenant_id, &t, &e))
		return req_fail_error(r, &e);
	return req_reply_json(r, 200, credit_table_json(&t));
}

static int settings_put(struct req *r)
{
	static const char *const keys[] = {"credit_pass", "credit_fail", "credit_severe", NULL};
	struct credit_table t;
	struct error e;
	json_t *body;
	int rc;

	if (req_body_json(r, &body) || !req_db(r))
		return r->err.code;
	error_init(&e);
	if (json_only_keys(body, keys, &e))
		return req_fail_error(r, &e);
	if (inspection_settings_get(r->db, r->who->tenant_id, &t, &e))
		return req_fail_error(r, &e);
	if (inspect_json_number(r, body, "credit_pass", 0, 1, &t.pass, NULL) ||
	    inspect_json_number(r, body, "credit_fail", 0, 1, &t.fail, NULL) ||
	    inspect_json_number(r, body, "credit_severe", 0, 1, &t.severe, NULL))
		return r->err.code;
	rc = store_begin(r->db, 1, &e);
	if (!rc)
		rc = inspection_settings_put(r->db, r->who->tenant_id, &t, &e);
	if (!rc)
		rc = req_audit(r, r->db, "inspection_settings.update", "inspection_settings",
		               r->who->tenant_id, credit_table_json(&t));
	if (req_tx_end(r, r->db, rc, &e))
		return r->err.code;
	return req_reply_json(r, 200, credit_table_json(&t));
}

/* The point type of the path and the framework of ?framework_id= (else the active one). */
static int checklist_target(struct req *r, struct point_type *t, struct framework *f)
{
	struct error e;
	int64_t type_id, fid = 0;

	if (req_param_id(r, "id", &type_id) || http_query_id(r, "framework_id", &fid) || !req_db(r))
		return r->err.code;
	error_init(&e);
	if (point_type_get(r->db, r->who->tenant_id, type_id, &r->arena, t, &e) ||
	    (!fid && framework_active(r->db, r->who->tenant_id, &fid, &e)))
		return req_fail_error(r, &e);
	if (framework_get(r->db, r->who->tenant_id, fid, &r->arena, f, &e)) {
		if (e.code == ERR_NOT_FOUND)
			return req_fail(r, ERR_NOT_FOUND, "framework_id", "测评体系不存在");
		return req_fail_error(r, &e);
	}
	return 0;
}

static int checklist_reply(struct req *r, const struct point_type *t, const struct framework *f)
{
	struct checklist_item *items;
	struct credit_table d;
	struct error e;
	json_t *arr;
	int i, n;

	error_init(&e);
	if (inspection_settings_get(r->db, r->who->tenant_id, &d, &e) ||
	    checklist_list(r->db, f->id, t->id, &r->arena, &items, &n, &e))
		return req_fail_error(r, &e);
	arr = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(arr, checklist_item_json(&items[i], &d));
	return req_reply_json(
	    r, 200,
	    json_pack("{s:{s:I, s:s, s:s}, s:{s:I, s:s, s:b, s:b}, s:o, s:o}", "point_type", "id",
	              (json_int_t)t->id, "code", t->code, "name", t->name, "framework", "id",
	              (json_int_t)f->id, "name", f->name, "active", f->active, "locked",
	              f->rounds > 0, "defaults", credit_table_json(&d), "items", arr));
}

static int checklist_get(struct req *r)
{
	struct point_type t;
	struct framework f;

	if (checklist_target(r, &t, &f))
		return r->err.code;
	return checklist_reply(r, &t, &f);
}

/* items[i] of the body into it; the field names the item. */
static int checklist_item_fields(struct req *r, json_t *v, int i, const struct indicator *all,
                                 int nall, const struct ref *types, int ntypes,
                                 const struct point_type *t, struct checklist_item *it)
{
	static const char *const keys[] = {"id",
	                                   "standard_id",
	                                   "title",
	                                   "category_id",
	                                   "credit_pass",
	                                   "credit_fail",
	                                   "credit_severe",
	                                   "sort",
	                                   "standard_code",
	                                   "standard_title",
	                                   "category_name",
	                                   "credits",
	                                   "point_type_id",
	                                   NULL};
	static const char *const credit_keys[] = {"credit_pass", "credit_fail", "credit_severe"};
	const struct indicator *s = NULL;
	struct category k;
	struct error e;
	int j, listed = 0, limited = 0;
	const char *field;

	memset(it, 0, sizeof(*it));
	it->sort = i + 1;
	error_init(&e);
	if (!json_is_object(v))
		return req_fail(r, ERR_INVALID, arena_printf(&r->arena, "items[%d]", i),
		                "检查项应为对象");
	if (json_only_keys(v, keys, &e) ||
	    json_get_int(v, "standard_id", JF_REQUIRED, 1, INT64_MAX, &it->standard_id, &e) ||
	    json_get_string(v, "title", JF_REQUIRED, 1, ITEM_TITLE_MAX, &it->title, &e) ||
	    json_get_int(v, "category_id", JF_REQUIRED, 1, INT64_MAX, &it->category_id, &e) ||
	    json_get_int(v, "sort", 0, 0, 99999, &it->sort, &e)) {
		return req_fail(r, e.code, arena_printf(&r->arena, "items[%d].%s", i, e.field),
		                "%s", e.message);
	}
	for (j = 0; j < 3; j++) {
		json_t *c = json_object_get(v, credit_keys[j]);

		it->credit[j] = NAN;
		if (!c || json_is_null(c))
			continue;
		if (!json_is_number(c) || !(json_number_value(c) >= 0 && json_number_value(c) <= 1))
			return req_fail(r, ERR_INVALID,
			                arena_printf(&r->arena, "items[%d].%s", i, credit_keys[j]),
			                "得分系数应为 0 到 1 之间的数");
		it->credit[j] = json_number_value(c);
	}
	field = arena_printf(&r->arena, "items[%d].standard_id", i);
	for (j = 0; j < nall; j++)
		if (all[j].id == it->standard_id)
			s = &all[j];
	if (!s || s->level != 3)
		return req_fail(r, ERR_INVALID, field, "测评标准不存在");
	if (!(s->methods & METHOD_FIELD))
		return req_fail(r, ERR_INVALID, field, "测评标准 %s 不是实地考察的标准", s->code);
	for (j = 0; j < ntypes; j++)
		if (types[j].owner == s->id) {
			limited = 1;
			listed |= types[j].id == t->id;
		}
	if (limited && !listed)
		return req_fail(r, ERR_INVALID, field, "测评标准 %s 不在“%s”考察", s->code,
		                t->name);
	if (org_has_control(it->title))
		return req_fail(r, ERR_INVALID, arena_printf(&r->arena, "items[%d].title", i),
		                "检查内容不能包含换行等控制字符");
	if (category_get(r->db, r->who->tenant_id, it->category_id, &r->arena, &k, &e) ||
	    !k.enabled)
		return req_fail(r, ERR_INVALID, arena_printf(&r->arena, "items[%d].category_id", i),
		                "问题分类不存在或已停用");
	return 0;
}

static int checklist_put(struct req *r)
{
	struct point_type t;
	struct framework f;
	struct indicator *all;
	struct ref *types;
	struct checklist_item *items;
	struct error e;
	json_t *body, *arr, *v;
	size_t i;
	int nall, ntypes, n, rc;

	if (checklist_target(r, &t, &f) || req_body_json(r, &body))
		return r->err.code;
	error_init(&e);
	arr = json_object_get(body, "items");
	if (json_object_size(body) != 1 || !json_is_array(arr))
		return req_fail(r, ERR_INVALID, "items", "请求体应为 {\"items\": [...]}");
	if (json_array_size(arr) > CHECKLIST_MAX)
		return req_fail(r, ERR_INVALID, "items", "检查项最多 %d 个", CHECKLIST_MAX);
	if (indicator_all(r->db, f.id, &r->arena, &all, &nall, NULL, NULL, &types, &ntypes, &e))
		return req_fail_error(r, &e);
	n = (int)json_array_size(arr);
	items = arena_calloc(&r->arena, (size_t)(n + 1) * sizeof(*items));
	json_array_foreach(arr, i,
	                   v) if (checklist_item_fields(r, v, (int)i, all, nall, types, ntypes, &t,
	                                                &items[i])) return r->err.code;
	rc = store_begin(r->db, 1, &e);
	if (!rc)
		rc = framework_check_unlocked(r->db, f.id, &e);
	if (!rc)
		rc = checklist_replace(r->db, f.id, t.id, items, n, &e);
	if (!rc)
		rc = req_audit(r, r->db, "checklist.update", "point_type", t.id,
		               json_pack("{s:I, s:s, s:i}", "framework_id", (json_int_t)f.id,
		                         "name", t.name, "items", n));
	if (req_tx_end(r, r->db, rc, &e))
		return r->err.code;
	return checklist_reply(r, &t, &f);
}

void checklist_routes(struct router *rt)
{
	router_add(rt, "GET", "/api/v1/inspection-settings", settings_get,
	           "inspection:framework:view", 0);
	router_add(rt, "PUT", "/api/v1/inspection-settings", settings_put,
	           "inspection:framework:edit", 0);
	router_add(rt, "GET", "/api/v1/point-types/{id}/checklist", checklist_get,
	           "inspection:framework:view", 0);
	router_add(rt, "PUT", "/api/v1/point-types/{id}/checklist", checklist_put,
	           "inspection:framework:edit", 0);
}

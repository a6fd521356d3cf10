/*
 * api_negative.c - the 负面清单 of a framework version and its incidents
 * (what happened, where, the evidence, the standard or item it breaks and
 * the deduction or veto the office decided), and the method vocabulary an
 * office extends.  Every change writes its audit row in its transaction.
 */
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "http/json_io.h"
#include "http/req.h"
#include "http/router.h"
#include "inspect/inspect.h"
#include "inspect/inspect_api.h"
#include "master/master.h"
#include "master/master_api.h"
#include "core/utf8.h"
#include "http/reply.h"
#include "org/org.h"
#include "problem/problem.h"
#include "store/store.h"
#include "core/clock.h"
#include "system/tenants.h"

/* GET /frameworks/{id}/negative-items */
static int negative_items_get(struct req *r)
{
	struct framework f;
	struct negative_item *items;
	struct error e;
	json_t *arr;
	int n, i;

	if (inspect_framework_param(r, "id", &f))
		return r->err.code;
	error_init(&e);
	if (negative_items_list(r->db, f.id, &r->arena, &items, &n, &e))
		return req_fail_error(r, &e);
	arr = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(arr, negative_item_json(&items[i]));
	return req_reply_json(r, 200, json_pack("{s:o, s:i}", "items", arr, "total", n));
}

/* ---- incidents ----------------------------------------------------------------- */

/* The body of an incident into x (framework f); 422 naming the field. */
static int incident_fields(struct req *r, json_t *body, const struct framework *f,
                           struct negative_incident *x)
{
	static const char *const keys[] = {"item_id",      "standard_id", "occurred_on", "place",
	                                   "description",  "deduction",   "veto",        "file_ids",
	                                   "framework_id", NULL};
	struct negative_item *items;
	struct indicator ind;
	struct error e;
	int64_t *files, ms;
	int nitems, nfiles, i, veto = x->veto, has_ded = 0;
	double ded = 0;

	error_init(&e);
	if (json_only_keys(body, keys, &e) ||
	    json_get_string(body, "occurred_on", x->id ? 0 : JF_REQUIRED, 10, 10, &x->occurred_on,
	                    &e) ||
	    json_get_string(body, "place", JF_NULLABLE, 0, 200, &x->place, &e) ||
	    json_get_string(body, "description", x->id ? 0 : JF_REQUIRED, 1, NEG_TEXT_MAX,
	                    &x->description, &e) ||
	    json_get_bool(body, "veto", 0, &veto, &e) ||
	    master_id_field(body, "item_id", &x->item_id, NULL, &e) ||
	    master_id_field(body, "standard_id", &x->standard_id, NULL, &e))
		return req_fail_error(r, &e);
	x->veto = veto;
	if (!x->place)
		x->place = "";
	if (tz_parse_date(x->occurred_on, 480, &ms))
		return req_fail(r, ERR_INVALID, "occurred_on", "发生日期应为 YYYY-MM-DD");
	if (!indicator_text_ok(x->description) || !indicator_text_ok(x->place))
		return req_fail(r, ERR_INVALID, "description", "不能包含换行以外的控制字符");
	if (inspect_json_number(r, body, "deduction", 0, 100, &ded, &has_ded))
		return r->err.code;
	if (has_ded)
		x->deduction = ded;
	if (x->item_id) {
		if (negative_items_list(r->db, f->id, &r->arena, &items, &nitems, &e))
			return req_fail_error(r, &e);
		for (i = 0; i < nitems && items[i].id != x->item_id; i++)
			;
		if (i == nitems)
			return req_fail(r, ERR_INVALID, "item_id", "负面清单条目不属于此测评体系");
		/* the list's own deduction and veto, unless the office decided otherwise */
		if (!has_ded && !x->id)
			x->deduction = items[i].deduction;
		if (!json_object_get(body, "veto") && !x->id)
			x->veto = items[i].veto;
	}
	if (x->standard_id) {
		int rc = indicator_get(r->db, f->id, x->standard_id, &r->arena, &ind, &e);

		if (rc == ERR_NOT_FOUND || (!rc && ind.level != 3))
			return req_fail(r, ERR_INVALID, "standard_id", "测评标准不属于此测评体系");
		if (rc)
			return req_fail_error(r, &e);
	}
	if (!x->item_id && !x->standard_id)
		return req_fail(r, ERR_INVALID, "item_id", "请选择违反的负面清单条目或测评标准");
	if (json_object_get(body, "file_ids")) {
		if (inspect_json_ids(r, body, "file_ids", NEG_MAX_FILES, &files, &nfiles))
			return r->err.code;
		if (problem_check_photos(r->db, r->who->tenant_id, r->who, files, nfiles, &r->arena,
		                         &e))
			return req_fail(r, e.code, "file_ids", "%s", e.message);
		x->nfiles = nfiles;
		if (nfiles)
			memcpy(x->files, files, (size_t)nfiles * sizeof(int64_t));
	}
	return 0;
}

static json_t *incident_summary(const struct negative_incident *x)
{
	return json_pack("{s:I, s:s, s:s, s:f, s:b, s:i}", "framework_id",
	                 (json_int_t)x->framework_id, "occurred_on", x->occurred_on, "description",
	                 x->description, "deduction", x->deduction, "veto", x->veto, "files",
	                 x->nfiles);
}

/* GET /frameworks/{id}/negative-incidents */
static int incidents_list(struct req *r)
{
	struct framework f;
	struct negative_incident *list;
	struct error e;
	json_t *arr;
	double ded;
	int n, i, vetoes, count;

	if (inspect_framework_param(r, "id", &f))
		return r->err.code;
	error_init(&e);
	if (negative_incident_list(r->db, r->who->tenant_id, f.id, &r->arena, &list, &n, &e) ||
	    negative_totals(r->db, r->who->tenant_id, f.id, &ded, &vetoes, &count, &e))
		return req_fail_error(r, &e);
	arr = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(arr, negative_incident_json(&list[i]));
	return req_reply_json(r, 200,
	                      json_pack("{s:o, s:i, s:f, s:b}", "items", arr, "total", n,
	                                "deduction", ded, "veto", vetoes > 0));
}

/* POST /frameworks/{id}/negative-incidents */
static int incidents_create(struct req *r)
{
	struct framework f;
	struct negative_incident x;
	struct error e;
	json_t *body;
	int rc;

	memset(&x, 0, sizeof(x));
	if (inspect_framework_param(r, "id", &f) || req_body_json(r, &body))
		return r->err.code;
	x.framework_id = f.id;
	x.created_by = r->who->user_id;
	if (incident_fields(r, body, &f, &x))
		return r->err.code;
	error_init(&e);
	rc = store_begin(r->db, 1, &e);
	if (!rc)
		rc = negative_incident_insert(r->db, r->who->tenant_id, &x, &e);
	if (!rc)
		rc = req_audit(r, r->db, "negative.incident.create", "negative_incident", x.id,
		               incident_summary(&x));
	if (req_tx_end(r, r->db, rc, &e) ||
	    negative_incident_get(r->db, r->who->tenant_id, x.id, &r->arena, &x, &e))
		return r->err.code ? r->err.code : req_fail_error(r, &e);
	return req_reply_json(r, 201, negative_incident_json(&x));
}

/* The incident of path {iid} in framework {id}; 404 when it is another's. */
static int incident_param(struct req *r, struct framework *f, struct negative_incident *x)
{
	struct error e;
	int64_t id;

	if (inspect_framework_param(r, "id", f) || req_param_id(r, "iid", &id))
		return r->err.code;
	error_init(&e);
	if (negative_incident_get(r->db, r->who->tenant_id, id, &r->arena, x, &e))
		return req_fail_error(r, &e);
	if (x->framework_id != f->id)
		return req_fail(r, ERR_NOT_FOUND, NULL, "负面清单事件不存在");
	return 0;
}

static int incidents_get(struct req *r)
{
	struct framework f;
	struct negative_incident x;

	if (incident_param(r, &f, &x))
		return r->err.code;
	return req_reply_json(r, 200, negative_incident_json(&x));
}

static int incidents_update(struct req *r)
{
	struct framework f;
	struct negative_incident x;
	struct error e;
	json_t *body;
	int rc;

	if (incident_param(r, &f, &x) || req_body_json(r, &body) ||
	    incident_fields(r, body, &f, &x))
		return r->err.code;
	error_init(&e);
	rc = store_begin(r->db, 1, &e);
	if (!rc)
		rc = negative_incident_update(r->db, r->who->tenant_id, &x, &e);
	if (!rc)
		rc = req_audit(r, r->db, "negative.incident.update", "negative_incident", x.id,
		               incident_summary(&x));
	if (req_tx_end(r, r->db, rc, &e) ||
	    negative_incident_get(r->db, r->who->tenant_id, x.id, &r->arena, &x, &e))
		return r->err.code ? r->err.code : req_fail_error(r, &e);
	return req_reply_json(r, 200, negative_incident_json(&x));
}

static int incidents_delete(struct req *r)
{
	struct framework f;
	struct negative_incident x;
	struct error e;
	int rc;

	if (incident_param(r, &f, &x))
		return r->err.code;
	error_init(&e);
	rc = store_begin(r->db, 1, &e);
	if (!rc)
		rc = negative_incident_delete(r->db, r->who->tenant_id, x.id, &e);
	if (!rc)
		rc = req_audit(r, r->db, "negative.incident.delete", "negative_incident", x.id,
		               incident_summary(&x));
	if (req_tx_end(r, r->db, rc, &e))
		return r->err.code;
	return req_reply_empty(r);
}

/* ---- the method vocabulary --------------------------------------------------------- */

static json_t *method_json(const struct method_name *m, int builtin)
{
	return json_pack("{s:o, s:s, s:s, s:b}", "id", m->id ? json_integer(m->id) : json_null(),
	                 "name", m->name, "part", method_part_name(m->bit), "builtin", builtin);
}

/* GET /framework-methods: the built-ins, then the office's own. */
static int methods_list(struct req *r)
{
	const struct method_name *b;
	struct method_name *own;
	struct error e;
	json_t *arr = json_array();
	int nb, n, i;

	b = method_builtins(&nb);
	error_init(&e);
	if (method_vocab_list(r->db, r->who->tenant_id, &r->arena, &own, &n, &e)) {
		json_decref(arr);
		return req_fail_error(r, &e);
	}
	for (i = 0; i < nb; i++)
		if ((unsigned char)b[i].name[0] >=
		    0x80) /* the English names are the API's, not a sheet's */
			json_array_append_new(arr, method_json(&b[i], 1));
	for (i = 0; i < n; i++)
		json_array_append_new(arr, method_json(&own[i], 0));
	return req_reply_json(r, 200, json_pack("{s:o}", "items", arr));
}

/* POST /framework-methods {name, part} */
static int methods_create(struct req *r)
{
	static const char *const keys[] = {"name", "part", NULL};
	struct method_name *own;
	struct method_name m = {NULL, 0, 0};
	const char *part;
	struct error e;
	json_t *body;
	int n, rc;

	if (req_body_json(r, &body))
		return r->err.code;
	error_init(&e);
	if (json_only_keys(body, keys, &e) ||
	    json_get_string(body, "name", JF_REQUIRED, 1, METHOD_NAME_MAX, &m.name, &e) ||
	    json_get_string(body, "part", JF_REQUIRED, 1, 20, &part, &e))
		return req_fail_error(r, &e);
	m.bit = method_part_bit(part);
	if (m.bit <= 0)
		return req_fail(r, ERR_INVALID, "part",
		                "得分部分应为 field、questionnaire、materials 或 data");
	if (!indicator_text_ok(m.name) || strpbrk(m.name, "\n\r\t,;/|") || strstr(m.name, "、"))
		return req_fail(r, ERR_INVALID, "name", "方法名称不能包含分隔符（、，；/）或换行");
	if (method_vocab_list(r->db, r->who->tenant_id, &r->arena, &own, &n, &e))
		return req_fail_error(r, &e);
	if (n >= METHODS_MAX)
		return req_fail(r, ERR_INVALID, "name", "自定义测评方法最多 %d 个", METHODS_MAX);
	rc = store_begin(r->db, 1, &e);
	if (!rc)
		rc = method_vocab_add(r->db, r->who->tenant_id, m.name, m.bit, &m.id, &e);
	if (!rc)
		rc = req_audit(r, r->db, "framework.method.create", "framework_method", m.id,
		               json_pack("{s:s, s:s}", "name", m.name, "part", part));
	if (req_tx_end(r, r->db, rc, &e))
		return r->err.code;
	return req_reply_json(r, 201, method_json(&m, 0));
}

static int methods_delete(struct req *r)
{
	struct error e;
	int64_t id;
	int rc;

	if (req_param_id(r, "id", &id) || !req_db(r))
		return r->err.code;
	error_init(&e);
	rc = store_begin(r->db, 1, &e);
	if (!rc)
		rc = method_vocab_delete(r->db, r->who->tenant_id, id, &e);
	if (!rc)
		rc = req_audit(r, r->db, "framework.method.delete", "framework_method", id, NULL);
	if (req_tx_end(r, r->db, rc, &e))
		return r->err.code;
	return req_reply_empty(r);
}

void negative_routes(struct router *rt)
{
	router_add(rt, "GET", "/api/v1/frameworks/{id}/negative-items", negative_items_get,
	           "inspection:framework:view", 0);
	router_add(rt, "GET", "/api/v1/frameworks/{id}/negative-incidents", incidents_list,
	           "inspection:framework:view", 0);
	router_add(rt, "POST", "/api/v1/frameworks/{id}/negative-incidents", incidents_create,
	           "inspection:framework:edit", 0);
	router_add(rt, "GET", "/api/v1/frameworks/{id}/negative-incidents/{iid}", incidents_get,
	           "inspection:framework:view", 0);
	router_add(rt, "PUT", "/api/v1/frameworks/{id}/negative-incidents/{iid}", incidents_update,
	           "inspection:framework:edit", 0);
	router_add(rt, "DELETE", "/api/v1/frameworks/{id}/negative-incidents/{iid}",
	           incidents_delete, "inspection:framework:edit", 0);
	router_add(rt, "GET", "/api/v1/framework-methods", methods_list,
	           "inspection:framework:view", 0);
	router_add(rt, "POST", "/api/v1/framework-methods", methods_create,
	           "inspection:framework:edit", 0);
	router_add(rt, "DELETE", "/api/v1/framework-methods/{id}", methods_delete,
	           "inspection:framework:edit", 0);
}

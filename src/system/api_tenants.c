/*
 * api_tenants.c - /tenants: the cities and counties one deployment hosts.
 *
 * Only platform administrators get here: the routes need system:tenant:*,
 * which principal_has grants by the is_platform_admin flag and never by a
 * role.  Creating a tenant seeds its built-in roles; disabling one refuses
 * its users' logins and ends their open sessions.
 */
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "core/clock.h"
#include "http/json_io.h"
#include "http/req.h"
#include "store/store.h"
#include "system/tenants.h"

/* GET /tenants?name=&page=&size= */
static int tenants_list(struct req *r)
{
	struct tenant_filter f = {req_query(r, "name"), 0, 20};
	struct store_conn *c;
	struct error e;
	json_t *items;
	int64_t total;

	if (req_page(r, &f.offset, &f.limit))
		return r->err.code;
	if (f.name && strlen(f.name) > 128)
		return req_fail(r, ERR_INVALID, "name", "名称过长");
	c = req_db(r);
	if (!c)
		return r->err.code;
	error_init(&e);
	if (tenant_list_json(c, &f, &items, &total, &e))
		return req_fail_error(r, &e);
	return req_reply_json(r, 200,
	                      json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)total));
}

/* GET /tenants/{id} */
static int tenant_get(struct req *r)
{
	struct store_conn *c;
	struct error e;
	json_t *t;
	int64_t id;

	if (req_param_id(r, "id", &id))
		return r->err.code;
	c = req_db(r);
	if (!c)
		return r->err.code;
	error_init(&e);
	if (tenant_detail_json(c, id, &t, &e))
		return req_fail_error(r, &e);
	return req_reply_json(r, 200, t);
}

static int is_level(const char *s)
{
	return !strcmp(s, "city") || !strcmp(s, "county_city") || !strcmp(s, "county") ||
	       !strcmp(s, "district");
}

/*
 * Read a tenant body into f; cur (the stored tenant as JSON, NULL on
 * create) fills the fields left out.
 */
static int tenant_parse(struct req *r, json_t *body, json_t *cur, struct tenant_fields *f)
{
	static const char *const fields[] = {"name",     "region_code", "level", "eval_date",
	                                     "timezone", "enabled",     NULL};
	int flags = cur ? 0 : JF_REQUIRED, minutes;
	json_t *date = json_object_get(body, "eval_date");
	struct error e;
	int64_t ms;

	memset(f, 0, sizeof(*f));
	f->timezone = TENANT_DEFAULT_TZ;
	f->enabled = 1;
	if (cur) {
		f->name = json_string_value(json_object_get(cur, "name"));
		f->region_code = json_string_value(json_object_get(cur, "region_code"));
		f->level = json_string_value(json_object_get(cur, "level"));
		f->eval_date = json_string_value(json_object_get(cur, "eval_date"));
		f->timezone = json_string_value(json_object_get(cur, "timezone"));
		f->enabled = json_is_true(json_object_get(cur, "enabled"));
	}
	error_init(&e);
	if (json_only_keys(body, fields, &e) ||
	    json_get_string(body, "name", flags, 1, 64, &f->name, &e) ||
	    json_get_string(body, "region_code", flags, 1, 6, &f->region_code, &e) ||
	    json_get_string(body, "level", flags, 1, 16, &f->level, &e) ||
	    json_get_string(body, "timezone", JF_NULLABLE, 1, 64, &f->timezone, &e) ||
	    json_get_bool(body, "enabled", 0, &f->enabled, &e))
		return req_fail_error(r, &e);
	if ((!cur || json_object_get(body, "region_code")) &&
	    (strlen(f->region_code) != 6 || f->region_code[strspn(f->region_code, "0123456789")]))
		return req_fail(r, ERR_INVALID, "region_code", "行政区划代码应为 6 位数字");
	if (!is_level(f->level))
		return req_fail(r, ERR_INVALID, "level",
		                "级别应为 city、county_city、county 或 district");
	if (tz_supported(f->timezone, &minutes))
		return req_fail(r, ERR_INVALID, "timezone",
		                "不支持的时区 %.64s（可用：Asia/Shanghai、Asia/Urumqi、UTC 等）",
		                f->timezone);
	if (date) {
		if (json_is_null(date) || (json_is_string(date) && !*json_string_value(date)))
			f->eval_date = NULL;
		else if (!json_is_string(date) || tz_parse_date(json_string_value(date), 0, &ms))
			return req_fail(r, ERR_INVALID, "eval_date",
			                "测评日期应为 YYYY-MM-DD 或 null");
		else
			f->eval_date = json_string_value(date);
	}
	return 0;
}

static json_t *tenant_summary(const struct tenant_fields *f)
{
	return json_pack("{s:s, s:s, s:s, s:s?, s:s, s:b}", "name", f->name, "region_code",
	                 f->region_code, "level", f->level, "eval_date", f->eval_date, "timezone",
	                 f->timezone, "enabled", f->enabled);
}

/* POST /tenants */
static int tenant_post(struct req *r)
{
	struct tenant_fields f;
	struct store_conn *c;
	struct error e;
	json_t *body, *t;
	int64_t id = 0;
	int rc;

	if (req_body_json(r, &body) || tenant_parse(r, body, NULL, &f))
		return r->err.code;
	c = req_db(r);
	if (!c)
		return r->err.code;
	error_init(&e);
	rc = store_begin(c, 1, &e);
	if (rc)
		return req_fail_error(r, &e);
	rc = tenant_create(c, &f, &id, &e);
	if (rc == 0)
		rc = req_audit(r, c, "tenant.create", "tenant", id, tenant_summary(&f));
	if (req_tx_end(r, c, rc, &e))
		return r->err.code;
	if (tenant_detail_json(c, id, &t, &e))
		return req_fail_error(r, &e);
	return req_reply_json(r, 201, t);
}

/* PUT /tenants/{id}: fields left out keep their values. */
static int tenant_put(struct req *r)
{
	struct tenant_fields f;
	struct store_conn *c;
	struct error e;
	json_t *body, *cur = NULL, *t, *summary;
	int64_t id, revoked = 0;
	int rc;

	if (req_param_id(r, "id", &id) || req_body_json(r, &body))
		return r->err.code;
	c = req_db(r);
	if (!c)
		return r->err.code;
	error_init(&e);
	rc = store_begin(c, 1, &e);
	if (rc == 0)
		rc = tenant_detail_json(c, id, &cur, &e);
	if (rc) {
		store_rollback(c);
		return req_fail_error(r, &e);
	}
	rc = tenant_parse(r, body, cur, &f);
	if (rc == 0 && !f.enabled && id == r->who->tenant_id)
		rc = req_fail(r, ERR_CONFLICT, "enabled", "不能停用自己所在的创建主体");
	if (rc == 0)
		rc = tenant_update(c, id, &f, &revoked, &e);
	if (rc == 0) {
		summary = tenant_summary(&f);
		if (revoked)
			json_object_set_new(summary, "sessions_ended", json_integer(revoked));
		rc = req_audit(r, c, "tenant.update", "tenant", id, summary);
	}
	json_decref(cur);
	if (req_tx_end(r, c, rc, &e))
		return r->err.code;
	if (tenant_detail_json(c, id, &t, &e))
		return req_fail_error(r, &e);
	return req_reply_json(r, 200, t);
}

void tenant_routes(struct router *rt)
{
	router_add(rt, "GET", "/api/v1/tenants", tenants_list, "system:tenant:view", 0);
	router_add(rt, "POST", "/api/v1/tenants", tenant_post, "system:tenant:edit", 16 * 1024);
	router_add(rt, "GET", "/api/v1/tenants/{id}", tenant_get, "system:tenant:view", 0);
	router_add(rt, "PUT", "/api/v1/tenants/{id}", tenant_put, "system:tenant:edit", 16 * 1024);
}

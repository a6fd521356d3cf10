/*
 * api_roles.c - /roles and /permissions: the tenant's roles with their data
 * scope and permissions (docs/accounts.md).
 *
 * The rules the store does not know live here: role keys are lowercase
 * letters, digits and underscores; permissions must be in the catalogue and
 * outside system:tenant: (platform administrators hold those by flag, not by
 * role); nobody can grant a permission they do not hold themselves; a
 * built-in role keeps its key, its permissions (from the code) and stays
 * enabled; custom-scope units must belong to the tenant.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "auth/perm.h"
#include "core/strbuf.h"
#include "http/json_io.h"
#include "http/req.h"
#include "org/roles.h"
#include "store/store.h"

#define ROLE_MAX_UNITS 2000

static json_t *list_json(json_t *items, int64_t total)
{
	return json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)total);
}

/* GET /roles?name=&enabled=&page=&size= */
static int roles_list(struct req *r)
{
	struct role_filter f = {req_query(r, "name"), -1, 0, 20};
	const char *enabled = req_query(r, "enabled");
	struct store_conn *c;
	struct error e;
	json_t *items;
	int64_t total;

	if (req_page(r, &f.offset, &f.limit))
		return r->err.code;
	if (enabled && *enabled) {
		if (!strcmp(enabled, "1") || !strcmp(enabled, "true"))
			f.enabled = 1;
		else if (!strcmp(enabled, "0") || !strcmp(enabled, "false"))
			f.enabled = 0;
		else
			return req_fail(r, ERR_INVALID, "enabled", "enabled 应为 true 或 false");
	}
	if (f.name && strlen(f.name) > 128)
		return req_fail(r, ERR_INVALID, "name", "名称过长");
	c = req_db(r);
	if (!c)
		return r->err.code;
	error_init(&e);
	if (role_list_json(c, r->who->tenant_id, &f, &items, &total, &e))
		return req_fail_error(r, &e);
	return req_reply_json(r, 200, list_json(items, total));
}

/* GET /roles/{id} */
static int role_get(struct req *r)
{
	struct store_conn *c;
	struct error e;
	int64_t id;
	json_t *role;

	if (req_param_id(r, "id", &id))
		return r->err.code;
	c = req_db(r);
	if (!c)
		return r->err.code;
	error_init(&e);
	if (role_get_json(c, r->who->tenant_id, id, &role, &e))
		return req_fail_error(r, &e);
	return req_reply_json(r, 200, role);
}

/* GET /permissions: the tree the role dialog shows. */
static int permissions_get(struct req *r)
{
	return req_reply_json(r, 200, perm_tree_json());
}

static int valid_key(const char *k)
{
	size_t n = strlen(k);

	if (n < 2 || n > 32 || k[0] < 'a' || k[0] > 'z')
		return 0;
	return k[strspn(k, "abcdefghijklmnopqrstuvwxyz0123456789_")] == '\0';
}

/* "permissions": an array of catalogue keys, none under system:tenant:. */
static int parse_perms(struct req *r, json_t *v, struct permset *out)
{
	size_t i;
	json_t *p;

	memset(out, 0, sizeof(*out));
	if (!json_is_array(v))
		return req_fail(r, ERR_INVALID, "permissions", "permissions 应为权限标识的数组");
	json_array_foreach(v, i, p)
	{
		const char *key = json_string_value(p);
		int idx = key ? perm_index(key) : -1;

		if (idx < 0)
			return req_fail(r, ERR_INVALID, "permissions", "未知的权限标识 %.64s",
			                key ? key : "(非字符串)");
		if (!strncmp(key, "system:tenant:", 14))
			return req_fail(r, ERR_INVALID, "permissions",
			                "%s 只属于平台管理员，不能授予角色", key);
		permset_add(out, idx);
	}
	return 0;
}

/* "unit_ids": an array of positive ids, as the JSON text the store binds. */
static int parse_unit_ids(struct req *r, json_t *v, const char **out, size_t *count)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i, n = 0;
	json_t *u;

	if (!json_is_array(v) || json_array_size(v) > ROLE_MAX_UNITS)
		return req_fail(r, ERR_INVALID, "unit_ids",
		                "unit_ids 应为单位编号的数组（最多 %d 个）", ROLE_MAX_UNITS);
	strbuf_addch(&sb, '[');
	json_array_foreach(v, i, u)
	{
		size_t k;
		int dup = 0;

		if (!json_is_integer(u) || json_integer_value(u) <= 0) {
			strbuf_release(&sb);
			return req_fail(r, ERR_INVALID, "unit_ids", "单位编号应为正整数");
		}
		for (k = 0; k < i; k++)
			if (json_integer_value(json_array_get(v, k)) == json_integer_value(u))
				dup = 1;
		if (dup)
			continue;
		strbuf_addf(&sb, "%s%lld", n++ ? "," : "", (long long)json_integer_value(u));
	}
	strbuf_addch(&sb, ']');
	*out = arena_strdup(&r->arena, sb.buf);
	*count = n;
	strbuf_release(&sb);
	return 0;
}

/* The keys of a permission set as a JSON array (audit summaries). */
static json_t *perm_keys(const struct permset *s)
{
	json_t *a = json_array();
	int i;

	for (i = 0; i < perm_count(); i++)
		if (permset_has(s, i))
			json_array_append_new(a, json_string(perm_at(i)->key));
	return a;
}

/*
 * Read a role body into f.  cur is the stored role on update (NULL on
 * create) and cur_json its JSON, whose values fill the fields left out.
 */
static int role_parse(struct req *r, json_t *body, const struct role_row *cur, json_t *cur_json,
                      struct role_fields *f, struct permset *perms)
{
	static const char *const fields[] = {"key",         "name",    "data_scope", "unit_ids",
	                                     "permissions", "enabled", NULL};
	const char *key = cur ? cur->key : NULL, *name = NULL, *scope = NULL;
	enum data_scope sc;
	json_t *units = json_object_get(body, "unit_ids"),
	       *pv = json_object_get(body, "permissions");
	size_t nunits = 0;
	struct error e;
	int enabled = cur ? cur->enabled : 1, i;

	error_init(&e);
	if (cur_json) {
		name = json_string_value(json_object_get(cur_json, "name"));
		scope = json_string_value(json_object_get(cur_json, "data_scope"));
	}
	if (json_only_keys(body, fields, &e) ||
	    json_get_string(body, "key", cur ? 0 : JF_REQUIRED, 2, 32, &key, &e) ||
	    json_get_string(body, "name", cur ? 0 : JF_REQUIRED, 1, 32, &name, &e) ||
	    json_get_string(body, "data_scope", cur ? 0 : JF_REQUIRED, 1, 16, &scope, &e) ||
	    json_get_bool(body, "enabled", 0, &enabled, &e))
		return req_fail_error(r, &e);
	if (cur && strcmp(key, cur->key))
		return req_fail(r, ERR_INVALID, "key", "角色标识创建后不能修改");
	if (!cur && !valid_key(key))
		return req_fail(r, ERR_INVALID, "key",
		                "角色标识应为 2-32 位小写字母、数字或下划线，并以字母开头");
	if (scope_parse(scope, &sc))
		return req_fail(r, ERR_INVALID, "data_scope",
		                "数据范围应为 all、custom、unit、unit_below 或 self");
	if (cur && cur->builtin && !enabled != !cur->enabled)
		return req_fail(r, ERR_INVALID, "enabled", "内置角色不能停用");

	/* Units: given, or kept from the stored role when the scope stays custom. */
	f->unit_ids = "[]";
	if (units && !json_is_null(units)) {
		if (parse_unit_ids(r, units, &f->unit_ids, &nunits))
			return r->err.code;
	} else if (cur_json && sc == SCOPE_CUSTOM) {
		json_t *kept = json_object_get(cur_json, "unit_ids");
		char *text = json_dumps(kept, JSON_COMPACT);

		if (text)
			f->unit_ids = arena_strdup(&r->arena, text);
		free(text);
		nunits = json_array_size(kept);
	}
	if (sc != SCOPE_CUSTOM && nunits)
		return req_fail(r, ERR_INVALID, "unit_ids", "只有自定义数据范围需要选择单位");
	if (sc == SCOPE_CUSTOM && !nunits)
		return req_fail(r, ERR_INVALID, "unit_ids", "自定义数据范围至少选择一个单位");
	if (nunits) {
		int64_t found = 0;

		if (role_units_in_tenant(req_db(r), r->who->tenant_id, f->unit_ids, &found, &e))
			return req_fail_error(r, &e);
		if ((size_t)found != nunits)
			return req_fail(r, ERR_INVALID, "unit_ids", "所选单位不存在");
	}

	/* Permissions: a built-in role's come from the code and cannot change. */
	if (cur)
		*perms = cur->perms;
	else
		memset(perms, 0, sizeof(*perms));
	if (pv && !json_is_null(pv)) {
		struct permset want;

		if (parse_perms(r, pv, &want))
			return r->err.code;
		if (cur && cur->builtin && memcmp(&want, &cur->perms, sizeof(want)))
			return req_fail(r, ERR_INVALID, "permissions",
			                "内置角色的权限由系统决定，不能修改");
		/* Granting is limited to what the caller holds; removing is not. */
		for (i = 0; i < perm_count(); i++)
			if (permset_has(&want, i) && !permset_has(perms, i) &&
			    !principal_has(r->who, perm_at(i)->key))
				return req_fail(r, ERR_FORBIDDEN, "permissions",
				                "不能授予自己没有的权限：%s（%s）",
				                perm_at(i)->title, perm_at(i)->key);
		*perms = want;
	}
	f->key = key;
	f->name = name;
	f->data_scope = scope_name(sc);
	f->enabled = enabled;
	f->builtin_keep_perms = cur && cur->builtin;
	f->perms = perms;
	return 0;
}

static json_t *role_summary(const struct role_fields *f)
{
	json_t *s = json_pack("{s:s, s:s, s:s, s:b}", "key", f->key, "name", f->name, "data_scope",
	                      f->data_scope, "enabled", f->enabled);
	json_t *units = json_loads(f->unit_ids, 0, NULL);

	json_object_set_new(s, "unit_ids", units ? units : json_array());
	if (!f->builtin_keep_perms)
		json_object_set_new(s, "permissions", perm_keys(f->perms));
	return s;
}

/* POST /roles */
static int role_create(struct req *r)
{
	struct role_fields f;
	struct permset perms;
	struct store_conn *c;
	struct error e;
	json_t *body, *role;
	int64_t id = 0;
	int rc;

	if (req_body_json(r, &body))
		return r->err.code;
	c = req_db(r);
	if (!c)
		return r->err.code;
	memset(&f, 0, sizeof(f));
	if (role_parse(r, body, NULL, NULL, &f, &perms))
		return r->err.code;
	error_init(&e);
	rc = store_begin(c, 1, &e);
	if (rc)
		return req_fail_error(r, &e);
	rc = role_insert(c, r->who->tenant_id, &f, &id, &e);
	if (rc == 0)
		rc = req_audit(r, c, "role.create", "role", id, role_summary(&f));
	if (req_tx_end(r, c, rc, &e))
		return r->err.code;
	if (role_get_json(c, r->who->tenant_id, id, &role, &e))
		return req_fail_error(r, &e);
	return req_reply_json(r, 201, role);
}

/* PUT /roles/{id}: fields left out keep their values. */
static int role_put(struct req *r)
{
	struct role_fields f;
	struct role_row cur;
	struct permset perms;
	struct store_conn *c;
	struct error e;
	json_t *body, *cur_json = NULL, *role;
	int64_t id;
	int rc;

	if (req_param_id(r, "id", &id) || req_body_json(r, &body))
		return r->err.code;
	c = req_db(r);
	if (!c)
		return r->err.code;
	error_init(&e);
	rc = store_begin(c, 1, &e);
	if (rc == 0)
		rc = role_get_row(c, r->who->tenant_id, id, &cur, &e);
	if (rc == 0)
		rc = role_get_json(c, r->who->tenant_id, id, &cur_json, &e);
	if (rc) {
		store_rollback(c);
		return req_fail_error(r, &e);
	}
	memset(&f, 0, sizeof(f));
	rc = role_parse(r, body, &cur, cur_json, &f, &perms);
	if (rc == 0)
		rc = role_update(c, r->who->tenant_id, id, &f, &e);
	if (rc == 0)
		rc = req_audit(r, c, "role.update", "role", id, role_summary(&f));
	json_decref(cur_json);
	if (req_tx_end(r, c, rc, &e))
		return r->err.code;
	if (role_get_json(c, r->who->tenant_id, id, &role, &e))
		return req_fail_error(r, &e);
	return req_reply_json(r, 200, role);
}

/* DELETE /roles/{id}: custom roles nobody holds. */
static int role_del(struct req *r)
{
	struct role_row cur;
	struct store_conn *c;
	struct error e;
	int64_t id;
	int rc;

	if (req_param_id(r, "id", &id))
		return r->err.code;
	c = req_db(r);
	if (!c)
		return r->err.code;
	error_init(&e);
	rc = store_begin(c, 1, &e);
	if (rc)
		return req_fail_error(r, &e);
	rc = role_get_row(c, r->who->tenant_id, id, &cur, &e);
	if (rc == 0)
		rc = role_delete(c, r->who->tenant_id, id, &e);
	if (rc == 0)
		rc = req_audit(
		    r, c, "role.delete", "role", id,
		    json_pack("{s:s, s:o}", "key", cur.key, "permissions", perm_keys(&cur.perms)));
	if (req_tx_end(r, c, rc, &e))
		return r->err.code;
	return req_reply_empty(r);
}

void role_routes(struct router *rt)
{
	router_add(rt, "GET", "/api/v1/roles", roles_list, "org:role:view", 0);
	router_add(rt, "POST", "/api/v1/roles", role_create, "org:role:edit", 64 * 1024);
	router_add(rt, "GET", "/api/v1/roles/{id}", role_get, "org:role:view", 0);
	router_add(rt, "PUT", "/api/v1/roles/{id}", role_put, "org:role:edit", 64 * 1024);
	router_add(rt, "DELETE", "/api/v1/roles/{id}", role_del, "org:role:edit", 0);
	router_add(rt, "GET", "/api/v1/permissions", permissions_get, "org:role:view", 0);
}

/*
 * api_users.c - /users: accounts of a tenant, their roles, password resets,
 * export and import.
 *
 * Rules beyond the data scope: nobody deletes, disables or changes the roles
 * of their own account here (that is how an office locks itself out); only
 * system administrators touch administrators' accounts or grant the admin
 * role; and a non-admin grants only roles whose permissions they hold
 * themselves, with a data scope no wider than their own.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/login.h"
#include "auth/password.h"
#include "http/json_io.h"
#include "http/multipart.h"
#include "http/reply.h"
#include "http/req.h"
#include "org/org.h"
#include "spreadsheet/spreadsheet.h"
#include "store/store.h"

#define IMPORT_MAX_BODY (10L << 20)

/* The same scope for choosing a unit: "self" reaches no unit. */
static struct scope unit_part(const struct scope *s)
{
	struct scope out = *s;

	out.self_user_id = 0;
	return out;
}

/* ---- list, get --------------------------------------------------------------- */

static int list_filter(struct req *r, struct user_filter *f, struct scope *s)
{
	const char *role = req_query(r, "role"), *kw = req_query(r, "keyword");
	int64_t unit_id;
	struct unit u;
	struct error e;
	int rc;

	memset(f, 0, sizeof(*f));
	principal_scope(r->who, "org:user:view", &r->arena, s);
	f->scope = s;
	if (http_query_id(r, "unit_id", &unit_id) || http_query_bool(r, "enabled", &f->enabled) ||
	    !req_db(r))
		return r->err.code;
	if ((role && strlen(role) > 40) || (kw && strlen(kw) > 64 * 4))
		return req_fail(r, ERR_INVALID, role && strlen(role) > 40 ? "role" : "keyword",
		                "查询条件过长");
	f->role = role && *role ? role : NULL;
	f->keyword = kw && *kw ? kw : NULL;
	if (unit_id) {
		error_init(&e);
		rc = unit_get(r->db, r->who->tenant_id, NULL, unit_id, &r->arena, &u, &e);
		if (rc && rc != ERR_NOT_FOUND)
			return req_fail_error(r, &e);
		/* an unknown unit selects nobody: "#" matches no path */
		f->unit_subtree = rc ? "#" : arena_printf(&r->arena, "%s%%", u.ancestors);
	}
	return 0;
}

/* GET /users: newest first, phones masked. */
static int users_list(struct req *r)
{
	struct user_filter f;
	struct user *users;
	struct scope s;
	struct error e;
	int64_t total = 0;
	json_t *items;
	int i, n;

	if (list_filter(r, &f, &s) || req_page(r, &f.offset, &f.limit))
		return r->err.code;
	error_init(&e);
	if (user_list(r->db, r->who->tenant_id, &f, &r->arena, &users, &n, &total, &e))
		return req_fail_error(r, &e);
	items = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(items, user_json(&users[i], 0));
	return req_reply_json(r, 200,
	                      json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)total));
}

/* GET /users/{id}: the whole phone only for those who may edit the user. */
static int users_get(struct req *r)
{
	struct scope view, edit;
	struct user u;
	struct error e;
	int64_t id;
	int full = 0;

	if (req_param_id(r, "id", &id) || !req_db(r))
		return r->err.code;
	principal_scope(r->who, "org:user:view", &r->arena, &view);
	error_init(&e);
	if (user_get(r->db, r->who->tenant_id, &view, id, &r->arena, &u, &e))
		return req_fail_error(r, &e);
	if (principal_has(r->who, "org:user:edit")) {
		principal_scope(r->who, "org:user:edit", &r->arena, &edit);
		full = user_in_scope(&edit, &u);
	}
	return req_reply_json(r, 200, user_json(&u, full));
}

/* ---- create, update -------------------------------------------------------- */

struct user_in {
	struct user_fields f;
	const char *old_phone; /* update: the phone as stored */
	const char *password;
	json_t *roles;
};

static int user_body(json_t *body, struct user_in *in, int create, struct error *e)
{
	int req = create ? JF_REQUIRED : 0;
	json_t *unit = json_object_get(body, "unit_id");

	if (json_get_string(body, "username", req, 1, 64, &in->f.username, e) ||
	    json_get_string(body, "name", req, 1, USER_NAME_MAX, &in->f.name, e) ||
	    json_get_string(body, "phone", JF_NULLABLE, 0, 20, &in->f.phone, e) ||
	    json_get_bool(body, "enabled", 0, &in->f.enabled, e) ||
	    (create && json_get_string(body, "password", JF_NULLABLE, 1, PASSWORD_MAX_CHARS * 4,
	                               &in->password, e)))
		return e->code;
	if (org_has_control(in->f.name) || in->f.name[0] == ' ')
		return error_set(e, ERR_INVALID, "name", "姓名不能以空格开头或包含换行");
	/* checked when it changes, so an old number typed elsewhere does not block other edits */
	if (!user_mobile_ok(in->f.phone) && (create || strcmp(in->f.phone, in->old_phone)))
		return error_set(e, ERR_INVALID, "phone", "手机号应为 1 开头的 11 位数字");
	if (unit && !json_is_null(unit)) {
		if (!json_is_integer(unit) || json_integer_value(unit) < 1)
			return error_set(e, ERR_INVALID, "unit_id",
			                 "所属单位 unit_id 应为单位编号");
		in->f.unit_id = json_integer_value(unit);
	} else if (unit) {
		in->f.unit_id = 0;
	}
	in->roles = json_object_get(body, "roles");
	if (create && !in->roles)
		return error_set(e, ERR_INVALID, "roles", "缺少必填字段 roles");
	return 0;
}

/*
 * Resolve the role keys of in->roles to ids, checking each newly granted one
 * (not held by old) against what the caller may grant.
 */
static int body_roles(struct req *r, json_t *list, const struct scope *edit, const struct user *old,
                      int64_t *ids, int *n, struct org_role **all, int *nall)
{
	struct org_role *roles;
	struct error e;
	size_t i;
	int nroles, k;
	json_t *v;

	*n = 0;
	if (!json_is_array(list))
		return req_fail(r, ERR_INVALID, "roles", "角色 roles 应为角色标识的数组");
	if (json_array_size(list) == 0 || json_array_size(list) > USER_MAX_ROLES)
		return req_fail(r, ERR_INVALID, "roles", "请选择 1 到 %d 个角色", USER_MAX_ROLES);
	error_init(&e);
	if (org_roles_load(r->db, r->who->tenant_id, &r->arena, &roles, &nroles, &e))
		return req_fail_error(r, &e);
	json_array_foreach(list, i, v)
	{
		const struct org_role *role = NULL;
		const char *why;
		int held = 0, dup = 0;

		for (k = 0; json_is_string(v) && k < nroles; k++)
			if (!strcmp(roles[k].key, json_string_value(v)))
				role = &roles[k];
		if (!role)
			return req_fail(r, ERR_INVALID, "roles", "角色“%s”不存在",
			                json_is_string(v) ? json_string_value(v) : "?");
		for (k = 0; k < *n; k++)
			dup |= ids[k] == role->id;
		for (k = 0; old && k < old->nroles; k++)
			held |= !strcmp(old->roles[k], role->key);
		if (dup)
			continue;
		if (!held && !role->enabled)
			return req_fail(r, ERR_INVALID, "roles", "角色“%s”已停用", role->name);
		if (!held && (why = org_grant_refusal(r->who, edit, role)))
			return req_fail(r, ERR_FORBIDDEN, "roles", "%s：%s", why, role->name);
		ids[(*n)++] = role->id;
	}
	*all = roles;
	*nall = nroles;
	return 0;
}

/* The unit a user is put in must lie in the caller's scope; none needs the whole tenant. */
static int check_unit(struct req *r, const struct scope *edit, int64_t unit_id)
{
	struct scope s = unit_part(edit);
	struct unit u;
	struct error e;
	int rc;

	if (!unit_id)
		return edit->all ? 0 : req_fail(r, ERR_INVALID, "unit_id", "请选择所属单位");
	error_init(&e);
	rc = unit_get(r->db, r->who->tenant_id, &s, unit_id, &r->arena, &u, &e);
	if (rc == ERR_NOT_FOUND)
		return req_fail(r, ERR_INVALID, "unit_id", "所属单位不存在");
	return rc ? req_fail_error(r, &e) : 0;
}

/* POST /users: without a password, one is generated and answered once as "password". */
static int users_create(struct req *r)
{
	static const char *const fields[] = {"username", "name",    "phone",    "unit_id",
	                                     "roles",    "enabled", "password", NULL};
	int64_t role_ids[USER_MAX_ROLES], id = 0;
	char hash[PASSWORD_HASH_MAX], generated[USER_GENERATED_PASSWORD_CHARS + 1];
	struct org_role *roles;
	struct user_in in;
	struct scope edit;
	struct store_conn *c;
	struct user u;
	struct error e;
	int nroles, nall, taken, rc;
	json_t *body, *out;

	memset(&in, 0, sizeof(in));
	in.f.phone = "";
	in.f.enabled = 1;
	if (req_body_json(r, &body) || !(c = req_db(r)))
		return r->err.code;
	error_init(&e);
	if (json_only_keys(body, fields, &e) || user_body(body, &in, 1, &e))
		return req_fail_error(r, &e);
	principal_scope(r->who, "org:user:edit", &r->arena, &edit);
	if (!user_username_ok(in.f.username))
		return req_fail(r, ERR_INVALID, "username",
		                "用户名为 2–32 位字母、数字、下划线、点或横线");
	if (check_unit(r, &edit, in.f.unit_id) ||
	    body_roles(r, in.roles, &edit, NULL, role_ids, &nroles, &roles, &nall))
		return r->err.code;
	if (!in.password) { /* none given: generate one and show it once */
		do
			password_generate(generated, USER_GENERATED_PASSWORD_CHARS);
		while (password_check_policy(in.f.username, generated, NULL));
		in.password = generated;
	}
	if (password_check_policy(in.f.username, in.password, &e))
		return req_fail_error(r, &e);
	if (user_username_taken(c, in.f.username, 0, &taken, &e))
		return req_fail_error(r, &e);
	if (taken)
		return req_fail(r, ERR_CONFLICT, "username", "用户名已存在");
	if (password_hash(in.password, hash, &e))
		return req_fail_error(r, &e);
	in.f.password_hash = hash;
	rc = store_begin(c, 1, &e);
	if (!rc)
		rc = user_create(c, r->who->tenant_id, &in.f, &id, &e);
	if (!rc)
		rc = user_set_roles(c, id, role_ids, nroles, &e);
	if (!rc)
		rc = req_audit(r, c, "user.create", "user", id,
		               json_pack("{s:s, s:s, s:o, s:O}", "username", in.f.username, "name",
		                         in.f.name, "unit_id",
		                         in.f.unit_id ? json_integer(in.f.unit_id) : json_null(),
		                         "roles", in.roles));
	if (req_tx_end(r, c, rc, &e))
		return r->err.code;
	if (user_get(c, r->who->tenant_id, NULL, id, &r->arena, &u, &e))
		return req_fail_error(r, &e);
	out = user_json(&u, 1);
	if (in.password == generated)
		json_object_set_new(out, "password", json_string(generated));
	sodium_memzero(generated, sizeof(generated));
	return req_reply_json(r, 201, out);
}

/* Load the target of a change in the caller's scope for perm; admins' accounts are admins' own. */
static int load_target(struct req *r, const char *perm, struct scope *s, struct user *u)
{
	struct error e;

	principal_scope(r->who, perm, &r->arena, s);
	error_init(&e);
	if (!req_db(r))
		return r->err.code;
	if (user_get(r->db, r->who->tenant_id, s, u->id, &r->arena, u, &e))
		return req_fail_error(r, &e);
	if (user_is_admin(u) && !org_is_admin(r->who))
		return req_fail(r, ERR_FORBIDDEN, NULL, "只有系统管理员可以修改系统管理员的账号");
	return 0;
}

/* 1 when the distinct role ids[0..n) are exactly the roles old holds. */
static int same_roles(const struct user *old, const int64_t *ids, int n,
                      const struct org_role *roles, int nroles)
{
	int i, j, k;

	if (n != old->nroles)
		return 0;
	for (i = 0; i < n; i++) {
		const char *key = NULL;

		for (k = 0; k < nroles; k++)
			if (roles[k].id == ids[i])
				key = roles[k].key;
		for (j = 0; key && j < old->nroles && strcmp(old->roles[j], key); j++)
			;
		if (!key || j == old->nroles)
			return 0;
	}
	return 1;
}

/* The names of the fields a change touched, for its audit row (values stay out: phones). */
static void note_change(json_t *changed, int cond, const char *field)
{
	if (cond)
		json_array_append_new(changed, json_string(field));
}

/*
 * PUT /users/{id}: username, name, phone, unit_id, roles, enabled (absent
 * fields stay).  Disabling the user or changing their roles ends their
 * sessions.
 */
static int users_update(struct req *r)
{
	static const char *const fields[] = {
	    "username",          "name", "phone",     "unit_id",       "roles",
	    "enabled",           "id",   "unit_name", "last_login_at", "created_at",
	    "is_platform_admin", NULL};
	int64_t role_ids[USER_MAX_ROLES];
	struct org_role *roles;
	struct user_in in;
	struct scope edit;
	struct user old;
	struct error e;
	int nroles = 0, nall = 0, taken, roles_changed = 0, rc;
	json_t *body, *changed;

	memset(&old, 0, sizeof(old));
	if (req_param_id(r, "id", &old.id) || req_body_json(r, &body) ||
	    load_target(r, "org:user:edit", &edit, &old))
		return r->err.code;
	memset(&in, 0, sizeof(in));
	in.f.username = old.username;
	in.f.name = old.name;
	in.f.phone = in.old_phone = old.phone;
	in.f.unit_id = old.unit_id;
	in.f.enabled = old.enabled;
	error_init(&e);
	if (json_only_keys(body, fields, &e) || user_body(body, &in, 0, &e))
		return req_fail_error(r, &e);
	if (in.f.unit_id != old.unit_id && check_unit(r, &edit, in.f.unit_id))
		return r->err.code;
	if (strcmp(in.f.username, old.username) && !user_username_ok(in.f.username))
		return req_fail(r, ERR_INVALID, "username",
		                "用户名为 2–32 位字母、数字、下划线、点或横线");
	if (in.roles) {
		if (body_roles(r, in.roles, &edit, &old, role_ids, &nroles, &roles, &nall))
			return r->err.code;
		roles_changed = !same_roles(&old, role_ids, nroles, roles, nall);
	}
	if (old.id == r->who->user_id && (roles_changed || (old.enabled && !in.f.enabled)))
		return req_fail(r, ERR_CONFLICT, roles_changed ? "roles" : "enabled",
		                "不能停用自己的账号或修改自己的角色");
	if (strcmp(in.f.username, old.username)) {
		if (user_username_taken(r->db, in.f.username, old.id, &taken, &e))
			return req_fail_error(r, &e);
		if (taken)
			return req_fail(r, ERR_CONFLICT, "username", "用户名已存在");
	}
	changed = json_array();
	note_change(changed, strcmp(in.f.username, old.username), "username");
	note_change(changed, strcmp(in.f.name, old.name), "name");
	note_change(changed, strcmp(in.f.phone, old.phone), "phone");
	note_change(changed, in.f.unit_id != old.unit_id, "unit_id");
	note_change(changed, in.f.enabled != old.enabled, "enabled");
	note_change(changed, roles_changed, "roles");
	rc = store_begin(r->db, 1, &e);
	if (!rc)
		rc = user_update(r->db, r->who->tenant_id, old.id, &in.f, &e);
	if (!rc && roles_changed)
		rc = user_set_roles(r->db, old.id, role_ids, nroles, &e);
	if (!rc && (roles_changed || (old.enabled && !in.f.enabled)))
		rc = auth_sessions_revoke_user(r->db, old.id, 0,
		                               roles_changed ? "roles changed" : "disabled", &e);
	if (!rc)
		rc = req_audit(r, r->db, "user.update", "user", old.id,
		               json_pack("{s:s, s:o, s:b}", "username", in.f.username, "changed",
		                         changed, "enabled", in.f.enabled));
	else
		json_decref(changed);
	if (req_tx_end(r, r->db, rc, &e))
		return r->err.code;
	if (user_get(r->db, r->who->tenant_id, NULL, old.id, &r->arena, &old, &e))
		return req_fail_error(r, &e);
	return req_reply_json(r, 200, user_json(&old, 1));
}

/* DELETE /users/{id}: never oneself. */
static int users_delete(struct req *r)
{
	struct scope edit;
	struct user u;
	struct error e;
	int rc;

	memset(&u, 0, sizeof(u));
	if (req_param_id(r, "id", &u.id))
		return r->err.code;
	if (u.id == r->who->user_id)
		return req_fail(r, ERR_CONFLICT, NULL, "不能删除自己的账号");
	if (load_target(r, "org:user:edit", &edit, &u))
		return r->err.code;
	error_init(&e);
	rc = store_begin(r->db, 1, &e);
	if (!rc)
		rc = user_delete(r->db, r->who->tenant_id, u.id, &e);
	if (!rc)
		rc = req_audit(r, r->db, "user.delete", "user", u.id,
		               json_pack("{s:s, s:s}", "username", u.username, "name", u.name));
	if (req_tx_end(r, r->db, rc, &e))
		return r->err.code;
	return req_reply_empty(r);
}

/* POST /users/{id}/reset-password: a generated password, shown once; ends the user's sessions. */
static int users_reset_password(struct req *r)
{
	char pw[USER_GENERATED_PASSWORD_CHARS + 1], hash[PASSWORD_HASH_MAX];
	struct scope s;
	struct user u;
	struct error e;
	int rc;

	memset(&u, 0, sizeof(u));
	if (req_param_id(r, "id", &u.id))
		return r->err.code;
	if (u.id == r->who->user_id)
		return req_fail(r, ERR_CONFLICT, NULL, "请在个人中心修改自己的密码");
	if (load_target(r, "org:user:reset-password", &s, &u))
		return r->err.code;
	error_init(&e);
	do
		password_generate(pw, USER_GENERATED_PASSWORD_CHARS);
	while (password_check_policy(u.username, pw, NULL));
	if (password_hash(pw, hash, &e))
		return req_fail_error(r, &e);
	rc = store_begin(r->db, 1, &e);
	if (!rc)
		rc = user_set_password_hash(r->db, u.id, hash, &e);
	if (!rc)
		rc = auth_sessions_revoke_user(r->db, u.id, 0, "password reset", &e);
	if (!rc)
		rc = req_audit(r, r->db, "user.reset_password", "user", u.id,
		               json_pack("{s:s}", "username", u.username));
	if (req_tx_end(r, r->db, rc, &e))
		return r->err.code;
	rc = req_reply_json(r, 200, json_pack("{s:s}", "password", pw));
	sodium_memzero(pw, sizeof(pw));
	return rc;
}

/* ---- export, template ------------------------------------------------------ */

/* Role names of u, joined by "、" (the import reads them back). */
static const char *role_names(const struct user *u, const struct org_role *roles, int nroles,
                              struct arena *a)
{
	struct strbuf sb = STRBUF_INIT;
	const struct org_role *role;
	const char *out;
	int i;

	for (i = 0; i < u->nroles; i++) {
		role = org_role_find(roles, nroles, u->roles[i]);
		strbuf_addf(&sb, "%s%s", i ? "、" : "", role ? role->name : u->roles[i]);
	}
	out = arena_strdup(a, strbuf_str(&sb));
	strbuf_release(&sb);
	return out;
}

#define USER_EXPORT_NCOLS 8

/* GET /users/export: what the list filters select; whole phones for those who may edit them;
 * audited. */
static int users_export(struct req *r)
{
	static const char *const filters[] = {"unit_id", "role", "keyword", "enabled", NULL};
	static const char *const headers[USER_EXPORT_NCOLS] = {
	    "用户名", "姓名", "手机号", "所属单位", "角色", "状态", "最近登录", "创建时间"};
	struct user_filter f;
	struct scope s, edit;
	struct user *users;
	struct unit *units;
	struct org_role *roles;
	struct sheet_writer w;
	struct error e;
	int64_t total;
	int i, n, nunits, nroles, can_edit, rc, minutes;

	if (list_filter(r, &f, &s))
		return r->err.code;
	f.oldest_first = 1; /* in the order they were created, as a sheet is read */
	can_edit = principal_has(r->who, "org:user:edit");
	principal_scope(r->who, "org:user:edit", &r->arena, &edit);
	error_init(&e);
	if (user_list(r->db, r->who->tenant_id, &f, &r->arena, &users, &n, &total, &e) ||
	    unit_all(r->db, r->who->tenant_id, &r->arena, &units, &nunits, &e) ||
	    org_roles_load(r->db, r->who->tenant_id, &r->arena, &roles, &nroles, &e))
		return req_fail_error(r, &e);
	minutes = auth_tenant_minutes(r);
	rc = sheet_writer_init(&w, "用户", headers, USER_EXPORT_NCOLS, &e);
	for (i = 0; rc == 0 && i < n; i++) {
		const struct user *u = &users[i];
		char masked[32];
		const char *cells[USER_EXPORT_NCOLS];

		phone_mask(u->phone, masked);
		cells[0] = u->username;
		cells[1] = u->name;
		cells[2] = can_edit && user_in_scope(&edit, u) ? u->phone : masked;
		cells[3] = unit_path(units, nunits, u->unit_id, &r->arena);
		cells[4] = role_names(u, roles, nroles, &r->arena);
		cells[5] = u->enabled ? "启用" : "停用";
		cells[6] = http_format_local(u->last_login_at, minutes, &r->arena);
		cells[7] = http_format_local(u->created_at, minutes, &r->arena);
		rc = sheet_writer_row_typed(&w, "ssssssdd", cells, &e);
	}
	/* personal data leaving the system: who took which rows is on record */
	return http_reply_export(r, &w, rc, &e, "user.export", "user",
	                         http_query_summary(r, filters, n), "users", "用户");
}

/* The template's columns, in the order people fill them in. */
static const struct sheet_column user_columns[UI_NCOLS] = {
    {"用户名", 1, 's', "2–32 位字母、数字、下划线、点或横线；全系统唯一"},
    {"姓名", 1, 's', "最多 32 个字"},
    {"手机号", 0, 's', "1 开头的 11 位数字"},
    {"所属单位", 1, 's', "已有单位的名称；重名时写完整路径，如 示例县总指挥部/创城办"},
    {"角色", 1, 's', "角色名称或标识，多个用顿号或逗号分隔，如 单位管理员、单位联络员"},
    {"初始密码", 0, 's', "至少 10 个字符；留空则自动生成，导入结果中只显示一次"},
    {"状态", 0, 's', "启用 或 停用；留空为启用"},
};

/* GET /users/import/template */
static int users_template(struct req *r)
{
	static const char *const example[UI_NCOLS] = {
	    "zhangsan", "张三", "13800001111", "示例县总指挥部/创城办", "单位联络员", "", "启用"};
	struct error e;
	void *data;
	size_t len;

	error_init(&e);
	if (sheet_template("用户", user_columns, UI_NCOLS, example, &data, &len, &e))
		return req_fail_error(r, &e);
	return http_reply_xlsx(r, data, len, "users-template", "用户导入模板");
}

/* ---- import ------------------------------------------------------------------ */

/* Check every row of the sheet into *users; r is answered when the sheet is refused. */
static int users_import_check(struct req *r, const struct sheet *sh, struct user_import_row **users,
                              int *n)
{
	struct user_import x;
	struct unit *units;
	struct org_role *roles;
	struct scope s;
	struct error e;
	int col[UI_NCOLS], i;
	json_t *errors = json_array();

	memset(&x, 0, sizeof(x));
	x.c = r->db;
	x.who = r->who;
	x.a = &r->arena;
	error_init(&e);
	if (unit_all(r->db, r->who->tenant_id, &r->arena, &units, &x.nunits, &e) ||
	    org_roles_load(r->db, r->who->tenant_id, &r->arena, &roles, &x.nroles, &e)) {
		json_decref(errors);
		return req_fail_error(r, &e);
	}
	x.units = units;
	x.roles = roles;
	principal_scope(r->who, "org:user:import", &r->arena, &s);
	x.scope = unit_part(&s);
	if (org_import_header(sh, user_import_columns, UI_NCOLS, 4, col, errors))
		return http_reply_import_errors(r, errors) ? r->err.code : ERR_INVALID;
	user_import_init(&x, sh->nrows, errors);
	*users = arena_alloc(&r->arena, (size_t)sh->nrows * sizeof(**users));
	*n = 0;
	for (i = 1; i < sh->nrows; i++)
		if (user_import_check(&x, &sh->rows[i], col, &(*users)[(*n)++], &e)) {
			json_decref(errors);
			return req_fail_error(r, &e);
		}
	if (json_array_size(errors))
		return http_reply_import_errors(r, errors) ? r->err.code : ERR_INVALID;
	json_decref(errors);
	return 0;
}

/*
 * POST /users/import (multipart "file"): all rows or none.  Passwords left
 * empty are generated and answered once in "passwords".
 */
static int users_import(struct req *r)
{
	struct sheet sh = SHEET_INIT;
	struct user_import_row *users = NULL;
	struct error e;
	const char *filename;
	const void *data;
	size_t len;
	int n = 0, i, rc;
	json_t *generated;

	error_init(&e);
	if (req_multipart_file(r, "file", &data, &len, &filename, &e) ||
	    sheet_read(data, len, filename, &sh, &e)) {
		sheet_release(&sh);
		return req_fail_error(r, &e);
	}
	if (!req_db(r)) {
		sheet_release(&sh);
		return r->err.code;
	}
	rc = users_import_check(r, &sh, &users, &n);
	if (rc) {
		sheet_release(&sh);
		/* a refused sheet is answered (422 with the rows); anything else is an error */
		return rc == ERR_INVALID && r->response ? 0 : rc;
	}
	/* Hash before the write transaction: Argon2id must not hold the database's write lock. */
	generated = json_array();
	if (user_import_passwords(users, n, generated, &r->arena, &e)) {
		json_decref(generated);
		sheet_release(&sh);
		return req_fail_error(r, &e);
	}
	rc = store_begin(r->db, 1, &e);
	for (i = 0; rc == 0 && i < n; i++) {
		int64_t id = 0;

		users[i].f.password_hash = users[i].hash;
		rc = user_create(r->db, r->who->tenant_id, &users[i].f, &id, &e);
		if (!rc)
			rc = user_set_roles(r->db, id, users[i].role_ids, users[i].nroles, &e);
	}
	if (!rc)
		rc = req_audit(r, r->db, "user.import", "user", 0,
		               json_pack("{s:i, s:s, s:i}", "count", n, "file", filename,
		                         "generated_passwords", (int)json_array_size(generated)));
	sheet_release(&sh);
	for (i = 0; i < n; i++)
		sodium_memzero(users[i].hash, sizeof(users[i].hash));
	if (req_tx_end(r, r->db, rc, &e)) {
		json_decref(generated);
		return r->err.code;
	}
	return req_reply_json(
	    r, 200, json_pack("{s:i, s:[], s:o}", "imported", n, "errors", "passwords", generated));
}

/* ---- routes ---------------------------------------------------------------- */

void user_routes(struct router *rt)
{
	router_add(rt, "GET", "/api/v1/users", users_list, "org:user:view", 0);
	router_add(rt, "POST", "/api/v1/users", users_create, "org:user:edit", 64 * 1024);
	router_add(rt, "GET", "/api/v1/users/export", users_export, "org:user:export", 0);
	router_add(rt, "GET", "/api/v1/users/import/template", users_template, "org:user:import",
	           0);
	router_add(rt, "POST", "/api/v1/users/import", users_import, "org:user:import",
	           IMPORT_MAX_BODY);
	router_add(rt, "GET", "/api/v1/users/{id}", users_get, "org:user:view", 0);
	router_add(rt, "PUT", "/api/v1/users/{id}", users_update, "org:user:edit", 0);
	router_add(rt, "DELETE", "/api/v1/users/{id}", users_delete, "org:user:edit", 0);
	router_add(rt, "POST", "/api/v1/users/{id}/reset-password", users_reset_password,
	           "org:user:reset-password", 0);
}

/* user_db.c - user accounts and their roles in the store. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth/password.h"
#include "core/clock.h"
#include "core/strbuf.h"
#include "core/utf8.h"
#include "org/org.h"
#include "spreadsheet/spreadsheet.h"
#include "store/store.h"

/* ---- roles ----------------------------------------------------------------- */

STORE_SQL(q_org_roles,
          "SELECT r.id, r.key, r.name, r.builtin, r.enabled, r.data_scope, rp.permission"
          " FROM roles r LEFT JOIN role_permissions rp ON rp.role_id = r.id AND r.builtin = 0"
          " WHERE r.tenant_id = ? ORDER BY r.sort, r.id");

int org_roles_load(struct store_conn *c, int64_t tenant_id, struct arena *a, struct org_role **out,
                   int *n, struct error *e)
{
	struct store_val args[] = {sv_int(tenant_id)};
	struct store_rows *r;
	struct org_role *list = NULL, *cur = NULL;
	int cap = 0, rc;

	*out = NULL;
	*n = 0;
	rc = store_query(c, &q_org_roles, args, 1, &r, e);
	if (rc)
		return rc;
	while ((rc = store_next(r)) > 0) {
		int64_t id = store_int(r, 0);

		if (!cur || cur->id != id) {
			list = arena_grow(a, list, *n, &cap, sizeof(*list));
			cur = &list[(*n)++];
			memset(cur, 0, sizeof(*cur));
			cur->id = id;
			cur->key = arena_strdup(a, store_text(r, 1));
			cur->name = arena_strdup(a, store_text(r, 2));
			cur->builtin = (int)store_int(r, 3);
			cur->enabled = (int)store_int(r, 4);
			if (scope_parse(store_text(r, 5), &cur->scope))
				cur->scope = SCOPE_NONE;
			if (cur->builtin)
				builtin_role_perms(cur->key, &cur->perms);
		}
		if (!store_isnull(r, 6))
			permset_add(&cur->perms, perm_index(store_text(r, 6)));
	}
	store_finish(r);
	if (rc < 0)
		return error_set(e, rc, NULL, NULL);
	*out = list;
	return 0;
}

const struct org_role *org_role_find(const struct org_role *roles, int n, const char *key_or_name)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(roles[i].key, key_or_name))
			return &roles[i];
	for (i = 0; i < n; i++)
		if (!strcmp(roles[i].name, key_or_name))
			return &roles[i];
	return NULL;
}

/* ---- reading users ----------------------------------------------------------- */

void phone_mask(const char *phone, char out[32])
{
	size_t n = strlen(phone);

	if (n == 0)
		out[0] = '\0';
	else if (n >= 7 && n < 24)
		snprintf(out, 32, "%.3s****%s", phone, phone + n - 4);
	else
		snprintf(out, 32, "****");
}

#define USER_COLS                                                                                  \
	"u.id, COALESCE(u.unit_id, 0), u.username, u.name, u.phone, COALESCE(un.name, ''),"        \
	" COALESCE(un.ancestors, ''), u.enabled, u.is_platform_admin,"                             \
	" COALESCE(u.last_login_at, 0), u.created_at"
#define USER_FROM  " FROM users u LEFT JOIN units un ON un.id = u.unit_id"
#define USER_SCOPE "(? = 1 OR u.unit_id IN_IDS(?) OR un.ancestors LIKE ? OR u.id = ?)"
#define USER_WHERE                                                                                 \
	USER_FROM                                                                                  \
	" WHERE u.tenant_id = ? AND " USER_SCOPE " AND (? = '' OR un.ancestors LIKE ?)"            \
	" AND (? = '' OR EXISTS (SELECT 1 FROM user_roles ur JOIN roles r ON r.id = "              \
	"ur.role_id"                                                                               \
	" WHERE ur.user_id = u.id AND r.key = ?))"                                                 \
	" AND (? = '' OR LOWER(u.username) LIKE ? ESCAPE '\\' OR u.name LIKE ? ESCAPE '\\'"        \
	" OR u.phone LIKE ? ESCAPE '\\') AND (? < 0 OR u.enabled = ?)"

STORE_SQL(q_user_list, "SELECT " USER_COLS USER_WHERE " ORDER BY u.id DESC LIMIT ? OFFSET ?");
STORE_SQL(q_user_list_oldest, "SELECT " USER_COLS USER_WHERE " ORDER BY u.id LIMIT ? OFFSET ?");
STORE_SQL(q_user_count, "SELECT COUNT(*)" USER_WHERE);
STORE_SQL(q_user_get,
          "SELECT " USER_COLS USER_FROM " WHERE u.tenant_id = ? AND u.id = ? AND " USER_SCOPE);
STORE_SQL(q_user_roles_of,
          "SELECT ur.user_id, r.key FROM user_roles ur JOIN roles r ON r.id = ur.role_id"
          " WHERE ur.user_id IN_IDS(?) ORDER BY r.sort, r.id");

static void user_read(struct store_rows *r, struct arena *a, struct user *u)
{
	memset(u, 0, sizeof(*u));
	u->id = store_int(r, 0);
	u->unit_id = store_int(r, 1);
	u->username = arena_strdup(a, store_text(r, 2));
	u->name = arena_strdup(a, store_text(r, 3));
	u->phone = arena_strdup(a, store_text(r, 4));
	u->unit_name = arena_strdup(a, store_text(r, 5));
	u->unit_ancestors = arena_strdup(a, store_text(r, 6));
	u->enabled = (int)store_int(r, 7);
	u->is_platform_admin = (int)store_int(r, 8);
	u->last_login_at = store_int(r, 9);
	u->created_at = store_int(r, 10);
}

/* More than a principal loads (AUTH_MAX_ROLES); a user never needs this many. */
#define USER_ROLES_MAX 32

/* Fill the roles of users[0..n), which are sorted by id (either way). */
static int users_load_roles(struct store_conn *c, struct user *users, int n, struct arena *a,
                            struct error *e)
{
	struct strbuf ids = STRBUF_INIT;
	struct store_val args[1];
	struct store_rows *r;
	int i, rc, ascending;

	if (n == 0)
		return 0;
	ascending = n < 2 || users[0].id < users[n - 1].id;
	strbuf_addch(&ids, '[');
	for (i = 0; i < n; i++) {
		strbuf_addf(&ids, "%s%lld", i ? "," : "", (long long)users[i].id);
		users[i].roles = arena_alloc(a, USER_ROLES_MAX * sizeof(char *));
	}
	strbuf_addch(&ids, ']');
	args[0] = sv_text(ids.buf);
	rc = store_query(c, &q_user_roles_of, args, 1, &r, e);
	strbuf_release(&ids);
	if (rc)
		return rc;
	while ((rc = store_next(r)) > 0) {
		int64_t uid = store_int(r, 0);
		int lo = 0, hi = n - 1;

		while (lo <= hi) {
			int mid = (lo + hi) / 2;

			if (users[mid].id == uid) {
				if (users[mid].nroles < USER_ROLES_MAX)
					users[mid].roles[users[mid].nroles++] =
					    arena_strdup(a, store_text(r, 1));
				break;
			}
			if ((users[mid].id < uid) == ascending)
				lo = mid + 1;
			else
				hi = mid - 1;
		}
	}
	store_finish(r);
	return rc < 0 ? error_set(e, rc, NULL, NULL) : 0;
}

int user_list(struct store_conn *c, int64_t tenant_id, const struct user_filter *f, struct arena *a,
              struct user **out, int *n, int64_t *total, struct error *e)
{
	const char *unit = f->unit_subtree ? f->unit_subtree : "", *role = f->role ? f->role : "";
	const char *kw = f->keyword ? f->keyword : "";
	char *kw_lower = arena_strdup(a, kw), *p;
	struct store_val args[17];
	struct store_rows *r;
	struct user *list = NULL;
	int cap = 0, rc;
	const char *pattern;

	*out = NULL;
	*n = 0;
	for (p = kw_lower; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	{
		pattern = store_like_pattern(a, kw_lower, 1);
	}
	args[0] = sv_int(tenant_id);
	scope_args(f->scope, args + 1);
	args[5] = sv_text(unit);
	args[6] = sv_text(unit);
	args[7] = sv_text(role);
	args[8] = sv_text(role);
	args[9] = sv_text(kw);
	args[10] = sv_text(pattern);
	args[11] = sv_text(pattern);
	args[12] = sv_text(pattern);
	args[13] = sv_int(f->enabled);
	args[14] = sv_int(f->enabled);
	args[15] = sv_int(f->limit > 0 ? f->limit : INT32_MAX);
	args[16] = sv_int(f->offset);
	rc = store_query_int(c, &q_user_count, args, 15, total, e);
	if (rc)
		return rc;
	rc = store_query(c, f->oldest_first ? &q_user_list_oldest : &q_user_list, args, 17, &r, e);
	if (rc)
		return rc;
	while ((rc = store_next(r)) > 0) {
		list = arena_grow(a, list, *n, &cap, sizeof(*list));
		user_read(r, a, &list[(*n)++]);
	}
	store_finish(r);
	if (rc < 0)
		return error_set(e, rc, NULL, NULL);
	*out = list;
	return users_load_roles(c, list, *n, a, e);
}

int user_get(struct store_conn *c, int64_t tenant_id, const struct scope *s, int64_t id,
             struct arena *a, struct user *out, struct error *e)
{
	static const struct scope everything = SCOPE_EVERYTHING;
	struct store_val args[6];
	struct store_rows *r;
	int rc;

	args[0] = sv_int(tenant_id);
	args[1] = sv_int(id);
	scope_args(s ? s : &everything, args + 2);
	rc = store_query(c, &q_user_get, args, 6, &r, e);
	if (rc)
		return rc;
	rc = store_next(r);
	if (rc > 0)
		user_read(r, a, out);
	store_finish(r);
	if (rc < 0)
		return error_set(e, rc, NULL, NULL);
	if (rc == 0)
		return error_set(e, ERR_NOT_FOUND, NULL, "用户不存在");
	return users_load_roles(c, out, 1, a, e);
}

json_t *user_json(const struct user *u, int full_phone)
{
	json_t *roles = json_array();
	char masked[32];
	int i;

	for (i = 0; i < u->nroles; i++)
		json_array_append_new(roles, json_string(u->roles[i]));
	phone_mask(u->phone, masked);
	return json_pack("{s:I, s:s, s:s, s:s, s:o, s:s, s:o, s:b, s:b, s:o, s:I}", "id",
	                 (json_int_t)u->id, "username", u->username, "name", u->name, "phone",
	                 full_phone ? u->phone : masked, "unit_id",
	                 u->unit_id ? json_integer(u->unit_id) : json_null(), "unit_name",
	                 u->unit_name, "roles", roles, "enabled", u->enabled, "is_platform_admin",
	                 u->is_platform_admin, "last_login_at",
	                 u->last_login_at ? json_integer(u->last_login_at) : json_null(),
	                 "created_at", (json_int_t)u->created_at);
}

/* ---- writing users ------------------------------------------------------------- */

STORE_SQL(q_user_taken, "SELECT COUNT(*) FROM users WHERE username = ? AND id <> ?");
STORE_SQL(q_user_create,
          "INSERT INTO users (tenant_id, username, name, phone, password_hash, is_platform_admin,"
          " enabled, unit_id, password_changed_at, created_at, updated_at)"
          " VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?) RETURNING id");
STORE_SQL(q_user_update,
          "UPDATE users SET username = ?, name = ?, phone = ?, unit_id = ?, enabled = ?,"
          " updated_at = ? WHERE tenant_id = ? AND id = ?");
STORE_SQL(q_user_roles_clear, "DELETE FROM user_roles WHERE user_id = ?");
STORE_SQL(q_user_role_add, "INSERT INTO user_roles (user_id, role_id) VALUES (?, ?)");
STORE_SQL(q_user_delete, "DELETE FROM users WHERE tenant_id = ? AND id = ?");

int user_username_taken(struct store_conn *c, const char *username, int64_t except_id, int *taken,
                        struct error *e)
{
	struct store_val args[] = {sv_text(username), sv_int(except_id)};
	int64_t n = 0;
	int rc = store_query_int(c, &q_user_taken, args, 2, &n, e);

	*taken = n > 0;
	return rc;
}

int user_create(struct store_conn *c, int64_t tenant_id, const struct user_fields *f, int64_t *id,
                struct error *e)
{
	int64_t now = time_now_ms();
	struct store_val args[] = {
	    sv_int(tenant_id),
	    sv_text(f->username),
	    sv_text(f->name),
	    sv_text(f->phone),
	    sv_text(f->password_hash),
	    sv_int(f->enabled),
	    f->unit_id ? sv_int(f->unit_id) : sv_null(),
	    sv_int(now),
	    sv_int(now),
	    sv_int(now),
	};
	int rc = store_query_int(c, &q_user_create, args, 10, id, e);

	if (rc == ERR_CONFLICT)
		return error_set(e, ERR_CONFLICT, "username", "用户名已存在");
	return rc;
}

int user_update(struct store_conn *c, int64_t tenant_id, int64_t id, const struct user_fields *f,
                struct error *e)
{
	struct store_val args[] = {
	    sv_text(f->username), sv_text(f->name),
	    sv_text(f->phone),    f->unit_id ? sv_int(f->unit_id) : sv_null(),
	    sv_int(f->enabled),   sv_int(time_now_ms()),
	    sv_int(tenant_id),    sv_int(id),
	};
	int64_t changes = 0;
	int rc = store_exec(c, &q_user_update, args, 8, &changes, e);

	if (rc == ERR_CONFLICT)
		return error_set(e, ERR_CONFLICT, "username", "用户名已存在");
	if (rc == 0 && changes == 0)
		return error_set(e, ERR_NOT_FOUND, NULL, "用户不存在");
	return rc;
}

int user_set_roles(struct store_conn *c, int64_t user_id, const int64_t *role_ids, int n,
                   struct error *e)
{
	struct store_val one[] = {sv_int(user_id)};
	int i, rc = store_exec(c, &q_user_roles_clear, one, 1, NULL, e);

	for (i = 0; rc == 0 && i < n; i++) {
		struct store_val args[] = {sv_int(user_id), sv_int(role_ids[i])};

		rc = store_exec(c, &q_user_role_add, args, 2, NULL, e);
	}
	return rc;
}

int user_delete(struct store_conn *c, int64_t tenant_id, int64_t id, struct error *e)
{
	struct store_val args[] = {sv_int(tenant_id), sv_int(id)};
	int64_t changes = 0;
	int rc = store_exec(c, &q_user_delete, args, 2, &changes, e);

	if (rc == ERR_CONFLICT)
		return error_set(e, ERR_CONFLICT, NULL,
		                 "该用户仍被其他数据引用，不能删除，可改为停用");
	if (rc == 0 && changes == 0)
		return error_set(e, ERR_NOT_FOUND, NULL, "用户不存在");
	return rc;
}

/* ---- rules (no SQL) ----------------------------------------------------------- */

static int holds_admin_role(const char *const *roles, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(roles[i], "admin"))
			return 1;
	return 0;
}

int org_is_admin(const struct principal *p)
{
	int i;

	for (i = 0; i < p->nroles; i++)
		if (!strcmp(p->roles[i].key, "admin"))
			return 1;
	return p->is_platform_admin;
}

int user_is_admin(const struct user *u)
{
	return u->is_platform_admin || holds_admin_role(u->roles, u->nroles);
}

/* 1 when scope s (over users) covers u: its unit, or u as "self". */
int user_in_scope(const struct scope *s, const struct user *u)
{
	struct unit unit;

	memset(&unit, 0, sizeof(unit));
	unit.id = u->unit_id;
	unit.ancestors = u->unit_ancestors;
	return unit_in_scope(s, &unit) || (s->self_user_id && s->self_user_id == u->id);
}

/* Why the caller may not grant role (NULL: they may). */
const char *org_grant_refusal(const struct principal *p, const struct scope *edit,
                              const struct org_role *role)
{
	int i;

	if (org_is_admin(p))
		return NULL;
	if (!strcmp(role->key, "admin"))
		return "只有系统管理员可以授予系统管理员角色";
	for (i = 0; i < perm_count(); i++)
		if (permset_has(&role->perms, i) && !principal_has(p, perm_at(i)->key))
			return "不能授予超出自己权限的角色";
	if (!edit->all && (role->scope == SCOPE_ALL || role->scope == SCOPE_CUSTOM))
		return "不能授予数据范围超出自己管理范围的角色";
	return NULL;
}

int user_username_ok(const char *s)
{
	size_t n = strlen(s);

	return n >= 2 && n <= 32 &&
	       s[strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")] ==
	           '\0';
}

int user_mobile_ok(const char *s)
{
	return !*s || (strlen(s) == 11 && s[0] == '1' && s[strspn(s, "0123456789")] == '\0');
}

/* ---- imports: checks and passwords ------------------------------------------ */

/* Usernames of the sheet so far (open addressing): the earlier row of key, or 0 after adding it. */
static int seen_before(const char **keys, int *rows, size_t cap, const char *key, int row)
{
	size_t h = 2166136261u;
	const char *p;

	for (p = key; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	for (h &= cap - 1; keys[h]; h = (h + 1) & (cap - 1))
		if (!strcmp(keys[h], key))
			return rows[h];
	keys[h] = key;
	rows[h] = row;
	return 0;
}

const char *const user_import_columns[UI_NCOLS] = {"用户名", "姓名",     "所属单位", "角色",
                                                   "手机号", "初始密码", "状态"};

void user_import_init(struct user_import *x, int nrows, json_t *errors)
{
	for (x->cap = 16; x->cap < (size_t)nrows * 2; x->cap *= 2)
		;
	x->keys = arena_calloc(x->a, x->cap * sizeof(char *));
	x->rows = arena_calloc(x->a, x->cap * sizeof(int));
	x->errors = errors;
}

/* The roles cell: names or keys separated by 、,，;； or spaces. */
static void import_roles(struct user_import *x, const char *cell, int nrow,
                         struct user_import_row *u)
{
	char *copy = arena_strdup(x->a, cell), *save = NULL, *tok;
	const char *seps[] = {"、", "，", "；", NULL};
	int i, k, ntok = 0;

	for (i = 0; seps[i]; i++) /* the full-width separators become commas */
		for (tok = strstr(copy, seps[i]); tok; tok = strstr(tok, seps[i]))
			memset(tok, ',', strlen(seps[i]));
	for (tok = strtok_r(copy, ",; ", &save); tok; tok = strtok_r(NULL, ",; ", &save)) {
		const struct org_role *role = org_role_find(x->roles, x->nroles, tok);
		const char *why;
		int dup = 0;

		ntok++;
		if (!role) {
			org_import_error(x->errors, nrow, "角色", "角色“%s”不存在", tok);
			continue;
		}
		for (k = 0; k < u->nroles; k++)
			dup |= u->role_ids[k] == role->id;
		if (dup)
			continue;
		if (!role->enabled)
			org_import_error(x->errors, nrow, "角色", "角色“%s”已停用", role->name);
		else if ((why = org_grant_refusal(x->who, &x->scope, role)))
			org_import_error(x->errors, nrow, "角色", "%s：%s", why, role->name);
		else if (u->nroles == USER_MAX_ROLES)
			org_import_error(x->errors, nrow, "角色", "角色最多 %d 个", USER_MAX_ROLES);
		else
			u->role_ids[u->nroles++] = role->id;
	}
	if (!ntok)
		org_import_error(x->errors, nrow, "角色", "角色不能为空");
}

int user_import_check(struct user_import *x, const struct sheet_row *row, const int *col,
                      struct user_import_row *u, struct error *e)
{
#define CELL(k) (col[k] >= 0 ? sheet_cell(row, col[k]) : "")
	const char *unit = CELL(UI_UNIT), *password = CELL(UI_PASSWORD);
	int nrow = row->number, earlier, matches = 0, at, taken = 0;
	struct error pe;

	memset(u, 0, sizeof(*u));
	u->row = nrow;
	u->f.username = CELL(UI_USERNAME);
	u->f.name = CELL(UI_NAME);
	u->f.phone = CELL(UI_PHONE);
	if (!*u->f.username)
		org_import_error(x->errors, nrow, "用户名", "用户名不能为空");
	else if (!user_username_ok(u->f.username))
		org_import_error(x->errors, nrow, "用户名",
		                 "用户名为 2–32 位字母、数字、下划线、点或横线");
	else if ((earlier = seen_before(x->keys, x->rows, x->cap, u->f.username, nrow)))
		org_import_error(x->errors, nrow, "用户名", "与第 %d 行的用户名“%s”重复", earlier,
		                 u->f.username);
	else if (user_username_taken(x->c, u->f.username, 0, &taken, e))
		return e->code;
	else if (taken)
		org_import_error(x->errors, nrow, "用户名", "用户名“%s”已存在", u->f.username);
	if (!*u->f.name)
		org_import_error(x->errors, nrow, "姓名", "姓名不能为空");
	else if (utf8_chars(u->f.name) > USER_NAME_MAX || org_has_control(u->f.name))
		org_import_error(x->errors, nrow, "姓名", "姓名最多 %d 个字，且不能换行",
		                 USER_NAME_MAX);
	if (!user_mobile_ok(u->f.phone))
		org_import_error(x->errors, nrow, "手机号", "手机号应为 1 开头的 11 位数字");
	if (!*unit) {
		org_import_error(x->errors, nrow, "所属单位", "所属单位不能为空");
	} else {
		at = unit_find(x->units, x->nunits, unit, &matches, x->a);
		if (matches == 1 && unit_in_scope(&x->scope, &x->units[at]))
			u->f.unit_id = x->units[at].id;
		else if (matches > 1)
			org_import_error(x->errors, nrow, "所属单位",
			                 "有 %d 个单位名为“%s”，请写完整路径，如 上级单位/%s",
			                 matches, unit, unit);
		else
			org_import_error(x->errors, nrow, "所属单位", "找不到单位“%s”", unit);
	}
	import_roles(x, CELL(UI_ROLES), nrow, u);
	error_init(&pe);
	if (*password && password_check_policy(u->f.username, password, &pe))
		org_import_error(x->errors, nrow, "初始密码", "%s", pe.message);
	u->password = *password ? password : NULL;
	if ((u->f.enabled = org_status_value(CELL(UI_STATUS))) < 0)
		org_import_error(x->errors, nrow, "状态", "状态应为“启用”或“停用”");
#undef CELL
	return 0;
}

/* Hash every password of the sheet, generating the missing ones into *generated. */
int user_import_passwords(struct user_import_row *users, int n, json_t *generated, struct arena *a,
                          struct error *e)
{
	const char **chosen = arena_calloc(a, (size_t)n * sizeof(char *));
	char(*hashes)[PASSWORD_HASH_MAX] = arena_alloc(a, (size_t)n * PASSWORD_HASH_MAX);
	int i;

	for (i = 0; i < n; i++) {
		char pw[USER_GENERATED_PASSWORD_CHARS + 1];

		if (users[i].password) {
			chosen[i] = users[i].password;
			continue;
		}
		do
			password_generate(pw, USER_GENERATED_PASSWORD_CHARS);
		while (password_check_policy(users[i].f.username, pw, NULL));
		if (password_hash_generated(pw, users[i].hash, e))
			return error_set(e, ERR_UNAVAILABLE, NULL, "服务器繁忙，请稍后再试");
		json_array_append_new(generated,
		                      json_pack("{s:i, s:s, s:s}", "row", users[i].row, "username",
		                                users[i].f.username, "password", pw));
		sodium_memzero(pw, sizeof(pw));
	}
	if (password_hash_many(chosen, hashes, n, e))
		return e ? e->code : ERR_UNAVAILABLE;
	for (i = 0; i < n; i++)
		if (chosen[i])
			memcpy(users[i].hash, hashes[i], PASSWORD_HASH_MAX);
	return 0;
}

/* unit_db.c - the unit tree of a tenant in the store. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/strbuf.h"
#include "core/utf8.h"
#include "org/org.h"
#include "spreadsheet/spreadsheet.h"
#include "store/store.h"

/* ---- kinds --------------------------------------------------------------- */

static const struct {
	const char *key, *title, *aliases[4];
} kinds[] = {
    {"command", "总指挥部", {"指挥部", NULL}},
    {"office", "创城办", {"创文办", NULL}},
    {"group", "工作组", {"专项组", NULL}},
    {"subcommand", "分指挥部", {NULL}},
    {"department", "部门", {"县直部门", NULL}},
    {"town", "乡镇/街道", {"乡镇", "街道", "乡镇街道", NULL}},
    {"community", "社区/村", {"社区", "村", "社区村", NULL}},
    {"enterprise", "企事业单位", {"企业", "事业单位", NULL}},
    {"other", "其他", {"其它", NULL}},
};

#define NKINDS ((int)(sizeof(kinds) / sizeof(kinds[0])))

const char *unit_kind_key(const char *s)
{
	int i, k;

	for (i = 0; i < NKINDS; i++) {
		if (!strcmp(s, kinds[i].key) || !strcmp(s, kinds[i].title))
			return kinds[i].key;
		for (k = 0; kinds[i].aliases[k]; k++)
			if (!strcmp(s, kinds[i].aliases[k]))
				return kinds[i].key;
	}
	return NULL;
}

const char *unit_kind_title(const char *key)
{
	int i;

	for (i = 0; i < NKINDS; i++)
		if (!strcmp(key, kinds[i].key))
			return kinds[i].title;
	return key;
}

/* ---- scope ------------------------------------------------------------------ */

void unit_scope(const struct principal *p, const char *perm, struct arena *a, struct scope *out)
{
	principal_scope(p, perm, a, out);
	if (out->self_user_id && p->unit_id) /* "only me" on units means the unit I belong to */
		scope_add_unit(out, p->unit_id, a);
	out->self_user_id = 0; /* units have no owner column */
}

int unit_in_scope(const struct scope *s, const struct unit *u)
{
	return scope_covers_unit(s, u->id, u->ancestors);
}

/* ---- reading --------------------------------------------------------------- */

#define UNIT_COLS                                                                                  \
	"u.id, COALESCE(u.parent_id, 0), u.name, u.kind, u.ancestors, u.leader, u.liaison,"        \
	" u.phone, u.sort, u.enabled, u.created_at, u.updated_at"
#define UNIT_SCOPE "(? = 1 OR u.id IN_IDS(?) OR u.ancestors LIKE ? OR 0 = ?)"
#define UNIT_WHERE                                                                                 \
	" FROM units u WHERE u.tenant_id = ? AND " UNIT_SCOPE                                      \
	" AND (? = '' OR u.name LIKE ? ESCAPE '\\') AND (? = '' OR u.kind = ?)"                    \
	" AND (? < 0 OR u.enabled = ?) AND (? = 0 OR u.parent_id = ?)"

STORE_SQL(q_unit_list, "SELECT " UNIT_COLS UNIT_WHERE " ORDER BY u.sort, u.id LIMIT ? OFFSET ?");
STORE_SQL(q_unit_count, "SELECT COUNT(*)" UNIT_WHERE);
STORE_SQL(q_unit_get, "SELECT " UNIT_COLS " FROM units u WHERE u.tenant_id = ? AND u.id = ?"
                      " AND " UNIT_SCOPE);
STORE_SQL(q_unit_all, "SELECT " UNIT_COLS " FROM units u WHERE u.tenant_id = ?");

static void unit_read(struct store_rows *r, struct arena *a, struct unit *u)
{
	u->id = store_int(r, 0);
	u->parent_id = store_int(r, 1);
	u->name = arena_strdup(a, store_text(r, 2));
	u->kind = arena_strdup(a, store_text(r, 3));
	u->ancestors = arena_strdup(a, store_text(r, 4));
	u->leader = arena_strdup(a, store_text(r, 5));
	u->liaison = arena_strdup(a, store_text(r, 6));
	u->phone = arena_strdup(a, store_text(r, 7));
	u->sort = store_int(r, 8);
	u->enabled = (int)store_int(r, 9);
	u->created_at = store_int(r, 10);
	u->updated_at = store_int(r, 11);
}

/* Read every row of a units query into a growing arena array. */
static int unit_read_all(struct store_conn *c, const struct store_sql *q,
                         const struct store_val *args, int nargs, struct arena *a,
                         struct unit **out, int *n, struct error *e)
{
	struct store_rows *r;
	struct unit *list = NULL;
	int cap = 0, rc;

	*out = NULL;
	*n = 0;
	rc = store_query(c, q, args, nargs, &r, e);
	if (rc)
		return rc;
	while ((rc = store_next(r)) > 0) {
		list = arena_grow(a, list, *n, &cap, sizeof(*list));
		unit_read(r, a, &list[(*n)++]);
	}
	store_finish(r);
	if (rc < 0)
		return error_set(e, rc, NULL, NULL);
	*out = list;
	return 0;
}

int unit_list(struct store_conn *c, int64_t tenant_id, const struct unit_filter *f, struct arena *a,
              struct unit **out, int *n, int64_t *total, struct error *e)
{
	const char *name = f->name ? f->name : "", *kind = f->kind ? f->kind : "";
	struct store_val args[17];
	int rc;

	args[0] = sv_int(tenant_id);
	scope_args(f->scope, args + 1);
	args[5] = sv_text(name);
	args[6] = sv_text(store_like_pattern(a, name, 1));
	args[7] = sv_text(kind);
	args[8] = sv_text(kind);
	args[9] = sv_int(f->enabled);
	args[10] = sv_int(f->enabled);
	args[11] = sv_int(f->parent_id);
	args[12] = sv_int(f->parent_id);
	args[13] = sv_int(f->limit > 0 ? f->limit : INT32_MAX);
	args[14] = sv_int(f->offset);
	rc = store_query_int(c, &q_unit_count, args, 13, total, e);
	if (rc == 0)
		rc = unit_read_all(c, &q_unit_list, args, 15, a, out, n, e);
	return rc;
}

int unit_all(struct store_conn *c, int64_t tenant_id, struct arena *a, struct unit **out, int *n,
             struct error *e)
{
	struct store_val args[] = {sv_int(tenant_id)};
	int rc = unit_read_all(c, &q_unit_all, args, 1, a, out, n, e);

	if (rc == 0)
		unit_tree_order(*out, *n, a);
	return rc;
}

int unit_get(struct store_conn *c, int64_t tenant_id, const struct scope *s, int64_t id,
             struct arena *a, struct unit *out, struct error *e)
{
	static const struct scope everything = SCOPE_EVERYTHING;
	struct store_val args[6];
	struct store_rows *r;
	int rc;

	args[0] = sv_int(tenant_id);
	args[1] = sv_int(id);
	scope_args(s ? s : &everything, args + 2);
	rc = store_query_one(c, &q_unit_get, args, 6, &r, "单位不存在", e);
	if (rc)
		return rc;
	unit_read(r, a, out);
	store_finish(r);
	return 0;
}

/* ---- shapes -------------------------------------------------------------- */

json_t *unit_json(const struct unit *u)
{
	return json_pack(
	    "{s:I, s:o, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:b, s:I, s:I}", "id", (json_int_t)u->id,
	    "parent_id", u->parent_id ? json_integer(u->parent_id) : json_null(), "name", u->name,
	    "kind", u->kind, "ancestors", u->ancestors, "leader", u->leader, "liaison", u->liaison,
	    "phone", u->phone, "sort", (json_int_t)u->sort, "enabled", u->enabled, "created_at",
	    (json_int_t)u->created_at, "updated_at", (json_int_t)u->updated_at);
}

static int by_sort(const void *pa, const void *pb)
{
	const struct unit *a = *(const struct unit *const *)pa,
	                  *b = *(const struct unit *const *)pb;

	if (a->sort != b->sort)
		return a->sort < b->sort ? -1 : 1;
	return a->id < b->id ? -1 : a->id > b->id;
}

/* Index of id in units, or -1 (linear: trees are a few hundred units). */
static int unit_index(const struct unit *units, int n, int64_t id)
{
	int i;

	for (i = 0; id && i < n; i++)
		if (units[i].id == id)
			return i;
	return -1;
}

/*
 * Depth-first order: order[] receives pointers, roots (units whose parent is
 * not in the list) first by sort, each followed by its subtree.
 */
static void tree_walk(const struct unit **sorted, int n, const struct unit *units, int64_t parent,
                      int root_level, const struct unit **order, int *k, int depth)
{
	int i;

	if (depth > 64)
		return; /* a corrupt tree; never loop */
	for (i = 0; i < n; i++) {
		const struct unit *u = sorted[i];
		int is_child =
		    root_level ? unit_index(units, n, u->parent_id) < 0 : u->parent_id == parent;

		if (!is_child)
			continue;
		order[(*k)++] = u;
		tree_walk(sorted, n, units, u->id, 0, order, k, depth + 1);
	}
}

void unit_tree_order(struct unit *units, int n, struct arena *a)
{
	const struct unit **sorted = arena_alloc(a, (size_t)(n + 1) * sizeof(*sorted));
	const struct unit **order = arena_alloc(a, (size_t)(n + 1) * sizeof(*order));
	struct unit *copy = arena_alloc(a, (size_t)(n + 1) * sizeof(*copy));
	int i, k = 0;

	for (i = 0; i < n; i++)
		sorted[i] = &units[i];
	qsort(sorted, (size_t)n, sizeof(*sorted), by_sort);
	tree_walk(sorted, n, units, 0, 1, order, &k, 0);
	for (i = 0; i < k; i++)
		copy[i] = *order[i];
	if (k == n && n > 0) /* an empty list may come as NULL: memcpy must not see it */
		memcpy(units, copy, (size_t)n * sizeof(*units));
}

static json_t *tree_children(const struct unit **sorted, int n, const struct unit *units,
                             int64_t parent, int root_level, int depth)
{
	json_t *list = json_array();
	int i;

	for (i = 0; i < n && depth <= 64; i++) {
		const struct unit *u = sorted[i];
		int is_child =
		    root_level ? unit_index(units, n, u->parent_id) < 0 : u->parent_id == parent;
		json_t *node, *kids;

		if (!is_child)
			continue;
		node = unit_json(u);
		kids = tree_children(sorted, n, units, u->id, 0, depth + 1);
		if (json_array_size(kids))
			json_object_set_new(node, "children", kids);
		else
			json_decref(kids);
		json_array_append_new(list, node);
	}
	return list;
}

json_t *unit_tree_json(const struct unit *units, int n, struct arena *a)
{
	const struct unit **sorted = arena_alloc(a, (size_t)(n + 1) * sizeof(*sorted));
	int i;

	for (i = 0; i < n; i++)
		sorted[i] = &units[i];
	qsort(sorted, (size_t)n, sizeof(*sorted), by_sort);
	return tree_children(sorted, n, units, 0, 1, 0);
}

const char *unit_path(const struct unit *all, int n, int64_t id, struct arena *a)
{
	const char *names[65];
	struct strbuf sb = STRBUF_INIT;
	const char *out;
	int depth = 0, i = unit_index(all, n, id);

	while (i >= 0 && depth < 65) {
		names[depth++] = all[i].name;
		i = unit_index(all, n, all[i].parent_id);
	}
	while (depth-- > 0) {
		strbuf_adds(&sb, names[depth]);
		if (depth)
			strbuf_addch(&sb, '/');
	}
	out = arena_strdup(a, strbuf_str(&sb));
	strbuf_release(&sb);
	return out;
}

int unit_find(const struct unit *units, int n, const char *text, int *matches, struct arena *a)
{
	char *copy = arena_strdup(a, text), *segs[32], *p, *save = NULL;
	int nsegs = 0, i, found = -1;

	*matches = 0;
	for (i = 0; i < n; i++) /* a whole name first: names may hold a "/" */
		if (!strcmp(units[i].name, text)) {
			found = i;
			(*matches)++;
		}
	if (*matches)
		return found;
	for (p = strtok_r(copy, "/", &save); p && nsegs < 32; p = strtok_r(NULL, "/", &save))
		segs[nsegs++] = p;
	if (nsegs < 2)
		return -1;
	for (i = 0; i < n; i++) {
		int k = nsegs - 1, at = i;

		while (k >= 0 && at >= 0 && !strcmp(units[at].name, segs[k])) {
			at = unit_index(units, n, units[at].parent_id);
			k--;
		}
		if (k < 0) {
			found = i;
			(*matches)++;
		}
	}
	return found;
}

/* ---- imports: checks without SQL ------------------------------------------- */

#define IMPORT_MAX_ROWS 5000

int org_has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 1;
	return 0;
}

int org_phone_ok(const char *s)
{
	return s[strspn(s, "0123456789-+ ")] == '\0';
}

void org_sheet_columns(const char *const *headers, int nheaders, const char *const *names, int n,
                       int *idx)
{
	int i, k;

	for (i = 0; i < n; i++) {
		idx[i] = -1;
		for (k = 0; k < nheaders && idx[i] < 0; k++) {
			size_t hl = strlen(headers[k]), nl = strlen(names[i]);

			/* "单位名称", "单位名称*" and "单位名称＊" all name the column */
			if (hl >= nl && !strncmp(headers[k], names[i], nl) &&
			    (hl == nl || !strcmp(headers[k] + nl, "*") ||
			     !strcmp(headers[k] + nl, "\xef\xbc\x8a")))
				idx[i] = k;
		}
	}
}

void org_import_error(json_t *errors, int row, const char *field, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (json_array_size(errors) >= 1000)
		return; /* enough to fix the sheet; a longer list helps nobody */
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	json_array_append_new(
	    errors, json_pack("{s:i, s:s, s:s}", "row", row, "field", field, "message", msg));
}

/* "启用"/"停用" (and a few spellings people use); -1 when unreadable. */
int org_status_value(const char *s)
{
	if (!*s || !strcmp(s, "启用") || !strcmp(s, "正常") || !strcmp(s, "是") || !strcmp(s, "1"))
		return 1;
	if (!strcmp(s, "停用") || !strcmp(s, "禁用") || !strcmp(s, "否") || !strcmp(s, "0"))
		return 0;
	return -1;
}

#define UNKNOWN_PARENT INT64_MIN /* a row whose parent did not resolve */

const char *const unit_import_columns[UC_NCOLS] = {"单位名称", "单位类型", "上级单位", "包抓领导",
                                                   "联络员",   "联系电话", "排序",     "状态"};

void unit_import_init(struct unit_import *p, const struct unit *all, int nall, int nrows,
                      const struct scope *s, json_t *errors, struct arena *a)
{
	p->units = arena_alloc(a, (size_t)(nall + nrows + 1) * sizeof(*p->units));
	p->parent = arena_alloc(a, (size_t)(nall + nrows + 1) * sizeof(int));
	p->row = arena_calloc(a, (size_t)(nall + nrows + 1) * sizeof(int));
	if (nall)
		memcpy(p->units, all, (size_t)nall * sizeof(*all));
	/* the existing units' parents are looked up when paths are walked */
	p->n = p->nexisting = nall;
	p->scope = s;
	p->errors = errors;
	p->a = a;
}

void unit_import_check(struct unit_import *p, const struct sheet_row *row, const int *col)
{
	const struct scope *s = p->scope;
	json_t *errors = p->errors;
	const char *name = sheet_cell(row, col[UC_NAME]), *kind = sheet_cell(row, col[UC_KIND]);
	struct unit *u = &p->units[p->n];
	int nrow = row->number, parent = -1, matches = 0, i;
	int64_t sort = 0;

#define CELL(k) (col[k] >= 0 ? sheet_cell(row, col[k]) : "")
	memset(u, 0, sizeof(*u));
	u->id = -(int64_t)(p->n + 1);
	u->name = name;
	u->leader = CELL(UC_LEADER);
	u->liaison = CELL(UC_LIAISON);
	u->phone = CELL(UC_PHONE);
	if (!*name)
		org_import_error(errors, nrow, "单位名称", "单位名称不能为空");
	else if (utf8_chars(name) > UNIT_NAME_MAX || org_has_control(name))
		org_import_error(errors, nrow, "单位名称", "单位名称最多 %d 个字，且不能换行",
		                 UNIT_NAME_MAX);
	if (!*kind)
		org_import_error(errors, nrow, "单位类型", "单位类型不能为空");
	else if (!(u->kind = unit_kind_key(kind)))
		org_import_error(errors, nrow, "单位类型", "单位类型“%s”不正确", kind);
	if (*CELL(UC_PARENT)) {
		const char *ptext = CELL(UC_PARENT);

		parent = unit_find(p->units, p->n, ptext, &matches, p->a);
		if (matches == 0 ||
		    (matches == 1 && !p->row[parent] && !unit_in_scope(s, &p->units[parent])))
			org_import_error(errors, nrow, "上级单位",
			                 "找不到上级单位“%s”（须是已有单位或本表前面行中的单位）",
			                 ptext);
		else if (matches > 1)
			org_import_error(errors, nrow, "上级单位",
			                 "有 %d 个单位名为“%s”，请写完整路径，如 上级单位/%s",
			                 matches, ptext, ptext);
		if (matches != 1)
			parent = -2;
	} else if (!s->all) {
		org_import_error(errors, nrow, "上级单位", "请填写上级单位");
	}
	u->parent_id = parent >= 0 ? p->units[parent].id : parent == -1 ? 0 : UNKNOWN_PARENT;
	for (i = 0; *name && parent != -2 && i < p->n; i++)
		if (p->units[i].parent_id == u->parent_id && !strcmp(p->units[i].name, name)) {
			if (p->row[i])
				org_import_error(errors, nrow, "单位名称",
				                 "与第 %d 行重复：同一上级单位下已有“%s”",
				                 p->row[i], name);
			else
				org_import_error(errors, nrow, "单位名称",
				                 "同一上级单位下已有名为“%s”的单位", name);
			break;
		}
	if (utf8_chars(u->leader) > UNIT_PERSON_MAX || org_has_control(u->leader))
		org_import_error(errors, nrow, "包抓领导", "最多 %d 个字", UNIT_PERSON_MAX);
	if (utf8_chars(u->liaison) > UNIT_PERSON_MAX || org_has_control(u->liaison))
		org_import_error(errors, nrow, "联络员", "最多 %d 个字", UNIT_PERSON_MAX);
	if (strlen(u->phone) > UNIT_PHONE_MAX || !org_phone_ok(u->phone))
		org_import_error(errors, nrow, "联系电话",
		                 "联系电话只能包含数字、空格、+ 和 -，最多 %d 位", UNIT_PHONE_MAX);
	if (*CELL(UC_SORT) && (sort = parse_count(CELL(UC_SORT), UNIT_SORT_MAX)) < 0)
		org_import_error(errors, nrow, "排序", "排序应为 0–%d 的整数", UNIT_SORT_MAX);
	u->sort = sort < 0 ? 0 : sort;
	if ((u->enabled = org_status_value(CELL(UC_STATUS))) < 0)
		org_import_error(errors, nrow, "状态", "状态应为“启用”或“停用”");
#undef CELL
	/* a later row may name this one as its parent, even when it has errors */
	p->parent[p->n] = parent;
	p->row[p->n] = nrow;
	p->n++;
}

/* The header checks shared by both imports; 0 when the sheet can be read row by row. */
int org_import_header(const struct sheet *sh, const char *const *names, int ncols, int nrequired,
                      int *col, json_t *errors)
{
	int i;

	if (sh->nrows < 2) {
		org_import_error(errors, sh->nrows ? sh->rows[0].number : 1, "",
		                 "表格中没有数据行");
	} else if (sh->nrows - 1 > IMPORT_MAX_ROWS) {
		org_import_error(errors, sh->rows[IMPORT_MAX_ROWS + 1].number, "",
		                 "一次最多导入 %d 行，请分批导入", IMPORT_MAX_ROWS);
	} else {
		org_sheet_columns((const char *const *)sh->rows[0].cells, sh->rows[0].ncells, names,
		                  ncols, col);
		for (i = 0; i < nrequired; i++)
			if (col[i] < 0)
				org_import_error(errors, sh->rows[0].number, names[i],
				                 "缺少“%s”列，请使用导入模板", names[i]);
	}
	return json_array_size(errors) ? ERR_INVALID : 0;
}

/* ---- writing -------------------------------------------------------------- */

STORE_SQL(q_unit_name_taken,
          "SELECT COUNT(*) FROM units WHERE tenant_id = ? AND COALESCE(parent_id, 0) = ?"
          " AND name = ? AND id <> ?");
STORE_SQL(q_unit_insert,
          "INSERT INTO units (tenant_id, parent_id, name, kind, ancestors, leader, liaison, phone,"
          " sort, enabled, created_at, updated_at) VALUES (?, ?, ?, ?, '/', ?, ?, ?, ?, ?, ?, ?)"
          " RETURNING id");
STORE_SQL(q_unit_set_ancestors, "UPDATE units SET ancestors = ? WHERE id = ?");
STORE_SQL(q_unit_update,
          "UPDATE units SET name = ?, kind = ?, leader = ?, liaison = ?, phone = ?, sort = ?,"
          " enabled = ?, updated_at = ? WHERE tenant_id = ? AND id = ?");
STORE_SQL(q_unit_set_parent,
          "UPDATE units SET parent_id = ?, updated_at = ? WHERE tenant_id = ? AND id = ?");
/* Swap the old path prefix for the new one on the unit and everything below it. */
STORE_SQL(q_unit_rebase,
          "UPDATE units SET ancestors = CAST(? AS TEXT) || SUBSTR(ancestors, CAST(? AS INTEGER))"
          " WHERE tenant_id = ? AND ancestors LIKE ?");
STORE_SQL(q_unit_children, "SELECT COUNT(*) FROM units WHERE tenant_id = ? AND parent_id = ?");
STORE_SQL(q_unit_users, "SELECT COUNT(*) FROM users WHERE tenant_id = ? AND unit_id = ?");
STORE_SQL(q_unit_delete, "DELETE FROM units WHERE tenant_id = ? AND id = ?");

int unit_name_taken(struct store_conn *c, int64_t tenant_id, int64_t parent_id, const char *name,
                    int64_t except_id, int *taken, struct error *e)
{
	struct store_val args[] = {sv_int(tenant_id), sv_int(parent_id), sv_text(name),
	                           sv_int(except_id)};
	int64_t n = 0;
	int rc = store_query_int(c, &q_unit_name_taken, args, 4, &n, e);

	*taken = n > 0;
	return rc;
}

int unit_insert(struct store_conn *c, int64_t tenant_id, struct unit *u, const struct unit *parent,
                struct arena *a, struct error *e)
{
	int64_t now = time_now_ms();
	struct store_val args[] = {
	    sv_int(tenant_id),  parent ? sv_int(parent->id) : sv_null(),
	    sv_text(u->name),   sv_text(u->kind),
	    sv_text(u->leader), sv_text(u->liaison),
	    sv_text(u->phone),  sv_int(u->sort),
	    sv_int(u->enabled), sv_int(now),
	    sv_int(now),
	};
	int rc = store_query_int(c, &q_unit_insert, args, 11, &u->id, e);

	if (rc == ERR_CONFLICT)
		return error_set(e, ERR_CONFLICT, "name", "同一上级单位下已有名为“%s”的单位",
		                 u->name);
	if (rc)
		return rc;
	u->parent_id = parent ? parent->id : 0;
	u->ancestors =
	    arena_printf(a, "%s%lld/", parent ? parent->ancestors : "/", (long long)u->id);
	u->created_at = u->updated_at = now;
	{
		struct store_val set[] = {sv_text(u->ancestors), sv_int(u->id)};

		return store_exec(c, &q_unit_set_ancestors, set, 2, NULL, e);
	}
}

int unit_update(struct store_conn *c, int64_t tenant_id, const struct unit *u, struct error *e)
{
	struct store_val args[] = {
	    sv_text(u->name),  sv_text(u->kind), sv_text(u->leader), sv_text(u->liaison),
	    sv_text(u->phone), sv_int(u->sort),  sv_int(u->enabled), sv_int(time_now_ms()),
	    sv_int(tenant_id), sv_int(u->id),
	};
	int64_t changes = 0;
	int rc = store_exec(c, &q_unit_update, args, 10, &changes, e);

	if (rc == ERR_CONFLICT)
		return error_set(e, ERR_CONFLICT, "name", "同一上级单位下已有名为“%s”的单位",
		                 u->name);
	if (rc == 0 && changes == 0)
		return error_set(e, ERR_NOT_FOUND, NULL, "单位不存在");
	return rc;
}

int unit_move(struct store_conn *c, int64_t tenant_id, const struct unit *u,
              const struct unit *new_parent, struct error *e)
{
	size_t oldlen = strlen(u->ancestors);
	char prefix[512], pattern[512];
	int rc;

	if (new_parent && !strncmp(new_parent->ancestors, u->ancestors, oldlen))
		return error_set(e, ERR_CONFLICT, "parent_id",
		                 new_parent->id == u->id ? "不能把单位移动到它自己之下"
		                                         : "不能把单位移动到它自己的下级单位之下");
	snprintf(prefix, sizeof(prefix), "%s%lld/", new_parent ? new_parent->ancestors : "/",
	         (long long)u->id);
	snprintf(pattern, sizeof(pattern), "%s%%", u->ancestors);
	{
		struct store_val args[] = {new_parent ? sv_int(new_parent->id) : sv_null(),
		                           sv_int(time_now_ms()), sv_int(tenant_id), sv_int(u->id)};

		rc = store_exec(c, &q_unit_set_parent, args, 4, NULL, e);
	}
	if (rc == ERR_CONFLICT)
		return error_set(e, ERR_CONFLICT, "parent_id", "新的上级单位下已有名为“%s”的单位",
		                 u->name);
	if (rc == 0) {
		struct store_val args[] = {sv_text(prefix), sv_int((int64_t)oldlen + 1),
		                           sv_int(tenant_id), sv_text(pattern)};

		rc = store_exec(c, &q_unit_rebase, args, 4, NULL, e);
	}
	return rc;
}

int unit_delete(struct store_conn *c, int64_t tenant_id, int64_t id, struct error *e)
{
	struct store_val args[] = {sv_int(tenant_id), sv_int(id)};
	int64_t children = 0, users = 0, changes = 0;
	int rc;

	rc = store_query_int(c, &q_unit_children, args, 2, &children, e);
	if (rc == 0)
		rc = store_query_int(c, &q_unit_users, args, 2, &users, e);
	if (rc)
		return rc;
	if (children)
		return error_set(e, ERR_CONFLICT, NULL,
		                 "该单位下还有 %lld 个下级单位，请先删除或移走下级单位",
		                 (long long)children);
	if (users)
		return error_set(e, ERR_CONFLICT, NULL,
		                 "该单位下还有 %lld 个用户，请先删除这些用户或把他们调到其他单位",
		                 (long long)users);
	rc = store_exec(c, &q_unit_delete, args, 2, &changes, e);
	if (rc == ERR_CONFLICT)
		return error_set(e, ERR_CONFLICT, NULL,
		                 "该单位仍被其他数据引用（如点位或问题），不能删除，可改为停用");
	if (rc == 0 && changes == 0)
		return error_set(e, ERR_NOT_FOUND, NULL, "单位不存在");
	return rc;
}

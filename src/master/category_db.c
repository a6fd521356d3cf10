/* category_db.c - the problem category tree of a tenant in the store. */
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "master/master.h"
#include "store/store.h"

static const char *const severities[] = {"一般", "较重", "严重"};

const char *category_severity_title(int severity)
{
	return severity >= 1 && severity <= 3 ? severities[severity - 1] : "";
}

int category_severity_value(const char *s)
{
	int i;

	if (!*s)
		return 1;
	for (i = 0; i < 3; i++)
		if (!strcmp(s, severities[i]) || (s[0] == '1' + i && !s[1]))
			return i + 1;
	return -1;
}

#define CAT_COLS                                                                                   \
	"k.id, COALESCE(k.parent_id, 0), k.code, k.name, COALESCE(k.default_unit_id, 0),"          \
	" COALESCE(u.name, ''), k.default_deadline_hours, k.severity, k.sort, k.enabled,"          \
	" k.created_at, k.updated_at FROM problem_categories k"                                    \
	" LEFT JOIN units u ON u.id = k.default_unit_id WHERE k.tenant_id = ?"

STORE_SQL(q_cat_all, "SELECT " CAT_COLS " ORDER BY k.sort, k.id");
STORE_SQL(q_cat_get, "SELECT " CAT_COLS " AND k.id = ?");
STORE_SQL(q_cat_insert,
          "INSERT INTO problem_categories (tenant_id, parent_id, code, name, default_unit_id,"
          " default_deadline_hours, severity, sort, enabled, created_at, updated_at)"
          " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
STORE_SQL(q_cat_update,
          "UPDATE problem_categories SET parent_id = ?, code = ?, name = ?, default_unit_id = ?,"
          " default_deadline_hours = ?, severity = ?, sort = ?, enabled = ?, updated_at = ?"
          " WHERE tenant_id = ? AND id = ?");
STORE_SQL(q_cat_children,
          "SELECT COUNT(*) FROM problem_categories WHERE tenant_id = ? AND parent_id = ?");
STORE_SQL(q_cat_delete, "DELETE FROM problem_categories WHERE tenant_id = ? AND id = ?");

static void cat_read(struct store_rows *r, struct arena *a, struct category *k)
{
	k->id = store_int(r, 0);
	k->parent_id = store_int(r, 1);
	k->code = arena_strdup(a, store_text(r, 2));
	k->name = arena_strdup(a, store_text(r, 3));
	k->default_unit_id = store_int(r, 4);
	k->default_unit_name = arena_strdup(a, store_text(r, 5));
	k->deadline_hours = store_int(r, 6);
	k->severity = (int)store_int(r, 7);
	k->sort = store_int(r, 8);
	k->enabled = (int)store_int(r, 9);
	k->created_at = store_int(r, 10);
	k->updated_at = store_int(r, 11);
}

static int cat_index(const struct category *cats, int n, int64_t id)
{
	int i;

	for (i = 0; id && i < n; i++)
		if (cats[i].id == id)
			return i;
	return -1;
}

/* Append the children of parent (in sort order, as read) and their subtrees to out. */
static void cat_walk(const struct category *in, int n, int64_t parent, int root,
                     struct category *out, int *k, int depth)
{
	int i;

	if (depth > 32)
		return;
	for (i = 0; i < n; i++) {
		int child =
		    root ? cat_index(in, n, in[i].parent_id) < 0 : in[i].parent_id == parent;

		if (!child)
			continue;
		out[(*k)++] = in[i];
		cat_walk(in, n, in[i].id, 0, out, k, depth + 1);
	}
}

int category_subtree_ids(struct store_conn *c, int64_t tenant_id, int64_t id, struct arena *a,
                         int64_t **ids, int *nids, struct error *e)
{
	struct category *all;
	int n, rc = category_all(c, tenant_id, a, &all, &n, e);

	return rc ? rc : category_subtree(all, n, id, a, ids, nids, e);
}

int category_all(struct store_conn *c, int64_t tenant_id, struct arena *a, struct category **out,
                 int *n, struct error *e)
{
	struct store_val args[] = {sv_int(tenant_id)};
	struct store_rows *r;
	struct category *list = NULL, *ordered;
	int cap = 0, rc, k = 0;

	*out = NULL;
	*n = 0;
	if ((rc = store_query(c, &q_cat_all, args, 1, &r, e)))
		return rc;
	while ((rc = store_next(r)) > 0) {
		list = arena_grow(a, list, *n, &cap, sizeof(*list));
		cat_read(r, a, &list[(*n)++]);
	}
	store_finish(r);
	if (rc < 0)
		return error_set(e, rc, NULL, NULL);
	ordered = arena_alloc(a, (size_t)(*n + 1) * sizeof(*ordered));
	cat_walk(list, *n, 0, 1, ordered, &k, 0);
	*out = k == *n ? ordered : list;
	return 0;
}

int category_get(struct store_conn *c, int64_t tenant_id, int64_t id, struct arena *a,
                 struct category *out, struct error *e)
{
	struct store_val args[] = {sv_int(tenant_id), sv_int(id)};
	struct store_rows *r;
	int rc = store_query_one(c, &q_cat_get, args, 2, &r, "问题分类不存在", e);

	if (rc)
		return rc;
	cat_read(r, a, out);
	store_finish(r);
	return 0;
}

json_t *category_json(const struct category *k)
{
	return json_pack("{s:I, s:o, s:s, s:s, s:o, s:s, s:I, s:i, s:s, s:I, s:b, s:I, s:I}", "id",
	                 (json_int_t)k->id, "parent_id",
	                 k->parent_id ? json_integer(k->parent_id) : json_null(), "code", k->code,
	                 "name", k->name, "default_unit_id",
	                 k->default_unit_id ? json_integer(k->default_unit_id) : json_null(),
	                 "default_unit_name", k->default_unit_name, "default_deadline_hours",
	                 (json_int_t)k->deadline_hours, "severity", k->severity, "severity_name",
	                 category_severity_title(k->severity), "sort", (json_int_t)k->sort,
	                 "enabled", k->enabled, "created_at", (json_int_t)k->created_at,
	                 "updated_at", (json_int_t)k->updated_at);
}

static json_t *tree_children(const struct category *cats, int n, int64_t parent, int root,
                             int depth)
{
	json_t *list = json_array();
	int i;

	for (i = 0; i < n && depth <= 32; i++) {
		int child =
		    root ? cat_index(cats, n, cats[i].parent_id) < 0 : cats[i].parent_id == parent;
		json_t *node, *kids;

		if (!child)
			continue;
		node = category_json(&cats[i]);
		kids = tree_children(cats, n, cats[i].id, 0, depth + 1);
		if (json_array_size(kids))
			json_object_set_new(node, "children", kids);
		else
			json_decref(kids);
		json_array_append_new(list, node);
	}
	return list;
}

json_t *category_tree_json(const struct category *cats, int n)
{
	return tree_children(cats, n, 0, 1, 0);
}

static int cat_conflict(int rc, const struct category *k, struct error *e)
{
	if (rc == ERR_CONFLICT)
		return error_set(e, ERR_CONFLICT, "code",
		                 "分类编码“%s”已被使用，或同一上级分类下已有“%s”", k->code,
		                 k->name);
	return rc;
}

int category_insert(struct store_conn *c, int64_t tenant_id, struct category *k, struct error *e)
{
	int64_t now = time_now_ms();
	struct store_val args[] = {
	    sv_int(tenant_id),
	    k->parent_id ? sv_int(k->parent_id) : sv_null(),
	    sv_text(k->code),
	    sv_text(k->name),
	    k->default_unit_id ? sv_int(k->default_unit_id) : sv_null(),
	    sv_int(k->deadline_hours),
	    sv_int(k->severity),
	    sv_int(k->sort),
	    sv_int(k->enabled),
	    sv_int(now),
	    sv_int(now),
	};
	int rc = store_query_int(c, &q_cat_insert, args, 11, &k->id, e);

	k->created_at = k->updated_at = now;
	return cat_conflict(rc, k, e);
}

int category_update(struct store_conn *c, int64_t tenant_id, const struct category *k,
                    struct error *e)
{
	struct store_val args[] = {
	    k->parent_id ? sv_int(k->parent_id) : sv_null(),
	    sv_text(k->code),
	    sv_text(k->name),
	    k->default_unit_id ? sv_int(k->default_unit_id) : sv_null(),
	    sv_int(k->deadline_hours),
	    sv_int(k->severity),
	    sv_int(k->sort),
	    sv_int(k->enabled),
	    sv_int(time_now_ms()),
	    sv_int(tenant_id),
	    sv_int(k->id),
	};
	int64_t changes = 0;
	int rc = store_exec(c, &q_cat_update, args, 11, &changes, e);

	if (rc == 0 && changes == 0)
		return error_set(e, ERR_NOT_FOUND, NULL, "问题分类不存在");
	return cat_conflict(rc, k, e);
}

int category_delete(struct store_conn *c, int64_t tenant_id, int64_t id, struct error *e)
{
	struct store_val args[] = {sv_int(tenant_id), sv_int(id)};
	int64_t children = 0, changes = 0;
	int rc = store_query_int(c, &q_cat_children, args, 2, &children, e);

	if (rc)
		return rc;
	if (children)
		return error_set(e, ERR_CONFLICT, NULL,
		                 "该分类下还有 %lld 个下级分类，请先删除下级分类",
		                 (long long)children);
	rc = store_exec(c, &q_cat_delete, args, 2, &changes, e);
	if (rc == ERR_CONFLICT)
		return error_set(e, ERR_CONFLICT, NULL, "该分类已被问题引用，不能删除，可改为停用");
	if (rc == 0 && changes == 0)
		return error_set(e, ERR_NOT_FOUND, NULL, "问题分类不存在");
	return rc;
}

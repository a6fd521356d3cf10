/* framework_db.c - framework versions and their indicator tree in the store. */
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "inspect/inspect.h"
#include "inspect/inspect_int.h"
#include "store/store.h"

/* ---- frameworks ------------------------------------------------------------ */

#define FW_COLS                                                                                    \
	"f.id, f.name, f.note, f.active, COALESCE(f.copied_from, 0), f.created_at, f.updated_at,"  \
	" f.minors_gate, f.feature_cap,"                                                           \
	" (SELECT COUNT(*) FROM indicators i WHERE i.framework_id = f.id AND i.level = 1"          \
	"  AND i.section = 'main'),"                                                               \
	" (SELECT COUNT(*) FROM indicators i WHERE i.framework_id = f.id AND i.level = 2"          \
	"  AND i.section = 'main'),"                                                               \
	" (SELECT COUNT(*) FROM indicators i WHERE i.framework_id = f.id AND i.level = 3"          \
	"  AND i.section = 'main'),"                                                               \
	" (SELECT COUNT(*) FROM inspections r WHERE r.framework_id = f.id)"

STORE_SQL(q_fw_list, "SELECT " FW_COLS " FROM frameworks f WHERE f.tenant_id = ?"
                     " AND (? = '' OR f.name LIKE ? ESCAPE '\\') ORDER BY f.id DESC");
STORE_SQL(q_fw_get, "SELECT " FW_COLS " FROM frameworks f WHERE f.tenant_id = ? AND f.id = ?");
STORE_SQL(q_fw_active, "SELECT id FROM frameworks WHERE tenant_id = ? AND active = 1");
STORE_SQL(q_fw_weights, "SELECT weight, methods FROM indicators"
                        " WHERE framework_id = ? AND level = 3 AND section = 'main'");
STORE_SQL(q_fw_insert, "INSERT INTO frameworks (tenant_id, name, note, active, copied_from,"
                       " created_at, updated_at) VALUES (?, ?, ?, 0, ?, ?, ?) RETURNING id");
STORE_SQL(q_fw_update, "UPDATE frameworks SET name = ?, note = ?, minors_gate = ?,"
                       " feature_cap = ?, updated_at = ?"
                       " WHERE tenant_id = ? AND id = ?");
STORE_SQL(q_fw_rounds, "SELECT COUNT(*) FROM inspections WHERE framework_id = ?");
STORE_SQL(q_fw_delete, "DELETE FROM frameworks WHERE tenant_id = ? AND id = ?");
STORE_SQL(q_fw_deactivate, "UPDATE frameworks SET active = 0, updated_at = ?"
                           " WHERE tenant_id = ? AND active = 1");
STORE_SQL(q_fw_set_active, "UPDATE frameworks SET active = 1, updated_at = ?"
                           " WHERE tenant_id = ? AND id = ?");

static int framework_weights(struct store_conn *c, struct framework *f, struct error *e)
{
	struct store_val args[] = {sv_int(f->id)};
	struct store_rows *r;
	int rc, k;

	f->weight = 0;
	memset(f->parts, 0, sizeof(f->parts));
	if ((rc = store_query(c, &q_fw_weights, args, 1, &r, e)))
		return rc;
	while ((rc = store_next(r)) > 0) {
		double parts[NPARTS], w = store_double(r, 0);
		int m = methods_parse(store_text(r, 1));

		weight_parts(w, m < 0 ? 0 : m, parts);
		f->weight += w;
		for (k = 0; k < NPARTS; k++)
			f->parts[k] += parts[k];
	}
	store_finish(r);
	return rc < 0 ? error_set(e, rc, NULL, NULL) : 0;
}

static void fw_read(struct store_rows *r, struct arena *a, struct framework *f)
{
	memset(f, 0, sizeof(*f));
	f->id = store_int(r, 0);
	f->name = arena_strdup(a, store_text(r, 1));
	f->note = arena_strdup(a, store_text(r, 2));
	f->active = (int)store_int(r, 3);
	f->copied_from = store_int(r, 4);
	f->created_at = store_int(r, 5);
	f->updated_at = store_int(r, 6);
	f->minors_gate = store_double(r, 7);
	f->feature_cap = store_double(r, 8);
	f->projects = store_int(r, 9);
	f->contents = store_int(r, 10);
	f->standards = store_int(r, 11);
	f->rounds = store_int(r, 12);
}

int framework_list(struct store_conn *c, int64_t tenant_id, const char *keyword, struct arena *a,
                   struct framework **out, int *n, struct error *e)
{
	const char *kw = keyword ? keyword : "";
	const char *like = store_like_pattern(a, kw, 1);
	struct store_val args[] = {sv_int(tenant_id), sv_text(kw), sv_text(like)};
	struct framework *list = NULL;
	struct store_rows *r;
	int cap = 0, rc, i;

	*out = NULL;
	*n = 0;
	if ((rc = store_query(c, &q_fw_list, args, 3, &r, e)))
		return rc;
	while ((rc = store_next(r)) > 0) {
		list = arena_grow(a, list, *n, &cap, sizeof(*list));
		fw_read(r, a, &list[(*n)++]);
	}
	store_finish(r);
	if (rc < 0)
		return error_set(e, rc, NULL, NULL);
	for (i = 0; i < *n; i++)
		if ((rc = framework_weights(c, &list[i], e)))
			return rc;
	*out = list;
	return 0;
}

int framework_get(struct store_conn *c, int64_t tenant_id, int64_t id, struct arena *a,
                  struct framework *out, struct error *e)
{
	struct store_val args[] = {sv_int(tenant_id), sv_int(id)};
	struct store_rows *r;
	int rc;

	if ((rc = store_query(c, &q_fw_get, args, 2, &r, e)))
		return rc;
	rc = store_next(r);
	if (rc > 0)
		fw_read(r, a, out);
	store_finish(r);
	if (rc < 0)
		return error_set(e, rc, NULL, NULL);
	if (rc == 0)
		return error_set(e, ERR_NOT_FOUND, NULL, "测评体系不存在");
	return framework_weights(c, out, e);
}

int framework_active(struct store_conn *c, int64_t tenant_id, int64_t *id, struct error *e)
{
	struct store_val args[] = {sv_int(tenant_id)};
	int rc = store_query_int(c, &q_fw_active, args, 1, id, e);

	if (rc == ERR_NOT_FOUND)
		return error_set(e, ERR_NOT_FOUND, "framework_id", "还没有启用的测评体系");
	return rc;
}

json_t *framework_json(const struct framework *f)
{
	return json_pack(
	    "{s:I, s:s, s:s, s:b, s:b, s:o, s:I, s:I, s:I, s:I, s:o, s:o, s:o, s:I, s:I}", "id",
	    (json_int_t)f->id, "name", f->name, "note", f->note, "active", f->active, "locked",
	    f->rounds > 0, "copied_from",
	    f->copied_from ? json_integer(f->copied_from) : json_null(), "projects",
	    (json_int_t)f->projects, "contents", (json_int_t)f->contents, "standards",
	    (json_int_t)f->standards, "rounds", (json_int_t)f->rounds, "totals",
	    parts_totals_json(f->weight, f->parts), "minors_gate", json_real(f->minors_gate),
	    "feature_cap", json_real(f->feature_cap), "created_at", (json_int_t)f->created_at,
	    "updated_at", (json_int_t)f->updated_at);
}

int framework_insert(struct store_conn *c, int64_t tenant_id, struct framework *f, struct error *e)
{
	int64_t now = time_now_ms();
	struct store_val args[] = {
	    sv_int(tenant_id),
	    sv_text(f->name),
	    sv_text(f->note ? f->note : ""),
	    f->copied_from ? sv_int(f->copied_from) : sv_null(),
	    sv_int(now),
	    sv_int(now),
	};
	int rc = store_query_int(c, &q_fw_insert, args, 6, &f->id, e);

	if (rc == ERR_CONFLICT)
		return error_set(e, ERR_CONFLICT, "name", "测评体系名称“%s”已被使用", f->name);
	return rc;
}

int framework_update(struct store_conn *c, int64_t tenant_id, const struct framework *f,
                     struct error *e)
{
	struct store_val args[] = {sv_text(f->name),
	                           sv_text(f->note),
	                           sv_double(f->minors_gate),
	                           sv_double(f->feature_cap),
	                           sv_int(time_now_ms()),
	                           sv_int(tenant_id),
	                           sv_int(f->id)};
	int rc = store_exec(c, &q_fw_update, args, 7, NULL, e);

	if (rc == ERR_CONFLICT)
		return error_set(e, ERR_CONFLICT, "name", "测评体系名称“%s”已被使用", f->name);
	return rc;
}

int framework_check_unlocked(struct store_conn *c, int64_t id, struct error *e)
{
	struct store_val args[] = {sv_int(id)};
	int64_t n = 0;
	int rc = store_query_int(c, &q_fw_rounds, args, 1, &n, e);

	if (rc)
		return rc;
	if (n)
		return error_set(e, ERR_CONFLICT, NULL,
		                 "已有测评轮次使用此版本，不能修改；请复制为新版本后修改");
	return 0;
}

int framework_delete(struct store_conn *c, int64_t tenant_id, int64_t id, struct error *e)
{
	struct store_val args[] = {sv_int(tenant_id), sv_int(id)};

	return store_exec(c, &q_fw_delete, args, 2, NULL, e);
}

int framework_activate(struct store_conn *c, int64_t tenant_id, int64_t id, struct error *e)
{
	struct store_val off[] = {sv_int(time_now_ms()), sv_int(tenant_id)};
	struct store_val on[] = {sv_int(time_now_ms()), sv_int(tenant_id), sv_int(id)};
	int rc = store_exec(c, &q_fw_deactivate, off, 2, NULL, e);

	return rc ? rc : store_exec(c, &q_fw_set_active, on, 3, NULL, e);
}

/* ---- indicators -------------------------------------------------------------- */

#define IND_COLS                                                                                   \
	"i.id, i.framework_id, COALESCE(i.parent_id, 0), i.level, i.code, i.title, i.weight,"      \
	" i.methods, COALESCE(i.lead_unit_id, 0), COALESCE(u.name, ''), i.sort, i.method_text,"    \
	" i.grading, i.grading_text, i.section"
#define IND_FROM " FROM indicators i LEFT JOIN units u ON u.id = i.lead_unit_id"

STORE_SQL(q_ind_all, "SELECT " IND_COLS IND_FROM " WHERE i.framework_id = ?"
                     " ORDER BY i.level, i.sort, i.code, i.id");
STORE_SQL(q_ind_get, "SELECT " IND_COLS IND_FROM " WHERE i.framework_id = ? AND i.id = ?");
STORE_SQL(q_ind_units,
          "SELECT x.indicator_id, u.id, u.name FROM indicator_units x"
          " JOIN units u ON u.id = x.unit_id JOIN indicators i ON i.id = x.indicator_id"
          " WHERE i.framework_id = ? ORDER BY x.indicator_id, u.sort, u.id");
STORE_SQL(q_ind_types, "SELECT x.indicator_id, t.id, t.name FROM indicator_point_types x"
                       " JOIN point_types t ON t.id = x.point_type_id"
                       " JOIN indicators i ON i.id = x.indicator_id"
                       " WHERE i.framework_id = ? ORDER BY x.indicator_id, t.sort, t.id");
STORE_SQL(q_ind_insert, "INSERT INTO indicators (framework_id, parent_id, level, code, title,"
                        " weight, methods, lead_unit_id, sort, created_at, updated_at, method_text,"
                        " grading, grading_text, section)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
STORE_SQL(q_ind_update, "UPDATE indicators SET code = ?, title = ?, weight = ?, methods = ?,"
                        " lead_unit_id = ?, sort = ?, updated_at = ?, method_text = ?,"
                        " grading = ?, grading_text = ?, section = ?"
                        " WHERE framework_id = ? AND id = ?");
STORE_SQL(q_ind_children, "SELECT (SELECT COUNT(*) FROM indicators WHERE parent_id = ?)"
                          " + (SELECT COUNT(*) FROM checklist_items WHERE standard_id = ?)");
STORE_SQL(q_ind_delete, "DELETE FROM indicators WHERE framework_id = ? AND id = ?");
STORE_SQL(q_ind_units_clear, "DELETE FROM indicator_units WHERE indicator_id = ?");
STORE_SQL(q_ind_types_clear, "DELETE FROM indicator_point_types WHERE indicator_id = ?");
STORE_SQL(q_ind_unit_add, "INSERT INTO indicator_units (indicator_id, unit_id) VALUES (?, ?)");
STORE_SQL(q_ind_type_add, "INSERT INTO indicator_point_types (indicator_id, point_type_id)"
                          " VALUES (?, ?)");

static void ind_read(struct store_rows *r, struct arena *a, struct indicator *ind)
{
	int m;

	memset(ind, 0, sizeof(*ind));
	ind->id = store_int(r, 0);
	ind->framework_id = store_int(r, 1);
	ind->parent_id = store_int(r, 2);
	ind->level = (int)store_int(r, 3);
	ind->code = arena_strdup(a, store_text(r, 4));
	ind->title = arena_strdup(a, store_text(r, 5));
	ind->weight = store_double(r, 6);
	m = methods_parse(store_text(r, 7));
	ind->methods = m < 0 ? 0 : m;
	ind->lead_unit_id = store_int(r, 8);
	ind->lead_unit_name = arena_strdup(a, store_text(r, 9));
	ind->sort = store_int(r, 10);
	ind->method_text = arena_strdup(a, store_text(r, 11));
	ind->grading = arena_strdup(a, store_text(r, 12));
	ind->grading_text = arena_strdup(a, store_text(r, 13));
	ind->section = arena_strdup(a, store_text(r, 14));
}

static int refs_load(struct store_conn *c, const struct store_sql *q, int64_t framework_id,
                     struct arena *a, struct ref **out, int *n, struct error *e)
{
	struct store_val args[] = {sv_int(framework_id)};
	struct store_rows *r;
	struct ref *list = NULL;
	int cap = 0, rc;

	*out = NULL;
	*n = 0;
	if ((rc = store_query(c, q, args, 1, &r, e)))
		return rc;
	while ((rc = store_next(r)) > 0) {
		list = arena_grow(a, list, *n, &cap, sizeof(*list));
		list[*n].owner = store_int(r, 0);
		list[*n].id = store_int(r, 1);
		list[*n].name = arena_strdup(a, store_text(r, 2));
		(*n)++;
	}
	store_finish(r);
	*out = list;
	return rc < 0 ? error_set(e, rc, NULL, NULL) : 0;
}

int indicator_all(struct store_conn *c, int64_t framework_id, struct arena *a,
                  struct indicator **out, int *n, struct ref **units, int *nunits,
                  struct ref **types, int *ntypes, struct error *e)
{
	struct store_val args[] = {sv_int(framework_id)};
	struct indicator *list = NULL;
	struct store_rows *r;
	int cap = 0, rc;

	*out = NULL;
	*n = 0;
	if ((rc = store_query(c, &q_ind_all, args, 1, &r, e)))
		return rc;
	while ((rc = store_next(r)) > 0) {
		list = arena_grow(a, list, *n, &cap, sizeof(*list));
		ind_read(r, a, &list[(*n)++]);
	}
	store_finish(r);
	if (rc < 0)
		return error_set(e, rc, NULL, NULL);
	*out = list;
	if (units && (rc = refs_load(c, &q_ind_units, framework_id, a, units, nunits, e)))
		return rc;
	if (types && (rc = refs_load(c, &q_ind_types, framework_id, a, types, ntypes, e)))
		return rc;
	return 0;
}

int indicator_get(struct store_conn *c, int64_t framework_id, int64_t id, struct arena *a,
                  struct indicator *out, struct error *e)
{
	struct store_val args[] = {sv_int(framework_id), sv_int(id)};
	struct store_rows *r;
	int rc;

	if ((rc = store_query_one(c, &q_ind_get, args, 2, &r, "测评指标不存在", e)))
		return rc;
	ind_read(r, a, out);
	store_finish(r);
	return 0;
}

int indicator_insert(struct store_conn *c, struct indicator *ind, struct error *e)
{
	struct arena a;
	int64_t now = time_now_ms();
	int rc;

	arena_init(&a);
	{
		struct store_val args[] = {
		    sv_int(ind->framework_id),
		    ind->parent_id ? sv_int(ind->parent_id) : sv_null(),
		    sv_int(ind->level),
		    sv_text(ind->code),
		    sv_text(ind->title),
		    sv_double(ind->weight),
		    sv_text(methods_text(ind->methods, &a)),
		    ind->lead_unit_id ? sv_int(ind->lead_unit_id) : sv_null(),
		    sv_int(ind->sort),
		    sv_int(now),
		    sv_int(now),
		    sv_text(ind->method_text ? ind->method_text : ""),
		    sv_text(ind->grading ? ind->grading : ""),
		    sv_text(ind->grading_text ? ind->grading_text : ""),
		    sv_text(ind->section && *ind->section ? ind->section : SECTION_MAIN),
		};

		rc = store_query_int(c, &q_ind_insert, args, 15, &ind->id, e);
	}
	arena_release(&a);
	if (rc == ERR_CONFLICT)
		return error_set(e, ERR_CONFLICT, "code", "编码“%s”已被使用", ind->code);
	return rc;
}

int indicator_update(struct store_conn *c, const struct indicator *ind, struct error *e)
{
	struct arena a;
	int rc;

	arena_init(&a);
	{
		struct store_val args[] = {
		    sv_text(ind->code),
		    sv_text(ind->title),
		    sv_double(ind->weight),
		    sv_text(methods_text(ind->methods, &a)),
		    ind->lead_unit_id ? sv_int(ind->lead_unit_id) : sv_null(),
		    sv_int(ind->sort),
		    sv_int(time_now_ms()),
		    sv_text(ind->method_text ? ind->method_text : ""),
		    sv_text(ind->grading ? ind->grading : ""),
		    sv_text(ind->grading_text ? ind->grading_text : ""),
		    sv_text(ind->section && *ind->section ? ind->section : SECTION_MAIN),
		    sv_int(ind->framework_id),
		    sv_int(ind->id),
		};

		rc = store_exec(c, &q_ind_update, args, 13, NULL, e);
	}
	arena_release(&a);
	if (rc == ERR_CONFLICT)
		return error_set(e, ERR_CONFLICT, "code", "编码“%s”已被使用", ind->code);
	return rc;
}

int indicator_delete(struct store_conn *c, int64_t framework_id, int64_t id, struct error *e)
{
	struct store_val chk[] = {sv_int(id), sv_int(id)};
	struct store_val args[] = {sv_int(framework_id), sv_int(id)};
	int64_t n = 0;
	int rc = store_query_int(c, &q_ind_children, chk, 2, &n, e);

	if (rc)
		return rc;
	if (n)
		return error_set(e, ERR_CONFLICT, NULL, "该指标下还有下级指标或检查项，不能删除");
	return store_exec(c, &q_ind_delete, args, 2, NULL, e);
}

int indicator_set_refs(struct store_conn *c, int64_t id, const int64_t *unit_ids, int nunits,
                       const int64_t *type_ids, int ntypes, struct error *e)
{
	struct store_val one[] = {sv_int(id)};
	int rc = store_exec(c, &q_ind_units_clear, one, 1, NULL, e), i;

	if (!rc)
		rc = store_exec(c, &q_ind_types_clear, one, 1, NULL, e);
	for (i = 0; !rc && i < nunits; i++) {
		struct store_val args[] = {sv_int(id), sv_int(unit_ids[i])};

		rc = store_exec(c, &q_ind_unit_add, args, 2, NULL, e);
	}
	for (i = 0; !rc && i < ntypes; i++) {
		struct store_val args[] = {sv_int(id), sv_int(type_ids[i])};

		rc = store_exec(c, &q_ind_type_add, args, 2, NULL, e);
	}
	return rc;
}

/* ---- copying a version ------------------------------------------------------- */

STORE_SQL(q_copy_ind_units, "INSERT INTO indicator_units (indicator_id, unit_id)"
                            " SELECT ?, unit_id FROM indicator_units WHERE indicator_id = ?");
STORE_SQL(q_copy_ind_types, "INSERT INTO indicator_point_types (indicator_id, point_type_id)"
                            " SELECT ?, point_type_id FROM indicator_point_types"
                            " WHERE indicator_id = ?");

int framework_copy_content(struct store_conn *c, int64_t from, int64_t to, struct error *e)
{
	struct indicator *all;
	struct checklist_item *items;
	struct arena a;
	int64_t *new_ids;
	int n, nitems, i, k, rc;

	arena_init(&a);
	rc = indicator_all(c, from, &a, &all, &n, NULL, NULL, NULL, NULL, e);
	if (!rc)
		rc = checklist_list(c, from, 0, &a, &items, &nitems, e);
	if (rc)
		goto out;
	new_ids = arena_calloc(&a, (size_t)(n + 1) * sizeof(*new_ids));
	/* parents come first (ordered by level): map each old parent to its copy */
	for (i = 0; !rc && i < n; i++) {
		struct indicator copy = all[i];

		copy.framework_id = to;
		for (k = 0; copy.parent_id && k < i; k++)
			if (all[k].id == all[i].parent_id) {
				copy.parent_id = new_ids[k];
				break;
			}
		rc = indicator_insert(c, &copy, e);
		new_ids[i] = copy.id;
		if (!rc) {
			struct store_val args[] = {sv_int(copy.id), sv_int(all[i].id)};

			rc = store_exec(c, &q_copy_ind_units, args, 2, NULL, e);
			if (!rc)
				rc = store_exec(c, &q_copy_ind_types, args, 2, NULL, e);
		}
	}
	/* checklists, a point type at a time, standards mapped to their copies */
	for (i = 0; !rc && i < nitems;) {
		int start = i;

		for (; i < nitems && items[i].point_type_id == items[start].point_type_id; i++)
			for (k = 0; k < n; k++)
				if (all[k].id == items[i].standard_id) {
					items[i].standard_id = new_ids[k];
					break;
				}
		rc = checklist_replace(c, to, items[start].point_type_id, items + start, i - start,
		                       e);
	}
	if (!rc) {
		struct negative_item *neg;
		int nneg;

		rc = negative_items_list(c, from, &a, &neg, &nneg, e);
		for (i = 0; !rc && i < nneg; i++) {
			neg[i].framework_id = to;
			rc = negative_item_insert(c, &neg[i], e);
		}
	}
out:
	arena_release(&a);
	return rc;
}

/* ---- what other modules score against ------------------------------------------ */

int framework_part_weights(struct store_conn *c, int64_t tenant_id, int64_t framework_id, int part,
                           const char *section, struct arena *a, struct part_weights *out,
                           struct error *e)
{
	struct framework f;
	struct indicator *all;
	int n, i, rc;

	memset(out, 0, sizeof(*out));
	out->part = part;
	if (part < 0 || part >= NPARTS)
		return error_set(e, ERR_INVALID, "part", "得分部分不正确");
	if (!section)
		section = SECTION_MAIN;
	if ((rc = framework_get(c, tenant_id, framework_id, a, &f, e)) ||
	    (rc = indicator_all(c, framework_id, a, &all, &n, NULL, NULL, NULL, NULL, e)))
		return rc;
	out->standards = arena_calloc(a, (size_t)(n + 1) * sizeof(*out->standards));
	for (i = 0; i < n; i++) {
		double parts[NPARTS];
		struct part_weight *w;

		if (all[i].level != 3 || strcmp(all[i].section, section))
			continue;
		weight_parts(all[i].weight, all[i].methods, parts);
		if (parts[part] <= 0)
			continue;
		w = &out->standards[out->n++];
		w->standard_id = all[i].id;
		w->code = all[i].code;
		w->title = all[i].title;
		w->weight = all[i].weight;
		w->in_part = parts[part];
		w->methods = all[i].methods;
		out->total += parts[part];
	}
	return 0;
}

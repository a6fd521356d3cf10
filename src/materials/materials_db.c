/* materials_db.c - rows of material items, their units, versions, files and events. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "materials/materials.h"
#include "core/clock.h"
#include "org/org_db.h"
#include "store/store.h"

/*
 * An item is within a scope when its lead unit or one of its responsible
 * units is (by id or under a unit of the scope), or the caller created it.
 * Values: all, unit ids, subtree, owner.
 */
#define MAT_SCOPE                                                                                  \
	"(? = 1 OR EXISTS (SELECT 1 FROM units su WHERE su.tenant_id = i.tenant_id"                \
	" AND (su.id = i.lead_unit_id OR su.id IN (SELECT mu.unit_id FROM material_item_units mu"  \
	" WHERE mu.item_id = i.id)) AND (su.id IN_IDS(?) OR su.ancestors LIKE ?))"                 \
	" OR i.created_by = ?)"
#define MAT_COLS                                                                                   \
	"i.id, i.framework_id, i.standard_id, COALESCE(s.code, ''), COALESCE(s.title, ''), "       \
	"i.code,"                                                                                  \
	" i.title, i.type, i.requirement, i.lead_unit_id, COALESCE(lu.name, ''), i.deadline,"      \
	" i.status, i.rating, COALESCE(i.approved_version_id, 0), COALESCE(i.template_file_id, "   \
	"0),"                                                                                      \
	" (SELECT COUNT(*) FROM material_versions v WHERE v.item_id = i.id), i.sort, "             \
	"i.created_at,"                                                                            \
	" i.updated_at, "
#define MAT_UNITS_SQLITE                                                                           \
	"(SELECT group_concat(mu2.unit_id) FROM material_item_units mu2 WHERE mu2.item_id = i.id)"
#define MAT_UNITS_PG                                                                               \
	"(SELECT string_agg(mu2.unit_id::text, ',') FROM material_item_units mu2"                  \
	" WHERE mu2.item_id = i.id)"
#define MAT_FROM                                                                                   \
	" FROM material_items i LEFT JOIN indicators s ON s.id = i.standard_id"                    \
	" LEFT JOIN units lu ON lu.id = i.lead_unit_id"
#define MAT_FILTERS                                                                                \
	" AND (CAST(? AS BIGINT) = 0 OR i.framework_id = ?)"                                       \
	" AND (CAST(? AS BIGINT) = 0 OR i.lead_unit_id = ? OR EXISTS (SELECT 1 FROM"               \
	" material_item_units fu WHERE fu.item_id = i.id AND fu.unit_id = ?))"                     \
	" AND (? = '' OR i.status = ?) AND (CAST(? AS BIGINT) = 0 OR i.standard_id = ?)"           \
	" AND (? = '' OR i.type = ?)"                                                              \
	" AND (? = '' OR i.code LIKE ? ESCAPE '\\' OR i.title LIKE ? ESCAPE '\\')"                 \
	" AND (? = '' OR (i.deadline < ? AND i.status NOT IN ('submitted', 'approved')))"
#define MAT_LIST(units)                                                                            \
	"SELECT " MAT_COLS units ", COUNT(*) OVER ()" MAT_FROM                                     \
	" WHERE i.tenant_id = ? AND " MAT_SCOPE MAT_FILTERS                                        \
	" ORDER BY i.sort, i.id LIMIT ? OFFSET ?"
#define MAT_GET(units)                                                                             \
	"SELECT " MAT_COLS units MAT_FROM " WHERE i.tenant_id = ? AND i.id = ? AND " MAT_SCOPE

STORE_SQL2(q_mat_list, MAT_LIST(MAT_UNITS_SQLITE), MAT_LIST(MAT_UNITS_PG));
STORE_SQL2(q_mat_get, MAT_GET(MAT_UNITS_SQLITE), MAT_GET(MAT_UNITS_PG));
STORE_SQL(q_mat_insert,
          "INSERT INTO material_items (tenant_id, framework_id, standard_id, code, title, type,"
          " requirement, lead_unit_id, deadline, template_file_id, sort, created_by, created_at,"
          " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
STORE_SQL(q_mat_code_taken,
          "SELECT COUNT(*) FROM material_items WHERE framework_id = ? AND code = ? AND id <> ?");
STORE_SQL(q_mat_update,
          "UPDATE material_items SET standard_id = ?, code = ?, title = ?, type = ?,"
          " requirement = ?, lead_unit_id = ?, deadline = ?, template_file_id = ?, sort = ?,"
          " updated_at = ? WHERE tenant_id = ? AND id = ?");
STORE_SQL(q_mat_delete, "DELETE FROM material_items WHERE tenant_id = ? AND id = ?");
STORE_SQL(q_mat_units_clear, "DELETE FROM material_item_units WHERE item_id = ?");
STORE_SQL(q_mat_unit_add, "INSERT INTO material_item_units (item_id, unit_id) VALUES (?, ?)");
STORE_SQL(q_mat_set_status,
          "UPDATE material_items SET status = ?, rating = COALESCE(?, rating),"
          " approved_version_id = CASE WHEN CAST(? AS BIGINT) = 0 THEN approved_version_id"
          " ELSE ? END, updated_at = ? WHERE id = ?");
STORE_SQL(q_mat_bytes, "SELECT COALESCE(SUM(size), 0) FROM material_versions WHERE item_id = ?");
STORE_SQL(q_ver_next,
          "SELECT COALESCE(MAX(number), 0) + 1 FROM material_versions WHERE item_id = ?");
STORE_SQL(q_ver_insert,
          "INSERT INTO material_versions (tenant_id, item_id, number, unit_id, note, size,"
          " created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
STORE_SQL(q_ver_file_add,
          "INSERT INTO material_version_files (version_id, file_id, sort) VALUES (?, ?, ?)");
#define VER_COLS                                                                                   \
	"v.id, v.item_id, v.number, COALESCE(v.unit_id, 0), COALESCE(un.name, ''), v.note,"        \
	" v.status, v.rating, v.comment, v.size, COALESCE(cu.name, ''), COALESCE(ru.name, ''),"    \
	" v.created_at, COALESCE(v.reviewed_at, 0)"
#define VER_FROM                                                                                   \
	" FROM material_versions v LEFT JOIN units un ON un.id = v.unit_id"                        \
	" LEFT JOIN users cu ON cu.id = v.created_by LEFT JOIN users ru ON ru.id = v.reviewed_by"
STORE_SQL(q_ver_list, "SELECT " VER_COLS VER_FROM " WHERE v.item_id = ? ORDER BY v.number DESC");
STORE_SQL(q_ver_latest,
          "SELECT " VER_COLS VER_FROM " WHERE v.item_id = ? ORDER BY v.number DESC LIMIT 1");
STORE_SQL(q_ver_files,
          "SELECT vf.version_id, f.id, f.original_name, f.content_type, f.size"
          " FROM material_version_files vf JOIN material_versions v ON v.id = vf.version_id"
          " JOIN files f ON f.id = vf.file_id WHERE v.item_id = ? ORDER BY v.number, vf.sort");
STORE_SQL(q_ver_set, "UPDATE material_versions SET status = ?, rating = ?, comment = ?,"
                     " reviewed_by = ?, reviewed_at = ? WHERE id = ?");
STORE_SQL(q_ver_item,
          "SELECT v.item_id FROM material_versions v WHERE v.id = ? AND v.tenant_id = ?"
          " AND (CAST(? AS BIGINT) = 0 OR EXISTS (SELECT 1 FROM material_version_files vf"
          " WHERE vf.version_id = v.id AND vf.file_id = ?))");
STORE_SQL(q_event_add,
          "INSERT INTO material_events (tenant_id, item_id, version_id, action, user_id,"
          " unit_id, note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
STORE_SQL(q_events,
          "SELECT ev.id, COALESCE(ev.version_id, 0), ev.action, ev.note, COALESCE(u.name, ''),"
          " COALESCE(un.name, ''), ev.created_at FROM material_events ev"
          " LEFT JOIN users u ON u.id = ev.user_id LEFT JOIN units un ON un.id = ev.unit_id"
          " WHERE ev.item_id = ? ORDER BY ev.id");
STORE_SQL(q_cells, "SELECT i.id, x.unit_id, COALESCE(u.name, ''), x.role,"
                   " (SELECT COUNT(*) FROM material_versions v WHERE v.item_id = i.id"
                   " AND v.unit_id = x.unit_id)"
                   " FROM material_items i JOIN (SELECT id AS item_id, lead_unit_id AS unit_id,"
                   " 'lead' AS role FROM material_items UNION ALL SELECT item_id, unit_id,"
                   " 'responsible' FROM material_item_units) x ON x.item_id = i.id"
                   " JOIN units u ON u.id = x.unit_id"
                   " WHERE i.tenant_id = ? AND i.framework_id = ? AND " MAT_SCOPE
                   " ORDER BY u.sort, u.id, i.sort, i.id");
STORE_SQL(q_copy_items,
          "SELECT i.id, s2.id FROM material_items i JOIN indicators s ON s.id = i.standard_id"
          " LEFT JOIN indicators s2 ON s2.framework_id = ? AND s2.code = s.code AND s2.level = 3"
          " WHERE i.tenant_id = ? AND i.framework_id = ? ORDER BY i.sort, i.id");

static void item_read(struct store_rows *r, struct arena *a, struct material_item *it)
{
	const char *units;

	memset(it, 0, sizeof(*it));
	it->id = store_int(r, 0);
	it->framework_id = store_int(r, 1);
	it->standard_id = store_int(r, 2);
	it->standard_code = arena_strdup(a, store_text(r, 3));
	it->standard_title = arena_strdup(a, store_text(r, 4));
	it->code = arena_strdup(a, store_text(r, 5));
	it->title = arena_strdup(a, store_text(r, 6));
	it->type = arena_strdup(a, store_text(r, 7));
	it->requirement = arena_strdup(a, store_text(r, 8));
	it->lead_unit_id = store_int(r, 9);
	it->lead_unit_name = arena_strdup(a, store_text(r, 10));
	it->deadline = arena_strdup(a, store_text(r, 11));
	it->status = arena_strdup(a, store_text(r, 12));
	it->rating = arena_strdup(a, store_text(r, 13));
	it->approved_version_id = store_int(r, 14);
	it->template_file_id = store_int(r, 15);
	it->versions = store_int(r, 16);
	it->sort = store_int(r, 17);
	it->created_at = store_int(r, 18);
	it->updated_at = store_int(r, 19);
	units = store_text(r, 20);
	while (units && *units && it->nunits < MAT_MAX_UNITS) {
		char *end;

		it->unit_ids[it->nunits++] = strtoll(units, &end, 10);
		units = *end == ',' ? end + 1 : NULL;
	}
	/* aggregate order is not defined: keep ids sorted */
	{
		int x, y;

		for (x = 1; x < it->nunits; x++)
			for (y = x; y > 0 && it->unit_ids[y - 1] > it->unit_ids[y]; y--) {
				int64_t t = it->unit_ids[y];

				it->unit_ids[y] = it->unit_ids[y - 1];
				it->unit_ids[y - 1] = t;
			}
	}
}

int material_list(struct store_conn *c, int64_t tenant_id, const struct material_filter *f,
                  struct arena *a, struct material_item **out, int *n, int64_t *total,
                  struct error *e)
{
	const char *like = f->keyword && *f->keyword ? store_like_pattern(a, f->keyword, 1) : "";
	const char *kw = f->keyword && *f->keyword ? f->keyword : "";
	const char *status = f->status ? f->status : "", *type = f->type ? f->type : "";
	const char *od = f->overdue_before ? f->overdue_before : "";
	struct store_val args[30];
	struct store_rows *rows;
	int cap = 0, rc, k = 0;

	args[k++] = sv_int(tenant_id);
	scope_args(f->scope, args + k);
	k += 4;
	args[k++] = sv_int(f->framework_id);
	args[k++] = sv_int(f->framework_id);
	args[k++] = sv_int(f->unit_id);
	args[k++] = sv_int(f->unit_id);
	args[k++] = sv_int(f->unit_id);
	args[k++] = sv_text(status);
	args[k++] = sv_text(status);
	args[k++] = sv_int(f->standard_id);
	args[k++] = sv_int(f->standard_id);
	args[k++] = sv_text(type);
	args[k++] = sv_text(type);
	args[k++] = sv_text(kw);
	args[k++] = sv_text(like);
	args[k++] = sv_text(like);
	args[k++] = sv_text(od);
	args[k++] = sv_text(od);
	args[k++] = sv_int(f->limit ? f->limit : 1000000);
	args[k++] = sv_int(f->offset);
	*n = 0;
	*total = 0;
	*out = arena_grow(a, NULL, 0, &cap, sizeof(**out));
	rc = store_query(c, &q_mat_list, args, k, &rows, e);
	if (rc)
		return rc;
	while ((rc = store_next(rows)) == 1) {
		*out = arena_grow(a, *out, *n, &cap, sizeof(**out));
		item_read(rows, a, &(*out)[*n]);
		*total = store_int(rows, 21);
		(*n)++;
	}
	store_finish(rows);
	return rc < 0 ? error_set(e, rc, NULL, NULL) : 0;
}

int material_get(struct store_conn *c, int64_t tenant_id, const struct scope *s, int64_t id,
                 struct arena *a, struct material_item *out, struct error *e)
{
	struct scope all = SCOPE_EVERYTHING;
	struct store_val args[6];
	struct store_rows *rows;
	int rc;

	args[0] = sv_int(tenant_id);
	args[1] = sv_int(id);
	scope_args(s ? s : &all, args + 2);
	rc = store_query(c, &q_mat_get, args, 6, &rows, e);
	if (rc)
		return rc;
	rc = store_next(rows);
	if (rc == 1) {
		item_read(rows, a, out);
		rc = 0;
	} else if (rc == 0) {
		rc = error_set(e, ERR_NOT_FOUND, NULL, "申报材料不存在");
	} else {
		rc = error_set(e, rc, NULL, NULL);
	}
	store_finish(rows);
	return rc;
}

static int set_units(struct store_conn *c, const struct material_item *it, struct error *e)
{
	struct store_val args[2] = {sv_int(it->id), sv_null()};
	int i, rc = store_exec(c, &q_mat_units_clear, args, 1, NULL, e);

	for (i = 0; !rc && i < it->nunits; i++) {
		args[1] = sv_int(it->unit_ids[i]);
		rc = store_exec(c, &q_mat_unit_add, args, 2, NULL, e);
	}
	return rc;
}

static int code_free(struct store_conn *c, const struct material_item *it, struct error *e)
{
	struct store_val args[3] = {sv_int(it->framework_id), sv_text(it->code), sv_int(it->id)};
	int64_t n = 0;
	int rc = store_query_int(c, &q_mat_code_taken, args, 3, &n, e);

	if (!rc && n)
		rc = error_set(e, ERR_CONFLICT, "code", "材料编号 %s 已被使用", it->code);
	return rc;
}

int material_insert(struct store_conn *c, int64_t tenant_id, int64_t user_id,
                    struct material_item *it, struct error *e)
{
	int64_t now = time_now_ms();
	struct store_val args[14] = {sv_int(tenant_id),
	                             sv_int(it->framework_id),
	                             sv_int(it->standard_id),
	                             sv_text(it->code),
	                             sv_text(it->title),
	                             sv_text(it->type),
	                             sv_text(it->requirement),
	                             sv_int(it->lead_unit_id),
	                             sv_text(it->deadline),
	                             it->template_file_id ? sv_int(it->template_file_id)
	                                                  : sv_null(),
	                             sv_int(it->sort),
	                             user_id ? sv_int(user_id) : sv_null(),
	                             sv_int(now),
	                             sv_int(now)};
	int rc;

	it->id = 0;
	rc = code_free(c, it, e);
	if (!rc)
		rc = store_query_int(c, &q_mat_insert, args, 14, &it->id, e);
	if (!rc)
		rc = set_units(c, it, e);
	it->created_at = it->updated_at = now;
	return rc;
}

int material_update(struct store_conn *c, int64_t tenant_id, const struct material_item *it,
                    struct error *e)
{
	struct store_val args[12] = {
	    sv_int(it->standard_id),
	    sv_text(it->code),
	    sv_text(it->title),
	    sv_text(it->type),
	    sv_text(it->requirement),
	    sv_int(it->lead_unit_id),
	    sv_text(it->deadline),
	    it->template_file_id ? sv_int(it->template_file_id) : sv_null(),
	    sv_int(it->sort),
	    sv_int(time_now_ms()),
	    sv_int(tenant_id),
	    sv_int(it->id)};
	int rc = code_free(c, it, e);

	if (!rc)
		rc = store_exec(c, &q_mat_update, args, 12, NULL, e);
	if (!rc)
		rc = set_units(c, it, e);
	return rc;
}

int material_delete(struct store_conn *c, int64_t tenant_id, int64_t id, struct error *e)
{
	struct store_val args[2] = {sv_int(tenant_id), sv_int(id)};

	return store_exec(c, &q_mat_delete, args, 2, NULL, e);
}

int material_set_status(struct store_conn *c, int64_t id, const char *status, const char *rating,
                        int64_t approved_version_id, struct error *e)
{
	struct store_val args[6] = {sv_text(status),
	                            sv_text(rating),
	                            sv_int(approved_version_id),
	                            sv_int(approved_version_id),
	                            sv_int(time_now_ms()),
	                            sv_int(id)};

	return store_exec(c, &q_mat_set_status, args, 6, NULL, e);
}

int material_bytes(struct store_conn *c, int64_t item_id, int64_t *bytes, struct error *e)
{
	struct store_val args[1] = {sv_int(item_id)};

	return store_query_int(c, &q_mat_bytes, args, 1, bytes, e);
}

int material_version_insert(struct store_conn *c, int64_t tenant_id, int64_t user_id,
                            struct material_version *v, const int64_t *file_ids, int nfiles,
                            struct error *e)
{
	struct store_val one[1] = {sv_int(v->item_id)};
	int i, rc;

	v->created_at = time_now_ms();
	rc = store_query_int(c, &q_ver_next, one, 1, &v->number, e);
	if (!rc) {
		struct store_val args[8] = {sv_int(tenant_id),
		                            sv_int(v->item_id),
		                            sv_int(v->number),
		                            v->unit_id ? sv_int(v->unit_id) : sv_null(),
		                            sv_text(v->note),
		                            sv_int(v->size),
		                            user_id ? sv_int(user_id) : sv_null(),
		                            sv_int(v->created_at)};

		rc = store_query_int(c, &q_ver_insert, args, 8, &v->id, e);
	}
	for (i = 0; !rc && i < nfiles; i++) {
		struct store_val args[3] = {sv_int(v->id), sv_int(file_ids[i]), sv_int(i + 1)};

		rc = store_exec(c, &q_ver_file_add, args, 3, NULL, e);
	}
	return rc;
}

static void version_read(struct store_rows *r, struct arena *a, struct material_version *v)
{
	memset(v, 0, sizeof(*v));
	v->id = store_int(r, 0);
	v->item_id = store_int(r, 1);
	v->number = store_int(r, 2);
	v->unit_id = store_int(r, 3);
	v->unit_name = arena_strdup(a, store_text(r, 4));
	v->note = arena_strdup(a, store_text(r, 5));
	v->status = arena_strdup(a, store_text(r, 6));
	v->rating = arena_strdup(a, store_text(r, 7));
	v->comment = arena_strdup(a, store_text(r, 8));
	v->size = store_int(r, 9);
	v->created_by_name = arena_strdup(a, store_text(r, 10));
	v->reviewed_by_name = arena_strdup(a, store_text(r, 11));
	v->created_at = store_int(r, 12);
	v->reviewed_at = store_int(r, 13);
}

/* Rows of q for item_id, read one by one into a growing array of size bytes each. */
#define COLLECT(q, item_id, type, out, n, read_row)                                                \
	do {                                                                                       \
		struct store_val args_[1] = {sv_int(item_id)};                                     \
		struct store_rows *rows_;                                                          \
		int cap_ = 0;                                                                      \
		*(n) = 0;                                                                          \
		*(out) = arena_grow(a, NULL, 0, &cap_, sizeof(type));                              \
		rc = store_query(c, q, args_, 1, &rows_, e);                                       \
		if (rc)                                                                            \
			return rc;                                                                 \
		while ((rc = store_next(rows_)) == 1) {                                            \
			type *x_;                                                                  \
			*(out) = arena_grow(a, *(out), *(n), &cap_, sizeof(type));                 \
			x_ = &(*(out))[(*(n))++];                                                  \
			read_row;                                                                  \
		}                                                                                  \
		store_finish(rows_);                                                               \
		if (rc < 0)                                                                        \
			return error_set(e, rc, NULL, NULL);                                       \
		rc = 0;                                                                            \
	} while (0)

int material_versions(struct store_conn *c, int64_t item_id, struct arena *a,
                      struct material_version **out, int *n, struct material_file **files,
                      int *nfiles, struct error *e)
{
	int rc;

	COLLECT(&q_ver_list, item_id, struct material_version, out, n, version_read(rows_, a, x_));
	COLLECT(&q_ver_files, item_id, struct material_file, files, nfiles, {
		x_->version_id = store_int(rows_, 0);
		x_->file_id = store_int(rows_, 1);
		x_->name = arena_strdup(a, store_text(rows_, 2));
		x_->content_type = arena_strdup(a, store_text(rows_, 3));
		x_->size = store_int(rows_, 4);
	});
	return 0;
}

int material_version_latest(struct store_conn *c, int64_t item_id, struct arena *a,
                            struct material_version *out, struct error *e)
{
	struct store_val args[1] = {sv_int(item_id)};
	struct store_rows *rows;
	int rc = store_query(c, &q_ver_latest, args, 1, &rows, e);

	if (rc)
		return rc;
	rc = store_next(rows);
	if (rc == 1) {
		version_read(rows, a, out);
		rc = 0;
	} else if (rc == 0) {
		rc = error_set(e, ERR_NOT_FOUND, NULL, "还没有上传任何版本");
	} else {
		rc = error_set(e, rc, NULL, NULL);
	}
	store_finish(rows);
	return rc;
}

int material_version_set(struct store_conn *c, int64_t version_id, const char *status,
                         const char *rating, const char *comment, int64_t reviewer, struct error *e)
{
	struct store_val args[6] = {sv_text(status),
	                            sv_text(rating ? rating : ""),
	                            sv_text(comment ? comment : ""),
	                            reviewer ? sv_int(reviewer) : sv_null(),
	                            reviewer ? sv_int(time_now_ms()) : sv_null(),
	                            sv_int(version_id)};

	return store_exec(c, &q_ver_set, args, 6, NULL, e);
}

int material_version_item(struct store_conn *c, int64_t tenant_id, int64_t version_id,
                          int64_t file_id, int64_t *item_id, struct error *e)
{
	struct store_val args[4] = {sv_int(version_id), sv_int(tenant_id), sv_int(file_id),
	                            sv_int(file_id)};
	int rc = store_query_int(c, &q_ver_item, args, 4, item_id, e);

	if (rc == ERR_NOT_FOUND)
		rc = error_set(e, ERR_NOT_FOUND, NULL, "文件不存在");
	return rc;
}

/*
 * A file is an item's when it is one of its versions' files or its
 * template; readable when that item is within the scope.
 */
STORE_SQL(q_file_readable,
          "SELECT COUNT(*) FROM material_items i WHERE i.tenant_id = ? AND (i.template_file_id = ?"
          " OR EXISTS (SELECT 1 FROM material_versions v JOIN material_version_files vf"
          " ON vf.version_id = v.id WHERE v.item_id = i.id AND vf.file_id = ?)) AND " MAT_SCOPE);

int material_file_readable(struct store_conn *c, int64_t tenant_id, const struct scope *s,
                           int64_t file_id, int *ok, struct error *e)
{
	struct store_val args[7] = {sv_int(tenant_id), sv_int(file_id), sv_int(file_id)};
	int64_t n = 0;
	int rc;

	scope_args(s, args + 3);
	rc = store_query_int(c, &q_file_readable, args, 7, &n, e);
	*ok = n > 0;
	return rc;
}

STORE_SQL(q_waiting,
          "SELECT COUNT(*) FROM material_items i WHERE i.tenant_id = ? AND i.framework_id = ?"
          " AND (i.status = ? OR i.status = ? OR i.status = ?) AND " MAT_SCOPE);

int material_count_waiting(struct store_conn *c, int64_t tenant_id, int64_t framework_id,
                           const struct scope *s, int review, int64_t *n, struct error *e)
{
	struct store_val args[9] = {sv_int(tenant_id), sv_int(framework_id)};

	if (review) {
		args[2] = args[3] = args[4] = sv_text("submitted");
	} else {
		args[2] = sv_text("not_started");
		args[3] = sv_text("drafting");
		args[4] = sv_text("returned");
	}
	scope_args(s, args + 5);
	*n = 0;
	return store_query_int(c, &q_waiting, args, 9, n, e);
}

int material_event_add(struct store_conn *c, int64_t tenant_id, int64_t item_id, int64_t version_id,
                       const char *action, int64_t user_id, int64_t unit_id, const char *note,
                       struct error *e)
{
	struct store_val args[8] = {sv_int(tenant_id),
	                            sv_int(item_id),
	                            version_id ? sv_int(version_id) : sv_null(),
	                            sv_text(action),
	                            user_id ? sv_int(user_id) : sv_null(),
	                            unit_id ? sv_int(unit_id) : sv_null(),
	                            sv_text(note ? note : ""),
	                            sv_int(time_now_ms())};

	return store_exec(c, &q_event_add, args, 8, NULL, e);
}

int material_events(struct store_conn *c, int64_t item_id, struct arena *a,
                    struct material_event **out, int *n, struct error *e)
{
	int rc;

	COLLECT(&q_events, item_id, struct material_event, out, n, {
		x_->id = store_int(rows_, 0);
		x_->version_id = store_int(rows_, 1);
		x_->action = arena_strdup(a, store_text(rows_, 2));
		x_->note = arena_strdup(a, store_text(rows_, 3));
		x_->user_name = arena_strdup(a, store_text(rows_, 4));
		x_->unit_name = arena_strdup(a, store_text(rows_, 5));
		x_->created_at = store_int(rows_, 6);
	});
	return 0;
}

int material_cells(struct store_conn *c, int64_t tenant_id, int64_t framework_id,
                   const struct scope *s, struct arena *a, struct material_cell **out, int *n,
                   struct error *e)
{
	struct store_val args[6];
	struct store_rows *rows;
	int cap = 0, rc;

	args[0] = sv_int(tenant_id);
	args[1] = sv_int(framework_id);
	scope_args(s, args + 2);
	*n = 0;
	*out = arena_grow(a, NULL, 0, &cap, sizeof(**out));
	rc = store_query(c, &q_cells, args, 6, &rows, e);
	if (rc)
		return rc;
	while ((rc = store_next(rows)) == 1) {
		struct material_cell *x;

		*out = arena_grow(a, *out, *n, &cap, sizeof(**out));
		x = &(*out)[(*n)++];
		x->item_id = store_int(rows, 0);
		x->unit_id = store_int(rows, 1);
		x->unit_name = arena_strdup(a, store_text(rows, 2));
		x->role = arena_strdup(a, store_text(rows, 3));
		x->uploads = store_int(rows, 4);
	}
	store_finish(rows);
	return rc < 0 ? error_set(e, rc, NULL, NULL) : 0;
}

int material_copy(struct store_conn *c, int64_t tenant_id, int64_t user_id, int64_t from,
                  int64_t to, int *copied, int *skipped, struct error *e)
{
	struct store_val args[3] = {sv_int(to), sv_int(tenant_id), sv_int(from)};
	struct store_rows *rows;
	struct arena a;
	int64_t *ids, *stds;
	int n = 0, cap = 0, cap2 = 0, i, rc;

	*copied = *skipped = 0;
	arena_init(&a);
	ids = arena_grow(&a, NULL, 0, &cap, sizeof(*ids));
	stds = arena_grow(&a, NULL, 0, &cap2, sizeof(*stds));
	rc = store_query(c, &q_copy_items, args, 3, &rows, e);
	if (rc)
		goto out;
	while ((rc = store_next(rows)) == 1) {
		ids = arena_grow(&a, ids, n, &cap, sizeof(*ids));
		stds = arena_grow(&a, stds, n, &cap2, sizeof(*stds));
		ids[n] = store_int(rows, 0);
		stds[n] = store_isnull(rows, 1) ? 0 : store_int(rows, 1);
		n++;
	}
	store_finish(rows);
	if (rc < 0) {
		rc = error_set(e, rc, NULL, NULL);
		goto out;
	}
	rc = 0;
	for (i = 0; !rc && i < n; i++) {
		struct material_item it;

		if (!stds[i]) {
			(*skipped)++;
			continue;
		}
		rc = material_get(c, tenant_id, NULL, ids[i], &a, &it, e);
		if (rc)
			break;
		it.framework_id = to;
		it.standard_id = stds[i];
		rc = material_insert(c, tenant_id, user_id, &it, e);
		if (rc == ERR_CONFLICT) { /* already there in the new version */
			(*skipped)++;
			rc = 0;
			error_init(e);
			continue;
		}
		if (!rc)
			rc = material_event_add(c, tenant_id, it.id, 0, "copy", user_id, 0, it.code,
			                        e);
		if (!rc)
			(*copied)++;
	}
out:
	arena_release(&a);
	return rc;
}

STORE_SQL(
    q_pkg_files,
    "SELECT i.id, v.number, f.id, f.original_name, f.storage, f.storage_key"
    " FROM material_items i JOIN material_versions v ON v.id = i.approved_version_id"
    " JOIN material_version_files vf ON vf.version_id = v.id JOIN files f ON f.id = vf.file_id"
    " WHERE i.tenant_id = ? AND i.framework_id = ? AND i.status = 'approved'"
    " ORDER BY i.sort, i.id, vf.sort");

int material_package_files(struct store_conn *c, int64_t tenant_id, int64_t framework_id,
                           struct arena *a, struct material_pkg_file **out, int *n, struct error *e)
{
	struct store_val args[2] = {sv_int(tenant_id), sv_int(framework_id)};
	struct store_rows *rows;
	int cap = 0, rc;

	*n = 0;
	*out = arena_grow(a, NULL, 0, &cap, sizeof(**out));
	rc = store_query(c, &q_pkg_files, args, 2, &rows, e);
	if (rc)
		return rc;
	while ((rc = store_next(rows)) == 1) {
		struct material_pkg_file *x;

		*out = arena_grow(a, *out, *n, &cap, sizeof(**out));
		x = &(*out)[(*n)++];
		x->item_id = store_int(rows, 0);
		x->version_number = store_int(rows, 1);
		x->file_id = store_int(rows, 2);
		x->name = arena_strdup(a, store_text(rows, 3));
		x->storage = arena_strdup(a, store_text(rows, 4));
		x->storage_key = arena_strdup(a, store_text(rows, 5));
	}
	store_finish(rows);
	return rc < 0 ? error_set(e, rc, NULL, NULL) : 0;
}

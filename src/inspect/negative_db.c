/*
 * negative_db.c - the 负面清单 of a framework version and the incidents an
 * office records against it (DESIGN.md "The evaluation framework").
 */
#include <stdlib.h>
#include <string.h>

#include "inspect/inspect.h"
#include "inspect/inspect_int.h"
#include "core/clock.h"
#include "org/org_db.h"
#include "store/store.h"

STORE_SQL(q_neg_items, "SELECT id, framework_id, code, title, deduction, veto, sort"
                       " FROM negative_items WHERE framework_id = ? ORDER BY sort, id");
STORE_SQL(q_neg_item_insert, "INSERT INTO negative_items (framework_id, code, title, deduction,"
                             " veto, sort) VALUES (?, ?, ?, ?, ?, ?) RETURNING id");

int negative_items_list(struct store_conn *c, int64_t framework_id, struct arena *a,
                        struct negative_item **out, int *n, struct error *e)
{
	struct store_val args[] = {sv_int(framework_id)};
	struct negative_item *list = NULL;
	struct store_rows *r;
	int cap = 0, rc;

	*out = NULL;
	*n = 0;
	if ((rc = store_query(c, &q_neg_items, args, 1, &r, e)))
		return rc;
	while ((rc = store_next(r)) > 0) {
		struct negative_item *it;

		list = arena_grow(a, list, *n, &cap, sizeof(*list));
		it = &list[(*n)++];
		it->id = store_int(r, 0);
		it->framework_id = store_int(r, 1);
		it->code = arena_strdup(a, store_text(r, 2));
		it->title = arena_strdup(a, store_text(r, 3));
		it->deduction = store_double(r, 4);
		it->veto = (int)store_int(r, 5);
		it->sort = store_int(r, 6);
	}
	store_finish(r);
	*out = list;
	return rc < 0 ? error_set(e, rc, NULL, NULL) : 0;
}

int negative_item_insert(struct store_conn *c, struct negative_item *it, struct error *e)
{
	struct store_val args[] = {sv_int(it->framework_id), sv_text(it->code), sv_text(it->title),
	                           sv_double(it->deduction), sv_int(it->veto),  sv_int(it->sort)};
	int rc = store_query_int(c, &q_neg_item_insert, args, 6, &it->id, e);

	if (rc == ERR_CONFLICT)
		return error_set(e, ERR_CONFLICT, "code", "负面清单编码“%s”重复", it->code);
	return rc;
}

json_t *negative_item_json(const struct negative_item *it)
{
	return json_pack("{s:I, s:s, s:s, s:f, s:b, s:I}", "id", (json_int_t)it->id, "code",
	                 it->code, "title", it->title, "deduction", it->deduction, "veto", it->veto,
	                 "sort", (json_int_t)it->sort);
}

/* ---- incidents ---------------------------------------------------------------- */

#define INC_COLS                                                                                   \
	"x.id, x.framework_id, COALESCE(x.item_id, 0), COALESCE(x.standard_id, 0),"                \
	" COALESCE(ni.code, ''), COALESCE(ni.title, ''), COALESCE(s.code, ''),"                    \
	" COALESCE(s.title, ''), x.occurred_on, x.place, x.description, x.deduction, x.veto,"      \
	" COALESCE(x.created_by, 0), COALESCE(u.name, ''), x.created_at, x.updated_at,"            \
	" (SELECT COUNT(*) FROM negative_incident_files f WHERE f.incident_id = x.id)"
#define INC_FROM                                                                                   \
	" FROM negative_incidents x LEFT JOIN negative_items ni ON ni.id = x.item_id"              \
	" LEFT JOIN indicators s ON s.id = x.standard_id LEFT JOIN users u ON u.id = x.created_by"

STORE_SQL(q_inc_list, "SELECT " INC_COLS INC_FROM " WHERE x.tenant_id = ? AND x.framework_id = ?"
                      " ORDER BY x.occurred_on DESC, x.id DESC");
STORE_SQL(q_inc_get, "SELECT " INC_COLS INC_FROM " WHERE x.tenant_id = ? AND x.id = ?");
STORE_SQL(q_inc_files, "SELECT file_id FROM negative_incident_files WHERE incident_id = ?"
                       " ORDER BY sort, file_id");
STORE_SQL(q_inc_insert,
          "INSERT INTO negative_incidents (tenant_id, framework_id, item_id, standard_id,"
          " occurred_on, place, description, deduction, veto, created_by, created_at,"
          " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
STORE_SQL(q_inc_update, "UPDATE negative_incidents SET item_id = ?, standard_id = ?,"
                        " occurred_on = ?, place = ?, description = ?, deduction = ?, veto = ?,"
                        " updated_at = ? WHERE tenant_id = ? AND id = ?");
STORE_SQL(q_inc_delete, "DELETE FROM negative_incidents WHERE tenant_id = ? AND id = ?");
STORE_SQL(q_inc_files_clear, "DELETE FROM negative_incident_files WHERE incident_id = ?");
STORE_SQL(q_inc_file_add, "INSERT INTO negative_incident_files (incident_id, file_id, sort)"
                          " VALUES (?, ?, ?)");
STORE_SQL(q_inc_totals, "SELECT COALESCE(SUM(deduction), 0), COALESCE(SUM(veto), 0), COUNT(*)"
                        " FROM negative_incidents WHERE tenant_id = ? AND framework_id = ?");

static void inc_read(struct store_rows *r, struct arena *a, struct negative_incident *x)
{
	memset(x, 0, sizeof(*x));
	x->id = store_int(r, 0);
	x->framework_id = store_int(r, 1);
	x->item_id = store_int(r, 2);
	x->standard_id = store_int(r, 3);
	x->item_code = arena_strdup(a, store_text(r, 4));
	x->item_title = arena_strdup(a, store_text(r, 5));
	x->standard_code = arena_strdup(a, store_text(r, 6));
	x->standard_title = arena_strdup(a, store_text(r, 7));
	x->occurred_on = arena_strdup(a, store_text(r, 8));
	x->place = arena_strdup(a, store_text(r, 9));
	x->description = arena_strdup(a, store_text(r, 10));
	x->deduction = store_double(r, 11);
	x->veto = (int)store_int(r, 12);
	x->created_by = store_int(r, 13);
	x->created_by_name = arena_strdup(a, store_text(r, 14));
	x->created_at = store_int(r, 15);
	x->updated_at = store_int(r, 16);
	x->nfiles = (int)store_int(r, 17);
}

static int inc_files(struct store_conn *c, struct negative_incident *x, struct error *e)
{
	struct store_val args[] = {sv_int(x->id)};
	struct store_rows *r;
	int rc;

	x->nfiles = 0;
	if ((rc = store_query(c, &q_inc_files, args, 1, &r, e)))
		return rc;
	while ((rc = store_next(r)) > 0)
		if (x->nfiles < NEG_MAX_FILES)
			x->files[x->nfiles++] = store_int(r, 0);
	store_finish(r);
	return rc < 0 ? error_set(e, rc, NULL, NULL) : 0;
}

int negative_incident_list(struct store_conn *c, int64_t tenant_id, int64_t framework_id,
                           struct arena *a, struct negative_incident **out, int *n, struct error *e)
{
	struct store_val args[] = {sv_int(tenant_id), sv_int(framework_id)};
	struct negative_incident *list = NULL;
	struct store_rows *r;
	int cap = 0, rc, i;

	*out = NULL;
	*n = 0;
	if ((rc = store_query(c, &q_inc_list, args, 2, &r, e)))
		return rc;
	while ((rc = store_next(r)) > 0) {
		list = arena_grow(a, list, *n, &cap, sizeof(*list));
		inc_read(r, a, &list[(*n)++]);
	}
	store_finish(r);
	if (rc < 0)
		return error_set(e, rc, NULL, NULL);
	for (i = 0; i < *n; i++)
		if (list[i].nfiles && (rc = inc_files(c, &list[i], e)))
			return rc;
	*out = list;
	return 0;
}

int negative_incident_get(struct store_conn *c, int64_t tenant_id, int64_t id, struct arena *a,
                          struct negative_incident *out, struct error *e)
{
	struct store_val args[] = {sv_int(tenant_id), sv_int(id)};
	struct store_rows *r;
	int rc;

	if ((rc = store_query(c, &q_inc_get, args, 2, &r, e)))
		return rc;
	rc = store_next(r);
	if (rc > 0)
		inc_read(r, a, out);
	store_finish(r);
	if (rc < 0)
		return error_set(e, rc, NULL, NULL);
	if (!rc)
		return error_set(e, ERR_NOT_FOUND, NULL, "负面清单事件不存在");
	return inc_files(c, out, e);
}

static int inc_set_files(struct store_conn *c, const struct negative_incident *x, struct error *e)
{
	struct store_val one[] = {sv_int(x->id)};
	int rc = store_exec(c, &q_inc_files_clear, one, 1, NULL, e), i;

	for (i = 0; !rc && i < x->nfiles; i++) {
		struct store_val args[] = {sv_int(x->id), sv_int(x->files[i]), sv_int(i)};

		rc = store_exec(c, &q_inc_file_add, args, 3, NULL, e);
	}
	return rc;
}

int negative_incident_insert(struct store_conn *c, int64_t tenant_id, struct negative_incident *x,
                             struct error *e)
{
	int64_t now = time_now_ms();
	struct store_val args[] = {
	    sv_int(tenant_id),
	    sv_int(x->framework_id),
	    x->item_id ? sv_int(x->item_id) : sv_null(),
	    x->standard_id ? sv_int(x->standard_id) : sv_null(),
	    sv_text(x->occurred_on),
	    sv_text(x->place),
	    sv_text(x->description),
	    sv_double(x->deduction),
	    sv_int(x->veto),
	    x->created_by ? sv_int(x->created_by) : sv_null(),
	    sv_int(now),
	    sv_int(now),
	};
	int rc = store_query_int(c, &q_inc_insert, args, 12, &x->id, e);

	return rc ? rc : inc_set_files(c, x, e);
}

int negative_incident_update(struct store_conn *c, int64_t tenant_id,
                             const struct negative_incident *x, struct error *e)
{
	struct store_val args[] = {
	    x->item_id ? sv_int(x->item_id) : sv_null(),
	    x->standard_id ? sv_int(x->standard_id) : sv_null(),
	    sv_text(x->occurred_on),
	    sv_text(x->place),
	    sv_text(x->description),
	    sv_double(x->deduction),
	    sv_int(x->veto),
	    sv_int(time_now_ms()),
	    sv_int(tenant_id),
	    sv_int(x->id),
	};
	int rc = store_exec(c, &q_inc_update, args, 10, NULL, e);

	return rc ? rc : inc_set_files(c, x, e);
}

int negative_incident_delete(struct store_conn *c, int64_t tenant_id, int64_t id, struct error *e)
{
	struct store_val args[] = {sv_int(tenant_id), sv_int(id)};

	return store_exec(c, &q_inc_delete, args, 2, NULL, e);
}

json_t *negative_incident_json(const struct negative_incident *x)
{
	json_t *files = json_array();
	int i;

	for (i = 0; i < x->nfiles; i++)
		json_array_append_new(files, json_integer(x->files[i]));
	return json_pack("{s:I, s:I, s:o, s:s, s:s, s:o, s:s, s:s, s:s, s:s, s:s, s:f, s:b, s:o,"
	                 " s:s, s:I, s:I}",
	                 "id", (json_int_t)x->id, "framework_id", (json_int_t)x->framework_id,
	                 "item_id", x->item_id ? json_integer(x->item_id) : json_null(),
	                 "item_code", x->item_code, "item_title", x->item_title, "standard_id",
	                 x->standard_id ? json_integer(x->standard_id) : json_null(),
	                 "standard_code", x->standard_code, "standard_title", x->standard_title,
	                 "occurred_on", x->occurred_on, "place", x->place, "description",
	                 x->description, "deduction", x->deduction, "veto", x->veto, "file_ids",
	                 files, "created_by_name", x->created_by_name, "created_at",
	                 (json_int_t)x->created_at, "updated_at", (json_int_t)x->updated_at);
}

int negative_totals(struct store_conn *c, int64_t tenant_id, int64_t framework_id,
                    double *deduction, int *vetoes, int *incidents, struct error *e)
{
	struct store_val args[] = {sv_int(tenant_id), sv_int(framework_id)};
	struct store_rows *r;
	int rc;

	*deduction = 0;
	*vetoes = *incidents = 0;
	if ((rc = store_query(c, &q_inc_totals, args, 2, &r, e)))
		return rc;
	if ((rc = store_next(r)) > 0) {
		*deduction = store_double(r, 0);
		*vetoes = (int)store_int(r, 1);
		*incidents = (int)store_int(r, 2);
	}
	store_finish(r);
	return rc < 0 ? error_set(e, rc, NULL, NULL) : 0;
}

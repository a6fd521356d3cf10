/* round_db.c - inspection rounds, their inspectors and points in the store. */
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "core/clock.h"
#include "inspect/inspect.h"
#include "inspect/inspect_int.h"
#include "store/store.h"

static const struct {
	const char *key, *title;
} kinds[] = {
    {"daily", "日常督查"}, {"covert", "暗访"}, {"mock", "模拟测评"}, {"special", "专项督查"}};

const char *round_kind_title(const char *kind)
{
	size_t i;

	for (i = 0; kind && i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(kinds[i].key, kind))
			return kinds[i].title;
	return NULL;
}

#define ROUND_COLS                                                                                 \
	"i.id, i.framework_id, f.name, i.title, i.kind, i.status, i.starts_on, i.ends_on, i.note," \
	" i.mode, i.per_type, i.seed, i.point_type_ids, COALESCE(i.created_by, 0), i.created_at,"  \
	" i.updated_at, COALESCE(i.closed_at, 0)"
#define ROUND_FROM " FROM inspections i JOIN frameworks f ON f.id = i.framework_id"
/* all, inspector of the round, then ROUND_POINT_SCOPE's four values */
#define ROUND_VISIBLE                                                                              \
	"(? = 1 OR EXISTS (SELECT 1 FROM inspection_inspectors ii WHERE ii.inspection_id = i.id"   \
	" AND ii.user_id = ?) OR EXISTS (SELECT 1 FROM inspection_points ip"                       \
	" JOIN points p ON p.id = ip.point_id WHERE ip.inspection_id = i.id "                      \
	"AND " ROUND_POINT_SCOPE "))"
#define ROUND_WHERE                                                                                \
	ROUND_FROM                                                                                 \
	" WHERE i.tenant_id = ? AND " ROUND_VISIBLE                                                \
	" AND (? = '' OR i.title LIKE ? ESCAPE '\\') AND (? = '' OR i.kind = ?)"                   \
	" AND (? = '' OR i.status = ?) AND (CAST(? AS BIGINT) = 0 OR i.framework_id = ?)"

STORE_SQL(q_round_count, "SELECT COUNT(*)" ROUND_WHERE);
STORE_SQL(q_round_page, "SELECT " ROUND_COLS ROUND_WHERE " ORDER BY i.id DESC LIMIT ? OFFSET ?");
STORE_SQL(q_round_get, "SELECT " ROUND_COLS ROUND_FROM " WHERE i.tenant_id = ? AND i.id = ?"
                       " AND " ROUND_VISIBLE);
STORE_SQL(q_round_insert,
          "INSERT INTO inspections (tenant_id, framework_id, title, kind, status, starts_on,"
          " ends_on, note, mode, per_type, seed, point_type_ids, created_by, created_at,"
          " updated_at) VALUES (?, ?, ?, ?, 'open', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
STORE_SQL(q_round_update, "UPDATE inspections SET title = ?, starts_on = ?, ends_on = ?,"
                          " note = ?, updated_at = ? WHERE id = ?");
STORE_SQL(q_round_status, "UPDATE inspections SET status = ?, closed_at = ?, updated_at = ?"
                          " WHERE id = ?");
STORE_SQL(q_round_records, "SELECT COUNT(*) FROM inspection_records WHERE inspection_id = ?");
STORE_SQL(q_round_delete, "DELETE FROM inspections WHERE id = ?");
STORE_SQL(q_round_add_inspector, "INSERT INTO inspection_inspectors (inspection_id, user_id,"
                                 " sort) VALUES (?, ?, ?)");
STORE_SQL(q_round_add_point, "INSERT INTO inspection_points (inspection_id, point_id,"
                             " inspector_id, sort) VALUES (?, ?, ?, ?)");
STORE_SQL(q_round_assign, "UPDATE inspection_points SET inspector_id = ?"
                          " WHERE inspection_id = ? AND point_id = ?");

static void round_read(struct store_rows *r, struct arena *a, struct round *x)
{
	memset(x, 0, sizeof(*x));
	x->id = store_int(r, 0);
	x->framework_id = store_int(r, 1);
	x->framework_name = arena_strdup(a, store_text(r, 2));
	x->title = arena_strdup(a, store_text(r, 3));
	x->kind = arena_strdup(a, store_text(r, 4));
	x->status = arena_strdup(a, store_text(r, 5));
	x->starts_on = arena_strdup(a, store_text(r, 6));
	x->ends_on = arena_strdup(a, store_text(r, 7));
	x->note = arena_strdup(a, store_text(r, 8));
	x->mode = arena_strdup(a, store_text(r, 9));
	x->per_type = store_int(r, 10);
	x->seed = store_int(r, 11);
	x->point_type_ids = arena_strdup(a, store_text(r, 12));
	x->created_by = store_int(r, 13);
	x->created_at = store_int(r, 14);
	x->updated_at = store_int(r, 15);
	x->closed_at = store_int(r, 16);
}

/* The six values of ROUND_VISIBLE into out. */
static void visible_args(const struct scope *s, struct store_val *out)
{
	out[0] = sv_int(s && !s->all ? 0 : 1);
	out[1] = sv_int(s && s->self_user_id ? s->self_user_id : -1);
	round_scope_args(s, out + 2);
	out[2] = sv_int(0); /* the outer test already covers "all" */
}

int round_list(struct store_conn *c, int64_t tenant_id, const struct round_filter *f,
               struct arena *a, struct round **out, int *n, int64_t *total, struct error *e)
{
	const char *kw = f->keyword ? f->keyword : "", *kind = f->kind ? f->kind : "",
	           *st = f->status ? f->status : "";
	struct store_val args[20];
	struct round *list = NULL;
	struct store_rows *r;
	int k = 0, cap = 0, rc;

	*out = NULL;
	*n = 0;
	args[k++] = sv_int(tenant_id);
	visible_args(f->scope, args + k);
	k += 6;
	args[k++] = sv_text(kw);
	args[k++] = sv_text(store_like_pattern(a, kw, 1));
	args[k++] = sv_text(kind);
	args[k++] = sv_text(kind);
	args[k++] = sv_text(st);
	args[k++] = sv_text(st);
	args[k++] = sv_int(f->framework_id);
	args[k++] = sv_int(f->framework_id);
	if ((rc = store_query_int(c, &q_round_count, args, k, total, e)))
		return rc;
	args[k++] = sv_int(f->limit > 0 ? f->limit : INT32_MAX);
	args[k++] = sv_int(f->offset);
	if ((rc = store_query(c, &q_round_page, args, k, &r, e)))
		return rc;
	while ((rc = store_next(r)) > 0) {
		list = arena_grow(a, list, *n, &cap, sizeof(*list));
		round_read(r, a, &list[(*n)++]);
	}
	store_finish(r);
	*out = list;
	return rc < 0 ? error_set(e, rc, NULL, NULL) : 0;
}

int round_get(struct store_conn *c, int64_t tenant_id, const struct scope *s, int64_t id,
              struct arena *a, struct round *out, struct error *e)
{
	struct store_val args[8];
	struct store_rows *r;
	int rc;

	args[0] = sv_int(tenant_id);
	args[1] = sv_int(id);
	visible_args(s, args + 2);
	if ((rc = store_query_one(c, &q_round_get, args, 8, &r, "测评轮次不存在", e)))
		return rc;
	round_read(r, a, out);
	store_finish(r);
	return 0;
}

int round_insert(struct store_conn *c, int64_t tenant_id, struct round *x, struct error *e)
{
	int64_t now = time_now_ms();
	struct store_val args[] = {
	    sv_int(tenant_id),
	    sv_int(x->framework_id),
	    sv_text(x->title),
	    sv_text(x->kind),
	    sv_text(x->starts_on),
	    sv_text(x->ends_on),
	    sv_text(x->note),
	    sv_text(x->mode),
	    sv_int(x->per_type),
	    sv_int(x->seed),
	    sv_text(x->point_type_ids),
	    x->created_by ? sv_int(x->created_by) : sv_null(),
	    sv_int(now),
	    sv_int(now),
	};

	return store_query_int(c, &q_round_insert, args, 14, &x->id, e);
}

int round_update(struct store_conn *c, const struct round *x, struct error *e)
{
	struct store_val args[] = {sv_text(x->title), sv_text(x->starts_on), sv_text(x->ends_on),
	                           sv_text(x->note),  sv_int(time_now_ms()), sv_int(x->id)};

	return store_exec(c, &q_round_update, args, 6, NULL, e);
}

int round_set_status(struct store_conn *c, int64_t id, const char *status, int64_t now,
                     struct error *e)
{
	struct store_val args[] = {sv_text(status),
	                           strcmp(status, "closed") ? sv_null() : sv_int(now), sv_int(now),
	                           sv_int(id)};

	return store_exec(c, &q_round_status, args, 4, NULL, e);
}

int round_delete(struct store_conn *c, int64_t id, struct error *e)
{
	struct store_val args[] = {sv_int(id)};
	int64_t n = 0;
	int rc = store_query_int(c, &q_round_records, args, 1, &n, e);

	if (rc)
		return rc;
	if (n)
		return error_set(e, ERR_CONFLICT, NULL, "测评轮次已有测评记录，不能删除");
	return store_exec(c, &q_round_delete, args, 1, NULL, e);
}

int round_add_inspector(struct store_conn *c, int64_t round_id, int64_t user_id, int sort,
                        struct error *e)
{
	struct store_val args[] = {sv_int(round_id), sv_int(user_id), sv_int(sort)};

	return store_exec(c, &q_round_add_inspector, args, 3, NULL, e);
}

int round_add_point(struct store_conn *c, int64_t round_id, int64_t point_id, int64_t inspector_id,
                    int sort, struct error *e)
{
	struct store_val args[] = {sv_int(round_id), sv_int(point_id),
	                           inspector_id ? sv_int(inspector_id) : sv_null(), sv_int(sort)};

	return store_exec(c, &q_round_add_point, args, 4, NULL, e);
}

int round_assign_point(struct store_conn *c, int64_t round_id, int64_t point_id,
                       int64_t inspector_id, struct error *e)
{
	struct store_val args[] = {sv_int(inspector_id), sv_int(round_id), sv_int(point_id)};

	return store_exec(c, &q_round_assign, args, 3, NULL, e);
}

/* ---- the points of a round ------------------------------------------------------ */

#define RP_COLS                                                                                    \
	"p.id, p.code, p.name, p.type_id, t.name, t.code, COALESCE(p.grid_id, 0),"                 \
	" COALESCE(g.name, ''), COALESCE(g.code, ''), COALESCE(p.unit_id, 0), COALESCE(u.name, "   \
	"''),"                                                                                     \
	" p.lat, p.lng, p.address, COALESCE(ip.inspector_id, 0), COALESCE(us.name, ''),"           \
	" COALESCE(rec.id, 0), ip.sort"
#define RP_WHERE                                                                                   \
	" FROM inspection_points ip JOIN points p ON p.id = ip.point_id"                           \
	" JOIN point_types t ON t.id = p.type_id LEFT JOIN grids g ON g.id = p.grid_id"            \
	" LEFT JOIN units u ON u.id = p.unit_id LEFT JOIN users us ON us.id = ip.inspector_id"     \
	" LEFT JOIN inspection_records rec ON rec.inspection_id = ip.inspection_id"                \
	" AND rec.point_id = ip.point_id"                                                          \
	" WHERE ip.inspection_id = ? AND " ROUND_POINT_SCOPE                                       \
	" AND (CAST(? AS BIGINT) = 0 OR ip.inspector_id = ?)"                                      \
	" AND (CAST(? AS BIGINT) = 0 OR p.type_id = ?) AND (CAST(? AS BIGINT) = 0 OR p.grid_id = " \
	"?)"                                                                                       \
	" AND (CAST(? AS BIGINT) = 0 OR p.id = ?)"                                                 \
	" AND (? < 0 OR (? = 1 AND rec.id IS NOT NULL) OR (? = 0 AND rec.id IS NULL))"             \
	" AND (? = '' OR p.code LIKE ? ESCAPE '\\' OR p.name LIKE ? ESCAPE '\\')"

STORE_SQL(q_rp_count, "SELECT COUNT(*)" RP_WHERE);
STORE_SQL(q_rp_page, "SELECT " RP_COLS RP_WHERE " ORDER BY ip.sort, p.id LIMIT ? OFFSET ?");

int round_points(struct store_conn *c, int64_t round_id, const struct round_point_filter *f,
                 struct arena *a, struct round_point **out, int *n, int64_t *total, struct error *e)
{
	const char *kw = f->keyword ? f->keyword : "", *like = store_like_pattern(a, kw, 1);
	struct store_val args[24];
	struct round_point *list = NULL;
	struct store_rows *r;
	int k = 0, cap = 0, rc;

	*out = NULL;
	*n = 0;
	args[k++] = sv_int(round_id);
	round_scope_args(f->scope, args + k);
	k += 4;
	args[k++] = sv_int(f->inspector_id);
	args[k++] = sv_int(f->inspector_id);
	args[k++] = sv_int(f->type_id);
	args[k++] = sv_int(f->type_id);
	args[k++] = sv_int(f->grid_id);
	args[k++] = sv_int(f->grid_id);
	args[k++] = sv_int(f->point_id);
	args[k++] = sv_int(f->point_id);
	args[k++] = sv_int(f->done);
	args[k++] = sv_int(f->done);
	args[k++] = sv_int(f->done);
	args[k++] = sv_text(kw);
	args[k++] = sv_text(like);
	args[k++] = sv_text(like);
	if ((rc = store_query_int(c, &q_rp_count, args, k, total, e)))
		return rc;
	args[k++] = sv_int(f->limit > 0 ? f->limit : INT32_MAX);
	args[k++] = sv_int(f->offset);
	if ((rc = store_query(c, &q_rp_page, args, k, &r, e)))
		return rc;
	while ((rc = store_next(r)) > 0) {
		struct round_point *p;

		list = arena_grow(a, list, *n, &cap, sizeof(*list));
		p = &list[(*n)++];
		p->point_id = store_int(r, 0);
		p->code = arena_strdup(a, store_text(r, 1));
		p->name = arena_strdup(a, store_text(r, 2));
		p->type_id = store_int(r, 3);
		p->type_name = arena_strdup(a, store_text(r, 4));
		p->type_code = arena_strdup(a, store_text(r, 5));
		p->grid_id = store_int(r, 6);
		p->grid_name = arena_strdup(a, store_text(r, 7));
		p->grid_code = arena_strdup(a, store_text(r, 8));
		p->unit_id = store_int(r, 9);
		p->unit_name = arena_strdup(a, store_text(r, 10));
		p->has_location = !store_isnull(r, 11) && !store_isnull(r, 12);
		p->lat = p->has_location ? store_double(r, 11) : 0;
		p->lng = p->has_location ? store_double(r, 12) : 0;
		p->address = arena_strdup(a, store_text(r, 13));
		p->inspector_id = store_int(r, 14);
		p->inspector_name = arena_strdup(a, store_text(r, 15));
		p->record_id = store_int(r, 16);
		p->sort = store_int(r, 17);
	}
	store_finish(r);
	*out = list;
	return rc < 0 ? error_set(e, rc, NULL, NULL) : 0;
}

json_t *round_point_json(const struct round_point *p)
{
	return json_pack(
	    "{s:I, s:s, s:s, s:I, s:s, s:o, s:s, s:o, s:s, s:o, s:o, s:s, s:o, s:s,"
	    " s:o, s:b, s:I}",
	    "point_id", (json_int_t)p->point_id, "code", p->code, "name", p->name, "type_id",
	    (json_int_t)p->type_id, "type_name", p->type_name, "grid_id",
	    p->grid_id ? json_integer(p->grid_id) : json_null(), "grid_name", p->grid_name,
	    "unit_id", p->unit_id ? json_integer(p->unit_id) : json_null(), "unit_name",
	    p->unit_name, "lat", p->has_location ? json_real(p->lat) : json_null(), "lng",
	    p->has_location ? json_real(p->lng) : json_null(), "address", p->address,
	    "inspector_id", p->inspector_id ? json_integer(p->inspector_id) : json_null(),
	    "inspector_name", p->inspector_name, "record_id",
	    p->record_id ? json_integer(p->record_id) : json_null(), "done", p->record_id != 0,
	    "sort", (json_int_t)p->sort);
}

#define RP_SCOPED                                                                                  \
	" FROM inspection_points ip JOIN points p ON p.id = ip.point_id"                           \
	" WHERE ip.inspection_id = ? AND " ROUND_POINT_SCOPE
#define RP_DONE                                                                                    \
	" AND EXISTS (SELECT 1 FROM inspection_records rec WHERE rec.inspection_id = "             \
	"ip.inspection_id"                                                                         \
	" AND rec.point_id = ip.point_id)"

STORE_SQL(q_rp_total, "SELECT COUNT(*)" RP_SCOPED);
STORE_SQL(q_rp_done, "SELECT COUNT(*)" RP_SCOPED RP_DONE);
STORE_SQL(q_inspectors, "SELECT u.id, u.name, u.username,"
                        " (SELECT COUNT(*)" RP_SCOPED " AND ip.inspector_id = u.id),"
                        " (SELECT COUNT(*)" RP_SCOPED " AND ip.inspector_id = u.id" RP_DONE ")"
                        " FROM inspection_inspectors ii JOIN users u ON u.id = ii.user_id"
                        " WHERE ii.inspection_id = ? ORDER BY ii.sort, u.id");

int round_progress(struct store_conn *c, int64_t round_id, const struct scope *s, int64_t *done,
                   int64_t *total, struct error *e)
{
	struct store_val args[5];
	int rc;

	args[0] = sv_int(round_id);
	round_scope_args(s, args + 1);
	rc = store_query_int(c, &q_rp_total, args, 5, total, e);
	return rc ? rc : store_query_int(c, &q_rp_done, args, 5, done, e);
}

int round_inspectors(struct store_conn *c, int64_t round_id, const struct scope *s, struct arena *a,
                     struct round_inspector **out, int *n, struct error *e)
{
	struct store_val args[11];
	struct round_inspector *list = NULL;
	struct store_rows *r;
	int cap = 0, rc;

	*out = NULL;
	*n = 0;
	args[0] = sv_int(round_id);
	round_scope_args(s, args + 1);
	args[5] = sv_int(round_id);
	round_scope_args(s, args + 6);
	args[10] = sv_int(round_id);
	if ((rc = store_query(c, &q_inspectors, args, 11, &r, e)))
		return rc;
	while ((rc = store_next(r)) > 0) {
		list = arena_grow(a, list, *n, &cap, sizeof(*list));
		list[*n].id = store_int(r, 0);
		list[*n].name = arena_strdup(a, store_text(r, 1));
		list[*n].username = arena_strdup(a, store_text(r, 2));
		list[*n].total = store_int(r, 3);
		list[*n].done = store_int(r, 4);
		(*n)++;
	}
	store_finish(r);
	*out = list;
	return rc < 0 ? error_set(e, rc, NULL, NULL) : 0;
}

json_t *round_json(const struct round *x, const struct round_inspector *ins, int nins, int64_t done,
                   int64_t total)
{
	json_t *inspectors = json_array(), *types = json_loads(x->point_type_ids, 0, NULL);
	int i;

	for (i = 0; i < nins; i++)
		json_array_append_new(
		    inspectors,
		    json_pack("{s:I, s:s, s:s, s:I, s:I}", "id", (json_int_t)ins[i].id, "name",
		              ins[i].name, "username", ins[i].username, "done",
		              (json_int_t)ins[i].done, "total", (json_int_t)ins[i].total));
	return json_pack(
	    "{s:I, s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:s, s:{s:s, s:I, s:I, s:o}, s:o,"
	    " s:{s:I, s:I}, s:o, s:I, s:I, s:o}",
	    "id", (json_int_t)x->id, "title", x->title, "kind", x->kind, "kind_title",
	    round_kind_title(x->kind) ? round_kind_title(x->kind) : x->kind, "status", x->status,
	    "framework_id", (json_int_t)x->framework_id, "framework_name", x->framework_name,
	    "starts_on", x->starts_on, "ends_on", x->ends_on, "note", x->note, "selection", "mode",
	    x->mode, "per_type", (json_int_t)x->per_type, "seed", (json_int_t)x->seed,
	    "point_type_ids", types ? types : json_array(), "inspectors", inspectors, "progress",
	    "done", (json_int_t)done, "total", (json_int_t)total, "created_by",
	    x->created_by ? json_integer(x->created_by) : json_null(), "created_at",
	    (json_int_t)x->created_at, "updated_at", (json_int_t)x->updated_at, "closed_at",
	    x->closed_at ? json_integer(x->closed_at) : json_null());
}

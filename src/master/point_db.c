/* point_db.c - point types and points in the store. */
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "master/master.h"
#include "store/store.h"

/* ---- point types ---------------------------------------------------------- */

#define TYPE_COLS                                                                                  \
	"t.id, t.code, t.name, t.sort, t.enabled, t.created_at, t.updated_at,"                     \
	" (SELECT COUNT(*) FROM points p WHERE p.type_id = t.id)"
#define TYPE_WHERE                                                                                 \
	" FROM point_types t WHERE t.tenant_id = ?"                                                \
	" AND (? = '' OR t.code LIKE ? ESCAPE '\\' OR t.name LIKE ? ESCAPE '\\')"                  \
	" AND (? < 0 OR t.enabled = ?)"

STORE_SQL(q_type_list, "SELECT " TYPE_COLS TYPE_WHERE " ORDER BY t.sort, t.id LIMIT ? OFFSET ?");
STORE_SQL(q_type_count, "SELECT COUNT(*)" TYPE_WHERE);
STORE_SQL(q_type_get, "SELECT " TYPE_COLS " FROM point_types t WHERE t.tenant_id = ? AND t.id = ?");
STORE_SQL(q_type_insert, "INSERT INTO point_types (tenant_id, code, name, sort, enabled,"
                         " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id");
STORE_SQL(q_type_update, "UPDATE point_types SET code = ?, name = ?, sort = ?, enabled = ?,"
                         " updated_at = ? WHERE tenant_id = ? AND id = ?");
STORE_SQL(q_type_points, "SELECT COUNT(*) FROM points WHERE tenant_id = ? AND type_id = ?");
STORE_SQL(q_type_delete, "DELETE FROM point_types WHERE tenant_id = ? AND id = ?");

static void type_read(struct store_rows *r, struct arena *a, struct point_type *t)
{
	t->id = store_int(r, 0);
	t->code = arena_strdup(a, store_text(r, 1));
	t->name = arena_strdup(a, store_text(r, 2));
	t->sort = store_int(r, 3);
	t->enabled = (int)store_int(r, 4);
	t->created_at = store_int(r, 5);
	t->updated_at = store_int(r, 6);
	t->point_count = store_int(r, 7);
}

int point_type_list(struct store_conn *c, int64_t tenant_id, const struct type_filter *f,
                    struct arena *a, struct point_type **out, int *n, int64_t *total,
                    struct error *e)
{
	const char *kw = f->keyword ? f->keyword : "";
	const char *like = store_like_pattern(a, kw, 1);
	struct store_val args[] = {
	    sv_int(tenant_id),
	    sv_text(kw),
	    sv_text(like),
	    sv_text(like),
	    sv_int(f->enabled),
	    sv_int(f->enabled),
	    sv_int(f->limit > 0 ? f->limit : INT32_MAX),
	    sv_int(f->offset),
	};
	struct store_rows *r;
	struct point_type *list = NULL;
	int cap = 0, rc;

	*out = NULL;
	*n = 0;
	if ((rc = store_query_int(c, &q_type_count, args, 6, total, e)) ||
	    (rc = store_query(c, &q_type_list, args, 8, &r, e)))
		return rc;
	while ((rc = store_next(r)) > 0) {
		list = arena_grow(a, list, *n, &cap, sizeof(*list));
		type_read(r, a, &list[(*n)++]);
	}
	store_finish(r);
	if (rc < 0)
		return error_set(e, rc, NULL, NULL);
	*out = list;
	return 0;
}

int point_type_get(struct store_conn *c, int64_t tenant_id, int64_t id, struct arena *a,
                   struct point_type *out, struct error *e)
{
	struct store_val args[] = {sv_int(tenant_id), sv_int(id)};
	struct store_rows *r;
	int rc = store_query_one(c, &q_type_get, args, 2, &r, "点位类型不存在", e);

	if (rc)
		return rc;
	type_read(r, a, out);
	store_finish(r);
	return 0;
}

json_t *point_type_json(const struct point_type *t)
{
	return json_pack("{s:I, s:s, s:s, s:I, s:b, s:I, s:I, s:I}", "id", (json_int_t)t->id,
	                 "code", t->code, "name", t->name, "sort", (json_int_t)t->sort, "enabled",
	                 t->enabled, "point_count", (json_int_t)t->point_count, "created_at",
	                 (json_int_t)t->created_at, "updated_at", (json_int_t)t->updated_at);
}

static int type_conflict(int rc, const struct point_type *t, struct error *e)
{
	if (rc == ERR_CONFLICT)
		return error_set(e, ERR_CONFLICT, "code", "点位类型编码“%s”或名称“%s”已被使用",
		                 t->code, t->name);
	return rc;
}

int point_type_insert(struct store_conn *c, int64_t tenant_id, struct point_type *t,
                      struct error *e)
{
	int64_t now = time_now_ms();
	struct store_val args[] = {sv_int(tenant_id), sv_text(t->code),   sv_text(t->name),
	                           sv_int(t->sort),   sv_int(t->enabled), sv_int(now),
	                           sv_int(now)};

	t->created_at = t->updated_at = now;
	return type_conflict(store_query_int(c, &q_type_insert, args, 7, &t->id, e), t, e);
}

int point_type_update(struct store_conn *c, int64_t tenant_id, const struct point_type *t,
                      struct error *e)
{
	struct store_val args[] = {sv_text(t->code),   sv_text(t->name),      sv_int(t->sort),
	                           sv_int(t->enabled), sv_int(time_now_ms()), sv_int(tenant_id),
	                           sv_int(t->id)};
	int64_t changes = 0;
	int rc = store_exec(c, &q_type_update, args, 7, &changes, e);

	if (rc == 0 && changes == 0)
		return error_set(e, ERR_NOT_FOUND, NULL, "点位类型不存在");
	return type_conflict(rc, t, e);
}

int point_type_delete(struct store_conn *c, int64_t tenant_id, int64_t id, struct error *e)
{
	struct store_val args[] = {sv_int(tenant_id), sv_int(id)};
	int64_t points = 0, changes = 0;
	int rc = store_query_int(c, &q_type_points, args, 2, &points, e);

	if (rc)
		return rc;
	if (points)
		return error_set(e, ERR_CONFLICT, NULL,
		                 "还有 %lld 个点位属于该类型，请先删除或改掉这些点位",
		                 (long long)points);
	rc = store_exec(c, &q_type_delete, args, 2, &changes, e);
	if (rc == ERR_CONFLICT)
		return error_set(e, ERR_CONFLICT, NULL,
		                 "该类型仍被其他数据引用，不能删除，可改为停用");
	if (rc == 0 && changes == 0)
		return error_set(e, ERR_NOT_FOUND, NULL, "点位类型不存在");
	return rc;
}

/* ---- points ------------------------------------------------------------------ */

#define POINT_COLS                                                                                 \
	"p.id, p.type_id, t.name, p.code, p.name, p.lat, p.lng, p.address,"                        \
	" COALESCE(p.grid_id, 0), COALESCE(g.name, ''), COALESCE(p.unit_id, 0),"                   \
	" COALESCE(u.name, ''), p.person, p.phone, p.enabled, p.created_at, p.updated_at"          \
	" FROM points p JOIN point_types t ON t.id = p.type_id"                                    \
	" LEFT JOIN grids g ON g.id = p.grid_id LEFT JOIN units u ON u.id = p.unit_id"             \
	" WHERE p.tenant_id = ?"
#define POINT_WHERE                                                                                \
	" AND (? = '' OR p.code LIKE ? ESCAPE '\\' OR p.name LIKE ? ESCAPE '\\'"                   \
	" OR p.address LIKE ? ESCAPE '\\') AND (? = 0 OR p.type_id = ?)"                           \
	" AND (? = 0 OR p.grid_id = ?) AND (? = 0 OR p.unit_id = ?) AND (? < 0 OR p.enabled = ?)"

STORE_SQL(q_point_list, "SELECT " POINT_COLS POINT_WHERE " ORDER BY p.id LIMIT ? OFFSET ?");
STORE_SQL(q_point_count, "SELECT COUNT(*) FROM points p WHERE p.tenant_id = ?" POINT_WHERE);
STORE_SQL(q_point_get, "SELECT " POINT_COLS " AND p.id = ?");
STORE_SQL(q_point_map, "SELECT " POINT_COLS " AND p.enabled = 1 AND p.lat BETWEEN ? AND ?"
                       " AND p.lng BETWEEN ? AND ? ORDER BY p.id LIMIT ?");
STORE_SQL(q_point_insert,
          "INSERT INTO points (tenant_id, type_id, code, name, lat, lng, address, grid_id,"
          " unit_id, person, phone, enabled, created_at, updated_at)"
          " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
STORE_SQL(q_point_update,
          "UPDATE points SET type_id = ?, code = ?, name = ?, lat = ?, lng = ?, address = ?,"
          " grid_id = ?, unit_id = ?, person = ?, phone = ?, enabled = ?, updated_at = ?"
          " WHERE tenant_id = ? AND id = ?");
STORE_SQL(q_point_delete, "DELETE FROM points WHERE tenant_id = ? AND id = ?");

static void point_read(struct store_rows *r, struct arena *a, struct point *p)
{
	p->id = store_int(r, 0);
	p->type_id = store_int(r, 1);
	p->type_name = arena_strdup(a, store_text(r, 2));
	p->code = arena_strdup(a, store_text(r, 3));
	p->name = arena_strdup(a, store_text(r, 4));
	p->has_location = !store_isnull(r, 5) && !store_isnull(r, 6);
	p->lat = p->has_location ? store_double(r, 5) : 0;
	p->lng = p->has_location ? store_double(r, 6) : 0;
	p->address = arena_strdup(a, store_text(r, 7));
	p->grid_id = store_int(r, 8);
	p->grid_name = arena_strdup(a, store_text(r, 9));
	p->unit_id = store_int(r, 10);
	p->unit_name = arena_strdup(a, store_text(r, 11));
	p->person = arena_strdup(a, store_text(r, 12));
	p->phone = arena_strdup(a, store_text(r, 13));
	p->enabled = (int)store_int(r, 14);
	p->created_at = store_int(r, 15);
	p->updated_at = store_int(r, 16);
}

int point_list(struct store_conn *c, int64_t tenant_id, const struct point_filter *f,
               struct arena *a, struct point **out, int *n, int64_t *total, struct error *e)
{
	const char *kw = f->keyword ? f->keyword : "";
	const char *like = store_like_pattern(a, kw, 1);
	struct store_val args[] = {
	    sv_int(tenant_id),  sv_text(kw),
	    sv_text(like),      sv_text(like),
	    sv_text(like),      sv_int(f->type_id),
	    sv_int(f->type_id), sv_int(f->grid_id),
	    sv_int(f->grid_id), sv_int(f->unit_id),
	    sv_int(f->unit_id), sv_int(f->enabled),
	    sv_int(f->enabled), sv_int(f->limit > 0 ? f->limit : INT32_MAX),
	    sv_int(f->offset),
	};
	struct store_rows *r;
	struct point *list = NULL;
	int cap = 0, rc;

	*out = NULL;
	*n = 0;
	if ((rc = store_query_int(c, &q_point_count, args, 13, total, e)) ||
	    (rc = store_query(c, &q_point_list, args, 15, &r, e)))
		return rc;
	while ((rc = store_next(r)) > 0) {
		list = arena_grow(a, list, *n, &cap, sizeof(*list));
		point_read(r, a, &list[(*n)++]);
	}
	store_finish(r);
	if (rc < 0)
		return error_set(e, rc, NULL, NULL);
	*out = list;
	return 0;
}

int point_map_list(struct store_conn *c, int64_t tenant_id, const struct geo_box *box, int limit,
                   struct arena *a, struct point **out, int *n, struct error *e)
{
	struct store_val args[] = {sv_int(tenant_id),       sv_double(box->min_lat),
	                           sv_double(box->max_lat), sv_double(box->min_lng),
	                           sv_double(box->max_lng), sv_int(limit)};
	struct store_rows *r;
	int rc;

	*n = 0;
	*out = arena_calloc(a, (size_t)(limit > 0 ? limit : 1) * sizeof(**out));
	if ((rc = store_query(c, &q_point_map, args, 6, &r, e)))
		return rc;
	while ((rc = store_next(r)) > 0 && *n < limit)
		point_read(r, a, &(*out)[(*n)++]);
	store_finish(r);
	return rc < 0 ? error_set(e, rc, NULL, NULL) : 0;
}

int point_get(struct store_conn *c, int64_t tenant_id, int64_t id, struct arena *a,
              struct point *out, struct error *e)
{
	struct store_val args[] = {sv_int(tenant_id), sv_int(id)};
	struct store_rows *r;
	int rc = store_query_one(c, &q_point_get, args, 2, &r, "点位不存在", e);

	if (rc)
		return rc;
	point_read(r, a, out);
	store_finish(r);
	return 0;
}

json_t *point_json(const struct point *p)
{
	return json_pack(
	    "{s:I, s:I, s:s, s:s, s:s, s:o, s:o, s:s, s:o, s:s, s:o, s:s, s:s, s:s, s:b, s:I, s:I}",
	    "id", (json_int_t)p->id, "type_id", (json_int_t)p->type_id, "type_name", p->type_name,
	    "code", p->code, "name", p->name, "lat",
	    p->has_location ? json_real(p->lat) : json_null(), "lng",
	    p->has_location ? json_real(p->lng) : json_null(), "address", p->address, "grid_id",
	    p->grid_id ? json_integer(p->grid_id) : json_null(), "grid_name", p->grid_name,
	    "unit_id", p->unit_id ? json_integer(p->unit_id) : json_null(), "unit_name",
	    p->unit_name, "person", p->person, "phone", p->phone, "enabled", p->enabled,
	    "created_at", (json_int_t)p->created_at, "updated_at", (json_int_t)p->updated_at);
}

static int point_conflict(int rc, const struct point *p, struct error *e)
{
	if (rc == ERR_CONFLICT)
		return error_set(e, ERR_CONFLICT, "code", "点位编码“%s”已被使用", p->code);
	return rc;
}

int point_insert(struct store_conn *c, int64_t tenant_id, struct point *p, struct error *e)
{
	int64_t now = time_now_ms();
	struct store_val args[] = {
	    sv_int(tenant_id),
	    sv_int(p->type_id),
	    sv_text(p->code),
	    sv_text(p->name),
	    p->has_location ? sv_double(p->lat) : sv_null(),
	    p->has_location ? sv_double(p->lng) : sv_null(),
	    sv_text(p->address),
	    p->grid_id ? sv_int(p->grid_id) : sv_null(),
	    p->unit_id ? sv_int(p->unit_id) : sv_null(),
	    sv_text(p->person),
	    sv_text(p->phone),
	    sv_int(p->enabled),
	    sv_int(now),
	    sv_int(now),
	};

	p->created_at = p->updated_at = now;
	return point_conflict(store_query_int(c, &q_point_insert, args, 14, &p->id, e), p, e);
}

int point_update(struct store_conn *c, int64_t tenant_id, const struct point *p, struct error *e)
{
	struct store_val args[] = {
	    sv_int(p->type_id),
	    sv_text(p->code),
	    sv_text(p->name),
	    p->has_location ? sv_double(p->lat) : sv_null(),
	    p->has_location ? sv_double(p->lng) : sv_null(),
	    sv_text(p->address),
	    p->grid_id ? sv_int(p->grid_id) : sv_null(),
	    p->unit_id ? sv_int(p->unit_id) : sv_null(),
	    sv_text(p->person),
	    sv_text(p->phone),
	    sv_int(p->enabled),
	    sv_int(time_now_ms()),
	    sv_int(tenant_id),
	    sv_int(p->id),
	};
	int64_t changes = 0;
	int rc = store_exec(c, &q_point_update, args, 14, &changes, e);

	if (rc == 0 && changes == 0)
		return error_set(e, ERR_NOT_FOUND, NULL, "点位不存在");
	return point_conflict(rc, p, e);
}

int point_delete(struct store_conn *c, int64_t tenant_id, int64_t id, struct error *e)
{
	struct store_val args[] = {sv_int(tenant_id), sv_int(id)};
	int64_t changes = 0;
	int rc = store_exec(c, &q_point_delete, args, 2, &changes, e);

	if (rc == ERR_CONFLICT)
		return error_set(e, ERR_CONFLICT, NULL, "该点位已被引用，不能删除，可改为停用");
	if (rc == 0 && changes == 0)
		return error_set(e, ERR_NOT_FOUND, NULL, "点位不存在");
	return rc;
}

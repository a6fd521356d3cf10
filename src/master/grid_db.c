/* grid_db.c - responsibility grids and their workers in the store. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "master/master.h"
#include "store/store.h"

#define GRID_COLS                                                                                  \
	"g.id, g.code, g.name, COALESCE(g.unit_id, 0), COALESCE(u.name, ''), g.min_lat,"           \
	" g.max_lat, g.min_lng, g.max_lng, g.vertices, g.area_m2, g.sort, g.enabled,"              \
	" g.created_at, g.updated_at,"                                                             \
	" (SELECT COUNT(*) FROM grid_workers w WHERE w.grid_id = g.id),"                           \
	" (SELECT COUNT(*) FROM points p WHERE p.grid_id = g.id)"
#define GRID_FROM " FROM grids g LEFT JOIN units u ON u.id = g.unit_id WHERE g.tenant_id = ?"
#define GRID_WHERE                                                                                 \
	GRID_FROM " AND (? = '' OR g.code LIKE ? ESCAPE '\\' OR g.name LIKE ? ESCAPE '\\')"        \
	          " AND (? = 0 OR g.unit_id = ?) AND (? < 0 OR g.enabled = ?)"

STORE_SQL(q_grid_list, "SELECT " GRID_COLS GRID_WHERE " ORDER BY g.sort, g.id LIMIT ? OFFSET ?");
STORE_SQL(q_grid_count, "SELECT COUNT(*)" GRID_WHERE);
STORE_SQL(q_grid_get, "SELECT " GRID_COLS ", g.geometry" GRID_FROM " AND g.id = ?");
STORE_SQL(q_grid_map, "SELECT " GRID_COLS ", g.geometry" GRID_FROM " AND g.enabled = 1"
                      " AND g.min_lat <= ? AND g.max_lat >= ? AND g.min_lng <= ?"
                      " AND g.max_lng >= ? ORDER BY g.sort, g.id LIMIT ?");
STORE_SQL(q_grid_workers,
          "SELECT s.id, s.username, s.name FROM grid_workers w JOIN users s ON s.id = w.user_id"
          " WHERE w.grid_id = ? ORDER BY s.username");
STORE_SQL(q_grid_find,
          "SELECT id FROM grids WHERE tenant_id = ? AND (code = ? OR name = ?) ORDER BY id"
          " LIMIT 1");
STORE_SQL(q_grid_insert,
          "INSERT INTO grids (tenant_id, code, name, unit_id, geometry, min_lat, max_lat,"
          " min_lng, max_lng, vertices, area_m2, sort, enabled, created_at, updated_at)"
          " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
STORE_SQL(q_grid_update,
          "UPDATE grids SET code = ?, name = ?, unit_id = ?, geometry = ?, min_lat = ?,"
          " max_lat = ?, min_lng = ?, max_lng = ?, vertices = ?, area_m2 = ?, sort = ?,"
          " enabled = ?, updated_at = ? WHERE tenant_id = ? AND id = ?");
STORE_SQL(q_grid_clear_workers, "DELETE FROM grid_workers WHERE grid_id = ?");
STORE_SQL(q_grid_user_ok, "SELECT COUNT(*) FROM users WHERE tenant_id = ? AND id = ?");
STORE_SQL(q_grid_add_worker, "INSERT INTO grid_workers (grid_id, user_id) VALUES (?, ?)");
STORE_SQL(q_grid_points, "SELECT COUNT(*) FROM points WHERE tenant_id = ? AND grid_id = ?");
STORE_SQL(q_grid_delete, "DELETE FROM grids WHERE tenant_id = ? AND id = ?");
STORE_SQL(q_grid_candidates,
          "SELECT id, COALESCE(unit_id, 0), geometry FROM grids WHERE tenant_id = ?"
          " AND enabled = 1 AND min_lat <= ? AND max_lat >= ? AND min_lng <= ? AND max_lng >= ?"
          " ORDER BY sort, id");

static void grid_read(struct store_rows *r, struct arena *a, struct grid *g)
{
	memset(g, 0, sizeof(*g));
	g->id = store_int(r, 0);
	g->code = arena_strdup(a, store_text(r, 1));
	g->name = arena_strdup(a, store_text(r, 2));
	g->unit_id = store_int(r, 3);
	g->unit_name = arena_strdup(a, store_text(r, 4));
	g->geo.min_lat = store_double(r, 5);
	g->geo.max_lat = store_double(r, 6);
	g->geo.min_lng = store_double(r, 7);
	g->geo.max_lng = store_double(r, 8);
	g->geo.vertices = (int)store_int(r, 9);
	g->geo.area_m2 = store_double(r, 10);
	g->sort = store_int(r, 11);
	g->enabled = (int)store_int(r, 12);
	g->created_at = store_int(r, 13);
	g->updated_at = store_int(r, 14);
	g->nworkers = (int)store_int(r, 15);
	g->point_count = store_int(r, 16);
}

int grid_list(struct store_conn *c, int64_t tenant_id, const struct grid_filter *f, struct arena *a,
              struct grid **out, int *n, int64_t *total, struct error *e)
{
	const char *kw = f->keyword ? f->keyword : "";
	const char *like = store_like_pattern(a, kw, 1);
	struct store_val args[] = {
	    sv_int(tenant_id),  sv_text(kw),        sv_text(like),
	    sv_text(like),      sv_int(f->unit_id), sv_int(f->unit_id),
	    sv_int(f->enabled), sv_int(f->enabled), sv_int(f->limit > 0 ? f->limit : INT32_MAX),
	    sv_int(f->offset),
	};
	struct store_rows *r;
	struct grid *list = NULL;
	int cap = 0, rc;

	*out = NULL;
	*n = 0;
	if ((rc = store_query_int(c, &q_grid_count, args, 8, total, e)) ||
	    (rc = store_query(c, &q_grid_list, args, 10, &r, e)))
		return rc;
	while ((rc = store_next(r)) > 0) {
		list = arena_grow(a, list, *n, &cap, sizeof(*list));
		grid_read(r, a, &list[(*n)++]);
	}
	store_finish(r);
	if (rc < 0)
		return error_set(e, rc, NULL, NULL);
	*out = list;
	return 0;
}

int grid_get(struct store_conn *c, int64_t tenant_id, int64_t id, struct arena *a, struct grid *out,
             struct error *e)
{
	struct store_val args[] = {sv_int(tenant_id), sv_int(id)};
	struct store_rows *r;
	int rc = store_query(c, &q_grid_get, args, 2, &r, e), cap;

	if (rc)
		return rc;
	rc = store_next(r);
	if (rc > 0) {
		grid_read(r, a, out);
		out->geometry = arena_strdup(a, store_text(r, 17));
	}
	store_finish(r);
	if (rc < 0)
		return error_set(e, rc, NULL, NULL);
	if (rc == 0)
		return error_set(e, ERR_NOT_FOUND, NULL, "网格不存在");
	cap = out->nworkers;
	out->workers = arena_calloc(a, (size_t)(cap + 1) * sizeof(*out->workers));
	out->nworkers = 0;
	if ((rc = store_query(c, &q_grid_workers, args + 1, 1, &r, e)))
		return rc;
	while ((rc = store_next(r)) > 0 && out->nworkers < cap) {
		struct grid_worker *w = &out->workers[out->nworkers++];

		w->id = store_int(r, 0);
		w->username = arena_strdup(a, store_text(r, 1));
		w->name = arena_strdup(a, store_text(r, 2));
	}
	store_finish(r);
	return rc < 0 ? error_set(e, rc, NULL, NULL) : 0;
}

int grid_map_list(struct store_conn *c, int64_t tenant_id, const struct geo_box *box, int limit,
                  struct arena *a, struct grid **out, int *n, struct error *e)
{
	struct store_val args[] = {sv_int(tenant_id),       sv_double(box->max_lat),
	                           sv_double(box->min_lat), sv_double(box->max_lng),
	                           sv_double(box->min_lng), sv_int(limit)};
	struct store_rows *r;
	int rc;

	*n = 0;
	*out = arena_calloc(a, (size_t)(limit > 0 ? limit : 1) * sizeof(**out));
	if ((rc = store_query(c, &q_grid_map, args, 6, &r, e)))
		return rc;
	while ((rc = store_next(r)) > 0 && *n < limit) {
		grid_read(r, a, &(*out)[*n]);
		(*out)[(*n)++].geometry = arena_strdup(a, store_text(r, 17));
	}
	store_finish(r);
	return rc < 0 ? error_set(e, rc, NULL, NULL) : 0;
}

int grid_find(struct store_conn *c, int64_t tenant_id, const char *code_or_name, int64_t *id,
              struct error *e)
{
	struct store_val args[] = {sv_int(tenant_id), sv_text(code_or_name), sv_text(code_or_name)};
	int rc = store_query_int(c, &q_grid_find, args, 3, id, e);

	if (rc == ERR_NOT_FOUND) {
		*id = 0;
		return 0;
	}
	return rc;
}

json_t *grid_json(const struct grid *g, int with_geometry)
{
	json_t *o = json_pack(
	    "{s:I, s:s, s:s, s:o, s:s, s:i, s:f, s:[f, f, f, f], s:I, s:b, s:i, s:I, s:I, s:I}",
	    "id", (json_int_t)g->id, "code", g->code, "name", g->name, "unit_id",
	    g->unit_id ? json_integer(g->unit_id) : json_null(), "unit_name", g->unit_name,
	    "vertex_count", g->geo.vertices, "area_m2", g->geo.area_m2, "bbox", g->geo.min_lng,
	    g->geo.min_lat, g->geo.max_lng, g->geo.max_lat, "sort", (json_int_t)g->sort, "enabled",
	    g->enabled, "worker_count", g->nworkers, "point_count", (json_int_t)g->point_count,
	    "created_at", (json_int_t)g->created_at, "updated_at", (json_int_t)g->updated_at);

	if (with_geometry) {
		json_t *workers = json_array(), *ids = json_array();
		int i;

		for (i = 0; i < g->nworkers; i++) {
			json_array_append_new(workers, json_pack("{s:I, s:s, s:s}", "id",
			                                         (json_int_t)g->workers[i].id,
			                                         "username", g->workers[i].username,
			                                         "name", g->workers[i].name));
			json_array_append_new(ids, json_integer(g->workers[i].id));
		}
		json_object_set_new(o, "geometry",
		                    g->geometry ? json_loads(g->geometry, 0, NULL) : json_null());
		json_object_set_new(o, "workers", workers);
		json_object_set_new(o, "worker_ids", ids);
	}
	return o;
}

static int grid_conflict(int rc, const struct grid *g, struct error *e)
{
	if (rc == ERR_CONFLICT)
		return error_set(e, ERR_CONFLICT, "code", "网格编码“%s”或名称“%s”已被使用", g->code,
		                 g->name);
	return rc;
}

int grid_insert(struct store_conn *c, int64_t tenant_id, struct grid *g, struct error *e)
{
	int64_t now = time_now_ms();
	struct store_val args[] = {
	    sv_int(tenant_id),
	    sv_text(g->code),
	    sv_text(g->name),
	    g->unit_id ? sv_int(g->unit_id) : sv_null(),
	    sv_text(g->geometry),
	    sv_double(g->geo.min_lat),
	    sv_double(g->geo.max_lat),
	    sv_double(g->geo.min_lng),
	    sv_double(g->geo.max_lng),
	    sv_int(g->geo.vertices),
	    sv_double(g->geo.area_m2),
	    sv_int(g->sort),
	    sv_int(g->enabled),
	    sv_int(now),
	    sv_int(now),
	};

	g->created_at = g->updated_at = now;
	return grid_conflict(store_query_int(c, &q_grid_insert, args, 15, &g->id, e), g, e);
}

int grid_update(struct store_conn *c, int64_t tenant_id, const struct grid *g, struct error *e)
{
	struct store_val args[] = {
	    sv_text(g->code),
	    sv_text(g->name),
	    g->unit_id ? sv_int(g->unit_id) : sv_null(),
	    sv_text(g->geometry),
	    sv_double(g->geo.min_lat),
	    sv_double(g->geo.max_lat),
	    sv_double(g->geo.min_lng),
	    sv_double(g->geo.max_lng),
	    sv_int(g->geo.vertices),
	    sv_double(g->geo.area_m2),
	    sv_int(g->sort),
	    sv_int(g->enabled),
	    sv_int(time_now_ms()),
	    sv_int(tenant_id),
	    sv_int(g->id),
	};
	int64_t changes = 0;
	int rc = store_exec(c, &q_grid_update, args, 15, &changes, e);

	if (rc == 0 && changes == 0)
		return error_set(e, ERR_NOT_FOUND, NULL, "网格不存在");
	return grid_conflict(rc, g, e);
}

int grid_set_workers(struct store_conn *c, int64_t tenant_id, int64_t grid_id, const int64_t *ids,
                     int n, struct error *e)
{
	struct store_val gid = sv_int(grid_id);
	int i, rc = store_exec(c, &q_grid_clear_workers, &gid, 1, NULL, e);

	for (i = 0; rc == 0 && i < n; i++) {
		struct store_val args[] = {sv_int(tenant_id), sv_int(ids[i])};
		struct store_val add[] = {sv_int(grid_id), sv_int(ids[i])};
		int64_t ok = 0;

		rc = store_query_int(c, &q_grid_user_ok, args, 2, &ok, e);
		if (rc == 0 && !ok)
			rc = error_set(e, ERR_INVALID, "worker_ids",
			               "网格员（用户编号 %lld）不存在", (long long)ids[i]);
		if (rc == 0)
			rc = store_exec(c, &q_grid_add_worker, add, 2, NULL, e);
		if (rc == ERR_CONFLICT)
			rc = error_set(e, ERR_INVALID, "worker_ids", "网格员重复");
	}
	return rc;
}

int grid_delete(struct store_conn *c, int64_t tenant_id, int64_t id, struct error *e)
{
	struct store_val args[] = {sv_int(tenant_id), sv_int(id)};
	int64_t points = 0, changes = 0;
	int rc = store_query_int(c, &q_grid_points, args, 2, &points, e);

	if (rc)
		return rc;
	if (points)
		return error_set(e, ERR_CONFLICT, NULL,
		                 "该网格内还有 %lld 个点位，请先把点位移到其他网格",
		                 (long long)points);
	rc = store_exec(c, &q_grid_delete, args, 2, &changes, e);
	if (rc == ERR_CONFLICT)
		return error_set(e, ERR_CONFLICT, NULL,
		                 "该网格仍被其他数据引用，不能删除，可改为停用");
	if (rc == 0 && changes == 0)
		return error_set(e, ERR_NOT_FOUND, NULL, "网格不存在");
	return rc;
}

int grid_locate(struct store_conn *c, int64_t tenant_id, double lat, double lng, struct arena *a,
                int64_t *grid_id, int64_t *unit_id, struct error *e)
{
	struct store_val args[] = {sv_int(tenant_id), sv_double(lat), sv_double(lat),
	                           sv_double(lng), sv_double(lng)};
	struct store_rows *r;
	int rc;

	*grid_id = *unit_id = 0;
	if (isnan(lat) || isnan(lng))
		return 0;
	if ((rc = store_query(c, &q_grid_candidates, args, 5, &r, e)))
		return rc;
	while (!*grid_id && (rc = store_next(r)) > 0) {
		json_t *geometry = json_loads(store_text(r, 2), 0, NULL);

		if (geometry && geo_contains(geometry, lat, lng)) {
			*grid_id = store_int(r, 0);
			*unit_id = store_int(r, 1);
		}
		json_decref(geometry);
	}
	store_finish(r);
	(void)a;
	return rc < 0 ? error_set(e, rc, NULL, NULL) : 0;
}

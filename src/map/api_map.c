/*
 * api_map.c - GET /map/features: what the 地图 page draws in one answer:
 * the tile server from the settings (empty when the county's server is
 * offline: the page then draws on a plain background), the enabled grids
 * with their polygons and the points (each only with its master-data view
 * permission), and the located problems in the caller's problem:view scope
 * under the problem list's filters.  An optional bbox limits every layer;
 * each layer is capped and says when it was cut.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "auth/auth.h"
#include "http/req.h"
#include "http/router.h"
#include "map/map.h"
#include "master/master.h"
#include "problem/problem.h"

#define MAP_MAX_GRIDS    500
#define MAP_MAX_POINTS   5000
#define MAP_MAX_PROBLEMS 3000

/* bbox=minLng,minLat,maxLng,maxLat (GeoJSON order) into *box; the earth when absent. */
static int bbox_param(struct req *r, struct geo_box *box)
{
	const char *v = req_query(r, "bbox");
	double x[4];
	char *end;
	int i;

	*box = (struct geo_box){-90, 90, -180, 180};
	if (!v || !*v)
		return 0;
	for (i = 0; i < 4; i++) {
		x[i] = strtod(v, &end);
		if (end == v || !isfinite(x[i]) || *end != (i < 3 ? ',' : '\0'))
			goto bad;
		v = end + 1;
	}
	if (x[0] < -180 || x[2] > 180 || x[1] < -90 || x[3] > 90 || x[0] > x[2] || x[1] > x[3])
		goto bad;
	*box = (struct geo_box){x[1], x[3], x[0], x[2]};
	return 0;
bad:
	return req_fail(r, ERR_INVALID, "bbox",
	                "bbox 应为“最小经度,最小纬度,最大经度,最大纬度”四个数");
}

static int grids_layer(struct req *r, const struct geo_box *box, json_t *out)
{
	struct grid *gs;
	struct error e;
	json_t *items;
	int i, n;

	if (!principal_has(r->who, "master:grid:view")) {
		json_object_set_new(out, "grids", json_null());
		return 0;
	}
	error_init(&e);
	if (grid_map_list(r->db, r->who->tenant_id, box, MAP_MAX_GRIDS + 1, &r->arena, &gs, &n, &e))
		return req_fail_error(r, &e);
	items = json_array();
	for (i = 0; i < n && i < MAP_MAX_GRIDS; i++)
		json_array_append_new(items,
		                      json_pack("{s:I, s:s, s:s, s:s, s:o}", "id",
		                                (json_int_t)gs[i].id, "code", gs[i].code, "name",
		                                gs[i].name, "unit_name", gs[i].unit_name,
		                                "geometry", json_loads(gs[i].geometry, 0, NULL)));
	json_object_set_new(out, "grids", items);
	json_object_set_new(json_object_get(out, "truncated"), "grids",
	                    json_boolean(n > MAP_MAX_GRIDS));
	return 0;
}

static int points_layer(struct req *r, const struct geo_box *box, json_t *out)
{
	struct point *ps;
	struct error e;
	json_t *items;
	int i, n;

	if (!principal_has(r->who, "master:point:view")) {
		json_object_set_new(out, "points", json_null());
		return 0;
	}
	error_init(&e);
	if (point_map_list(r->db, r->who->tenant_id, box, MAP_MAX_POINTS + 1, &r->arena, &ps, &n,
	                   &e))
		return req_fail_error(r, &e);
	items = json_array();
	for (i = 0; i < n && i < MAP_MAX_POINTS; i++)
		json_array_append_new(
		    items,
		    json_pack("{s:I, s:s, s:s, s:I, s:s, s:f, s:f, s:s, s:s, s:s}", "id",
		              (json_int_t)ps[i].id, "code", ps[i].code, "name", ps[i].name,
		              "type_id", (json_int_t)ps[i].type_id, "type_name", ps[i].type_name,
		              "lat", ps[i].lat, "lng", ps[i].lng, "address", ps[i].address,
		              "grid_name", ps[i].grid_name, "unit_name", ps[i].unit_name));
	json_object_set_new(out, "points", items);
	json_object_set_new(json_object_get(out, "truncated"), "points",
	                    json_boolean(n > MAP_MAX_POINTS));
	return 0;
}

static int problems_layer(struct req *r, const struct geo_box *box, json_t *out)
{
	struct problem_filter f;
	struct problem *ps;
	struct error e;
	int64_t total = 0;
	json_t *items;
	int i, n;

	memset(&f, 0, sizeof(f));
	if (problem_api_filter(r, "problem:view", &f))
		return r->err.code;
	f.box = box;
	f.limit = MAP_MAX_PROBLEMS;
	error_init(&e);
	if (problem_list(r->db, r->who->tenant_id, &f, &r->arena, &ps, &n, &total, &e))
		return req_fail_error(r, &e);
	items = json_array();
	for (i = 0; i < n; i++) {
		const struct problem *p = &ps[i];
		json_t *j = json_pack(
		    "{s:I, s:s, s:s, s:s, s:I, s:s, s:f, s:f, s:s, s:s, s:b, s:I}", "id",
		    (json_int_t)p->id, "code", p->code, "status", problem_status_name(p->status),
		    "status_title", problem_status_title(p->status), "category_id",
		    (json_int_t)p->category_id, "category_name", p->category_name, "lat", p->lat,
		    "lng", p->lng, "address", p->address, "description", p->description, "overdue",
		    problem_overdue(p, f.now), "created_at", (json_int_t)p->created_at);

		json_object_set_new(j, "point_name",
		                    p->point_id ? json_string(p->point_name) : json_null());
		json_object_set_new(j, "lead_unit_name",
		                    p->lead_unit_id ? json_string(p->lead_unit_name) : json_null());
		json_object_set_new(j, "deadline",
		                    p->deadline ? json_integer(p->deadline) : json_null());
		json_array_append_new(items, j);
	}
	json_object_set_new(out, "problems", items);
	json_object_set_new(json_object_get(out, "truncated"), "problems", json_boolean(total > n));
	return 0;
}

/* GET /map/features */
static int map_features(struct req *r)
{
	const struct config *cfg = &r->app->cfg;
	struct geo_box box;
	json_t *out;

	if (bbox_param(r, &box) || !req_db(r))
		return r->err.code;
	out =
	    json_pack("{s:s, s:s, s:{}, s:{s:i, s:i, s:i}}", "tile_url", cfg->map_tile_url,
	              "tile_attribution", cfg->map_tile_attribution, "truncated", "limits", "grids",
	              MAP_MAX_GRIDS, "points", MAP_MAX_POINTS, "problems", MAP_MAX_PROBLEMS);
	if (grids_layer(r, &box, out) || points_layer(r, &box, out) ||
	    problems_layer(r, &box, out)) {
		json_decref(out);
		return r->err.code;
	}
	return req_reply_json(r, 200, out);
}

void map_routes(struct router *rt)
{
	router_add(rt, "GET", "/api/v1/map/features", map_features, "problem:view", 0);
}

/*
 * geo.c - GeoJSON polygons of grids: checking what a client sends, their
 * bounding box, corner count and area, and point-in-polygon by ray casting.
 * Coordinates are WGS84 [lng, lat] as GeoJSON orders them; grids span a few
 * kilometres, so a flat local projection is accurate enough for an area.
 */
#include <math.h>
#include <string.h>

#include "master/master.h"

#define MAX_RINGS    1000
#define MAX_POSITION 100000 /* positions in one geometry */

/* The polygons of a geometry as an array of polygons (each an array of rings). */
static json_t *polygons_of(json_t *geometry, json_t **single)
{
	const char *type = json_string_value(json_object_get(geometry, "type"));
	json_t *coords = json_object_get(geometry, "coordinates");

	*single = NULL;
	if (!type || !json_is_array(coords))
		return NULL;
	if (!strcmp(type, "MultiPolygon"))
		return coords;
	if (!strcmp(type, "Polygon")) {
		*single = json_pack("[O]", coords);
		return *single;
	}
	return NULL;
}

/* Signed area of a ring in square metres around latitude lat0 (shoelace). */
static double ring_area(json_t *ring, double lat0)
{
	double kx = 111320.0 * cos(lat0 * M_PI / 180.0), ky = 110540.0, sum = 0;
	size_t i, n = json_array_size(ring);

	for (i = 0; i + 1 < n; i++) {
		json_t *p = json_array_get(ring, i), *q = json_array_get(ring, i + 1);
		double x1 = json_number_value(json_array_get(p, 0)) * kx,
		       y1 = json_number_value(json_array_get(p, 1)) * ky,
		       x2 = json_number_value(json_array_get(q, 0)) * kx,
		       y2 = json_number_value(json_array_get(q, 1)) * ky;

		sum += x1 * y2 - x2 * y1;
	}
	return sum / 2;
}

static int check_ring(json_t *ring, struct geo_info *info, int *positions, struct error *e)
{
	size_t i, n = json_array_size(ring);
	json_t *first, *last;

	if (!json_is_array(ring) || n < 4)
		return error_set(e, ERR_INVALID, "geometry",
		                 "多边形的每个环至少要有 4 个坐标（首尾相同）");
	for (i = 0; i < n; i++) {
		json_t *p = json_array_get(ring, i);
		double lng, lat;

		if (!json_is_array(p) || json_array_size(p) < 2 || json_array_size(p) > 3 ||
		    !json_is_number(json_array_get(p, 0)) || !json_is_number(json_array_get(p, 1)))
			return error_set(e, ERR_INVALID, "geometry",
			                 "坐标应为 [经度, 纬度] 两个数字");
		lng = json_number_value(json_array_get(p, 0));
		lat = json_number_value(json_array_get(p, 1));
		if (!(lng >= -180 && lng <= 180) || !(lat >= -90 && lat <= 90))
			return error_set(
			    e, ERR_INVALID, "geometry",
			    "坐标超出范围：经度应在 -180 到 180 之间，纬度在 -90 到 90 之间");
		if (lat < info->min_lat)
			info->min_lat = lat;
		if (lat > info->max_lat)
			info->max_lat = lat;
		if (lng < info->min_lng)
			info->min_lng = lng;
		if (lng > info->max_lng)
			info->max_lng = lng;
		if (++*positions > MAX_POSITION)
			return error_set(e, ERR_INVALID, "geometry", "坐标点过多（最多 %d 个）",
			                 MAX_POSITION);
	}
	first = json_array_get(ring, 0);
	last = json_array_get(ring, n - 1);
	if (json_number_value(json_array_get(first, 0)) !=
	        json_number_value(json_array_get(last, 0)) ||
	    json_number_value(json_array_get(first, 1)) !=
	        json_number_value(json_array_get(last, 1)))
		return error_set(e, ERR_INVALID, "geometry",
		                 "多边形的环没有闭合：最后一个坐标应与第一个相同");
	info->vertices += (int)n - 1;
	return 0;
}

int geo_check(json_t *geometry, struct geo_info *info, struct error *e)
{
	json_t *single, *polys = polygons_of(geometry, &single), *poly, *ring;
	size_t i, k;
	int positions = 0, rings = 0, rc = 0;
	double area = 0;

	memset(info, 0, sizeof(*info));
	info->min_lat = info->min_lng = 1e9;
	info->max_lat = info->max_lng = -1e9;
	if (!json_is_object(geometry) || !polys)
		return error_set(e, ERR_INVALID, "geometry",
		                 "网格范围应为 GeoJSON 的 Polygon 或 MultiPolygon");
	if (!json_array_size(polys))
		rc = error_set(e, ERR_INVALID, "geometry", "网格范围没有多边形");
	json_array_foreach(polys, i, poly)
	{
		if (rc)
			break;
		if (!json_is_array(poly) || !json_array_size(poly)) {
			rc = error_set(e, ERR_INVALID, "geometry", "多边形至少要有一个外环");
			break;
		}
		json_array_foreach(poly, k, ring)
		{
			if (++rings > MAX_RINGS) {
				rc = error_set(e, ERR_INVALID, "geometry", "环过多");
				break;
			}
			if ((rc = check_ring(ring, info, &positions, e)))
				break;
		}
	}
	if (!rc) {
		double lat0 = (info->min_lat + info->max_lat) / 2;

		json_array_foreach(polys, i, poly)
		{
			json_array_foreach(poly, k, ring)
			{
				double s = fabs(ring_area(ring, lat0));

				area += k == 0 ? s : -s; /* ring 0 is the outline, the rest holes */
			}
		}
		info->area_m2 = area > 0 ? round(area) : 0;
	}
	json_decref(single);
	return rc;
}

/* Ray casting towards +lng: an odd number of crossed edges means inside. */
static int ring_contains(json_t *ring, double lat, double lng)
{
	size_t i, j, n = json_array_size(ring);
	int inside = 0;

	for (i = 0, j = n - 1; i < n; j = i++) {
		json_t *p = json_array_get(ring, i), *q = json_array_get(ring, j);
		double xi = json_number_value(json_array_get(p, 0)),
		       yi = json_number_value(json_array_get(p, 1)),
		       xj = json_number_value(json_array_get(q, 0)),
		       yj = json_number_value(json_array_get(q, 1));

		if ((yi > lat) != (yj > lat) && lng < (xj - xi) * (lat - yi) / (yj - yi) + xi)
			inside = !inside;
	}
	return inside;
}

int geo_contains(json_t *geometry, double lat, double lng)
{
	json_t *single, *polys = polygons_of(geometry, &single), *poly, *ring;
	size_t i, k;
	int hit = 0;

	json_array_foreach(polys, i, poly)
	{
		int in = 0;

		json_array_foreach(poly, k, ring)
		{
			if (k == 0)
				in = ring_contains(ring, lat, lng);
			else if (in && ring_contains(ring, lat, lng))
				in = 0; /* in a hole */
		}
		if (in) {
			hit = 1;
			break;
		}
	}
	json_decref(single);
	return hit;
}

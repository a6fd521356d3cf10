/*
 * test_geo.c - grid geometry (src/master/geo.c): GeoJSON checks and point in
 * polygon with holes, several polygons and points on the edges.
 *
 * Ray casting counts a point on a west or south edge as inside and one on an
 * east or north edge as outside, so two grids sharing an edge never both
 * claim a point on it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/err.h"
#include "master/master.h"

/* a 10 x 10 square (lng 0..10, lat 0..10) with a hole lng 4..6, lat 4..6 */
static const char square_with_hole[] = "{\"type\":\"Polygon\",\"coordinates\":["
                                       "[[0,0],[10,0],[10,10],[0,10],[0,0]],"
                                       "[[4,4],[6,4],[6,6],[4,6],[4,4]]]}";

static json_t *parse(const char *text)
{
	json_t *j = json_loads(text, 0, NULL);

	assert_non_null(j);
	return j;
}

static void test_check(void **state)
{
	struct geo_info info;
	struct error e;
	json_t *g = parse(square_with_hole);

	(void)state;
	error_init(&e);
	assert_int_equal(geo_check(g, &info, &e), 0);
	assert_int_equal(info.vertices, 8);
	assert_true(info.min_lat == 0 && info.max_lat == 10);
	assert_true(info.min_lng == 0 && info.max_lng == 10);
	assert_true(info.area_m2 > 0);
	json_decref(g);
	/* a ring that does not close */
	g = parse("{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,1]]]}");
	assert_int_equal(geo_check(g, &info, &e), ERR_INVALID);
	assert_string_equal(e.field, "geometry");
	json_decref(g);
	/* latitude out of range */
	error_init(&e);
	g = parse("{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,91],[0,0]]]}");
	assert_int_equal(geo_check(g, &info, &e), ERR_INVALID);
	json_decref(g);
	/* not a polygon */
	error_init(&e);
	g = parse("{\"type\":\"Point\",\"coordinates\":[1,1]}");
	assert_int_equal(geo_check(g, &info, &e), ERR_INVALID);
	json_decref(g);
}

static void test_contains_hole(void **state)
{
	json_t *g = parse(square_with_hole);

	(void)state;
	assert_int_equal(geo_contains(g, 2, 2), 1); /* lat, lng */
	assert_int_equal(geo_contains(g, 9.99, 0.01), 1);
	assert_int_equal(geo_contains(g, 5, 5), 0); /* in the hole */
	assert_int_equal(geo_contains(g, 4.5, 5.5), 0);
	assert_int_equal(geo_contains(g, 3.9, 5), 1); /* just south of the hole */
	assert_int_equal(geo_contains(g, 11, 5), 0);  /* outside */
	assert_int_equal(geo_contains(g, 5, -0.01), 0);
	assert_int_equal(geo_contains(g, -5, -5), 0);
	json_decref(g);
}

static void test_contains_edges(void **state)
{
	json_t *west = parse("{\"type\":\"Polygon\",\"coordinates\":"
	                     "[[[0,0],[10,0],[10,10],[0,10],[0,0]]]}");
	json_t *east = parse("{\"type\":\"Polygon\",\"coordinates\":"
	                     "[[[10,0],[20,0],[20,10],[10,10],[10,0]]]}");
	double lat;

	(void)state;
	assert_int_equal(geo_contains(west, 5, 0), 1);  /* west edge: inside */
	assert_int_equal(geo_contains(west, 0, 5), 1);  /* south edge: inside */
	assert_int_equal(geo_contains(west, 10, 5), 0); /* north edge: outside */
	/* the shared edge lng 10 belongs to exactly one of the two grids */
	for (lat = 0.5; lat < 10; lat += 1)
		assert_int_equal(geo_contains(west, lat, 10) + geo_contains(east, lat, 10), 1);
	json_decref(west);
	json_decref(east);
}

static void test_multipolygon(void **state)
{
	json_t *g = parse("{\"type\":\"MultiPolygon\",\"coordinates\":["
	                  "[[[0,0],[1,0],[1,1],[0,1],[0,0]]],"
	                  "[[[5,5],[7,5],[6,7],[5,5]]]]}");
	struct geo_info info;
	struct error e;

	(void)state;
	error_init(&e);
	assert_int_equal(geo_check(g, &info, &e), 0);
	assert_int_equal(info.vertices, 7);
	assert_int_equal(geo_contains(g, 0.5, 0.5), 1);
	assert_int_equal(geo_contains(g, 5.5, 6), 1);   /* in the triangle */
	assert_int_equal(geo_contains(g, 6.9, 5.1), 0); /* beside its slanted side */
	assert_int_equal(geo_contains(g, 3, 3), 0);     /* between the two */
	json_decref(g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_check),
	    cmocka_unit_test(test_contains_hole),
	    cmocka_unit_test(test_contains_edges),
	    cmocka_unit_test(test_multipolygon),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

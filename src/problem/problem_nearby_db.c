/*
 * problem_nearby_db.c - the problems near a point of one category (a report's
 * possible recurrences), read by cells of the partial indexes of 0014.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "core/strbuf.h"
#include "master/master.h"
#include "problem/problem.h"
#include "problem/problem_rules.h"
#include "store/store.h"

/*
 * Open problems by cell, closed ones by cell and closing time, each from a
 * partial index (0014): only rows that can matter are read.  By a band of
 * latitude and by closing time (0011), a report on a busy category walked
 * 4,000-10,000 index entries, two thirds of a report's CPU
 * (docs/benchmarks.md).  A cell is 0.001 degree of latitude by 0.001 of
 * longitude, numbered by the same expression as the indexes; closed is
 * exactly "closed_at set" (reopen clears it).  A circle wider than
 * NEAR_MAX_CELLS cells (a recurrence distance of some kilometres) reads the
 * category's open problems and those closed within the window instead.
 */
#define NEAR_COLS "SELECT p.id, p.code, p.status, COALESCE(p.closed_at, 0) AS closed, p.lat, p.lng"
#define NEAR_BOX  " AND p.lat BETWEEN ? AND ? AND p.lng BETWEEN ? AND ?"
#define NEAR_SQL(cell)                                                                             \
	"SELECT id, code, status, closed, lat, lng FROM (" NEAR_COLS " FROM problems p"            \
	" WHERE p.tenant_id = ? AND p.category_id = ?"                                             \
	" AND p.status NOT IN ('closed', 'invalid', 'voided')" cell NEAR_BOX                       \
	" UNION ALL " NEAR_COLS                                                                    \
	" FROM problems p WHERE p.tenant_id = ? AND p.category_id = ?" cell                        \
	" AND p.closed_at >= ?" NEAR_BOX ") n ORDER BY id DESC LIMIT 200"
#define NEAR_CELL_SQLITE                                                                           \
	" AND (CAST(p.lat * 1000 AS INTEGER) * 400000 + CAST(p.lng * 1000 AS INTEGER)) IN_IDS(?)"
#define NEAR_CELL_PG                                                                               \
	" AND (CAST(trunc(p.lat * 1000) AS BIGINT) * 400000 + CAST(trunc(p.lng * 1000) AS "        \
	"BIGINT))"                                                                                 \
	" = ANY(ARRAY(SELECT json_array_elements_text(CAST(? AS json))::bigint))"
#define NEAR_MAX_CELLS 2500
STORE_SQL2(q_nearby, NEAR_SQL(NEAR_CELL_SQLITE), NEAR_SQL(NEAR_CELL_PG));
STORE_SQL(q_nearby_wide, NEAR_SQL(""));

/* The cell of the index holding (lat, lng). */
static int64_t near_cell(int64_t lat_band, int64_t lng_band)
{
	return lat_band * 400000 + lng_band;
}

/* "[c1,c2,...]": the cells the box touches; NULL when more than NEAR_MAX_CELLS. */
static const char *near_cells(double lat0, double lat1, double lng0, double lng1, struct arena *a)
{
	int64_t la0 = (int64_t)(lat0 * 1000), la1 = (int64_t)(lat1 * 1000);
	int64_t ln0 = (int64_t)(lng0 * 1000), ln1 = (int64_t)(lng1 * 1000), i, j;
	struct strbuf sb = STRBUF_INIT;
	const char *out;

	if ((la1 - la0 + 1) * (ln1 - ln0 + 1) > NEAR_MAX_CELLS)
		return NULL;
	strbuf_addch(&sb, '[');
	for (i = la0; i <= la1; i++)
		for (j = ln0; j <= ln1; j++)
			strbuf_addf(&sb, "%s%lld", sb.len > 1 ? "," : "",
			            (long long)near_cell(i, j));
	strbuf_addch(&sb, ']');
	out = arena_strdup(a, sb.buf);
	strbuf_release(&sb);
	return out;
}

static int near_cmp(const void *pa, const void *pb)
{
	const struct problem_near *a = pa, *b = pb;

	return a->distance_m < b->distance_m ? -1 : a->distance_m > b->distance_m;
}

int problem_nearby(struct store_conn *c, int64_t tenant_id, int64_t category_id, double lat,
                   double lng, double meters, int64_t closed_since, struct arena *a,
                   struct problem_near **out, int *n, struct error *e)
{
	/* a box a little larger than the circle; the haversine decides */
	double dlat = meters / 111000.0 * 1.1;
	double coslat = cos(lat * M_PI / 180.0);
	double dlng = dlat / (coslat > 0.01 ? coslat : 0.01);
	struct store_val box[] = {sv_double(lat - dlat), sv_double(lat + dlat),
	                          sv_double(lng - dlng), sv_double(lng + dlng)};
	const char *cells = near_cells(lat - dlat, lat + dlat, lng - dlng, lng + dlng, a);
	struct store_val args[16], *v = args;
	struct store_rows *r;
	int cap = 200, i, j, rc;

	for (i = 0; i < 2; i++) { /* open, then closed */
		*v++ = sv_int(tenant_id);
		*v++ = sv_int(category_id);
		if (cells)
			*v++ = sv_text(cells);
		if (i == 1)
			*v++ = sv_int(closed_since);
		for (j = 0; j < 4; j++)
			*v++ = box[j];
	}
	*n = 0;
	*out = arena_alloc(a, (size_t)cap * sizeof(**out));
	if ((rc = store_query(c, cells ? &q_nearby : &q_nearby_wide, args, (int)(v - args), &r, e)))
		return rc;
	while ((rc = store_next(r)) > 0 && *n < cap) {
		struct problem_near *x = &(*out)[*n];
		double d = problem_distance_m(lat, lng, store_double(r, 4), store_double(r, 5));

		if (d > meters)
			continue;
		x->id = store_int(r, 0);
		x->code = arena_strdup(a, store_text(r, 1));
		if (problem_status_parse(store_text(r, 2), &x->status))
			x->status = PS_REPORTED;
		x->closed_at = store_int(r, 3);
		x->distance_m = d;
		(*n)++;
	}
	store_finish(r);
	if (rc < 0)
		return error_set(e, rc, NULL, NULL);
	qsort(*out, (size_t)*n, sizeof(**out), near_cmp);
	return 0;
}

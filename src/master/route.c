/*
 * route.c - who a new problem goes to by default, and by when: the point's
 * responsible unit, else the grid's, else the category's (docs/domain.md,
 * "Routing").  The office can always reassign; this only pre-fills.
 */
#include <math.h>
#include <string.h>

#include "master/master.h"

int master_route(struct store_conn *c, int64_t tenant_id, int64_t category_id, int64_t point_id,
                 double lat, double lng, int64_t *unit_id, int64_t *deadline_hours, struct error *e)
{
	struct arena a;
	struct category k;
	int64_t grid_id = 0, cat_unit = 0, id = category_id;
	int depth, rc = 0;

	*unit_id = *deadline_hours = 0;
	arena_init(&a);
	if (point_id) {
		struct point p;

		if ((rc = point_get(c, tenant_id, point_id, &a, &p, e)))
			goto out;
		*unit_id = p.unit_id;
		grid_id = p.grid_id;
		if (isnan(lat) && p.has_location) {
			lat = p.lat;
			lng = p.lng;
		}
	}
	if (!*unit_id && grid_id) {
		struct grid g;

		if ((rc = grid_get(c, tenant_id, grid_id, &a, &g, e)))
			goto out;
		*unit_id = g.unit_id;
	}
	if (!*unit_id && !isnan(lat) && !isnan(lng) &&
	    (rc = grid_locate(c, tenant_id, lat, lng, &a, &grid_id, unit_id, e)))
		goto out;
	/* the first unit and deadline set on the way up the category tree */
	for (depth = 0; id && depth < 32; depth++) {
		if ((rc = category_get(c, tenant_id, id, &a, &k, e)))
			goto out;
		if (!cat_unit)
			cat_unit = k.default_unit_id;
		if (!*deadline_hours)
			*deadline_hours = k.deadline_hours;
		id = k.parent_id;
	}
	if (!*unit_id)
		*unit_id = cat_unit;
out:
	arena_release(&a);
	return rc;
}

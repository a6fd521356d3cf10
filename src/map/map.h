/*
 * map.h - the 地图 page's data: grids, points and located problems in one
 * answer (api_map.c).
 */
#ifndef WENMING_MAP_H
#define WENMING_MAP_H

struct router;

/* GET /map/features (api_map.c): what routes.c calls. */
void map_routes(struct router *rt);

#endif

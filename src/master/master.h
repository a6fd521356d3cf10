/*
 * master.h - the master data problems and inspections build on: problem
 * categories (问题分类, a tree with a default unit, deadline and severity),
 * responsibility grids (责任网格: a GeoJSON polygon, a responsible unit and
 * grid workers), point types (点位类型) and points (测评点位).
 *
 * Storage lives in category_db.c, grid_db.c and point_db.c (the only places
 * with their SQL); geometry in geo.c (no SQL, no HTTP); routing a problem to
 * a unit in route.c; the endpoints in api_*.c.  Master data belongs to the
 * whole tenant: every query takes the tenant and a row of another tenant is
 * ERR_NOT_FOUND.  Writers expect the caller to hold a write transaction when
 * the change and its audit row must commit together.  Strings of returned
 * structs come from the arena the caller passes.
 */
#ifndef WENMING_MASTER_H
#define WENMING_MASTER_H

#include <jansson.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"

struct store_conn;
struct router;
struct req;
struct sheet_row;
struct unit;

#define MASTER_CODE_MAX     32
#define MASTER_NAME_MAX     64
#define MASTER_ADDRESS_MAX  128
#define MASTER_PERSON_MAX   32
#define MASTER_PHONE_MAX    20
#define MASTER_SORT_MAX     99999
#define MASTER_DEADLINE_MAX (24 * 366) /* hours */

/* ---- geometry (geo.c) -------------------------------------------------- */

struct geo_info {
	double min_lat, max_lat, min_lng, max_lng;
	int vertices;   /* corners of every ring, the closing repeat not counted */
	double area_m2; /* outer rings minus holes, on a local flat projection */
};

/*
 * Check a GeoJSON geometry: a Polygon or MultiPolygon whose rings have at
 * least 4 positions [lng, lat] (lng -180..180, lat -90..90), first == last.
 * Fills info; ERR_INVALID with a Chinese message (field "geometry") otherwise.
 */
int geo_check(json_t *geometry, struct geo_info *info, struct error *e);

/* A box of latitudes and longitudes (a map's view); the whole earth when unset. */
struct geo_box {
	double min_lat, max_lat, min_lng, max_lng;
};

/* 1 when (lat, lng) lies inside a checked geometry (ray casting; holes excluded). */
int geo_contains(json_t *geometry, double lat, double lng);

/* ---- problem categories (category_db.c) -------------------------------- */

struct category {
	int64_t id, parent_id; /* parent 0: top level */
	const char *code, *name;
	int64_t default_unit_id; /* 0: none */
	const char *default_unit_name;
	int64_t deadline_hours; /* 0: the parent's */
	int severity;           /* 1 一般, 2 较重, 3 严重 */
	int64_t sort;
	int enabled;
	int64_t created_at, updated_at;
};

/* "一般", "较重", "严重" for 1..3; the value of such a name (or digit), -1 otherwise. */
const char *category_severity_title(int severity);
int category_severity_value(const char *s);

/* Every category of the tenant, parents before children, siblings by sort and id. */
int category_all(struct store_conn *c, int64_t tenant_id, struct arena *a, struct category **out,
                 int *n, struct error *e);

/*
 * The ids of category id and every category below it, in all[0..n) order
 * (all as category_all reads it), into *ids (from a); ERR_NOT_FOUND when id
 * is not in all.  Pure.
 */
int category_subtree(const struct category *all, int n, int64_t id, struct arena *a, int64_t **ids,
                     int *nids, struct error *e);

/* category_subtree over the tenant's categories (category_all). */
int category_subtree_ids(struct store_conn *c, int64_t tenant_id, int64_t id, struct arena *a,
                         int64_t **ids, int *nids, struct error *e);

/* One category of the tenant; ERR_NOT_FOUND otherwise. */
int category_get(struct store_conn *c, int64_t tenant_id, int64_t id, struct arena *a,
                 struct category *out, struct error *e);

json_t *category_json(const struct category *k);

/* categories[0..n) (tree order) nested as [{..., children: [...]}]. */
json_t *category_tree_json(const struct category *cats, int n);

/* Insert k (k->id set); ERR_CONFLICT on a code or sibling name taken. */
int category_insert(struct store_conn *c, int64_t tenant_id, struct category *k, struct error *e);

/* Write every field of k but id. */
int category_update(struct store_conn *c, int64_t tenant_id, const struct category *k,
                    struct error *e);

/* Delete; ERR_CONFLICT while it has sub-categories. */
int category_delete(struct store_conn *c, int64_t tenant_id, int64_t id, struct error *e);

/* ---- importing categories (category_import.c) ------------------------- */

/* The columns of the categories sheet (export, template, import). */
enum {
	CC_CODE,
	CC_NAME,
	CC_PARENT,
	CC_UNIT,
	CC_DEADLINE,
	CC_SEVERITY,
	CC_SORT,
	CC_STATUS,
	CC_NCOLS
};

/*
 * The tenant's categories followed by the rows of the sheet checked so far.
 * A row's category has a temporary id below zero; its parent is an index
 * into cats (an earlier row or one that exists), so a parent inserted
 * earlier in the same transaction gives its real id to the children.
 */
struct category_import {
	struct category *cats;
	int *parent;       /* index of the parent in cats: -1 top level, -2 unresolved */
	int *row;          /* sheet row, 0 for a category that exists */
	const char **path; /* "市容环境/乱扔垃圾" */
	int n, nexisting;
	const struct unit *units; /* the tenant's, for default units */
	int nunits;
	json_t *errors; /* {row, field, message} */
	struct arena *a;
};

/* Start checking a sheet of nrows rows against the tenant's categories all[0..nall). */
void category_import_init(struct category_import *x, const struct category *all, int nall,
                          int nrows, const struct unit *units, int nunits, json_t *errors,
                          struct arena *a);

/* Check data row nrow (cells[CC_NCOLS], "" for missing) and add it as cats[n]. */
void category_import_check(struct category_import *x, int nrow, const char *const *cells);

/* ---- grids (grid_db.c) ---------------------------------------------------- */

struct grid_worker {
	int64_t id;
	const char *username, *name;
};

struct grid {
	int64_t id;
	const char *code, *name;
	int64_t unit_id; /* 0: none */
	const char *unit_name;
	const char *geometry; /* GeoJSON text; NULL in lists */
	struct geo_info geo;
	int64_t sort;
	int enabled;
	int nworkers;
	struct grid_worker *workers; /* get only */
	int64_t point_count;
	int64_t created_at, updated_at;
};

struct grid_filter {
	const char *keyword; /* substring of code or name, or NULL */
	int64_t unit_id;     /* 0: any */
	int enabled;         /* -1 any */
	int64_t offset, limit;
};

int grid_list(struct store_conn *c, int64_t tenant_id, const struct grid_filter *f, struct arena *a,
              struct grid **out, int *n, int64_t *total, struct error *e);

/* One grid with its geometry and workers; ERR_NOT_FOUND otherwise. */
int grid_get(struct store_conn *c, int64_t tenant_id, int64_t id, struct arena *a, struct grid *out,
             struct error *e);

/*
 * For the map: enabled grids whose bounding box meets box, with geometry,
 * at most limit of them (sort, id order).
 */
int grid_map_list(struct store_conn *c, int64_t tenant_id, const struct geo_box *box, int limit,
                  struct arena *a, struct grid **out, int *n, struct error *e);

/* The id of the grid with this code or name, 0 when none. */
int grid_find(struct store_conn *c, int64_t tenant_id, const char *code_or_name, int64_t *id,
              struct error *e);

json_t *grid_json(const struct grid *g, int with_geometry);

/* Insert / update g with its geo_info; ERR_CONFLICT on a code or name taken. */
int grid_insert(struct store_conn *c, int64_t tenant_id, struct grid *g, struct error *e);
int grid_update(struct store_conn *c, int64_t tenant_id, const struct grid *g, struct error *e);

/* Replace the workers of a grid by user ids[0..n) (checked to be of the tenant). */
int grid_set_workers(struct store_conn *c, int64_t tenant_id, int64_t grid_id, const int64_t *ids,
                     int n, struct error *e);

/* Delete; ERR_CONFLICT while points lie in it. */
int grid_delete(struct store_conn *c, int64_t tenant_id, int64_t id, struct error *e);

/*
 * The enabled grid of the tenant containing (lat, lng): *grid_id and its
 * *unit_id, both 0 when none (the first by sort when grids overlap).
 */
int grid_locate(struct store_conn *c, int64_t tenant_id, double lat, double lng, struct arena *a,
                int64_t *grid_id, int64_t *unit_id, struct error *e);

/* ---- point types and points (point_db.c) ------------------------------- */

struct point_type {
	int64_t id;
	const char *code, *name;
	int64_t sort;
	int enabled;
	int64_t point_count;
	int64_t created_at, updated_at;
};

struct type_filter {
	const char *keyword;
	int enabled;
	int64_t offset, limit; /* limit 0: all */
};

int point_type_list(struct store_conn *c, int64_t tenant_id, const struct type_filter *f,
                    struct arena *a, struct point_type **out, int *n, int64_t *total,
                    struct error *e);
int point_type_get(struct store_conn *c, int64_t tenant_id, int64_t id, struct arena *a,
                   struct point_type *out, struct error *e);
json_t *point_type_json(const struct point_type *t);
int point_type_insert(struct store_conn *c, int64_t tenant_id, struct point_type *t,
                      struct error *e);
int point_type_update(struct store_conn *c, int64_t tenant_id, const struct point_type *t,
                      struct error *e);
/* ERR_CONFLICT while points have this type. */
int point_type_delete(struct store_conn *c, int64_t tenant_id, int64_t id, struct error *e);

struct point {
	int64_t id, type_id;
	const char *type_name;
	const char *code, *name;
	int has_location;
	double lat, lng;
	const char *address;
	int64_t grid_id, unit_id; /* 0: none */
	const char *grid_name, *unit_name;
	const char *person, *phone;
	int enabled;
	int64_t created_at, updated_at;
};

struct point_filter {
	const char *keyword; /* substring of code, name or address */
	int64_t type_id, grid_id, unit_id;
	int enabled;
	int64_t offset, limit; /* limit 0: all */
};

int point_list(struct store_conn *c, int64_t tenant_id, const struct point_filter *f,
               struct arena *a, struct point **out, int *n, int64_t *total, struct error *e);
int point_get(struct store_conn *c, int64_t tenant_id, int64_t id, struct arena *a,
              struct point *out, struct error *e);

/* For the map: enabled points with a location inside box, at most limit of them. */
int point_map_list(struct store_conn *c, int64_t tenant_id, const struct geo_box *box, int limit,
                   struct arena *a, struct point **out, int *n, struct error *e);
json_t *point_json(const struct point *p);
int point_insert(struct store_conn *c, int64_t tenant_id, struct point *p, struct error *e);
int point_update(struct store_conn *c, int64_t tenant_id, const struct point *p, struct error *e);
int point_delete(struct store_conn *c, int64_t tenant_id, int64_t id, struct error *e);

/* ---- routing a problem (route.c) ------------------------------------------ */

/*
 * The default responsible unit and deadline of a new problem.  The unit is
 * the point's responsible unit (point_id > 0), else the unit of the grid
 * containing (lat, lng) (both given as numbers; NaN for none), else the
 * category's default unit, looked up the tree.  The deadline is the
 * category's, looked up the tree.  0 in either when nothing decides it.
 * ERR_NOT_FOUND when category_id or point_id is not of the tenant.
 */
int master_route(struct store_conn *c, int64_t tenant_id, int64_t category_id, int64_t point_id,
                 double lat, double lng, int64_t *unit_id, int64_t *deadline_hours,
                 struct error *e);

/* ---- shared by the api_*.c files (api_categories.c) ---------------------- */

/* The unit of the tenant with this id (a reference in a body); field names the error. */
int master_check_unit(struct req *r, int64_t unit_id, const char *field);

/* The id of the unit named text (name or path) among the tenant's, for imports; -1 none, -2 many.
 */
int64_t master_unit_by_name(const struct unit *all, int n, const char *text, struct arena *a);

/*
 * For imports: the unit a cell names (a name, or a path when names repeat)
 * among units[0..n); 0 after adding an error for field of row to errors
 * when there is no such unit or several (master_sheet.c).
 */
int64_t master_import_unit(json_t *errors, int row, const char *field, const struct unit *units,
                           int n, const char *text, struct arena *a);

/*
 * For imports: report that value, in field of row, is taken already: by a
 * record that exists (earlier_row 0) or by row earlier_row of the sheet.
 */
void master_import_taken(json_t *errors, int row, const char *field, const char *value,
                         int earlier_row);

/* A code: 1–32 letters, digits, "-", "_", "."; a name without control characters. */
int master_code_ok(const char *s);

/* ---- demo (demo_master.c) -------------------------------------------------- */

struct master_demo_counts {
	int categories, grids, point_types, points;
};

/*
 * Fill the tenant with the demo county's master data: the category tree, 9
 * grids, the point types of docs/domain.md ("Places") and about 300 points, responsible
 * units taken from the tenant's units by name.  In the caller's transaction.
 */
int demo_master_fill(struct store_conn *c, int64_t tenant_id, struct master_demo_counts *counts,
                     struct error *e);

/* ---- routes ---------------------------------------------------------------- */

void category_routes(struct router *rt);
void grid_routes(struct router *rt);
void point_routes(struct router *rt);

/* All of them: what routes.c calls. */
void master_routes(struct router *rt);

#endif

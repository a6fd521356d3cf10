/*
 * assess.h - 考核: assessment periods of units and 问责 (docs/assessment.md).
 *
 * The office sets a scheme per tenant: the weights of the components
 * (problems, tasks, materials, inspections, announcements), grade bands, the
 * red/black list rule and the overdue days that put a unit on the 问责 list.
 * A period (week | month | year) is computed as a draft: one row per unit of
 * the ranked kinds (department, town, community), each component a score
 * 0..100 or missing (null with a reason, never 0); the total is the weighted
 * mean of the present components plus the manual adjustments; units are ranked
 * within their kind.  Publishing freezes the rows: any edit afterwards is 409.
 *
 * The bulletin module reads a period and its results through the two
 * functions below; every pointer they return lives in arena a.
 */
#ifndef WENMING_ASSESS_H
#define WENMING_ASSESS_H

#include <jansson.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"

struct store_conn;
struct router;

struct assess_result {
	int64_t unit_id;
	const char *unit_name, *unit_kind;
	double total, adjust; /* total includes adjust */
	int rank;             /* within the unit kind; 0 when the unit has no total */
	const char *grade;    /* "" when no bands */
	int list;             /* 1 red, -1 black, 0 none */
	json_t *components;   /* borrowed; freed with the arena's owner */
};

struct assess_period {
	int64_t id;
	const char *kind, *title, *status;
	int64_t from_ms, to_ms;
};

/*
 * The period id of tenant_id (ERR_NOT_FOUND when it is not the tenant's).
 * db is a borrowed connection (struct req's r->db).
 */
int assessment_get(struct store_conn *db, int64_t tenant_id, int64_t id, struct arena *a,
                   struct assess_period *out, struct error *e);

/*
 * The stored results of period id, by kind then rank (unranked last); the
 * strings live in arena a.  The arena cannot free JSON, so the caller (the
 * owner of a) releases the components with assess_results_release(out, n)
 * before releasing a.
 */
int assessment_results(struct store_conn *db, int64_t tenant_id, int64_t id, struct arena *a,
                       struct assess_result **out, int *n, struct error *e);

/* Drop the components of results[0..n) (json_decref); the array stays in its arena. */
void assess_results_release(struct assess_result *results, int n);

/* /assessments, /assessments/scheme, /accountability. */
void assess_routes(struct router *rt);

#endif

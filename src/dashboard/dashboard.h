/*
 * dashboard.h - the leaders' dashboard (驾驶舱, docs/dashboard.md): the
 * predicted total out of the three parts as their own modules score them
 * (field: inspect's round score; questionnaire: survey results; materials:
 * materials_score), the negative list and the minors' gate, the ranked
 * fixes that regain the most points per unit of work, the weekly trend,
 * the problems' weekly flow and the best and worst units.
 *
 * dashboard.c composes the parts and the fixes (no SQL, no HTTP: it calls
 * the modules' domain functions); dashboard_db.c holds the SQL of the
 * problems' flow and the weekly trend; api_dashboard.c the route.  Figures
 * are county-wide: the caller checks that its reader sees the whole tenant.
 */
#ifndef WENMING_DASHBOARD_H
#define WENMING_DASHBOARD_H

#include <jansson.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"

struct store_conn;
struct router;

#define DASH_WEEKS   12 /* weeks of trend and flow */
#define DASH_FIXES   10 /* lines of at_risk */
#define DASH_UNITS   5  /* top and bottom units */
#define DASH_SCAN    50 /* newest rounds / surveys looked at for one with data */
#define DASH_WEAKEST 3  /* communities in a questionnaire fix */

/* The tenant's Monday (YYYY-MM-DD) of the week holding ms, and that Monday's start in ms UTC. */
void dashboard_week_of(int64_t ms, int tz_minutes, char out[11], int64_t *start);

/*
 * The dashboard of tenant as of now: {countdown_days, eval_date, today,
 * framework, predicted, at_risk, trend, problems, units}.  *out is a new
 * object.  Reads only; the caller keeps the week's figures with
 * dashboard_week_save.
 */
int dashboard_build(struct store_conn *c, int64_t tenant_id, int64_t now, int tz_minutes,
                    struct arena *a, json_t **out, struct error *e);

/* ---- storage (dashboard_db.c) ------------------------------------------------ */

/* Problems reported, closed and fallen overdue in each of the n weeks from start (ms). */
struct dash_week_flow {
	int64_t reported, closed, overdue;
};

int dashboard_problem_flow(struct store_conn *c, int64_t tenant_id, int64_t start, int nweeks,
                           int64_t now, struct dash_week_flow *out, struct error *e);

/* Keep predicted (the answer's "predicted") for week; in the caller's write transaction. */
int dashboard_week_save(struct store_conn *c, int64_t tenant_id, const char *week,
                        json_t *predicted, int64_t now, struct error *e);

/* The kept weeks from week `from` on, oldest first, as [{week,total,field,...}]. */
int dashboard_weeks(struct store_conn *c, int64_t tenant_id, const char *from, json_t **out,
                    struct error *e);

void dashboard_routes(struct router *rt);

#endif

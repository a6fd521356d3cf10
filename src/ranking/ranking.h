/*
 * ranking.h - unit rankings of the closed loop (单位排名).  The definitions, with worked examples,
 * are docs/rankings.md; in short, for a period [start, end) of tenant calendar days, a problem
 * counts for its lead unit, voided and invalid ones never:
 *
 *   due         deadline in [start, cut), status not parked or returned,
 *               where cut = min(end, now): a problem falls due when its
 *               deadline passes, in the period that holds the deadline
 *   closed      due, closed with outcome "fixed" before end, and no step of
 *               the unit's done for it by the office (代办)
 *   proxy_closed due and closed so, with some 代办 step: counted apart
 *   on_time     closed and closed_at <= deadline
 *   reworked    closed and rework_count > 0
 *   recurrences problems reported in [start, end) whose recurrence_of is a
 *               problem of the unit closed as fixed
 *   assigned    assigned_at (the latest assignment) in [start, end)
 *   extended    assigned and extension_count > 0
 *   overdue     at cut: assigned by then, deadline before it, and still open
 *               (assigned, rectifying, rework, submitted) or closed after it
 *
 * Rates are null when their denominator is 0.  The composite weighs the
 * rates (the three "bad" ones as 1 - rate) with the tenant's weights over the
 * rates that exist; a unit with nothing due gets no composite and no grade.
 *
 * ranking.c is pure (unit-tested); ranking_db.c counts in SQL, filtered by
 * tenant and the caller's data scope on the lead unit; api_rankings.c is
 * the routes.
 */
#ifndef WENMING_RANKING_H
#define WENMING_RANKING_H

#include <jansson.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "settings/settings.h"

struct store_conn;
struct router;
struct scope;

struct rank_row {
	int64_t unit_id;
	const char *unit_name, *ancestors;
	int64_t unit_sort;
	/* counts */
	int64_t due, closed, on_time, reworked, recurrences, assigned, extended, overdue;
	int64_t close_ms;     /* sum over closed of closed_at - first_assigned_at */
	int64_t proxy_closed; /* closures with a 代办 step, not in closed */
	/* derived by ranking_compute */
	int has_rate[RATE_COUNT];
	double rate[RATE_COUNT]; /* fractions; recurrence may exceed 1 */
	int has_avg_hours;
	double avg_hours; /* rounded to 0.1 */
	int has_score;
	double score; /* 0..100, rounded to 0.01 */
	char grade;   /* 'A'..'E', 0 without a score */
	int rank;     /* 1.., equal scores share one; 0 without a score */
};

/* Fill the rates, average hours, composite score and grade of row. */
void ranking_compute(struct rank_row *row, const struct tenant_settings *s);

/* The grade of a composite score under the tenant's bands. */
char ranking_grade(double score, const struct tenant_settings *s);

/* Sort by score (unscored last), then fewer overdue, then unit order; set rank. */
void ranking_sort(struct rank_row *rows, int n);

/* 1 when a row has anything to show (some count is not 0). */
int ranking_row_active(const struct rank_row *row);

/* A row as the API shows it; rates rounded to 4 decimals, null when undefined. */
json_t *ranking_row_json(const struct rank_row *row);

/* The JSON key of rate r ("closure_rate"). */
const char *ranking_rate_key(enum rank_rate r);

/* ---- storage (ranking_db.c) -------------------------------------------------- */

struct ranking_query {
	int64_t start, end, cut;   /* ms; cut = min(end, now) */
	const struct scope *scope; /* units the caller may see (unit_scope) */
	const char *subtree;       /* "/1/5/" to keep one unit and its sub-units, or "" */
	int64_t version;           /* ranking_version, read before now was taken for cut */
};

/* Where counts are kept (ranking_cache.c): key and generation; gen 0: not kept. */
struct ranking_cached {
	const char *key;
	uint64_t gen;
};

/*
 * The tenant's problem version (problem_versions, 0015): moved by every
 * committed change of a problem or a unit.  Read it before taking the time
 * the cut comes from: every row it covers then carries times up to the cut.
 */
int ranking_version(struct store_conn *c, int64_t tenant_id, int64_t *version, struct error *e);

/*
 * One row per unit with counts (unsorted, not computed, inactive ones left
 * out).  Counts computed before are used again when nothing they depend on
 * can have changed: the same key, q->version unchanged and, when the cut
 * moved, no deadline passed in between (ranking_db.c).
 */
int ranking_counts(struct store_conn *c, int64_t tenant_id, const struct ranking_query *q,
                   struct arena *a, struct rank_row **out, int *n, struct ranking_cached *cached,
                   struct error *e);

/* ---- the cache of counts (ranking_cache.c), process-wide, thread-safe ------ */

/*
 * 1 and a copy (arena a) of the entry under key, with its version, cut and
 * generation (a number of its own for every put); else 0.
 */
int ranking_cache_get(const char *key, struct arena *a, struct rank_row **rows, int *n,
                      int64_t *version, int64_t *cut, uint64_t *gen);

/* Keep a copy of rows[0..n) under key (replacing what was there); its generation. */
uint64_t ranking_cache_put(const char *key, int64_t version, int64_t cut,
                           const struct rank_row *rows, int n);

/* The counts of generation gen under key hold at the later cut too. */
void ranking_cache_touch(const char *key, uint64_t gen, int64_t cut);

/*
 * The rows of generation gen under key as rendered with settings (any
 * text that stands for them), copied to a; NULL when not kept.
 */
const char *ranking_cache_rendered(const char *key, uint64_t gen, const char *settings,
                                   struct arena *a);

/* Keep rendered for generation gen under key, when that is still the entry. */
void ranking_cache_set_rendered(const char *key, uint64_t gen, const char *settings,
                                const char *rendered);

/*
 * Before counting key: 0 with *flying = 1 when the caller is the one to
 * count it (then ranking_cache_land(key) when done, however it ended);
 * 0 with *flying = 0 when nobody is counting it but there is no room to
 * say so; 1 after waiting for another request counting it to land (look
 * in the cache again, then count without flying).
 */
int ranking_cache_fly(const char *key, int *flying);
void ranking_cache_land(const char *key);

/* Forget every entry. */
void ranking_cache_clear(void);

/* ---- routes ------------------------------------------------------------------------ */

/* GET /rankings, GET /rankings/export. */
void ranking_routes(struct router *rt);

#endif

/*
 * assess_int.h - what the files of src/assess/ share: the scheme, a unit's
 * working row, the component table and the storage functions.
 */
#ifndef WENMING_ASSESS_INT_H
#define WENMING_ASSESS_INT_H

#include <jansson.h>
#include <stdint.h>

#include "assess/assess.h"
#include "core/arena.h"
#include "core/err.h"

struct scope;

/* The components, in the order weights are kept and shown. */
enum assess_comp {
	AC_PROBLEMS = 0, /* the ranking's composite */
	AC_TASKS,        /* reports on time, progress on schedule */
	AC_MATERIALS,    /* submitted on time, approved */
	AC_INSPECTIONS,  /* pass rate at the unit's points */
	AC_ANNOUNCEMENTS,
	AC_COUNT
};

#define ASSESS_MAX_BANDS  8
#define ASSESS_MAX_FILES  10
#define ASSESS_REASON_MAX 500
#define ASSESS_POINTS_MAX 100

struct assess_scheme {
	double weights[AC_COUNT];                 /* >= 0; present components' weights count */
	int nbands;                               /* bands by falling minimum */
	const char *band_grade[ASSESS_MAX_BANDS]; /* "优秀" */
	double band_min[ASSESS_MAX_BANDS];
	int red_top, black_bottom; /* per unit kind; 0: no list */
	int overdue_days;          /* 问责: problems overdue longer than this */
};

/* One unit of a period while it is computed or re-ranked. */
struct assess_row {
	int64_t unit_id, unit_sort;
	const char *unit_name, *unit_kind;
	int has[AC_COUNT];
	double score[AC_COUNT];       /* 0..100, rounded to 0.01 */
	const char *reason[AC_COUNT]; /* why a component is missing */
	json_t *basis[AC_COUNT];      /* the counts behind a score (owned until stored) */
	int has_base;
	double base, adjust, total;
	int rank, list, overdue_long;
	const char *grade;
};

/* What a component computes from. */
struct assess_ctx {
	int64_t tenant_id;
	const char *from_day, *to_day; /* YYYY-MM-DD, tenant calendar */
	int64_t from_ms, to_ms, cut;   /* to_ms exclusive; cut = min(to_ms, now) */
	int minutes;                   /* the tenant's offset east of UTC */
	struct arena *a;
};

/*
 * A component: fills has/score/reason/basis of rows[0..n) for its index.
 * Adding one (the announcements, when that module lands) is one function
 * here and one line in assess_source_db.c's table.
 */
struct assess_component {
	const char *key, *title;
	int (*compute)(struct store_conn *c, const struct assess_ctx *x, int comp,
	               struct assess_row *rows, int n, struct error *e);
};

/* The table, AC_COUNT entries (assess_source_db.c). */
const struct assess_component *assess_component_at(int comp);

/* ---- assess.c (pure) -------------------------------------------------------- */

void assess_scheme_default(struct assess_scheme *s);
/* Read a scheme document; ERR_INVALID naming the field (Chinese message). */
int assess_scheme_parse(json_t *doc, struct arena *a, struct assess_scheme *s, struct error *e);
json_t *assess_scheme_json(const struct assess_scheme *s);
/* base of row: weighted mean of its present components; has_base 0 when none. */
void assess_base(struct assess_row *row, const struct assess_scheme *s);
/* total = base + adjust, rank within kind, grade and red/black list of rows[0..n). */
void assess_rank(struct assess_row *rows, int n, const struct assess_scheme *s);
/* The components object of a row (new reference; steals the bases). */
json_t *assess_components_json(struct assess_row *row, const struct assess_scheme *s);
double assess_round2(double v);
const char *assess_kind_title(const char *kind); /* "月度" or NULL */

/* ---- assess_source_db.c ---------------------------------------------------- */

/* The units ranked: enabled department, town and community units. */
int assess_units(struct store_conn *c, int64_t tenant_id, struct arena *a, struct assess_row **out,
                 int *n, struct error *e);
/* Per unit, problems open at `at` whose deadline is before `before`. */
int assess_overdue_long(struct store_conn *c, int64_t tenant_id, int64_t at, int64_t before,
                        struct assess_row *rows, int n, struct error *e);

/* ---- assess_db.c ------------------------------------------------------------- */

struct assess_period_row {
	struct assess_period p;
	const char *from_day, *to_day, *scheme;
	int64_t computed_at, published_at, created_at;
	const char *published_by_name;
	int units; /* result rows */
};

struct assess_adjustment {
	int64_t id, unit_id, approver_id, created_at;
	const char *unit_name, *reason, *file_ids, *approver_name;
	double points;
};

struct accountability_action {
	int64_t id, unit_id, created_by, created_at;
	const char *unit_name, *unit_kind, *action, *acted_on, *text, *basis, *file_ids,
	    *created_by_name;
};

int assess_scheme_load(struct store_conn *c, int64_t tenant_id, struct arena *a,
                       struct assess_scheme *s, int64_t *updated_at, struct error *e);
int assess_scheme_save(struct store_conn *c, int64_t tenant_id, const char *doc, int64_t user_id,
                       int64_t now, struct error *e);

int assess_db_insert(struct store_conn *c, int64_t tenant_id, struct assess_period_row *p,
                     int64_t user_id, struct error *e);
/* drafts: 0 hides drafts (ERR_NOT_FOUND for one). */
int assess_db_get(struct store_conn *c, int64_t tenant_id, int64_t id, int drafts, struct arena *a,
                  struct assess_period_row *out, struct error *e);
int assess_db_list(struct store_conn *c, int64_t tenant_id, const char *kind, const char *status,
                   int drafts, struct arena *a, struct assess_period_row **out, int *n,
                   struct error *e);
/* ERR_CONFLICT unless the period is a draft (read inside the write transaction). */
int assess_db_lock_draft(struct store_conn *c, int64_t tenant_id, int64_t id, struct error *e);
int assess_db_delete(struct store_conn *c, int64_t tenant_id, int64_t id, struct error *e);
int assess_db_set_title(struct store_conn *c, int64_t tenant_id, int64_t id, const char *title,
                        struct error *e);
int assess_db_publish(struct store_conn *c, int64_t tenant_id, int64_t id, int64_t user_id,
                      int64_t now, struct error *e);
/* Replace the results of a draft with rows[0..n) (components already JSON text). */
int assess_db_store_results(struct store_conn *c, int64_t id, const char *scheme,
                            struct assess_row *rows, const char *const *components, int n,
                            int64_t now, struct error *e);
/* The rows as stored (base, adjust from the adjustments, no components). */
int assess_db_rows(struct store_conn *c, int64_t id, struct arena *a, struct assess_row **out,
                   int *n, struct error *e);
int assess_db_update_ranks(struct store_conn *c, int64_t id, const struct assess_row *rows, int n,
                           struct error *e);
int assess_db_add_adjustment(struct store_conn *c, int64_t tenant_id, int64_t id,
                             struct assess_adjustment *adj, struct error *e);
int assess_db_adjustments(struct store_conn *c, int64_t tenant_id, int64_t id,
                          const struct scope *s, struct arena *a, struct assess_adjustment **out,
                          int *n, struct error *e);
/* The stored results, scoped (s NULL: all). */
int assess_db_results(struct store_conn *c, int64_t tenant_id, int64_t id, const struct scope *s,
                      struct arena *a, struct assess_result **out, int *n, struct error *e);
/* A unit's published results over periods of kind (all kinds when NULL), oldest first. */
struct assess_history_row {
	int64_t period_id;
	const char *title, *kind, *from_day, *to_day, *grade;
	int has_total, rank, list, ranked;
	double total, adjust;
};
int assess_db_history(struct store_conn *c, int64_t tenant_id, int64_t unit_id, const char *kind,
                      struct arena *a, struct assess_history_row **out, int *n, struct error *e);
/* Per unit, black in both of the last two published periods of one kind: the later period. */
int assess_db_black_twice(struct store_conn *c, int64_t tenant_id, struct arena *a,
                          int64_t **unit_ids, const char ***periods, int *n, struct error *e);

int accountability_insert(struct store_conn *c, int64_t tenant_id, struct accountability_action *x,
                          struct error *e);
/* unit_id 0: all (scoped by s). */
int accountability_list(struct store_conn *c, int64_t tenant_id, int64_t unit_id,
                        const struct scope *s, struct arena *a, struct accountability_action **out,
                        int *n, struct error *e);

/* ---- assess_ops.c: a period's steps, in the caller's write transaction -------- */

/* Insert p (kind, title, days, ms, created_at set) as a draft and compute it. */
int assess_period_create(struct store_conn *c, int64_t tenant_id, int minutes, int64_t user_id,
                         struct arena *a, struct assess_period_row *p, struct error *e);
/* Compute the draft p again with the tenant's current scheme. */
int assess_period_compute(struct store_conn *c, int64_t tenant_id, int minutes, struct arena *a,
                          struct assess_period_row *p, struct error *e);
/* Add adj (unit, points, reason, file_ids, approver, time) to the draft p and re-rank. */
int assess_period_adjust(struct store_conn *c, int64_t tenant_id, const struct assess_period_row *p,
                         struct assess_adjustment *adj, struct arena *a, struct error *e);
/* Re-rank and publish the draft p: its rows never change afterwards. */
int assess_period_publish(struct store_conn *c, int64_t tenant_id,
                          const struct assess_period_row *p, int64_t user_id, int64_t now,
                          struct arena *a, struct error *e);

/* ---- shared by the api_*.c files ------------------------------------------------ */

struct req;
/* The files of a JSON array of ids (those still there), as the API shows them. */
json_t *assess_files_json(struct req *r, const char *file_ids);
/* body's optional "file_ids": checked against the tenant, *out its JSON text ("[]"). */
int assess_file_ids(struct req *r, json_t *body, const char **out);

/* GET and POST /accountability (api_accountability.c). */
void accountability_routes(struct router *rt);

#endif

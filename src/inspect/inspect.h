/*
 * inspect.h - the evaluation framework (测评体系) and field inspection
 * (实地测评): framework versions with their indicator tree, the point types'
 * checklists, inspection rounds with their points and inspectors, and the
 * records of the points visited.  docs/inspection.md is the API contract.
 *
 * Rules without SQL or HTTP live in framework.c (methods, weight parts,
 * the tree) and sample.c (the seeded draw); storage in framework_db.c,
 * checklist_db.c, round_db.c and record_db.c; scoring a round in
 * round_score.c on top of score.h; the endpoints in api_*.c.
 *
 * Every query takes the tenant.  Reads of rounds, their points and records
 * take the caller's inspection:round:view scope (struct scope), so what lies
 * outside it is ERR_NOT_FOUND.  Writers expect the caller's write
 * transaction (which also holds the audit row).  Strings of returned structs
 * come from the arena the caller passes.
 */
#ifndef WENMING_INSPECT_H
#define WENMING_INSPECT_H

#include <jansson.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "inspect/score.h"

struct store_conn;
struct router;
struct scope;
struct req;

#define FW_NAME_MAX          100
#define FW_NOTE_MAX          500
#define IND_CODE_MAX         32
#define IND_TITLE_MAX        2000
#define IND_MAX_UNITS        50
#define ITEM_TITLE_MAX       200
#define CHECKLIST_MAX        200
#define ROUND_TITLE_MAX      100
#define ROUND_MAX_INSPECTORS 100
#define ROUND_MAX_POINTS     5000
#define RECORD_NOTE_MAX      500
#define RECORD_MAX_OBS       200
#define OBS_MAX_PHOTOS       9
#define SEED_MAX             9007199254740991LL /* 2^53 - 1: exact in JavaScript */

/* ---- methods and weight parts (framework.c) ------------------------------- */

enum { METHOD_FIELD = 1, METHOD_QUESTIONNAIRE = 2, METHOD_MATERIALS = 4, METHOD_DATA = 8 };
enum { PART_FIELD = 0, PART_QUESTIONNAIRE, PART_MATERIALS, NPARTS };

/* Bits of a stored "field,materials" list; -1 on an unknown name. */
int methods_parse(const char *s);
/* "field,materials" of bits, from a. */
const char *methods_text(int bits, struct arena *a);
/* A JSON array of the method names. */
json_t *methods_json(int bits);
/*
 * The methods of a spreadsheet cell: 实地考察、问卷调查、网上申报、数据/部门评价
 * or the English names, separated by 、,，/;； or spaces.  -1 when unreadable.
 */
int methods_from_cell(const char *cell);
/* A standard's weight shared equally among the parts its methods map to. */
void weight_parts(double weight, int methods, double parts[NPARTS]);

/*
 * The method vocabulary: a name as offices write it (实地考察, 材料审核,
 * 网络（电话、媒体）调查 ...) and the METHOD_* bit of the part it feeds.
 * The built-ins are in framework.c; an office adds its own (method_db.c).
 */
struct method_name {
	const char *name;
	int bit;
	int64_t id; /* 0 for a built-in */
};

#define METHOD_NAME_MAX 30
#define METHODS_MAX     40 /* names an office adds */

const struct method_name *method_builtins(int *n);
/* "field" -> METHOD_FIELD ...; -1 when unknown. */
int method_part_bit(const char *part);
const char *method_part_name(int bit);
/*
 * The methods of a sheet's cell, several joined by 、,，;；/ or spaces, each
 * a name of extra[0..nextra) or of the built-ins (the longest name wins, so
 * 网络（电话、媒体）调查 is one method).  Returns 0 with *bits, or -1 with
 * *unknown the first name not in the vocabulary (arena copy).
 */
int methods_from_cell_vocab(const char *cell, const struct method_name *extra, int nextra,
                            int *bits, const char **unknown, struct arena *a);
/* The office's own names (after the built-ins they extend); strings in a. */
int method_vocab_list(struct store_conn *c, int64_t tenant_id, struct arena *a,
                      struct method_name **out, int *n, struct error *e);
/* Add a name feeding part bit; ERR_CONFLICT when it is taken (built-in or not). */
int method_vocab_add(struct store_conn *c, int64_t tenant_id, const char *name, int bit,
                     int64_t *id, struct error *e);
int method_vocab_delete(struct store_conn *c, int64_t tenant_id, int64_t id, struct error *e);

/*
 * A code as offices write it: 1 to IND_CODE_MAX characters of letters and
 * digits of any script in use (ASCII, full-width, Roman numerals Ⅰ Ⅱ Ⅲ,
 * circled numbers, CJK), dashes, dots, underscores and brackets.
 */
int indicator_code_ok(const char *s);
/* Text that may run over several lines: no control character but \n \r \t. */
int indicator_text_ok(const char *s);

/* Sections of a framework with their own totals: the main framework, the
 * minors' framework (未成年人思想道德建设, a gate) and local features (特色指标). */
#define SECTION_MAIN    "main"
#define SECTION_MINORS  "minors"
#define SECTION_FEATURE "feature"
/* 1 for one of the three. */
int section_ok(const char *s);
const char *section_title(const char *s);

/* ---- frameworks and indicators (framework_db.c) --------------------------- */

struct framework {
	int64_t id;
	const char *name, *note;
	int active;
	int64_t copied_from; /* 0: none */
	int64_t projects, contents, standards, rounds;
	double weight, parts[NPARTS]; /* sums over the main section's standards */
	double minors_gate, feature_cap;
	int64_t created_at, updated_at;
};

struct ref {
	int64_t owner; /* the indicator it belongs to */
	int64_t id;
	const char *name;
};

struct indicator {
	int64_t id, framework_id, parent_id; /* parent 0: a project */
	int level;                           /* 1 project, 2 content, 3 standard */
	const char *code, *title;
	double weight;
	int methods;
	int64_t lead_unit_id;
	const char *lead_unit_name;
	int64_t sort;
	const char *method_text;  /* the methods as the sheet wrote them; "" : from methods */
	const char *grading;      /* the scheme as JSON (grading.h); "" : pass/fail credits */
	const char *grading_text; /* the 评分方式 cell as written */
	const char *section;      /* SECTION_* */
};

/* Every framework of the tenant, newest first; keyword matches the name. */
int framework_list(struct store_conn *c, int64_t tenant_id, const char *keyword, struct arena *a,
                   struct framework **out, int *n, struct error *e);
int framework_get(struct store_conn *c, int64_t tenant_id, int64_t id, struct arena *a,
                  struct framework *out, struct error *e);
/* The active framework's id; ERR_NOT_FOUND when none. */
int framework_active(struct store_conn *c, int64_t tenant_id, int64_t *id, struct error *e);
json_t *framework_json(const struct framework *f);
/* ERR_CONFLICT on a name taken. */
int framework_insert(struct store_conn *c, int64_t tenant_id, struct framework *f, struct error *e);
int framework_update(struct store_conn *c, int64_t tenant_id, const struct framework *f,
                     struct error *e);
int framework_delete(struct store_conn *c, int64_t tenant_id, int64_t id, struct error *e);
int framework_activate(struct store_conn *c, int64_t tenant_id, int64_t id, struct error *e);
/* ERR_CONFLICT when a round uses framework id (its tree may no longer change). */
int framework_check_unlocked(struct store_conn *c, int64_t id, struct error *e);
/* Copy the tree and checklists of from into the empty framework to. */
int framework_copy_content(struct store_conn *c, int64_t from, int64_t to, struct error *e);

/* The tree in order (parents first; siblings by sort, code) with units and point types. */
int indicator_all(struct store_conn *c, int64_t framework_id, struct arena *a,
                  struct indicator **out, int *n, struct ref **units, int *nunits,
                  struct ref **types, int *ntypes, struct error *e);
int indicator_get(struct store_conn *c, int64_t framework_id, int64_t id, struct arena *a,
                  struct indicator *out, struct error *e);
/* Insert (ind->id set); ERR_CONFLICT on a code taken. */
int indicator_insert(struct store_conn *c, struct indicator *ind, struct error *e);
int indicator_update(struct store_conn *c, const struct indicator *ind, struct error *e);
/* ERR_CONFLICT while it has children or checklist items. */
int indicator_delete(struct store_conn *c, int64_t framework_id, int64_t id, struct error *e);
int indicator_set_refs(struct store_conn *c, int64_t id, const int64_t *unit_ids, int nunits,
                       const int64_t *type_ids, int ntypes, struct error *e);

/* One node as JSON (units and point types of the standard from the lists). */
json_t *indicator_json(const struct indicator *ind, const struct ref *units, int nunits,
                       const struct ref *types, int ntypes);
/* The nested tree of docs/inspection.md with sums on levels 1-2. */
json_t *indicator_tree_json(const struct indicator *all, int n, const struct ref *units, int nunits,
                            const struct ref *types, int ntypes);
/* {"weight","field","questionnaire","materials"} of parts. */
json_t *parts_totals_json(double weight, const double parts[NPARTS]);

/*
 * framework_part_weights - what the questionnaire, materials and field
 * modules score against: the total weight of one part of the score (part:
 * PART_FIELD, PART_QUESTIONNAIRE or PART_MATERIALS, the last including data
 * and department evaluation) over a section's standards (SECTION_MAIN when
 * NULL), and each standard's weight in that part (its weight shared equally
 * among the parts its methods feed: weight_parts).  Standards with nothing
 * in the part are left out.  out->standards lives in a.  ERR_NOT_FOUND when
 * the framework is not the tenant's.
 */
struct part_weight {
	int64_t standard_id;
	const char *code, *title;
	double weight;  /* the standard's whole weight */
	double in_part; /* its weight in the part */
	int methods;
};

struct part_weights {
	int part;
	double total; /* sum of in_part */
	int n;
	struct part_weight *standards; /* tree order */
};

int framework_part_weights(struct store_conn *c, int64_t tenant_id, int64_t framework_id, int part,
                           const char *section, struct arena *a, struct part_weights *out,
                           struct error *e);

/* ---- the negative list (负面清单, negative_db.c) -------------------------- */

#define NEG_TEXT_MAX  1000
#define NEG_MAX_FILES 9

struct negative_item {
	int64_t id, framework_id;
	const char *code, *title;
	double deduction; /* points per incident */
	int veto;         /* 1: 一票否决 */
	int64_t sort;
};

struct negative_incident {
	int64_t id, framework_id, item_id, standard_id;
	const char *item_code, *item_title, *standard_code, *standard_title;
	const char *occurred_on, *place, *description;
	double deduction;
	int veto;
	int nfiles;
	int64_t files[NEG_MAX_FILES];
	int64_t created_by;
	const char *created_by_name;
	int64_t created_at, updated_at;
};

int negative_items_list(struct store_conn *c, int64_t framework_id, struct arena *a,
                        struct negative_item **out, int *n, struct error *e);
/* Insert (it->id set); ERR_CONFLICT on a code taken. */
int negative_item_insert(struct store_conn *c, struct negative_item *it, struct error *e);
json_t *negative_item_json(const struct negative_item *it);

/* Incidents of the tenant's framework, newest first. */
int negative_incident_list(struct store_conn *c, int64_t tenant_id, int64_t framework_id,
                           struct arena *a, struct negative_incident **out, int *n,
                           struct error *e);
int negative_incident_get(struct store_conn *c, int64_t tenant_id, int64_t id, struct arena *a,
                          struct negative_incident *out, struct error *e);
int negative_incident_insert(struct store_conn *c, int64_t tenant_id, struct negative_incident *x,
                             struct error *e);
int negative_incident_update(struct store_conn *c, int64_t tenant_id,
                             const struct negative_incident *x, struct error *e);
int negative_incident_delete(struct store_conn *c, int64_t tenant_id, int64_t id, struct error *e);
json_t *negative_incident_json(const struct negative_incident *x);
/* Sum of the deductions and whether any incident vetoes, over a framework. */
int negative_totals(struct store_conn *c, int64_t tenant_id, int64_t framework_id,
                    double *deduction, int *vetoes, int *incidents, struct error *e);

/* ---- checklists and default credits (checklist_db.c) ----------------------- */

struct checklist_item {
	int64_t id, framework_id, point_type_id, standard_id;
	const char *code;    /* as written (景点-01-01); "" when none */
	const char *grading; /* the standard's scheme (JSON text, "" : credits) */
	double standard_weight;
	const char *standard_code, *standard_title;
	const char *title;
	int64_t category_id;
	const char *category_name;
	double credit[3]; /* pass, fail, severe; NAN: the default */
	int64_t sort;
};

int inspection_settings_get(struct store_conn *c, int64_t tenant_id, struct credit_table *out,
                            struct error *e);
int inspection_settings_put(struct store_conn *c, int64_t tenant_id, const struct credit_table *t,
                            struct error *e);
json_t *credit_table_json(const struct credit_table *t);

/* Items of one point type (type 0: every type) in a framework, by type, sort, id. */
int checklist_list(struct store_conn *c, int64_t framework_id, int64_t point_type_id,
                   struct arena *a, struct checklist_item **out, int *n, struct error *e);
/* Replace a point type's items by items[0..n) (ids set). */
int checklist_replace(struct store_conn *c, int64_t framework_id, int64_t point_type_id,
                      struct checklist_item *items, int n, struct error *e);
/* The item's credit table: its own credits where set, else the defaults. */
void checklist_credits(const struct checklist_item *it, const struct credit_table *defaults,
                       struct credit_table *out);
json_t *checklist_item_json(const struct checklist_item *it, const struct credit_table *defaults);

/* ---- sampling (sample.c) --------------------------------------------------- */

uint64_t splitmix64(uint64_t *state);
/*
 * Draw min(k, n) of ids[0..n) (sorted by the caller) into out, in drawn
 * order, with the generator seeded from seed mixed with salt (a point
 * type's id): a partial Fisher-Yates shuffle.  Returns how many.
 */
int sample_draw(const int64_t *ids, int n, int k, uint64_t seed, uint64_t salt, int64_t *out);
/* Inspector index (0..ninspectors) of the i-th of n ordered points: contiguous blocks. */
int share_block(int i, int n, int ninspectors);

/* ---- rounds (round_db.c) ----------------------------------------------------- */

struct round {
	int64_t id, framework_id;
	const char *framework_name;
	const char *title, *kind, *status, *starts_on, *ends_on, *note;
	const char *mode;
	int64_t per_type, seed;
	const char *point_type_ids; /* JSON array */
	int64_t created_by, created_at, updated_at, closed_at;
};

struct round_point {
	int64_t point_id;
	const char *code, *name;
	int64_t type_id;
	const char *type_name, *type_code;
	int64_t grid_id;
	const char *grid_name, *grid_code;
	int64_t unit_id;
	const char *unit_name;
	int has_location;
	double lat, lng;
	const char *address;
	int64_t inspector_id;
	const char *inspector_name;
	int64_t record_id, sort;
};

struct round_inspector {
	int64_t id;
	const char *name, *username;
	int64_t done, total;
};

struct round_filter {
	const struct scope *scope;
	const char *keyword, *kind, *status;
	int64_t framework_id;
	int64_t offset, limit;
};

/* "日常督查" ... of a kind; NULL when unknown. */
const char *round_kind_title(const char *kind);

int round_list(struct store_conn *c, int64_t tenant_id, const struct round_filter *f,
               struct arena *a, struct round **out, int *n, int64_t *total, struct error *e);
/* One round within scope s (NULL: the tenant); ERR_NOT_FOUND otherwise. */
int round_get(struct store_conn *c, int64_t tenant_id, const struct scope *s, int64_t id,
              struct arena *a, struct round *out, struct error *e);
int round_insert(struct store_conn *c, int64_t tenant_id, struct round *r, struct error *e);
int round_update(struct store_conn *c, const struct round *r, struct error *e);
int round_set_status(struct store_conn *c, int64_t id, const char *status, int64_t now,
                     struct error *e);
/* ERR_CONFLICT once it has records. */
int round_delete(struct store_conn *c, int64_t id, struct error *e);
int round_add_inspector(struct store_conn *c, int64_t round_id, int64_t user_id, int sort,
                        struct error *e);
int round_add_point(struct store_conn *c, int64_t round_id, int64_t point_id, int64_t inspector_id,
                    int sort, struct error *e);
int round_assign_point(struct store_conn *c, int64_t round_id, int64_t point_id,
                       int64_t inspector_id, struct error *e);

struct round_point_filter {
	const struct scope *scope;
	int64_t inspector_id, type_id, grid_id, point_id;
	int done; /* -1 any */
	const char *keyword;
	int64_t offset, limit; /* limit 0: all */
};

/* Points of the round in scope, by sort. */
int round_points(struct store_conn *c, int64_t round_id, const struct round_point_filter *f,
                 struct arena *a, struct round_point **out, int *n, int64_t *total,
                 struct error *e);
json_t *round_point_json(const struct round_point *p);
/* Inspectors with done/total over the points in scope s. */
int round_inspectors(struct store_conn *c, int64_t round_id, const struct scope *s, struct arena *a,
                     struct round_inspector **out, int *n, struct error *e);
/* Points of the round in scope s: *done of *total have a record. */
int round_progress(struct store_conn *c, int64_t round_id, const struct scope *s, int64_t *done,
                   int64_t *total, struct error *e);
json_t *round_json(const struct round *r, const struct round_inspector *ins, int nins, int64_t done,
                   int64_t total);

/* ---- records (record_db.c) --------------------------------------------------- */

enum rating rating_parse_name(const char *s, int *ok);
const char *rating_name(enum rating r);
const char *rating_title(enum rating r);

struct observation {
	int64_t id, record_id, item_id, standard_id;
	const char *item_title, *standard_code, *standard_title;
	int64_t category_id;
	enum rating rating;
	double credit; /* -1 for n/a */
	int64_t count;
	const char *note;
	int nphotos;
	int64_t photos[OBS_MAX_PHOTOS];
	int64_t problem_id;
	const char *problem_code;
	/* a graded standard's answer (grading.h) and the credit it earned */
	int graded;
	const char *level;  /* "" when none */
	int64_t shortfalls; /* -1 when none */
	double rate;        /* -1 when none */
};

struct record {
	int64_t id, inspection_id;
	const char *client_key;
	int64_t point_id;
	const char *point_code, *point_name;
	int64_t point_type_id;
	const char *point_type_name;
	int64_t grid_id;
	const char *grid_name;
	int64_t unit_id;
	const char *unit_name;
	int64_t inspector_id;
	const char *inspector_name;
	int has_location;
	double lat, lng;
	int64_t captured_at, submitted_at, updated_at;
	const char *note;
	int nobs;
	struct observation *obs;
	int counts[4]; /* by rating */
	double credit; /* sum over rated observations */
};

struct record_filter {
	const struct scope *scope;
	int64_t point_id, inspector_id;
	int64_t offset, limit; /* limit 0: all */
};

/* Records with their observations (credits from the items, else defaults). */
int record_list(struct store_conn *c, int64_t round_id, const struct record_filter *f,
                const struct credit_table *defaults, struct arena *a, struct record **out, int *n,
                int64_t *total, struct error *e);
/* One record in scope s (NULL: any) with its observations. */
int record_get(struct store_conn *c, int64_t round_id, const struct scope *s, int64_t id,
               const struct credit_table *defaults, struct arena *a, struct record *out,
               struct error *e);
/* The record with this key (0 when none) and who submitted it. */
int record_by_key(struct store_conn *c, int64_t round_id, const char *key, int64_t *id,
                  int64_t *inspector_id, struct error *e);
/* The record at the point (0 when none). */
int record_by_point(struct store_conn *c, int64_t round_id, int64_t point_id, int64_t *id,
                    struct error *e);
/* Insert r's row (r->id set); ERR_CONFLICT on the key or point taken. */
int record_insert(struct store_conn *c, struct record *r, struct error *e);
int record_update(struct store_conn *c, const struct record *r, struct error *e);
/* Remove the observations of a record (before writing new ones). */
int record_clear(struct store_conn *c, int64_t record_id, struct error *e);
int observation_insert(struct store_conn *c, int64_t round_id, int64_t record_id,
                       struct observation *o, int sort, struct error *e);
int observation_set_problem(struct store_conn *c, int64_t id, int64_t problem_id, struct error *e);
json_t *record_json(const struct record *r, int with_observations);

/*
 * The problem failed observation o (already stored) of record rec at point pt
 * of round x becomes, reported by the record's inspector (of unit
 * actor_unit_id) at the record's time, in the caller's write transaction
 * (record_problem.c); o->problem_id is set and *summary (the caller's) is
 * what its audit row records.
 */
int record_observation_problem(struct store_conn *c, int64_t tenant_id, const struct round *x,
                               const struct record *rec, const struct round_point *pt,
                               struct observation *o, int64_t actor_unit_id, int tz_minutes,
                               struct arena *a, json_t **summary, struct error *e);

/* ---- scoring a round (round_score.c) ------------------------------------- */

/* One observation as the score needs it, with its names for the answers. */
struct scored_obs {
	int64_t id, record_id, standard_id, item_id, point_id, type_id, grid_id, unit_id;
	int64_t inspector_id, problem_id;
	enum rating rating;
	double credit; /* -1: n/a */
	int64_t count, captured_at;
	const char *point_code, *point_name, *type_name, *grid_name, *unit_name, *inspector_name;
	const char *item_title, *note, *problem_code;
	int64_t first_photo; /* 0: none */
};

/* Observations of the round's records in scope s (record_db.c). */
int round_observations(struct store_conn *c, int64_t round_id, const struct scope *s,
                       const struct credit_table *defaults, struct arena *a,
                       struct scored_obs **out, int *n, struct error *e);

struct round_score {
	struct round round;
	struct framework framework;
	int nind;
	struct indicator *ind;
	int nobs;
	struct scored_obs *obs;
	int64_t points_done, points_total;
	struct score_result result; /* standards: the main section's field standards, tree order */
	int *std_index;             /* result.standards[i] -> ind[] */
	struct score_result minors, feature; /* those sections' standards at their whole weight */
	double deduction;                    /* the negative list's incidents */
	int vetoes, incidents;
};

/*
 * The predicted total beside a round's field score: the field prediction,
 * plus local features' points (their score, at most the framework's cap),
 * less the negative list's deductions (never below 0); whether an incident
 * vetoes; and the minors' part scored on its own out of 100 against its
 * gate (85 unless the framework says otherwise).
 */
struct prediction {
	double field, feature, deduction, total;
	int veto, incidents;
	int has_minors, minors_observed, minors_passed;
	double minors, minors_total, minors_gate;
};

void round_prediction(const struct round_score *rs, struct prediction *p);
json_t *prediction_json(const struct prediction *p);

/* Load and score round id as the caller (scope s) sees it; round_score_release after. */
int round_score_load(struct store_conn *c, int64_t tenant_id, const struct scope *s, int64_t id,
                     struct arena *a, struct round_score *out, struct error *e);
void round_score_release(struct round_score *rs);
/* The answer of GET /inspections/{id}/score. */
json_t *round_score_json(const struct round_score *rs, struct arena *a);
/* The answer of GET /inspections/{id}/compare?with=. */
json_t *round_compare_json(const struct round_score *a, const struct round_score *b);

/* ---- routes -------------------------------------------------------------------- */

void framework_routes(struct router *rt);
void checklist_routes(struct router *rt);
void round_routes(struct router *rt);
void record_routes(struct router *rt);
void round_report_routes(struct router *rt);
void negative_routes(struct router *rt);

/* All of them: what routes.c calls. */
void inspect_routes(struct router *rt);

/* Inspection record photos as an owner kind of files (files.h), registered by inspect_routes. */
extern const struct file_owner_kind record_file_kind;

#endif

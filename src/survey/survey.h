/*
 * survey.h - resident questionnaires (问卷测评, docs/surveys.md).
 *
 * A survey is one version of a questionnaire: sections of questions (single
 * and multiple choice, rating scales, short text, the respondent's
 * community), each option scored, each question tied to an indicator of the
 * framework and to one of the four rates (知晓率, 支持率, 参与率, 满意度).  A
 * published survey is not edited in place: a new version is a copy.
 * Responses come by the public link (one per device, limited per address)
 * or from a surveyor's phone (idempotent by key, as inspection records);
 * quotas per community stop a full community; flagged responses wait for a
 * supervisor, and rejected ones are kept but left out of every result.
 *
 * survey_design.c parses and checks a design, survey_stats.c holds the pure
 * arithmetic (rates, 95 % intervals, quality flags), survey_results.c turns
 * responses into results, survey_db.c is the only SQL.  Strings of returned
 * structs come from the arena the caller passes.
 */
#ifndef WENMING_SURVEY_H
#define WENMING_SURVEY_H

#include <jansson.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"

struct store_conn;
struct router;

#define SURVEY_TITLE_MAX     100
#define SURVEY_INTRO_MAX     2000
#define SURVEY_MAX_QUESTIONS 200
#define SURVEY_MAX_OPTIONS   20
#define SURVEY_TEXT_MAX      500 /* a short-text answer */
#define SURVEY_PUBLIC_BODY   (16 * 1024)
#define SURVEY_MAX_QUOTAS    2000

/* The four rates of the questionnaire part. */
enum survey_rate {
	RATE_NONE = -1,
	RATE_AWARENESS = 0, /* 知晓率 */
	RATE_SUPPORT,       /* 支持率 */
	RATE_PARTICIPATION, /* 参与率 */
	RATE_SATISFACTION,  /* 满意度 */
	NRATES
};

const char *survey_rate_name(int rate);  /* "awareness" ... */
const char *survey_rate_title(int rate); /* "知晓率" ... */
int survey_rate_parse(const char *s);    /* RATE_NONE when unknown */

enum survey_qtype { Q_SINGLE, Q_MULTIPLE, Q_RATING, Q_TEXT, Q_COMMUNITY };

struct survey_option {
	const char *key, *label;
	double score; /* 0..1 */
	int scored;   /* 0: "不清楚" and the like, not counted in any rate */
};

struct survey_question {
	const char *key, *title;
	enum survey_qtype type;
	int section; /* index into sections */
	int required;
	int rate;             /* enum survey_rate or RATE_NONE */
	int64_t indicator_id; /* 0: none */
	int noptions;
	struct survey_option *options;
};

struct survey_design {
	int nsections;
	const char **sections; /* titles */
	int nquestions;
	struct survey_question *questions;
};

struct survey {
	int64_t id, tenant_id, framework_id;
	const char *title, *intro, *series, *wave, *status, *token;
	int64_t version, previous_id, min_seconds;
	const char *design_text; /* the stored JSON */
	struct survey_design d;
	int64_t created_by, created_at, updated_at, published_at, closed_at;
	int64_t responses; /* filled by lists */
};

struct survey_quota {
	int64_t unit_id;
	const char *unit_name, *age_group, *sex;
	int64_t target, count; /* count: responses not rejected */
};

/* ---- design (survey_design.c) ---------------------------------------------- */

/*
 * Parse and check a design object {"sections":[{"title","questions":[...]}]}
 * into d (arena a).  Question keys are made ("q1", ...) where missing and must
 * be unique.  ERR_INVALID naming the field ("sections[0].questions[2].options").
 */
int survey_design_parse(json_t *design, struct arena *a, struct survey_design *d, struct error *e);
/* The design as JSON (full: with scores, rates and indicators; else the public form). */
json_t *survey_design_json(const struct survey_design *d, int full);
const struct survey_question *survey_question_find(const struct survey_design *d, const char *key);

/*
 * Check the answers object of a response against the design (required
 * questions answered, options known, text lengths); *community_key gets the
 * key of the community question when there is one.  ERR_INVALID naming the
 * question.
 */
int survey_answers_check(const struct survey_design *d, json_t *answers, struct error *e);

/* ---- statistics (survey_stats.c, pure) --------------------------------------- */

/* Scores of one rate (or question, item, community) added up. */
struct stat_acc {
	int64_t n;
	double sum, sumsq;
	int fractional; /* a score other than 0 or 1 was added */
};

struct stat_value {
	int64_t n;
	double rate, low, high; /* 0..1; low = high = 0 when n = 0 */
	int wilson;             /* 1: Wilson interval of a proportion, 0: mean ± z·s/√n */
};

void stat_add(struct stat_acc *a, double score);
void stat_merge(struct stat_acc *into, const struct stat_acc *from);
void stat_value(const struct stat_acc *a, struct stat_value *out);
/* The Wilson score interval of x successes in n at z (1.96 for 95 %). */
void wilson_interval(double x, double n, double z, double *lo, double *hi);

/*
 * The score of answer to q in 0..1: single/rating the option's score,
 * multiple the sum of the chosen options' scores capped at 1.  Returns 1 when
 * the answer counts (a scored option chosen), 0 otherwise; *choice gets the
 * chosen option's index for single/rating (-1 otherwise).
 */
int survey_answer_score(const struct survey_question *q, json_t *answer, double *score,
                        int *choice);

/* The quality flags (bits). */
#define FLAG_FAST     1  /* answered faster than min_seconds */
#define FLAG_STRAIGHT 2  /* the same option position all the way down */
#define FLAG_DEVICE   4  /* the device token and its cookie disagree */
#define FLAG_ADDRESS  8  /* the address answered this survey many times */
#define FLAG_GPS      16 /* GPS outside the county */

struct survey_extent {
	int known;
	double min_lat, max_lat, min_lng, max_lng;
};

int survey_flag_fast(int64_t duration_ms, int64_t min_seconds);
/* 1 when at least 5 single/rating questions were answered all at one option position. */
int survey_flag_straight(const struct survey_design *d, json_t *answers);
/* 1 when (lat, lng) lies outside the extent widened by about 2 km. */
int survey_flag_gps(const struct survey_extent *x, double lat, double lng);
/* "fast,straight" of bits, and back. */
void survey_flags_text(int bits, char out[64]);
int survey_flags_parse(const char *s);
json_t *survey_flags_json(int bits);

/* ---- results (survey_results.c, pure) ---------------------------------------- */

/* One response as the results see it. */
struct survey_answerset {
	int64_t unit_id;
	json_t *answers; /* borrowed */
};

/* An indicator a question is tied to, with its weight in the questionnaire part. */
struct survey_item {
	int64_t indicator_id;
	const char *code, *title, *unit_name; /* the unit responsible */
	double weight;
};

struct survey_unit {
	int64_t id;
	const char *name, *parent_name;
	int64_t target; /* 0: no quota */
};

struct survey_results_in {
	const struct survey *s;
	const struct survey_answerset *rows;
	int nrows;
	const struct survey_item *items; /* of the questions' indicators */
	int nitems;
	double total;                    /* the framework's questionnaire total */
	const struct survey_unit *units; /* communities with quotas or answers */
	int nunits;
};

/*
 * The results: overall rates, per question (counts of each option), per item
 * (rate, weight, contribution, points lost), per community (the four rates),
 * predicted = Σ weight × rate over items with answers, and the points at
 * risk (weakest items and communities).  A new JSON object.
 */
json_t *survey_results_compute(const struct survey_results_in *in, struct arena *a);
/*
 * The results of survey s as GET /surveys/{id}/results computes them: its
 * items' weights, communities and counted responses loaded from the store,
 * then survey_results_compute.  *out is a new JSON object (survey_weights.c).
 */
int survey_results_load(struct store_conn *c, const struct survey *s, struct arena *a, json_t **out,
                        struct error *e);
json_t *stat_value_json(const struct stat_value *v);

/* ---- storage (survey_db.c) --------------------------------------------------- */
int survey_unit_exists(struct store_conn *c, int64_t tenant_id, int64_t unit_id, int64_t *found,
                       struct error *e);

struct survey_filter {
	const char *status; /* NULL: any */
	const char *keyword;
	int64_t offset, limit;
};

int survey_list(struct store_conn *c, int64_t tenant_id, const struct survey_filter *f,
                struct arena *a, struct survey **out, int *n, int64_t *total, struct error *e);
/* ERR_NOT_FOUND outside the tenant; the design parsed. */
int survey_get(struct store_conn *c, int64_t tenant_id, int64_t id, struct arena *a,
               struct survey *out, struct error *e);
/* By public token (any tenant); ERR_NOT_FOUND when unknown. */
int survey_by_token(struct store_conn *c, const char *token, struct arena *a, struct survey *out,
                    struct error *e);
int survey_insert(struct store_conn *c, struct survey *s, struct error *e);
int survey_update(struct store_conn *c, const struct survey *s, struct error *e);
int survey_set_status(struct store_conn *c, int64_t id, const char *status, const char *token,
                      int64_t now, struct error *e);
/* Waves of a series (by published_at, then id). */
int survey_series(struct store_conn *c, int64_t tenant_id, const char *series, struct arena *a,
                  struct survey **out, int *n, struct error *e);

int survey_quotas(struct store_conn *c, int64_t survey_id, struct arena *a,
                  struct survey_quota **out, int *n, struct error *e);
int survey_quotas_replace(struct store_conn *c, int64_t survey_id, const struct survey_quota *q,
                          int n, struct error *e);
/*
 * Is there room for one more response in unit (and the age group and sex)?
 * *full = 1 when a quota that applies is met; *listed = 0 when the survey
 * has quotas and unit is not among them.
 */
int survey_quota_room(struct store_conn *c, int64_t survey_id, int64_t unit_id,
                      const char *age_group, const char *sex, int *full, int *listed,
                      struct error *e);

/* The units a respondent may pick: the quota's, else every community of the tenant. */
int survey_communities(struct store_conn *c, int64_t tenant_id, int64_t survey_id, struct arena *a,
                       struct survey_unit **out, int *n, struct error *e);
/* The tenant's extent from its grids and points. */
int survey_extent(struct store_conn *c, int64_t tenant_id, struct survey_extent *x,
                  struct error *e);

struct survey_response {
	int64_t id, survey_id, tenant_id, unit_id;
	const char *unit_name, *channel, *device, *client_key, *ip, *phone, *age_group, *sex;
	int64_t surveyor_id;
	const char *surveyor_name;
	int has_location;
	double lat, lng;
	int64_t duration_ms;
	const char *answers; /* JSON text */
	int flags;
	const char *review, *review_note;
	int64_t reviewed_by, reviewed_at, submitted_at;
};

/* Insert (r->id set); ERR_CONFLICT when the device or the key already answered. */
int survey_response_insert(struct store_conn *c, struct survey_response *r, struct error *e);
/* The response of key in survey (0 when none) and its surveyor. */
int survey_response_by_key(struct store_conn *c, int64_t survey_id, const char *key, int64_t *id,
                           int64_t *surveyor_id, struct error *e);
/* 1 when device already answered survey. */
int survey_device_seen(struct store_conn *c, int64_t survey_id, const char *device, int *seen,
                       struct error *e);
int survey_address_count(struct store_conn *c, int64_t survey_id, const char *ip, int64_t *n,
                         struct error *e);

struct survey_response_filter {
	int flagged;        /* 1: flagged only */
	const char *review; /* NULL any, "" pending, accepted, rejected */
	int64_t unit_id;
	int64_t offset, limit; /* limit 0: every row */
};

int survey_response_list(struct store_conn *c, int64_t survey_id,
                         const struct survey_response_filter *f, struct arena *a,
                         struct survey_response **out, int *n, int64_t *total, struct error *e);
int survey_response_get(struct store_conn *c, int64_t survey_id, int64_t id, struct arena *a,
                        struct survey_response *out, struct error *e);
int survey_response_review(struct store_conn *c, int64_t id, const char *review, const char *note,
                           int64_t user_id, int64_t now, struct error *e);
/* The counted (not rejected) responses for results; answers parsed (caller decrefs). */
int survey_answersets(struct store_conn *c, int64_t survey_id, struct arena *a,
                      struct survey_answerset **out, int *n, struct error *e);
void survey_answersets_release(struct survey_answerset *rows, int n);
int64_t survey_response_count(struct store_conn *c, int64_t survey_id, struct error *e);

/*
 * The items the design's questions are tied to, with the weight each has in
 * the questionnaire part and the unit responsible, and the framework's
 * questionnaire total.  The one place that knows how a standard's weight is
 * shared between the score's parts (survey_weights.c).
 */
int survey_items(struct store_conn *c, const struct survey *s, struct arena *a,
                 struct survey_item **out, int *n, double *total, struct error *e);

/* ---- domain ------------------------------------------------------------------ */

/*
 * Store a response: quota room (ERR_GONE when full), flags from the design,
 * extent and address history, then the row.  r->flags is OR'ed with the
 * flags found.  In the caller's write transaction.
 */
int survey_respond(struct store_conn *c, const struct survey *s, struct survey_response *r,
                   json_t *answers, struct arena *a, struct error *e);

json_t *survey_json(const struct survey *s, int with_design);
json_t *survey_response_json(const struct survey_response *r);

/* Routes (api_surveys.c, api_survey_results.c, api_public_surveys.c, api_survey_sheet.c). */
void survey_routes(struct router *rt);
void survey_results_routes(struct router *rt);
void survey_public_routes(struct router *rt);
void survey_sheet_routes(struct router *rt); /* api_survey_sheet.c: questions as xlsx */

#endif

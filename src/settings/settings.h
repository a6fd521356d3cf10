/*
 * settings.h - per-tenant settings the campaign office tunes (系统管理 ›
 * 参数设置): the recurrence (反弹) rule problem reporting applies, and the
 * unit ranking's composite weights and grade bands (docs/rankings.md).
 *
 * settings.c holds the defaults and the validation (no SQL, no HTTP);
 * settings_db.c the one row per tenant (a tenant without a row has the
 * defaults); api_settings.c GET/PUT /settings.
 */
#ifndef WENMING_SETTINGS_H
#define WENMING_SETTINGS_H

#include <jansson.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"

struct store_conn;
struct router;

/* The ranking's rates, in the order weights are kept and shown. */
enum rank_rate {
	RATE_CLOSURE = 0, /* 结案率 */
	RATE_ON_TIME,     /* 按期结案率 */
	RATE_REWORK,      /* 返工率: lower is better */
	RATE_RECURRENCE,  /* 反弹率: lower is better */
	RATE_EXTENSION,   /* 延期率: lower is better */
	RATE_COUNT
};

/* Grades A..D have a lower bound; below grades[GRADE_D] is E. */
enum { GRADE_A = 0, GRADE_B, GRADE_C, GRADE_D, GRADE_BANDS };

#define SETTINGS_SHEET_FORMAT_MAX        120 /* bytes of the sheet number pattern */
#define SETTINGS_SHEET_FORMAT_DEFAULT    "交办〔{YYYY}〕{NNN}"
#define SETTINGS_BULLETIN_FORMAT_DEFAULT "督查情况〔{YYYY}〕第{N}期"

struct tenant_settings {
	int recur_distance_m;    /* 10..5000 */
	int recur_window_days;   /* 1..365 */
	int weights[RATE_COUNT]; /* 0..100 each, summing to 100 */
	int grades[GRADE_BANDS]; /* 1..100, strictly falling */
	int proxy_enabled;       /* the office may act for a unit (代办), with a reason */
	char sheet_number_format[SETTINGS_SHEET_FORMAT_MAX + 1]; /* 交办〔{YYYY}〕{NNN} */
	char bulletin_number_format[SETTINGS_SHEET_FORMAT_MAX + 1]; /* 督查情况〔{YYYY}〕第{N}期 */
	int64_t updated_by; /* 0: never saved (the defaults) */
	const char *updated_by_name;
	int64_t updated_at;
};

#define SETTINGS_RECUR_DISTANCE_MIN 10
#define SETTINGS_RECUR_DISTANCE_MAX 5000
#define SETTINGS_RECUR_WINDOW_MAX   365

/* The JSON key of a rate's weight ("weight_closure") and its Chinese name (结案率). */
const char *settings_weight_key(enum rank_rate r);
const char *settings_rate_title(enum rank_rate r);

/*
 * The sheet number of sequence no in year by pattern fmt ({YYYY}: the year,
 * {NNN}: no zero-padded to as many digits as N's) into out (size n).
 * Returns 0, or ERR_INVALID naming "sheet_number_format" when fmt lacks
 * either placeholder (or repeats one), is empty, too long or holds control
 * characters: settings_from_json checks a pattern with it.
 */
int settings_sheet_number(const char *fmt, int year, long long no, char *out, size_t n,
                          struct error *e);

/* The same for the 通报 number (bulletin_number_format): 督查情况〔2026〕第16期. */
int settings_bulletin_number(const char *fmt, int year, long long no, char *out, size_t n,
                             struct error *e);

/* The defaults: 100 m, 30 days, weights 30/30/15/15/10, bands 90/75/60/40. */
void settings_defaults(struct tenant_settings *s);

/*
 * Read every field of a PUT body into s (all are required but
 * proxy_enabled, which keeps *keep's value when absent; unknown keys
 * refused); ERR_INVALID naming the field: out of range, weights not summing
 * to 100 (field "weights"), bands not strictly falling.
 */
int settings_from_json(json_t *body, const struct tenant_settings *keep, struct tenant_settings *s,
                       struct error *e);

/* The settings as the API shows them (without the "defaults" object). */
json_t *settings_json(const struct tenant_settings *s);

/* ---- storage (settings_db.c) ------------------------------------------------ */

/* The tenant's settings, or the defaults when never saved; names from a. */
int settings_get(struct store_conn *c, int64_t tenant_id, struct arena *a,
                 struct tenant_settings *out, struct error *e);

/* Insert or replace the tenant's row, in the caller's write transaction. */
int settings_put(struct store_conn *c, int64_t tenant_id, const struct tenant_settings *s,
                 int64_t user_id, int64_t now, struct error *e);

/* GET/PUT /settings. */
void settings_routes(struct router *rt);

#endif

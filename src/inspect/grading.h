/*
 * grading.h - how a standard is graded (评分方式), as real frameworks write
 * it.  Pure rules: no SQL, no HTTP.
 *
 * Four schemes:
 *   credits    today's 合格 / 不合格 / 严重不合格 with the credit table;
 *   levels     A/B/C(/D): each level earns a share of the weight, and the
 *              rule text says when it applies ("4项全符合为A");
 *   deduction  points off per shortfall ("每少一处扣 2 分") down to a floor;
 *   rate       a measured rate (0..1) earns the share of the highest
 *              threshold it reaches ("达标率≥90%得满分").
 * An observation answers what its scheme needs (a rating, a level, a count
 * of shortfalls, a rate) and grading_credit turns the answer into the
 * credit (0..1) the field score (score.h) averages.
 */
#ifndef WENMING_GRADING_H
#define WENMING_GRADING_H

#include <jansson.h>
#include <stdint.h>

#include "inspect/score.h"

enum grading_kind { GRADING_CREDITS = 0, GRADING_LEVELS, GRADING_DEDUCTION, GRADING_RATE };

#define GRADING_MAX_LEVELS 8
#define GRADING_LEVEL_MAX  8   /* bytes of a level's name ("A", "优") */
#define GRADING_RULE_MAX   500 /* characters of a level's rule text */

struct grading_level {
	char name[GRADING_LEVEL_MAX + 1];
	double share;     /* of the weight, 0..1 */
	const char *rule; /* when it applies; "" when not written */
};

struct grading_threshold {
	double min;   /* the rate reached, 0..1 */
	double share; /* of the weight, 0..1 */
};

struct grading {
	enum grading_kind kind;
	int nlevels;
	struct grading_level levels[GRADING_MAX_LEVELS]; /* best first */
	double per, floor;                               /* deduction: points; floor >= 0 */
	int nthresholds;
	struct grading_threshold thresholds[GRADING_MAX_LEVELS]; /* highest min first */
};

/* What an inspector answered for one observation. */
struct grading_answer {
	enum rating rating; /* credits; RATING_NA: not applicable under any scheme */
	const char *level;  /* levels; NULL when not given */
	int64_t shortfalls; /* deduction; -1 when not given */
	double rate;        /* rate; < 0 when not given */
};

/* "credits", "levels", "deduction", "rate"; and back (-1 when unknown). */
const char *grading_kind_name(enum grading_kind k);
int grading_kind_parse(const char *s);

/*
 * The credit (0..1) answer a earns for a standard of weight under g, with
 * credits for the credits scheme.  Returns 0, or -1 when the answer is not
 * what g needs (no level / an unknown level / no count / no rate); *credit
 * is -1 for not applicable.
 *   levels:    the level's share;
 *   deduction: max(floor, weight - per x shortfalls) / weight (1 with weight 0);
 *   rate:      the share of the first threshold whose min <= rate, else 0.
 */
int grading_credit(const struct grading *g, double weight, const struct grading_answer *a,
                   const struct credit_table *credits, double *credit);

/*
 * Read the 评分方式 cell of a sheet into g (rule texts are pointers into
 * standard_text's copy in *rules, a malloc'd buffer the caller frees; NULL
 * when none):
 *   ""  or 合格/不合格                  credits, unless standard_text has
 *                                       level rules ("…为A"), then levels
 *                                       with the default shares 1/0.8/0.6/0.4
 *   "A=100%、B=80%、C=60%"  (or A:1)    levels with those shares
 *   "每少一处扣2分" / "扣2分，最低1分"    deduction (floor 0 unless 最低N分)
 *   "≥90%=1、≥80%=0.8" (>= also)        rate thresholds
 * Levels take their rule text from standard_text's clause "…为A".
 * Returns 0, or -1 with msg (zh) filled for an unreadable cell.
 */
int grading_parse_cell(const char *cell, const char *standard_text, struct grading *g, char **rules,
                       char msg[160]);

/*
 * g as a 评分方式 cell grading_parse_cell reads back to the same scheme
 * ("" for credits): "A=100%、B=80%", "每少一处扣2分，最低1分",
 * "≥90%=100%、≥80%=80%".  Level rules are not written (they come from the
 * standard's text).  Returns 0, or -1 when the cell does not fit in size.
 */
int grading_cell(const struct grading *g, char *buf, size_t size);

/* {"kind", "levels":[{"name","share","rule"}], "per", "floor", "thresholds":[{"min","share"}]} */
json_t *grading_json(const struct grading *g);
/*
 * Read grading_json's shape back (rules are borrowed from j: keep j alive).
 * Returns 0 or -1 with msg filled.  NULL or "" JSON text: credits.
 */
int grading_from_json(json_t *j, struct grading *g, char msg[160]);
/* g from the stored JSON text ("" credits); -1 on text that is not a scheme. */
int grading_load(const char *text, struct grading *g, json_t **hold);

#endif

/*
 * score.h - the field-inspection score (docs/domain.md, "Field inspection and
 * its score").
 * Pure arithmetic: no HTTP, no SQL.
 *
 * Each observation of a standard at a point earns a credit between 0 and 1
 * from its rating (合格 full, 不合格 partial, 严重不合格 none; the credits are
 * configuration).  A standard's rate (得分率) is the mean credit of its
 * observations; its score is weight x rate; the points it loses are
 * weight - score.  Not-applicable observations count for nothing.
 *
 * The prediction of the field part (out of the field weights' total, 40 in
 * the national framework) rescales the observed standards to the whole:
 * predicted = total x sum(score) / sum(weight of observed standards), i.e.
 * an unobserved standard is assumed to do as well as the observed ones on
 * average.  Coverage says how much of the weight was observed.
 *
 * Lost points are also shared out among the points, point types, grids and
 * units where the credit was missed, in proportion to each one's missing
 * credit within the standard, so "where we lose points" adds up exactly.
 */
#ifndef WENMING_SCORE_H
#define WENMING_SCORE_H

#include <stddef.h>
#include <stdint.h>

enum rating { RATING_PASS = 0, RATING_FAIL, RATING_SEVERE, RATING_NA };

struct credit_table {
	double pass, fail, severe; /* defaults 1, 0.5, 0 */
};

struct score_standard {
	int64_t id;
	double weight;
};

struct score_observation {
	int64_t standard_id;
	int64_t point_id, point_type_id, grid_id, unit_id;
	enum rating rating;
	/* this observation's credits (a checklist item's own); NULL: score_compute's */
	const struct credit_table *credits;
};

struct standard_result {
	int64_t id;
	double weight;
	int observed;  /* observations that count (not n/a) */
	double credit; /* their credit sum */
	double rate;   /* credit / observed; 0 when unobserved */
	double score;  /* weight x rate */
	double lost;   /* weight - score, 0 when unobserved */
};

/* Points lost by one point, point type, grid or unit. */
struct group_loss {
	int64_t id;
	int observed;
	double credit;
	double rate; /* mean credit of its observations */
	double lost; /* its share of the standards' lost points */
};

struct score_result {
	int nstandards;
	struct standard_result *standards; /* in the order given */
	double total_weight;               /* of all standards given */
	double observed_weight;            /* of those with observations */
	double score;                      /* sum of standard scores */
	double predicted;                  /* out of total_weight, see above */
	double coverage;                   /* observed_weight / total_weight */
	double rate;                       /* overall mean credit */
	int ngroups[4];                    /* by point, type, grid, unit */
	struct group_loss *groups[4];
};

enum score_group { BY_POINT = 0, BY_POINT_TYPE, BY_GRID, BY_UNIT };

void credit_table_default(struct credit_table *t);

/* Credit of a rating; -1 for not applicable. */
double rating_credit(const struct credit_table *t, enum rating r);

/*
 * Score observations against standards.  Observations of standards not in
 * the list are ignored.  On return *out owns its arrays: score_release().
 * Returns 0, or -1 for a credit table outside [0, 1].
 */
int score_compute(const struct score_standard *standards, int nstandards,
                  const struct score_observation *obs, int nobs, const struct credit_table *credits,
                  struct score_result *out);

void score_release(struct score_result *r);

/*
 * The share of standard s's lost points that an observation of credit c
 * (0..1, rated) carries: lost x (1 - c) / the credit the standard missed.
 * Summed over a standard's observations it gives the standard's lost points.
 */
double score_observation_lost(const struct score_result *r, int s, double c);

/*
 * Indexes of the standards by points lost, most first (ties by id), only
 * those that lost something: "where we lose points".  *order is malloc'd.
 */
int score_losses(const struct score_result *r, int **order);

#endif

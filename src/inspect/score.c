/* score.c - rates, scores, the prediction and where points are lost. */
#include "inspect/score.h"

#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"

void credit_table_default(struct credit_table *t)
{
	t->pass = 1.0;
	t->fail = 0.5;
	t->severe = 0.0;
}

double rating_credit(const struct credit_table *t, enum rating r)
{
	switch (r) {
	case RATING_PASS:
		return t->pass;
	case RATING_FAIL:
		return t->fail;
	case RATING_SEVERE:
		return t->severe;
	case RATING_NA:
		break;
	}
	return -1;
}

static int find_standard(const struct score_result *r, int64_t id)
{
	int i;

	/* frameworks have ~120 field standards: a scan is simpler than a map */
	for (i = 0; i < r->nstandards; i++)
		if (r->standards[i].id == id)
			return i;
	return -1;
}

static int64_t group_key(const struct score_observation *o, int g)
{
	switch (g) {
	case BY_POINT:
		return o->point_id;
	case BY_POINT_TYPE:
		return o->point_type_id;
	case BY_GRID:
		return o->grid_id;
	default:
		return o->unit_id;
	}
}

static struct group_loss *group_get(struct score_result *r, int g, int64_t id, int *cap)
{
	int i;

	for (i = 0; i < r->ngroups[g]; i++)
		if (r->groups[g][i].id == id)
			return &r->groups[g][i];
	if (r->ngroups[g] == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		r->groups[g] = xrealloc(r->groups[g], (size_t)*cap * sizeof(struct group_loss));
	}
	memset(&r->groups[g][r->ngroups[g]], 0, sizeof(struct group_loss));
	r->groups[g][r->ngroups[g]].id = id;
	return &r->groups[g][r->ngroups[g]++];
}

static int credits_valid(const struct credit_table *t)
{
	return t->pass >= 0 && t->pass <= 1 && t->fail >= 0 && t->fail <= 1 && t->severe >= 0 &&
	       t->severe <= 1;
}

int score_compute(const struct score_standard *standards, int nstandards,
                  const struct score_observation *obs, int nobs, const struct credit_table *credits,
                  struct score_result *out)
{
	double *missing; /* per standard: credit missed by all its observations */
	int caps[4] = {0, 0, 0, 0};
	double credit_all = 0;
	int i, g, counted = 0;

	memset(out, 0, sizeof(*out));
	if (!credits_valid(credits))
		return -1;
	for (i = 0; i < nobs; i++)
		if (obs[i].credits && !credits_valid(obs[i].credits))
			return -1;
	out->nstandards = nstandards;
	out->standards = xcalloc((size_t)nstandards, sizeof(*out->standards));
	missing = xcalloc((size_t)nstandards, sizeof(*missing));
	for (i = 0; i < nstandards; i++) {
		out->standards[i].id = standards[i].id;
		out->standards[i].weight = standards[i].weight;
		out->total_weight += standards[i].weight;
	}
	for (i = 0; i < nobs; i++) {
		double c = rating_credit(obs[i].credits ? obs[i].credits : credits, obs[i].rating);
		int s = find_standard(out, obs[i].standard_id);

		if (s < 0 || c < 0)
			continue;
		out->standards[s].observed++;
		out->standards[s].credit += c;
		missing[s] += 1 - c;
		credit_all += c;
		counted++;
		for (g = 0; g < 4; g++) {
			struct group_loss *gl = group_get(out, g, group_key(&obs[i], g), &caps[g]);

			gl->observed++;
			gl->credit += c;
		}
	}
	for (i = 0; i < nstandards; i++) {
		struct standard_result *sr = &out->standards[i];

		if (!sr->observed)
			continue;
		sr->rate = sr->credit / sr->observed;
		sr->score = sr->weight * sr->rate;
		sr->lost = sr->weight - sr->score;
		out->observed_weight += sr->weight;
		out->score += sr->score;
	}
	/*
	 * Share each standard's lost points among the groups in proportion to the
	 * credit each group missed within that standard: a second pass.
	 */
	for (i = 0; i < nobs; i++) {
		double c = rating_credit(obs[i].credits ? obs[i].credits : credits, obs[i].rating);
		int s = find_standard(out, obs[i].standard_id);

		if (s < 0 || c < 0 || missing[s] <= 0)
			continue;
		for (g = 0; g < 4; g++) {
			struct group_loss *gl = group_get(out, g, group_key(&obs[i], g), &caps[g]);

			gl->lost += out->standards[s].lost * (1 - c) / missing[s];
		}
	}
	for (g = 0; g < 4; g++)
		for (i = 0; i < out->ngroups[g]; i++)
			out->groups[g][i].rate =
			    out->groups[g][i].credit / out->groups[g][i].observed;
	out->rate = counted ? credit_all / counted : 0;
	out->coverage = out->total_weight > 0 ? out->observed_weight / out->total_weight : 0;
	out->predicted =
	    out->observed_weight > 0 ? out->total_weight * out->score / out->observed_weight : 0;
	free(missing);
	return 0;
}

void score_release(struct score_result *r)
{
	int g;

	free(r->standards);
	for (g = 0; g < 4; g++)
		free(r->groups[g]);
	memset(r, 0, sizeof(*r));
}

double score_observation_lost(const struct score_result *r, int s, double c)
{
	const struct standard_result *sr;
	double missing;

	if (s < 0 || s >= r->nstandards || c < 0)
		return 0;
	sr = &r->standards[s];
	missing = sr->observed - sr->credit;
	return missing > 1e-12 ? sr->lost * (1 - c) / missing : 0;
}

static _Thread_local const struct score_result *sort_ctx;

static int by_lost(const void *a, const void *b)
{
	const struct standard_result *x = &sort_ctx->standards[*(const int *)a];
	const struct standard_result *y = &sort_ctx->standards[*(const int *)b];

	if (x->lost != y->lost)
		return x->lost < y->lost ? 1 : -1;
	return x->id < y->id ? -1 : x->id > y->id;
}

int score_losses(const struct score_result *r, int **order)
{
	int i, n = 0;

	*order = xmalloc((size_t)(r->nstandards ? r->nstandards : 1) * sizeof(int));
	for (i = 0; i < r->nstandards; i++)
		if (r->standards[i].lost > 1e-12)
			(*order)[n++] = i;
	/* qsort has no context argument in C11: a thread-local carries it */
	sort_ctx = r;
	qsort(*order, (size_t)n, sizeof(int), by_lost);
	sort_ctx = NULL;
	return n;
}

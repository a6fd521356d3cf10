/*
 * round_score.c - a round's field score as its caller sees it: the records
 * in scope scored by score.c against the framework's field standards (each
 * weighted by its field part), totals by project, point type, grid, unit and
 * point, "where we lose points", and the comparison of two rounds.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "inspect/inspect.h"
#include "inspect/inspect_int.h"

int round_score_load(struct store_conn *c, int64_t tenant_id, const struct scope *s, int64_t id,
                     struct arena *a, struct round_score *out, struct error *e)
{
	struct score_standard *stds;
	struct score_observation *obs;
	struct credit_table defaults, *tables;
	int i, k, nstd = 0, rc;

	memset(out, 0, sizeof(*out));
	if ((rc = round_get(c, tenant_id, s, id, a, &out->round, e)) ||
	    (rc = framework_get(c, tenant_id, out->round.framework_id, a, &out->framework, e)) ||
	    (rc = indicator_all(c, out->round.framework_id, a, &out->ind, &out->nind, NULL, NULL,
	                        NULL, NULL, e)) ||
	    (rc = inspection_settings_get(c, tenant_id, &defaults, e)) ||
	    (rc = round_observations(c, id, s, &defaults, a, &out->obs, &out->nobs, e)) ||
	    (rc = round_progress(c, id, s, &out->points_done, &out->points_total, e)))
		return rc;
	stds = arena_calloc(a, (size_t)(out->nind + 1) * sizeof(*stds));
	out->std_index = xcalloc((size_t)(out->nind + 1), sizeof(int));
	for (i = 0; i < out->nind; i++) {
		double parts[NPARTS];

		/* the minors' part and local features are scored on their own below */
		if (out->ind[i].level != 3 || strcmp(out->ind[i].section, SECTION_MAIN))
			continue;
		weight_parts(out->ind[i].weight, out->ind[i].methods, parts);
		if (parts[PART_FIELD] <= 0)
			continue;
		stds[nstd].id = out->ind[i].id;
		stds[nstd].weight = parts[PART_FIELD];
		out->std_index[nstd++] = i;
	}
	obs = arena_calloc(a, (size_t)(out->nobs + 1) * sizeof(*obs));
	tables = arena_calloc(a, (size_t)(out->nobs + 1) * sizeof(*tables));
	for (k = 0; k < out->nobs; k++) {
		const struct scored_obs *o = &out->obs[k];

		/* the credit already reflects the item's own table: one value for every rating */
		tables[k].pass = tables[k].fail = tables[k].severe = o->credit < 0 ? 0 : o->credit;
		obs[k].standard_id = o->standard_id;
		obs[k].point_id = o->point_id;
		obs[k].point_type_id = o->type_id;
		obs[k].grid_id = o->grid_id;
		obs[k].unit_id = o->unit_id;
		obs[k].rating = o->credit < 0 ? RATING_NA : o->rating;
		obs[k].credits = &tables[k];
	}
	if (score_compute(stds, nstd, obs, out->nobs, &defaults, &out->result))
		return error_set(e, ERR_INTERNAL, NULL, "得分系数不正确");
	for (k = 0; k < 2; k++) {
		const char *section = k ? SECTION_FEATURE : SECTION_MINORS;
		struct score_result *res = k ? &out->feature : &out->minors;

		/* the whole weight of a section's standards: their own totals */
		nstd = 0;
		for (i = 0; i < out->nind; i++)
			if (out->ind[i].level == 3 && !strcmp(out->ind[i].section, section)) {
				stds[nstd].id = out->ind[i].id;
				stds[nstd++].weight = out->ind[i].weight;
			}
		if (score_compute(stds, nstd, obs, out->nobs, &defaults, res))
			return error_set(e, ERR_INTERNAL, NULL, "得分系数不正确");
	}
	return negative_totals(c, tenant_id, out->framework.id, &out->deduction, &out->vetoes,
	                       &out->incidents, e);
}

void round_score_release(struct round_score *rs)
{
	score_release(&rs->result);
	score_release(&rs->minors);
	score_release(&rs->feature);
	free(rs->std_index);
	rs->std_index = NULL;
}

static json_t *score_num(double v)
{
	return json_real(round(v * 100) / 100);
}

static json_t *rate_num(double v)
{
	return json_real(round(v * 10000) / 10000);
}

static const struct indicator *ind_of(const struct round_score *rs, int64_t id)
{
	int i;

	for (i = 0; i < rs->nind; i++)
		if (rs->ind[i].id == id)
			return &rs->ind[i];
	return NULL;
}

/* The project (level 1) above indicator ind. */
static const struct indicator *project_of(const struct round_score *rs, const struct indicator *ind)
{
	while (ind && ind->parent_id)
		ind = ind_of(rs, ind->parent_id);
	return ind;
}

/* Name of a group member: from the first observation that has it. */
static json_t *group_json(const struct round_score *rs, int g)
{
	const struct score_result *r = &rs->result;
	json_t *arr = json_array();
	int i, k;

	for (i = 0; i < r->ngroups[g]; i++) {
		const struct group_loss *gl = &r->groups[g][i];
		const char *name = "未划分", *code = NULL;
		json_t *j;

		for (k = 0; k < rs->nobs; k++) {
			const struct scored_obs *o = &rs->obs[k];
			int64_t key = g == BY_POINT        ? o->point_id
			              : g == BY_POINT_TYPE ? o->type_id
			              : g == BY_GRID       ? o->grid_id
			                                   : o->unit_id;

			if (key != gl->id)
				continue;
			name = g == BY_POINT        ? o->point_name
			       : g == BY_POINT_TYPE ? o->type_name
			       : g == BY_GRID       ? o->grid_name
			                            : o->unit_name;
			code = o->point_code;
			break;
		}
		if (!gl->id)
			name = "未划分";
		j = json_pack("{s:I, s:s, s:i, s:o, s:o}", "id", (json_int_t)gl->id, "name", name,
		              "observed", gl->observed, "rate", rate_num(gl->rate), "lost",
		              score_num(gl->lost));
		if (g == BY_POINT && code)
			json_object_set_new(j, "code", json_string(code));
		json_array_append_new(arr, j);
	}
	return arr;
}

static json_t *by_project_json(const struct round_score *rs)
{
	const struct score_result *r = &rs->result;
	json_t *arr = json_array();
	int i, k;

	for (i = 0; i < rs->nind; i++) {
		const struct indicator *p = &rs->ind[i];
		double fw = 0, ow = 0, score = 0, lost = 0;

		if (p->level != 1)
			continue;
		for (k = 0; k < r->nstandards; k++) {
			const struct standard_result *sr = &r->standards[k];

			if (project_of(rs, &rs->ind[rs->std_index[k]]) != p)
				continue;
			fw += sr->weight;
			if (sr->observed) {
				ow += sr->weight;
				score += sr->score;
				lost += sr->lost;
			}
		}
		if (fw <= 0)
			continue;
		json_array_append_new(
		    arr, json_pack(
		             "{s:I, s:s, s:s, s:o, s:o, s:o, s:o, s:o}", "id", (json_int_t)p->id,
		             "code", p->code, "title", p->title, "field_weight", score_num(fw),
		             "observed_weight", score_num(ow), "score", score_num(score), "rate",
		             ow > 0 ? rate_num(score / ow) : json_null(), "lost", score_num(lost)));
	}
	return arr;
}

/* Per standard k: its points with the points lost there, observations and problems. */
static json_t *loss_points_json(const struct round_score *rs, int k, json_t *problems, int *failed)
{
	const struct score_result *r = &rs->result;
	int64_t sid = r->standards[k].id;
	json_t *arr = json_array();
	int i, j;

	*failed = 0;
	for (i = 0; i < rs->nobs; i++) {
		const struct scored_obs *o = &rs->obs[i];
		json_t *pt = NULL, *v;
		size_t idx;

		if (o->standard_id != sid || o->credit < 0)
			continue;
		if (o->rating == RATING_FAIL || o->rating == RATING_SEVERE)
			(*failed)++;
		if (o->problem_id)
			json_array_append_new(problems, json_integer(o->problem_id));
		json_array_foreach(arr, idx, v) if (json_integer_value(json_object_get(
		                                        v, "point_id")) == o->point_id) pt = v;
		if (!pt) {
			pt =
			    json_pack("{s:I, s:s, s:s, s:f, s:[], s:[]}", "point_id",
			              (json_int_t)o->point_id, "code", o->point_code, "name",
			              o->point_name, "lost", 0.0, "observation_ids", "problem_ids");
			json_array_append_new(arr, pt);
		}
		json_object_set_new(pt, "lost",
		                    json_real(json_real_value(json_object_get(pt, "lost")) +
		                              score_observation_lost(r, k, o->credit)));
		json_array_append_new(json_object_get(pt, "observation_ids"), json_integer(o->id));
		if (o->problem_id)
			json_array_append_new(json_object_get(pt, "problem_ids"),
			                      json_integer(o->problem_id));
	}
	/* most lost first (insertion sort: a standard is seen at a few dozen points) */
	for (i = 1; i < (int)json_array_size(arr); i++)
		for (j = i; j > 0; j--) {
			json_t *a = json_array_get(arr, (size_t)j - 1),
			       *b = json_array_get(arr, (size_t)j);

			if (json_real_value(json_object_get(a, "lost")) >=
			    json_real_value(json_object_get(b, "lost")))
				break;
			json_incref(a);
			json_array_set(arr, (size_t)j - 1, b);
			json_array_set_new(arr, (size_t)j, a);
		}
	for (i = 0; i < (int)json_array_size(arr); i++) {
		json_t *v = json_array_get(arr, (size_t)i);

		json_object_set_new(v, "lost",
		                    score_num(json_real_value(json_object_get(v, "lost"))));
	}
	return arr;
}

json_t *round_score_json(const struct round_score *rs, struct arena *a)
{
	const struct score_result *r = &rs->result;
	json_t *standards = json_array(), *losses = json_array();
	int counts[4] = {0, 0, 0, 0}, nobserved = 0, i, *order, n;
	struct prediction pred;

	(void)a;
	for (i = 0; i < rs->nobs; i++)
		counts[rs->obs[i].credit < 0 ? RATING_NA : rs->obs[i].rating]++;
	for (i = 0; i < r->nstandards; i++) {
		const struct standard_result *sr = &r->standards[i];
		const struct indicator *ind = &rs->ind[rs->std_index[i]];
		const struct indicator *p = project_of(rs, ind);

		nobserved += sr->observed > 0;
		json_array_append_new(
		    standards, json_pack("{s:I, s:s, s:s, s:I, s:o, s:i, s:o, s:o, s:o, s:o}", "id",
		                         (json_int_t)sr->id, "code", ind->code, "title", ind->title,
		                         "project_id", (json_int_t)(p ? p->id : 0), "field_weight",
		                         score_num(sr->weight), "observed", sr->observed, "credit",
		                         rate_num(sr->credit), "rate",
		                         sr->observed ? rate_num(sr->rate) : json_null(), "score",
		                         score_num(sr->score), "lost", score_num(sr->lost)));
	}
	n = score_losses(r, &order);
	for (i = 0; i < n; i++) {
		const struct standard_result *sr = &r->standards[order[i]];
		const struct indicator *ind = &rs->ind[rs->std_index[order[i]]];
		json_t *problems = json_array(), *points;
		int failed;

		points = loss_points_json(rs, order[i], problems, &failed);
		json_array_append_new(
		    losses,
		    json_pack("{s:I, s:s, s:s, s:o, s:o, s:o, s:i, s:i, s:o, s:o}", "standard_id",
		              (json_int_t)sr->id, "code", ind->code, "title", ind->title,
		              "field_weight", score_num(sr->weight), "rate", rate_num(sr->rate),
		              "lost", score_num(sr->lost), "observations", sr->observed, "failed",
		              failed, "points", points, "problem_ids", problems));
	}
	free(order);
	round_prediction(rs, &pred);
	pred.incidents = rs->incidents;
	return json_pack(
	    "{s:o, s:{s:I, s:s, s:s, s:s}, s:{s:I, s:s}, s:o, s:o, s:o, s:o,"
	    " s:{s:o, s:o, s:i, s:i}, s:{s:i, s:i, s:i, s:i, s:i, s:i}, s:{s:I, s:I},"
	    " s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
	    "prediction", prediction_json(&pred), "inspection", "id", (json_int_t)rs->round.id,
	    "title", rs->round.title, "kind", rs->round.kind, "status", rs->round.status,
	    "framework", "id", (json_int_t)rs->framework.id, "name", rs->framework.name,
	    "field_total", score_num(r->total_weight), "score", score_num(r->score), "predicted",
	    score_num(r->predicted), "rate", rate_num(r->rate), "coverage", "ratio",
	    rate_num(r->coverage), "observed_weight", score_num(r->observed_weight),
	    "standards_observed", nobserved, "standards_total", r->nstandards, "observations",
	    "total", rs->nobs, "rated", rs->nobs - counts[RATING_NA], "pass", counts[RATING_PASS],
	    "fail", counts[RATING_FAIL], "severe", counts[RATING_SEVERE], "na", counts[RATING_NA],
	    "points", "done", (json_int_t)rs->points_done, "total", (json_int_t)rs->points_total,
	    "by_project", by_project_json(rs), "standards", standards, "by_point_type",
	    group_json(rs, BY_POINT_TYPE), "by_grid", group_json(rs, BY_GRID), "by_unit",
	    group_json(rs, BY_UNIT), "by_point", group_json(rs, BY_POINT), "losses", losses);
}

void round_prediction(const struct round_score *rs, struct prediction *p)
{
	const struct score_result *m = &rs->minors, *f = &rs->feature;

	memset(p, 0, sizeof(*p));
	p->field = rs->result.predicted;
	p->feature = f->score < rs->framework.feature_cap ? f->score : rs->framework.feature_cap;
	p->deduction = rs->deduction;
	p->veto = rs->vetoes > 0;
	p->total = p->field + p->feature - p->deduction;
	if (p->total < 0)
		p->total = 0;
	p->has_minors = m->nstandards > 0;
	p->minors_total = m->total_weight;
	/* the minors' part out of 100, whatever its weights add up to */
	p->minors = m->total_weight > 0 ? m->predicted / m->total_weight * 100 : 0;
	p->minors_observed = m->observed_weight > 0;
	p->minors_gate = rs->framework.minors_gate;
	p->minors_passed = p->minors + 1e-9 >= p->minors_gate;
}

json_t *prediction_json(const struct prediction *p)
{
	return json_pack(
	    "{s:o, s:o, s:o, s:b, s:o, s:i, s:o}", "field", score_num(p->field), "feature",
	    score_num(p->feature), "deduction", score_num(p->deduction), "veto", p->veto, "total",
	    score_num(p->total), "incidents", p->incidents, "minors",
	    p->has_minors
	        ? json_pack("{s:o, s:o, s:b, s:o, s:b}", "score", score_num(p->minors), "total",
	                    score_num(p->minors_total), "observed", p->minors_observed, "gate",
	                    score_num(p->minors_gate), "passed", p->minors_passed)
	        : json_null());
}

static const char *trend(int in_a, int in_b, double delta)
{
	if (!in_b)
		return "new";
	if (!in_a)
		return "gone";
	if (fabs(delta) < 0.0001)
		return "same";
	return delta > 0 ? "rose" : "fell";
}

/* Insertion sort of a JSON array of objects by "delta", biggest fall first (nulls last). */
static void sort_by_delta(json_t *arr)
{
	size_t i, j;

	for (i = 1; i < json_array_size(arr); i++)
		for (j = i; j > 0; j--) {
			json_t *a = json_array_get(arr, j - 1), *b = json_array_get(arr, j);
			json_t *da = json_object_get(a, "delta"), *db = json_object_get(b, "delta");
			double x = json_is_null(da) ? 1e9 : json_real_value(da);
			double y = json_is_null(db) ? 1e9 : json_real_value(db);

			if (x <= y)
				break;
			json_incref(a);
			json_array_set(arr, j - 1, b);
			json_array_set_new(arr, j, a);
		}
}

/* The rate of point id over the observations of rs, -1 when unseen. */
static double point_rate(const struct round_score *rs, int64_t id, const char **name)
{
	const struct score_result *r = &rs->result;
	int i;

	for (i = 0; i < r->ngroups[BY_POINT]; i++)
		if (r->groups[BY_POINT][i].id == id) {
			int k;

			for (k = 0; k < rs->nobs; k++)
				if (rs->obs[k].point_id == id)
					*name = rs->obs[k].point_name;
			return r->groups[BY_POINT][i].rate;
		}
	return -1;
}

json_t *round_compare_json(const struct round_score *a, const struct round_score *b)
{
	json_t *stds = json_array(), *pts = json_array();
	int i, k;

	/* standards observed in either, matched by code */
	for (i = 0; i < a->result.nstandards + b->result.nstandards; i++) {
		const struct round_score *own = i < a->result.nstandards ? a : b;
		int idx = i < a->result.nstandards ? i : i - a->result.nstandards;
		const struct indicator *ind = &own->ind[own->std_index[idx]];
		const struct standard_result *sa = NULL, *sb = NULL;
		double delta;

		if (own == b) { /* skip codes the first pass listed */
			int seen = 0;

			for (k = 0; k < a->result.nstandards; k++)
				seen |= a->result.standards[k].observed &&
				        !strcmp(a->ind[a->std_index[k]].code, ind->code);
			if (seen)
				continue;
		}
		for (k = 0; k < a->result.nstandards; k++)
			if (!strcmp(a->ind[a->std_index[k]].code, ind->code) &&
			    a->result.standards[k].observed)
				sa = &a->result.standards[k];
		for (k = 0; k < b->result.nstandards; k++)
			if (!strcmp(b->ind[b->std_index[k]].code, ind->code) &&
			    b->result.standards[k].observed)
				sb = &b->result.standards[k];
		if (!sa && !sb)
			continue;
		delta = sa && sb ? sa->rate - sb->rate : 0;
		json_array_append_new(
		    stds, json_pack("{s:s, s:s, s:o, s:o, s:o, s:s}", "code", ind->code, "title",
		                    ind->title, "rate", sa ? rate_num(sa->rate) : json_null(),
		                    "with_rate", sb ? rate_num(sb->rate) : json_null(), "delta",
		                    sa && sb ? rate_num(delta) : json_null(), "trend",
		                    trend(sa != NULL, sb != NULL, delta)));
	}
	for (i = 0; i < a->result.ngroups[BY_POINT] + b->result.ngroups[BY_POINT]; i++) {
		const struct round_score *own = i < a->result.ngroups[BY_POINT] ? a : b;
		int idx = own == a ? i : i - a->result.ngroups[BY_POINT];
		int64_t id = own->result.groups[BY_POINT][idx].id;
		const char *name = "";
		double ra, rb, delta;

		if (own == b && point_rate(a, id, &name) >= 0)
			continue;
		ra = point_rate(a, id, &name);
		rb = point_rate(b, id, &name);
		delta = ra >= 0 && rb >= 0 ? ra - rb : 0;
		json_array_append_new(
		    pts, json_pack("{s:I, s:s, s:o, s:o, s:o, s:s}", "point_id", (json_int_t)id,
		                   "name", name, "rate", ra >= 0 ? rate_num(ra) : json_null(),
		                   "with_rate", rb >= 0 ? rate_num(rb) : json_null(), "delta",
		                   ra >= 0 && rb >= 0 ? rate_num(delta) : json_null(), "trend",
		                   trend(ra >= 0, rb >= 0, delta)));
	}
	sort_by_delta(stds);
	sort_by_delta(pts);
	return json_pack(
	    "{s:{s:I, s:s, s:o, s:o}, s:{s:I, s:s, s:o, s:o}, s:o, s:o, s:o, s:o}", "inspection",
	    "id", (json_int_t)a->round.id, "title", a->round.title, "predicted",
	    score_num(a->result.predicted), "rate", rate_num(a->result.rate), "with", "id",
	    (json_int_t)b->round.id, "title", b->round.title, "predicted",
	    score_num(b->result.predicted), "rate", rate_num(b->result.rate), "delta_predicted",
	    score_num(a->result.predicted - b->result.predicted), "delta_rate",
	    rate_num(a->result.rate - b->result.rate), "standards", stds, "points", pts);
}

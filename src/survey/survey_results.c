/*
 * survey_results.c - counted responses into results, pure: the four rates
 * overall and per community, each question's option counts and rate, each
 * item's rate and its share of the questionnaire part, the predicted score
 * and the points at risk.  The caller loads the rows (rejected ones left
 * out) and the items' weights; nothing here touches the store.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "survey/survey.h"

struct item_acc {
	int64_t indicator_id; /* 0: the section's questions without an indicator */
	int section;
	const char *code, *title, *unit_name;
	double weight;
	struct stat_acc acc;
};

struct unit_acc {
	int64_t id;
	const char *name, *parent_name;
	int64_t target, n;
	struct stat_acc rates[NRATES], overall;
};

static double r4(double v)
{
	return round(v * 10000) / 10000;
}

static int item_index(struct item_acc *items, int *n, const struct survey_results_in *in,
                      const struct survey_question *q)
{
	int i;

	for (i = 0; i < *n; i++)
		if (q->indicator_id ? items[i].indicator_id == q->indicator_id
		                    : !items[i].indicator_id && items[i].section == q->section)
			return i;
	memset(&items[*n], 0, sizeof(items[*n]));
	items[*n].indicator_id = q->indicator_id;
	items[*n].section = q->section;
	items[*n].title = in->s->d.sections[q->section];
	items[*n].code = "";
	items[*n].unit_name = "";
	for (i = 0; q->indicator_id && i < in->nitems; i++)
		if (in->items[i].indicator_id == q->indicator_id) {
			items[*n].code = in->items[i].code;
			items[*n].title = in->items[i].title;
			items[*n].unit_name = in->items[i].unit_name;
			items[*n].weight = in->items[i].weight;
		}
	return (*n)++;
}

static struct unit_acc *unit_find(struct unit_acc *units, int *n, int64_t id)
{
	int i;

	for (i = 0; i < *n; i++)
		if (units[i].id == id)
			return &units[i];
	memset(&units[*n], 0, sizeof(units[*n]));
	units[*n].id = id;
	units[*n].name = "";
	units[*n].parent_name = "";
	return &units[(*n)++];
}

static json_t *acc_json(const struct stat_acc *a)
{
	struct stat_value v;

	stat_value(a, &v);
	return stat_value_json(&v);
}

static json_t *rates_json(const struct stat_acc *rates)
{
	json_t *j = json_object();
	int k;

	for (k = 0; k < NRATES; k++)
		json_object_set_new(j, survey_rate_name(k), acc_json(&rates[k]));
	return j;
}

static int by_lost(const void *a, const void *b)
{
	const struct item_acc *x = a, *y = b;
	double lx = x->acc.n ? x->weight * (1 - x->acc.sum / (double)x->acc.n) : 0;
	double ly = y->acc.n ? y->weight * (1 - y->acc.sum / (double)y->acc.n) : 0;

	return lx < ly ? 1 : lx > ly ? -1 : 0;
}

static double unit_rate(const struct unit_acc *u)
{
	return u->overall.n ? u->overall.sum / (double)u->overall.n : 2;
}

static int by_rate(const void *a, const void *b)
{
	double x = unit_rate(a), y = unit_rate(b);

	return x < y ? -1 : x > y ? 1 : 0;
}

json_t *survey_results_compute(const struct survey_results_in *in, struct arena *a)
{
	const struct survey_design *d = &in->s->d;
	int nq = d->nquestions, i, k, nitems = 0, nunits = 0;
	struct stat_acc overall[NRATES], *qacc = arena_calloc(a, ((size_t)nq + 1) * sizeof(*qacc));
	int64_t *counts;
	int *qitem = arena_calloc(a, ((size_t)nq + 1) * sizeof(int)), *opt_base;
	struct item_acc *items = arena_calloc(a, ((size_t)nq + 1) * sizeof(*items));
	struct unit_acc *units =
	    arena_calloc(a, ((size_t)in->nunits + (size_t)in->nrows + 1) * sizeof(*units));
	json_t *out, *questions, *jitems, *communities, *risk;
	double predicted = 0, covered = 0;
	int noptions = 0;

	memset(overall, 0, sizeof(overall));
	opt_base = arena_calloc(a, ((size_t)nq + 1) * sizeof(int));
	for (i = 0; i < nq; i++) {
		opt_base[i] = noptions;
		noptions += d->questions[i].noptions;
		qitem[i] = d->questions[i].rate == RATE_NONE
		               ? -1
		               : item_index(items, &nitems, in, &d->questions[i]);
	}
	counts = arena_calloc(a, ((size_t)noptions + 1) * sizeof(int64_t));
	for (i = 0; i < in->nunits; i++) {
		struct unit_acc *u = unit_find(units, &nunits, in->units[i].id);

		u->name = in->units[i].name;
		u->parent_name = in->units[i].parent_name ? in->units[i].parent_name : "";
		u->target = in->units[i].target;
	}
	for (k = 0; k < in->nrows; k++) {
		const struct survey_answerset *row = &in->rows[k];
		struct unit_acc *u = unit_find(units, &nunits, row->unit_id);

		u->n++;
		for (i = 0; i < nq; i++) {
			const struct survey_question *q = &d->questions[i];
			json_t *ans = json_object_get(row->answers, q->key);
			double score;
			int choice;

			if (q->type == Q_MULTIPLE && json_is_array(ans)) {
				size_t j;
				json_t *v;

				json_array_foreach(ans, j, v)
				{
					int o;

					for (o = 0; o < q->noptions; o++)
						if (json_is_string(v) &&
						    !strcmp(q->options[o].key,
						            json_string_value(v)))
							counts[opt_base[i] + o]++;
				}
			}
			if (!survey_answer_score(q, ans, &score, &choice)) {
				if (choice >= 0)
					counts[opt_base[i] + choice]++;
				continue;
			}
			if (choice >= 0)
				counts[opt_base[i] + choice]++;
			stat_add(&qacc[i], score);
			if (q->rate == RATE_NONE)
				continue;
			stat_add(&overall[q->rate], score);
			stat_add(&u->rates[q->rate], score);
			stat_add(&u->overall, score);
			stat_add(&items[qitem[i]].acc, score);
		}
	}

	questions = json_array();
	for (i = 0; i < nq; i++) {
		const struct survey_question *q = &d->questions[i];
		json_t *opts = json_array();
		int o;

		for (o = 0; o < q->noptions; o++)
			json_array_append_new(opts,
			                      json_pack("{s:s, s:s, s:I}", "key", q->options[o].key,
			                                "label", q->options[o].label, "count",
			                                (json_int_t)counts[opt_base[i] + o]));
		json_array_append_new(
		    questions,
		    json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:o}", "key", q->key, "title",
		              q->title, "section", d->sections[q->section], "rate",
		              q->rate == RATE_NONE ? json_null()
		                                   : json_string(survey_rate_name(q->rate)),
		              "indicator_id",
		              q->indicator_id ? json_integer(q->indicator_id) : json_null(),
		              "value", acc_json(&qacc[i]), "options", opts));
	}

	jitems = json_array();
	for (i = 0; i < nitems; i++) {
		struct item_acc *it = &items[i];
		double rate = it->acc.n ? it->acc.sum / (double)it->acc.n : 0;
		json_t *v = acc_json(&it->acc);

		if (it->acc.n) {
			predicted += it->weight * rate;
			covered += it->weight;
		}
		json_object_set_new(v, "indicator_id",
		                    it->indicator_id ? json_integer(it->indicator_id)
		                                     : json_null());
		json_object_set_new(v, "code", json_string(it->code));
		json_object_set_new(v, "title", json_string(it->title));
		json_object_set_new(v, "unit_name", json_string(it->unit_name));
		json_object_set_new(v, "weight", json_real(r4(it->weight)));
		json_object_set_new(v, "contribution",
		                    json_real(it->acc.n ? r4(it->weight * rate) : 0));
		json_object_set_new(v, "lost",
		                    json_real(it->acc.n ? r4(it->weight * (1 - rate)) : 0));
		json_array_append_new(jitems, v);
	}

	communities = json_array();
	for (i = 0; i < nunits; i++) {
		struct unit_acc *u = &units[i];

		json_array_append_new(
		    communities,
		    json_pack("{s:I, s:s, s:s, s:I, s:I, s:o, s:o}", "unit_id", (json_int_t)u->id,
		              "name", u->name, "parent_name", u->parent_name, "target",
		              (json_int_t)u->target, "n", (json_int_t)u->n, "rates",
		              rates_json(u->rates), "overall", acc_json(&u->overall)));
	}

	/* points at risk: the items losing most, then the weakest communities */
	risk = json_array();
	qsort(items, (size_t)nitems, sizeof(*items), by_lost);
	for (i = 0, k = 0; i < nitems && k < 5; i++) {
		double rate = items[i].acc.n ? items[i].acc.sum / (double)items[i].acc.n : 1;

		if (!items[i].acc.n || items[i].weight <= 0 || rate >= 1)
			continue;
		json_array_append_new(
		    risk,
		    json_pack("{s:s, s:o, s:s, s:s, s:f, s:f, s:f}", "kind", "item", "indicator_id",
		              json_integer(items[i].indicator_id), "title", items[i].title,
		              "unit_name", items[i].unit_name, "rate", r4(rate), "weight",
		              r4(items[i].weight), "lost", r4(items[i].weight * (1 - rate))));
		k++;
	}
	qsort(units, (size_t)nunits, sizeof(*units), by_rate);
	for (i = 0, k = 0; i < nunits && k < 5; i++) {
		double rate = unit_rate(&units[i]);

		if (units[i].overall.n < 5 || rate > 0.9)
			continue;
		json_array_append_new(
		    risk,
		    json_pack("{s:s, s:I, s:s, s:s, s:f, s:I}", "kind", "community", "unit_id",
		              (json_int_t)units[i].id, "title", units[i].name, "unit_name",
		              *units[i].parent_name ? units[i].parent_name : units[i].name, "rate",
		              r4(rate), "n", (json_int_t)units[i].n));
		k++;
	}

	out = json_pack("{s:I, s:o, s:o, s:o, s:o, s:f, s:f, s:f, s:o}", "n", (json_int_t)in->nrows,
	                "rates", rates_json(overall), "questions", questions, "items", jitems,
	                "communities", communities, "predicted", r4(predicted), "total",
	                r4(in->total), "covered_weight", r4(covered), "at_risk", risk);
	return out;
}

/*
 * survey_weights.c - what a questionnaire item is worth: the weight each
 * indicator a question is tied to carries in the framework's questionnaire
 * part, and that part's total.  A standard's weight is shared among the
 * score's parts by the framework's rule; standard_questionnaire_weight() is
 * the only place this module depends on that rule, so a new rule (a methods
 * vocabulary with per-part weights) is one function to switch.
 */
#include <string.h>

#include "inspect/inspect.h"
#include "survey/survey.h"

/* The part of standard ind's weight that the questionnaire decides. */
static double standard_questionnaire_weight(const struct indicator *ind)
{
	double parts[NPARTS];

	weight_parts(ind->weight, ind->methods, parts);
	return parts[PART_QUESTIONNAIRE];
}

/* The questionnaire weight of indicator all[k]: its own, or its standards' sum. */
static double indicator_weight(const struct indicator *all, int n, int k)
{
	double sum = 0;
	int i;

	if (all[k].level == 3)
		return standard_questionnaire_weight(&all[k]);
	for (i = 0; i < n; i++)
		if (all[i].parent_id == all[k].id)
			sum += indicator_weight(all, n, i);
	return sum;
}

int survey_items(struct store_conn *c, const struct survey *s, struct arena *a,
                 struct survey_item **out, int *n, double *total, struct error *e)
{
	struct indicator *all;
	struct ref *units, *types;
	int nall, nunits, ntypes, i, k, rc;
	int64_t fw = s->framework_id;

	*n = 0;
	*total = 0;
	*out = arena_calloc(a, ((size_t)s->d.nquestions + 1) * sizeof(**out));
	if (!fw) {
		rc = framework_active(c, s->tenant_id, &fw, e);
		if (rc == ERR_NOT_FOUND) {
			error_init(e);
			return 0;
		}
		if (rc)
			return rc;
	}
	if ((rc = indicator_all(c, fw, a, &all, &nall, &units, &nunits, &types, &ntypes, e)))
		return rc;
	/* the main part's total, as framework_part_weights counts it */
	for (i = 0; i < nall; i++)
		if (all[i].level == 3 && !strcmp(all[i].section, SECTION_MAIN))
			*total += standard_questionnaire_weight(&all[i]);
	for (k = 0; k < s->d.nquestions; k++) {
		int64_t id = s->d.questions[k].indicator_id;
		int j, seen = 0;

		if (!id)
			continue;
		for (j = 0; j < *n; j++)
			seen |= (*out)[j].indicator_id == id;
		for (i = 0; !seen && i < nall; i++)
			if (all[i].id == id) {
				struct survey_item *it = &(*out)[(*n)++];
				const char *unit =
				    all[i].lead_unit_name ? all[i].lead_unit_name : "";
				int u;

				/* no lead unit: the first unit responsible for it */
				for (u = 0; !*unit && u < nunits; u++)
					if (units[u].owner == id)
						unit = units[u].name;
				it->indicator_id = id;
				it->code = all[i].code;
				it->title = all[i].title;
				it->unit_name = unit;
				it->weight = indicator_weight(all, nall, i);
				break;
			}
	}
	return 0;
}

int survey_results_load(struct store_conn *c, const struct survey *s, struct arena *a, json_t **out,
                        struct error *e)
{
	struct survey_results_in in;
	struct survey_answerset *rows = NULL;
	struct survey_item *items;
	struct survey_unit *units;
	int nrows = 0, nitems, nunits, rc;
	double total;

	*out = NULL;
	memset(&in, 0, sizeof(in));
	rc = survey_items(c, s, a, &items, &nitems, &total, e);
	if (!rc)
		rc = survey_communities(c, s->tenant_id, s->id, a, &units, &nunits, e);
	if (!rc)
		rc = survey_answersets(c, s->id, a, &rows, &nrows, e);
	if (!rc) {
		in.s = s;
		in.rows = rows;
		in.nrows = nrows;
		in.items = items;
		in.nitems = nitems;
		in.total = total;
		in.units = units;
		in.nunits = nunits;
		*out = survey_results_compute(&in, a);
	}
	survey_answersets_release(rows, nrows);
	return rc;
}

/*
 * materials_score.c - the predicted materials score: each standard's
 * materials weight times the worth of its items' ratings (完全符合 1,
 * 基本符合 MAT_PARTIAL_SHARE, missing or 不符合 0), and the points at risk
 * by standard and by lead unit, worst first.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "inspect/inspect.h"
#include "materials/materials.h"
#include "store/store.h"

STORE_SQL(q_score_items,
          "SELECT i.standard_id, i.status, i.rating, i.lead_unit_id, COALESCE(u.name, '')"
          " FROM material_items i LEFT JOIN units u ON u.id = i.lead_unit_id"
          " WHERE i.tenant_id = ? AND i.framework_id = ?");

int materials_standard_weights(struct store_conn *c, int64_t framework_id, struct arena *a,
                               struct material_weight **out, int *n, struct error *e)
{
	struct indicator *all;
	struct ref *units, *types;
	int nall, nunits, ntypes, i, rc;

	*n = 0;
	rc = indicator_all(c, framework_id, a, &all, &nall, &units, &nunits, &types, &ntypes, e);
	if (rc)
		return rc;
	*out = arena_alloc(a, sizeof(**out) * (size_t)(nall + 1));
	for (i = 0; i < nall; i++) {
		double parts[NPARTS];
		struct material_weight *w;

		/* the main part only, as framework_part_weights counts it */
		if (all[i].level != 3 || strcmp(all[i].section, SECTION_MAIN))
			continue;
		weight_parts(all[i].weight, all[i].methods, parts);
		if (parts[PART_MATERIALS] <= 0)
			continue;
		w = &(*out)[(*n)++];
		w->standard_id = all[i].id;
		w->code = all[i].code;
		w->title = all[i].title;
		w->weight = parts[PART_MATERIALS];
		w->lead_unit_id = all[i].lead_unit_id;
		w->lead_unit_name = all[i].lead_unit_name ? all[i].lead_unit_name : "";
	}
	return 0;
}

struct std_acc {
	const struct material_weight *w;
	int items, approved;
	double sum; /* of rating values */
	double predicted, at_risk;
};

struct lead_acc {
	int64_t unit_id;
	const char *name;
	int items;
	double at_risk;
};

static json_t *num(double v)
{
	return json_real(round(v * 10000) / 10000);
}

static int by_std_risk(const void *x, const void *y)
{
	const struct std_acc *a = x, *b = y;

	if (a->at_risk != b->at_risk)
		return a->at_risk < b->at_risk ? 1 : -1;
	return strcmp(a->w->code, b->w->code);
}

static int by_lead_risk(const void *x, const void *y)
{
	const struct lead_acc *a = x, *b = y;

	if (a->at_risk != b->at_risk)
		return a->at_risk < b->at_risk ? 1 : -1;
	return a->unit_id < b->unit_id ? -1 : a->unit_id > b->unit_id;
}

int materials_score(struct store_conn *c, int64_t tenant_id, int64_t framework_id, struct arena *a,
                    json_t **out, struct error *e)
{
	struct store_val args[2] = {sv_int(tenant_id), sv_int(framework_id)};
	struct material_weight *w;
	struct std_acc *acc;
	struct lead_acc *leads;
	struct store_rows *rows;
	double total = 0, predicted = 0, at_risk = 0;
	int nw, nleads = 0, cap = 64, i, rc, approved = 0, items = 0;
	json_t *stds, *lj;

	rc = materials_standard_weights(c, framework_id, a, &w, &nw, e);
	if (rc)
		return rc;
	acc = arena_alloc(a, sizeof(*acc) * (size_t)(nw + 1));
	memset(acc, 0, sizeof(*acc) * (size_t)(nw + 1));
	for (i = 0; i < nw; i++)
		acc[i].w = &w[i];
	/* first pass: items per standard */
	rc = store_query(c, &q_score_items, args, 2, &rows, e);
	if (rc)
		return rc;
	while ((rc = store_next(rows)) == 1) {
		int64_t sid = store_int(rows, 0);
		const char *status = store_text(rows, 1), *rating = store_text(rows, 2);

		for (i = 0; i < nw; i++)
			if (w[i].standard_id == sid) {
				acc[i].items++;
				if (!strcmp(status, "approved")) {
					acc[i].approved++;
					acc[i].sum += material_rating_value(rating);
				}
				break;
			}
		items++;
		approved += !strcmp(status, "approved");
	}
	store_finish(rows);
	if (rc < 0)
		return error_set(e, rc, NULL, NULL);
	for (i = 0; i < nw; i++) {
		double worth = acc[i].items ? acc[i].sum / acc[i].items : 0;

		acc[i].predicted = w[i].weight * worth;
		acc[i].at_risk = w[i].weight - acc[i].predicted;
		total += w[i].weight;
		predicted += acc[i].predicted;
	}
	at_risk = total - predicted;
	/* second pass: each item's share of its standard's risk, by its lead unit */
	leads = arena_alloc(a, sizeof(*leads) * (size_t)cap);
	rc = store_query(c, &q_score_items, args, 2, &rows, e);
	if (rc)
		return rc;
	while ((rc = store_next(rows)) == 1) {
		int64_t sid = store_int(rows, 0), uid = store_int(rows, 3);
		const char *status = store_text(rows, 1), *rating = store_text(rows, 2);
		double share = 0;
		int k;

		for (i = 0; i < nw; i++)
			if (w[i].standard_id == sid) {
				share = w[i].weight / acc[i].items *
				        (1 - (strcmp(status, "approved")
				                  ? 0
				                  : material_rating_value(rating)));
				break;
			}
		for (k = 0; k < nleads && leads[k].unit_id != uid; k++)
			;
		if (k == nleads) {
			if (nleads == cap) {
				struct lead_acc *more =
				    arena_alloc(a, sizeof(*more) * (size_t)cap * 2);

				memcpy(more, leads, sizeof(*more) * (size_t)cap);
				leads = more;
				cap *= 2;
			}
			leads[k].unit_id = uid;
			leads[k].name = arena_strdup(a, store_text(rows, 4));
			leads[k].items = 0;
			leads[k].at_risk = 0;
			nleads++;
		}
		leads[k].items++;
		leads[k].at_risk += share;
	}
	store_finish(rows);
	if (rc < 0)
		return error_set(e, rc, NULL, NULL);
	qsort(acc, (size_t)nw, sizeof(*acc), by_std_risk);
	qsort(leads, (size_t)nleads, sizeof(*leads), by_lead_risk);
	stds = json_array();
	for (i = 0; i < nw; i++)
		json_array_append_new(
		    stds,
		    json_pack("{s:I, s:s, s:s, s:o, s:o, s:o, s:i, s:i, s:o, s:s}", "standard_id",
		              (json_int_t)acc[i].w->standard_id, "code", acc[i].w->code, "title",
		              acc[i].w->title, "weight", num(acc[i].w->weight), "predicted",
		              num(acc[i].predicted), "at_risk", num(acc[i].at_risk), "items",
		              acc[i].items, "approved", acc[i].approved, "lead_unit_id",
		              acc[i].w->lead_unit_id ? json_integer(acc[i].w->lead_unit_id)
		                                     : json_null(),
		              "lead_unit_name", acc[i].w->lead_unit_name));
	lj = json_array();
	for (i = 0; i < nleads; i++)
		json_array_append_new(lj, json_pack("{s:I, s:s, s:i, s:o}", "unit_id",
		                                    (json_int_t)leads[i].unit_id, "name",
		                                    leads[i].name, "items", leads[i].items,
		                                    "at_risk", num(leads[i].at_risk)));
	*out = json_pack("{s:I, s:o, s:o, s:o, s:o, s:i, s:i, s:o, s:o}", "framework_id",
	                 (json_int_t)framework_id, "total", num(total), "predicted", num(predicted),
	                 "at_risk", num(at_risk), "partial_share", num(MAT_PARTIAL_SHARE), "items",
	                 items, "approved", approved, "standards", stds, "lead_units", lj);
	return 0;
}

STORE_SQL(q_gain_items, "SELECT i.id, i.standard_id, i.code, i.title, i.status, i.rating,"
                        " COALESCE(i.lead_unit_id, 0), COALESCE(u.name, '')"
                        " FROM material_items i LEFT JOIN units u ON u.id = i.lead_unit_id"
                        " WHERE i.tenant_id = ? AND i.framework_id = ? ORDER BY i.sort, i.id");

int materials_item_gains(struct store_conn *c, int64_t tenant_id, int64_t framework_id,
                         struct arena *a, struct material_gain **out, int *n, struct error *e)
{
	struct store_val args[2] = {sv_int(tenant_id), sv_int(framework_id)};
	struct material_weight *w;
	struct store_rows *rows;
	int *items, nw, cap = 0, i, rc;

	*n = 0;
	*out = NULL;
	rc = materials_standard_weights(c, framework_id, a, &w, &nw, e);
	if (rc)
		return rc;
	items = arena_calloc(a, sizeof(int) * (size_t)(nw + 1));
	rc = store_query(c, &q_score_items, args, 2, &rows, e);
	if (rc)
		return rc;
	while ((rc = store_next(rows)) == 1)
		for (i = 0; i < nw; i++)
			if (w[i].standard_id == store_int(rows, 0)) {
				items[i]++;
				break;
			}
	store_finish(rows);
	if (rc < 0)
		return error_set(e, rc, NULL, NULL);
	rc = store_query(c, &q_gain_items, args, 2, &rows, e);
	if (rc)
		return rc;
	while ((rc = store_next(rows)) == 1) {
		const char *status = store_text(rows, 4), *rating = store_text(rows, 5);
		double worth = strcmp(status, "approved") ? 0 : material_rating_value(rating);
		struct material_gain *g;

		for (i = 0; i < nw && w[i].standard_id != store_int(rows, 1); i++)
			;
		if (i == nw || worth >= 1)
			continue;
		*out = arena_grow(a, *out, *n, &cap, sizeof(**out));
		g = &(*out)[(*n)++];
		g->item_id = store_int(rows, 0);
		g->standard_id = w[i].standard_id;
		g->standard_code = w[i].code;
		g->code = arena_strdup(a, store_text(rows, 2));
		g->title = arena_strdup(a, store_text(rows, 3));
		g->status = arena_strdup(a, status);
		g->lead_unit_id = store_int(rows, 6);
		g->lead_unit_name = arena_strdup(a, store_text(rows, 7));
		g->gain = w[i].weight / items[i] * (1 - worth);
	}
	store_finish(rows);
	if (rc < 0)
		return error_set(e, rc, NULL, NULL);
	return 0;
}

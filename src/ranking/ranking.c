/* ranking.c - rates, composite score, grade and order of unit rankings (pure). */
#include "ranking/ranking.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const rate_keys[RATE_COUNT] = {"closure_rate", "on_time_rate", "rework_rate",
                                                  "recurrence_rate", "extension_rate"};

const char *ranking_rate_key(enum rank_rate r)
{
	return r >= 0 && r < RATE_COUNT ? rate_keys[r] : "";
}

/* v rounded to 1/scale; dividing exact integers gives the double nearest the decimal. */
static double round_to(double v, double scale)
{
	return round(v * scale) / scale;
}

/* A rate num/den, or none when den is 0. */
static void set_rate(struct rank_row *row, enum rank_rate r, int64_t num, int64_t den)
{
	row->has_rate[r] = den > 0;
	row->rate[r] = den > 0 ? (double)num / (double)den : 0;
}

char ranking_grade(double score, const struct tenant_settings *s)
{
	int i;

	for (i = 0; i < GRADE_BANDS; i++)
		if (score >= s->grades[i])
			return (char)('A' + i);
	return 'E';
}

void ranking_compute(struct rank_row *row, const struct tenant_settings *s)
{
	double sum = 0, weight = 0;
	int i;

	set_rate(row, RATE_CLOSURE, row->closed, row->due);
	set_rate(row, RATE_ON_TIME, row->on_time, row->due);
	set_rate(row, RATE_REWORK, row->reworked, row->closed);
	set_rate(row, RATE_RECURRENCE, row->recurrences, row->closed);
	set_rate(row, RATE_EXTENSION, row->extended, row->assigned);
	row->has_avg_hours = row->closed > 0;
	row->avg_hours =
	    row->closed > 0 ? round_to((double)row->close_ms / row->closed / 3600000.0, 10) : 0;

	/* Without anything due there is nothing to judge a unit on. */
	row->has_score = 0;
	row->score = 0;
	row->grade = 0;
	if (!row->due)
		return;
	for (i = 0; i < RATE_COUNT; i++) {
		double good;

		if (!row->has_rate[i] || s->weights[i] <= 0)
			continue;
		good = i == RATE_CLOSURE || i == RATE_ON_TIME ? row->rate[i]
		                                              : 1.0 - fmin(row->rate[i], 1.0);
		sum += s->weights[i] * good;
		weight += s->weights[i];
	}
	if (weight <= 0)
		return;
	row->has_score = 1;
	row->score = round_to(100.0 * sum / weight, 100);
	row->grade = ranking_grade(row->score, s);
}

int ranking_row_active(const struct rank_row *row)
{
	return row->due || row->assigned || row->overdue || row->recurrences;
}

static int row_cmp(const void *pa, const void *pb)
{
	const struct rank_row *a = pa, *b = pb;

	if (a->has_score != b->has_score)
		return a->has_score ? -1 : 1;
	if (a->has_score && a->score != b->score)
		return a->score > b->score ? -1 : 1;
	if (a->overdue != b->overdue)
		return a->overdue < b->overdue ? -1 : 1;
	if (a->due != b->due)
		return a->due > b->due ? -1 : 1;
	if (a->unit_sort != b->unit_sort)
		return a->unit_sort < b->unit_sort ? -1 : 1;
	return a->unit_id < b->unit_id ? -1 : a->unit_id > b->unit_id;
}

void ranking_sort(struct rank_row *rows, int n)
{
	int i;

	if (n > 1)
		qsort(rows, (size_t)n, sizeof(*rows), row_cmp);
	for (i = 0; i < n; i++) {
		if (!rows[i].has_score)
			rows[i].rank = 0;
		else if (i && rows[i - 1].has_score && rows[i - 1].score == rows[i].score)
			rows[i].rank = rows[i - 1].rank; /* 1, 2, 2, 4 */
		else
			rows[i].rank = i + 1;
	}
}

json_t *ranking_row_json(const struct rank_row *row)
{
	json_t *j = json_pack("{s:I, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "unit_id",
	                      (json_int_t)row->unit_id, "unit_name", row->unit_name, "due",
	                      (json_int_t)row->due, "closed", (json_int_t)row->closed, "on_time",
	                      (json_int_t)row->on_time, "reworked", (json_int_t)row->reworked,
	                      "recurrences", (json_int_t)row->recurrences, "assigned",
	                      (json_int_t)row->assigned, "extended", (json_int_t)row->extended,
	                      "overdue", (json_int_t)row->overdue);
	int i;

	for (i = 0; i < RATE_COUNT; i++)
		json_object_set_new(j, rate_keys[i],
		                    row->has_rate[i] ? json_real(round_to(row->rate[i], 10000))
		                                     : json_null());
	json_object_set_new(j, "proxy_closed", json_integer(row->proxy_closed));
	json_object_set_new(j, "avg_close_hours",
	                    row->has_avg_hours ? json_real(row->avg_hours) : json_null());
	json_object_set_new(j, "score", row->has_score ? json_real(row->score) : json_null());
	json_object_set_new(j, "grade", row->grade ? json_stringn(&row->grade, 1) : json_null());
	json_object_set_new(j, "rank", row->rank ? json_integer(row->rank) : json_null());
	return j;
}

/*
 * survey_stats.c - the arithmetic of questionnaire results, pure: rates as
 * mean scores with their 95 % intervals, an answer's score, and the quality
 * flags of a response.  docs/surveys.md gives the formulas.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "survey/survey.h"

#define Z95 1.959963984540054

void stat_add(struct stat_acc *a, double score)
{
	a->n++;
	a->sum += score;
	a->sumsq += score * score;
	if (score != 0 && score != 1)
		a->fractional = 1;
}

void stat_merge(struct stat_acc *into, const struct stat_acc *from)
{
	into->n += from->n;
	into->sum += from->sum;
	into->sumsq += from->sumsq;
	into->fractional |= from->fractional;
}

void wilson_interval(double x, double n, double z, double *lo, double *hi)
{
	double p, z2, denom, centre, half;

	if (n <= 0) {
		*lo = *hi = 0;
		return;
	}
	p = x / n;
	z2 = z * z;
	denom = 1 + z2 / n;
	centre = (p + z2 / (2 * n)) / denom;
	half = z * sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denom;
	*lo = fmax(0, centre - half);
	*hi = fmin(1, centre + half);
}

/*
 * A proportion (every score 0 or 1) gets Wilson's interval; a scored rate
 * (满意 1, 比较满意 0.8, ...) the normal interval of a mean with the sample
 * standard deviation, clipped to [0, 1]; with one answer it is [0, 1].
 */
void stat_value(const struct stat_acc *a, struct stat_value *out)
{
	memset(out, 0, sizeof(*out));
	out->n = a->n;
	out->wilson = !a->fractional;
	if (!a->n)
		return;
	out->rate = a->sum / (double)a->n;
	if (!a->fractional) {
		wilson_interval(a->sum, (double)a->n, Z95, &out->low, &out->high);
	} else if (a->n < 2) {
		out->low = 0;
		out->high = 1;
	} else {
		double n = (double)a->n;
		double var = (a->sumsq - a->sum * a->sum / n) / (n - 1);
		double half = Z95 * sqrt(var > 0 ? var : 0) / sqrt(n);

		out->low = fmax(0, out->rate - half);
		out->high = fmin(1, out->rate + half);
	}
}

static json_t *round4(double v)
{
	return json_real(round(v * 10000) / 10000);
}

json_t *stat_value_json(const struct stat_value *v)
{
	return json_pack("{s:I, s:o, s:o, s:o, s:s}", "n", (json_int_t)v->n, "rate",
	                 v->n ? round4(v->rate) : json_null(), "low", round4(v->low), "high",
	                 round4(v->high), "method", v->wilson ? "wilson" : "mean");
}

static int option_at(const struct survey_question *q, const char *key)
{
	int i;

	for (i = 0; key && i < q->noptions; i++)
		if (!strcmp(q->options[i].key, key))
			return i;
	return -1;
}

int survey_answer_score(const struct survey_question *q, json_t *answer, double *score, int *choice)
{
	*score = 0;
	*choice = -1;
	if (!answer || json_is_null(answer))
		return 0;
	if (q->type == Q_SINGLE || q->type == Q_RATING) {
		int i = option_at(q, json_string_value(answer));

		if (i < 0)
			return 0;
		*choice = i;
		if (!q->options[i].scored)
			return 0;
		*score = q->options[i].score;
		return 1;
	}
	if (q->type == Q_MULTIPLE && json_is_array(answer)) {
		size_t j;
		json_t *v;
		int counted = 0;

		json_array_foreach(answer, j, v)
		{
			int i = option_at(q, json_string_value(v));

			if (i >= 0 && q->options[i].scored) {
				*score += q->options[i].score;
				counted = 1;
			}
		}
		if (*score > 1)
			*score = 1;
		return counted;
	}
	return 0;
}

int survey_flag_fast(int64_t duration_ms, int64_t min_seconds)
{
	return min_seconds > 0 && duration_ms >= 0 && duration_ms < min_seconds * 1000;
}

int survey_flag_straight(const struct survey_design *d, json_t *answers)
{
	int i, first = -1, n = 0;

	for (i = 0; i < d->nquestions; i++) {
		const struct survey_question *q = &d->questions[i];
		double score;
		int choice;

		if (q->type != Q_SINGLE && q->type != Q_RATING)
			continue;
		survey_answer_score(q, json_object_get(answers, q->key), &score, &choice);
		if (choice < 0)
			continue;
		if (first < 0)
			first = choice;
		else if (choice != first)
			return 0;
		n++;
	}
	return n >= 5;
}

int survey_flag_gps(const struct survey_extent *x, double lat, double lng)
{
	const double margin = 0.02; /* about 2 km */

	if (!x->known)
		return 0;
	return lat < x->min_lat - margin || lat > x->max_lat + margin ||
	       lng < x->min_lng - margin || lng > x->max_lng + margin;
}

static const char *const flag_names[] = {"fast", "straight", "device", "address", "gps"};
#define NFLAGS ((int)(sizeof(flag_names) / sizeof(flag_names[0])))

void survey_flags_text(int bits, char out[64])
{
	size_t len = 0;
	int i;

	out[0] = '\0';
	for (i = 0; i < NFLAGS; i++)
		if (bits & (1 << i))
			len += (size_t)snprintf(out + len, 64 - len, "%s%s", len ? "," : "",
			                        flag_names[i]);
}

int survey_flags_parse(const char *s)
{
	int bits = 0, i;

	while (s && *s) {
		size_t len = strcspn(s, ",");

		for (i = 0; i < NFLAGS; i++)
			if (strlen(flag_names[i]) == len && !strncmp(flag_names[i], s, len))
				bits |= 1 << i;
		s += len;
		if (*s == ',')
			s++;
	}
	return bits;
}

json_t *survey_flags_json(int bits)
{
	json_t *arr = json_array();
	int i;

	for (i = 0; i < NFLAGS; i++)
		if (bits & (1 << i))
			json_array_append_new(arr, json_string(flag_names[i]));
	return arr;
}

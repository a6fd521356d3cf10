/*
 * assess.c - the scheme, a unit's base score and the ranking within unit
 * kinds (pure: no SQL, no HTTP).  The formulas are docs/assessment.md's.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "assess/assess_int.h"
#include "core/utf8.h"

static const char *const comp_keys[AC_COUNT] = {"problems", "tasks", "materials", "inspections",
                                                "announcements"};

double assess_round2(double v)
{
	return round(v * 100.0) / 100.0;
}

const char *assess_kind_title(const char *kind)
{
	if (!kind)
		return NULL;
	if (!strcmp(kind, "week"))
		return "周";
	if (!strcmp(kind, "month"))
		return "月度";
	if (!strcmp(kind, "year"))
		return "年度";
	return NULL;
}

void assess_scheme_default(struct assess_scheme *s)
{
	static const double weights[AC_COUNT] = {35, 20, 20, 15, 10};
	static const char *const grades[] = {"优秀", "良好", "合格", "不合格"};
	static const double mins[] = {90, 80, 60, 0};
	int i;

	memset(s, 0, sizeof(*s));
	memcpy(s->weights, weights, sizeof(weights));
	s->nbands = 4;
	for (i = 0; i < 4; i++) {
		s->band_grade[i] = grades[i];
		s->band_min[i] = mins[i];
	}
	s->red_top = 3;
	s->black_bottom = 3;
	s->overdue_days = 30;
}

/* {"weights": {...}, "bands": [{"grade", "min"}], "red_top", "black_bottom", "overdue_days"} */
int assess_scheme_parse(json_t *doc, struct arena *a, struct assess_scheme *s, struct error *e)
{
	json_t *w = json_object_get(doc, "weights"), *bands = json_object_get(doc, "bands"), *v;
	const char *key;
	double sum = 0;
	size_t i;
	int k;

	assess_scheme_default(s);
	if (!json_is_object(doc))
		return error_set(e, ERR_INVALID, NULL, "考核方案应为对象");
	json_object_foreach(doc, key, v)
	{
		if (strcmp(key, "weights") && strcmp(key, "bands") && strcmp(key, "red_top") &&
		    strcmp(key, "black_bottom") && strcmp(key, "overdue_days"))
			return error_set(e, ERR_INVALID, key, "考核方案没有字段 %s", key);
	}
	if (!json_is_object(w))
		return error_set(e, ERR_INVALID, "weights", "weights 应为各项权重的对象");
	json_object_foreach(w, key, v)
	{
		for (k = 0; k < AC_COUNT && strcmp(comp_keys[k], key); k++)
			;
		if (k == AC_COUNT)
			return error_set(e, ERR_INVALID, "weights", "没有考核项 %s", key);
	}
	for (k = 0; k < AC_COUNT; k++) {
		v = json_object_get(w, comp_keys[k]);
		if (!v) {
			s->weights[k] = 0;
			continue;
		}
		if (!json_is_number(v) || json_number_value(v) < 0 || json_number_value(v) > 100)
			return error_set(e, ERR_INVALID, "weights", "%s 的权重应为 0 到 100 的数",
			                 assess_component_at(k)->title);
		s->weights[k] = json_number_value(v);
		sum += s->weights[k];
	}
	if (sum <= 0)
		return error_set(e, ERR_INVALID, "weights", "至少一项的权重应大于 0");
	if (!json_is_array(bands) || json_array_size(bands) > ASSESS_MAX_BANDS)
		return error_set(e, ERR_INVALID, "bands", "bands 应为最多 %d 个等次的数组",
		                 ASSESS_MAX_BANDS);
	s->nbands = 0;
	json_array_foreach(bands, i, v)
	{
		json_t *g = json_object_get(v, "grade"), *m = json_object_get(v, "min");
		const char *gs = json_string_value(g);

		if (!gs || !*gs || utf8_chars(gs) > 10 || !json_is_number(m) ||
		    json_number_value(m) < -100 || json_number_value(m) > 200)
			return error_set(e, ERR_INVALID, "bands",
			                 "第 %zu 个等次应有名称 grade（1 到 10 个字）和分数线 min",
			                 i + 1);
		if (i > 0 && json_number_value(m) >= s->band_min[i - 1])
			return error_set(e, ERR_INVALID, "bands", "等次的分数线应从高到低排列");
		s->band_grade[i] = arena_strdup(a, gs);
		s->band_min[i] = json_number_value(m);
		s->nbands++;
	}
	v = json_object_get(doc, "red_top");
	if (v && (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 50))
		return error_set(e, ERR_INVALID, "red_top", "红榜名额应为 0 到 50 的整数");
	s->red_top = v ? (int)json_integer_value(v) : 0;
	v = json_object_get(doc, "black_bottom");
	if (v && (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 50))
		return error_set(e, ERR_INVALID, "black_bottom", "黑榜名额应为 0 到 50 的整数");
	s->black_bottom = v ? (int)json_integer_value(v) : 0;
	v = json_object_get(doc, "overdue_days");
	if (v && (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 365))
		return error_set(e, ERR_INVALID, "overdue_days", "超期天数应为 1 到 365 的整数");
	s->overdue_days = v ? (int)json_integer_value(v) : 30;
	return 0;
}

json_t *assess_scheme_json(const struct assess_scheme *s)
{
	json_t *w = json_object(), *bands = json_array(), *comps = json_array();
	int i;

	for (i = 0; i < AC_COUNT; i++) {
		json_object_set_new(w, comp_keys[i], json_real(s->weights[i]));
		json_array_append_new(comps, json_pack("{s:s, s:s}", "key", comp_keys[i], "title",
		                                       assess_component_at(i)->title));
	}
	for (i = 0; i < s->nbands; i++)
		json_array_append_new(bands, json_pack("{s:s, s:f}", "grade", s->band_grade[i],
		                                       "min", s->band_min[i]));
	return json_pack("{s:o, s:o, s:i, s:i, s:i, s:o}", "weights", w, "bands", bands, "red_top",
	                 s->red_top, "black_bottom", s->black_bottom, "overdue_days",
	                 s->overdue_days, "components", comps);
}

void assess_base(struct assess_row *row, const struct assess_scheme *s)
{
	double sum = 0, weight = 0;
	int i;

	for (i = 0; i < AC_COUNT; i++) {
		if (!row->has[i] || s->weights[i] <= 0)
			continue;
		sum += s->weights[i] * row->score[i];
		weight += s->weights[i];
	}
	row->has_base = weight > 0;
	row->base = weight > 0 ? assess_round2(sum / weight) : 0;
}

static int row_cmp(const void *pa, const void *pb)
{
	const struct assess_row *a = pa, *b = pb;
	int k = strcmp(a->unit_kind, b->unit_kind);

	if (k)
		return k;
	if (a->has_base != b->has_base)
		return b->has_base - a->has_base;
	if (a->has_base && a->total != b->total)
		return a->total > b->total ? -1 : 1;
	if (a->unit_sort != b->unit_sort)
		return a->unit_sort < b->unit_sort ? -1 : 1;
	return a->unit_id < b->unit_id ? -1 : a->unit_id > b->unit_id;
}

void assess_rank(struct assess_row *rows, int n, const struct assess_scheme *s)
{
	int i, j, k;

	for (i = 0; i < n; i++) {
		rows[i].total = rows[i].has_base ? assess_round2(rows[i].base + rows[i].adjust) : 0;
		rows[i].rank = 0;
		rows[i].list = 0;
		rows[i].grade = "";
	}
	qsort(rows, (size_t)n, sizeof(*rows), row_cmp);
	for (i = 0; i < n; i = j) {
		int ranked = 0;

		for (j = i; j < n && !strcmp(rows[j].unit_kind, rows[i].unit_kind); j++)
			ranked += rows[j].has_base;
		for (k = i; k < i + ranked; k++) {
			struct assess_row *r = &rows[k];
			int b, below;

			/* equal totals share a rank: 1, 1, 3 */
			r->rank =
			    k > i && r->total == rows[k - 1].total ? rows[k - 1].rank : k - i + 1;
			for (b = 0; b < s->nbands; b++)
				if (r->total >= s->band_min[b]) {
					r->grade = s->band_grade[b];
					break;
				}
			/*
			 * Black: fewer than N units rank below it (units tied at the
			 * bottom are all black), unless none ranks above it.  Red:
			 * among the top N and not black.
			 */
			for (below = 0, b = i; b < i + ranked; b++)
				below += rows[b].total < r->total;
			if (s->black_bottom > 0 && below < s->black_bottom && r->rank > 1)
				r->list = -1;
			else if (s->red_top > 0 && r->rank <= s->red_top)
				r->list = 1;
		}
	}
}

json_t *assess_components_json(struct assess_row *row, const struct assess_scheme *s)
{
	json_t *out = json_object();
	int i;

	for (i = 0; i < AC_COUNT; i++) {
		json_t *c = json_pack("{s:s, s:f}", "title", assess_component_at(i)->title,
		                      "weight", s->weights[i]);

		json_object_set_new(c, "score",
		                    row->has[i] ? json_real(row->score[i]) : json_null());
		if (!row->has[i])
			json_object_set_new(
			    c, "reason", json_string(row->reason[i] ? row->reason[i] : "无数据"));
		json_object_set_new(c, "basis", row->basis[i] ? row->basis[i] : json_object());
		row->basis[i] = NULL;
		json_object_set_new(out, comp_keys[i], c);
	}
	return out;
}

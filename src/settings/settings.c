/* settings.c - the defaults and validation of tenant settings (no SQL, no HTTP). */
#include "settings/settings.h"

#include <stdio.h>
#include <string.h>

#include "http/json_io.h"

static const char *const weight_keys[RATE_COUNT] = {
    "weight_closure", "weight_on_time", "weight_rework", "weight_recurrence", "weight_extension"};
static const char *const rate_titles[RATE_COUNT] = {"结案率", "按期结案率", "返工率", "反弹率",
                                                    "延期率"};
static const char *const grade_keys[GRADE_BANDS] = {"grade_a", "grade_b", "grade_c", "grade_d"};

const char *settings_weight_key(enum rank_rate r)
{
	return r >= 0 && r < RATE_COUNT ? weight_keys[r] : "";
}

const char *settings_rate_title(enum rank_rate r)
{
	return r >= 0 && r < RATE_COUNT ? rate_titles[r] : "";
}

void settings_defaults(struct tenant_settings *s)
{
	static const int weights[RATE_COUNT] = {30, 30, 15, 15, 10};
	static const int grades[GRADE_BANDS] = {90, 75, 60, 40};

	memset(s, 0, sizeof(*s));
	s->recur_distance_m = 100;
	s->recur_window_days = 30;
	memcpy(s->weights, weights, sizeof(weights));
	memcpy(s->grades, grades, sizeof(grades));
	s->updated_by_name = "";
}

int settings_from_json(json_t *body, const struct tenant_settings *keep, struct tenant_settings *s,
                       struct error *e)
{
	static const char *const keys[] = {
	    "recur_distance_m", "recur_window_days", "weight_closure",   "weight_on_time",
	    "weight_rework",    "weight_recurrence", "weight_extension", "grade_a",
	    "grade_b",          "grade_c",           "grade_d",          "proxy_enabled",
	    NULL};
	int64_t v;
	int i, sum = 0;

	settings_defaults(s);
	s->proxy_enabled = keep ? keep->proxy_enabled : 0;
	if (json_only_keys(body, keys, e))
		return e->code;
	if (json_get_bool(body, "proxy_enabled", JF_NULLABLE, &s->proxy_enabled, e))
		return e->code;
	if (json_get_int(body, "recur_distance_m", JF_REQUIRED, SETTINGS_RECUR_DISTANCE_MIN,
	                 SETTINGS_RECUR_DISTANCE_MAX, &v, e))
		return e->code;
	s->recur_distance_m = (int)v;
	if (json_get_int(body, "recur_window_days", JF_REQUIRED, 1, SETTINGS_RECUR_WINDOW_MAX, &v,
	                 e))
		return e->code;
	s->recur_window_days = (int)v;
	for (i = 0; i < RATE_COUNT; i++) {
		if (json_get_int(body, weight_keys[i], JF_REQUIRED, 0, 100, &v, e))
			return e->code;
		s->weights[i] = (int)v;
		sum += s->weights[i];
	}
	if (sum != 100)
		return error_set(e, ERR_INVALID, "weights", "五项权重之和应为 100，现在是 %d", sum);
	for (i = 0; i < GRADE_BANDS; i++) {
		if (json_get_int(body, grade_keys[i], JF_REQUIRED, 1, 100, &v, e))
			return e->code;
		s->grades[i] = (int)v;
		if (i && s->grades[i] >= s->grades[i - 1])
			return error_set(e, ERR_INVALID, grade_keys[i],
			                 "%c 级的分数线应低于 %c 级（%d）", 'A' + i, 'A' + i - 1,
			                 s->grades[i - 1]);
	}
	return 0;
}

json_t *settings_json(const struct tenant_settings *s)
{
	json_t *j = json_pack("{s:i, s:i}", "recur_distance_m", s->recur_distance_m,
	                      "recur_window_days", s->recur_window_days);
	int i;

	for (i = 0; i < RATE_COUNT; i++)
		json_object_set_new(j, weight_keys[i], json_integer(s->weights[i]));
	for (i = 0; i < GRADE_BANDS; i++)
		json_object_set_new(j, grade_keys[i], json_integer(s->grades[i]));
	json_object_set_new(j, "proxy_enabled", json_boolean(s->proxy_enabled));
	json_object_set_new(j, "updated_at",
	                    s->updated_at ? json_integer(s->updated_at) : json_null());
	json_object_set_new(j, "updated_by_name",
	                    s->updated_by ? json_string(s->updated_by_name) : json_null());
	return j;
}

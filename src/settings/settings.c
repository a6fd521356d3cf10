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
	snprintf(s->sheet_number_format, sizeof(s->sheet_number_format), "%s",
	         SETTINGS_SHEET_FORMAT_DEFAULT);
	snprintf(s->bulletin_number_format, sizeof(s->bulletin_number_format), "%s",
	         SETTINGS_BULLETIN_FORMAT_DEFAULT);
}

/* A number of pattern fmt as settings_sheet_number; errors name field and call it what. */
static int number_format(const char *fmt, int year, long long no, char *out, size_t n,
                         const char *field, const char *what, struct error *e)
{
	const char *p = fmt;
	size_t k = 0;
	int years = 0, seqs = 0, w;
	char buf[32];

	if (!*fmt || strlen(fmt) > SETTINGS_SHEET_FORMAT_MAX)
		return error_set(e, ERR_INVALID, field, "%s应为 1 到 %d 个字节", what,
		                 SETTINGS_SHEET_FORMAT_MAX);
	while (*p) {
		const char *add = NULL;
		size_t alen = 0;

		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return error_set(e, ERR_INVALID, field, "%s不能含控制字符", what);
		if (!strncmp(p, "{YYYY}", 6)) {
			snprintf(buf, sizeof(buf), "%04d", year);
			add = buf;
			alen = strlen(buf);
			p += 6;
			years++;
		} else if (p[0] == '{' && p[1] == 'N') {
			for (w = 0; p[1 + w] == 'N'; w++)
				;
			if (p[1 + w] != '}' || w > 6)
				return error_set(e, ERR_INVALID, field,
				                 "序号占位应为 {N} 到 {NNNNNN}");
			snprintf(buf, sizeof(buf), "%0*lld", w, no);
			add = buf;
			alen = strlen(buf);
			p += w + 2;
			seqs++;
		} else {
			add = p++;
			alen = 1;
		}
		if (out && k + alen < n) {
			memcpy(out + k, add, alen);
			k += alen;
		}
	}
	if (out && n)
		out[k < n ? k : n - 1] = '\0';
	if (years != 1 || seqs != 1)
		return error_set(e, ERR_INVALID, field, "%s须含一个年份 {YYYY} 和一个序号 {NNN}",
		                 what);
	return 0;
}

int settings_sheet_number(const char *fmt, int year, long long no, char *out, size_t n,
                          struct error *e)
{
	return number_format(fmt, year, no, out, n, "sheet_number_format", "交办单编号格式", e);
}

int settings_bulletin_number(const char *fmt, int year, long long no, char *out, size_t n,
                             struct error *e)
{
	return number_format(fmt, year, no, out, n, "bulletin_number_format", "通报期号格式", e);
}

int settings_from_json(json_t *body, const struct tenant_settings *keep, struct tenant_settings *s,
                       struct error *e)
{
	static const char *const keys[] = {"recur_distance_m",
	                                   "recur_window_days",
	                                   "weight_closure",
	                                   "weight_on_time",
	                                   "weight_rework",
	                                   "weight_recurrence",
	                                   "weight_extension",
	                                   "grade_a",
	                                   "grade_b",
	                                   "grade_c",
	                                   "grade_d",
	                                   "proxy_enabled",
	                                   "sheet_number_format",
	                                   "bulletin_number_format",
	                                   NULL};
	const char *fmt = NULL;
	char probe[SETTINGS_SHEET_FORMAT_MAX + 32];
	int64_t v;
	int i, sum = 0;

	settings_defaults(s);
	s->proxy_enabled = keep ? keep->proxy_enabled : 0;
	if (json_only_keys(body, keys, e))
		return e->code;
	if (json_get_bool(body, "proxy_enabled", JF_NULLABLE, &s->proxy_enabled, e))
		return e->code;
	if (keep)
		memcpy(s->sheet_number_format, keep->sheet_number_format,
		       sizeof(s->sheet_number_format));
	if (json_get_string(body, "sheet_number_format", JF_NULLABLE, 1, SETTINGS_SHEET_FORMAT_MAX,
	                    &fmt, e))
		return e->code;
	if (fmt) {
		if (settings_sheet_number(fmt, 2026, 1, probe, sizeof(probe), e))
			return e->code;
		snprintf(s->sheet_number_format, sizeof(s->sheet_number_format), "%s", fmt);
	}
	if (keep)
		memcpy(s->bulletin_number_format, keep->bulletin_number_format,
		       sizeof(s->bulletin_number_format));
	fmt = NULL;
	if (json_get_string(body, "bulletin_number_format", JF_NULLABLE, 1,
	                    SETTINGS_SHEET_FORMAT_MAX, &fmt, e))
		return e->code;
	if (fmt) {
		if (settings_bulletin_number(fmt, 2026, 1, probe, sizeof(probe), e))
			return e->code;
		snprintf(s->bulletin_number_format, sizeof(s->bulletin_number_format), "%s", fmt);
	}
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
	json_object_set_new(j, "sheet_number_format", json_string(s->sheet_number_format));
	json_object_set_new(j, "bulletin_number_format", json_string(s->bulletin_number_format));
	json_object_set_new(j, "updated_at",
	                    s->updated_at ? json_integer(s->updated_at) : json_null());
	json_object_set_new(j, "updated_by_name",
	                    s->updated_by ? json_string(s->updated_by_name) : json_null());
	return j;
}

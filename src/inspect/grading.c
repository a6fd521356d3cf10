/*
 * grading.c - grading schemes (grading.h): the credit an answer earns, and
 * the scheme read from a sheet's cell or stored JSON.
 */
#include "inspect/grading.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"

static const char *const kind_names[] = {"credits", "levels", "deduction", "rate"};

const char *grading_kind_name(enum grading_kind k)
{
	return k >= GRADING_CREDITS && k <= GRADING_RATE ? kind_names[k] : "credits";
}

int grading_kind_parse(const char *s)
{
	int i;

	for (i = 0; s && i < 4; i++)
		if (!strcmp(s, kind_names[i]))
			return i;
	return -1;
}

int grading_credit(const struct grading *g, double weight, const struct grading_answer *a,
                   const struct credit_table *credits, double *credit)
{
	int i;

	*credit = -1;
	if (a->rating == RATING_NA)
		return 0;
	switch (g->kind) {
	case GRADING_LEVELS:
		for (i = 0; a->level && i < g->nlevels; i++)
			if (!strcmp(g->levels[i].name, a->level)) {
				*credit = g->levels[i].share;
				return 0;
			}
		return -1;
	case GRADING_DEDUCTION: {
		double left;

		if (a->shortfalls < 0)
			return -1;
		if (weight <= 0) {
			*credit = a->shortfalls ? 0 : 1;
			return 0;
		}
		left = weight - g->per * (double)a->shortfalls;
		if (left < g->floor)
			left = g->floor;
		if (left > weight)
			left = weight;
		*credit = left / weight;
		return 0;
	}
	case GRADING_RATE:
		if (a->rate < 0 || a->rate > 1)
			return -1;
		*credit = 0;
		for (i = 0; i < g->nthresholds; i++)
			if (a->rate + 1e-12 >= g->thresholds[i].min) {
				*credit = g->thresholds[i].share;
				break;
			}
		return 0;
	default:
		*credit = rating_credit(credits, a->rating);
		return 0;
	}
}

/* ---- reading a cell --------------------------------------------------------- */

/* The number at s (ASCII or full-width digits, a dot) and a trailing %; *end after it. */
static int read_number(const char *s, double *v, const char **end)
{
	char buf[32];
	size_t n = 0;
	int pct = 0;

	while (*s && n < sizeof(buf) - 1) {
		if ((*s >= '0' && *s <= '9') || *s == '.')
			buf[n++] = *s++;
		else if (!strncmp(s, "．", 3)) {
			buf[n++] = '.';
			s += 3;
		} else if ((unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBC &&
		           (unsigned char)s[2] >= 0x90 && (unsigned char)s[2] <= 0x99) {
			buf[n++] = (char)('0' + ((unsigned char)s[2] - 0x90)); /* ０-９ */
			s += 3;
		} else
			break;
	}
	buf[n] = 0;
	if (!n || !strcmp(buf, "."))
		return -1;
	*v = strtod(buf, NULL);
	while (*s == ' ')
		s++;
	if (*s == '%') {
		pct = 1;
		s++;
	} else if (!strncmp(s, "％", 3)) {
		pct = 1;
		s += 3;
	}
	if (pct)
		*v /= 100;
	*end = s;
	return 0;
}

/* The first number after the first occurrence of word in s; -1 when none. */
static int number_after(const char *s, const char *word, double *v)
{
	const char *p = strstr(s, word), *end;

	if (!p)
		return -1;
	for (p += strlen(word); *p; p++)
		if ((*p >= '0' && *p <= '9') ||
		    ((unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBC &&
		     (unsigned char)p[2] >= 0x90 && (unsigned char)p[2] <= 0x99))
			return read_number(p, v, &end);
	return -1;
}

/* Split s into tokens at 、,，;； and newlines; returns how many (at most max). */
static int tokens(char *s, char **out, int max)
{
	static const char *const seps[] = {"、", "，", "；", ",", ";", "\n", "\r"};
	int n = 0;
	size_t k;

	while (*s && n < max) {
		char *start = s, *e;

		for (;;) {
			size_t len = 0;

			for (k = 0; k < sizeof(seps) / sizeof(seps[0]); k++)
				if (!strncmp(s, seps[k], strlen(seps[k])))
					len = strlen(seps[k]);
			if (!*s || len) {
				e = s;
				if (*s) {
					*s = 0;
					s += len;
				}
				break;
			}
			s++;
		}
		while (*start == ' ')
			start++;
		while (e > start && e[-1] == ' ')
			*--e = 0;
		if (*start)
			out[n++] = start;
	}
	return n;
}

/* The clause of text ending in "为<name>" (or "为<name>级"), into rules; "" when none. */
static const char *level_rule(char *text, const char *name)
{
	static const char *const seps[] = {"；", "。", "\n", ";", "，"};
	char want[32], want2[32];
	char *p, *hit = NULL;
	size_t k;

	snprintf(want, sizeof(want), "为%s", name);
	snprintf(want2, sizeof(want2), "为%s级", name);
	for (p = text; (p = strstr(p, want)); p += strlen(want)) {
		const char *after = p + strlen(want);

		/* "为A" but not "为AB": the level's name ends there */
		if ((*after >= 'A' && *after <= 'Z') || (*after >= 'a' && *after <= 'z'))
			continue;
		hit = p;
		break;
	}
	if (!hit)
		return "";
	{
		char *start = text, *end;

		for (p = text; p < hit; p++)
			for (k = 0; k < sizeof(seps) / sizeof(seps[0]); k++)
				if (!strncmp(p, seps[k], strlen(seps[k])))
					start = p + strlen(seps[k]);
		end = hit + (strncmp(hit, want2, strlen(want2)) ? strlen(want) : strlen(want2));
		while (*start == ' ')
			start++;
		return xstrndup(start, (size_t)(end - start));
	}
}

static int fail(char msg[160], const char *text)
{
	snprintf(msg, 160, "%s", text);
	return -1;
}

/* Levels named in text ("为A", "为B" ...), best first, with the default shares. */
static int levels_from_text(const char *text, struct grading *g)
{
	static const double shares[] = {1, 0.8, 0.6, 0.4, 0.2};
	static const char *const names[] = {"A", "B", "C", "D", "E"};
	int i, n = 0;

	for (i = 0; i < 5; i++) {
		char want[8];
		const char *p;

		snprintf(want, sizeof(want), "为%s", names[i]);
		p = strstr(text, want);
		if (!p)
			continue;
		snprintf(g->levels[n].name, sizeof(g->levels[n].name), "%s", names[i]);
		g->levels[n].share = shares[i];
		n++;
	}
	if (n < 2)
		return 0;
	g->kind = GRADING_LEVELS;
	g->nlevels = n;
	return n;
}

int grading_parse_cell(const char *cell, const char *standard_text, struct grading *g, char **rules,
                       char msg[160])
{
	char *copy, *tok[GRADING_MAX_LEVELS + 1], *text;
	int n, i;

	memset(g, 0, sizeof(*g));
	*rules = NULL;
	if (!*cell || !strcmp(cell, "合格/不合格") || !strcmp(cell, "合格、不合格")) {
		if (!levels_from_text(standard_text, g))
			return 0;
	} else if (strstr(cell, "扣")) {
		g->kind = GRADING_DEDUCTION;
		if (number_after(cell, "扣", &g->per) || g->per <= 0 || g->per > 100)
			return fail(msg, "评分方式写了“扣”，但没有写扣几分，如“每少一处扣2分”");
		if (number_after(cell, "最低", &g->floor) == 0 && (g->floor < 0 || g->floor > 100))
			return fail(msg, "最低分应为 0 到 100 之间的数");
		return 0;
	} else {
		copy = xstrdup(cell);
		n = tokens(copy, tok, GRADING_MAX_LEVELS + 1);
		if (n > GRADING_MAX_LEVELS) {
			free(copy);
			return fail(msg, "评分档次最多 8 个");
		}
		for (i = 0; i < n; i++) {
			char *t = tok[i], *eq;
			const char *end;
			double v;
			int rate = 0;

			if (!strncmp(t, "≥", 3)) {
				t += 3;
				rate = 1;
			} else if (!strncmp(t, ">=", 2)) {
				t += 2;
				rate = 1;
			}
			if (rate) {
				struct grading_threshold *th = &g->thresholds[g->nthresholds];

				if (read_number(t, &th->min, &end) || th->min < 0 || th->min > 1)
					break;
				while (*end == ' ')
					end++;
				if (!strncmp(end, "=", 1))
					end += 1;
				else if (!strncmp(end, "：", 3))
					end += 3;
				else if (!strncmp(end, ":", 1))
					end += 1;
				else
					break;
				if (read_number(end, &th->share, &end) || *end || th->share < 0 ||
				    th->share > 1 ||
				    (g->nthresholds &&
				     th->min >= g->thresholds[g->nthresholds - 1].min))
					break;
				g->nthresholds++;
				g->kind = GRADING_RATE;
				continue;
			}
			eq = strpbrk(t, "=:");
			if (!eq && (eq = strstr(t, "：")))
				*eq = '=', memmove(eq + 1, eq + 3, strlen(eq + 3) + 1);
			if (!eq || eq == t || (size_t)(eq - t) > GRADING_LEVEL_MAX)
				break;
			*eq = 0;
			while (eq > t && eq[-1] == ' ')
				eq[-1] = 0;
			if (read_number(eq + 1 + strspn(eq + 1, " "), &v, &end) || *end || v < 0 ||
			    v > 1)
				break;
			snprintf(g->levels[g->nlevels].name, sizeof(g->levels[0].name), "%s", t);
			g->levels[g->nlevels++].share = v;
			g->kind = GRADING_LEVELS;
		}
		free(copy);
		if (i < n || (g->nlevels && g->nthresholds))
			return fail(msg, "评分方式应写成“A=100%、B=80%、C=60%”、“每少一处扣2分”或"
			                 "“≥90%=100%、≥60%=60%”");
		if (g->kind == GRADING_LEVELS && g->nlevels < 2)
			return fail(msg, "分档评分至少要有两档");
	}
	if (g->kind != GRADING_LEVELS)
		return 0;
	/* each level's rule: the clause of the standard's text that names it */
	text = xstrdup(standard_text);
	{
		size_t total = 1;
		const char *r[GRADING_MAX_LEVELS];
		char *buf, *p;

		for (i = 0; i < g->nlevels; i++) {
			r[i] = level_rule(text, g->levels[i].name);
			total += strlen(r[i]) + 1;
		}
		buf = p = xmalloc(total);
		for (i = 0; i < g->nlevels; i++) {
			size_t len = strlen(r[i]);

			memcpy(p, r[i], len + 1);
			g->levels[i].rule = p;
			p += len + 1;
			if (*r[i])
				free((void *)r[i]);
		}
		*rules = buf;
	}
	free(text);
	for (i = 1; i < g->nlevels; i++)
		if (!strcmp(g->levels[i].name, g->levels[i - 1].name))
			return fail(msg, "评分档次重复");
	return 0;
}

/* ---- JSON ---------------------------------------------------------------------- */

static json_t *num(double v)
{
	return json_real(round(v * 10000) / 10000);
}

json_t *grading_json(const struct grading *g)
{
	json_t *j = json_pack("{s:s}", "kind", grading_kind_name(g->kind)), *arr;
	int i;

	switch (g->kind) {
	case GRADING_LEVELS:
		arr = json_array();
		for (i = 0; i < g->nlevels; i++)
			json_array_append_new(
			    arr, json_pack("{s:s, s:o, s:s}", "name", g->levels[i].name, "share",
			                   num(g->levels[i].share), "rule",
			                   g->levels[i].rule ? g->levels[i].rule : ""));
		json_object_set_new(j, "levels", arr);
		break;
	case GRADING_DEDUCTION:
		json_object_set_new(j, "per", num(g->per));
		json_object_set_new(j, "floor", num(g->floor));
		break;
	case GRADING_RATE:
		arr = json_array();
		for (i = 0; i < g->nthresholds; i++)
			json_array_append_new(arr, json_pack("{s:o, s:o}", "min",
			                                     num(g->thresholds[i].min), "share",
			                                     num(g->thresholds[i].share)));
		json_object_set_new(j, "thresholds", arr);
		break;
	default:
		break;
	}
	return j;
}

int grading_cell(const struct grading *g, char *buf, size_t size)
{
	size_t n = 0;
	int i, w = 0;

	buf[0] = '\0';
	switch (g->kind) {
	case GRADING_LEVELS:
		for (i = 0; i < g->nlevels && w >= 0 && n < size; i++, n += (size_t)w)
			w = snprintf(buf + n, size - n, "%s%s=%g%%", i ? "、" : "",
			             g->levels[i].name, g->levels[i].share * 100);
		break;
	case GRADING_DEDUCTION:
		w = g->floor > 0 ? snprintf(buf, size, "每少一处扣%g分，最低%g分", g->per, g->floor)
		                 : snprintf(buf, size, "每少一处扣%g分", g->per);
		n = w >= 0 ? (size_t)w : 0;
		break;
	case GRADING_RATE:
		for (i = 0; i < g->nthresholds && w >= 0 && n < size; i++, n += (size_t)w)
			w = snprintf(buf + n, size - n, "%s≥%g%%=%g%%", i ? "、" : "",
			             g->thresholds[i].min * 100, g->thresholds[i].share * 100);
		break;
	default:
		break;
	}
	return w < 0 || n >= size ? -1 : 0;
}

static int share_of(json_t *o, const char *key, double lo, double hi, double *out)
{
	json_t *v = json_object_get(o, key);

	if (!json_is_number(v))
		return -1;
	*out = json_number_value(v);
	return *out >= lo && *out <= hi ? 0 : -1;
}

int grading_from_json(json_t *j, struct grading *g, char msg[160])
{
	json_t *arr, *v;
	size_t i;
	int kind;

	memset(g, 0, sizeof(*g));
	if (!j || json_is_null(j))
		return 0;
	if (!json_is_object(j))
		return fail(msg, "评分方式应为对象");
	kind = grading_kind_parse(json_string_value(json_object_get(j, "kind")));
	if (kind < 0)
		return fail(msg, "评分方式 kind 应为 credits、levels、deduction 或 rate");
	g->kind = (enum grading_kind)kind;
	if (kind == GRADING_LEVELS) {
		arr = json_object_get(j, "levels");
		if (!json_is_array(arr) || json_array_size(arr) < 2 ||
		    json_array_size(arr) > GRADING_MAX_LEVELS)
			return fail(msg, "分档评分应有 2 到 8 档");
		json_array_foreach(arr, i, v)
		{
			const char *name = json_string_value(json_object_get(v, "name"));
			const char *rule = json_string_value(json_object_get(v, "rule"));
			size_t k;

			if (!name || !*name || strlen(name) > GRADING_LEVEL_MAX ||
			    share_of(v, "share", 0, 1, &g->levels[i].share))
				return fail(msg,
				            "每档应有名称（最多 8 字节）和 0 到 1 之间的得分比例");
			for (k = 0; k < i; k++)
				if (!strcmp(g->levels[k].name, name))
					return fail(msg, "评分档次重复");
			if (rule && strlen(rule) > GRADING_RULE_MAX * 4)
				return fail(msg, "档次说明最多 500 个字");
			snprintf(g->levels[i].name, sizeof(g->levels[i].name), "%s", name);
			g->levels[i].rule = rule ? rule : "";
		}
		g->nlevels = (int)json_array_size(arr);
	} else if (kind == GRADING_DEDUCTION) {
		if (share_of(j, "per", 0.0001, 100, &g->per))
			return fail(msg, "每处扣分 per 应为大于 0、不超过 100 的数");
		if (json_object_get(j, "floor") && share_of(j, "floor", 0, 100, &g->floor))
			return fail(msg, "最低分 floor 应为 0 到 100 之间的数");
	} else if (kind == GRADING_RATE) {
		arr = json_object_get(j, "thresholds");
		if (!json_is_array(arr) || !json_array_size(arr) ||
		    json_array_size(arr) > GRADING_MAX_LEVELS)
			return fail(msg, "达标率评分应有 1 到 8 个门槛");
		json_array_foreach(arr, i, v)
		{
			if (share_of(v, "min", 0, 1, &g->thresholds[i].min) ||
			    share_of(v, "share", 0, 1, &g->thresholds[i].share))
				return fail(msg, "门槛 min 与得分比例 share 应为 0 到 1 之间的数");
			if (i && g->thresholds[i].min >= g->thresholds[i - 1].min)
				return fail(msg, "门槛应从高到低排列");
		}
		g->nthresholds = (int)json_array_size(arr);
	}
	return 0;
}

int grading_load(const char *text, struct grading *g, json_t **hold)
{
	char msg[160];
	json_t *j;

	*hold = NULL;
	memset(g, 0, sizeof(*g));
	if (!text || !*text)
		return 0;
	j = json_loads(text, 0, NULL);
	if (!j)
		return -1;
	*hold = j;
	return grading_from_json(j, g, msg);
}

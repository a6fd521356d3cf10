/*
 * framework.c - the rules of the evaluation framework without SQL or HTTP:
 * method names, how a standard's weight is shared among the score's parts,
 * and the nested tree the API answers with.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "core/strbuf.h"
#include "inspect/grading.h"
#include "inspect/inspect.h"

static const struct {
	const char *name;
	int bit;
} method_names[] = {
    {"field", METHOD_FIELD},
    {"questionnaire", METHOD_QUESTIONNAIRE},
    {"materials", METHOD_MATERIALS},
    {"data", METHOD_DATA},
};

#define NMETHODS ((int)(sizeof(method_names) / sizeof(method_names[0])))

static int method_bit(const char *s, size_t len)
{
	static const struct {
		const char *zh;
		int bit;
	} zh[] = {
	    {"实地考察", METHOD_FIELD},
	    {"实地测评", METHOD_FIELD},
	    {"问卷调查", METHOD_QUESTIONNAIRE},
	    {"网上申报", METHOD_MATERIALS},
	    {"材料申报", METHOD_MATERIALS},
	    {"数据/部门评价", METHOD_DATA},
	    {"数据", METHOD_DATA},
	    {"部门评价", METHOD_DATA},
	    {"数据评价", METHOD_DATA},
	};
	int i;

	for (i = 0; i < NMETHODS; i++)
		if (strlen(method_names[i].name) == len && !strncmp(method_names[i].name, s, len))
			return method_names[i].bit;
	for (i = 0; i < (int)(sizeof(zh) / sizeof(zh[0])); i++)
		if (strlen(zh[i].zh) == len && !strncmp(zh[i].zh, s, len))
			return zh[i].bit;
	return -1;
}

int methods_parse(const char *s)
{
	int bits = 0;

	while (s && *s) {
		size_t len = strcspn(s, ",");
		int b = len ? method_bit(s, len) : 0;

		if (b < 0)
			return -1;
		bits |= b;
		s += len;
		if (*s == ',')
			s++;
	}
	return bits;
}

const char *methods_text(int bits, struct arena *a)
{
	struct strbuf sb = STRBUF_INIT;
	const char *out;
	int i;

	for (i = 0; i < NMETHODS; i++)
		if (bits & method_names[i].bit)
			strbuf_addf(&sb, "%s%s", sb.len ? "," : "", method_names[i].name);
	out = arena_strdup(a, sb.len ? sb.buf : "");
	strbuf_release(&sb);
	return out;
}

json_t *methods_json(int bits)
{
	json_t *arr = json_array();
	int i;

	for (i = 0; i < NMETHODS; i++)
		if (bits & method_names[i].bit)
			json_array_append_new(arr, json_string(method_names[i].name));
	return arr;
}

/*
 * The built-in method vocabulary: what real frameworks write, each feeding
 * one part of the score (data and department evaluation count in the
 * materials part, as the national framework splits 40 / 20 / 40).
 */
static const struct method_name builtin_methods[] = {
    {"实地考察", METHOD_FIELD, 0},
    {"实地测评", METHOD_FIELD, 0},
    {"整体观察", METHOD_FIELD, 0},
    {"问卷调查", METHOD_QUESTIONNAIRE, 0},
    {"网络（电话、媒体）调查", METHOD_QUESTIONNAIRE, 0},
    {"网络(电话、媒体)调查", METHOD_QUESTIONNAIRE, 0},
    {"网上申报", METHOD_MATERIALS, 0},
    {"材料审核", METHOD_MATERIALS, 0},
    {"材料申报", METHOD_MATERIALS, 0},
    {"听取汇报", METHOD_DATA, 0},
    {"主管部门意见", METHOD_DATA, 0},
    {"数据采集", METHOD_DATA, 0},
    {"数据/部门评价", METHOD_DATA, 0},
    {"部门评价", METHOD_DATA, 0},
    {"数据评价", METHOD_DATA, 0},
    {"数据", METHOD_DATA, 0},
    {"field", METHOD_FIELD, 0},
    {"questionnaire", METHOD_QUESTIONNAIRE, 0},
    {"materials", METHOD_MATERIALS, 0},
    {"data", METHOD_DATA, 0},
};

const struct method_name *method_builtins(int *n)
{
	*n = (int)(sizeof(builtin_methods) / sizeof(builtin_methods[0]));
	return builtin_methods;
}

int method_part_bit(const char *part)
{
	int i;

	for (i = 0; part && i < NMETHODS; i++)
		if (!strcmp(method_names[i].name, part))
			return method_names[i].bit;
	return -1;
}

const char *method_part_name(int bit)
{
	int i;

	for (i = 0; i < NMETHODS; i++)
		if (method_names[i].bit == bit)
			return method_names[i].name;
	return "";
}

/* 1 when s starts with one of the cell separators; *len gets its length. */
static int separator(const char *s, size_t *len)
{
	static const char *const seps[] = {"、", "，", "；", ",", ";", " ", "\t", "\n", "|", "/"};
	size_t i;

	for (i = 0; i < sizeof(seps) / sizeof(seps[0]); i++)
		if (!strncmp(s, seps[i], strlen(seps[i]))) {
			*len = strlen(seps[i]);
			return 1;
		}
	return 0;
}

/* The longest name of the vocabulary (extra first, then the built-ins) at s. */
static int vocab_match(const char *s, const struct method_name *extra, int nextra, size_t *len)
{
	int nb, i, bit = -1;
	const struct method_name *b = method_builtins(&nb);

	*len = 0;
	for (i = 0; i < nextra + nb; i++) {
		const struct method_name *m = i < nextra ? &extra[i] : &b[i - nextra];
		size_t n = strlen(m->name);
		size_t sep;

		/* a whole word: followed by the end or a separator */
		if (n > *len && !strncmp(s, m->name, n) && (!s[n] || separator(s + n, &sep))) {
			*len = n;
			bit = m->bit;
		}
	}
	return bit;
}

int methods_from_cell_vocab(const char *cell, const struct method_name *extra, int nextra,
                            int *bits, const char **unknown, struct arena *a)
{
	const char *s = cell;

	*bits = 0;
	*unknown = NULL;
	while (*s) {
		const char *start;
		size_t sep, len;
		int b;

		while (*s && separator(s, &sep))
			s += sep;
		if (!*s)
			break;
		b = vocab_match(s, extra, nextra, &len);
		if (b < 0) {
			start = s;
			while (*s && !separator(s, &sep))
				s++;
			*unknown = arena_strndup(a, start, (size_t)(s - start));
			return -1;
		}
		*bits |= b;
		s += len;
	}
	return 0;
}

int methods_from_cell(const char *cell)
{
	struct arena a;
	const char *unknown;
	int bits, rc;

	arena_init(&a);
	rc = methods_from_cell_vocab(cell, NULL, 0, &bits, &unknown, &a);
	arena_release(&a);
	return rc ? -1 : bits;
}

/* ---- codes and text as written ------------------------------------------------ */

/* The code point at s (valid UTF-8, as jansson and the sheet reader give); *len its bytes. */
static uint32_t utf8_at(const unsigned char *s, int *len)
{
	if (s[0] < 0x80) {
		*len = 1;
		return s[0];
	}
	if ((s[0] & 0xE0) == 0xC0 && s[1]) {
		*len = 2;
		return ((uint32_t)(s[0] & 0x1F) << 6) | (s[1] & 0x3F);
	}
	if ((s[0] & 0xF0) == 0xE0 && s[1] && s[2]) {
		*len = 3;
		return ((uint32_t)(s[0] & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) |
		       (s[2] & 0x3F);
	}
	if ((s[0] & 0xF8) == 0xF0 && s[1] && s[2] && s[3]) {
		*len = 4;
		return ((uint32_t)(s[0] & 0x07) << 18) | ((uint32_t)(s[1] & 0x3F) << 12) |
		       ((uint32_t)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
	}
	*len = 1;
	return 0xFFFD;
}

/* Letters and digits a code may use, beyond ASCII: see indicator_code_ok. */
static int code_char(uint32_t c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       c == '-' || c == '_' || c == '.' || c == '(' || c == ')' ||
	       (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7) /* Latin letters */ ||
	       (c >= 0x370 && c <= 0x3FF) /* Greek */ ||
	       (c >= 0x2010 && c <= 0x2015) /* dashes */ ||
	       (c >= 0x2160 && c <= 0x2188) /* Ⅰ Ⅱ Ⅲ ⅰ */ ||
	       (c >= 0x2460 && c <= 0x24FF) /* ① ⑴ ⒈ */ || c == 0x3007 ||
	       (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) || c == 0x30FB ||
	       c == 0xB7 /* ・ · */ || (c >= 0xFF08 && c <= 0xFF09) /* （ ） */ ||
	       (c >= 0xFF0D && c <= 0xFF0E) /* － ． */ || (c >= 0xFF10 && c <= 0xFF19) ||
	       (c >= 0xFF21 && c <= 0xFF3A) || (c >= 0xFF41 && c <= 0xFF5A) || c == 0xFF3F;
}

int indicator_code_ok(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	int len, n = 0;

	if (!s || !*s || strlen(s) > IND_CODE_MAX * 4)
		return 0;
	while (*u) {
		if (!code_char(utf8_at(u, &len)))
			return 0;
		u += len;
		n++;
	}
	return n <= IND_CODE_MAX;
}

int indicator_text_ok(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;

	for (; *u; u++)
		if ((*u < 0x20 && *u != '\n' && *u != '\r' && *u != '\t') || *u == 0x7F)
			return 0;
	/* U+2028 / U+2029 would break lines a log or a CSV reader does not expect */
	return !strstr(s, "\xE2\x80\xA8") && !strstr(s, "\xE2\x80\xA9");
}

void weight_parts(double weight, int methods, double parts[NPARTS])
{
	int has[NPARTS], n = 0, i;

	has[PART_FIELD] = !!(methods & METHOD_FIELD);
	has[PART_QUESTIONNAIRE] = !!(methods & METHOD_QUESTIONNAIRE);
	has[PART_MATERIALS] = !!(methods & (METHOD_MATERIALS | METHOD_DATA));
	for (i = 0; i < NPARTS; i++)
		n += has[i];
	for (i = 0; i < NPARTS; i++)
		parts[i] = n && has[i] ? weight / n : 0;
}

/* Rounded to 4 decimals so sums of thirds read well; JSON only. */
static json_t *num(double v)
{
	return json_real(round(v * 10000) / 10000);
}

json_t *parts_totals_json(double weight, const double parts[NPARTS])
{
	return json_pack("{s:o, s:o, s:o, s:o}", "weight", num(weight), "field",
	                 num(parts[PART_FIELD]), "questionnaire", num(parts[PART_QUESTIONNAIRE]),
	                 "materials", num(parts[PART_MATERIALS]));
}

static json_t *parts_json(const double parts[NPARTS])
{
	return json_pack("{s:o, s:o, s:o}", "field", num(parts[PART_FIELD]), "questionnaire",
	                 num(parts[PART_QUESTIONNAIRE]), "materials", num(parts[PART_MATERIALS]));
}

static json_t *refs_json(const struct ref *refs, int n, int64_t owner)
{
	json_t *arr = json_array();
	int i;

	for (i = 0; i < n; i++)
		if (refs[i].owner == owner)
			json_array_append_new(arr,
			                      json_pack("{s:I, s:s}", "id", (json_int_t)refs[i].id,
			                                "name", refs[i].name));
	return arr;
}

json_t *indicator_json(const struct indicator *ind, const struct ref *units, int nunits,
                       const struct ref *types, int ntypes)
{
	double parts[NPARTS];
	json_t *j;

	weight_parts(ind->weight, ind->methods, parts);
	j = json_pack("{s:I, s:I, s:o, s:i, s:s, s:s, s:o, s:o, s:o, s:I}", "id",
	              (json_int_t)ind->id, "framework_id", (json_int_t)ind->framework_id,
	              "parent_id", ind->parent_id ? json_integer(ind->parent_id) : json_null(),
	              "level", ind->level, "code", ind->code, "title", ind->title, "weight",
	              num(ind->weight), "methods", methods_json(ind->methods), "parts",
	              parts_json(parts), "sort", (json_int_t)ind->sort);
	json_object_set_new(
	    j, "section", json_string(ind->section && *ind->section ? ind->section : SECTION_MAIN));
	if (ind->level == 3) {
		struct grading g;
		json_t *hold;

		grading_load(ind->grading, &g, &hold);
		json_object_set_new(j, "grading", grading_json(&g));
		json_decref(hold);
		json_object_set_new(j, "grading_text",
		                    json_string(ind->grading_text ? ind->grading_text : ""));
		json_object_set_new(j, "method_text",
		                    json_string(ind->method_text ? ind->method_text : ""));
		json_object_set_new(j, "lead_unit_id",
		                    ind->lead_unit_id ? json_integer(ind->lead_unit_id)
		                                      : json_null());
		json_object_set_new(j, "lead_unit_name",
		                    json_string(ind->lead_unit_name ? ind->lead_unit_name : ""));
		json_object_set_new(j, "units", refs_json(units, nunits, ind->id));
		json_object_set_new(j, "point_types", refs_json(types, ntypes, ind->id));
	}
	return j;
}

/* The node of all[i] with its subtree; adds its weight, parts and methods to the sums. */
static json_t *subtree(const struct indicator *all, int n, int i, const struct ref *units,
                       int nunits, const struct ref *types, int ntypes, double *weight,
                       double parts[NPARTS], int *methods)
{
	json_t *node = indicator_json(&all[i], units, nunits, types, ntypes), *children;
	double w = 0, p[NPARTS] = {0, 0, 0};
	int m = 0, k;

	if (all[i].level == 3) {
		weight_parts(all[i].weight, all[i].methods, p);
		*weight += all[i].weight;
		for (k = 0; k < NPARTS; k++)
			parts[k] += p[k];
		*methods |= all[i].methods;
		return node;
	}
	children = json_array();
	for (k = 0; k < n; k++)
		if (all[k].parent_id == all[i].id)
			json_array_append_new(
			    children, subtree(all, n, k, units, nunits, types, ntypes, &w, p, &m));
	json_object_set_new(node, "children", children);
	json_object_set_new(node, "weight", num(w));
	json_object_set_new(node, "parts", parts_json(p));
	json_object_set_new(node, "methods", methods_json(m));
	*weight += w;
	for (k = 0; k < NPARTS; k++)
		parts[k] += p[k];
	*methods |= m;
	return node;
}

json_t *indicator_tree_json(const struct indicator *all, int n, const struct ref *units, int nunits,
                            const struct ref *types, int ntypes)
{
	json_t *items = json_array(), *sections = json_object();
	double w = 0, p[NPARTS] = {0, 0, 0};
	int i, m = 0;

	/* the totals are the main framework's; the minors' part and local features apart */
	for (i = 0; i < n; i++)
		if (!all[i].parent_id) {
			int main_part = !all[i].section || !strcmp(all[i].section, SECTION_MAIN);
			double sw = 0, sp[NPARTS] = {0, 0, 0};

			json_array_append_new(items, subtree(all, n, i, units, nunits, types,
			                                     ntypes, main_part ? &w : &sw,
			                                     main_part ? p : sp, &m));
			if (!main_part) {
				json_t *t = json_object_get(sections, all[i].section);
				double before =
				    t ? json_real_value(json_object_get(t, "weight")) : 0;

				json_object_set_new(
				    sections, all[i].section,
				    json_pack("{s:s, s:f}", "title", section_title(all[i].section),
				              "weight", round((before + sw) * 10000) / 10000));
			}
		}
	return json_pack("{s:o, s:o, s:o}", "totals", parts_totals_json(w, p), "sections", sections,
	                 "items", items);
}

int section_ok(const char *s)
{
	return s && (!strcmp(s, SECTION_MAIN) || !strcmp(s, SECTION_MINORS) ||
	             !strcmp(s, SECTION_FEATURE));
}

const char *section_title(const char *s)
{
	if (s && !strcmp(s, SECTION_MINORS))
		return "未成年人思想道德建设";
	if (s && !strcmp(s, SECTION_FEATURE))
		return "特色指标";
	return "测评体系";
}

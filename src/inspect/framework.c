/*
 * framework.c - the rules of the evaluation framework without SQL or HTTP:
 * method names, how a standard's weight is shared among the score's parts,
 * and the nested tree the API answers with.
 */
#include <math.h>
#include <string.h>

#include "core/strbuf.h"
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

/* 1 when s starts with one of the cell separators; *len gets its length. */
static int separator(const char *s, size_t *len)
{
	static const char *const seps[] = {"、", "，", "；", ",", ";", " ", "\t", "\n", "|"};
	size_t i;

	for (i = 0; i < sizeof(seps) / sizeof(seps[0]); i++)
		if (!strncmp(s, seps[i], strlen(seps[i]))) {
			*len = strlen(seps[i]);
			return 1;
		}
	return 0;
}

int methods_from_cell(const char *cell)
{
	int bits = 0;
	const char *s = cell;

	while (*s) {
		const char *start;
		size_t sep, len;
		int b;

		while (*s && separator(s, &sep))
			s += sep;
		start = s;
		/* "/" splits methods except inside 数据/部门评价 */
		while (*s && !separator(s, &sep)) {
			if (*s == '/' && strncmp(start, "数据/", strlen("数据/")))
				break;
			s++;
		}
		len = (size_t)(s - start);
		if (*s == '/')
			s++;
		if (!len)
			continue;
		b = method_bit(start, len);
		if (b < 0)
			return -1;
		bits |= b;
	}
	return bits;
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
	if (ind->level == 3) {
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
	json_t *items = json_array();
	double w = 0, p[NPARTS] = {0, 0, 0};
	int i, m = 0;

	for (i = 0; i < n; i++)
		if (!all[i].parent_id)
			json_array_append_new(
			    items, subtree(all, n, i, units, nunits, types, ntypes, &w, p, &m));
	return json_pack("{s:o, s:o}", "totals", parts_totals_json(w, p), "items", items);
}

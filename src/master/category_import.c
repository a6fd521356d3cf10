/*
 * category_import.c - checking a sheet of problem categories before any is
 * written (no SQL, no HTTP).  A row's parent is a category that exists or
 * one of an earlier row, named by its path (市容环境/乱扔垃圾), the end of
 * its path, its name or its code; so a sheet can hold a whole tree, parents
 * first, and the export (which writes paths) imports again as it is.
 */
#include <string.h>

#include "core/parse.h"
#include "core/utf8.h"
#include "master/master.h"
#include "org/org.h"

#define CATEGORY_MAX_DEPTH 32

/* The names from the root down to cats[i], joined by "/". */
static const char *path_of(const struct category_import *x, int i)
{
	int chain[CATEGORY_MAX_DEPTH], depth = 0, k;
	size_t total = 1, len = 0;
	char *s;

	for (k = i; k >= 0 && depth < CATEGORY_MAX_DEPTH; k = x->parent[k])
		chain[depth++] = k;
	for (k = 0; k < depth; k++)
		total += strlen(x->cats[chain[k]].name) + 1;
	s = arena_alloc(x->a, total);
	for (k = depth - 1; k >= 0; k--) {
		size_t l = strlen(x->cats[chain[k]].name);

		memcpy(s + len, x->cats[chain[k]].name, l);
		len += l;
		if (k)
			s[len++] = '/';
	}
	s[len] = '\0';
	return s;
}

static int index_of(const struct category_import *x, int64_t id)
{
	int i;

	for (i = 0; id && i < x->n; i++)
		if (x->cats[i].id == id)
			return i;
	return -1;
}

void category_import_init(struct category_import *x, const struct category *all, int nall,
                          int nrows, const struct unit *units, int nunits, json_t *errors,
                          struct arena *a)
{
	size_t cap = (size_t)(nall + nrows + 1);
	int i;

	memset(x, 0, sizeof(*x));
	x->cats = arena_calloc(a, cap * sizeof(*x->cats));
	x->parent = arena_calloc(a, cap * sizeof(int));
	x->row = arena_calloc(a, cap * sizeof(int));
	x->path = arena_calloc(a, cap * sizeof(char *));
	if (nall)
		memcpy(x->cats, all, (size_t)nall * sizeof(*all));
	x->n = x->nexisting = nall;
	x->units = units;
	x->nunits = nunits;
	x->errors = errors;
	x->a = a;
	for (i = 0; i < nall; i++)
		x->parent[i] = index_of(x, all[i].parent_id);
	for (i = 0; i < nall; i++)
		x->path[i] = path_of(x, i);
}

/*
 * The category text names among those so far: a whole path first, then a
 * code, then a name or the end of a path ("乱扔垃圾/烟头" names
 * 市容环境/乱扔垃圾/烟头, whose name holds a "/").  *matches = how many
 * fit; returns the index of one, or -1.
 */
static int resolve(const struct category_import *x, const char *text, int *matches)
{
	size_t tl = strlen(text);
	int i, pass, found = -1;

	*matches = 0;
	for (pass = 0; pass < 3 && !*matches; pass++)
		for (i = 0; i < x->n; i++) {
			const char *p = x->path[i];
			size_t pl = p ? strlen(p) : 0;
			int hit = !p          ? 0 /* a row repeating an earlier one */
			          : pass == 0 ? !strcmp(p, text)
			          : pass == 1 ? !strcmp(x->cats[i].code, text)
			                      : !strcmp(x->cats[i].name, text) ||
			                            (pl > tl && p[pl - tl - 1] == '/' &&
			                             !strcmp(p + pl - tl, text));

			if (hit) {
				found = i;
				(*matches)++;
			}
		}
	return found;
}

static int depth_of(const struct category_import *x, int i)
{
	int depth = 0;

	for (; i >= 0 && depth <= CATEGORY_MAX_DEPTH; i = x->parent[i])
		depth++;
	return depth;
}

/* The parent named in the row: its index, -1 for none, -2 when it does not resolve. */
static int check_parent(struct category_import *x, int nrow, const char *text)
{
	int matches, parent;

	if (!*text)
		return -1;
	parent = resolve(x, text, &matches);
	if (matches == 0)
		org_import_error(x->errors, nrow, "上级分类",
		                 "找不到上级分类“%s”（须是已有分类或本表前面行中的分类）", text);
	else if (matches > 1)
		org_import_error(x->errors, nrow, "上级分类",
		                 "有 %d 个分类名为“%s”，请写完整路径，如 市容环境/%s", matches,
		                 text, text);
	else if (depth_of(x, parent) >= CATEGORY_MAX_DEPTH - 1)
		org_import_error(x->errors, nrow, "上级分类", "分类层级过深");
	else
		return parent;
	return -2;
}

/*
 * The code and the name are free: no category so far has the code, none
 * under parent the name.  1 when the row repeats another.
 */
static int check_unique(struct category_import *x, int nrow, const struct category *k, int parent)
{
	int i, dup = 0;

	for (i = 0; *k->code && i < x->n; i++)
		if (!strcmp(x->cats[i].code, k->code)) {
			master_import_taken(x->errors, nrow, "分类编码", k->code, x->row[i]);
			dup = 1;
			break;
		}
	for (i = 0; *k->name && parent != -2 && i < x->n; i++)
		if (x->parent[i] == parent && !strcmp(x->cats[i].name, k->name)) {
			if (x->row[i])
				org_import_error(x->errors, nrow, "分类名称",
				                 "与第 %d 行重复：同一上级分类下已有“%s”",
				                 x->row[i], k->name);
			else
				org_import_error(x->errors, nrow, "分类名称",
				                 "同一上级分类下已有名为“%s”的分类", k->name);
			dup = 1;
			break;
		}
	return dup;
}

void category_import_check(struct category_import *x, int nrow, const char *const *cells)
{
	struct category *k = &x->cats[x->n];
	json_t *errors = x->errors;
	const char *hours = cells[CC_DEADLINE], *sort = cells[CC_SORT];
	int parent, dup;

	memset(k, 0, sizeof(*k));
	k->id = -(int64_t)(x->n + 1); /* until inserted */
	k->code = cells[CC_CODE];
	k->name = cells[CC_NAME];
	k->default_unit_name = "";
	if (!master_code_ok(k->code))
		org_import_error(errors, nrow, "分类编码",
		                 "分类编码不能为空，只能包含字母、数字、-、_ 和 .，最多 %d 位",
		                 MASTER_CODE_MAX);
	if (!*k->name || utf8_chars(k->name) > MASTER_NAME_MAX || org_has_control(k->name))
		org_import_error(errors, nrow, "分类名称", "分类名称不能为空，最多 %d 个字",
		                 MASTER_NAME_MAX);
	parent = check_parent(x, nrow, cells[CC_PARENT]);
	dup = check_unique(x, nrow, k, parent);
	if (*cells[CC_UNIT])
		k->default_unit_id = master_import_unit(errors, nrow, "默认责任单位", x->units,
		                                        x->nunits, cells[CC_UNIT], x->a);
	if (*hours && (k->deadline_hours = parse_count(hours, MASTER_DEADLINE_MAX)) < 0)
		org_import_error(errors, nrow, "处置时限（小时）",
		                 "处置时限应为 0–%d 的整数（小时）；留空则沿用上级分类",
		                 MASTER_DEADLINE_MAX);
	if ((k->severity = category_severity_value(cells[CC_SEVERITY])) < 0)
		org_import_error(errors, nrow, "严重程度", "严重程度应为“一般”“较重”或“严重”");
	if (*sort && (k->sort = parse_count(sort, MASTER_SORT_MAX)) < 0)
		org_import_error(errors, nrow, "排序", "排序应为 0–%d 的整数", MASTER_SORT_MAX);
	if ((k->enabled = org_status_value(cells[CC_STATUS])) < 0)
		org_import_error(errors, nrow, "状态", "状态应为“启用”或“停用”");
	/*
	 * A later row may name this one as its parent even when it has errors,
	 * unless it repeats an earlier one: the name then means that one.
	 */
	x->parent[x->n] = parent;
	x->row[x->n] = nrow;
	x->path[x->n] = dup           ? NULL
	                : parent >= 0 ? arena_printf(x->a, "%s/%s", x->path[parent], k->name)
	                              : k->name;
	x->n++;
}

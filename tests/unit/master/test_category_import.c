/*
 * test_category_import.c - checking a categories sheet without a database
 * (src/master/category_import.c): parents by path, name, code or the end of
 * a path, names holding "/", ambiguous and unknown parents, repeated rows,
 * and the cell rules.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/err.h"
#include "master/master.h"
#include "org/org.h"

/* Two existing categories: 市容环境 (SR) and below it 乱扔垃圾/烟头 (SR01). */
static const struct category existing[] = {
    {.id = 1, .parent_id = 0, .code = "SR", .name = "市容环境", .default_unit_name = ""},
    {.id = 2, .parent_id = 1, .code = "SR01", .name = "乱扔垃圾/烟头", .default_unit_name = ""},
};

static const struct unit units[] = {
    {.id = 7, .parent_id = 0, .name = "县城管执法局", .ancestors = "/7/"},
};

struct fixture {
	struct arena a;
	struct category_import x;
	json_t *errors;
};

static void start(struct fixture *f)
{
	arena_init(&f->a);
	f->errors = json_array();
	category_import_init(&f->x, existing, 2, 16, units, 1, f->errors, &f->a);
}

static void finish(struct fixture *f)
{
	json_decref(f->errors);
	arena_release(&f->a);
}

/* Check a row of cells: code, name, parent, unit, hours, severity, sort, status. */
static void row(struct fixture *f, int nrow, const char *code, const char *name, const char *parent,
                const char *unit, const char *hours, const char *severity)
{
	const char *cells[CC_NCOLS] = {code, name, parent, unit, hours, severity, "", ""};

	category_import_check(&f->x, nrow, cells);
}

/* The fields of the errors of row nrow, joined by "|". */
static const char *fields_of(struct fixture *f, int nrow)
{
	static char buf[256];
	size_t i;
	json_t *e;

	buf[0] = '\0';
	json_array_foreach(f->errors, i, e)
	{
		if (json_integer_value(json_object_get(e, "row")) != nrow)
			continue;
		if (buf[0])
			strcat(buf, "|");
		strcat(buf, json_string_value(json_object_get(e, "field")));
	}
	return buf;
}

static void existing_paths(void **state)
{
	struct fixture f;

	(void)state;
	start(&f);
	assert_string_equal(f.x.path[0], "市容环境");
	assert_string_equal(f.x.path[1], "市容环境/乱扔垃圾/烟头");
	assert_int_equal(f.x.parent[1], 0);
	finish(&f);
}

static void parents_every_way(void **state)
{
	struct fixture f;

	(void)state;
	start(&f);
	row(&f, 2, "A1", "甲", "市容环境/乱扔垃圾/烟头", "县城管执法局", "24", "较重"); /* path */
	row(&f, 3, "A2", "乙", "乱扔垃圾/烟头", "", "", "");    /* a name with "/" */
	row(&f, 4, "A3", "丙", "SR01", "", "", "3");            /* code */
	row(&f, 5, "A4", "丁", "乱扔垃圾/烟头/甲", "", "", ""); /* an earlier row's path */
	assert_int_equal(json_array_size(f.errors), 0);
	assert_int_equal(f.x.n, 6);
	assert_int_equal(f.x.parent[2], 1);
	assert_int_equal(f.x.parent[3], 1);
	assert_int_equal(f.x.parent[4], 1);
	assert_int_equal(f.x.parent[5], 2);
	assert_true(f.x.cats[2].id < 0);
	assert_int_equal(f.x.cats[2].default_unit_id, 7);
	assert_int_equal(f.x.cats[2].deadline_hours, 24);
	assert_int_equal(f.x.cats[2].severity, 2);
	assert_int_equal(f.x.cats[4].severity, 3);
	assert_int_equal(f.x.cats[3].severity, 1);
	assert_string_equal(f.x.path[5], "市容环境/乱扔垃圾/烟头/甲/丁");
	finish(&f);
}

static void refused_rows(void **state)
{
	struct fixture f;

	(void)state;
	start(&f);
	row(&f, 2, "B1", "其他", "市容环境", "", "", "");
	row(&f, 3, "B2", "其他", "SR01", "", "", ""); /* same name, other parent: fine */
	row(&f, 4, "B3", "子", "其他", "", "", "");   /* two categories named 其他 */
	row(&f, 5, "B4", "子", "没有", "", "", "");
	row(&f, 6, "SR", "重复", "", "", "", "");            /* code exists */
	row(&f, 7, "B1", "其他", "市容环境", "", "", "");    /* repeats row 2 */
	row(&f, 8, "B5", "孙", "市容环境/其他", "", "", ""); /* row 2, not its repeat */
	row(&f, 9, "坏码", "", "", "无此单位", "9999", "特急");
	assert_string_equal(fields_of(&f, 2), "");
	assert_string_equal(fields_of(&f, 3), "");
	assert_string_equal(fields_of(&f, 4), "上级分类");
	assert_string_equal(fields_of(&f, 5), "上级分类");
	assert_string_equal(fields_of(&f, 6), "分类编码");
	assert_string_equal(fields_of(&f, 7), "分类编码|分类名称");
	assert_string_equal(fields_of(&f, 8), "");
	assert_string_equal(fields_of(&f, 9),
	                    "分类编码|分类名称|默认责任单位|处置时限（小时）|严重程度");
	assert_int_equal(f.x.parent[8], 2);
	finish(&f);
}

/* category_subtree: a category and everything below it, in the tree's order. */
static void test_subtree(void **state)
{
	/* 1 ─ 2 ─ 4, 1 ─ 3, 5 ─ 6 (read parents before children) */
	struct category all[6];
	int64_t parents[6] = {0, 1, 1, 2, 0, 5}, *ids;
	struct arena a;
	struct error e;
	int i, n;

	(void)state;
	memset(all, 0, sizeof(all));
	for (i = 0; i < 6; i++) {
		all[i].id = i + 1;
		all[i].parent_id = parents[i];
	}
	arena_init(&a);
	error_init(&e);
	assert_int_equal(category_subtree(all, 6, 2, &a, &ids, &n, &e), 0);
	assert_int_equal(n, 2);
	assert_true(ids[0] == 2 && ids[1] == 4);
	assert_int_equal(category_subtree(all, 6, 1, &a, &ids, &n, &e), 0);
	assert_int_equal(n, 4);
	assert_true(ids[0] == 1 && ids[1] == 2 && ids[2] == 3 && ids[3] == 4);
	assert_int_equal(category_subtree(all, 6, 6, &a, &ids, &n, &e), 0);
	assert_true(n == 1 && ids[0] == 6);
	assert_int_equal(category_subtree(all, 6, 9, &a, &ids, &n, &e), ERR_NOT_FOUND);
	assert_int_equal(n, 0);
	arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(existing_paths),
	    cmocka_unit_test(parents_every_way),
	    cmocka_unit_test(refused_rows),
	    cmocka_unit_test(test_subtree),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_sheet.c - xlsx export, import templates, and reading xlsx and CSV back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <malloc.h>

#include <cmocka.h>
#include <zip.h>

#include "core/alloc.h"
#include "core/err.h"
#include "core/strbuf.h"
#include "spreadsheet/spreadsheet.h"

#define MSG_NOT_SHEET "文件不是有效的 Excel (xlsx) 或 CSV 文件"
#define NS            "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#define NS_R          "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

/* ---- helpers ------------------------------------------------------------- */

struct zentry {
	const char *name;
	const void *data;
	size_t len; /* 0: strlen(data) */
};

/* A zip of the given entries, built in memory with libzip; malloc'd. */
static void *zip_build(const struct zentry *files, int n, size_t *len)
{
	zip_error_t ze;
	zip_source_t *src, *fs;
	zip_t *z;
	zip_stat_t st;
	void *buf;
	int i;

	zip_error_init(&ze);
	src = zip_source_buffer_create(NULL, 0, 0, &ze);
	assert_non_null(src);
	z = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
	assert_non_null(z);
	zip_source_keep(src);
	for (i = 0; i < n; i++) {
		size_t l = files[i].len ? files[i].len : strlen(files[i].data);
		zip_int64_t idx;

		fs = zip_source_buffer(z, files[i].data, l, 0);
		assert_non_null(fs);
		idx = zip_file_add(z, files[i].name, fs, ZIP_FL_ENC_UTF_8);
		assert_true(idx >= 0);
		zip_set_file_compression(z, (zip_uint64_t)idx, ZIP_CM_DEFLATE, 1);
	}
	assert_int_equal(zip_close(z), 0);
	assert_int_equal(zip_source_stat(src, &st), 0);
	buf = xmalloc(st.size);
	assert_int_equal(zip_source_open(src), 0);
	assert_int_equal(zip_source_read(src, buf, st.size), (zip_int64_t)st.size);
	zip_source_close(src);
	zip_source_free(src);
	zip_error_fini(&ze);
	*len = st.size;
	return buf;
}

/* One part of a zip as a NUL-terminated string (malloc'd), or NULL. */
static char *zip_part(const void *data, size_t len, const char *name)
{
	zip_error_t ze;
	zip_source_t *src;
	zip_t *z;
	zip_file_t *f;
	struct strbuf sb = STRBUF_INIT;
	char buf[8192];
	zip_int64_t n;

	zip_error_init(&ze);
	src = zip_source_buffer_create(data, len, 0, &ze);
	z = zip_open_from_source(src, ZIP_RDONLY, &ze);
	assert_non_null(z);
	f = zip_fopen(z, name, 0);
	if (!f) {
		zip_discard(z);
		return NULL;
	}
	while ((n = zip_fread(f, buf, sizeof(buf))) > 0)
		strbuf_add(&sb, buf, (size_t)n);
	zip_fclose(f);
	zip_discard(z);
	zip_error_fini(&ze);
	return strbuf_detach(&sb, NULL);
}

/* A minimal xlsx: no workbook, just the default sheet part. */
static void *xlsx_from_sheet_xml(const char *sheet_xml, const char *strings_xml, size_t *len)
{
	struct zentry files[2] = {
	    {"xl/worksheets/sheet1.xml", sheet_xml, 0},
	    {"xl/sharedStrings.xml", strings_xml, 0},
	};

	return zip_build(files, strings_xml ? 2 : 1, len);
}

static int read_str(const char *text, struct sheet *s, struct error *e)
{
	error_init(e);
	return sheet_read(text, strlen(text), "upload.csv", s, e);
}

/* Row i of s has Excel number `number` and exactly the cells want[0..n). */
static void check_row(const struct sheet *s, int i, int number, const char *const *want, int n)
{
	const struct sheet_row *r;
	int c;

	assert_true(i < s->nrows);
	r = &s->rows[i];
	assert_int_equal(r->number, number);
	assert_int_equal(r->ncells, n);
	for (c = 0; c < n; c++)
		assert_string_equal(sheet_cell(r, c), want[c]);
	assert_string_equal(sheet_cell(r, n), "");
}

/* ---- export, then read back --------------------------------------------- */

#define RT_ROWS  2000
#define RT_BLANK 1000 /* this data row is written entirely empty */

/* The text written to (and expected back from) data row i, column c; NULL = empty. */
static const char *rt_cell(int i, int c, char *buf, size_t size)
{
	static const char *const remarks[] = {NULL, "=SUM(A1:A9)", "+86 138 0013 8000", "-5 项",
	                                      "@张三"};

	if (i == RT_BLANK)
		return NULL;
	switch (c) {
	case 0:
		snprintf(buf, size, "%d", i + 1);
		return buf;
	case 1:
		snprintf(buf, size, "示例县住建局第%d科", i);
		return buf;
	case 2:
		if (i % 3 == 0)
			snprintf(buf, size, "%d.5", i);
		else if (i % 3 == 1)
			snprintf(buf, size, "-%d", i);
		else
			return i % 2 ? NULL : "";
		return buf;
	case 3:
		if (i == 10)
			return "_x0041_ 不是转义";
		if (i == 11)
			return "a & b <c> \"d\" 'e'";
		if (i % 7 == 6)
			return "第一行\n第二行";
		return remarks[i % 5];
	case 4:
		snprintf(buf, size, "0571-8888%04d", i);
		return buf;
	default:
		return NULL; /* a column that is always empty */
	}
}

static void *rt_write(const char *title, size_t *len)
{
	static const char *const headers[] = {"序号", "单位名称", "得分",
	                                      "备注", "联系电话", "空列"};
	struct sheet_writer w;
	struct error e;
	char bufs[6][64];
	const char *cells[6];
	void *data;
	int i, c;

	error_init(&e);
	assert_int_equal(sheet_writer_init(&w, "用户导出", headers, 6, &e), 0);
	if (title)
		assert_int_equal(sheet_writer_title(&w, title, &e), 0);
	for (i = 0; i < RT_ROWS; i++) {
		for (c = 0; c < 6; c++)
			cells[c] = rt_cell(i, c, bufs[c], sizeof(bufs[c]));
		assert_int_equal(sheet_writer_row_typed(&w, "nsns", cells, &e), 0);
	}
	/* a title cannot come after rows */
	assert_int_equal(sheet_writer_title(&w, "迟到的标题", &e), ERR_INTERNAL);
	assert_int_equal(sheet_writer_finish(&w, &data, len, &e), 0);
	assert_true(*len > 1000);
	assert_int_equal(memcmp(data, "PK\x03\x04", 4), 0);
	/* finished: no more rows */
	assert_int_not_equal(sheet_writer_row(&w, cells, &e), 0);
	sheet_writer_release(&w);
	return data;
}

static void export_round_trip_2000_rows(void **state)
{
	static const char *const headers[] = {"序号", "单位名称", "得分",
	                                      "备注", "联系电话", "空列"};
	struct sheet s = SHEET_INIT;
	struct error e;
	char buf[64], *xml;
	void *data;
	size_t len;
	int i, c, row;

	(void)state;
	data = rt_write(NULL, &len);
	error_init(&e);
	assert_int_equal(sheet_read(data, len, "导出.xlsx", &s, &e), 0);
	assert_int_equal(s.nrows, 1 + RT_ROWS - 1); /* header, rows, minus the blank one */
	check_row(&s, 0, 1, headers, 6);            /* "空列" has a header, never a value */
	row = 1;
	for (i = 0; i < RT_ROWS; i++) {
		const struct sheet_row *r;
		int last = 0;

		if (i == RT_BLANK)
			continue;
		r = &s.rows[row++];
		/* the blank row is skipped but keeps its place in the numbering */
		assert_int_equal(r->number, i + 2);
		for (c = 0; c < 6; c++) {
			const char *want = rt_cell(i, c, buf, sizeof(buf));

			assert_string_equal(sheet_cell(r, c), want ? want : "");
			if (want && *want)
				last = c + 1;
		}
		assert_int_equal(r->ncells, last);
	}
	assert_int_equal(row, s.nrows);
	/* the numbers went in as numbers, the phone numbers as text */
	xml = zip_part(data, len, "xl/worksheets/sheet1.xml");
	assert_non_null(xml);
	assert_non_null(strstr(xml, "<c r=\"A2\"><v>1</v></c>"));
	assert_non_null(strstr(xml, "<c r=\"C2\"><v>0.5</v></c>"));
	assert_non_null(strstr(xml, "<t>0571-88880000</t>"));
	/* header frozen, autofilter over header and data, widths set */
	assert_non_null(strstr(xml, "<pane ySplit=\"1\" topLeftCell=\"A2\""));
	assert_non_null(strstr(xml, "<autoFilter ref=\"A1:F2001\"/>"));
	assert_non_null(strstr(xml, "<col min=\"2\" max=\"2\" width=\"2"));
	free(xml);
	sheet_release(&s);
	assert_int_equal(s.nrows, 0);
	assert_null(s.rows);
	free(data);
}

static void export_title_row_above_header(void **state)
{
	struct sheet s = SHEET_INIT;
	struct error e;
	char *xml;
	void *data;
	size_t len;

	(void)state;
	data = rt_write("用户导出 2026-11-22", &len);
	assert_int_equal(sheet_read(data, len, NULL, &s, &e), 0);
	assert_int_equal(s.rows[0].number, 1);
	assert_string_equal(sheet_cell(&s.rows[0], 0), "用户导出 2026-11-22");
	assert_int_equal(s.rows[0].ncells, 1);
	assert_int_equal(s.rows[1].number, 2);
	assert_string_equal(sheet_cell(&s.rows[1], 1), "单位名称");
	assert_int_equal(s.rows[2].number, 3);
	assert_string_equal(sheet_cell(&s.rows[2], 1), "示例县住建局第0科");
	xml = zip_part(data, len, "xl/worksheets/sheet1.xml");
	assert_non_null(strstr(xml, "<pane ySplit=\"2\" topLeftCell=\"A3\""));
	assert_non_null(strstr(xml, "<autoFilter ref=\"A2:F2002\"/>"));
	free(xml);
	/* the header style: bold on a solid light fill */
	xml = zip_part(data, len, "xl/styles.xml");
	assert_non_null(strstr(xml, "<b/>"));
	assert_non_null(strstr(xml, "patternType=\"solid\""));
	free(xml);
	sheet_release(&s);
	free(data);
}

static void export_formula_text_stays_text(void **state)
{
	static const char *const headers[] = {"公式", "数字列", "其他"};
	const char *row[] = {"=1+1", "-1+2", "=HYPERLINK(\"http://evil.example\",\"点我\")"};
	const char *row2[] = {"+SUM(A1:A2)", "=2*3", "@cmd|' /C calc'!A0"};
	struct sheet_writer w;
	struct sheet s = SHEET_INIT;
	struct error e;
	char *xml;
	void *data;
	size_t len;

	(void)state;
	error_init(&e);
	assert_int_equal(sheet_writer_init(&w, "注入", headers, 3, &e), 0);
	/* even a number column writes formula-looking text as text */
	assert_int_equal(sheet_writer_row_typed(&w, "nnn", row, &e), 0);
	assert_int_equal(sheet_writer_row_typed(&w, "snn", row2, &e), 0);
	assert_int_equal(sheet_writer_finish(&w, &data, &len, &e), 0);
	sheet_writer_release(&w);

	xml = zip_part(data, len, "xl/worksheets/sheet1.xml");
	assert_non_null(xml);
	assert_null(strstr(xml, "<f>"));
	assert_null(strstr(xml, "<f "));
	assert_non_null(strstr(xml, "t=\"inlineStr\"><is><t>=1+1</t>"));
	free(xml);

	assert_int_equal(sheet_read(data, len, NULL, &s, &e), 0);
	assert_int_equal(s.nrows, 3);
	check_row(&s, 1, 2, row, 3);
	check_row(&s, 2, 3, row2, 3);
	sheet_release(&s);
	free(data);
}

/* Constant-memory mode: 100,000 rows must not pile up in the heap. */
static void export_streams_100k_rows(void **state)
{
	static const char *const headers[] = {"序号", "单位", "地址", "得分", "状态", "备注"};
	struct sheet_writer w;
	struct error e;
	struct mallinfo2 before, after;
	const char *cells[6];
	char n[16], unit[64];
	char *xml;
	void *data;
	size_t len;
	int i;

	(void)state;
	assert_int_equal(sheet_writer_init(&w, "大表", headers, 6, &e), 0);
	before = mallinfo2();
	for (i = 0; i < 100000; i++) {
		snprintf(n, sizeof(n), "%d", i + 1);
		snprintf(unit, sizeof(unit), "示例县第%d社区居委会", i);
		cells[0] = n;
		cells[1] = unit;
		cells[2] = "示例县人民路 100 号文明城市创建办公室";
		cells[3] = "98.5";
		cells[4] = i % 2 ? "已整改" : "待整改";
		cells[5] = NULL;
		assert_int_equal(sheet_writer_row_typed(&w, "nssns", cells, &e), 0);
	}
	after = mallinfo2();
	/* in-memory mode would hold ~100 bytes per cell, tens of MB; the
	 * streaming writer keeps one row (under ASan both read 0) */
	assert_true(after.uordblks < before.uordblks + 4 * 1024 * 1024);
	assert_int_equal(sheet_writer_finish(&w, &data, &len, &e), 0);
	sheet_writer_release(&w);
	xml = zip_part(data, len, "xl/worksheets/sheet1.xml");
	assert_non_null(strstr(xml, "<row r=\"100001\">"));
	assert_non_null(strstr(xml, "示例县第99999社区居委会"));
	free(xml);
	free(data);
}

static void export_sheet_name_and_limits(void **state)
{
	static const char *const headers[] = {"a"};
	struct sheet_writer w;
	struct error e;
	char *big, *xml;
	const char *cells[1];
	void *data;
	size_t len;

	(void)state;
	/* a name with characters Excel forbids, over 31 characters */
	assert_int_equal(
	    sheet_writer_init(&w, "示例县/2026:11?[导出]*这是一个很长很长很长很长很长的名字",
	                      headers, 1, &e),
	    0);
	/* one cell over Excel's 32,767 characters */
	big = xmalloc(40000);
	memset(big, 'x', 39999);
	big[39999] = '\0';
	cells[0] = big;
	error_init(&e);
	assert_int_equal(sheet_writer_row(&w, cells, &e), ERR_TOO_LARGE);
	assert_non_null(strstr(e.message, "32767"));
	free(big);
	cells[0] = "ok";
	assert_int_equal(sheet_writer_row(&w, cells, &e), 0);
	assert_int_equal(sheet_writer_finish(&w, &data, &len, &e), 0);
	sheet_writer_release(&w);
	xml = zip_part(data, len, "xl/workbook.xml");
	assert_non_null(strstr(xml, "name=\"示例县_2026_11__导出__这是一个很长很长很长很长很长\""));
	free(xml);
	free(data);

	/* released without finishing: nothing leaks, no temp file stays */
	assert_int_equal(sheet_writer_init(&w, "x", headers, 1, &e), 0);
	assert_int_equal(sheet_writer_row(&w, cells, &e), 0);
	sheet_writer_release(&w);
	sheet_writer_release(&w); /* twice is harmless */
}

static void export_bad_bytes_and_no_tmpdir(void **state)
{
	static const char *const headers[] = {"备注"};
	const char *cells[1];
	struct sheet_writer w;
	struct sheet s = SHEET_INIT;
	struct error e;
	const char *old;
	char *saved = NULL, *xml;
	void *data;
	size_t len;

	(void)state;
	/* bytes that are not UTF-8 would make Excel refuse the file: U+FFFD */
	assert_int_equal(sheet_writer_init(&w, "x", headers, 1, &e), 0);
	cells[0] = "坏\xff字节\xe4\xb8";
	assert_int_equal(sheet_writer_row(&w, cells, &e), 0);
	cells[0] = "多\n行";
	assert_int_equal(sheet_writer_row(&w, cells, &e), 0);
	assert_int_equal(sheet_writer_finish(&w, &data, &len, &e), 0);
	sheet_writer_release(&w);
	assert_int_equal(sheet_read(data, len, NULL, &s, &e), 0);
	assert_string_equal(sheet_cell(&s.rows[1], 0),
	                    "坏\xEF\xBF\xBD字节\xEF\xBF\xBD\xEF\xBF\xBD");
	assert_string_equal(sheet_cell(&s.rows[2], 0), "多\n行");
	sheet_release(&s);
	/* the multi-line cell wraps */
	xml = zip_part(data, len, "xl/styles.xml");
	assert_non_null(strstr(xml, "wrapText=\"1\""));
	free(xml);
	free(data);

	/* no usable temp directory: 503, and release still works */
	old = getenv("TMPDIR");
	if (old)
		saved = xstrdup(old);
	setenv("TMPDIR", "/nonexistent/wenming-test", 1);
	error_init(&e);
	assert_int_equal(sheet_writer_init(&w, "x", headers, 1, &e), ERR_UNAVAILABLE);
	assert_int_equal(err_http_status(e.code), 503);
	sheet_writer_release(&w);
	if (saved)
		setenv("TMPDIR", saved, 1);
	else
		unsetenv("TMPDIR");
	free(saved);
}

/* ---- templates ----------------------------------------------------------- */

static void template_round_trip(void **state)
{
	static const struct sheet_column cols[] = {
	    {"单位名称", 1, 's', "不超过 50 个字，同一区县内不能重复"},
	    {"联系电话", 1, 's', "11 位手机号或带区号的固定电话"},
	    {"人数", 0, 'n', "整数，可不填"},
	};
	static const char *const example[] = {"示例县住建局", "057188880000", "12"};
	static const char *const headers[] = {"单位名称", "联系电话", "人数"};
	struct sheet s = SHEET_INIT;
	struct error e;
	char *xml;
	void *data;
	size_t len;

	(void)state;
	error_init(&e);
	assert_int_equal(sheet_template("单位导入", cols, 3, example, &data, &len, &e), 0);
	assert_int_equal(sheet_read(data, len, "模板.xlsx", &s, &e), 0);
	assert_int_equal(s.nrows, 2);
	check_row(&s, 0, 1, headers, 3);
	check_row(&s, 1, 2, example, 3);
	sheet_release(&s);

	xml = zip_part(data, len, "xl/workbook.xml");
	assert_non_null(strstr(xml, "<sheet name=\"单位导入\" sheetId=\"1\""));
	assert_non_null(strstr(xml, "<sheet name=\"填写说明\" sheetId=\"2\""));
	free(xml);
	xml = zip_part(data, len, "xl/worksheets/sheet2.xml");
	assert_non_null(xml);
	assert_non_null(strstr(xml, "<t>必填</t>"));
	assert_non_null(strstr(xml, "<t>选填</t>"));
	assert_non_null(strstr(xml, "<t>11 位手机号或带区号的固定电话</t>"));
	assert_non_null(strstr(xml, "第 2 行（灰色斜体）是示例，导入前请删除"));
	free(xml);
	/* text columns carry a style (Excel's "@"), the number column none */
	xml = zip_part(data, len, "xl/worksheets/sheet1.xml");
	assert_non_null(strstr(xml, "<col min=\"1\" max=\"1\" width="));
	assert_non_null(strstr(xml, "style="));
	assert_null(strstr(xml, "<autoFilter"));
	assert_non_null(strstr(xml, "<c r=\"C2\" s=\""));
	free(xml);
	xml = zip_part(data, len, "xl/styles.xml");
	assert_non_null(strstr(xml, "numFmtId=\"49\"")); /* "@" */
	assert_non_null(strstr(xml, "FFC00000"));        /* required headers in red */
	free(xml);
	free(data);

	/* without an example: just the header */
	assert_int_equal(sheet_template("单位导入", cols, 3, NULL, &data, &len, &e), 0);
	assert_int_equal(sheet_read(data, len, NULL, &s, &e), 0);
	assert_int_equal(s.nrows, 1);
	check_row(&s, 0, 1, headers, 3);
	sheet_release(&s);
	free(data);
}

/* ---- CSV ----------------------------------------------------------------- */

static void csv_rfc4180_bom_trim_and_row_numbers(void **state)
{
	static const char csv[] = "\xEF\xBB\xBF"
	                          "单位名称,备注,人数\r\n"
	                          "  示例县住建局 , \"含,逗号\" ,12\r\n"
	                          "\"多\r\n行\",\"他说\"\"好\"\"\",\r\n"
	                          "\r\n"
	                          ",,\r\n"
	                          "\xE3\x80\x80全角\xE3\x80\x80,x\xC2\xA0\r\n"
	                          "\"a\"b,c\n"
	                          "last,row\r\n\r\n\n";
	static const char *const r1[] = {"单位名称", "备注", "人数"};
	static const char *const r2[] = {"示例县住建局", "含,逗号", "12"};
	static const char *const r3[] = {"多\n行", "他说\"好\""};
	static const char *const r6[] = {"全角", "x"};
	static const char *const r7[] = {"ab", "c"};
	static const char *const r8[] = {"last", "row"};
	struct sheet s = SHEET_INIT;
	struct error e;

	(void)state;
	assert_int_equal(read_str(csv, &s, &e), 0);
	assert_int_equal(s.nrows, 6);
	check_row(&s, 0, 1, r1, 3);
	check_row(&s, 1, 2, r2, 3);
	check_row(&s, 2, 3, r3, 2); /* the quoted line break stays in row 3 */
	check_row(&s, 3, 6, r6, 2); /* rows 4 and 5 are blank */
	check_row(&s, 4, 7, r7, 2);
	check_row(&s, 5, 8, r8, 2);
	assert_int_equal(s.date1904, 0);
	sheet_release(&s);

	/* lone CRs (old Mac Excel) end lines too */
	assert_int_equal(read_str("a\rb\r\rc", &s, &e), 0);
	assert_int_equal(s.nrows, 3);
	assert_int_equal(s.rows[2].number, 4);
	assert_string_equal(sheet_cell(&s.rows[2], 0), "c");
	sheet_release(&s);

	/* an empty upload is an empty sheet; the importer says what it wants */
	assert_int_equal(sheet_read("", 0, NULL, &s, &e), 0);
	assert_int_equal(s.nrows, 0);
	sheet_release(&s);
}

static void csv_gb18030_utf16_and_tabs(void **state)
{
	/* 单位名称,人数 / 示例县住建局,12 as Chinese Excel saves CSV (GB18030) */
	static const char gb[] =
	    "\xb5\xa5\xce\xbb\xc3\xfb\xb3\xc6\x2c\xc8\xcb\xca\xfd\x0d\x0a"
	    "\xca\xbe\xc0\xfd\xcf\xd8\xd7\xa1\xbd\xa8\xbe\xd6\x2c\x31\x32\x0d\x0a";
	/* 名称<TAB>人数 / 示例县<TAB>12 as Excel's "Unicode text" (UTF-16LE, BOM) */
	static const char u16[] =
	    "\xff\xfe\x0d\x54\xf0\x79\x09\x00\xba\x4e\x70\x65\x0d\x00\x0a\x00"
	    "\x3a\x79\x8b\x4f\xbf\x53\x09\x00\x31\x00\x32\x00\x0d\x00\x0a\x00";
	static const char *const g1[] = {"单位名称", "人数"};
	static const char *const g2[] = {"示例县住建局", "12"};
	static const char *const u1[] = {"名称", "人数"};
	static const char *const u2[] = {"示例县", "12"};
	static const char *const t2[] = {"示例县", "12", "a,b"};
	struct sheet s = SHEET_INIT;
	struct error e;

	(void)state;
	assert_int_equal(sheet_read(gb, sizeof(gb) - 1, "gbk.csv", &s, &e), 0);
	assert_int_equal(s.nrows, 2);
	check_row(&s, 0, 1, g1, 2);
	check_row(&s, 1, 2, g2, 2);
	sheet_release(&s);

	assert_int_equal(sheet_read(u16, sizeof(u16) - 1, "unicode.txt", &s, &e), 0);
	assert_int_equal(s.nrows, 2);
	check_row(&s, 0, 1, u1, 2);
	check_row(&s, 1, 2, u2, 2);
	sheet_release(&s);

	/* tabs and no commas on the first line: tab-separated; commas are then text */
	assert_int_equal(read_str("名称\t人数\n示例县\t 12 \ta,b\n", &s, &e), 0);
	check_row(&s, 0, 1, u1, 2);
	check_row(&s, 1, 2, t2, 3);
	sheet_release(&s);

	/* a comma on the first line: comma-separated, tabs inside cells trimmed */
	assert_int_equal(read_str("名称,人数\t\n\t示例县,12\n", &s, &e), 0);
	check_row(&s, 0, 1, u1, 2);
	check_row(&s, 1, 2, u2, 2);
	sheet_release(&s);
}

static void csv_rejects_binary_and_open_quotes(void **state)
{
	static const char nul[] = "a,b\0c\n";
	struct sheet s = SHEET_INIT;
	struct error e;

	(void)state;
	error_init(&e);
	assert_int_equal(sheet_read(nul, sizeof(nul) - 1, "a.csv", &s, &e), ERR_MEDIA_TYPE);
	assert_string_equal(e.message, MSG_NOT_SHEET);
	assert_int_equal(err_http_status(e.code), 415);
	assert_int_equal(s.nrows, 0);
	assert_null(s.rows);
	assert_int_equal(read_str("a,\x01\x02\n", &s, &e), ERR_MEDIA_TYPE);
	assert_int_equal(read_str("<html><table><tr><td>1</td></tr></table>", &s, &e),
	                 ERR_MEDIA_TYPE);
	assert_int_equal(read_str("  <?xml version=\"1.0\"?><Workbook/>", &s, &e), ERR_MEDIA_TYPE);
	/* not UTF-8 and not GB18030 either */
	assert_int_equal(read_str("a,\xff\xff\xff\n", &s, &e), ERR_MEDIA_TYPE);

	error_init(&e);
	assert_int_equal(read_str("名称,备注\n示例,\"没有结尾\n下一行\n", &s, &e), ERR_INVALID);
	assert_non_null(strstr(e.message, "第 2 行"));
	assert_string_equal(e.field, "file");
}

/* ---- files that are not spreadsheets ------------------------------------- */

static void not_a_spreadsheet_is_415(void **state)
{
	static const struct zentry notxlsx[] = {{"readme.txt", "hello", 0},
	                                        {"word/document.xml", "<w:document/>", 0}};
	static const unsigned char ole[] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0};
	struct sheet s = SHEET_INIT;
	struct error e;
	unsigned char *rnd;
	uint32_t x = 12345;
	void *data;
	size_t len, i;

	(void)state;
	/* a zip, but not a workbook */
	data = zip_build(notxlsx, 2, &len);
	error_init(&e);
	assert_int_equal(sheet_read(data, len, "fake.xlsx", &s, &e), ERR_MEDIA_TYPE);
	assert_string_equal(e.message, MSG_NOT_SHEET);
	free(data);

	/* random bytes, with and without a zip signature in front */
	rnd = xmalloc(4096);
	for (i = 0; i < 4096; i++) {
		x = x * 1103515245u + 12345u;
		rnd[i] = (unsigned char)(x >> 16);
	}
	error_init(&e);
	assert_int_equal(sheet_read(rnd, 4096, "random.csv", &s, &e), ERR_MEDIA_TYPE);
	assert_string_equal(e.message, MSG_NOT_SHEET);
	memcpy(rnd, "PK\x03\x04", 4);
	assert_int_equal(sheet_read(rnd, 4096, "random.xlsx", &s, &e), ERR_MEDIA_TYPE);
	free(rnd);

	/* a real export, cut short */
	data = rt_write(NULL, &len);
	assert_int_equal(sheet_read(data, len / 2, "cut.xlsx", &s, &e), ERR_MEDIA_TYPE);
	assert_int_equal(sheet_read(data, len - 10, "cut.xlsx", &s, &e), ERR_MEDIA_TYPE);
	assert_int_equal(sheet_read(data, 4, "cut.xlsx", &s, &e), ERR_MEDIA_TYPE);
	assert_int_equal(s.nrows, 0);
	free(data);

	/* Excel 97-2003 (and encrypted workbooks): a clear message */
	error_init(&e);
	assert_int_equal(sheet_read(ole, sizeof(ole), "old.xls", &s, &e), ERR_MEDIA_TYPE);
	assert_non_null(strstr(e.message, ".xls"));
}

/* A compressed part whose bytes were damaged: inflate or the CRC catches it. */
static void corrupt_part_is_415(void **state)
{
	struct strbuf xml = STRBUF_INIT;
	struct zentry files[1];
	struct sheet s = SHEET_INIT;
	struct error e;
	unsigned char *data, *p;
	size_t len;
	int i;

	(void)state;
	strbuf_adds(&xml, "<worksheet xmlns=\"" NS "\"><sheetData>");
	for (i = 1; i <= 2000; i++)
		strbuf_addf(&xml, "<row r=\"%d\"><c r=\"A%d\"><v>%d</v></c></row>", i, i, i * 7919);
	strbuf_adds(&xml, "</sheetData></worksheet>");
	files[0] = (struct zentry){"xl/worksheets/sheet1.xml", xml.buf, xml.len};
	data = zip_build(files, 1, &len);
	assert_int_equal(sheet_read(data, len, NULL, &s, &e), 0);
	assert_int_equal(s.nrows, 2000);
	sheet_release(&s);
	p = memmem(data, len, "xl/worksheets/sheet1.xml", 24); /* local header name */
	assert_non_null(p);
	for (i = 0; i < 32; i++)
		p[24 + 200 + i] ^= 0x5A;
	error_init(&e);
	assert_int_equal(sheet_read(data, len, NULL, &s, &e), ERR_MEDIA_TYPE);
	assert_string_equal(e.message, MSG_NOT_SHEET);
	free(data);
	strbuf_release(&xml);
}

/* ---- limits -------------------------------------------------------------- */

static void limits_rows_columns_cells(void **state)
{
	static const char *const headers[] = {"序号"};
	struct strbuf sb = STRBUF_INIT;
	struct sheet_writer w;
	struct sheet s = SHEET_INIT;
	struct error e;
	const char *cells[1];
	char n[16];
	void *data;
	size_t len;
	int i;

	(void)state;
	/* exactly the limit, with blank lines in between: fine, numbers true */
	for (i = 0; i < SHEET_MAX_ROWS; i++)
		strbuf_addf(&sb, "r%d\n%s", i + 1, i % 1000 == 0 ? "\n" : "");
	assert_int_equal(read_str(sb.buf, &s, &e), 0);
	assert_int_equal(s.nrows, SHEET_MAX_ROWS);
	assert_int_equal(s.rows[SHEET_MAX_ROWS - 1].number, SHEET_MAX_ROWS + 20);
	assert_string_equal(sheet_cell(&s.rows[SHEET_MAX_ROWS - 1], 0), "r20000");
	sheet_release(&s);
	/* one more row: too large */
	strbuf_adds(&sb, "one more\n");
	error_init(&e);
	assert_int_equal(read_str(sb.buf, &s, &e), ERR_TOO_LARGE);
	assert_int_equal(err_http_status(e.code), 413);
	assert_non_null(strstr(e.message, "20000"));
	assert_int_equal(s.nrows, 0);
	strbuf_release(&sb);

	/* the same through xlsx: a header and 20,000 rows is one too many */
	assert_int_equal(sheet_writer_init(&w, "rows", headers, 1, &e), 0);
	for (i = 0; i < SHEET_MAX_ROWS; i++) {
		snprintf(n, sizeof(n), "%d", i);
		cells[0] = n;
		assert_int_equal(sheet_writer_row_typed(&w, "n", cells, &e), 0);
	}
	assert_int_equal(sheet_writer_finish(&w, &data, &len, &e), 0);
	sheet_writer_release(&w);
	error_init(&e);
	assert_int_equal(sheet_read(data, len, NULL, &s, &e), ERR_TOO_LARGE);
	assert_non_null(strstr(e.message, "20000"));
	free(data);

	/* 100 columns with values fine (trailing empty ones ignored), 101 not */
	for (i = 0; i < SHEET_MAX_COLS; i++)
		strbuf_addf(&sb, "%d,", i);
	strbuf_adds(&sb, ",,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,\n");
	assert_int_equal(read_str(sb.buf, &s, &e), 0);
	assert_int_equal(s.rows[0].ncells, SHEET_MAX_COLS);
	assert_string_equal(sheet_cell(&s.rows[0], 99), "99");
	sheet_release(&s);
	strbuf_reset(&sb);
	for (i = 0; i <= SHEET_MAX_COLS; i++)
		strbuf_addf(&sb, "%d,", i);
	assert_int_equal(read_str(sb.buf, &s, &e), ERR_TOO_LARGE);
	strbuf_reset(&sb);

	/* one cell over 32 KiB */
	strbuf_adds(&sb, "a,\"");
	for (i = 0; i < SHEET_MAX_CELL_BYTES / 3 + 1; i++)
		strbuf_adds(&sb, "字");
	strbuf_adds(&sb, "\"\n");
	error_init(&e);
	assert_int_equal(read_str(sb.buf, &s, &e), ERR_TOO_LARGE);
	assert_non_null(strstr(e.message, "B 列"));
	strbuf_release(&sb);
}

/* A part that inflates past 50 MiB is refused while inflating. */
static void limits_zip_bomb_part(void **state)
{
	struct strbuf xml = STRBUF_INIT;
	struct zentry files[1];
	struct sheet s = SHEET_INIT;
	struct error e;
	size_t pad = (size_t)SHEET_MAX_PART_BYTES + 1024 * 1024;
	void *data;
	size_t len;

	(void)state;
	strbuf_adds(&xml,
	            "<worksheet xmlns=\"" NS
	            "\"><sheetData><row r=\"1\"><c t=\"inlineStr\"><is><t>x</t></is></c></row>");
	strbuf_grow(&xml, pad);
	memset(xml.buf + xml.len, ' ', pad);
	xml.len += pad;
	xml.buf[xml.len] = '\0';
	strbuf_adds(&xml, "</sheetData></worksheet>");
	files[0] = (struct zentry){"xl/worksheets/sheet1.xml", xml.buf, xml.len};
	data = zip_build(files, 1, &len);
	strbuf_release(&xml);
	assert_true(len < 1024 * 1024); /* a small upload */
	error_init(&e);
	assert_int_equal(sheet_read(data, len, NULL, &s, &e), ERR_TOO_LARGE);
	assert_non_null(strstr(e.message, "50 MB"));
	free(data);
}

/* One long shared string referenced thousands of times: the total cap holds. */
static void limits_shared_string_amplification(void **state)
{
	struct strbuf sst = STRBUF_INIT, ws = STRBUF_INIT;
	struct sheet s = SHEET_INIT;
	struct error e;
	void *data;
	size_t len;
	int r, c;

	(void)state;
	strbuf_adds(&sst, "<sst xmlns=\"" NS "\"><si><t>");
	for (c = 0; c < 30000; c++)
		strbuf_addch(&sst, 'x');
	strbuf_adds(&sst, "</t></si></sst>");
	strbuf_adds(&ws, "<worksheet xmlns=\"" NS "\"><sheetData>");
	for (r = 1; r <= 30; r++) {
		strbuf_addf(&ws, "<row r=\"%d\">", r);
		for (c = 0; c < 100; c++)
			strbuf_adds(&ws, "<c t=\"s\"><v>0</v></c>");
		strbuf_adds(&ws, "</row>");
	}
	strbuf_adds(&ws, "</sheetData></worksheet>");
	data = xlsx_from_sheet_xml(ws.buf, sst.buf, &len);
	error_init(&e);
	assert_int_equal(sheet_read(data, len, NULL, &s, &e), ERR_TOO_LARGE);
	assert_non_null(strstr(e.message, "64 MB"));
	assert_int_equal(s.nrows, 0);
	free(data);
	strbuf_release(&sst);
	strbuf_release(&ws);
}

/* ---- xlsx as other programs write it ------------------------------------- */

static void xlsx_handmade_workbook(void **state)
{
	static const char workbook[] =
	    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	    "<x:workbook xmlns:x=\"" NS "\" xmlns:r=\"" NS_R "\">"
	    "<x:workbookPr date1904=\"1\"/><x:sheets>"
	    "<x:sheet name=\"汇总\" sheetId=\"2\" r:id=\"rId7\"/>"
	    "<x:sheet name=\"旧表\" sheetId=\"1\" r:id=\"rId1\"/>"
	    "</x:sheets></x:workbook>";
	static const char rels[] =
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
	    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
	    "<Relationship Id=\"rId1\" Type=\"" NS_R
	    "/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
	    "<Relationship Id=\"rId7\" Type=\"" NS_R
	    "/worksheet\" Target=\"/xl/worksheets/data.xml\"/>"
	    "<Relationship Id=\"rId8\" Type=\"" NS_R
	    "/hyperlink\" Target=\"http://x\" TargetMode=\"External\"/>"
	    "<Relationship Id=\"rId9\" Type=\"" NS_R
	    "/sharedStrings\" Target=\"../xl/./strings.xml\"/>"
	    "</Relationships>";
	static const char strings[] =
	    "<sst xmlns=\"" NS "\" count=\"4\" uniqueCount=\"4\">"
	    "<si><t>单位名称</t></si>"
	    "<si><r><rPr><b/></rPr><t>示例</t></r><r><t xml:space=\"preserve\">县 </t></r>"
	    "<r><t>住建局</t></r><rPh sb=\"0\" eb=\"1\"><t>しめい</t></rPh></si>"
	    "<si><t>第一行_x000D_\n第二行 _x005F_x0041_</t></si>"
	    "<si><t>\xE3\x80\x80全角空格\xE3\x80\x80</t></si>"
	    "</sst>";
	static const char data_xml[] =
	    "<worksheet xmlns=\"" NS "\"><dimension ref=\"A1:F9\"/><sheetData>"
	    "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"C1\" "
	    "t=\"inlineStr\"><is><t>备注</t></is></c></row>"
	    "<row r=\"3\" spans=\"1:6\"><c r=\"A3\" t=\"s\"><v>1</v></c><c "
	    "r=\"B3\"><v>13800138000</v></c>"
	    "<c r=\"C3\" t=\"n\"><v>3.1400000000000001</v></c><c r=\"D3\" t=\"b\"><v>1</v></c>"
	    "<c r=\"E3\" t=\"str\"><f>A1&amp;\"x\"</f><v>单位名称x</v></c><c r=\"F3\" "
	    "t=\"e\"><v>#N/A</v></c></row>"
	    "<row r=\"4\"><c r=\"A4\" s=\"3\"/><c r=\"B4\" t=\"s\"><v>2</v></c></row>"
	    "<row r=\"5\"><c "
	    "t=\"s\"><v>3</v></c><c><v>1.5E-3</v></c><c><v>0.30000000000000004</v></c>"
	    "<c><v>-0</v></c><c><v>45000</v></c><c><v>-12.25</v></c></row>"
	    "<row><c r=\"A6\" t=\"inlineStr\"><is><r><t>富</t></r><r><t>文本</t></r></is></c><c "
	    "r=\"XFD6\" s=\"1\"/></row>"
	    "<row r=\"7\"><c r=\"B7\" t=\"d\"><v>2026-11-22T00:00:00</v></c><c r=\"C7\" "
	    "t=\"b\"><v>0</v></c></row>"
	    "<row r=\"8\"/>"
	    "<row r=\"9\"><c r=\"A9\"><v></v></c><c r=\"B9\"><f>1+1</f></c></row>"
	    "</sheetData></worksheet>";
	static const struct zentry files[] = {
	    {"[Content_Types].xml", "<Types/>", 0},
	    {"xl/workbook.xml", workbook, 0},
	    {"xl/_rels/workbook.xml.rels", rels, 0},
	    {"xl/strings.xml", strings, 0},
	    {"xl/worksheets/sheet1.xml",
	     "<worksheet xmlns=\"" NS "\"><sheetData><row r=\"1\"><c "
	     "t=\"inlineStr\"><is><t>诱饵</t></is></c></row></sheetData></worksheet>",
	     0},
	    {"xl/worksheets/data.xml", data_xml, 0},
	};
	static const char *const r1[] = {"单位名称", "", "备注"};
	static const char *const r3[] = {"示例县 住建局", "13800138000", "3.14",
	                                 "TRUE",          "单位名称x",   "#N/A"};
	static const char *const r4[] = {"", "第一行\r\n第二行 _x0041_"};
	static const char *const r5[] = {"全角空格", "0.0015", "0.3", "0", "45000", "-12.25"};
	static const char *const r6[] = {"富文本"};
	static const char *const r7[] = {"", "2026-11-22T00:00:00", "FALSE"};
	struct sheet s = SHEET_INIT;
	struct error e;
	void *data;
	size_t len;

	(void)state;
	data = zip_build(files, 6, &len);
	error_init(&e);
	assert_int_equal(sheet_read(data, len, "别人的.xlsx", &s, &e), 0);
	assert_int_equal(s.date1904, 1);
	assert_int_equal(s.nrows, 6);
	check_row(&s, 0, 1, r1, 3);
	check_row(&s, 1, 3, r3, 6);
	check_row(&s, 2, 4, r4, 2);
	check_row(&s, 3, 5, r5, 6);
	check_row(&s, 4, 6, r6, 1);
	check_row(&s, 5, 7, r7, 3);
	sheet_release(&s);
	free(data);
}

static void xlsx_hostile_xml_is_refused(void **state)
{
	struct sheet s = SHEET_INIT;
	struct error e;
	void *data;
	size_t len;

	(void)state;
	/* a DTD (entity expansion, external entities) has no place in OOXML */
	data = xlsx_from_sheet_xml(
	    "<?xml version=\"1.0\"?><!DOCTYPE w [<!ENTITY a \"aaaaaaaaaa\">"
	    "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">]>"
	    "<worksheet><sheetData><row r=\"1\"><c t=\"inlineStr\"><is><t>&b;</t></is>"
	    "</c></row></sheetData></worksheet>",
	    NULL, &len);
	error_init(&e);
	assert_int_equal(sheet_read(data, len, NULL, &s, &e), ERR_MEDIA_TYPE);
	free(data);

	/* a shared string index that does not exist */
	data =
	    xlsx_from_sheet_xml("<worksheet><sheetData><row r=\"1\"><c t=\"s\"><v>5</v></c></row>"
	                        "</sheetData></worksheet>",
	                        "<sst><si><t>a</t></si></sst>", &len);
	assert_int_equal(sheet_read(data, len, NULL, &s, &e), ERR_MEDIA_TYPE);
	free(data);

	/* rows out of order, and malformed XML */
	data = xlsx_from_sheet_xml(
	    "<worksheet><sheetData><row r=\"2\"/><row r=\"1\"/></sheetData></worksheet>", NULL,
	    &len);
	assert_int_equal(sheet_read(data, len, NULL, &s, &e), ERR_MEDIA_TYPE);
	free(data);
	data = xlsx_from_sheet_xml("<worksheet><sheetData><row r=\"1\">", NULL, &len);
	assert_int_equal(sheet_read(data, len, NULL, &s, &e), ERR_MEDIA_TYPE);
	free(data);

	/* no workbook at all but the default sheet part: still read, no namespace */
	data = xlsx_from_sheet_xml("<worksheet><sheetData><row r=\"2\"><c r=\"B2\" t=\"inlineStr\">"
	                           "<is><t> 只有工作表 </t></is></c></row></sheetData></worksheet>",
	                           NULL, &len);
	assert_int_equal(sheet_read(data, len, NULL, &s, &e), 0);
	assert_int_equal(s.nrows, 1);
	assert_int_equal(s.rows[0].number, 2);
	assert_string_equal(sheet_cell(&s.rows[0], 1), "只有工作表");
	sheet_release(&s);
	free(data);
}

/*
 * Every worksheet of a workbook with its name, and merged cells: a project
 * merged over rows 2-4 reads on each of them (sheet_cell_merged); the
 * empty row 3 of the sheet is skipped but the merge still reaches row 4.
 */
static void xlsx_book_with_merges(void **state)
{
	static const char workbook[] =
	    "<workbook xmlns=\"" NS "\" xmlns:r=\"" NS_R "\"><sheets>"
	    "<sheet name=\"测评体系\" sheetId=\"1\" r:id=\"rId1\"/>"
	    "<sheet name=\"负面清单\" sheetId=\"2\" r:id=\"rId2\"/></sheets></workbook>";
	static const char rels[] =
	    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
	    "<Relationship Id=\"rId1\" Type=\"" NS_R
	    "/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
	    "<Relationship Id=\"rId2\" Type=\"" NS_R
	    "/worksheet\" Target=\"worksheets/sheet2.xml\"/>"
	    "<Relationship Id=\"rId3\" Type=\"" NS_R
	    "/sharedStrings\" Target=\"sharedStrings.xml\"/>"
	    "</Relationships>";
	static const char strings[] = "<sst xmlns=\"" NS "\"><si><t>诚信建设</t></si></sst>";
	static const char sheet1[] =
	    "<worksheet xmlns=\"" NS "\"><sheetData>"
	    "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>测评项目</t></is></c></row>"
	    "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>0</v></c><c r=\"B2\" "
	    "t=\"inlineStr\"><is><t>Ⅲ-26</t></is></c></row>"
	    "<row r=\"4\"><c r=\"B4\" t=\"inlineStr\"><is><t>Ⅲ-27</t></is></c></row>"
	    "</sheetData><mergeCells count=\"2\"><mergeCell ref=\"A2:A4\"/><mergeCell ref=\"bad\"/>"
	    "</mergeCells></worksheet>";
	static const char sheet2[] =
	    "<worksheet xmlns=\"" NS "\"><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\">"
	    "<is><t>负-01</t></is></c></row></sheetData></worksheet>";
	static const struct zentry files[] = {
	    {"[Content_Types].xml", "<Types/>", 0},  {"xl/workbook.xml", workbook, 0},
	    {"xl/_rels/workbook.xml.rels", rels, 0}, {"xl/sharedStrings.xml", strings, 0},
	    {"xl/worksheets/sheet1.xml", sheet1, 0}, {"xl/worksheets/sheet2.xml", sheet2, 0},
	};
	struct sheet *book = NULL;
	struct error e;
	void *data;
	size_t len;
	int n = 0;

	(void)state;
	data = zip_build(files, 6, &len);
	error_init(&e);
	assert_int_equal(sheet_read_book(data, len, NULL, &book, &n, &e), 0);
	assert_int_equal(n, 2);
	assert_string_equal(book[0].name, "测评体系");
	assert_string_equal(book[1].name, "负面清单");
	assert_int_equal(book[0].nrows, 3);
	assert_int_equal(book[0].nmerges, 1);
	assert_string_equal(sheet_cell_merged(&book[0], 1, 0), "诚信建设");
	assert_string_equal(sheet_cell_merged(&book[0], 2, 0), "诚信建设"); /* row 4 */
	assert_string_equal(sheet_cell_merged(&book[0], 2, 1), "Ⅲ-27");
	assert_string_equal(sheet_cell_merged(&book[0], 0, 1), "");
	assert_string_equal(sheet_cell(&book[1].rows[0], 0), "负-01");
	sheet_book_release(book, n);
	free(data);
}

static void cell_helpers(void **state)
{
	char *cells[] = {"a", "", "c"};
	struct sheet_row r = {7, 3, cells};
	char buf[8];

	(void)state;
	assert_string_equal(sheet_cell(&r, 0), "a");
	assert_string_equal(sheet_cell(&r, 1), "");
	assert_string_equal(sheet_cell(&r, 3), "");
	assert_string_equal(sheet_cell(&r, -1), "");
	assert_string_equal(sheet_cell(NULL, 0), "");
	assert_string_equal(sheet_column_name(0, buf), "A");
	assert_string_equal(sheet_column_name(25, buf), "Z");
	assert_string_equal(sheet_column_name(26, buf), "AA");
	assert_string_equal(sheet_column_name(99, buf), "CV");
	assert_string_equal(sheet_column_name(16383, buf), "XFD");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(export_round_trip_2000_rows),
	    cmocka_unit_test(export_title_row_above_header),
	    cmocka_unit_test(export_formula_text_stays_text),
	    cmocka_unit_test(export_streams_100k_rows),
	    cmocka_unit_test(export_sheet_name_and_limits),
	    cmocka_unit_test(export_bad_bytes_and_no_tmpdir),
	    cmocka_unit_test(template_round_trip),
	    cmocka_unit_test(csv_rfc4180_bom_trim_and_row_numbers),
	    cmocka_unit_test(csv_gb18030_utf16_and_tabs),
	    cmocka_unit_test(csv_rejects_binary_and_open_quotes),
	    cmocka_unit_test(not_a_spreadsheet_is_415),
	    cmocka_unit_test(corrupt_part_is_415),
	    cmocka_unit_test(limits_rows_columns_cells),
	    cmocka_unit_test(limits_zip_bomb_part),
	    cmocka_unit_test(limits_shared_string_amplification),
	    cmocka_unit_test(xlsx_handmade_workbook),
	    cmocka_unit_test(xlsx_hostile_xml_is_refused),
	    cmocka_unit_test(xlsx_book_with_merges),
	    cmocka_unit_test(cell_helpers),
	};

	return cmocka_run_group_tests_name("sheet", tests, NULL, NULL);
}

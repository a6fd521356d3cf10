/*
 * sheet_write.c - .xlsx exports and import templates with libxlsxwriter.
 *
 * libxlsxwriter only writes to a path, so each workbook goes to a private
 * temp file (mkstemp) that is read back and unlinked.  Constant-memory mode
 * flushes every row to disk as the next one starts; the one thing kept per
 * row is the widest text per column, for the column widths set at the end.
 */
#include "spreadsheet/spreadsheet.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "core/alloc.h"
#include "core/log.h"
#include "core/strbuf.h"

#define WIDTH_MIN 8
#define WIDTH_MAX 60

/* ---- text helpers -------------------------------------------------------- */

/* Next code point of UTF-8 s (advances *s); bad bytes count as one each. */
static uint32_t utf8_next(const unsigned char **s)
{
	const unsigned char *p = *s;
	uint32_t cp;
	int k, i;

	if (p[0] < 0x80) {
		*s = p + 1;
		return p[0];
	}
	if ((p[0] & 0xE0) == 0xC0) {
		k = 1;
		cp = p[0] & 0x1F;
	} else if ((p[0] & 0xF0) == 0xE0) {
		k = 2;
		cp = p[0] & 0x0F;
	} else if ((p[0] & 0xF8) == 0xF0) {
		k = 3;
		cp = p[0] & 0x07;
	} else {
		*s = p + 1;
		return 0xFFFD;
	}
	for (i = 1; i <= k; i++) {
		if ((p[i] & 0xC0) != 0x80) { /* also stops at the NUL */
			*s = p + 1;
			return 0xFFFD;
		}
		cp = (cp << 6) | (p[i] & 0x3F);
	}
	if ((k == 1 && cp < 0x80) || (k == 2 && cp < 0x800) || (k == 3 && cp < 0x10000) ||
	    cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
		*s = p + 1;
		return 0xFFFD;
	}
	*s = p + k + 1;
	return cp;
}

/*
 * A copy of s with every byte that is not valid UTF-8 replaced by U+FFFD, or
 * NULL when s is fine: one bad byte would make Excel refuse the whole file.
 */
static char *utf8_fix(const char *s)
{
	const unsigned char *p = (const unsigned char *)s, *start;
	struct strbuf sb = STRBUF_INIT;
	int bad = 0;

	while (*p && !bad) {
		start = p;
		bad = utf8_next(&p) == 0xFFFD && p - start == 1; /* a real U+FFFD is 3 bytes */
	}
	if (!bad)
		return NULL;
	for (p = (const unsigned char *)s; *p;) {
		start = p;
		if (utf8_next(&p) == 0xFFFD && p - start == 1)
			strbuf_adds(&sb, "\xEF\xBF\xBD");
		else
			strbuf_add(&sb, start, (size_t)(p - start));
	}
	return strbuf_detach(&sb, NULL);
}

/* East Asian wide characters take two columns in Excel's default fonts. */
static int char_width(uint32_t cp)
{
	return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
	               (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
	               (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
	               (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD)
	           ? 2
	           : 1;
}

/* Display width of the longest line of s, in narrow-character units. */
static int text_width(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	int w = 0, best = 0;

	while (*p) {
		uint32_t cp = utf8_next(&p);

		if (cp == '\n') {
			w = 0;
			continue;
		}
		w += char_width(cp);
		if (w > best)
			best = w;
	}
	return best;
}

/* A plain decimal number, the only text a 'n' column turns into a number. */
static int number_parse(const char *s, double *out)
{
	const char *p = s;
	char *end;
	int digits = 0;

	if (*p == '+' || *p == '-')
		p++;
	for (; *p >= '0' && *p <= '9'; p++)
		digits++;
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++)
			digits++;
	if (!digits)
		return 0;
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (*p < '0' || *p > '9')
			return 0;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p)
		return 0;
	*out = strtod(s, &end);
	return *end == '\0' && isfinite(*out);
}

/*
 * "YYYY-MM-DD", "YYYY-MM-DD HH:MM" or "YYYY-MM-DD HH:MM:SS" into *dt; *parts
 * is 1, 2 or 3 for the three shapes.  0 when s is none of them.
 */
static int datetime_parse(const char *s, lxw_datetime *dt, int *parts)
{
	int y, mo, d, h = 0, mi = 0, sec = 0, n = 0;
	size_t len = strlen(s);

	memset(dt, 0, sizeof(*dt));
	if (len == 10 && sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) == 3 && n == 10)
		*parts = 1;
	else if (len == 16 && sscanf(s, "%4d-%2d-%2d %2d:%2d%n", &y, &mo, &d, &h, &mi, &n) == 5 &&
	         n == 16)
		*parts = 2;
	else if (len == 19 &&
	         sscanf(s, "%4d-%2d-%2d %2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &n) == 6 &&
	         n == 19)
		*parts = 3;
	else
		return 0;
	if (y < 1900 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
	    sec > 59 || h < 0 || mi < 0 || sec < 0)
		return 0;
	dt->year = y;
	dt->month = (uint8_t)mo;
	dt->day = (uint8_t)d;
	dt->hour = (uint8_t)h;
	dt->min = (uint8_t)mi;
	dt->sec = sec;
	return 1;
}

/*
 * Readers undo OOXML's "_xHHHH_" escapes, so a cell whose own text contains
 * one (libxlsxwriter leaves it alone) must escape its underscore as
 * "_x005F_" to come back unchanged.  NULL when s needs nothing.
 */
static char *xstring_protect(const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p = s, *q;
	int i, hex;

	while ((q = strstr(p, "_x")) != NULL) {
		for (hex = 1, i = 2; i < 6 && hex; i++)
			hex = q[i] && strchr("0123456789abcdefABCDEF", q[i]);
		if (hex && q[6] == '_') {
			strbuf_add(&sb, p, (size_t)(q - p));
			strbuf_adds(&sb, "_x005F_");
			p = q + 1;
		} else {
			strbuf_add(&sb, p, (size_t)(q - p) + 1);
			p = q + 1;
		}
	}
	if (p == s)
		return NULL;
	strbuf_adds(&sb, p);
	return strbuf_detach(&sb, NULL);
}

/*
 * Excel refuses sheet names over 31 characters or with []:*?/\ in them;
 * names built from user data (a county, a date) get those replaced.
 */
static char *sheet_name_clean(const char *name)
{
	struct strbuf sb = STRBUF_INIT;
	const unsigned char *p = (const unsigned char *)(name && *name ? name : "Sheet1");
	int chars = 0;

	while (*p && chars < 31) {
		const unsigned char *start = p;

		utf8_next(&p);
		if (p - start == 1 && (strchr("[]:*?/\\", *start) || *start < 0x20))
			strbuf_addch(&sb, '_');
		else
			strbuf_add(&sb, start, (size_t)(p - start));
		chars++;
	}
	/* nor may a name start or end with an apostrophe */
	if (sb.buf[0] == '\'')
		sb.buf[0] = '_';
	if (sb.buf[sb.len - 1] == '\'')
		sb.buf[sb.len - 1] = '_';
	return strbuf_detach(&sb, NULL);
}

/* libxlsxwriter's failure as one of ours; disk and temp-file trouble is 503. */
static int lxw_fail(lxw_error err, const char *what, struct error *e)
{
	log_error("sheet: %s: %s", what, lxw_strerror(err));
	switch (err) {
	case LXW_ERROR_CREATING_XLSX_FILE:
	case LXW_ERROR_CREATING_TMPFILE:
	case LXW_ERROR_READING_TMPFILE:
	case LXW_ERROR_ZIP_FILE_OPERATION:
	case LXW_ERROR_ZIP_FILE_ADD:
	case LXW_ERROR_ZIP_CLOSE:
		return error_set(e, ERR_UNAVAILABLE, NULL,
		                 "生成 Excel 文件失败：临时目录不可写或磁盘已满");
	default:
		return error_set(e, ERR_INTERNAL, NULL, "生成 Excel 文件失败");
	}
}

/* ---- the writer ---------------------------------------------------------- */

static lxw_format *format_header(lxw_workbook *wb, int required)
{
	lxw_format *f = workbook_add_format(wb);

	format_set_bold(f);
	format_set_pattern(f, LXW_PATTERN_SOLID);
	format_set_bg_color(f, 0xDDEBF7); /* light blue */
	format_set_border(f, LXW_BORDER_THIN);
	format_set_border_color(f, 0xB4C6E7);
	format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
	if (required)
		format_set_font_color(f, 0xC00000);
	return f;
}

int sheet_writer_init(struct sheet_writer *w, const char *sheet_name, const char *const *headers,
                      int ncols, struct error *e)
{
	lxw_workbook_options opt;
	const char *dir = getenv("TMPDIR");
	char *name = NULL;
	int i, rc = 0;

	memset(w, 0, sizeof(*w));
	w->fd = -1;
	w->autofilter = 1;
	if (ncols < 1 || ncols > 16384)
		return error_set(e, ERR_INTERNAL, NULL, "导出的列数不正确");
	w->ncols = ncols;
	w->headers = xcalloc((size_t)ncols, sizeof(char *));
	for (i = 0; i < ncols; i++)
		w->headers[i] = xstrdup(headers && headers[i] ? headers[i] : "");
	w->widths = xcalloc((size_t)ncols, sizeof(int));

	w->tmpdir = xstrdup(dir && *dir ? dir : "/tmp");
	w->path = xmalloc(strlen(w->tmpdir) + 32);
	sprintf(w->path, "%s/wenming-xlsx-XXXXXX", w->tmpdir);
	w->fd = mkstemp(w->path);
	if (w->fd < 0) {
		log_error("sheet: mkstemp in %s: %s", w->tmpdir, strerror(errno));
		w->path[0] = '\0';
		return error_set(e, ERR_UNAVAILABLE, NULL, "生成 Excel 文件失败：临时目录不可写");
	}

	memset(&opt, 0, sizeof(opt));
	opt.constant_memory = 1;
	opt.tmpdir = w->tmpdir;
	w->workbook = workbook_new_opt(w->path, &opt);
	if (!w->workbook)
		return error_set(e, ERR_INTERNAL, NULL, "生成 Excel 文件失败");
	name = sheet_name_clean(sheet_name);
	w->worksheet = workbook_add_worksheet(w->workbook, name);
	free(name);
	if (!w->worksheet) /* the row file could not be made */
		return error_set(e, ERR_UNAVAILABLE, NULL, "生成 Excel 文件失败：临时目录不可写");

	w->header_format = format_header(w->workbook, 0);
	w->wrap_format = workbook_add_format(w->workbook);
	format_set_text_wrap(w->wrap_format);
	format_set_align(w->wrap_format, LXW_ALIGN_VERTICAL_TOP);
	w->title_format = workbook_add_format(w->workbook);
	format_set_bold(w->title_format);
	format_set_font_size(w->title_format, 14);
	w->date_format = workbook_add_format(w->workbook);
	format_set_num_format(w->date_format, "yyyy-mm-dd");
	w->minute_format = workbook_add_format(w->workbook);
	format_set_num_format(w->minute_format, "yyyy-mm-dd hh:mm");
	w->second_format = workbook_add_format(w->workbook);
	format_set_num_format(w->second_format, "yyyy-mm-dd hh:mm:ss");
	return rc;
}

int sheet_writer_title(struct sheet_writer *w, const char *title, struct error *e)
{
	if (!w->workbook || w->started)
		return error_set(e, ERR_INTERNAL, NULL, "标题必须在写入数据之前设置");
	free(w->title);
	w->title = title && *title ? xstrdup(title) : NULL;
	return 0;
}

/* Write one cell; widths track the widest value of each column. */
static int writer_cell(struct sheet_writer *w, int col, char type, const char *s, lxw_format *fmt,
                       struct error *e)
{
	lxw_error err;
	char *fixed = NULL, *protected = NULL;
	lxw_datetime dt;
	double d;
	int width, parts;

	if (!s || !*s)
		return 0;
	if (type == 'n' && number_parse(s, &d)) {
		err = worksheet_write_number(w->worksheet, w->row, (lxw_col_t)col, d, fmt);
	} else if (type == 'd' && datetime_parse(s, &dt, &parts)) {
		lxw_format *df = parts == 1   ? w->date_format
		                 : parts == 2 ? w->minute_format
		                              : w->second_format;

		err = worksheet_write_datetime(w->worksheet, w->row, (lxw_col_t)col, &dt,
		                               fmt ? fmt : df);
	} else {
		fixed = utf8_fix(s);
		if (fixed)
			s = fixed;
		protected = xstring_protect(s);
		if (!fmt && strchr(s, '\n'))
			fmt = w->wrap_format; /* show multi-line text as lines */
		/* always a string: text starting "=" stays text, never a formula */
		err = worksheet_write_string(w->worksheet, w->row, (lxw_col_t)col,
		                             protected ? protected : s, fmt);
	}
	width = text_width(s);
	free(protected);
	free(fixed);
	if (err == LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED)
		return error_set(e, ERR_TOO_LARGE, NULL,
		                 "第 %u 行第 %d 列超过 Excel 单元格 %d 个字符的上限", w->row + 1,
		                 col + 1, SHEET_EXCEL_MAX_CELL_CHARS);
	if (err)
		return lxw_fail(err, "write cell", e);
	if (width > w->widths[col])
		w->widths[col] = width;
	return 0;
}

/* The title and header rows, once, before the first data row. */
static int writer_start(struct sheet_writer *w, struct error *e)
{
	lxw_format *f;
	int i, rc;

	if (w->started)
		return 0;
	w->started = 1;
	if (w->title) {
		rc = worksheet_write_string(w->worksheet, 0, 0, w->title, w->title_format);
		if (rc)
			return lxw_fail((lxw_error)rc, "write title", e);
		worksheet_set_row(w->worksheet, 0, 24, NULL);
		w->row = 1;
	}
	w->header_row = w->row;
	for (i = 0; i < w->ncols; i++) {
		f = w->required && w->required[i] ? w->required_format : w->header_format;
		if ((rc = writer_cell(w, i, 's', w->headers[i], f, e)) != 0)
			return rc;
		/* the autofilter arrow takes about two characters of the header */
		w->widths[i] += 2;
	}
	worksheet_freeze_panes(w->worksheet, (lxw_row_t)(w->header_row + 1), 0);
	w->row++;
	return 0;
}

static int writer_put(struct sheet_writer *w, const char *types, const char *const *cells,
                      lxw_format *fmt, struct error *e)
{
	size_t ntypes = types ? strlen(types) : 0;
	int i, rc;

	if (!w->workbook)
		return error_set(e, ERR_INTERNAL, NULL, "导出文件已经生成，不能再写入");
	if ((rc = writer_start(w, e)) != 0)
		return rc;
	if (w->row >= SHEET_EXCEL_MAX_ROWS)
		return error_set(e, ERR_TOO_LARGE, NULL, "导出超过 Excel 的最大行数 %d，请缩小范围",
		                 SHEET_EXCEL_MAX_ROWS);
	for (i = 0; i < w->ncols; i++) {
		char type = (size_t)i < ntypes ? types[i] : 's';

		if ((rc = writer_cell(w, i, type, cells[i], fmt, e)) != 0)
			return rc;
	}
	w->row++;
	return 0;
}

int sheet_writer_row(struct sheet_writer *w, const char *const *cells, struct error *e)
{
	return writer_put(w, NULL, cells, NULL, e);
}

int sheet_writer_row_typed(struct sheet_writer *w, const char *types, const char *const *cells,
                           struct error *e)
{
	return writer_put(w, types, cells, NULL, e);
}

static double width_clamp(int w)
{
	if (w + 2 < WIDTH_MIN)
		return WIDTH_MIN;
	if (w + 2 > WIDTH_MAX)
		return WIDTH_MAX;
	return w + 2;
}

/* Read the finished file back through the descriptor mkstemp gave us. */
static int writer_slurp(struct sheet_writer *w, void **data, size_t *len, struct error *e)
{
	struct stat st;
	char *buf;
	size_t got = 0;
	ssize_t n;

	if (fstat(w->fd, &st) < 0 || st.st_size <= 0) {
		log_error("sheet: reading back %s: %s", w->path, strerror(errno));
		return error_set(e, ERR_UNAVAILABLE, NULL,
		                 "生成 Excel 文件失败：临时目录不可写或磁盘已满");
	}
	buf = xmalloc((size_t)st.st_size);
	while (got < (size_t)st.st_size) {
		n = pread(w->fd, buf + got, (size_t)st.st_size - got, (off_t)got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			log_error("sheet: reading back %s: %s", w->path, strerror(errno));
			free(buf);
			return error_set(e, ERR_INTERNAL, NULL, "生成 Excel 文件失败");
		}
		got += (size_t)n;
	}
	*data = buf;
	*len = got;
	return 0;
}

/* Close the current worksheet: header if no row came, column widths, autofilter. */
static int writer_sheet_done(struct sheet_writer *w, struct error *e)
{
	unsigned last;
	int i, rc;

	if ((rc = writer_start(w, e)) != 0)
		return rc;
	/* constant-memory mode writes <cols> at close, so widths can come last */
	for (i = 0; i < w->ncols; i++) {
		lxw_format *f = w->text_columns && w->text_columns[i] ? w->text_format : NULL;

		worksheet_set_column(w->worksheet, (lxw_col_t)i, (lxw_col_t)i,
		                     width_clamp(w->widths[i]), f);
	}
	last = w->row > w->header_row + 1 ? w->row - 1 : w->header_row;
	if (w->autofilter)
		worksheet_autofilter(w->worksheet, w->header_row, 0, last,
		                     (lxw_col_t)(w->ncols - 1));
	return 0;
}

int sheet_writer_next_sheet(struct sheet_writer *w, const char *sheet_name,
                            const char *const *headers, int ncols, struct error *e)
{
	char *name;
	int i, rc;

	if (!w->workbook)
		return error_set(e, ERR_INTERNAL, NULL, "导出文件已经生成，不能再写入");
	if (ncols < 1 || ncols > 16384)
		return error_set(e, ERR_INTERNAL, NULL, "导出的列数不正确");
	if ((rc = writer_sheet_done(w, e)) != 0)
		return rc;
	for (i = 0; i < w->ncols; i++)
		free(w->headers[i]);
	free(w->headers);
	free(w->widths);
	free(w->title);
	w->title = NULL;
	w->ncols = ncols;
	w->headers = xcalloc((size_t)ncols, sizeof(char *));
	for (i = 0; i < ncols; i++)
		w->headers[i] = xstrdup(headers && headers[i] ? headers[i] : "");
	w->widths = xcalloc((size_t)ncols, sizeof(int));
	w->row = w->header_row = 0;
	w->started = 0;
	name = sheet_name_clean(sheet_name);
	w->worksheet = workbook_add_worksheet(w->workbook, name);
	free(name);
	if (!w->worksheet)
		return error_set(e, ERR_UNAVAILABLE, NULL, "生成 Excel 文件失败：临时目录不可写");
	return 0;
}

int sheet_writer_finish(struct sheet_writer *w, void **data, size_t *len, struct error *e)
{
	lxw_error err;
	int rc;

	*data = NULL;
	*len = 0;
	if (!w->workbook)
		return error_set(e, ERR_INTERNAL, NULL, "导出文件已经生成");
	if ((rc = writer_sheet_done(w, e)) != 0)
		return rc;
	err = workbook_close(w->workbook); /* frees the workbook, success or not */
	w->workbook = NULL;
	w->worksheet = NULL;
	if (err)
		return lxw_fail(err, "close workbook", e);
	rc = writer_slurp(w, data, len, e);
	unlink(w->path);
	w->path[0] = '\0';
	return rc;
}

void sheet_writer_release(struct sheet_writer *w)
{
	int i;

	if (w->workbook)
		lxw_workbook_free(w->workbook);
	if (w->fd >= 0)
		close(w->fd);
	if (w->path && w->path[0])
		unlink(w->path);
	for (i = 0; w->headers && i < w->ncols; i++)
		free(w->headers[i]);
	free(w->headers);
	free(w->path);
	free(w->tmpdir);
	free(w->title);
	free(w->required);
	free(w->text_columns);
	free(w->widths);
	memset(w, 0, sizeof(*w));
	w->fd = -1;
}

/* ---- import templates ---------------------------------------------------- */

/* The "填写说明" sheet: a line per column, then how the import behaves. */
static int template_notes(struct sheet_writer *w, const char *data_sheet,
                          const struct sheet_column *cols, int ncols, int has_example,
                          struct error *e)
{
	static const char *const head[] = {"列", "字段", "是否必填", "填写要求"};
	lxw_worksheet *ws = workbook_add_worksheet(w->workbook, "填写说明");
	lxw_format *wrap;
	struct strbuf sb = STRBUF_INIT;
	int widths[4] = {4, 8, 8, 40};
	lxw_row_t r = 0;
	char letter[8];
	int i, note = 1;

	if (!ws)
		return error_set(e, ERR_UNAVAILABLE, NULL, "生成 Excel 文件失败：临时目录不可写");
	wrap = workbook_add_format(w->workbook);
	format_set_text_wrap(wrap);
	format_set_align(wrap, LXW_ALIGN_VERTICAL_TOP);
	for (i = 0; i < 4; i++)
		worksheet_write_string(ws, r, (lxw_col_t)i, head[i], w->header_format);
	for (i = 0; i < ncols; i++) {
		const char *h = cols[i].header ? cols[i].header : "";

		r++;
		worksheet_write_string(ws, r, 0, sheet_column_name(i, letter), NULL);
		worksheet_write_string(ws, r, 1, h, NULL);
		worksheet_write_string(ws, r, 2, cols[i].required ? "必填" : "选填", NULL);
		if (cols[i].rule && *cols[i].rule)
			worksheet_write_string(ws, r, 3, cols[i].rule, wrap);
		if (text_width(h) > widths[1])
			widths[1] = text_width(h);
		if (cols[i].rule && text_width(cols[i].rule) > widths[3])
			widths[3] = text_width(cols[i].rule) > WIDTH_MAX ? WIDTH_MAX
			                                                 : text_width(cols[i].rule);
	}
	r += 2;
	worksheet_write_string(ws, r++, 0, "说明", w->header_format);
	strbuf_addf(
	    &sb,
	    "%d. 请在“%s”工作表中填写，第 1 行表头不要修改、删除或调整顺序；红色表头为必填列。",
	    note++, data_sheet);
	worksheet_write_string(ws, r++, 0, sb.buf, NULL);
	if (has_example) {
		strbuf_reset(&sb);
		strbuf_addf(&sb, "%d. 第 2 行（灰色斜体）是示例，导入前请删除。", note++);
		worksheet_write_string(ws, r++, 0, sb.buf, NULL);
	}
	strbuf_reset(&sb);
	strbuf_addf(
	    &sb, "%d. 导入时先检查所有行：只要有一行不合格，就一行也不导入，并按行号列出每个问题。",
	    note++);
	worksheet_write_string(ws, r++, 0, sb.buf, NULL);
	strbuf_reset(&sb);
	strbuf_addf(&sb,
	            "%d. 一次最多 %d 行；可以上传 .xlsx，或另存为 CSV（UTF-8 或 GBK 编码均可）。",
	            note++, SHEET_MAX_ROWS - 1);
	worksheet_write_string(ws, r++, 0, sb.buf, NULL);
	strbuf_release(&sb);
	for (i = 0; i < 4; i++)
		worksheet_set_column(ws, (lxw_col_t)i, (lxw_col_t)i, width_clamp(widths[i]), NULL);
	return 0;
}

int sheet_template(const char *sheet_name, const struct sheet_column *cols, int ncols,
                   const char *const *example, void **data, size_t *len, struct error *e)
{
	struct sheet_writer w;
	const char **headers;
	char *types, *name;
	int i, rc;

	*data = NULL;
	*len = 0;
	if (ncols < 1)
		return error_set(e, ERR_INTERNAL, NULL, "模板没有列");
	headers = xcalloc((size_t)ncols, sizeof(char *));
	types = xcalloc((size_t)ncols + 1, 1);
	for (i = 0; i < ncols; i++) {
		headers[i] = cols[i].header;
		types[i] = cols[i].type == 'n' ? 'n' : 's';
	}
	rc = sheet_writer_init(&w, sheet_name, headers, ncols, e);
	if (rc)
		goto out;
	w.autofilter = 0;
	w.required = xcalloc((size_t)ncols, 1);
	w.text_columns = xcalloc((size_t)ncols, 1);
	for (i = 0; i < ncols; i++) {
		w.required[i] = cols[i].required != 0;
		w.text_columns[i] = types[i] == 's';
	}
	w.required_format = format_header(w.workbook, 1);
	/* Excel's "@" format keeps what people type as text: 18-digit ID
	 * numbers and phone numbers with a leading 0 survive */
	w.text_format = workbook_add_format(w.workbook);
	format_set_num_format_index(w.text_format, 49); /* built-in "@" */
	if (example) {
		w.example_format = workbook_add_format(w.workbook);
		format_set_italic(w.example_format);
		format_set_font_color(w.example_format, 0x808080);
		if ((rc = writer_put(&w, types, example, w.example_format, e)) != 0)
			goto out;
	}
	name = sheet_name_clean(sheet_name);
	rc = template_notes(&w, name, cols, ncols, example != NULL, e);
	free(name);
	if (rc == 0)
		rc = sheet_writer_finish(&w, data, len, e);
out:
	sheet_writer_release(&w);
	free(headers);
	free(types);
	return rc;
}

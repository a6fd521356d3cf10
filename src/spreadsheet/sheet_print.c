/*
 * sheet_print.c - a small table laid out for printing: a title and a dated
 * subtitle above a bordered header and rows, landscape A4 fitted to the page
 * width with the header repeated on each page, dates as real Excel dates.
 * The tables offices attach to their bulletins (e.g. the 进展情况表) are a
 * few hundred rows, so unlike sheet_write.c the workbook is built in memory.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "core/alloc.h"
#include "core/log.h"
#include "spreadsheet/spreadsheet.h"

/* Days from 1899-12-30 (Excel's day 0 in the 1900 system) of "YYYY-MM-DD"; -1 when not a date. */
static double excel_serial(const char *s)
{
	int y, m, d, n = 0;
	long era, yoe, doy, doe;

	if (!s || sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10 || m < 1 || m > 12 ||
	    d < 1 || d > 31)
		return -1;
	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (double)(era * 146097 + doe - 719468 + 25569);
}

/* Read the file at path into *data (malloc'd). */
static int slurp(const char *path, void **data, size_t *len, struct error *e)
{
	FILE *f = fopen(path, "rb");
	long size;

	if (!f)
		return error_set(e, ERR_UNAVAILABLE, NULL, "生成 Excel 文件失败：临时目录不可写");
	if (fseek(f, 0, SEEK_END) || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		fclose(f);
		return error_set(e, ERR_INTERNAL, NULL, "生成 Excel 文件失败");
	}
	*data = xmalloc((size_t)size + 1);
	*len = fread(*data, 1, (size_t)size, f);
	fclose(f);
	if (*len != (size_t)size) {
		free(*data);
		*data = NULL;
		return error_set(e, ERR_INTERNAL, NULL, "生成 Excel 文件失败");
	}
	return 0;
}

int sheet_print_table(const char *sheet_name, const char *title, const char *subtitle,
                      const struct sheet_print_col *cols, int ncols, const char *const *cells,
                      int nrows, void **data, size_t *len, struct error *e)
{
	const char *dir = getenv("TMPDIR");
	char path[4096];
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *ft, *fs, *fh, *fc, *fd, *fn;
	lxw_error err;
	int fd_tmp, i, j, rc = 0;

	*data = NULL;
	*len = 0;
	snprintf(path, sizeof(path), "%s/wenming-print-XXXXXX", dir && *dir ? dir : "/tmp");
	fd_tmp = mkstemp(path);
	if (fd_tmp < 0) {
		log_error("sheet: mkstemp: %s", strerror(errno));
		return error_set(e, ERR_UNAVAILABLE, NULL, "生成 Excel 文件失败：临时目录不可写");
	}
	close(fd_tmp);
	wb = workbook_new(path);
	if (!wb) {
		unlink(path);
		return error_set(e, ERR_INTERNAL, NULL, "生成 Excel 文件失败");
	}
	ws = workbook_add_worksheet(wb, sheet_name);
	ft = workbook_add_format(wb);
	format_set_bold(ft);
	format_set_font_size(ft, 16);
	format_set_align(ft, LXW_ALIGN_CENTER);
	format_set_align(ft, LXW_ALIGN_VERTICAL_CENTER);
	fs = workbook_add_format(wb);
	format_set_align(fs, LXW_ALIGN_RIGHT);
	fh = workbook_add_format(wb);
	format_set_bold(fh);
	format_set_border(fh, LXW_BORDER_THIN);
	format_set_align(fh, LXW_ALIGN_CENTER);
	format_set_align(fh, LXW_ALIGN_VERTICAL_CENTER);
	format_set_text_wrap(fh);
	format_set_pattern(fh, LXW_PATTERN_SOLID);
	format_set_bg_color(fh, 0xD9E1F2);
	fc = workbook_add_format(wb);
	format_set_border(fc, LXW_BORDER_THIN);
	format_set_text_wrap(fc);
	format_set_align(fc, LXW_ALIGN_VERTICAL_CENTER);
	fd = workbook_add_format(wb);
	format_set_border(fd, LXW_BORDER_THIN);
	format_set_num_format(fd, "yyyy-mm-dd");
	format_set_align(fd, LXW_ALIGN_CENTER);
	format_set_align(fd, LXW_ALIGN_VERTICAL_CENTER);
	fn = workbook_add_format(wb);
	format_set_border(fn, LXW_BORDER_THIN);
	format_set_align(fn, LXW_ALIGN_CENTER);
	format_set_align(fn, LXW_ALIGN_VERTICAL_CENTER);

	worksheet_set_landscape(ws);
	worksheet_set_paper(ws, 9); /* A4 */
	worksheet_set_margins(ws, 0.4, 0.4, 0.6, 0.6);
	worksheet_fit_to_pages(ws, 1, 0);
	worksheet_repeat_rows(ws, 2, 2);
	worksheet_center_horizontally(ws);
	worksheet_set_footer(ws, "&C第 &P 页，共 &N 页");
	for (i = 0; i < ncols; i++)
		worksheet_set_column(ws, (lxw_col_t)i, (lxw_col_t)i, cols[i].width, NULL);
	worksheet_set_row(ws, 0, 30, NULL);
	if (ncols > 1) {
		worksheet_merge_range(ws, 0, 0, 0, (lxw_col_t)(ncols - 1), title, ft);
		worksheet_merge_range(ws, 1, 0, 1, (lxw_col_t)(ncols - 1), subtitle ? subtitle : "",
		                      fs);
	} else {
		worksheet_write_string(ws, 0, 0, title, ft);
		worksheet_write_string(ws, 1, 0, subtitle ? subtitle : "", fs);
	}
	for (i = 0; i < ncols; i++)
		worksheet_write_string(ws, 2, (lxw_col_t)i, cols[i].header, fh);
	for (j = 0; j < nrows; j++)
		for (i = 0; i < ncols; i++) {
			const char *v = cells[(size_t)j * (size_t)ncols + (size_t)i];
			lxw_row_t row = (lxw_row_t)(j + 3);
			double serial;

			if (!v)
				v = "";
			if (cols[i].type == 'd' && (serial = excel_serial(v)) > 0)
				worksheet_write_number(ws, row, (lxw_col_t)i, serial, fd);
			else if (cols[i].type == 'n' && *v && strspn(v, "0123456789") == strlen(v))
				worksheet_write_number(ws, row, (lxw_col_t)i, atof(v), fn);
			else
				worksheet_write_string(ws, row, (lxw_col_t)i, v, fc);
		}
	err = workbook_close(wb);
	if (err) {
		log_error("sheet: close print workbook: %s", lxw_strerror(err));
		rc = error_set(e, ERR_UNAVAILABLE, NULL, "生成 Excel 文件失败");
	} else {
		rc = slurp(path, data, len, e);
	}
	unlink(path);
	return rc;
}

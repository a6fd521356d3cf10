/*
 * sheet_int.h - what the spreadsheet readers share (private to src/spreadsheet/).
 *
 * sheet_read.c looks at the bytes and hands them to one reader, sheet_xlsx.c
 * or sheet_csv.c.  Both readers put every cell through the same row builder,
 * so trimming and the limits of spreadsheet.h hold in one place whatever the
 * format: a reader only finds cells and says where rows end.  Nothing here is
 * for code outside src/spreadsheet/; importers use spreadsheet.h.
 */
#ifndef WENMING_SHEET_INT_H
#define WENMING_SHEET_INT_H

#include <stddef.h>

#include "core/err.h"
#include "core/strbuf.h"
#include "spreadsheet/spreadsheet.h"

/* Both readers refuse bytes they cannot make sense of with the same words. */
#define MSG_NOT_SHEET "文件不是有效的 Excel (xlsx) 或 CSV 文件"

/*
 * Cells of the current row go into one text buffer; when the row ends it is
 * copied into a single block (pointer array, then the strings), so a sheet
 * of 20,000 x 100 cells costs 20,000 allocations, not two million.
 */
struct sheet_builder {
	struct sheet *out;
	int rows_alloc;
	size_t total; /* cell bytes kept so far */
	struct error *e;

	int number; /* current row */
	int ncells; /* highest non-empty column + 1 */
	int cells_alloc;
	size_t *offs; /* per column: offset + 1 into text, 0 for a gap */
	struct strbuf text;
};

/*
 * Set b up to append rows to out (which should be empty) and report limits
 * through e.  Rows kept belong to out; b's own buffers are freed by
 * sheet_builder_release, which the reader calls on every path.
 */
void sheet_builder_init(struct sheet_builder *b, struct sheet *out, struct error *e);
void sheet_builder_release(struct sheet_builder *b);

/* Start the row Excel numbers `number` (1-based); cells go to it until it ends. */
void sheet_builder_begin_row(struct sheet_builder *b, int number);

/*
 * Put the text s[0..n) (UTF-8, need not be NUL-terminated) into 0-based
 * column col of the current row, trimmed.  Returns 0, or ERR_TOO_LARGE with
 * b->e filled when the cell, the columns or the total go over a limit.
 */
int sheet_builder_cell(struct sheet_builder *b, int col, const char *s, size_t n);

/* End the current row, keeping it if any cell held text; 0 or ERR_TOO_LARGE. */
int sheet_builder_end_row(struct sheet_builder *b);

/*
 * The readers behind sheet_read, which has already cleared out and picked
 * the format.  Each fills out row by row and sets e on failure; out may then
 * hold some rows, which sheet_read releases.
 *
 * sheet_xlsx_read returns 0, ERR_MEDIA_TYPE or ERR_TOO_LARGE;
 * sheet_csv_read also ERR_INVALID (a quote left open) and ERR_INTERNAL (no
 * iconv support for a charset).
 */
int sheet_xlsx_read(const void *data, size_t len, struct sheet *out, struct error *e);
/* Every worksheet (sheet_read_book); *out and *n as there. */
int sheet_xlsx_read_book(const void *data, size_t len, struct sheet **out, int *n, struct error *e);
int sheet_csv_read(const void *data, size_t len, struct sheet *out, struct error *e);

#endif

/*
 * spreadsheet.h - spreadsheets in and out: read an uploaded .xlsx or CSV into rows
 * of UTF-8 text, write .xlsx exports and import templates.
 *
 * Campaign offices live in Excel, so every import and export goes through
 * here.  Reading decides the format by the bytes (never the file name) and
 * enforces the limits below against zip bombs and oversized sheets; writing
 * streams rows to disk (libxlsxwriter's constant-memory mode) so an export of
 * 100,000 rows costs the same memory as one of ten.
 *
 * The reader knows nothing about what the columns mean: importers built on it
 * match the header row, check every row and report each bad one by its Excel
 * row number (sheet_row.number) and column (sheet_column_name).
 */
#ifndef WENMING_SPREADSHEET_H
#define WENMING_SPREADSHEET_H

#include <stddef.h>

#include "core/err.h"

/* Limits for sheet_read; over any of them the read fails with ERR_TOO_LARGE. */
#define SHEET_MAX_ROWS        20000              /* non-empty rows, header included */
#define SHEET_MAX_COLS        100                /* columns that hold a value */
#define SHEET_MAX_CELL_BYTES  (32 * 1024)        /* one cell, after trimming */
#define SHEET_MAX_PART_BYTES  (50 * 1024 * 1024) /* one xlsx part, uncompressed */
#define SHEET_MAX_TOTAL_BYTES (64 * 1024 * 1024) /* all cell text kept */

/* Excel's own limits, which the writer enforces. */
#define SHEET_EXCEL_MAX_ROWS       1048576
#define SHEET_EXCEL_MAX_CELL_CHARS 32767

struct sheet_row {
	int number;   /* 1-based row number as Excel shows it */
	int ncells;   /* cells[0..ncells-1]; the last one is never empty */
	char **cells; /* trimmed UTF-8, "" for a gap; one block owned by the sheet */
};

/* A merged range of cells (Excel's <mergeCell ref="A2:A5">). */
struct sheet_merge {
	int row1, row2; /* 1-based Excel row numbers, row1 <= row2 */
	int col1, col2; /* 0-based columns, col1 <= col2 */
};

#define SHEET_MAX_SHEETS 32 /* worksheets sheet_read_book reads */
#define SHEET_MAX_MERGES 20000

struct sheet {
	int nrows;              /* rows holding at least one non-empty cell */
	struct sheet_row *rows; /* in row order; empty rows are skipped */
	int date1904;           /* the workbook counts dates from 1904 (old Mac Excel) */
	char *name;             /* the worksheet's name (sheet_read_book); NULL otherwise */
	int nmerges;            /* merged ranges of the worksheet (xlsx only) */
	struct sheet_merge *merges;
};

#define SHEET_INIT                                                                                 \
	{                                                                                          \
		0, NULL, 0, NULL, 0, NULL                                                          \
	}

/*
 * Read the first worksheet of an .xlsx, or a CSV / tab-separated text file,
 * into out (which the caller releases with sheet_release, also on failure).
 *
 * Bytes starting "PK\3\4" are read as xlsx; anything else as text: UTF-8 (a
 * BOM is dropped), UTF-16 with a BOM (Excel's "Unicode text"), otherwise
 * GB18030 (what Chinese Excel saves as CSV).  Cells are trimmed of spaces,
 * including the full-width space; numbers come back as text ("42", "3.14"),
 * dates as Excel serial numbers (see date1904), booleans as TRUE / FALSE,
 * formulas as their cached result.
 *
 * filename_hint may be NULL and never selects the parser: a client's file
 * name is not evidence of what the bytes are.
 *
 * Returns 0; ERR_MEDIA_TYPE when the bytes are not a spreadsheet we can read
 * (corrupt zip, a zip that is not a workbook, .xls, binary data);
 * ERR_TOO_LARGE over a limit; ERR_INVALID for a CSV quote left open.
 */
int sheet_read(const void *data, size_t len, const char *filename_hint, struct sheet *out,
               struct error *e);

/*
 * Every worksheet of an .xlsx (at most SHEET_MAX_SHEETS, in the workbook's
 * order, each with its name and merged ranges), or the one sheet of a CSV
 * (named ""), into *out (malloc'd array of *n; sheet_book_release after,
 * also on failure).  The limits of sheet_read hold per worksheet.
 */
int sheet_read_book(const void *data, size_t len, const char *filename_hint, struct sheet **out,
                    int *n, struct error *e);
void sheet_book_release(struct sheet *sheets, int n);

/*
 * The text of 0-based column col of s->rows[i], or, when that is empty and
 * the cell lies inside a merged range, the text of the range's top-left
 * cell: a project name merged across its rows reads on every row.
 */
const char *sheet_cell_merged(const struct sheet *s, int i, int col);

/* Free what s holds; s is left empty (SHEET_INIT) and reusable. */
void sheet_release(struct sheet *s);

/* The text of 0-based column col of r, "" past the end.  Never NULL. */
const char *sheet_cell(const struct sheet_row *r, int col);

/* Excel's name for 0-based column col ("A", "Z", "AA") into buf; returns buf. */
char *sheet_column_name(int col, char buf[8]);

/*
 * Writing.  One writer makes one workbook:
 *
 *	struct sheet_writer w;
 *	if (sheet_writer_init(&w, "用户", headers, 4, e) == 0 &&
 *	    sheet_writer_row_typed(&w, "ssnn", cells, e) == 0 && ... &&
 *	    sheet_writer_finish(&w, &data, &len, e) == 0)
 *		... send data, then free(data) ...
 *	sheet_writer_release(&w);
 *
 * Cells are written as text, or as numbers where the row's type string says
 * 'n', or as Excel dates where it says 'd': the caller's "YYYY-MM-DD",
 * "YYYY-MM-DD HH:MM" or "YYYY-MM-DD HH:MM:SS" (already in the tenant's zone)
 * becomes a date serial number shown with the matching date format, so the
 * column filters and sorts by date and subtracts as days.  A 'd' or 'n' cell
 * whose text is not of that shape stays text.  After a failed row the workbook is incomplete: stop
 *and release.  Text is never turned into a formula, whatever it starts with ("=",
 * "+", "-", "@"): exported user input cannot run in someone's Excel.
 */
struct lxw_workbook;
struct lxw_worksheet;
struct lxw_format;

struct sheet_writer {
	struct lxw_workbook *workbook; /* NULL once closed */
	struct lxw_worksheet *worksheet;
	struct lxw_format *title_format, *header_format, *required_format;
	struct lxw_format *example_format, *text_format, *wrap_format;
	struct lxw_format *date_format, *minute_format, *second_format; /* 'd' cells */
	char *path;   /* the temp file libxlsxwriter writes the .xlsx to */
	char *tmpdir; /* where libxlsxwriter keeps its row files */
	int fd;       /* open on path, to read the result back */
	int ncols;
	char **headers;          /* copied at init, written before the first row */
	char *title;             /* optional line above the header */
	unsigned char *required; /* template only: headers to show in red */
	char *text_columns;      /* template only: 's' columns get Excel's text format */
	int *widths;             /* widest value per column, in narrow-character units */
	unsigned row;            /* the next row to write, 0-based */
	unsigned header_row;
	int started; /* title and header are written */
	int autofilter;
};

/*
 * Start a workbook with one worksheet named sheet_name (characters Excel
 * forbids become "_", cut to 31 characters) and ncols header cells.  The
 * header row is bold on a light fill, frozen, and gets an autofilter.
 * Call sheet_writer_release afterwards in every case.  Returns 0,
 * ERR_UNAVAILABLE when no temp file can be made, ERR_INTERNAL otherwise.
 */
int sheet_writer_init(struct sheet_writer *w, const char *sheet_name, const char *const *headers,
                      int ncols, struct error *e);

/*
 * Close the current worksheet and start another named sheet_name with its
 * own ncols header cells (and no title); rows go to the new one from now on.
 */
int sheet_writer_next_sheet(struct sheet_writer *w, const char *sheet_name,
                            const char *const *headers, int ncols, struct error *e);

/* Put a title line (e.g. "用户导出 2026-11-22") above the header; before any row. */
int sheet_writer_title(struct sheet_writer *w, const char *title, struct error *e);

/* Append a row of ncols text cells; NULL or "" leaves a cell empty. */
int sheet_writer_row(struct sheet_writer *w, const char *const *cells, struct error *e);

/*
 * Append a row whose cell c is a number when types[c] == 'n' and the text is
 * a plain decimal number ("42", "-3.5", "1e3"); anything else, and columns
 * past the end of types, are text.  Returns 0 or ERR_TOO_LARGE (a cell over
 * Excel's 32,767 characters, or more rows than Excel holds).
 */
int sheet_writer_row_typed(struct sheet_writer *w, const char *types, const char *const *cells,
                           struct error *e);

/*
 * Close the workbook and hand back the .xlsx bytes in *data (malloc'd, the
 * caller frees) and *len.  The writer accepts no more rows afterwards; it
 * still needs sheet_writer_release.
 */
int sheet_writer_finish(struct sheet_writer *w, void **data, size_t *len, struct error *e);

/* Free everything w holds and remove its temp file; safe after a failed init. */
void sheet_writer_release(struct sheet_writer *w);

/* One column of an import template. */
struct sheet_column {
	const char *header; /* the header text importers match, e.g. "单位名称" */
	int required;       /* shown in red and as 必填 in 填写说明 */
	char type;          /* 'n' number; anything else text, formatted as Excel
	                       text so phone and ID numbers keep every digit */
	const char *rule;   /* one line for 填写说明, e.g. "11 位手机号"; may be NULL */
};

/*
 * An import template: a first worksheet named sheet_name with the header
 * row (and, when example is not NULL, one grey example row of ncols cells),
 * and a second worksheet "填写说明" with one line per column (column
 * letter, header, 必填 / 选填, rule) followed by general notes.  The .xlsx
 * bytes go to *data (malloc'd) and *len.
 */
int sheet_template(const char *sheet_name, const struct sheet_column *cols, int ncols,
                   const char *const *example, void **data, size_t *len, struct error *e);

/* One column of a printed table (sheet_print_table). */
struct sheet_print_col {
	const char *header;
	double width; /* in Excel's character units */
	char type;    /* 's' text (wrapped), 'd' a "YYYY-MM-DD" date written as a real Excel
	                 date, 'n' a whole number */
};

/*
 * A workbook of one sheet laid out for printing: title (merged, large) and
 * subtitle (e.g. the date) above a header row, then nrows rows of ncols
 * cells (cells[row * ncols + col], NULL for empty), every cell bordered;
 * landscape A4, one page wide, the header repeated on each page, page
 * numbers in the footer.  The bytes go to *data (malloc'd) and *len.
 */
int sheet_print_table(const char *sheet_name, const char *title, const char *subtitle,
                      const struct sheet_print_col *cols, int ncols, const char *const *cells,
                      int nrows, void **data, size_t *len, struct error *e);

#endif

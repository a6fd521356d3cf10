/*
 * sheet_read.c - the reading half of spreadsheet.h: pick the reader by the bytes,
 * and build the rows every reader produces.
 *
 * The format is decided here and only here, from the content: a client's
 * file name is not evidence of what the bytes are.  xlsx lives in
 * sheet_xlsx.c, CSV and its encodings in sheet_csv.c; what they share (the
 * row builder, see sheet_int.h) lives below, because the limits it enforces
 * are the same for every format and must not drift apart.
 *
 * Everything read here is bytes a stranger chose, so every size is bounded
 * before it is allocated: xlsx parts are inflated a chunk at a time and
 * counted (sheet_xlsx.c), and the rows kept are counted as they are built.
 */
#include "spreadsheet/spreadsheet.h"

#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/strbuf.h"
#include "spreadsheet/sheet_int.h"

#define MSG_XLS "不支持 Excel 97-2003 (.xls) 或加密的工作簿，请在 Excel 中另存为 .xlsx 后再上传"

/* ---- the interface -------------------------------------------------------- */

int sheet_read(const void *data, size_t len, const char *filename_hint, struct sheet *out,
               struct error *e)
{
	static const unsigned char ole[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
	const unsigned char *d = data;
	int rc;

	(void)filename_hint; /* the bytes decide, never the name */
	out->nrows = 0;
	out->rows = NULL;
	out->date1904 = 0;
	out->name = NULL;
	out->nmerges = 0;
	out->merges = NULL;
	if (len == 0)
		rc = 0;
	else if (len >= 4 && !memcmp(d, "PK\x03\x04", 4))
		rc = sheet_xlsx_read(data, len, out, e);
	else if (len >= 8 && !memcmp(d, ole, 8)) /* .xls, and encrypted .xlsx */
		rc = error_set(e, ERR_MEDIA_TYPE, "file", MSG_XLS);
	else
		rc = sheet_csv_read(data, len, out, e);
	if (rc)
		sheet_release(out);
	return rc;
}

int sheet_read_book(const void *data, size_t len, const char *filename_hint, struct sheet **out,
                    int *n, struct error *e)
{
	static const unsigned char ole[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
	const unsigned char *d = data;
	int rc;

	(void)filename_hint;
	*out = NULL;
	*n = 0;
	if (len >= 4 && !memcmp(d, "PK\x03\x04", 4))
		return sheet_xlsx_read_book(data, len, out, n, e);
	if (len >= 8 && !memcmp(d, ole, 8))
		return error_set(e, ERR_MEDIA_TYPE, "file", MSG_XLS);
	*out = xcalloc(1, sizeof(**out));
	*n = 1;
	(*out)->name = xstrdup("");
	rc = len ? sheet_csv_read(data, len, *out, e) : 0;
	return rc;
}

void sheet_book_release(struct sheet *sheets, int n)
{
	int i;

	for (i = 0; i < n; i++)
		sheet_release(&sheets[i]);
	free(sheets);
}

const char *sheet_cell_merged(const struct sheet *s, int i, int col)
{
	const struct sheet_row *r = &s->rows[i];
	const char *v = sheet_cell(r, col);
	int k, lo, hi;

	if (*v)
		return v;
	for (k = 0; k < s->nmerges; k++) {
		const struct sheet_merge *m = &s->merges[k];

		if (r->number < m->row1 || r->number > m->row2 || col < m->col1 || col > m->col2)
			continue;
		/* the top-left cell's row: rows are in order, find it by bisection */
		lo = 0;
		hi = i;
		while (lo < hi) {
			int mid = (lo + hi) / 2;

			if (s->rows[mid].number < m->row1)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (s->rows[lo].number == m->row1)
			return sheet_cell(&s->rows[lo], m->col1);
		return "";
	}
	return "";
}

void sheet_release(struct sheet *s)
{
	int i;

	for (i = 0; i < s->nrows; i++)
		free(s->rows[i].cells);
	free(s->rows);
	s->nrows = 0;
	s->rows = NULL;
	s->date1904 = 0;
	free(s->name);
	s->name = NULL;
	free(s->merges);
	s->merges = NULL;
	s->nmerges = 0;
}

const char *sheet_cell(const struct sheet_row *r, int col)
{
	if (!r || col < 0 || col >= r->ncells)
		return "";
	return r->cells[col];
}

char *sheet_column_name(int col, char buf[8])
{
	char tmp[8];
	int n = 0, i;

	if (col < 0) {
		buf[0] = '?';
		buf[1] = '\0';
		return buf;
	}
	col++;
	while (col > 0 && n < 7) {
		tmp[n++] = (char)('A' + (col - 1) % 26);
		col = (col - 1) / 26;
	}
	for (i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	buf[n] = '\0';
	return buf;
}

/* ---- rows under construction -------------------------------------------- */

void sheet_builder_init(struct sheet_builder *b, struct sheet *out, struct error *e)
{
	memset(b, 0, sizeof(*b));
	b->out = out;
	b->e = e;
	strbuf_init(&b->text);
}

void sheet_builder_release(struct sheet_builder *b)
{
	free(b->offs);
	strbuf_release(&b->text);
}

void sheet_builder_begin_row(struct sheet_builder *b, int number)
{
	b->number = number;
	b->ncells = 0;
	strbuf_reset(&b->text);
}

static int is_trim_space(const unsigned char *s, size_t n, size_t *width)
{
	if (n >= 1 && (s[0] == ' ' || s[0] == '\t' || s[0] == '\r' || s[0] == '\n')) {
		*width = 1;
		return 1;
	}
	/* U+00A0 no-break space and U+3000 ideographic space come with pasted text */
	if (n >= 2 && s[0] == 0xC2 && s[1] == 0xA0) {
		*width = 2;
		return 1;
	}
	if (n >= 3 && s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80) {
		*width = 3;
		return 1;
	}
	return 0;
}

/* Does s[0..n) end with a trimmable space?  Sets its width. */
static int ends_trim_space(const unsigned char *s, size_t n, size_t *width)
{
	if (n >= 1 &&
	    (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n')) {
		*width = 1;
		return 1;
	}
	if (n >= 2 && s[n - 2] == 0xC2 && s[n - 1] == 0xA0) {
		*width = 2;
		return 1;
	}
	if (n >= 3 && s[n - 3] == 0xE3 && s[n - 2] == 0x80 && s[n - 1] == 0x80) {
		*width = 3;
		return 1;
	}
	return 0;
}

/*
 * Put the text s[0..n) into 0-based column col of the current row, trimmed.
 * An empty cell only leaves a gap, so stray commas or styled blank cells far
 * to the right never count against the column limit.
 */
int sheet_builder_cell(struct sheet_builder *b, int col, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t w;
	char name[8];

	while (n && is_trim_space(u, n, &w)) {
		u += w;
		n -= w;
	}
	while (n && ends_trim_space(u, n, &w))
		n -= w;
	if (!n)
		return 0;
	if (col >= SHEET_MAX_COLS)
		return error_set(b->e, ERR_TOO_LARGE, "file", "第 %d 行超过 %d 列的上限", b->number,
		                 SHEET_MAX_COLS);
	if (n > SHEET_MAX_CELL_BYTES)
		return error_set(b->e, ERR_TOO_LARGE, "file",
		                 "第 %d 行 %s 列的内容超过 %d KB 的上限", b->number,
		                 sheet_column_name(col, name), SHEET_MAX_CELL_BYTES / 1024);
	b->total += n + 1;
	if (b->total > SHEET_MAX_TOTAL_BYTES)
		return error_set(b->e, ERR_TOO_LARGE, "file",
		                 "表格内容超过 %d MB 的上限，请分批导入",
		                 SHEET_MAX_TOTAL_BYTES / (1024 * 1024));
	if (col >= b->cells_alloc) {
		int want = b->cells_alloc ? b->cells_alloc * 2 : 16;

		while (want <= col)
			want *= 2;
		b->offs = xrealloc(b->offs, (size_t)want * sizeof(*b->offs));
		b->cells_alloc = want;
	}
	while (b->ncells <= col)
		b->offs[b->ncells++] = 0;
	b->offs[col] = b->text.len + 1;
	strbuf_add(&b->text, u, n);
	strbuf_addch(&b->text, '\0');
	return 0;
}

/* Keep the current row if any cell of it held text. */
int sheet_builder_end_row(struct sheet_builder *b)
{
	struct sheet *s = b->out;
	struct sheet_row *r;
	char **cells, *text;
	int i;

	if (!b->ncells)
		return 0;
	if (s->nrows >= SHEET_MAX_ROWS)
		return error_set(b->e, ERR_TOO_LARGE, "file",
		                 "表格超过 %d 行的上限（含表头），请分批导入", SHEET_MAX_ROWS);
	if (s->nrows == b->rows_alloc) {
		b->rows_alloc = b->rows_alloc ? b->rows_alloc * 2 : 64;
		s->rows = xrealloc(s->rows, (size_t)b->rows_alloc * sizeof(*s->rows));
	}
	/* pointers first (malloc alignment), then the text and one shared "" */
	cells = xmalloc((size_t)b->ncells * sizeof(char *) + b->text.len + 1);
	text = (char *)(cells + b->ncells);
	memcpy(text, strbuf_str(&b->text), b->text.len);
	text[b->text.len] = '\0';
	for (i = 0; i < b->ncells; i++)
		cells[i] = b->offs[i] ? text + b->offs[i] - 1 : text + b->text.len;
	r = &s->rows[s->nrows++];
	r->number = b->number;
	r->ncells = b->ncells;
	r->cells = cells;
	return 0;
}

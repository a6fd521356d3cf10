/* fuzz_sheet.c - sheet_read and the importers (see fuzz_sheet.h). */
#include "fuzz_sheet.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/strbuf.h"
#include "core/utf8.h"
#include "fuzz_server.h"
#include "spreadsheet/spreadsheet.h"

static const char *const importers[] = {
	"/api/v1/units/import",
	"/api/v1/users/import",
	"/api/v1/points/import",
};

static void fail(const struct sheet *s, int row, const char *why)
{
	fprintf(stderr, "fuzz_sheet: row %d of %d: %s\n", row, s->nrows, why);
	abort();
}

static void check(const struct sheet *s)
{
	int i, j, last = 0;

	if (s->nrows < 0 || s->nrows > SHEET_MAX_ROWS)
		fail(s, 0, "row count out of bounds");
	for (i = 0; i < s->nrows; i++) {
		const struct sheet_row *r = &s->rows[i];

		if (r->number <= last)
			fail(s, i, "row numbers do not increase");
		last = r->number;
		if (r->ncells < 1 || r->ncells > SHEET_MAX_COLS)
			fail(s, i, "cell count out of bounds");
		if (!r->cells[r->ncells - 1][0])
			fail(s, i, "the last cell is empty");
		for (j = 0; j < r->ncells; j++) {
			const char *c = r->cells[j];
			size_t n = strlen(c);

			if (n > SHEET_MAX_CELL_BYTES)
				fail(s, i, "cell over the size limit");
			if (!utf8_valid(c, n))
				fail(s, i, "cell is not UTF-8");
			if (n && (c[0] == ' ' || c[n - 1] == ' '))
				fail(s, i, "cell not trimmed");
		}
		if (strcmp(sheet_cell(r, r->ncells + 3), ""))
			fail(s, i, "a cell past the end is not empty");
	}
}

void fuzz_sheet_one(const uint8_t *data, size_t size)
{
	static const char boundary[] = "fuzzBoundary7MA4YWxkTrZu0gW";
	struct sheet s = SHEET_INIT;
	struct strbuf body = STRBUF_INIT;
	struct error e;
	size_t i;

	error_init(&e);
	if (sheet_read(data, size, "fuzz.xlsx", &s, &e)) {
		if (e.code == ERR_OK || !e.message[0])
			fail(&s, 0, "a refusal without a reason");
		sheet_release(&s);
		return;
	}
	check(&s);
	sheet_release(&s);
	if (s.nrows != 0 || s.rows != NULL)
		fail(&s, 0, "sheet_release left rows behind");

	strbuf_addf(&body,
	            "--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f.xlsx\"\r\n"
	            "Content-Type: application/octet-stream\r\n\r\n",
	            boundary);
	strbuf_add(&body, data, size);
	strbuf_addf(&body, "\r\n--%s--\r\n", boundary);
	for (i = 0; i < sizeof(importers) / sizeof(importers[0]); i++)
		fuzz_request("POST", importers[i], strlen(importers[i]),
		             "multipart/form-data; boundary=fuzzBoundary7MA4YWxkTrZu0gW", body.buf,
		             body.len, NULL);
	strbuf_release(&body);
}

/*
 * master_api.h - private to the master data endpoints (api_*.c): reading
 * the fields every master record shares from a JSON body, and the plumbing
 * every master data sheet import, template and export shares
 * (master_sheet.c).
 */
#ifndef WENMING_MASTER_API_H
#define WENMING_MASTER_API_H

#include "master/master.h"
#include "spreadsheet/spreadsheet.h"

/* An optional id field: absent leaves *id, null sets 0; *present (may be NULL). */
int master_id_field(json_t *body, const char *key, int64_t *id, int *present, struct error *e);

/* code and name (required when create), checked as master_code_ok and for control characters. */
int master_code_name(json_t *body, int create, const char **code, const char **name,
                     struct error *e);

/* ---- sheet imports (master_sheet.c) ---------------------------------------- */

#define MASTER_IMPORT_MAX_BODY (10L << 20)
#define MASTER_SHEET_MAX_COLS  16

/*
 * An uploaded sheet on its way in.  The cells of sh stay valid until
 * master_import_commit (or master_import_release), so rows checked into
 * structs may point into them.
 */
struct master_import {
	struct sheet sh;
	const char *filename;           /* the client's name, for the audit row only */
	int col[MASTER_SHEET_MAX_COLS]; /* 0-based sheet column of each column, -1 missing */
	json_t *errors;                 /* {row, field, message} of every bad cell */
};

/*
 * Read the multipart "file" of r as a sheet and match its header row to
 * cols[0..ncols) (headers as the template writes them; the required ones
 * must be there).  0: the rows can be checked (im->errors is an empty
 * array).  Otherwise r is answered or failed and the handler returns
 * r->err.code; im holds nothing.
 */
int master_import_open(struct req *r, struct master_import *im, const struct sheet_column *cols,
                       int ncols);

/* The text of column k of a data row, "" when the sheet has no such column. */
const char *master_import_cell(const struct master_import *im, const struct sheet_row *row, int k);

/*
 * After the rows are checked: when any had errors, release im, reply 422
 * with every one and return 1 (the handler returns 0); otherwise 0.
 */
int master_import_refused(struct req *r, struct master_import *im);

/*
 * End an import whose rows were written inside a write transaction (rc: how
 * writing went): audit action with the count and the file name, commit or
 * roll back, release im and reply {imported, errors: []}.  Returns what the
 * handler returns.
 */
int master_import_commit(struct req *r, struct master_import *im, int rc, struct error *e,
                         const char *action, const char *object_type, int count);

/* Free what im holds (after a failure between open and commit). */
void master_import_release(struct master_import *im);

/* Reply the import template of cols (example may be NULL) as an .xlsx download. */
int master_reply_template(struct req *r, const char *sheet_name, const struct sheet_column *cols,
                          int ncols, const char *const *example, const char *ascii_name,
                          const char *utf8_name);

/*
 * Start an export whose header is the template's columns cols[0..ncols),
 * then the headers of extra (NULL-terminated, may be NULL): what the server
 * computes and an import ignores.  Release w in every case.
 */
int master_writer_init(struct sheet_writer *w, const char *sheet_name,
                       const struct sheet_column *cols, int ncols, const char *const *extra,
                       struct arena *a, struct error *e);

/* "1234" for a number on the request's arena (sort orders, hours, counts in exports). */
const char *master_int_text(struct req *r, int64_t v);

#endif

/*
 * master_sheet.c - what the master data imports and templates share: read
 * the uploaded sheet and match its header to the template's columns, refuse
 * a sheet with bad rows (422, every row listed), write an accepted one with
 * its audit row, and send templates.  The checks of each kind of row live
 * with its endpoints (api_*.c) and in category_import.c.
 */
#include <string.h>

#include "http/multipart.h"
#include "http/reply.h"
#include "http/req.h"
#include "master/master_api.h"
#include "org/org.h"
#include "store/store.h"

int master_import_open(struct req *r, struct master_import *im, const struct sheet_column *cols,
                       int ncols)
{
	const char *names[MASTER_SHEET_MAX_COLS];
	struct error e;
	const void *data;
	size_t len;
	int i;

	memset(im, 0, sizeof(*im));
	for (i = 0; i < MASTER_SHEET_MAX_COLS; i++)
		im->col[i] = -1;
	error_init(&e);
	if (req_multipart_file(r, "file", &data, &len, &im->filename, &e) ||
	    sheet_read(data, len, im->filename, &im->sh, &e)) {
		sheet_release(&im->sh);
		return req_fail_error(r, &e);
	}
	if (!im->filename)
		im->filename = "";
	if (!req_db(r)) {
		sheet_release(&im->sh);
		return r->err.code;
	}
	for (i = 0; i < ncols && i < MASTER_SHEET_MAX_COLS; i++)
		names[i] = cols[i].header;
	im->errors = json_array();
	/* the required columns are checked here, so they need not come first */
	if (!org_import_header(&im->sh, names, i, 0, im->col, im->errors))
		for (i = 0; i < ncols && i < MASTER_SHEET_MAX_COLS; i++)
			if (cols[i].required && im->col[i] < 0)
				org_import_error(im->errors, im->sh.rows[0].number, cols[i].header,
				                 "缺少“%s”列，请使用导入模板", cols[i].header);
	return master_import_refused(r, im);
}

const char *master_import_cell(const struct master_import *im, const struct sheet_row *row, int k)
{
	return k >= 0 && k < MASTER_SHEET_MAX_COLS && im->col[k] >= 0 ? sheet_cell(row, im->col[k])
	                                                              : "";
}

int master_import_refused(struct req *r, struct master_import *im)
{
	json_t *errors = im->errors;

	if (!json_array_size(errors))
		return 0;
	im->errors = NULL;
	master_import_release(im);
	http_reply_import_errors(r, errors);
	return 1;
}

int master_import_commit(struct req *r, struct master_import *im, int rc, struct error *e,
                         const char *action, const char *object_type, int count)
{
	if (!rc)
		rc = req_audit(r, r->db, action, object_type, 0,
		               json_pack("{s:i, s:s}", "count", count, "file", im->filename));
	master_import_release(im);
	if (req_tx_end(r, r->db, rc, e))
		return r->err.code;
	return req_reply_json(r, 200, json_pack("{s:i, s:[]}", "imported", count, "errors"));
}

void master_import_release(struct master_import *im)
{
	sheet_release(&im->sh);
	json_decref(im->errors);
	im->errors = NULL;
}

int64_t master_import_unit(json_t *errors, int row, const char *field, const struct unit *units,
                           int n, const char *text, struct arena *a)
{
	int64_t id = master_unit_by_name(units, n, text, a);

	if (id == -1)
		org_import_error(errors, row, field, "找不到单位“%s”", text);
	else if (id < 0)
		org_import_error(errors, row, field, "有多个单位名为“%s”，请写完整路径", text);
	return id > 0 ? id : 0;
}

void master_import_taken(json_t *errors, int row, const char *field, const char *value,
                         int earlier_row)
{
	if (earlier_row)
		org_import_error(errors, row, field, "与第 %d 行的%s重复", earlier_row, field);
	else
		org_import_error(errors, row, field, "%s“%s”已被使用", field, value);
}

int master_reply_template(struct req *r, const char *sheet_name, const struct sheet_column *cols,
                          int ncols, const char *const *example, const char *ascii_name,
                          const char *utf8_name)
{
	struct error e;
	void *data;
	size_t len;

	error_init(&e);
	if (sheet_template(sheet_name, cols, ncols, example, &data, &len, &e))
		return req_fail_error(r, &e);
	return http_reply_xlsx(r, data, len, ascii_name, utf8_name);
}

int master_writer_init(struct sheet_writer *w, const char *sheet_name,
                       const struct sheet_column *cols, int ncols, const char *const *extra,
                       struct arena *a, struct error *e)
{
	const char **headers;
	int i, nextra = 0;

	while (extra && extra[nextra])
		nextra++;
	headers = arena_alloc(a, (size_t)(ncols + nextra + 1) * sizeof(*headers));
	for (i = 0; i < ncols; i++)
		headers[i] = cols[i].header;
	for (i = 0; i < nextra; i++)
		headers[ncols + i] = extra[i];
	return sheet_writer_init(w, sheet_name, headers, ncols + nextra, e);
}

const char *master_int_text(struct req *r, int64_t v)
{
	return arena_printf(&r->arena, "%lld", (long long)v);
}

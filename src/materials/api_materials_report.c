/*
 * api_materials_report.c - /materials/progress (the unit x item matrix and
 * rates, also as .xlsx), /materials/score (the prediction) and
 * /materials/package (the approved set as one zip, streamed from a temp file).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "app.h"
#include "auth/auth.h"
#include "core/log.h"
#include "export/pdf.h"
#include "files/blob.h"
#include "files/files.h"
#include "http/req.h"
#include "http/router.h"
#include "materials/materials.h"
#include "materials/materials_api.h"
#include "core/utf8.h"
#include "http/reply.h"
#include "org/org.h"
#include "spreadsheet/spreadsheet.h"
#include "store/store.h"

#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

/* Audit an export in a transaction of its own. */
static int audit_export(struct req *r, const char *action, int64_t framework_id, json_t *summary)
{
	struct error e;
	int rc;

	error_init(&e);
	rc = store_begin(r->db, 1, &e);
	if (!rc)
		rc = req_audit(r, r->db, action, "framework", framework_id, summary);
	else
		json_decref(summary);
	return req_tx_end(r, r->db, rc, &e);
}

/* ---- progress ---------------------------------------------------------------- */

struct unit_rate {
	int64_t unit_id;
	const char *name;
	int total, submitted, approved, returned, overdue;
};

static struct unit_rate *rate_of(struct unit_rate *list, int *n, int64_t id, const char *name)
{
	int i;

	for (i = 0; i < *n; i++)
		if (list[i].unit_id == id)
			return &list[i];
	memset(&list[*n], 0, sizeof(list[*n]));
	list[*n].unit_id = id;
	list[*n].name = name;
	return &list[(*n)++];
}

static void rate_count(struct unit_rate *u, const struct material_item *it, int overdue)
{
	u->total++;
	u->submitted += !strcmp(it->status, "submitted") || !strcmp(it->status, "approved");
	u->approved += !strcmp(it->status, "approved");
	u->returned += !strcmp(it->status, "returned");
	u->overdue += overdue;
}

static json_t *rates_json(const struct unit_rate *list, int n)
{
	json_t *arr = json_array();
	int i;

	for (i = 0; i < n; i++)
		json_array_append_new(
		    arr, json_pack("{s:I, s:s, s:i, s:i, s:i, s:i, s:i, s:f, s:f}", "unit_id",
		                   (json_int_t)list[i].unit_id, "name", list[i].name, "total",
		                   list[i].total, "submitted", list[i].submitted, "approved",
		                   list[i].approved, "returned", list[i].returned, "overdue",
		                   list[i].overdue, "completion_rate",
		                   list[i].total ? (double)list[i].submitted / list[i].total : 0.0,
		                   "approval_rate",
		                   list[i].total ? (double)list[i].approved / list[i].total : 0.0));
	return arr;
}

static int is_overdue(const struct material_item *it, const char *today)
{
	return material_days_left(today, it->deadline) < 0 && strcmp(it->status, "submitted") &&
	       strcmp(it->status, "approved");
}

static int progress_xlsx(struct req *r, int64_t fw, const struct material_item *items, int ni,
                         const struct material_cell *cells, int nc, const char *today)
{
	static const char *const headers[] = {"单位",     "角色", "材料编号",
	                                      "材料名称", "类型", "截止日期",
	                                      "剩余天数", "状态", "上传版本数"};
	struct sheet_writer w;
	struct error e;
	void *data = NULL;
	size_t len = 0;
	int i, k, rc;

	memset(&w, 0, sizeof(w));
	error_init(&e);
	rc = sheet_writer_init(&w, "申报进度", headers, 9, &e);
	if (!rc)
		rc = sheet_writer_title(&w, arena_printf(&r->arena, "网上申报材料进度 %s", today),
		                        &e);
	for (i = 0; !rc && i < nc; i++) {
		const struct material_item *it = NULL;
		const char *row[9];

		for (k = 0; k < ni; k++)
			if (items[k].id == cells[i].item_id)
				it = &items[k];
		if (!it)
			continue;
		row[0] = cells[i].unit_name;
		row[1] = !strcmp(cells[i].role, "lead") ? "牵头" : "责任";
		row[2] = it->code;
		row[3] = it->title;
		row[4] = material_type_title(it->type);
		row[5] = it->deadline;
		row[6] = arena_printf(&r->arena, "%d", material_days_left(today, it->deadline));
		row[7] = is_overdue(it, today) ? arena_printf(&r->arena, "%s（逾期）",
		                                              material_status_title(it->status))
		                               : material_status_title(it->status);
		row[8] = arena_printf(&r->arena, "%lld", (long long)cells[i].uploads);
		rc = sheet_writer_row_typed(&w, "sssssdnsn", row, &e);
	}
	if (!rc)
		rc = sheet_writer_finish(&w, &data, &len, &e);
	sheet_writer_release(&w);
	if (rc) {
		free(data);
		return req_fail_error(r, &e);
	}
	if (audit_export(r, "material.progress.export", fw, json_pack("{s:i}", "rows", nc))) {
		free(data);
		return r->err.code;
	}
	return http_reply_xlsx(r, data, len, "materials-progress", "申报材料进度");
}

/* GET /materials/progress?framework_id=&format=xlsx */
static int progress_get(struct req *r)
{
	struct material_filter f;
	struct material_item *items;
	struct material_cell *cells;
	struct unit_rate *units, *leads;
	struct scope s;
	struct error e;
	const char *format = req_query(r, "format");
	char today[11];
	int64_t fw, total;
	int ni, nc, nu = 0, nl = 0, i, k;
	json_t *ji, *jc;

	if (materials_framework_param(r, &fw))
		return r->err.code;
	materials_scope(r, "material:view", &s);
	memset(&f, 0, sizeof(f));
	f.scope = &s;
	f.framework_id = fw;
	error_init(&e);
	material_today(today);
	if (material_list(r->db, r->who->tenant_id, &f, &r->arena, &items, &ni, &total, &e) ||
	    material_cells(r->db, r->who->tenant_id, fw, &s, &r->arena, &cells, &nc, &e))
		return req_fail_error(r, &e);
	if (format && !strcmp(format, "xlsx"))
		return progress_xlsx(r, fw, items, ni, cells, nc, today);
	units = arena_alloc(&r->arena, sizeof(*units) * (size_t)(nc + 1));
	leads = arena_alloc(&r->arena, sizeof(*leads) * (size_t)(ni + 1));
	ji = json_array();
	for (i = 0; i < ni; i++) {
		json_t *j = material_item_json(&items[i], today);

		json_array_append_new(ji, j);
		rate_count(rate_of(leads, &nl, items[i].lead_unit_id, items[i].lead_unit_name),
		           &items[i], is_overdue(&items[i], today));
	}
	jc = json_array();
	for (i = 0; i < nc; i++) {
		const struct material_item *it = NULL;

		for (k = 0; k < ni; k++)
			if (items[k].id == cells[i].item_id) {
				it = &items[k];
				break;
			}
		if (!it)
			continue;
		rate_count(rate_of(units, &nu, cells[i].unit_id, cells[i].unit_name), it,
		           is_overdue(it, today));
		json_array_append_new(
		    jc, json_pack("{s:I, s:I, s:s, s:s, s:I, s:b}", "unit_id",
		                  (json_int_t)cells[i].unit_id, "item_id", (json_int_t)it->id,
		                  "role", cells[i].role, "status", it->status, "uploads",
		                  (json_int_t)cells[i].uploads, "overdue", is_overdue(it, today)));
	}
	return req_reply_json(r, 200,
	                      json_pack("{s:I, s:s, s:o, s:o, s:o, s:o}", "framework_id",
	                                (json_int_t)fw, "today", today, "items", ji, "cells", jc,
	                                "units", rates_json(units, nu), "lead_units",
	                                rates_json(leads, nl)));
}

/* ---- score ------------------------------------------------------------------- */

static int score_get(struct req *r)
{
	struct error e;
	int64_t fw;
	json_t *out;

	if (materials_framework_param(r, &fw))
		return r->err.code;
	error_init(&e);
	if (materials_score(r->db, r->who->tenant_id, fw, &r->arena, &out, &e))
		return req_fail_error(r, &e);
	return req_reply_json(r, 200, out);
}

/* ---- the package ------------------------------------------------------------- */

/* A file or folder name from text: no separators, control characters or leading dots. */
static const char *safe_name(struct arena *a, const char *in, size_t max)
{
	char *out = arena_strdup(a, in ? in : "");
	size_t i, j = 0;

	for (i = 0; out[i] && j < max; i++) {
		unsigned char ch = (unsigned char)out[i];

		if (ch < 0x20 || ch == 0x7f || strchr("/\\:*?\"<>|", ch))
			out[j++] = '_';
		else if (!(j == 0 && (ch == '.' || ch == ' ')))
			out[j++] = (char)ch;
	}
	while (j > 0 && ((unsigned char)out[j - 1] & 0xc0) == 0x80 && j == max)
		j--; /* do not end inside a character */
	if (j > 0 && j == max) {
		while (j > 0 && ((unsigned char)out[j - 1] & 0xc0) == 0x80)
			j--;
		if (j > 0 && ((unsigned char)out[j - 1] & 0x80))
			j--;
	}
	out[j] = '\0';
	return *out ? out : "_";
}

struct pkg_entry {
	const struct material_item *it;
	int64_t version_number, file_id;
	const char *path, *name, *rating;
};

/* Write len bytes to a new file path; 0 or -1. */
static int write_file(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	const char *p = data;

	if (fd < 0)
		return -1;
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			close(fd);
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return close(fd);
}

static int add_buffer(zip_t *z, const char *name, void *data, size_t len)
{
	zip_source_t *src = zip_source_buffer(z, data, len, 1);

	if (!src) {
		free(data);
		return -1;
	}
	if (zip_file_add(z, name, src, ZIP_FL_ENC_UTF_8) < 0) {
		zip_source_free(src);
		return -1;
	}
	return 0;
}

/* The index as .xlsx and .pdf, added to z. */
static int add_indexes(struct req *r, zip_t *z, const struct pkg_entry *ents, int n,
                       const char *title, struct error *e)
{
	static const char *const headers[] = {"序号",     "标准", "材料编号", "材料名称", "类型",
	                                      "牵头单位", "版本", "评定",     "文件"};
	static const double widths[] = {10, 16, 18, 34, 16, 22, 10, 14, 30};
	struct sheet_writer w;
	struct pdf_doc d = PDF_DOC_INIT;
	const char **cells = arena_alloc(&r->arena, sizeof(*cells) * 9 * (size_t)(n + 1));
	void *data = NULL;
	size_t len = 0;
	int i, rc;

	for (i = 0; i < n; i++) {
		const char **row = cells + 9 * i;

		row[0] = arena_printf(&r->arena, "%d", i + 1);
		row[1] = ents[i].it->standard_code;
		row[2] = ents[i].it->code;
		row[3] = ents[i].it->title;
		row[4] = material_type_title(ents[i].it->type);
		row[5] = ents[i].it->lead_unit_name;
		row[6] = arena_printf(&r->arena, "第%lld版", (long long)ents[i].version_number);
		row[7] = material_rating_title(ents[i].rating)
		             ? material_rating_title(ents[i].rating)
		             : "";
		row[8] = ents[i].path;
	}
	memset(&w, 0, sizeof(w));
	rc = sheet_writer_init(&w, "目录", headers, 9, e);
	if (!rc)
		rc = sheet_writer_title(&w, title, e);
	for (i = 0; !rc && i < n; i++)
		rc = sheet_writer_row_typed(&w, "n", cells + 9 * i, e);
	if (!rc)
		rc = sheet_writer_finish(&w, &data, &len, e);
	sheet_writer_release(&w);
	if (!rc && add_buffer(z, "目录.xlsx", data, len))
		rc = error_set(e, ERR_INTERNAL, NULL, "zip: %s", zip_strerror(z));
	if (rc)
		return rc;
	data = NULL;
	rc = pdf_init(&d, title, e);
	if (!rc) {
		pdf_heading(&d, 1, title);
		pdf_paragraph(&d,
		              arena_printf(&r->arena,
		                           "共 %d 个文件。评定：完全符合计满分，基本符合计 %.0f%%，"
		                           "不符合或缺失不计分。",
		                           n, MAT_PARTIAL_SHARE * 100));
		rc = pdf_table(&d, 9, headers, widths, n, cells, e);
	}
	if (!rc)
		rc = pdf_finish(&d, &data, &len, e);
	pdf_release(&d);
	if (!rc && add_buffer(z, "目录.pdf", data, len))
		rc = error_set(e, ERR_INTERNAL, NULL, "zip: %s", zip_strerror(z));
	return rc;
}

/* Remove the temp files under dir and dir itself. */
static void remove_dir(const char *dir, int nfiles)
{
	char path[1200];
	int i;

	for (i = 0; i < nfiles; i++) {
		snprintf(path, sizeof(path), "%s/%d", dir, i);
		unlink(path);
	}
	rmdir(dir);
}

/*
 * GET /materials/package?framework_id=: the approved version of every
 * approved item, laid out as "<standard code> <type>/<item code> <title>/
 * NN <file name>", with 目录.xlsx and 目录.pdf.  Each file passes through a
 * temp file under data_dir/tmp so libzip reads it from disk when it writes
 * the archive (also a temp file), which is then streamed: memory holds one
 * file at a time, never the set.
 */
static int package_get(struct req *r)
{
	struct material_filter f;
	struct material_item *items;
	struct pkg_entry *ents;
	struct material_pkg_file *pf;
	struct scope s;
	struct error e;
	struct stat st;
	char dir[1100], zpath[1200];
	const char *title;
	int64_t fw, total;
	int ni, npf, k, n = 0, cap = 0, i, rc, fd = -1, zerr;
	zip_t *z = NULL;

	if (materials_framework_param(r, &fw))
		return r->err.code;
	materials_scope(r, "material:export", &s);
	memset(&f, 0, sizeof(f));
	f.scope = &s;
	f.framework_id = fw;
	f.status = "approved";
	error_init(&e);
	if (material_list(r->db, r->who->tenant_id, &f, &r->arena, &items, &ni, &total, &e) ||
	    material_package_files(r->db, r->who->tenant_id, fw, &r->arena, &pf, &npf, &e))
		return req_fail_error(r, &e);
	snprintf(dir, sizeof(dir), "%s/tmp", r->app->cfg.data_dir);
	mkdir(dir, 0750);
	snprintf(dir, sizeof(dir), "%s/tmp/package-XXXXXX", r->app->cfg.data_dir);
	if (!mkdtemp(dir))
		return req_fail(r, ERR_UNAVAILABLE, NULL, "服务器暂时无法生成材料包，请稍后再试");
	snprintf(zpath, sizeof(zpath), "%s/package.zip", dir);
	z = zip_open(zpath, ZIP_CREATE | ZIP_EXCL, &zerr);
	if (!z) {
		rmdir(dir);
		return req_fail(r, ERR_UNAVAILABLE, NULL, "服务器暂时无法生成材料包，请稍后再试");
	}
	ents = arena_grow(&r->arena, NULL, 0, &cap, sizeof(*ents));
	rc = 0;
	for (k = 0; !rc && k < npf; k++) {
		const struct material_item *it = NULL;
		const struct blob_methods *bm = blob_by_name(pf[k].storage);
		struct blob_ctx bx = {r->app->cfg.data_dir, r->db};
		struct arena scratch;
		char tmp[1200];
		void *data;
		size_t len;
		zip_source_t *src;
		zip_int64_t idx;
		int64_t item_id = pf[k].item_id;

		for (i = 0; i < ni; i++)
			if (items[i].id == item_id)
				it = &items[i];
		if (!it) /* outside the caller's scope */
			continue;
		ents = arena_grow(&r->arena, ents, n, &cap, sizeof(*ents));
		ents[n].it = it;
		ents[n].version_number = pf[k].version_number;
		ents[n].file_id = pf[k].file_id;
		ents[n].rating = it->rating;
		ents[n].name = safe_name(&r->arena, pf[k].name, 120);
		ents[n].path = arena_printf(
		    &r->arena, "%s %s/%s %s/%02d %s", safe_name(&r->arena, it->standard_code, 40),
		    material_type_title(it->type), safe_name(&r->arena, it->code, 40),
		    safe_name(&r->arena, it->title, 90), n + 1, ents[n].name);
		if (!bm) {
			rc = error_set(&e, ERR_INTERNAL, NULL, "unknown blob storage");
			break;
		}
		arena_init(&scratch);
		rc = bm->get(&bx, pf[k].storage_key, &scratch, &data, &len, &e);
		snprintf(tmp, sizeof(tmp), "%s/%d", dir, n);
		if (!rc && write_file(tmp, data, len))
			rc = error_set(&e, ERR_UNAVAILABLE, NULL, "服务器磁盘写入失败");
		arena_release(&scratch);
		if (rc)
			break;
		n++;
		src = zip_source_file(z, tmp, 0, -1);
		idx = src ? zip_file_add(z, ents[n - 1].path, src, ZIP_FL_ENC_UTF_8) : -1;
		if (idx < 0) {
			if (src)
				zip_source_free(src);
			rc = error_set(&e, ERR_INTERNAL, NULL, "zip: %s", zip_strerror(z));
			break;
		}
		/* pdf, docx, xlsx and photos are compressed already */
		zip_set_file_compression(z, (zip_uint64_t)idx, ZIP_CM_STORE, 0);
	}
	if (rc == 0) {
		title = arena_printf(&r->arena, "网上申报材料目录（已通过 %d 项）", ni);
		rc = add_indexes(r, z, ents, n, title, &e);
	}
	if (rc < 0 && !e.code)
		error_set(&e, rc, NULL, NULL);
	if (rc) {
		zip_discard(z);
		remove_dir(dir, n);
		return req_fail_error(r, &e);
	}
	if (zip_close(z) < 0) {
		log_error("req %s: zip_close: %s", r->id, zip_strerror(z));
		zip_discard(z);
		remove_dir(dir, n);
		return req_fail(r, ERR_UNAVAILABLE, NULL, "服务器暂时无法生成材料包，请稍后再试");
	}
	fd = open(zpath, O_RDONLY);
	unlink(zpath);
	remove_dir(dir, n);
	if (fd < 0 || fstat(fd, &st)) {
		if (fd >= 0)
			close(fd);
		return req_fail(r, ERR_UNAVAILABLE, NULL, "服务器暂时无法生成材料包，请稍后再试");
	}
	if (audit_export(r, "material.package", fw,
	                 json_pack("{s:i, s:i, s:I}", "items", ni, "files", n, "bytes",
	                           (json_int_t)st.st_size))) {
		close(fd);
		return r->err.code;
	}
	return req_reply_fd(r, "application/zip", fd, (size_t)st.st_size, "materials-package.zip",
	                    "网上申报材料包.zip");
}

void materials_report_routes(struct router *rt)
{
	router_add(rt, "GET", "/api/v1/materials/progress", progress_get, "material:view", 0);
	router_add(rt, "GET", "/api/v1/materials/score", score_get, "material:export", 0);
	router_add(rt, "GET", "/api/v1/materials/package", package_get, "material:export", 0);
}

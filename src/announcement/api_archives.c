/*
 * api_archives.c - /archives (资料归档): the office sets the documents each
 * unit kind must keep (方案, 会议记录, 宣传资料, 承诺书 ...); a unit files
 * documents against them; completeness per unit, who is missing what, and
 * that list as .xlsx.  A unit reaches only its own archive (404 otherwise).
 * Reading needs plan:view, setting requirements plan:edit, filing plan:report.
 */
#include <string.h>

#include "announcement/announcement.h"
#include "announcement/announcement_api.h"
#include "app.h"
#include "auth/auth.h"
#include "core/clock.h"
#include "http/json_io.h"
#include "http/reply.h"
#include "http/req.h"
#include "http/router.h"
#include "org/org.h"
#include "spreadsheet/spreadsheet.h"
#include "store/store.h"

static json_t *req_json(const struct archive_requirement *q)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:I}", "id", (json_int_t)q->id, "unit_kind",
	                 q->unit_kind, "unit_kind_name", unit_kind_title(q->unit_kind), "title",
	                 q->title, "note", q->note, "sort", (json_int_t)q->sort);
}

/* GET /archives/requirements?kind= */
static int requirements_list(struct req *r)
{
	struct archive_requirement *list;
	struct error e;
	const char *kind = req_query(r, "kind");
	json_t *items;
	int i, n;

	error_init(&e);
	if (!req_db(r))
		return r->err.code;
	if (archive_requirements(r->db, r->who->tenant_id, kind && *kind ? kind : NULL, &r->arena,
	                         &list, &n, &e))
		return req_fail_error(r, &e);
	items = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(items, req_json(&list[i]));
	return req_reply_json(r, 200, json_pack("{s:o, s:i}", "items", items, "total", n));
}

/* POST /archives/requirements {unit_kind, title, note, sort} */
static int requirements_create(struct req *r)
{
	static const char *const fields[] = {"unit_kind", "title", "note", "sort", NULL};
	struct archive_requirement q;
	struct error e;
	json_t *body;
	int rc;

	memset(&q, 0, sizeof(q));
	q.note = "";
	error_init(&e);
	if (req_body_json(r, &body) || !req_db(r))
		return r->err.code;
	if (json_only_keys(body, fields, &e) ||
	    json_get_string(body, "unit_kind", JF_REQUIRED, 1, 32, &q.unit_kind, &e) ||
	    json_get_string(body, "title", JF_REQUIRED, 1, ARCHIVE_TITLE_MAX, &q.title, &e) ||
	    json_get_string(body, "note", JF_NULLABLE, 0, ARCHIVE_NOTE_MAX, &q.note, &e) ||
	    json_get_int(body, "sort", JF_NULLABLE, 0, 100000, &q.sort, &e))
		return req_fail_error(r, &e);
	if (!unit_kind_key(q.unit_kind) || strcmp(unit_kind_key(q.unit_kind), q.unit_kind))
		return req_fail(r, ERR_INVALID, "unit_kind", "单位类型 %s 不存在", q.unit_kind);
	q.tenant_id = r->who->tenant_id;
	q.created_at = time_now_ms();
	if (store_begin(r->db, 1, &e))
		return req_fail_error(r, &e);
	rc = archive_requirement_insert(r->db, &q, &e);
	if (!rc)
		rc = req_audit(r, r->db, "archive.requirement.create", "archive_requirement", q.id,
		               json_pack("{s:s, s:s}", "unit_kind", q.unit_kind, "title", q.title));
	if (req_tx_end(r, r->db, rc, &e))
		return r->err.code;
	return req_reply_json(r, 201, req_json(&q));
}

/* DELETE /archives/requirements/{id} */
static int requirements_delete(struct req *r)
{
	struct archive_requirement q;
	struct error e;
	int64_t id;
	int rc;

	error_init(&e);
	if (req_param_id(r, "id", &id) || !req_db(r))
		return r->err.code;
	if (store_begin(r->db, 1, &e))
		return req_fail_error(r, &e);
	rc = archive_requirement_get(r->db, r->who->tenant_id, id, &r->arena, &q, &e);
	if (!rc)
		rc = archive_requirement_delete(r->db, r->who->tenant_id, id, &e);
	if (!rc)
		rc = req_audit(r, r->db, "archive.requirement.delete", "archive_requirement", id,
		               json_pack("{s:s, s:s}", "unit_kind", q.unit_kind, "title", q.title));
	if (req_tx_end(r, r->db, rc, &e))
		return r->err.code;
	return req_reply_empty(r);
}

/* Completeness of every unit in the caller's scope whose kind has requirements. */
struct completeness {
	const struct unit *unit;
	int required, filed;
	const char **missing;
	int nmissing;
};

static int completeness(struct req *r, struct completeness **out, int *n)
{
	struct archive_requirement *reqs;
	struct archive_cell *cells;
	struct unit *units;
	struct scope s;
	struct error e;
	int nreqs, ncells, nunits, i, k, m;

	error_init(&e);
	*n = 0;
	if (!req_db(r))
		return r->err.code;
	ann_api_scope(r, &s);
	if (archive_requirements(r->db, r->who->tenant_id, NULL, &r->arena, &reqs, &nreqs, &e) ||
	    archive_matrix(r->db, r->who->tenant_id, &r->arena, &cells, &ncells, &e) ||
	    unit_all(r->db, r->who->tenant_id, &r->arena, &units, &nunits, &e))
		return req_fail_error(r, &e);
	*out = arena_calloc(&r->arena, (size_t)(nunits ? nunits : 1) * sizeof(**out));
	for (i = 0; i < nunits; i++) {
		struct completeness *c = &(*out)[*n];

		if (!units[i].enabled || !scope_covers_unit(&s, units[i].id, units[i].ancestors))
			continue;
		c->unit = &units[i];
		c->missing = arena_alloc(&r->arena, (size_t)(nreqs ? nreqs : 1) * sizeof(char *));
		for (k = 0; k < nreqs; k++) {
			int have = 0;

			if (strcmp(reqs[k].unit_kind, units[i].kind))
				continue;
			c->required++;
			for (m = 0; m < ncells && !have; m++)
				have = cells[m].unit_id == units[i].id &&
				       cells[m].requirement_id == reqs[k].id;
			if (have)
				c->filed++;
			else
				c->missing[c->nmissing++] = reqs[k].title;
		}
		if (c->required)
			(*n)++;
	}
	return 0;
}

/* GET /archives: completeness per unit and who is missing what. */
static int archives_overview(struct req *r)
{
	struct completeness *rows;
	json_t *items;
	int i, k, n, complete = 0;

	if (completeness(r, &rows, &n))
		return r->err.code;
	items = json_array();
	for (i = 0; i < n; i++) {
		json_t *missing = json_array();

		for (k = 0; k < rows[i].nmissing; k++)
			json_array_append_new(missing, json_string(rows[i].missing[k]));
		complete += rows[i].nmissing == 0;
		json_array_append_new(
		    items, json_pack("{s:I, s:s, s:s, s:s, s:i, s:i, s:i, s:o}", "unit_id",
		                     (json_int_t)rows[i].unit->id, "unit_name", rows[i].unit->name,
		                     "unit_kind", rows[i].unit->kind, "unit_kind_name",
		                     unit_kind_title(rows[i].unit->kind), "required",
		                     rows[i].required, "filed", rows[i].filed, "percent",
		                     rows[i].filed * 100 / rows[i].required, "missing", missing));
	}
	return req_reply_json(
	    r, 200, json_pack("{s:o, s:i, s:i}", "items", items, "total", n, "complete", complete));
}

/* GET /archives/missing.xlsx: one row per unit and missing document. */
static int archives_missing_xlsx(struct req *r)
{
	static const char *const headers[] = {"单位", "单位类型", "缺少的资料", "已归档", "应归档"};
	struct completeness *rows;
	struct sheet_writer w;
	struct error e;
	int i, k, n, nrows = 0, rc;

	if (completeness(r, &rows, &n))
		return r->err.code;
	error_init(&e);
	rc = sheet_writer_init(&w, "资料归档缺项", headers, 5, &e);
	if (!rc)
		rc = sheet_writer_title(&w, "资料归档缺项清单", &e);
	for (i = 0; !rc && i < n; i++)
		for (k = 0; !rc && k < rows[i].nmissing; k++) {
			const char *cells[5];

			cells[0] = rows[i].unit->name;
			cells[1] = unit_kind_title(rows[i].unit->kind);
			cells[2] = rows[i].missing[k];
			cells[3] = arena_printf(&r->arena, "%d", rows[i].filed);
			cells[4] = arena_printf(&r->arena, "%d", rows[i].required);
			rc = sheet_writer_row_typed(&w, "sssnn", cells, &e);
			nrows++;
		}
	return http_reply_export(r, &w, rc, &e, "archive.export", "archive",
	                         json_pack("{s:i}", "rows", nrows), "archive-missing",
	                         "资料归档缺项");
}

/* The unit {id} within the caller's plan:view scope (404 otherwise). */
static int load_unit(struct req *r, struct unit *u)
{
	struct scope s;
	struct error e;
	int64_t id;

	error_init(&e);
	if (req_param_id(r, "id", &id) || !req_db(r))
		return r->err.code;
	ann_api_scope(r, &s);
	if (unit_get(r->db, r->who->tenant_id, &s, id, &r->arena, u, &e))
		return req_fail(r, ERR_NOT_FOUND, NULL, "单位不存在");
	return 0;
}

/* GET /archives/units/{id}: the unit's requirements and what it filed against each. */
static int archives_unit(struct req *r)
{
	struct archive_requirement *reqs;
	struct archive_document *docs;
	struct error e;
	struct unit u;
	json_t *items;
	int nreqs, ndocs, i, k, filed = 0;

	error_init(&e);
	if (load_unit(r, &u))
		return r->err.code;
	if (archive_requirements(r->db, r->who->tenant_id, u.kind, &r->arena, &reqs, &nreqs, &e) ||
	    archive_documents(r->db, r->who->tenant_id, u.id, &r->arena, &docs, &ndocs, &e))
		return req_fail_error(r, &e);
	items = json_array();
	for (i = 0; i < nreqs; i++) {
		json_t *j = req_json(&reqs[i]), *list = json_array();

		for (k = 0; k < ndocs; k++) {
			json_t *d, *files;

			if (docs[k].requirement_id != reqs[i].id)
				continue;
			files = ann_files_json(r, &docs[k].file_id, 1);
			d = json_pack(
			    "{s:I, s:I, s:s, s:s, s:I, s:O}", "id", (json_int_t)docs[k].id,
			    "file_id", (json_int_t)docs[k].file_id, "note", docs[k].note,
			    "user_name", docs[k].user_name, "created_at",
			    (json_int_t)docs[k].created_at, "file",
			    json_array_size(files) ? json_array_get(files, 0) : json_null());
			json_decref(files);
			json_array_append_new(list, d);
		}
		filed += json_array_size(list) > 0;
		json_object_set_new(j, "documents", list);
		json_array_append_new(items, j);
	}
	return req_reply_json(r, 200,
	                      json_pack("{s:I, s:s, s:s, s:s, s:o, s:i, s:i}", "unit_id",
	                                (json_int_t)u.id, "unit_name", u.name, "unit_kind", u.kind,
	                                "unit_kind_name", unit_kind_title(u.kind), "requirements",
	                                items, "required", nreqs, "filed", filed));
}

/* POST /archives/units/{id}/documents {requirement_id, file_id, note} */
static int archives_file(struct req *r)
{
	static const char *const fields[] = {"requirement_id", "file_id", "note", NULL};
	struct archive_document d;
	struct error e;
	struct unit u;
	json_t *body;
	int rc;

	memset(&d, 0, sizeof(d));
	d.note = "";
	error_init(&e);
	if (req_body_json(r, &body) || load_unit(r, &u))
		return r->err.code;
	if (json_only_keys(body, fields, &e) ||
	    json_get_int(body, "requirement_id", JF_REQUIRED, 1, INT64_MAX, &d.requirement_id,
	                 &e) ||
	    json_get_int(body, "file_id", JF_REQUIRED, 1, INT64_MAX, &d.file_id, &e) ||
	    json_get_string(body, "note", JF_NULLABLE, 0, ARCHIVE_NOTE_MAX, &d.note, &e))
		return req_fail_error(r, &e);
	d.unit_id = u.id;
	d.user_id = r->who->user_id;
	d.created_at = time_now_ms();
	if (store_begin(r->db, 1, &e))
		return req_fail_error(r, &e);
	rc = archive_file(r->db, r->who->tenant_id, &d, &e);
	if (!rc)
		rc = req_audit(r, r->db, "archive.file", "archive_document", d.id,
		               json_pack("{s:I, s:I, s:I}", "unit_id", (json_int_t)u.id,
		                         "requirement_id", (json_int_t)d.requirement_id, "file_id",
		                         (json_int_t)d.file_id));
	if (req_tx_end(r, r->db, rc, &e))
		return r->err.code;
	return req_reply_json(r, 201,
	                      json_pack("{s:I, s:I, s:I, s:I, s:s, s:I}", "id", (json_int_t)d.id,
	                                "unit_id", (json_int_t)u.id, "requirement_id",
	                                (json_int_t)d.requirement_id, "file_id",
	                                (json_int_t)d.file_id, "note", d.note, "created_at",
	                                (json_int_t)d.created_at));
}

/* DELETE /archives/units/{id}/documents/{doc} */
static int archives_unfile(struct req *r)
{
	struct error e;
	struct unit u;
	int64_t doc;
	int rc;

	error_init(&e);
	if (load_unit(r, &u) || req_param_id(r, "doc", &doc))
		return r->err.code;
	if (store_begin(r->db, 1, &e))
		return req_fail_error(r, &e);
	rc = archive_document_delete(r->db, r->who->tenant_id, u.id, doc, &e);
	if (!rc)
		rc = req_audit(r, r->db, "archive.unfile", "archive_document", doc,
		               json_pack("{s:I}", "unit_id", (json_int_t)u.id));
	if (req_tx_end(r, r->db, rc, &e))
		return r->err.code;
	return req_reply_empty(r);
}

void archive_routes(struct router *rt)
{
	router_add(rt, "GET", "/api/v1/archives", archives_overview, "plan:view", 0);
	router_add(rt, "GET", "/api/v1/archives/missing.xlsx", archives_missing_xlsx, "plan:view",
	           0);
	router_add(rt, "GET", "/api/v1/archives/requirements", requirements_list, "plan:view", 0);
	router_add(rt, "POST", "/api/v1/archives/requirements", requirements_create, "plan:edit",
	           0);
	router_add(rt, "DELETE", "/api/v1/archives/requirements/{id}", requirements_delete,
	           "plan:edit", 0);
	router_add(rt, "GET", "/api/v1/archives/units/{id}", archives_unit, "plan:view", 0);
	router_add(rt, "POST", "/api/v1/archives/units/{id}/documents", archives_file,
	           "plan:report", 0);
	router_add(rt, "DELETE", "/api/v1/archives/units/{id}/documents/{doc}", archives_unfile,
	           "plan:report", 0);
}

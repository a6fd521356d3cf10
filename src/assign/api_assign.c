/*
 * api_assign.c - /sheets: assignment sheets (交办单).  The office batches
 * assigned problems of one unit into a numbered sheet (problem:assign), anyone
 * who sees the sheet reads or prints it as a PDF (problem:view), and the unit
 * signs for it online (problem:rectify within the unit).  Create and sign
 * write their audit row in the same transaction.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "assign/assign.h"
#include "auth/auth.h"
#include "core/clock.h"
#include "export/pdf.h"
#include "files/blob.h"
#include "files/files.h"
#include "http/json_io.h"
#include "http/multipart.h"
#include "http/reply.h"
#include "http/req.h"
#include "http/router.h"
#include "org/org.h"
#include "problem/problem.h"
#include "problem/problem_rules.h"
#include "settings/settings.h"
#include "store/store.h"

#define SHEET_PHOTOS_PER_PROBLEM 2
#define SHEET_PHOTO_PX           640

static json_t *id_or_null(int64_t id)
{
	return id ? json_integer(id) : json_null();
}

static json_t *sheet_json(const struct assign_sheet *s)
{
	json_t *j =
	    json_pack("{s:I, s:s, s:I, s:s, s:I, s:s, s:b, s:I}", "id", (json_int_t)s->id, "number",
	              s->number, "unit_id", (json_int_t)s->unit_id, "unit_name", s->unit_name,
	              "created_at", (json_int_t)s->created_at, "note", s->note, "signed",
	              s->signed_at != 0, "problem_count", (json_int_t)s->problem_count);

	json_object_set_new(j, "created_by", id_or_null(s->created_by));
	json_object_set_new(j, "created_by_name",
	                    s->created_by ? json_string(s->created_by_name) : json_null());
	json_object_set_new(j, "signed_by", id_or_null(s->signed_by));
	json_object_set_new(j, "signed_by_name",
	                    s->signed_by ? json_string(s->signed_by_name) : json_null());
	json_object_set_new(j, "signed_at", id_or_null(s->signed_at));
	json_object_set_new(j, "pdf_url",
	                    json_sprintf("/api/v1/sheets/%lld/pdf", (long long)s->id));
	return j;
}

/* The problems of sheet s, in order (read without scope: the sheet was checked). */
static int sheet_problems(struct req *r, const struct assign_sheet *s, struct problem **out, int *n)
{
	struct error e;
	int64_t *ids;
	int i, k;

	error_init(&e);
	*n = 0;
	if (assign_db_problem_ids(r->db, s->id, &r->arena, &ids, &k, &e))
		return req_fail_error(r, &e);
	*out = arena_alloc(&r->arena, (size_t)(k ? k : 1) * sizeof(**out));
	for (i = 0; i < k; i++) {
		if (problem_get(r->db, s->tenant_id, NULL, ids[i], &r->arena, &(*out)[*n], &e))
			return req_fail_error(r, &e);
		(*n)++;
	}
	return 0;
}

/* 1 when the caller is a user of the sheet's unit (problem_unit_actor): who signs it. */
static int unit_in_rectify_scope(struct req *r, const struct assign_sheet *s)
{
	struct problem_caller who;
	struct scope sc;

	memset(&who, 0, sizeof(who));
	principal_scope(r->who, "problem:rectify", &r->arena, &sc);
	who.unit_id = r->who->unit_id;
	who.rectify = &sc;
	return problem_unit_actor(&who, s->unit_id, s->unit_ancestors);
}

static int sheet_reply(struct req *r, const struct assign_sheet *s, int status)
{
	struct problem *ps;
	json_t *j, *items;
	int64_t now = time_now_ms();
	int i, n;

	if (sheet_problems(r, s, &ps, &n))
		return r->err.code;
	items = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(items, problem_json(&ps[i], now));
	j = sheet_json(s);
	json_object_set_new(j, "problems", items);
	json_object_set_new(j, "can_sign",
	                    json_boolean(!s->signed_by &&
	                                 principal_has(r->who, "problem:rectify") &&
	                                 unit_in_rectify_scope(r, s)));
	return req_reply_json(r, status, j);
}

/* ---- create ------------------------------------------------------------------------ */

static int problem_ids_field(struct req *r, json_t *body, int64_t *ids, int *n)
{
	json_t *arr = json_object_get(body, "problem_ids"), *v;
	size_t i;
	int k;

	*n = 0;
	if (!json_is_array(arr) || json_array_size(arr) == 0)
		return req_fail(r, ERR_INVALID, "problem_ids",
		                "problem_ids 应为问题编号的非空数组");
	if (json_array_size(arr) > ASSIGN_MAX_PROBLEMS)
		return req_fail(r, ERR_INVALID, "problem_ids", "一张交办单最多 %d 个问题",
		                ASSIGN_MAX_PROBLEMS);
	json_array_foreach(arr, i, v)
	{
		if (!json_is_integer(v) || json_integer_value(v) < 1)
			return req_fail(r, ERR_INVALID, "problem_ids",
			                "problem_ids 应为问题编号的数组");
		for (k = 0; k < *n; k++)
			if (ids[k] == json_integer_value(v))
				return req_fail(r, ERR_INVALID, "problem_ids", "问题 %lld 重复",
				                (long long)ids[k]);
		ids[(*n)++] = json_integer_value(v);
	}
	return 0;
}

/* POST /sheets */
static int sheets_create(struct req *r)
{
	static const char *const fields[] = {"unit_id", "problem_ids", "note", NULL};
	int64_t ids[ASSIGN_MAX_PROBLEMS], no = 0, now = time_now_ms();
	struct assign_sheet s, out;
	struct strbuf bad = STRBUF_INIT;
	struct problem p;
	struct error e;
	json_t *body, *badids, *summary;
	struct tenant_settings set;
	char number[SETTINGS_SHEET_FORMAT_MAX + 32];
	int n = 0, i, rc, year;

	memset(&s, 0, sizeof(s));
	s.note = "";
	error_init(&e);
	if (req_body_json(r, &body))
		return r->err.code;
	if (json_only_keys(body, fields, &e) ||
	    json_get_int(body, "unit_id", JF_REQUIRED, 1, INT64_MAX, &s.unit_id, &e) ||
	    json_get_string(body, "note", JF_NULLABLE, 0, ASSIGN_NOTE_MAX, &s.note, &e))
		return req_fail_error(r, &e);
	if (problem_ids_field(r, body, ids, &n) || !req_db(r))
		return r->err.code;
	s.tenant_id = r->who->tenant_id;
	s.created_by = r->who->user_id;
	s.created_at = now;
	if (store_begin(r->db, 1, &e))
		return req_fail_error(r, &e);
	badids = json_array();
	for (i = 0; i < n; i++) {
		rc = problem_get(r->db, s.tenant_id, NULL, ids[i], &r->arena, &p, &e);
		if (rc && rc != ERR_NOT_FOUND) {
			json_decref(badids);
			return req_tx_end(r, r->db, rc, &e);
		}
		error_init(&e);
		if (rc || p.lead_unit_id != s.unit_id ||
		    (p.status != PS_ASSIGNED && p.status != PS_RECTIFYING &&
		     p.status != PS_REWORK)) {
			strbuf_addf(&bad, "%s%lld", bad.len ? "、" : "", (long long)ids[i]);
			json_array_append_new(badids, json_integer(ids[i]));
		}
	}
	if (bad.len) {
		req_fail(r, ERR_INVALID, "problem_ids",
		         "问题 %s 不存在、不在该单位名下或不在待整改状态", bad.buf);
		strbuf_release(&bad);
		json_decref(badids);
		return req_tx_end(r, r->db, ERR_INVALID, &e);
	}
	json_decref(badids);
	year = problem_year(now, problem_api_minutes(r));
	rc = assign_db_next_number(r->db, s.tenant_id, year, &no, &e);
	/* numbered as the office set on 参数设置 (交办〔{YYYY}〕{NNN} by default) */
	if (rc == 0)
		rc = settings_get(r->db, s.tenant_id, &r->arena, &set, &e);
	if (rc == 0)
		rc = settings_sheet_number(set.sheet_number_format, year, (long long)no, number,
		                           sizeof(number), &e);
	if (rc == 0) {
		s.number = arena_strdup(&r->arena, number);
		rc = assign_db_insert(r->db, &s, &e);
	}
	for (i = 0; rc == 0 && i < n; i++)
		rc = assign_db_add_problem(r->db, s.id, ids[i], i, &e);
	if (rc == 0) {
		summary = json_pack("{s:s, s:I, s:i}", "number", s.number, "unit_id",
		                    (json_int_t)s.unit_id, "problems", n);
		rc = req_audit(r, r->db, "sheet.create", "sheet", s.id, summary);
	}
	if (req_tx_end(r, r->db, rc, &e))
		return r->err.code;
	if (assign_db_get(r->db, s.tenant_id, NULL, s.id, &r->arena, &out, &e))
		return req_fail_error(r, &e);
	return sheet_reply(r, &out, 201);
}

/* ---- list, get ------------------------------------------------------------------------ */

static void view_scope(struct req *r, struct scope *s)
{
	principal_scope(r->who, "problem:view", &r->arena, s);
}

/* GET /sheets */
static int sheets_list(struct req *r)
{
	const char *sg = req_query(r, "signed");
	struct assign_filter f;
	struct assign_sheet *list;
	struct scope s;
	struct error e;
	int64_t total = 0;
	json_t *items;
	int i, n;

	memset(&f, 0, sizeof(f));
	f.signed_ = -1;
	if (req_page(r, &f.offset, &f.limit) || !req_db(r) ||
	    http_query_id(r, "unit_id", &f.unit_id))
		return r->err.code;
	if (sg && *sg) {
		if (!strcmp(sg, "1") || !strcmp(sg, "true"))
			f.signed_ = 1;
		else if (!strcmp(sg, "0") || !strcmp(sg, "false"))
			f.signed_ = 0;
		else
			return req_fail(r, ERR_INVALID, "signed", "参数 signed 应为 1 或 0");
	}
	view_scope(r, &s);
	f.scope = &s;
	error_init(&e);
	if (assign_db_list(r->db, r->who->tenant_id, &f, &r->arena, &list, &n, &total, &e))
		return req_fail_error(r, &e);
	items = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(items, sheet_json(&list[i]));
	return req_reply_json(r, 200,
	                      json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)total));
}

/* The sheet {id} within the caller's view scope. */
static int load_sheet(struct req *r, struct assign_sheet *out)
{
	struct scope s;
	struct error e;
	int64_t id;

	if (req_param_id(r, "id", &id) || !req_db(r))
		return r->err.code;
	view_scope(r, &s);
	error_init(&e);
	if (assign_db_get(r->db, r->who->tenant_id, &s, id, &r->arena, out, &e))
		return req_fail_error(r, &e);
	return 0;
}

/* GET /sheets/{id} */
static int sheets_get(struct req *r)
{
	struct assign_sheet s;

	if (load_sheet(r, &s))
		return r->err.code;
	return sheet_reply(r, &s, 200);
}

/* POST /sheets/{id}/sign */
static int sheets_sign(struct req *r)
{
	struct assign_sheet s;
	struct error e;
	int64_t now = time_now_ms();
	int rc;

	if (load_sheet(r, &s))
		return r->err.code;
	/* the unit signs its sheet; the office, which sees every sheet, may not (issue 13) */
	if (!unit_in_rectify_scope(r, &s))
		return req_fail(r, ERR_FORBIDDEN, NULL, "只有「%s」的用户可以签收这份交办单",
		                s.unit_name ? s.unit_name : "");
	error_init(&e);
	if (store_begin(r->db, 1, &e))
		return req_fail_error(r, &e);
	rc = assign_db_sign(r->db, s.id, r->who->user_id, now, &e);
	if (rc == 0)
		rc = req_audit(
		    r, r->db, "sheet.sign", "sheet", s.id,
		    json_pack("{s:s, s:I}", "number", s.number, "unit_id", (json_int_t)s.unit_id));
	if (req_tx_end(r, r->db, rc, &e))
		return r->err.code;
	if (assign_db_get(r->db, s.tenant_id, NULL, s.id, &r->arena, &s, &e))
		return req_fail_error(r, &e);
	return sheet_reply(r, &s, 200);
}

/* ---- the PDF ------------------------------------------------------------------------- */

/* The URL that opens the sheet in the web app, from the request's Host header. */
static const char *sheet_url(struct req *r, int64_t id)
{
	const char *host = req_header(r, "Host"), *proto = req_header(r, "X-Forwarded-Proto");

	if (!host || !*host || strlen(host) > 255 ||
	    host[strspn(host,
	                "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]")])
		host = "localhost";
	return arena_printf(&r->arena, "%s://%s/sheets/%lld",
	                    proto && !strcmp(proto, "https") ? "https" : "http", host,
	                    (long long)id);
}

static const char *day(struct arena *a, int64_t ms, int minutes, int with_time)
{
	char buf[20];

	if (!ms)
		return "";
	tz_format(ms, minutes, buf);
	buf[with_time ? 16 : 10] = '\0';
	return arena_strdup(a, buf);
}

/* An upright, reduced JPEG of file id, or NULL when it cannot be read. */
void *problem_api_photo_jpeg(struct req *r, int64_t file_id, size_t *len)
{
	return file_photo_jpeg(r->db, r->app->cfg.data_dir, r->who->tenant_id, file_id,
	                       SHEET_PHOTO_PX, &r->arena, len);
}

/* Up to SHEET_PHOTOS_PER_PROBLEM before-photos of p, side by side. */
static void pdf_before_photos(struct req *r, struct pdf_doc *d, const struct problem *p, int seq)
{
	void *img[SHEET_PHOTOS_PER_PROBLEM] = {NULL};
	size_t len[SHEET_PHOTOS_PER_PROBLEM] = {0};
	json_t *photos = NULL, *ph;
	struct error e;
	size_t i;
	int k = 0;

	error_init(&e);
	if (problem_photos_json(r->db, p, &photos, &e))
		return;
	json_array_foreach(photos, i, ph)
	{
		const char *kind = json_string_value(json_object_get(ph, "kind"));

		if (k < SHEET_PHOTOS_PER_PROBLEM && kind && !strcmp(kind, "before")) {
			img[k] = problem_api_photo_jpeg(
			    r, (int64_t)json_integer_value(json_object_get(ph, "file_id")),
			    &len[k]);
			if (img[k])
				k++;
		}
	}
	json_decref(photos);
	pdf_heading(d, 3, arena_printf(&r->arena, "%d. %s %s", seq, p->code, p->category_name));
	if (!k) {
		pdf_paragraph(d, "（无整改前照片）");
		return;
	}
	error_init(&e);
	if (k == 1 ? pdf_image(d, img[0], len[0], 80, 45, "整改前", &e)
	           : pdf_image_pair(d, img[0], len[0], "整改前", img[1], len[1], "整改前", 45, &e))
		pdf_paragraph(d, "（照片无法显示）");
}

/* "2026年12月6日" of ms in the tenant's zone. */
static const char *day_cn(struct arena *a, int64_t ms, int minutes)
{
	char buf[20];
	int y, m, dd;

	tz_format(ms, minutes, buf);
	if (sscanf(buf, "%d-%d-%d", &y, &m, &dd) != 3)
		return "";
	return arena_printf(a, "%d年%d月%d日", y, m, dd);
}

/* The deadline cell: the time, and "超期 N 天" under it when p is overdue at now. */
static const char *deadline_cell(struct req *r, const struct problem *p, int64_t now, int minutes)
{
	const char *when = day(&r->arena, p->deadline, minutes, 1);
	int64_t days;

	if (!p->deadline)
		return "—";
	if (!problem_overdue(p, now))
		return when;
	days = (now - p->deadline + 86400000 - 1) / 86400000;
	return arena_printf(&r->arena, "%s\n【超期 %lld 天】", when,
	                    (long long)(days < 1 ? 1 : days));
}

/* GET /sheets/{id}/pdf */
static int sheets_pdf(struct req *r)
{
	static const char *const headers[] = {"序号", "问题编号", "分类",
	                                      "地点", "描述",     "整改期限"};
	static const double widths[] = {12, 28, 24, 34, 44, 28};
	struct pdf_doc d = PDF_DOC_INIT;
	struct assign_sheet s;
	struct problem *ps;
	struct error e;
	const char **cells;
	void *pdf = NULL;
	size_t len = 0;
	struct user issuer;
	int64_t now = time_now_ms();
	const char *office, *contact;
	int i, n, minutes, rc, overdue = 0;

	if (load_sheet(r, &s) || sheet_problems(r, &s, &ps, &n))
		return r->err.code;
	minutes = problem_api_minutes(r);
	/* the office that issued the sheet: the unit of the user who made it, its contact */
	error_init(&e);
	memset(&issuer, 0, sizeof(issuer));
	if (user_get(r->db, r->who->tenant_id, NULL, s.created_by, &r->arena, &issuer, &e)) {
		issuer.name = s.created_by_name;
		issuer.phone = issuer.unit_name = "";
	}
	office =
	    issuer.unit_name && *issuer.unit_name ? issuer.unit_name : "创建文明城市工作办公室";
	contact = arena_printf(&r->arena, "联系人：%s%s%s", issuer.name ? issuer.name : "",
	                       issuer.phone && *issuer.phone ? "    联系电话：" : "",
	                       issuer.phone ? issuer.phone : "");
	cells = arena_alloc(&r->arena, (size_t)(n ? n : 1) * 6 * sizeof(*cells));
	for (i = 0; i < n; i++) {
		const char *place = *ps[i].address ? ps[i].address : ps[i].point_name;

		if (ps[i].point_id && *ps[i].address && strcmp(ps[i].address, ps[i].point_name))
			place =
			    arena_printf(&r->arena, "%s（%s）", ps[i].point_name, ps[i].address);
		cells[i * 6 + 0] = arena_printf(&r->arena, "%d", i + 1);
		cells[i * 6 + 1] = ps[i].code;
		cells[i * 6 + 2] = ps[i].category_name;
		cells[i * 6 + 3] = place;
		cells[i * 6 + 4] = ps[i].description;
		cells[i * 6 + 5] = deadline_cell(r, &ps[i], now, minutes);
		overdue += ps[i].deadline && problem_overdue(&ps[i], now);
	}
	error_init(&e);
	if (pdf_init(&d, arena_printf(&r->arena, "交办单 %s", s.number), &e)) {
		pdf_release(&d);
		return req_fail_error(r, &e);
	}
	pdf_heading(&d, 1, "交办单");
	pdf_paragraph(
	    &d, arena_printf(
	            &r->arena, "编号：%s\n交办单位：%s\n责任单位：%s\n交办日期：%s\n问题数量：%d%s",
	            s.number, office, s.unit_name, day(&r->arena, s.created_at, minutes, 0), n,
	            overdue ? arena_printf(&r->arena, "（其中已超期 %d 个）", overdue) : ""));
	if (*s.note)
		pdf_paragraph(&d, arena_printf(&r->arena, "备注：%s", s.note));
	pdf_heading(&d, 2, "问题清单");
	if (n && pdf_table(&d, 6, headers, widths, n, cells, &e)) {
		pdf_release(&d);
		return req_fail_error(r, &e);
	}
	pdf_paragraph(&d, "请责任单位在整改期限内完成整改，并在系统中提交整改情况和整改后照片。"
	                  "标注【超期】的问题已过整改期限，请立即整改。");
	pdf_paragraph(&d, contact);
	pdf_signoff(
	    &d, arena_printf(&r->arena, "%s\n%s", office, day_cn(&r->arena, s.created_at, minutes)),
	    "（盖章处）");
	pdf_heading(&d, 2, "整改前照片");
	for (i = 0; i < n; i++)
		pdf_before_photos(r, &d, &ps[i], i + 1);
	pdf_space(&d, 6);
	pdf_qr(&d, sheet_url(r, s.id), 30, "扫码查看并签收交办单", &e);
	error_init(&e);
	pdf_space(&d, 4);
	if (s.signed_at)
		pdf_paragraph(&d, arena_printf(&r->arena, "签收人：%s        签收时间：%s",
		                               s.signed_by_name,
		                               day(&r->arena, s.signed_at, minutes, 1)));
	else
		pdf_paragraph(&d, "签收人：________________        签收时间：________________");
	rc = pdf_finish(&d, &pdf, &len, &e);
	pdf_release(&d);
	if (rc)
		return req_fail_error(r, &e);
	rc = req_reply_attachment(r, "application/pdf", pdf, len,
	                          arena_printf(&r->arena, "sheet-%lld.pdf", (long long)s.id),
	                          arena_printf(&r->arena, "交办单%s.pdf", s.number));
	free(pdf);
	return rc;
}

/* ---- routes ------------------------------------------------------------------------ */

void assign_routes(struct router *rt)
{
	router_add(rt, "GET", "/api/v1/sheets", sheets_list, "problem:view", 0);
	router_add(rt, "POST", "/api/v1/sheets", sheets_create, "problem:assign", 0);
	router_add(rt, "GET", "/api/v1/sheets/{id}", sheets_get, "problem:view", 0);
	router_add(rt, "GET", "/api/v1/sheets/{id}/pdf", sheets_pdf, "problem:view", 0);
	router_add(rt, "POST", "/api/v1/sheets/{id}/sign", sheets_sign, "problem:rectify", 0);
}

/*
 * api_bulletins.c - /bulletins: 通报.  The office (bulletin:edit) drafts a
 * bulletin from a period, edits and deletes drafts; whoever reads bulletins
 * (bulletin:view: the office, leaders) lists them and downloads the PDF,
 * the Word document and the attached 进展情况表.  Every object is the
 * tenant's (another tenant's id answers 404); every change writes its audit
 * row in its transaction; an issued bulletin answers 409 to any edit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "announcement/announcement.h"
#include "app.h"
#include "auth/auth.h"
#include "auth/login.h"
#include "bulletin/bulletin.h"
#include "core/clock.h"
#include "http/json_io.h"
#include "http/multipart.h"
#include "http/reply.h"
#include "http/req.h"
#include "http/router.h"
#include "org/org.h"
#include "plan/plan.h"
#include "problem/problem.h"
#include "store/store.h"

static json_t *id_or_null(int64_t id)
{
	return id ? json_integer(id) : json_null();
}

static json_t *bulletin_json(const struct bulletin *b, int with_content)
{
	json_t *j = json_pack("{s:I, s:s, s:s, s:i, s:s, s:s, s:s, s:I, s:s, s:I}", "id",
	                      (json_int_t)b->id, "number", b->number, "title", b->title, "seq",
	                      b->seq, "from", b->from, "to", b->to, "status", b->status,
	                      "created_at", (json_int_t)b->created_at, "created_by_name",
	                      b->created_by_name, "updated_at", (json_int_t)b->updated_at);

	json_object_set_new(j, "assessment_id", id_or_null(b->assessment_id));
	json_object_set_new(j, "announcement_id", id_or_null(b->announcement_id));
	json_object_set_new(j, "issued_at", id_or_null(b->issued_at));
	json_object_set_new(j, "issued_by_name",
	                    b->issued_by ? json_string(b->issued_by_name) : json_null());
	json_object_set_new(j, "pdf_url",
	                    json_sprintf("/api/v1/bulletins/%lld/pdf", (long long)b->id));
	json_object_set_new(j, "docx_url",
	                    json_sprintf("/api/v1/bulletins/%lld/docx", (long long)b->id));
	if (with_content)
		json_object_set_new(j, "content", bulletin_content(b));
	return j;
}

/* The bulletin {id} of the caller's tenant. */
static int load_bulletin(struct req *r, struct bulletin *out)
{
	struct error e;
	int64_t id;

	if (req_param_id(r, "id", &id) || !req_db(r))
		return r->err.code;
	error_init(&e);
	if (bulletin_db_get(r->db, r->who->tenant_id, id, &r->arena, out, &e))
		return req_fail_error(r, &e);
	return 0;
}

static int bulletin_reply(struct req *r, int64_t id, int status)
{
	struct bulletin b;
	struct error e;

	error_init(&e);
	if (bulletin_db_get(r->db, r->who->tenant_id, id, &r->arena, &b, &e))
		return req_fail_error(r, &e);
	return req_reply_json(r, status, bulletin_json(&b, 1));
}

/* GET /bulletins */
static int bulletins_list(struct req *r)
{
	const char *status = req_query(r, "status");
	struct bulletin *list;
	struct error e;
	int64_t offset, limit, total = 0;
	json_t *items;
	int i, n;

	if (status && *status && strcmp(status, "draft") && strcmp(status, "issued"))
		return req_fail(r, ERR_INVALID, "status", "参数 status 应为 draft 或 issued");
	if (req_page(r, &offset, &limit) || !req_db(r))
		return r->err.code;
	error_init(&e);
	if (bulletin_db_list(r->db, r->who->tenant_id, status && *status ? status : NULL, offset,
	                     limit, &r->arena, &list, &n, &total, &e))
		return req_fail_error(r, &e);
	items = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(items, bulletin_json(&list[i], 0));
	return req_reply_json(r, 200,
	                      json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)total));
}

/* POST /bulletins {from, to, assessment_id?} */
static int bulletins_create(struct req *r)
{
	static const char *const fields[] = {"from", "to", "assessment_id", NULL};
	struct bulletin_new in;
	struct bulletin b;
	struct error e;
	json_t *body;
	int64_t id = 0;
	int rc;

	memset(&in, 0, sizeof(in));
	error_init(&e);
	if (req_body_json(r, &body))
		return r->err.code;
	if (json_only_keys(body, fields, &e) ||
	    json_get_string(body, "from", JF_REQUIRED, 10, 10, &in.from, &e) ||
	    json_get_string(body, "to", JF_REQUIRED, 10, 10, &in.to, &e) ||
	    json_get_int(body, "assessment_id", JF_NULLABLE, 1, INT64_MAX, &in.assessment_id, &e))
		return req_fail_error(r, &e);
	if (!req_db(r))
		return r->err.code;
	in.tenant_id = r->who->tenant_id;
	in.user_id = r->who->user_id;
	in.minutes = auth_tenant_minutes(r);
	in.now = time_now_ms();
	if (store_begin(r->db, 1, &e))
		return req_fail_error(r, &e);
	rc = bulletin_create(r->db, &in, &r->arena, &id, &e);
	if (rc == 0)
		rc = bulletin_db_get(r->db, in.tenant_id, id, &r->arena, &b, &e);
	if (rc == 0)
		rc = req_audit(r, r->db, "bulletin.create", "bulletin", id,
		               json_pack("{s:s, s:s}", "number", b.number, "period",
		                         arena_printf(&r->arena, "%s 至 %s", in.from, in.to)));
	if (req_tx_end(r, r->db, rc, &e))
		return r->err.code;
	return bulletin_reply(r, id, 201);
}

/* GET /bulletins/{id} */
static int bulletins_get(struct req *r)
{
	struct bulletin b;

	if (load_bulletin(r, &b))
		return r->err.code;
	return req_reply_json(r, 200, bulletin_json(&b, 1));
}

/* PUT /bulletins/{id} */
static int bulletins_update(struct req *r)
{
	struct bulletin b;
	struct error e;
	json_t *body;
	int rc;

	if (req_body_json(r, &body) || load_bulletin(r, &b))
		return r->err.code;
	if (strcmp(b.status, "draft"))
		return req_fail(r, ERR_CONFLICT, NULL, "通报已印发，不能再修改");
	error_init(&e);
	if (store_begin(r->db, 1, &e))
		return req_fail_error(r, &e);
	rc = bulletin_edit(r->db, &b, body, r->who->user_id, time_now_ms(), &r->arena, &e);
	if (rc == 0)
		rc = req_audit(r, r->db, "bulletin.update", "bulletin", b.id,
		               json_pack("{s:s}", "number", b.number));
	if (req_tx_end(r, r->db, rc, &e))
		return r->err.code;
	return bulletin_reply(r, b.id, 200);
}

/* DELETE /bulletins/{id} */
static int bulletins_delete(struct req *r)
{
	struct bulletin b;
	struct error e;
	int rc;

	if (load_bulletin(r, &b))
		return r->err.code;
	if (strcmp(b.status, "draft"))
		return req_fail(r, ERR_CONFLICT, NULL, "通报已印发，不能删除");
	error_init(&e);
	if (store_begin(r->db, 1, &e))
		return req_fail_error(r, &e);
	rc = bulletin_db_delete(r->db, r->who->tenant_id, b.id, &e);
	if (rc == 0)
		rc = req_audit(r, r->db, "bulletin.delete", "bulletin", b.id,
		               json_pack("{s:s}", "number", b.number));
	if (req_tx_end(r, r->db, rc, &e))
		return r->err.code;
	return req_reply_empty(r);
}

/* ---- printing -------------------------------------------------------------------- */

static void *photo_of(void *ctx, int64_t file_id, size_t *len)
{
	return problem_api_photo_jpeg(ctx, file_id, len);
}

/* The issuing office (the drafter's unit) and the date (issued, else today). */
static void print_setup(struct req *r, const struct bulletin *b, struct bulletin_print *pr)
{
	struct user maker;
	struct error e;
	char buf[20];

	memset(pr, 0, sizeof(*pr));
	memset(&maker, 0, sizeof(maker));
	error_init(&e);
	pr->issuer = "创建文明城市工作办公室";
	if (b->created_by &&
	    user_get(r->db, r->who->tenant_id, NULL, b->created_by, &r->arena, &maker, &e) == 0 &&
	    maker.unit_name && *maker.unit_name)
		pr->issuer = maker.unit_name;
	tz_format(b->issued_at ? b->issued_at : time_now_ms(), auth_tenant_minutes(r), buf);
	buf[10] = '\0';
	pr->date = bulletin_date_text(buf, 1, &r->arena);
	pr->photo = photo_of;
	pr->ctx = r;
}

/* The bulletin {id} as a PDF, or as a Word document when docx. */
static int bulletin_download(struct req *r, int docx)
{
	struct bulletin_print pr;
	struct bulletin b;
	struct error e;
	void *data = NULL;
	size_t len = 0;
	int rc;

	if (load_bulletin(r, &b))
		return r->err.code;
	print_setup(r, &b, &pr);
	error_init(&e);
	rc = docx ? bulletin_docx(&b, &pr, &r->arena, &data, &len, &e)
	          : bulletin_pdf(&b, &pr, &r->arena, &data, &len, &e);
	if (rc)
		return req_fail_error(r, &e);
	rc = req_reply_attachment(
	    r,
	    docx ? "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	         : "application/pdf",
	    data, len,
	    arena_printf(&r->arena, "bulletin-%lld.%s", (long long)b.id, docx ? "docx" : "pdf"),
	    arena_printf(&r->arena, "通报%s.%s", b.number, docx ? "docx" : "pdf"));
	free(data);
	return rc;
}

/* GET /bulletins/{id}/pdf */
static int bulletins_pdf(struct req *r)
{
	return bulletin_download(r, 0);
}

/* GET /bulletins/{id}/docx */
static int bulletins_docx(struct req *r)
{
	return bulletin_download(r, 1);
}

/* The attached plan's 进展情况表 on day (malloc'd into *data), or *data NULL without a plan. */
static int progress_of(struct req *r, const struct bulletin *b, const char *day, void **data,
                       size_t *len, struct error *e)
{
	struct plan_node *nodes;
	json_t *c = bulletin_content(b), *pid = json_object_get(c, "plan_id");
	int n, rc = 0;

	*data = NULL;
	*len = 0;
	if (json_is_integer(pid)) {
		rc = plan_db_tree(r->db, r->who->tenant_id, NULL, json_integer_value(pid),
		                  &r->arena, &nodes, &n, e);
		if (rc == 0)
			rc =
			    plan_progress_xlsx(r->db, nodes, n, day, &r->arena, data, len, NULL, e);
		else if (rc == ERR_NOT_FOUND)
			rc = 0; /* the plan was deleted since: nothing to attach */
	}
	json_decref(c);
	return rc;
}

/* GET /bulletins/{id}/attachment.xlsx: the attached plan's 进展情况表 (plan_progress_xlsx). */
static int bulletins_attachment(struct req *r)
{
	struct bulletin b;
	struct error e;
	char day[20];
	void *data;
	size_t len;

	if (load_bulletin(r, &b))
		return r->err.code;
	tz_format(b.issued_at ? b.issued_at : time_now_ms(), auth_tenant_minutes(r), day);
	day[10] = '\0';
	error_init(&e);
	if (progress_of(r, &b, day, &data, &len, &e))
		return req_fail_error(r, &e);
	if (!data)
		return req_fail(r, ERR_NOT_FOUND, NULL, "这期通报没有附件");
	return http_reply_xlsx(r, data, len, "progress", "进展情况表");
}

/* unit_ids of the issue body into ids (at most ANN_MAX_UNITS, each once). */
static int issue_units(struct req *r, json_t *body, int64_t *ids, int *n)
{
	json_t *arr = json_object_get(body, "unit_ids"), *v;
	size_t i;
	int k;

	*n = 0;
	if (!arr || json_is_null(arr))
		return 0;
	if (!json_is_array(arr) || json_array_size(arr) == 0 ||
	    json_array_size(arr) > ANN_MAX_UNITS)
		return req_fail(r, ERR_INVALID, "unit_ids", "unit_ids 应为 1 到 %d 个单位编号",
		                ANN_MAX_UNITS);
	json_array_foreach(arr, i, v)
	{
		if (!json_is_integer(v) || json_integer_value(v) < 1)
			return req_fail(r, ERR_INVALID, "unit_ids", "unit_ids 应为单位编号的数组");
		for (k = 0; k < *n; k++)
			if (ids[k] == json_integer_value(v))
				return req_fail(r, ERR_INVALID, "unit_ids", "单位 %lld 重复",
				                (long long)ids[k]);
		ids[(*n)++] = json_integer_value(v);
	}
	return 0;
}

/* POST /bulletins/{id}/issue {unit_ids?, reply_due?}: sent to units as an announcement. */
static int bulletins_issue(struct req *r)
{
	static const char *const fields[] = {"unit_ids", "reply_due", NULL};
	int64_t *ids = arena_alloc(&r->arena, ANN_MAX_UNITS * sizeof(int64_t)), ann = 0, due = 0,
	        now = time_now_ms();
	struct bulletin_issue_in in;
	struct bulletin_file files[2];
	struct bulletin_print pr;
	struct bulletin b;
	struct error e;
	const char *reply_due = NULL;
	void *pdf = NULL, *xlsx = NULL;
	size_t pdf_len = 0, xlsx_len = 0;
	char day[20];
	json_t *body;
	int n = 0, rc;

	error_init(&e);
	if (req_body_json(r, &body))
		return r->err.code;
	if (json_only_keys(body, fields, &e) ||
	    json_get_string(body, "reply_due", JF_NULLABLE, 10, 10, &reply_due, &e))
		return req_fail_error(r, &e);
	if (issue_units(r, body, ids, &n) || load_bulletin(r, &b))
		return r->err.code;
	if (reply_due) {
		if (tz_parse_date(reply_due, auth_tenant_minutes(r), &due))
			return req_fail(r, ERR_INVALID, "reply_due", "回执截止日期应为 YYYY-MM-DD");
		due += 86400LL * 1000 - 1; /* the end of that day */
		if (due < now)
			return req_fail(r, ERR_INVALID, "reply_due", "回执截止日期不能早于今天");
	}
	if (strcmp(b.status, "draft"))
		return req_fail(r, ERR_CONFLICT, NULL, "通报已印发");
	/* rendered before the transaction: reads only, and the slow part */
	print_setup(r, &b, &pr);
	tz_format(now, auth_tenant_minutes(r), day);
	day[10] = '\0';
	if (bulletin_pdf(&b, &pr, &r->arena, &pdf, &pdf_len, &e) ||
	    progress_of(r, &b, day, &xlsx, &xlsx_len, &e)) {
		free(pdf);
		return req_fail_error(r, &e);
	}
	files[0] = (struct bulletin_file){pdf, pdf_len, "application/pdf",
	                                  arena_printf(&r->arena, "通报%s.pdf", b.number)};
	files[1] = (struct bulletin_file){
	    xlsx, xlsx_len, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	    "工作责任目标管理任务进展情况表.xlsx"};
	memset(&in, 0, sizeof(in));
	in.user_id = r->who->user_id;
	in.now = now;
	in.unit_ids = ids;
	in.nunits = n;
	in.reply_due_ms = due;
	in.files = files;
	in.nfiles = xlsx ? 2 : 1;
	in.data_dir = r->app->cfg.data_dir;
	in.store_kind = store_kind(r->app->store);
	rc = store_begin(r->db, 1, &e);
	if (rc == 0)
		rc = bulletin_issue(r->db, &b, &in, &r->arena, &ann, &e);
	if (rc == 0)
		rc = req_audit(r, r->db, "bulletin.issue", "bulletin", b.id,
		               json_pack("{s:s, s:I}", "number", b.number, "announcement_id",
		                         (json_int_t)ann));
	free(pdf);
	free(xlsx);
	if (req_tx_end(r, r->db, rc, &e))
		return r->err.code;
	return bulletin_reply(r, b.id, 200);
}

void bulletin_routes(struct router *rt)
{
	router_add(rt, "GET", "/api/v1/bulletins", bulletins_list, "bulletin:view", 0);
	router_add(rt, "POST", "/api/v1/bulletins", bulletins_create, "bulletin:edit", 0);
	router_add(rt, "GET", "/api/v1/bulletins/{id}", bulletins_get, "bulletin:view", 0);
	router_add(rt, "PUT", "/api/v1/bulletins/{id}", bulletins_update, "bulletin:edit", 0);
	router_add(rt, "DELETE", "/api/v1/bulletins/{id}", bulletins_delete, "bulletin:edit", 0);
	router_add(rt, "GET", "/api/v1/bulletins/{id}/pdf", bulletins_pdf, "bulletin:view", 0);
	router_add(rt, "GET", "/api/v1/bulletins/{id}/docx", bulletins_docx, "bulletin:view", 0);
	router_add(rt, "GET", "/api/v1/bulletins/{id}/attachment.xlsx", bulletins_attachment,
	           "bulletin:view", 0);
	router_add(rt, "POST", "/api/v1/bulletins/{id}/issue", bulletins_issue, "bulletin:edit", 0);
}

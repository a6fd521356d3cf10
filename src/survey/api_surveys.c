/*
 * api_surveys.c - /surveys: design (a draft's questions and quotas),
 * publish and close, new versions by copy, the surveyor's idempotent
 * responses, the supervisor's quality review and the A4 QR posters.
 */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "export/pdf.h"
#include "http/json_io.h"
#include "http/multipart.h"
#include "http/req.h"
#include "http/router.h"
#include "inspect/inspect.h"
#include "core/utf8.h"
#include "http/reply.h"
#include "org/org.h"
#include "core/clock.h"
#include "org/org_db.h"
#include "store/store.h"
#include "survey/survey.h"
#include "survey/survey_api.h"

int survey_param(struct req *r, struct survey *s)
{
	struct error e;
	int64_t id;

	if (req_param_id(r, "id", &id))
		return r->err.code;
	error_init(&e);
	if (survey_get(r->db, r->who->tenant_id, id, &r->arena, s, &e))
		return req_fail_error(r, &e);
	/* a surveyor who may not design or read results sees published surveys only */
	if (!principal_has(r->who, "survey:view") && strcmp(s->status, "published"))
		return req_fail(r, ERR_NOT_FOUND, NULL, "问卷不存在");
	return 0;
}

const char *survey_public_url(struct req *r, const struct survey *s, int64_t unit_id)
{
	const char *host = req_header(r, "Host"), *proto = req_header(r, "X-Forwarded-Proto");

	if (!host || !*host || strlen(host) > 255 ||
	    host[strspn(host,
	                "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]")])
		host = "localhost";
	return arena_printf(&r->arena, "%s://%s/s/%s%s",
	                    proto && !strcmp(proto, "https") ? "https" : "http", host, s->token,
	                    unit_id ? arena_printf(&r->arena, "?c=%lld", (long long)unit_id) : "");
}

/* GET /surveys */
static int surveys_list(struct req *r)
{
	struct survey_filter f;
	struct survey *list;
	struct error e;
	int64_t total = 0;
	json_t *items;
	int i, n;

	memset(&f, 0, sizeof(f));
	if (req_page(r, &f.offset, &f.limit))
		return r->err.code;
	/* neither designing nor surveying: there is nothing to see */
	if (!principal_has(r->who, "survey:view") && !principal_has(r->who, "survey:respond"))
		return req_reply_json(r, 200, json_pack("{s:[], s:i}", "items", "total", 0));
	f.status = req_query(r, "status");
	f.keyword = req_query(r, "keyword");
	if (!principal_has(r->who, "survey:view"))
		f.status = "published";
	if (f.status && *f.status && strcmp(f.status, "draft") && strcmp(f.status, "published") &&
	    strcmp(f.status, "closed"))
		return req_fail(r, ERR_INVALID, "status", "状态应为 draft、published 或 closed");
	error_init(&e);
	if (survey_list(r->db, r->who->tenant_id, &f, &r->arena, &list, &n, &total, &e))
		return req_fail_error(r, &e);
	items = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(items, survey_json(&list[i], 0));
	return req_reply_json(r, 200,
	                      json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)total));
}

static int survey_reply(struct req *r, int64_t id, int status)
{
	struct survey_quota *q;
	struct survey_unit *units;
	struct survey s;
	struct error e;
	json_t *j, *quotas, *comms;
	int n, i, nunits;

	error_init(&e);
	if (survey_get(r->db, r->who->tenant_id, id, &r->arena, &s, &e) ||
	    survey_quotas(r->db, id, &r->arena, &q, &n, &e) ||
	    survey_communities(r->db, s.tenant_id, id, &r->arena, &units, &nunits, &e))
		return req_fail_error(r, &e);
	j = survey_json(&s, 1);
	quotas = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(
		    quotas, json_pack("{s:I, s:s, s:s, s:s, s:I, s:I}", "unit_id",
		                      (json_int_t)q[i].unit_id, "unit_name", q[i].unit_name,
		                      "age_group", q[i].age_group, "sex", q[i].sex, "target",
		                      (json_int_t)q[i].target, "count", (json_int_t)q[i].count));
	json_object_set_new(j, "quotas", quotas);
	/* where a respondent may live: the quota's communities, else every community */
	comms = json_array();
	for (i = 0; i < nunits; i++)
		json_array_append_new(
		    comms, json_pack("{s:I, s:s, s:s}", "id", (json_int_t)units[i].id, "name",
		                     units[i].name, "parent_name", units[i].parent_name));
	json_object_set_new(j, "communities", comms);
	if (*s.token)
		json_object_set_new(j, "url", json_string(survey_public_url(r, &s, 0)));
	return req_reply_json(r, status, j);
}

/* GET /surveys/{id} */
static int surveys_get(struct req *r)
{
	struct survey s;

	if (!principal_has(r->who, "survey:view") && !principal_has(r->who, "survey:respond"))
		return req_fail(r, ERR_NOT_FOUND, NULL, "问卷不存在");
	if (survey_param(r, &s))
		return r->err.code;
	return survey_reply(r, s.id, 200);
}

/* quotas[] of body: units of the tenant, targets 1..100000, no repeats. */
static int quota_fields(struct req *r, json_t *arr, struct survey_quota **out, int *n)
{
	static const char *const keys[] = {"unit_id", "target", "age_group", "sex", NULL};
	json_t *v;
	size_t i;
	struct error e;
	int k;

	*n = 0;
	if (!json_is_array(arr))
		return req_fail(r, ERR_INVALID, "quotas", "配额应为列表");
	if (json_array_size(arr) > SURVEY_MAX_QUOTAS)
		return req_fail(r, ERR_INVALID, "quotas", "配额最多 %d 条", SURVEY_MAX_QUOTAS);
	*out = arena_calloc(&r->arena, (json_array_size(arr) + 1) * sizeof(**out));
	error_init(&e);
	json_array_foreach(arr, i, v)
	{
		struct survey_quota *q = &(*out)[*n];
		const char *field = arena_printf(&r->arena, "quotas[%d]", (int)i);
		int64_t found = 0;

		q->age_group = q->sex = "";
		if (!json_is_object(v) || json_only_keys(v, keys, &e) ||
		    json_get_int(v, "unit_id", JF_REQUIRED, 1, INT64_MAX, &q->unit_id, &e) ||
		    json_get_int(v, "target", JF_REQUIRED, 1, 100000, &q->target, &e) ||
		    json_get_string(v, "age_group", JF_NULLABLE, 0, 8, &q->age_group, &e) ||
		    json_get_string(v, "sex", JF_NULLABLE, 0, 8, &q->sex, &e))
			return req_fail(r, ERR_INVALID, field, "%s",
			                e.code ? e.message : "配额应为 {unit_id, target}");
		if (*q->sex && strcmp(q->sex, "male") && strcmp(q->sex, "female"))
			return req_fail(r, ERR_INVALID, field, "性别应为 male 或 female");
		if (survey_unit_exists(r->db, r->who->tenant_id, q->unit_id, &found, &e))
			return req_fail_error(r, &e);
		if (!found)
			return req_fail(r, ERR_INVALID, field, "单位不存在");
		for (k = 0; k < *n; k++)
			if ((*out)[k].unit_id == q->unit_id &&
			    !strcmp((*out)[k].age_group, q->age_group) &&
			    !strcmp((*out)[k].sex, q->sex))
				return req_fail(r, ERR_INVALID, field, "配额重复");
		(*n)++;
	}
	return 0;
}

/* The fields of a design body into s (over what s holds); *quotas set when given. */
static int survey_fields(struct req *r, json_t *body, struct survey *s, int creating,
                         struct survey_quota **quotas, int *nquotas)
{
	json_t *design = json_object_get(body, "design"), *qs = json_object_get(body, "quotas");
	struct error e;
	char *text;

	error_init(&e);
	if (json_get_string(body, "title", creating && !s->title ? JF_REQUIRED : JF_NULLABLE, 1,
	                    SURVEY_TITLE_MAX, &s->title, &e) ||
	    json_get_string(body, "intro", JF_NULLABLE, 0, SURVEY_INTRO_MAX, &s->intro, &e) ||
	    json_get_string(body, "series", JF_NULLABLE, 0, SURVEY_TITLE_MAX, &s->series, &e) ||
	    json_get_string(body, "wave", JF_NULLABLE, 0, 50, &s->wave, &e) ||
	    json_get_int(body, "framework_id", JF_NULLABLE, 1, INT64_MAX, &s->framework_id, &e) ||
	    json_get_int(body, "min_seconds", JF_NULLABLE, 0, 3600, &s->min_seconds, &e))
		return req_fail_error(r, &e);
	if (json_object_get(body, "framework_id") &&
	    json_is_null(json_object_get(body, "framework_id")))
		s->framework_id = 0;
	if (s->framework_id) {
		struct framework fw;

		if (framework_get(r->db, r->who->tenant_id, s->framework_id, &r->arena, &fw, &e))
			return req_fail(r, ERR_INVALID, "framework_id", "测评体系不存在");
	}
	if (design && !json_is_null(design)) {
		if (!json_is_object(design))
			return req_fail(r, ERR_INVALID, "design", "问卷内容应为对象");
		if (survey_design_parse(design, &r->arena, &s->d, &e))
			return req_fail(r, e.code, arena_printf(&r->arena, "design.%s", e.field),
			                "%s", e.message);
		design = survey_design_json(&s->d, 1); /* normalised: keys and defaults filled */
		text = json_dumps(design, JSON_COMPACT);
		json_decref(design);
		if (!text)
			return req_fail(r, ERR_INTERNAL, NULL, NULL);
		s->design_text = arena_strdup(&r->arena, text);
		free(text);
	}
	if (!*s->series)
		s->series = s->title;
	*nquotas = -1;
	if (qs && !json_is_null(qs) && quota_fields(r, qs, quotas, nquotas))
		return r->err.code;
	return 0;
}

/* POST /surveys {title, intro, series, wave, framework_id, min_seconds, design, quotas, copy_from}
 */
static int surveys_create(struct req *r)
{
	static const char *const keys[] = {"title",        "intro",       "series", "wave",
	                                   "framework_id", "min_seconds", "design", "quotas",
	                                   "copy_from",    NULL};
	struct survey_quota *quotas = NULL;
	struct survey s, from;
	struct error e;
	json_t *body;
	int64_t copy_from = 0;
	int nquotas = -1;

	if (req_body_json(r, &body))
		return r->err.code;
	error_init(&e);
	if (json_only_keys(body, keys, &e) ||
	    json_get_int(body, "copy_from", JF_NULLABLE, 1, INT64_MAX, &copy_from, &e))
		return req_fail_error(r, &e);
	memset(&s, 0, sizeof(s));
	s.intro = s.series = s.wave = s.token = "";
	s.design_text = "{\"sections\":[]}";
	s.min_seconds = 60;
	s.version = 1;
	if (copy_from) {
		if (survey_get(r->db, r->who->tenant_id, copy_from, &r->arena, &from, &e))
			return req_fail(r, ERR_INVALID, "copy_from", "要复制的问卷不存在");
		s = from;
		s.version = from.version + 1;
		s.previous_id = from.id;
		s.status = "draft";
		s.token = "";
	}
	if (survey_fields(r, body, &s, 1, &quotas, &nquotas))
		return r->err.code;
	s.tenant_id = r->who->tenant_id;
	s.created_by = r->who->user_id;
	s.created_at = s.updated_at = time_now_ms();
	if (copy_from && nquotas < 0 &&
	    survey_quotas(r->db, copy_from, &r->arena, &quotas, &nquotas, &e))
		return req_fail_error(r, &e);
	if (store_begin(r->db, 1, &e))
		return req_fail_error(r, &e);
	if (survey_insert(r->db, &s, &e) ||
	    (nquotas >= 0 && survey_quotas_replace(r->db, s.id, quotas, nquotas, &e)))
		goto fail_e;
	if (req_audit(r, r->db, "survey.create", "survey", s.id,
	              json_pack("{s:s, s:i, s:I, s:o}", "title", s.title, "questions",
	                        s.d.nquestions, "version", (json_int_t)s.version, "copy_from",
	                        copy_from ? json_integer(copy_from) : json_null())))
		goto fail;
	if (store_commit(r->db, &e))
		goto fail_e;
	return survey_reply(r, s.id, 201);
fail_e:
	req_fail_error(r, &e);
fail:
	store_rollback(r->db);
	return r->err.code ? r->err.code : ERR_INTERNAL;
}

/* PUT /surveys/{id}: drafts only; a published survey gets a new version instead. */
static int surveys_update(struct req *r)
{
	static const char *const keys[] = {"title",  "intro",        "series",
	                                   "wave",   "framework_id", "min_seconds",
	                                   "design", "quotas",       NULL};
	struct survey_quota *quotas = NULL;
	struct survey s;
	struct error e;
	json_t *body;
	int nquotas = -1;

	if (survey_param(r, &s) || req_body_json(r, &body))
		return r->err.code;
	error_init(&e);
	if (json_only_keys(body, keys, &e))
		return req_fail_error(r, &e);
	if (strcmp(s.status, "draft"))
		return req_fail(r, ERR_CONFLICT, NULL,
		                "已发布的问卷不能修改，请复制为新版本后修改");
	if (survey_fields(r, body, &s, 0, &quotas, &nquotas))
		return r->err.code;
	s.updated_at = time_now_ms();
	if (store_begin(r->db, 1, &e))
		return req_fail_error(r, &e);
	if (survey_update(r->db, &s, &e) ||
	    (nquotas >= 0 && survey_quotas_replace(r->db, s.id, quotas, nquotas, &e)))
		goto fail_e;
	if (req_audit(r, r->db, "survey.update", "survey", s.id,
	              json_pack("{s:s, s:i, s:i}", "title", s.title, "questions", s.d.nquestions,
	                        "quotas", nquotas)))
		goto fail;
	if (store_commit(r->db, &e))
		goto fail_e;
	return survey_reply(r, s.id, 200);
fail_e:
	req_fail_error(r, &e);
fail:
	store_rollback(r->db);
	return r->err.code ? r->err.code : ERR_INTERNAL;
}

static int survey_transition(struct req *r, const char *from, const char *to, const char *action)
{
	unsigned char raw[18];
	char token[32];
	struct survey s;
	struct error e;
	int rc;

	if (survey_param(r, &s))
		return r->err.code;
	if (strcmp(s.status, from))
		return req_fail(r, ERR_CONFLICT, NULL,
		                !strcmp(to, "published") ? "只有草稿可以发布"
		                                         : "只有进行中的问卷可以结束");
	if (!strcmp(to, "published") && !s.d.nquestions)
		return req_fail(r, ERR_INVALID, "design", "问卷还没有题目，不能发布");
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(token, sizeof(token), raw, sizeof(raw),
	                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	error_init(&e);
	if (store_begin(r->db, 1, &e))
		return req_fail_error(r, &e);
	rc = survey_set_status(r->db, s.id, to, token, time_now_ms(), &e);
	if (rc)
		req_fail_error(r, &e);
	else
		rc = req_audit(r, r->db, action, "survey", s.id,
		               json_pack("{s:s, s:s}", "title", s.title, "status", to));
	if ((rc = req_tx_end(r, r->db, rc, &e)))
		return rc;
	return survey_reply(r, s.id, 200);
}

/* POST /surveys/{id}/publish */
static int surveys_publish(struct req *r)
{
	return survey_transition(r, "draft", "published", "survey.publish");
}

/* POST /surveys/{id}/close */
static int surveys_close(struct req *r)
{
	return survey_transition(r, "published", "closed", "survey.close");
}

/* ---- a surveyor's responses (idempotent, as inspection records) -------------------------- */

static int response_reply(struct req *r, int64_t survey_id, int64_t id, int status, int replayed)
{
	struct survey_response x;
	struct error e;
	json_t *j;

	error_init(&e);
	if (survey_response_get(r->db, survey_id, id, &r->arena, &x, &e))
		return req_fail_error(r, &e);
	j = survey_response_json(&x);
	if (replayed) {
		json_object_set_new(j, "replayed", json_true());
		r->audited = 1; /* a replay stores nothing: no audit row is owed */
	}
	return req_reply_json(r, status, j);
}

/* POST /surveys/{id}/responses */
static int responses_create(struct req *r)
{
	static const char *const keys[] = {
	    "client_key", "community_id", "answers", "phone",       "age_group",
	    "sex",        "lat",          "lng",     "duration_ms", NULL};
	struct survey_response x;
	struct survey s;
	struct error e;
	json_t *body, *answers;
	const char *key = NULL;
	int64_t existing = 0, owner = 0;
	int rc;

	if (survey_param(r, &s) || req_body_json(r, &body) || http_idempotency_key(r, body, &key))
		return r->err.code;
	error_init(&e);
	if (store_begin(r->db, 1, &e))
		return req_fail_error(r, &e);
	if (survey_response_by_key(r->db, s.id, key, &existing, &owner, &e))
		goto fail_e;
	if (existing) {
		store_rollback(r->db);
		if (owner != r->who->user_id)
			return req_fail(r, ERR_CONFLICT, "client_key",
			                "该 client_key 已被其他用户使用");
		return response_reply(r, s.id, existing, 200, 1);
	}
	if (json_only_keys(body, keys, &e))
		goto fail_e;
	memset(&x, 0, sizeof(x));
	if (survey_response_fields(r, body, &x, &answers))
		goto fail;
	x.channel = "surveyor";
	x.client_key = key;
	x.surveyor_id = r->who->user_id;
	x.ip = r->ip;
	rc = survey_respond(r->db, &s, &x, answers, &r->arena, &e);
	if (rc == ERR_CONFLICT) {
		/* the unique index caught a retry that raced past the lookup */
		store_rollback(r->db);
		if (survey_response_by_key(r->db, s.id, key, &existing, &owner, &e))
			return req_fail_error(r, &e);
		if (existing && owner == r->who->user_id)
			return response_reply(r, s.id, existing, 200, 1);
		return req_fail(r, ERR_CONFLICT, "client_key", "该 client_key 已被其他用户使用");
	}
	if (rc)
		goto fail_e;
	if (req_audit(r, r->db, "survey_response.create", "survey_response", x.id,
	              json_pack("{s:I, s:I, s:s, s:i}", "survey_id", (json_int_t)s.id, "unit_id",
	                        (json_int_t)x.unit_id, "client_key", key, "flags", x.flags)))
		goto fail;
	if (store_commit(r->db, &e))
		goto fail_e;
	return response_reply(r, s.id, x.id, 201, 0);
fail_e:
	req_fail_error(r, &e);
fail:
	store_rollback(r->db);
	return r->err.code ? r->err.code : ERR_INTERNAL;
}

/* GET /surveys/{id}/responses?flagged=1&review=pending|accepted|rejected&unit_id= */
static int responses_list(struct req *r)
{
	struct survey_response_filter f;
	struct survey_response *list;
	struct survey s;
	struct error e;
	const char *review = req_query(r, "review");
	int64_t total = 0;
	json_t *items;
	int flagged = -1, i, n;

	memset(&f, 0, sizeof(f));
	if (survey_param(r, &s) || req_page(r, &f.offset, &f.limit) ||
	    http_query_bool(r, "flagged", &flagged) || http_query_id(r, "unit_id", &f.unit_id))
		return r->err.code;
	f.flagged = flagged == 1;
	if (review && *review) {
		if (!strcmp(review, "pending"))
			f.review = "";
		else if (!strcmp(review, "accepted") || !strcmp(review, "rejected"))
			f.review = review;
		else
			return req_fail(r, ERR_INVALID, "review",
			                "审核状态应为 pending、accepted 或 rejected");
	}
	error_init(&e);
	if (survey_response_list(r->db, s.id, &f, &r->arena, &list, &n, &total, &e))
		return req_fail_error(r, &e);
	items = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(items, survey_response_json(&list[i]));
	return req_reply_json(r, 200,
	                      json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)total));
}

/* POST /surveys/{id}/responses/{rid}/review {decision: accept|reject, note} */
static int responses_review(struct req *r)
{
	static const char *const keys[] = {"decision", "note", NULL};
	struct survey_response x;
	struct survey s;
	struct error e;
	json_t *body;
	const char *decision = NULL, *note = "", *review;
	int64_t rid;
	int rc;

	if (survey_param(r, &s) || req_param_id(r, "rid", &rid) || req_body_json(r, &body))
		return r->err.code;
	error_init(&e);
	if (json_only_keys(body, keys, &e) ||
	    json_get_string(body, "decision", JF_REQUIRED, 1, 16, &decision, &e) ||
	    json_get_string(body, "note", JF_NULLABLE, 0, 200, &note, &e))
		return req_fail_error(r, &e);
	if (!strcmp(decision, "accept"))
		review = "accepted";
	else if (!strcmp(decision, "reject"))
		review = "rejected";
	else
		return req_fail(r, ERR_INVALID, "decision", "审核结果应为 accept 或 reject");
	if (store_begin(r->db, 1, &e))
		return req_fail_error(r, &e);
	rc = survey_response_get(r->db, s.id, rid, &r->arena, &x, &e) ||
	     survey_response_review(r->db, rid, review, note, r->who->user_id, time_now_ms(), &e);
	if (rc)
		req_fail_error(r, &e);
	else
		rc = req_audit(r, r->db, "survey_response.review", "survey_response", rid,
		               json_pack("{s:I, s:s, s:s, s:s}", "survey_id", (json_int_t)s.id,
		                         "from", x.review, "to", review, "note", note));
	if ((rc = req_tx_end(r, r->db, rc, &e)))
		return rc;
	return response_reply(r, s.id, rid, 200, 0);
}

/* ---- the A4 QR poster ------------------------------------------------------------------- */

/* GET /surveys/{id}/poster.pdf?unit_id=  one page per community (or the one given) */
static int surveys_poster(struct req *r)
{
	struct pdf_doc d = PDF_DOC_INIT;
	struct survey_unit *units;
	struct survey s;
	struct error e;
	int64_t only = 0;
	void *pdf = NULL;
	size_t len = 0;
	int i, n, pages = 0, rc;

	if (survey_param(r, &s) || http_query_id(r, "unit_id", &only))
		return r->err.code;
	if (strcmp(s.status, "published"))
		return req_fail(r, ERR_CONFLICT, NULL, "问卷发布后才能打印二维码海报");
	error_init(&e);
	if (survey_communities(r->db, s.tenant_id, s.id, &r->arena, &units, &n, &e))
		return req_fail_error(r, &e);
	rc = pdf_init(&d, arena_printf(&r->arena, "%s 二维码海报", s.title), &e);
	for (i = 0; !rc && i < n; i++) {
		if (only && units[i].id != only)
			continue;
		if (pages++)
			pdf_page_break(&d);
		pdf_space(&d, 20);
		pdf_heading(&d, 1, s.title);
		pdf_paragraph(&d, arena_printf(&r->arena, "%s%s%s", units[i].parent_name,
		                               *units[i].parent_name ? " · " : "", units[i].name));
		pdf_space(&d, 6);
		if (*s.intro)
			pdf_paragraph(&d, s.intro);
		pdf_space(&d, 10);
		rc = pdf_qr(&d, survey_public_url(r, &s, units[i].id), 110,
		            "请用手机微信或浏览器扫码填写问卷（无需登录，约 3 分钟）", &e);
		pdf_space(&d, 8);
		pdf_paragraph(
		    &d, "问卷匿名填写，手机号选填且不会公开。感谢您对文明城市创建工作的支持！");
	}
	if (!rc && !pages)
		rc = error_set(&e, ERR_NOT_FOUND, "unit_id", "该社区不在本问卷的调查范围内");
	if (!rc)
		rc = pdf_finish(&d, &pdf, &len, &e);
	pdf_release(&d);
	if (rc) {
		free(pdf);
		return req_fail_error(r, &e);
	}
	if (http_audit_alone(
	        r, "survey.poster", "survey",
	        json_pack("{s:I, s:i}", "survey_id", (json_int_t)s.id, "pages", pages))) {
		free(pdf);
		return r->err.code;
	}
	rc =
	    req_reply_attachment(r, "application/pdf", pdf, len,
	                         arena_printf(&r->arena, "survey-%lld-poster.pdf", (long long)s.id),
	                         arena_printf(&r->arena, "问卷海报_%s.pdf", s.title));
	free(pdf);
	return rc;
}

void survey_routes(struct router *rt)
{
	router_add(rt, "GET", "/api/v1/surveys", surveys_list, ROUTE_LOGIN, 0);
	router_add(rt, "POST", "/api/v1/surveys", surveys_create, "survey:edit", 256 * 1024);
	router_add(rt, "GET", "/api/v1/surveys/{id}", surveys_get, ROUTE_LOGIN, 0);
	router_add(rt, "PUT", "/api/v1/surveys/{id}", surveys_update, "survey:edit", 256 * 1024);
	router_add(rt, "POST", "/api/v1/surveys/{id}/publish", surveys_publish, "survey:edit", 0);
	router_add(rt, "POST", "/api/v1/surveys/{id}/close", surveys_close, "survey:edit", 0);
	router_add(rt, "GET", "/api/v1/surveys/{id}/poster.pdf", surveys_poster, "survey:edit", 0);
	router_add(rt, "POST", "/api/v1/surveys/{id}/responses", responses_create, "survey:respond",
	           SURVEY_PUBLIC_BODY);
	router_add(rt, "GET", "/api/v1/surveys/{id}/responses", responses_list, "survey:review", 0);
	router_add(rt, "POST", "/api/v1/surveys/{id}/responses/{rid}/review", responses_review,
	           "survey:review", 0);
	survey_results_routes(rt);
	survey_sheet_routes(rt);
	survey_public_routes(rt);
}

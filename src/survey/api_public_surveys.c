/*
 * api_public_surveys.c - the questionnaire a resident opens by link or QR
 * code, without logging in: GET /public/surveys/{token} (the form) and POST
 * /public/surveys/{token}/responses.
 *
 * There is no session and no CSRF token here, so the endpoint protects
 * itself: a 16 KB body limit; a browser's Origin must be this site's; each
 * address has a budget (survey_limit.c) checked before the body is parsed:
 * first in this process's memory, so a flood is refused without touching
 * the database, then in the database with one statement, so two servers
 * behind the proxy do not double it; a refused request costs neither a
 * response row nor an audit line (429); one response per device (a random id the
 * page keeps in localStorage and in the wm_sdev cookie, stored hashed with
 * the survey) answers 409 the second time; a closed survey or a full quota
 * answers 410.  No personal data is required; a phone, if given, is only
 * ever shown masked.
 */
#include <string.h>

#include "app.h"
#include "audit/audit.h"
#include "auth/auth.h"
#include "core/config.h"
#include "http/json_io.h"
#include "http/req.h"
#include "http/router.h"
#include "core/utf8.h"
#include "http/reply.h"
#include "org/org.h"
#include "core/clock.h"
#include "org/org_db.h"
#include "store/store.h"
#include "survey/survey.h"
#include "survey/survey_api.h"
#include "survey/survey_limit.h"

#define DEVICE_COOKIE "wm_sdev"

static int device_ok(const char *d)
{
	size_t n = strlen(d);

	return n >= 16 && n <= 64 &&
	       strspn(d, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-") == n;
}

/* A cross-site page may not post here: a browser's Origin must name this host. */
static int origin_ok(struct req *r)
{
	const char *origin = req_header(r, "Origin"), *host = req_header(r, "Host"), *p;

	if (!origin)
		return 1; /* not a browser, or a same-origin GET */
	if (!host)
		return 0;
	p = strstr(origin, "://");
	return p && !strcmp(p + 3, host);
}

/* The survey of path {token}; 404 unknown or still a draft. */
static int public_survey(struct req *r, struct survey *s)
{
	const char *token = req_param(r, "token");
	struct error e;

	if (!token || strlen(token) < 16 || strlen(token) > 64)
		return req_fail(r, ERR_NOT_FOUND, NULL, "问卷不存在");
	error_init(&e);
	if (!req_db(r))
		return r->err.code;
	if (survey_by_token(r->db, token, &r->arena, s, &e))
		return req_fail_error(r, &e);
	if (!strcmp(s->status, "draft"))
		return req_fail(r, ERR_NOT_FOUND, NULL, "问卷不存在");
	return 0;
}

/* GET /public/surveys/{token} */
static int public_form(struct req *r)
{
	struct survey_unit *units;
	struct survey s;
	struct error e;
	json_t *list;
	int n, i;

	if (public_survey(r, &s))
		return r->err.code;
	if (strcmp(s.status, "published"))
		return req_fail(r, ERR_GONE, NULL, "问卷“%s”已结束，感谢您的关注", s.title);
	error_init(&e);
	if (survey_communities(r->db, s.tenant_id, s.id, &r->arena, &units, &n, &e))
		return req_fail_error(r, &e);
	list = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(
		    list, json_pack("{s:I, s:s, s:s}", "id", (json_int_t)units[i].id, "name",
		                    units[i].name, "parent_name", units[i].parent_name));
	return req_reply_json(r, 200,
	                      json_pack("{s:s, s:s, s:o, s:o}", "title", s.title, "intro", s.intro,
	                                "design", survey_design_json(&s.d, 0), "communities",
	                                list));
}

/* The fields of a response both channels share: community, answers, who, where, how long. */
int survey_response_fields(struct req *r, json_t *body, struct survey_response *x, json_t **answers)
{
	static const char *const ages[] = {"", "18-29", "30-44", "45-59", "60+", NULL};
	static const char *const sexes[] = {"", "male", "female", NULL};
	json_t *lat = json_object_get(body, "lat"), *lng = json_object_get(body, "lng");
	struct error e;
	const char *phone = "";
	int i, ok;

	error_init(&e);
	x->age_group = x->sex = "";
	if (json_get_int(body, "community_id", JF_REQUIRED, 1, INT64_MAX, &x->unit_id, &e) ||
	    json_get_string(body, "phone", JF_NULLABLE, 0, 20, &phone, &e) ||
	    json_get_string(body, "age_group", JF_NULLABLE, 0, 8, &x->age_group, &e) ||
	    json_get_string(body, "sex", JF_NULLABLE, 0, 8, &x->sex, &e) ||
	    json_get_int(body, "duration_ms", JF_NULLABLE, 0, 86400000LL, &x->duration_ms, &e))
		return req_fail_error(r, &e);
	if (*phone && !user_mobile_ok(phone))
		return req_fail(r, ERR_INVALID, "phone", "手机号格式不正确");
	x->phone = phone;
	for (i = 0, ok = 0; ages[i]; i++)
		ok |= !strcmp(ages[i], x->age_group);
	if (!ok)
		return req_fail(r, ERR_INVALID, "age_group",
		                "年龄段应为 18-29、30-44、45-59 或 60+");
	for (i = 0, ok = 0; sexes[i]; i++)
		ok |= !strcmp(sexes[i], x->sex);
	if (!ok)
		return req_fail(r, ERR_INVALID, "sex", "性别应为 male 或 female");
	if ((lat && !json_is_null(lat)) || (lng && !json_is_null(lng))) {
		if (!json_is_number(lat) || !json_is_number(lng) || json_number_value(lat) < -90 ||
		    json_number_value(lat) > 90 || json_number_value(lng) < -180 ||
		    json_number_value(lng) > 180)
			return req_fail(r, ERR_INVALID, "lat", "经纬度不正确");
		x->has_location = 1;
		x->lat = json_number_value(lat);
		x->lng = json_number_value(lng);
	}
	*answers = json_object_get(body, "answers");
	if (!json_is_object(*answers))
		return req_fail(r, ERR_INVALID, "answers", "请填写问卷");
	x->submitted_at = time_now_ms();
	return 0;
}

static const char *cookie_attrs(struct req *r)
{
	return r->app->cfg.https ? "; Path=/; Max-Age=31536000; HttpOnly; SameSite=Lax; Secure"
	                         : "; Path=/; Max-Age=31536000; HttpOnly; SameSite=Lax";
}

/* POST /public/surveys/{token}/responses */
static int public_respond(struct req *r)
{
	static const char *const keys[] = {
	    "device", "community_id", "answers", "phone",       "age_group",
	    "sex",    "lat",          "lng",     "duration_ms", NULL};
	struct survey_response x;
	struct req_audit_row ae;
	struct survey s;
	struct error e;
	json_t *body, *answers;
	const char *device = NULL, *cookie;
	char hashed[65], summary[128], oid[24];
	int64_t retry = 0, now = time_now_ms();
	int seen = 0, rc;

	if (!origin_ok(r))
		return req_fail(r, ERR_FORBIDDEN, NULL, "请从问卷页面提交");
	/* memory first: a flood never reaches the database; then the budget all servers share */
	if (!survey_limit_take(r->ip, now, &retry)) {
		if (!req_db(r))
			return r->err.code;
		error_init(&e);
		if (survey_rate_take(r->db, r->ip, now, &seen, &retry, &e))
			return req_fail_error(r, &e);
	}
	if (retry) {
		rc = req_fail(r, ERR_RATE_LIMITED, NULL, "提交过于频繁，请在 %lld 秒后再试",
		              (long long)retry);
		r->err.retry_after = (long)retry;
		return rc;
	}
	if (req_body_json(r, &body))
		return r->err.code;
	error_init(&e);
	if (json_only_keys(body, keys, &e) ||
	    json_get_string(body, "device", JF_REQUIRED, 16, 64, &device, &e))
		return req_fail_error(r, &e);
	if (!device_ok(device))
		return req_fail(r, ERR_INVALID, "device", "设备标识格式不正确");
	if (public_survey(r, &s))
		return r->err.code;
	if (strcmp(s.status, "published"))
		return req_fail(r, ERR_GONE, NULL, "问卷已结束，不再接收答卷");
	memset(&x, 0, sizeof(x));
	if (survey_response_fields(r, body, &x, &answers))
		return r->err.code;
	/* the device is kept hashed with the survey: it cannot link surveys or be replayed */
	auth_token_hash(arena_printf(&r->arena, "%lld:%s", (long long)s.id, device), hashed);
	x.channel = "public";
	x.device = hashed;
	x.ip = r->ip;
	cookie = req_cookie(r, DEVICE_COOKIE);
	if (cookie && strcmp(cookie, device))
		x.flags |= FLAG_DEVICE;
	if (store_begin(r->db, 1, &e))
		return req_fail_error(r, &e);
	if (survey_device_seen(r->db, s.id, hashed, &seen, &e))
		goto fail_e;
	if (seen) {
		req_fail(r, ERR_CONFLICT, "device", "您已经填写过这份问卷，感谢参与");
		goto fail;
	}
	rc = survey_respond(r->db, &s, &x, answers, &r->arena, &e);
	if (rc == ERR_CONFLICT) {
		req_fail(r, ERR_CONFLICT, "device", "您已经填写过这份问卷，感谢参与");
		goto fail;
	}
	if (rc)
		goto fail_e;
	snprintf(summary, sizeof(summary), "{\"survey_id\":%lld,\"unit_id\":%lld,\"flags\":%d}",
	         (long long)s.id, (long long)x.unit_id, x.flags);
	snprintf(oid, sizeof(oid), "%lld", (long long)x.id);
	memset(&ae, 0, sizeof(ae));
	ae.tenant_id = s.tenant_id;
	ae.username = "";
	ae.ip = r->ip;
	ae.action = "survey_response.create";
	ae.object_type = "survey_response";
	ae.object_id = oid;
	ae.summary = summary;
	ae.result = "ok";
	ae.request_id = r->id;
	if (audit_append(r->db, &ae, &e) || survey_rate_accepted(r->db, r->ip, &e) ||
	    store_commit(r->db, &e))
		goto fail_e;
	r->audited = 1;
	survey_limit_accepted(r->ip, now);
	req_add_header(r, "Set-Cookie",
	               arena_printf(&r->arena, "%s=%s%s", DEVICE_COOKIE, device, cookie_attrs(r)));
	return req_reply_json(
	    r, 201,
	    json_pack("{s:I, s:s}", "id", (json_int_t)x.id, "message", "提交成功，感谢您的参与！"));
fail_e:
	req_fail_error(r, &e);
fail:
	store_rollback(r->db);
	return r->err.code ? r->err.code : ERR_INTERNAL;
}

void survey_public_routes(struct router *rt)
{
	router_add(rt, "GET", "/api/v1/public/surveys/{token}", public_form, ROUTE_PUBLIC, 0);
	router_add(rt, "POST", "/api/v1/public/surveys/{token}/responses", public_respond,
	           ROUTE_PUBLIC, SURVEY_PUBLIC_BODY);
}

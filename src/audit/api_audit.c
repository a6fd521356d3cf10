/*
 * api_audit.c - reading the audit log: /audit (操作日志), /audit/logins
 * (登录日志) and /audit/export (xlsx).
 *
 * Every query is limited to the caller's tenant.  Filters: from and to are
 * milliseconds since the epoch, or a date YYYY-MM-DD in the tenant's time
 * zone (from = that day's first millisecond, to = its last, so from=to=one
 * date means that whole day); user is an exact username; action a prefix
 * ("role." finds role.create, role.update ...); object_type and result
 * (ok | denied | failed) exact.
 *
 * Data scope: audit_list filters by tenant and username only, so a role that
 * grants audit:log:view with a scope narrower than "all" sees the caller's
 * own rows, never more.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "audit/audit_http.h"
#include "auth/auth.h"
#include "core/clock.h"
#include "core/strbuf.h"
#include "http/req.h"
#include "spreadsheet/spreadsheet.h"
#include "store/store.h"
#include "system/tenants.h"

#define EXPORT_MAX_ROWS 100000
#define EXPORT_BATCH    1000

/* A query argument, NULL when absent or empty. */
static const char *arg(struct req *r, const char *key)
{
	const char *v = req_query(r, key);

	return v && *v ? v : NULL;
}

/* from / to: ms, or a date in the tenant's zone (end of day for to). */
static int parse_time(struct req *r, const char *key, int minutes, int end_of_day, int64_t *out)
{
	const char *v = arg(r, key);
	char *end;

	if (!v)
		return 0;
	if (v[strspn(v, "0123456789")] == '\0' && strlen(v) <= 15) {
		*out = strtoll(v, &end, 10);
		return 0;
	}
	if (tz_parse_date(v, minutes, out) == 0) {
		if (end_of_day)
			*out += 86400 * 1000LL - 1;
		return 0;
	}
	return req_fail(r, ERR_INVALID, key, "%s 应为毫秒时间戳或 YYYY-MM-DD 日期", key);
}

static int token_ok(const char *s, size_t max, const char *allowed)
{
	return strlen(s) <= max && s[strspn(s, allowed)] == '\0';
}

/*
 * Fill f from the query string.  login_log: the action prefix must be (and
 * defaults to) "auth.".  *empty = 1 when the caller's scope leaves nothing.
 */
static int audit_filter_parse(struct req *r, int login_log, const char *perm,
                              struct audit_filter *f, char tz[64], int *minutes_out, int *empty)
{
	struct scope sc;
	struct error e;
	int minutes = 480;

	memset(f, 0, sizeof(*f));
	*empty = 0;
	f->tenant_id = r->who->tenant_id;
	f->username = arg(r, "user");
	f->action = arg(r, "action");
	f->object_type = arg(r, "object_type");
	f->result = arg(r, "result");
	snprintf(tz, 64, "%s", TENANT_DEFAULT_TZ);
	error_init(&e);
	if (tenant_timezone(req_db(r), f->tenant_id, tz, &e))
		return req_fail_error(r, &e);
	tz_supported(tz, &minutes);
	*minutes_out = minutes;
	if (parse_time(r, "from", minutes, 0, &f->from) || parse_time(r, "to", minutes, 1, &f->to))
		return r->err.code;
	if (f->to && f->from > f->to)
		return req_fail(r, ERR_INVALID, "to", "结束时间不能早于开始时间");
	if (f->username && strlen(f->username) > 64)
		return req_fail(r, ERR_INVALID, "user", "用户名过长");
	/* A prefix for LIKE: letters, digits and dots only, so no wildcard slips in. */
	if (f->action && !token_ok(f->action, 64, "abcdefghijklmnopqrstuvwxyz0123456789._-:"))
		return req_fail(r, ERR_INVALID, "action", "操作类型只能包含小写字母、数字和点");
	if (f->object_type &&
	    !token_ok(f->object_type, 32, "abcdefghijklmnopqrstuvwxyz0123456789_-"))
		return req_fail(r, ERR_INVALID, "object_type", "对象类型不正确");
	if (f->result && strcmp(f->result, "ok") && strcmp(f->result, "denied") &&
	    strcmp(f->result, "failed"))
		return req_fail(r, ERR_INVALID, "result", "结果应为 ok、denied 或 failed");
	if (login_log) {
		if (f->action && strncmp(f->action, "auth.", 5))
			return req_fail(r, ERR_INVALID, "action",
			                "登录日志只包含 auth. 开头的操作");
		if (!f->action)
			f->action = "auth.";
	}
	principal_scope(r->who, perm, &r->arena, &sc);
	if (!sc.all) {
		if (f->username && strcmp(f->username, r->who->username))
			*empty = 1;
		f->username = r->who->username;
	}
	return 0;
}

static int audit_list_reply(struct req *r, int login_log, const char *perm)
{
	struct audit_filter f;
	struct error e;
	json_t *items = NULL;
	char tz[64];
	int64_t total = 0;
	int minutes, empty;

	if (!req_db(r))
		return r->err.code;
	if (audit_filter_parse(r, login_log, perm, &f, tz, &minutes, &empty) ||
	    req_page(r, &f.offset, &f.limit))
		return r->err.code;
	error_init(&e);
	if (empty)
		items = json_array();
	else if (audit_list(r->db, &f, &items, &total, &e))
		return req_fail_error(r, &e);
	return req_reply_json(r, 200,
	                      json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)total));
}

/* GET /audit */
static int audit_get(struct req *r)
{
	return audit_list_reply(r, 0, "audit:log:view");
}

/* GET /audit/logins: auth.login, auth.logout, auth.lock, auth.unlock rows. */
static int audit_logins(struct req *r)
{
	return audit_list_reply(r, 1, "audit:login:view");
}

/* GET /audit/catalogue: the Chinese labels of actions, object types and summaries. */
static int audit_catalogue(struct req *r)
{
	return req_reply_json(r, 200, audit_catalogue_json());
}

static const char *result_label(const char *result)
{
	if (!strcmp(result, "ok"))
		return "成功";
	if (!strcmp(result, "denied"))
		return "拒绝";
	return "失败";
}

/* Write one batch of audit_list rows; *n counts them. */
static int export_rows(struct sheet_writer *w, json_t *items, int minutes, int64_t *n,
                       struct error *e)
{
	size_t i;
	json_t *row;

	json_array_foreach(items, i, row)
	{
		char id[24], at[20], action[96];
		char *summary = audit_summary_text(json_object_get(row, "summary"));
		const char *cells[10];
		int rc;

		snprintf(id, sizeof(id), "%lld",
		         (long long)json_integer_value(json_object_get(row, "id")));
		tz_format(json_integer_value(json_object_get(row, "at")), minutes, at);
		cells[0] = id;
		cells[1] = at;
		cells[2] = json_string_value(json_object_get(row, "username"));
		cells[3] = json_string_value(json_object_get(row, "ip"));
		cells[4] = audit_action_label(json_string_value(json_object_get(row, "action")),
		                              action, sizeof(action));
		cells[5] =
		    audit_object_label(json_string_value(json_object_get(row, "object_type")));
		cells[6] = json_string_value(json_object_get(row, "object_id"));
		cells[7] = result_label(json_string_value(json_object_get(row, "result")));
		cells[8] = summary;
		cells[9] = json_string_value(json_object_get(row, "request_id"));
		rc = sheet_writer_row_typed(w, "nd", cells, e);
		free(summary);
		if (rc)
			return rc;
		(*n)++;
	}
	return 0;
}

/* RFC 5987 percent-encoding of a UTF-8 file name. */
static const char *rfc5987(struct arena *a, const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	const char *out;

	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9') || strchr("!#$&+-.^_`|~", ch))
			strbuf_addch(&sb, (char)ch);
		else
			strbuf_addf(&sb, "%%%02X", ch);
	}
	out = arena_strdup(a, sb.buf ? sb.buf : "");
	strbuf_release(&sb);
	return out;
}

/*
 * Audit the export itself: who took which rows out of the system.  Its own
 * transaction; the export is already built.
 */
static int audit_export_row(struct req *r, const struct audit_filter *f, int64_t rows)
{
	struct error e;
	json_t *s =
	    json_pack("{s:I, s:I, s:s?, s:s?, s:s?, s:s?, s:I}", "from", (json_int_t)f->from, "to",
	              (json_int_t)f->to, "user", f->username, "action", f->action, "object_type",
	              f->object_type, "result", f->result, "rows", (json_int_t)rows);
	int rc;

	error_init(&e);
	rc = store_begin(r->db, 1, &e);
	if (rc) {
		json_decref(s);
		return req_fail_error(r, &e);
	}
	rc = req_audit(r, r->db, "audit.export", "audit", 0, s);
	return req_tx_end(r, r->db, rc, &e);
}

/* GET /audit/export: the filtered rows as .xlsx, times in the tenant's zone. */
static int audit_export(struct req *r)
{
	static const char *const headers[] = {"编号", "时间",     "用户",     "IP 地址",
	                                      "操作", "对象类型", "对象编号", "结果",
	                                      "详情", "请求编号"};
	struct sheet_writer w;
	struct audit_filter f;
	struct error e;
	char today[20], tzname[64], title[160];
	json_t *items = NULL;
	void *data = NULL;
	size_t len = 0;
	int64_t total = 0, page_total = 0, n = 0, now = time_now_ms();
	int minutes, empty, rc;
	const char *name;

	if (!req_db(r))
		return r->err.code;
	if (audit_filter_parse(r, 0, "audit:log:export", &f, tzname, &minutes, &empty))
		return r->err.code;
	/* Rows arriving during the export would shift the pages: stop the clock now. */
	if (!f.to || f.to > now)
		f.to = now;
	error_init(&e);
	tz_format(now, minutes, today);
	f.limit = 1;
	if (!empty && audit_list(r->db, &f, &items, &total, &e))
		return req_fail_error(r, &e);
	json_decref(items);
	if (total > EXPORT_MAX_ROWS)
		return req_fail(r, ERR_INVALID, "from",
		                "符合条件的记录有 %lld 条，超过 %d 条的导出上限，请缩小时间范围",
		                (long long)total, EXPORT_MAX_ROWS);
	rc = sheet_writer_init(&w, "操作日志", headers, 10, &e);
	if (rc == 0) {
		snprintf(title, sizeof(title), "操作日志导出 %.10s（时间为 %s）", today, tzname);
		rc = sheet_writer_title(&w, title, &e);
	}
	for (f.offset = 0, f.limit = EXPORT_BATCH; rc == 0 && !empty && f.offset < total;
	     f.offset += EXPORT_BATCH) {
		rc = audit_list(r->db, &f, &items, &page_total, &e);
		if (rc == 0)
			rc = export_rows(&w, items, minutes, &n, &e);
		json_decref(items);
		items = NULL;
	}
	if (rc == 0)
		rc = sheet_writer_finish(&w, &data, &len, &e);
	sheet_writer_release(&w);
	if (rc)
		return req_fail_error(r, &e);
	if (audit_export_row(r, &f, n)) {
		free(data);
		return r->err.code;
	}
	name = arena_printf(&r->arena, "操作日志_%.4s%.2s%.2s.xlsx", today, today + 5, today + 8);
	req_add_header(r, "Content-Disposition",
	               arena_printf(&r->arena,
	                            "attachment; filename=\"audit-log-%.4s%.2s%.2s.xlsx\"; "
	                            "filename*=UTF-8''%s",
	                            today, today + 5, today + 8, rfc5987(&r->arena, name)));
	rc = req_reply_bytes(r, 200,
	                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	                     data, len, 1);
	free(data);
	return rc;
}

void audit_routes(struct router *rt)
{
	router_add(rt, "GET", "/api/v1/audit", audit_get, "audit:log:view", 0);
	router_add(rt, "GET", "/api/v1/audit/logins", audit_logins, "audit:login:view", 0);
	router_add(rt, "GET", "/api/v1/audit/export", audit_export, "audit:log:export", 0);
	router_add(rt, "GET", "/api/v1/audit/catalogue", audit_catalogue, "audit:log:view", 0);
}

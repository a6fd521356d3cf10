/*
 * reply.c - query arguments and replies every domain's endpoints share:
 * optional filters, export downloads (with their audit row) and the
 * refused-import reply.
 */
#include "http/reply.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/parse.h"
#include "http/multipart.h"
#include "http/req.h"
#include "spreadsheet/spreadsheet.h"
#include "store/store.h"
#include "core/clock.h"

#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

int http_query_bool(struct req *r, const char *key, int *out)
{
	const char *v = req_query(r, key);

	*out = -1;
	if (!v || !*v)
		return 0;
	if (!strcmp(v, "1") || !strcmp(v, "true"))
		*out = 1;
	else if (!strcmp(v, "0") || !strcmp(v, "false"))
		*out = 0;
	else
		return req_fail(r, ERR_INVALID, key, "参数 %s 应为 true 或 false", key);
	return 0;
}

int http_query_id(struct req *r, const char *key, int64_t *out)
{
	const char *v = req_query(r, key);

	*out = 0;
	if (!v || !*v)
		return 0;
	if ((*out = parse_count(v, INT64_MAX / 10)) < 1)
		return req_fail(r, ERR_INVALID, key, "参数 %s 应为正整数编号", key);
	return 0;
}

/* China has one time zone and no daylight saving: tenants are shown UTC+8. */
static void china_tm(int64_t ms, struct tm *tm)
{
	time_t t = (time_t)(ms / 1000) + 8 * 3600;

	gmtime_r(&t, tm);
}

const char *http_format_time(int64_t ms, struct arena *a)
{
	struct tm tm;

	if (!ms)
		return "";
	china_tm(ms, &tm);
	return arena_printf(a, "%04d-%02d-%02d %02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1,
	                    tm.tm_mday, tm.tm_hour, tm.tm_min);
}

const char *http_format_local(int64_t ms, int minutes, struct arena *a)
{
	char buf[20];

	if (!ms)
		return "";
	tz_format(ms, minutes, buf);
	buf[16] = '\0';
	return arena_strdup(a, buf);
}

int http_reply_xlsx(struct req *r, void *data, size_t len, const char *ascii_name,
                    const char *utf8_name)
{
	struct timespec ts;
	struct tm tm;
	char day[48];
	int rc;

	clock_gettime(CLOCK_REALTIME, &ts);
	china_tm((int64_t)ts.tv_sec * 1000, &tm);
	snprintf(day, sizeof(day), "%04d%02d%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
	rc = req_reply_attachment(r, XLSX_TYPE, data, len,
	                          arena_printf(&r->arena, "%s-%s.xlsx", ascii_name, day),
	                          arena_printf(&r->arena, "%s_%s.xlsx", utf8_name, day));
	free(data);
	return rc;
}

int http_reply_export(struct req *r, struct sheet_writer *w, int rc, struct error *e,
                      const char *action, const char *object_type, json_t *summary,
                      const char *ascii_name, const char *utf8_name)
{
	void *data = NULL;
	size_t len = 0;

	if (rc == 0)
		rc = sheet_writer_finish(w, &data, &len, e);
	sheet_writer_release(w);
	if (rc) {
		free(data);
		json_decref(summary);
		return req_fail_error(r, e);
	}
	if (http_audit_alone(r, action, object_type, summary)) {
		free(data);
		return r->err.code;
	}
	return http_reply_xlsx(r, data, len, ascii_name, utf8_name);
}

int http_reply_import_errors(struct req *r, json_t *errors)
{
	json_t *err = json_pack("{s:s, s:s, s:s}", "code", "invalid", "message",
	                        "导入未执行：表格中有不符合要求的内容，请按行号修改后重新上传",
	                        "request_id", r->id);

	return req_reply_json(
	    r, 422, json_pack("{s:o, s:i, s:o}", "error", err, "imported", 0, "errors", errors));
}

int http_audit_alone(struct req *r, const char *action, const char *object_type, json_t *summary)
{
	struct error e;
	int rc;

	error_init(&e);
	rc = store_begin(r->db, 1, &e);
	if (rc) {
		json_decref(summary);
		return req_fail_error(r, &e);
	}
	return req_tx_end(r, r->db, req_audit(r, r->db, action, object_type, 0, summary), &e);
}

/* The filters of a list as given in the query string, for an export's audit row. */
json_t *http_query_summary(struct req *r, const char *const *keys, int64_t rows)
{
	json_t *s = json_pack("{s:I}", "rows", (json_int_t)rows);
	int i;

	for (i = 0; keys[i]; i++) {
		const char *v = req_query(r, keys[i]);

		if (v && *v)
			json_object_set_new(s, keys[i], json_stringn(v, strnlen(v, 200)));
	}
	return s;
}

/* ---- idempotency key --------------------------------------------------------- */

int http_idempotency_key(struct req *r, json_t *body, const char **out)
{
	const char *h = req_header(r, "Idempotency-Key"), *b = NULL;
	json_t *v = json_object_get(body, "client_key");
	size_t n;

	if (v && !json_is_null(v)) {
		if (!json_is_string(v))
			return req_fail(r, ERR_INVALID, "client_key", "client_key 应为字符串");
		b = json_string_value(v);
	}
	if (h && b && strcmp(h, b))
		return req_fail(r, ERR_INVALID, "client_key",
		                "Idempotency-Key 与 client_key 不一致");
	*out = h ? h : b;
	if (!*out)
		return req_fail(r, ERR_INVALID, "client_key",
		                "请提供 Idempotency-Key 请求头或 client_key 字段");
	n = strlen(*out);
	if (n < 1 || n > HTTP_IDEMPOTENCY_KEY_MAX ||
	    strspn(*out, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:-") != n)
		return req_fail(r, ERR_INVALID, "client_key",
		                "client_key 应为 1 到 64 位字母、数字、.、_、: 或 -");
	return 0;
}

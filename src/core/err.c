/* err.c - error records and the one mapping from codes to HTTP. */
#include "core/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct err_info {
	int code;
	int status;
	const char *name;
	const char *message;
};

static const struct err_info err_table[] = {
    {ERR_BAD_REQUEST, 400, "bad_request", "请求格式错误"},
    {ERR_UNAUTHORIZED, 401, "unauthorized", "请先登录"},
    {ERR_FORBIDDEN, 403, "forbidden", "没有执行此操作的权限"},
    {ERR_CSRF, 403, "csrf_failed", "页面已过期或请求来源不可信，请刷新页面后重试"},
    {ERR_NOT_FOUND, 404, "not_found", "请求的资源不存在"},
    {ERR_METHOD, 405, "method_not_allowed", "不支持该请求方法"},
    {ERR_NOT_ACCEPTABLE, 406, "not_acceptable", "无法提供所请求的格式"},
    {ERR_CONFLICT, 409, "conflict", "操作与当前状态冲突"},
    {ERR_TOO_LARGE, 413, "payload_too_large", "请求内容超过大小限制"},
    {ERR_MEDIA_TYPE, 415, "unsupported_media_type", "不支持的内容类型"},
    {ERR_INVALID, 422, "invalid", "提交的数据不符合要求"},
    {ERR_GONE, 410, "gone", "已停止接收"},
    {ERR_RATE_LIMITED, 429, "too_many_requests", "请求过于频繁，请稍后再试"},
    {ERR_INTERNAL, 500, "internal", "服务器内部错误"},
    {ERR_UNAVAILABLE, 503, "unavailable", "服务暂时不可用，请稍后再试"},
};

static const struct err_info *err_lookup(int code)
{
	size_t i;

	for (i = 0; i < sizeof(err_table) / sizeof(err_table[0]); i++)
		if (err_table[i].code == code)
			return &err_table[i];
	return &err_table[sizeof(err_table) / sizeof(err_table[0]) - 2]; /* internal */
}

void error_init(struct error *e)
{
	if (!e)
		return;
	e->code = ERR_OK;
	e->field[0] = '\0';
	e->message[0] = '\0';
	e->retry_after = 0;
}

int error_set(struct error *e, int code, const char *field, const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return code;
	e->code = code;
	e->retry_after = 0;
	snprintf(e->field, sizeof(e->field), "%s", field ? field : "");
	if (fmt) {
		va_start(ap, fmt);
		vsnprintf(e->message, sizeof(e->message), fmt, ap);
		va_end(ap);
	} else {
		snprintf(e->message, sizeof(e->message), "%s", err_default_message(code));
	}
	return code;
}

int err_http_status(int code)
{
	return err_lookup(code)->status;
}

const char *err_code_name(int code)
{
	return err_lookup(code)->name;
}

const char *err_default_message(int code)
{
	return err_lookup(code)->message;
}

/* json_io.c - strict parsing and validated field access. */
#include "http/json_io.h"

#include <string.h>

#include "core/arena.h"
#include "core/utf8.h"

int json_parse_object(const char *buf, size_t len, json_t **out, struct error *e)
{
	json_error_t jerr;
	json_t *doc;

	*out = NULL;
	if (len == 0)
		return error_set(e, ERR_BAD_REQUEST, NULL, "请求内容为空");
	doc = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!doc)
		return error_set(e, ERR_BAD_REQUEST, NULL, "JSON 格式错误（第 %d 行第 %d 列）",
		                 jerr.line, jerr.column);
	if (!json_is_object(doc)) {
		json_decref(doc);
		return error_set(e, ERR_BAD_REQUEST, NULL, "请求内容必须是 JSON 对象");
	}
	*out = doc;
	return 0;
}

/* Look up key; 1 = present and not (nullable) null, 0 = absent, <0 = error. */
static int field(json_t *obj, const char *key, int flags, json_t **v, struct error *e)
{
	*v = json_object_get(obj, key);
	if (!*v || (json_is_null(*v) && (flags & JF_NULLABLE))) {
		if (flags & JF_REQUIRED)
			return error_set(e, ERR_INVALID, key, "缺少必填字段 %s", key);
		return 0;
	}
	return 1;
}

int json_get_string(json_t *obj, const char *key, int flags, size_t min_chars, size_t max_chars,
                    const char **out, struct error *e)
{
	const char *s;
	size_t n;
	json_t *v;
	int rc = field(obj, key, flags, &v, e);

	if (rc <= 0)
		return rc;
	if (!json_is_string(v))
		return error_set(e, ERR_INVALID, key, "字段 %s 应为字符串", key);
	s = json_string_value(v);
	n = utf8_chars(s);
	if (n < min_chars)
		return error_set(e, ERR_INVALID, key,
		                 min_chars == 1 ? "字段 %s 不能为空" : "字段 %s 至少 %zu 个字符",
		                 key, min_chars);
	if (n > max_chars)
		return error_set(e, ERR_INVALID, key, "字段 %s 不能超过 %zu 个字符", key,
		                 max_chars);
	*out = s;
	return 0;
}

int json_get_int(json_t *obj, const char *key, int flags, int64_t min, int64_t max, int64_t *out,
                 struct error *e)
{
	json_t *v;
	json_int_t n;
	int rc = field(obj, key, flags, &v, e);

	if (rc <= 0)
		return rc;
	if (!json_is_integer(v))
		return error_set(e, ERR_INVALID, key, "字段 %s 应为整数", key);
	n = json_integer_value(v);
	if (n < min || n > max)
		return error_set(e, ERR_INVALID, key, "字段 %s 应在 %lld 到 %lld 之间", key,
		                 (long long)min, (long long)max);
	*out = n;
	return 0;
}

int json_get_bool(json_t *obj, const char *key, int flags, int *out, struct error *e)
{
	json_t *v;
	int rc = field(obj, key, flags, &v, e);

	if (rc <= 0)
		return rc;
	if (!json_is_boolean(v))
		return error_set(e, ERR_INVALID, key, "字段 %s 应为 true 或 false", key);
	*out = json_is_true(v);
	return 0;
}

int json_only_keys(json_t *obj, const char *const *allowed, struct error *e)
{
	const char *key;
	json_t *v;

	json_object_foreach(obj, key, v)
	{
		const char *const *a;
		int ok = 0;

		for (a = allowed; *a; a++)
			if (!strcmp(*a, key))
				ok = 1;
		if (!ok)
			return error_set(e, ERR_INVALID, key, "不支持的字段 %s", key);
	}
	return 0;
}

int json_get_ids(json_t *obj, const char *key, int max, struct arena *a, int64_t **out, int *n,
                 struct error *e)
{
	json_t *arr = json_object_get(obj, key), *v;
	size_t i;

	*n = 0;
	*out = arena_alloc(a, (size_t)(max > 0 ? max : 1) * sizeof(**out));
	if (!arr || json_is_null(arr))
		return 0;
	if (!json_is_array(arr) || json_array_size(arr) > (size_t)max)
		return error_set(e, ERR_INVALID, key, "%s 应为最多 %d 个编号的数组", key, max);
	json_array_foreach(arr, i, v)
	{
		int k;

		if (!json_is_integer(v) || json_integer_value(v) < 1)
			return error_set(e, ERR_INVALID, key, "%s 应为编号的数组", key);
		for (k = 0; k < *n; k++)
			if ((*out)[k] == json_integer_value(v))
				return error_set(e, ERR_INVALID, key, "%s 有重复的编号", key);
		(*out)[(*n)++] = json_integer_value(v);
	}
	return 0;
}

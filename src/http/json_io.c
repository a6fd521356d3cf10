/* json_io.c - strict parsing and validated field access. */
#include "http/json_io.h"

#include <stdlib.h>
#include <string.h>

#include "auth/password.h" /* utf8_chars */
#include "core/strbuf.h"

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

int json_get_string(json_t *obj, const char *key, int flags, size_t min_chars,
		    size_t max_chars, const char **out, struct error *e)
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
				 min_chars == 1 ? "字段 %s 不能为空" : "字段 %s 至少 %zu 个字符", key,
				 min_chars);
	if (n > max_chars)
		return error_set(e, ERR_INVALID, key, "字段 %s 不能超过 %zu 个字符", key, max_chars);
	*out = s;
	return 0;
}

int json_get_int(json_t *obj, const char *key, int flags, int64_t min, int64_t max,
		 int64_t *out, struct error *e)
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

	json_object_foreach(obj, key, v) {
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

/* ---- writing ------------------------------------------------------------ */

/* s (n bytes, valid UTF-8: jansson checked it) as a JSON string, as jansson escapes it. */
static void dump_string(const char *s, size_t n, struct strbuf *sb)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i, from = 0;

	strbuf_grow(sb, n + 2);
	strbuf_addch(sb, '"');
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		char esc[7];
		size_t len = 2;

		if (ch >= 0x20 && ch != '"' && ch != '\\')
			continue;
		strbuf_add(sb, s + from, i - from);
		from = i + 1;
		esc[0] = '\\';
		switch (ch) {
		case '"': esc[1] = '"'; break;
		case '\\': esc[1] = '\\'; break;
		case '\b': esc[1] = 'b'; break;
		case '\f': esc[1] = 'f'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		case '\t': esc[1] = 't'; break;
		default:
			memcpy(esc + 1, "u00", 3);
			esc[4] = hex[ch >> 4];
			esc[5] = hex[ch & 15];
			len = 6;
		}
		strbuf_add(sb, esc, len);
	}
	strbuf_add(sb, s + from, n - from);
	strbuf_addch(sb, '"');
}

static void dump_integer(json_int_t v, struct strbuf *sb)
{
	char buf[24], *p = buf + sizeof(buf);
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;

	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--p = '-';
	strbuf_add(sb, p, (size_t)(buf + sizeof(buf) - p));
}

int json_io_dump(const json_t *v, struct strbuf *sb)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: {
		const char *key;
		json_t *item;
		int first = 1;

		strbuf_addch(sb, '{');
		json_object_foreach((json_t *)v, key, item)
		{
			if (!first)
				strbuf_addch(sb, ',');
			first = 0;
			dump_string(key, strlen(key), sb);
			strbuf_addch(sb, ':');
			if (json_io_dump(item, sb))
				return -1;
		}
		strbuf_addch(sb, '}');
		return 0;
	}
	case JSON_ARRAY: {
		size_t i, n = json_array_size(v);

		strbuf_addch(sb, '[');
		for (i = 0; i < n; i++) {
			if (i)
				strbuf_addch(sb, ',');
			if (json_io_dump(json_array_get(v, i), sb))
				return -1;
		}
		strbuf_addch(sb, ']');
		return 0;
	}
	case JSON_STRING:
		dump_string(json_string_value(v), json_string_length(v), sb);
		return 0;
	case JSON_INTEGER:
		dump_integer(json_integer_value(v), sb);
		return 0;
	case JSON_REAL: {
		/* rare (coordinates): jansson's own formatting, exactly */
		char *text = json_dumps(v, JSON_ENCODE_ANY | JSON_REAL_PRECISION(12));

		if (!text)
			return -1;
		strbuf_adds(sb, text);
		free(text);
		return 0;
	}
	case JSON_TRUE:
		strbuf_adds(sb, "true");
		return 0;
	case JSON_FALSE:
		strbuf_adds(sb, "false");
		return 0;
	case JSON_NULL:
	default:
		strbuf_adds(sb, "null");
		return 0;
	}
}

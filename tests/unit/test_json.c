/* test_json.c - strict parsing and field validation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <stdlib.h>

#include "core/err.h"
#include "core/strbuf.h"
#include "http/json_io.h"

static int parse(const char *text, json_t **out)
{
	struct error e;

	return json_parse_object(text, strlen(text), out, &e);
}

static void rejects_what_is_not_strict_json(void **state)
{
	json_t *doc = NULL;
	struct error e;

	(void)state;
	assert_int_equal(parse("{\"a\":1,\"a\":2}", &doc), ERR_BAD_REQUEST); /* duplicate key */
	assert_int_equal(parse("{\"a\":\"x\\u0000y\"}", &doc), ERR_BAD_REQUEST); /* NUL */
	assert_int_equal(parse("{\"a\":\"\xff\xfe\"}", &doc), ERR_BAD_REQUEST);  /* bad UTF-8 */
	assert_int_equal(parse("{\"a\":1", &doc), ERR_BAD_REQUEST);
	assert_int_equal(parse("[1,2]", &doc), ERR_BAD_REQUEST); /* not an object */
	assert_int_equal(parse("{} {}", &doc), ERR_BAD_REQUEST); /* trailing data */
	assert_int_equal(json_parse_object("", 0, &doc, &e), ERR_BAD_REQUEST);
	assert_true(strstr(e.message, "为空") != NULL);
	assert_int_equal(parse("{\"名称\":\"示例县\"}", &doc), 0);
	json_decref(doc);
}

static void validates_fields_by_name(void **state)
{
	json_t *doc;
	struct error e;
	const char *s = NULL;
	int64_t n = 0;
	int b = 0;
	static const char *const allowed[] = {"name", "age", "ok", "none", NULL};

	(void)state;
	assert_int_equal(parse("{\"name\":\"住建局住建局\",\"age\":7,\"ok\":true,\"none\":null}", &doc), 0);
	assert_int_equal(json_get_string(doc, "name", JF_REQUIRED, 1, 6, &s, &e), 0);
	assert_string_equal(s, "住建局住建局");
	assert_int_equal(json_get_string(doc, "name", JF_REQUIRED, 1, 5, &s, &e), ERR_INVALID);
	assert_string_equal(e.field, "name");
	assert_int_equal(json_get_string(doc, "missing", JF_REQUIRED, 1, 4, &s, &e), ERR_INVALID);
	assert_string_equal(e.field, "missing");
	assert_int_equal(json_get_string(doc, "missing", 0, 1, 4, &s, &e), 0);
	assert_int_equal(json_get_string(doc, "age", 0, 0, 4, &s, &e), ERR_INVALID);
	assert_int_equal(json_get_int(doc, "age", JF_REQUIRED, 0, 10, &n, &e), 0);
	assert_int_equal(n, 7);
	assert_int_equal(json_get_int(doc, "age", JF_REQUIRED, 8, 10, &n, &e), ERR_INVALID);
	assert_int_equal(json_get_int(doc, "name", JF_REQUIRED, 0, 10, &n, &e), ERR_INVALID);
	assert_int_equal(json_get_bool(doc, "ok", JF_REQUIRED, &b, &e), 0);
	assert_int_equal(b, 1);
	assert_int_equal(json_get_bool(doc, "age", JF_REQUIRED, &b, &e), ERR_INVALID);
	assert_int_equal(json_get_string(doc, "none", JF_NULLABLE, 0, 4, &s, &e), 0);
	assert_int_equal(json_get_string(doc, "none", 0, 0, 4, &s, &e), ERR_INVALID);
	assert_int_equal(json_only_keys(doc, allowed, &e), 0);
	json_object_set_new(doc, "extra", json_true());
	assert_int_equal(json_only_keys(doc, allowed, &e), ERR_INVALID);
	assert_string_equal(e.field, "extra");
	json_decref(doc);
}

/* json_io_dump writes what json_dumps writes, for every kind of value. */
static void dump_matches_jansson(void **state)
{
	static const char *const docs[] = {
		"{}", "[]", "{\"a\":[]}", "[{},[[]]]", "null", "true", "false", "0", "-1",
		"9223372036854775807", "-9223372036854775808", "1.5", "-0.000123456789012345",
		"1e300", "123456789012345678.0", "3.0", "[30.123456789012, 120.98765432101]",
		"\"\"", "\"\\\"\\\\/\\b\\f\\n\\r\\t\\u0001\\u001f\\u007f\"",
		"\"文明城市 \\u2028\\u2029 😀\"",
		"{\"键\":\"值\",\"a\\\"b\":{\"x\":[1,2.25,\"y\",null,true]},\"z\":-7}",
		"{\"b\":1,\"a\":2,\"c\":{\"z\":1,\"y\":2}}",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		json_error_t err;
		json_t *v = json_loads(docs[i], JSON_DECODE_ANY, &err);
		char *want;
		struct strbuf sb = STRBUF_INIT;

		assert_non_null(v);
		want = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(12));
		assert_int_equal(json_io_dump(v, &sb), 0);
		assert_string_equal(strbuf_str(&sb), want);
		free(want);
		strbuf_release(&sb);
		json_decref(v);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rejects_what_is_not_strict_json),
		cmocka_unit_test(validates_fields_by_name),
		cmocka_unit_test(dump_matches_jansson),
	};

	return cmocka_run_group_tests_name("json", tests, NULL, NULL);
}

/* test_json.c - strict parsing and field validation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/err.h"
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
	assert_int_equal(parse("{\"a\":1,\"a\":2}", &doc), ERR_BAD_REQUEST);     /* duplicate key */
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
	assert_int_equal(
	    parse("{\"name\":\"住建局住建局\",\"age\":7,\"ok\":true,\"none\":null}", &doc), 0);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(rejects_what_is_not_strict_json),
	    cmocka_unit_test(validates_fields_by_name),
	};

	return cmocka_run_group_tests_name("json", tests, NULL, NULL);
}

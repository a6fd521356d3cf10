/*
 * test_audit_labels.c - the audit log's Chinese catalogue
 * (src/audit/audit_labels.c): whole actions, "object.verb" composed from the
 * verb and the object type, unknown codes as given, and summaries with a
 * status transition read as 状态：整改中 → 已反馈.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "audit/audit.h"

static void actions(void **state)
{
	char buf[96];

	(void)state;
	assert_string_equal(audit_action_label("problem.submit", buf, sizeof(buf)), "提交整改");
	assert_string_equal(audit_action_label("file.upload", buf, sizeof(buf)), "上传照片或附件");
	assert_string_equal(audit_action_label("unit.create", buf, sizeof(buf)), "新增单位");
	assert_string_equal(audit_action_label("point_type.import", buf, sizeof(buf)),
	                    "导入点位类型");
	/* unknown: shown as sent, never an empty cell */
	assert_string_equal(audit_action_label("robot.dance", buf, sizeof(buf)), "robot.dance");
	assert_string_equal(audit_action_label("nodot", buf, sizeof(buf)), "nodot");
	assert_string_equal(audit_object_label("problem"), "问题");
	assert_string_equal(audit_object_label("mystery"), "mystery");
}

static void summaries(void **state)
{
	json_t *s = json_pack("{s:s, s:s, s:s}", "code", "2026-000001", "from", "rectifying", "to",
	                      "submitted");
	char *text = audit_summary_text(s);

	(void)state;
	assert_string_equal(text, "状态：整改中 → 已反馈，编号：2026-000001");
	free(text);
	json_decref(s);

	s = json_pack("{s:b, s:s, s:i}", "passed", 0, "status", "closed", "weird", 3);
	text = audit_summary_text(s);
	assert_string_equal(text, "通过：否，状态：已销号，weird：3");
	free(text);
	json_decref(s);

	text = audit_summary_text(NULL);
	assert_string_equal(text, "");
	free(text);
}

static void catalogue(void **state)
{
	json_t *c = audit_catalogue_json();

	(void)state;
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(c, "statuses"), "rework")),
	    "复核不通过");
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(c, "verbs"), "delete")), "删除");
	json_decref(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(actions),
	    cmocka_unit_test(summaries),
	    cmocka_unit_test(catalogue),
	};

	return cmocka_run_group_tests_name("audit_labels", tests, NULL, NULL);
}

/*
 * test_problem_rules.c - who may do a unit's step (the lead unit, not the
 * office's 全部 scope; 代办 only with a reason where allowed) and which
 * after-photos 复核 flags (problem_rules.h, issue 13).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "auth/auth.h"
#include "problem/problem_rules.h"

static struct problem lead_problem(void)
{
	struct problem p;

	memset(&p, 0, sizeof(p));
	p.lead_unit_id = 42;
	p.lead_unit_name = "县环卫中心";
	p.lead_unit_ancestors = "/1/7/42/";
	p.first_assigned_at = 1000000;
	return p;
}

static void unit_steps_belong_to_the_lead_unit(void **state)
{
	struct problem p = lead_problem();
	static const int64_t nine[] = {9};
	struct scope all = SCOPE_EVERYTHING, dept = {.subtree = "/1/7/"},
	             other = {.unit_ids = nine, .nunits = 1, .subtree = "/1/8/"};
	struct problem_caller office = {NULL, 1, 3, &all, 1, 0}, unit = {NULL, 2, 42, &other, 0, 0},
	                      parent = {NULL, 3, 7, &dept, 0, 0},
	                      stranger = {NULL, 4, 8, &other, 0, 0};
	struct problem_input in;
	struct error e;
	int proxy;

	(void)state;
	memset(&in, 0, sizeof(in));
	error_init(&e);
	assert_int_equal(problem_actor_check(PA_SIGN, &p, &unit, &in, &proxy, &e), 0);
	assert_int_equal(problem_actor_check(PA_SUBMIT, &p, &parent, &in, &proxy, &e), 0);
	assert_int_equal(problem_actor_check(PA_SIGN, &p, &office, &in, &proxy, &e), ERR_FORBIDDEN);
	assert_int_equal(problem_actor_check(PA_EXTEND, &p, &stranger, &in, &proxy, &e),
	                 ERR_FORBIDDEN);
	/* office steps are the permission's business */
	assert_int_equal(problem_actor_check(PA_VERIFY, &p, &stranger, &in, &proxy, &e), 0);
	/* 代办: a reason, the office, and the setting; a unit user gives no reason */
	in.proxy_reason = "无账号";
	assert_int_equal(problem_actor_check(PA_SIGN, &p, &office, &in, &proxy, &e), ERR_FORBIDDEN);
	office.proxy_enabled = 1;
	assert_int_equal(problem_actor_check(PA_SIGN, &p, &office, &in, &proxy, &e), 0);
	assert_int_equal(proxy, 1);
	stranger.proxy_enabled = 1;
	assert_int_equal(problem_actor_check(PA_SIGN, &p, &stranger, &in, &proxy, &e),
	                 ERR_FORBIDDEN);
	assert_int_equal(problem_actor_check(PA_SIGN, &p, &unit, &in, &proxy, &e), ERR_INVALID);
}

static void after_photo_flags(void **state)
{
	struct problem p = lead_problem();
	struct problem_photo_fact ok = {1, 2000000, 0}, early = {2, 999999, 0}, none = {3, 0, 0},
	                          same = {4, 2000000, 1};
	struct problem_photo_fact all[] = {ok, early, none, same};
	struct problem_input in;
	struct error e;
	json_t *w;

	(void)state;
	assert_int_equal(problem_photo_flags(&ok, &p), 0);
	assert_int_equal(problem_photo_flags(&early, &p), PHOTO_BEFORE_ASSIGNMENT);
	assert_int_equal(problem_photo_flags(&none, &p), PHOTO_NO_CAPTURE_TIME);
	assert_int_equal(problem_photo_flags(&same, &p), PHOTO_SAME_AS_BEFORE);
	w = problem_verify_warnings(all, 4, &p);
	assert_int_equal(json_array_size(w), 3);
	assert_string_equal(json_string_value(json_object_get(json_array_get(w, 0), "message")),
	                    "整改后第 2 张照片：拍摄时间早于交办");
	memset(&in, 0, sizeof(in));
	in.passed = 1;
	error_init(&e);
	assert_int_equal(problem_verify_check(&in, w, &e), ERR_INVALID);
	assert_string_equal(e.field, "reason");
	in.reason = "现场核实";
	assert_int_equal(problem_verify_check(&in, w, &e), 0);
	json_decref(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(unit_steps_belong_to_the_lead_unit),
	    cmocka_unit_test(after_photo_flags),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

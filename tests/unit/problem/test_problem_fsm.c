/*
 * test_problem_fsm.c - every (status, action) pair of the closed loop:
 * the allowed ones land where docs/domain.md ("The closed loop") says, every other one is a 409.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "problem/problem_fsm.h"

#define NO (-1) /* forbidden: ERR_CONFLICT, status unchanged */

/* expected[from][action] for a plain step (verify passed, no extension pending). */
static const int expected[PS_COUNT][PA_COUNT] = {
    /*                accept       invalidate  assign        sign           return       submit
       verify     extend         decide  park       unpark void       reopen */
    [PS_REPORTED] = {PS_ACCEPTED, PS_INVALID, NO, NO, NO, NO, NO, NO, NO, NO, NO, PS_VOIDED, NO},
    [PS_ACCEPTED] = {NO, NO, PS_ASSIGNED, NO, NO, NO, NO, NO, NO, PS_PARKED, NO, PS_VOIDED, NO},
    [PS_INVALID] = {NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, NO},
    [PS_ASSIGNED] = {NO, NO, PS_ASSIGNED, PS_RECTIFYING, PS_RETURNED, NO, NO, PS_ASSIGNED, NO,
                     PS_PARKED, NO, PS_VOIDED, NO},
    [PS_RETURNED] = {NO, NO, PS_ASSIGNED, NO, NO, NO, NO, NO, NO, PS_PARKED, NO, PS_VOIDED, NO},
    [PS_RECTIFYING] = {NO, NO, NO, NO, NO, PS_SUBMITTED, NO, PS_RECTIFYING, NO, PS_PARKED, NO,
                       PS_VOIDED, NO},
    [PS_SUBMITTED] = {NO, NO, NO, NO, NO, NO, PS_CLOSED, NO, NO, NO, NO, PS_VOIDED, NO},
    [PS_REWORK] = {NO, NO, NO, NO, NO, PS_SUBMITTED, NO, PS_REWORK, NO, PS_PARKED, NO, PS_VOIDED,
                   NO},
    [PS_CLOSED] = {NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, PS_REWORK},
    [PS_PARKED] = {NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, PS_ASSIGNED, PS_VOIDED, NO},
    [PS_VOIDED] = {NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, NO},
};

static void every_pair(void **state)
{
	int from, a, checked = 0;

	(void)state;
	for (from = 0; from < PS_COUNT; from++) {
		for (a = 0; a < PA_COUNT; a++) {
			struct problem_step step = {(enum problem_status)from, PS_ASSIGNED, 1, 0};
			enum problem_status to = PS_COUNT;
			struct error e;
			int rc;

			error_init(&e);
			rc = problem_next((enum problem_action)a, &step, &to, &e);
			if (expected[from][a] == NO) {
				if (rc != ERR_CONFLICT)
					fail_msg("%s from %s: expected 409, got %d",
					         problem_action_name(a), problem_status_name(from),
					         rc);
				assert_int_equal(to, from);
				assert_true(strlen(e.message) > 0);
			} else {
				if (rc != 0)
					fail_msg("%s from %s: expected %s, got error %d %s",
					         problem_action_name(a), problem_status_name(from),
					         problem_status_name(expected[from][a]), rc,
					         e.message);
				assert_int_equal(to, expected[from][a]);
			}
			checked++;
		}
	}
	assert_int_equal(checked, PS_COUNT * PA_COUNT);
}

static void verify_failed_goes_to_rework(void **state)
{
	struct problem_step step = {PS_SUBMITTED, PS_REPORTED, 0, 0};
	enum problem_status to;
	struct error e;

	(void)state;
	assert_int_equal(problem_next(PA_VERIFY, &step, &to, &e), 0);
	assert_int_equal(to, PS_REWORK);
}

static void extension_pending_rules(void **state)
{
	struct problem_step step = {PS_RECTIFYING, PS_REPORTED, 1, 1};
	enum problem_status to;
	struct error e;

	(void)state;
	/* a second request while one waits is refused */
	assert_int_equal(problem_next(PA_EXTEND, &step, &to, &e), ERR_CONFLICT);
	assert_non_null(strstr(e.message, "延期"));
	/* the office can decide it, status unchanged */
	assert_int_equal(problem_next(PA_DECIDE_EXTENSION, &step, &to, &e), 0);
	assert_int_equal(to, PS_RECTIFYING);
	step.extension_pending = 0;
	assert_int_equal(problem_next(PA_DECIDE_EXTENSION, &step, &to, &e), ERR_CONFLICT);
	step.extension_pending = 1;
	step.from = PS_CLOSED;
	assert_int_equal(problem_next(PA_DECIDE_EXTENSION, &step, &to, &e), ERR_CONFLICT);
}

static void unpark_returns_where_it_was(void **state)
{
	enum problem_status froms[] = {PS_ACCEPTED, PS_ASSIGNED, PS_RETURNED, PS_RECTIFYING,
	                               PS_REWORK};
	enum problem_status to;
	struct error e;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(froms) / sizeof(froms[0]); i++) {
		struct problem_step park = {froms[i], PS_REPORTED, 1, 0};
		struct problem_step unpark = {PS_PARKED, froms[i], 1, 0};

		assert_int_equal(problem_next(PA_PARK, &park, &to, &e), 0);
		assert_int_equal(to, PS_PARKED);
		assert_int_equal(problem_next(PA_UNPARK, &unpark, &to, &e), 0);
		assert_int_equal(to, froms[i]);
	}
	/* a corrupt parked_from is refused, not trusted */
	{
		struct problem_step bad = {PS_PARKED, PS_CLOSED, 1, 0};

		assert_int_equal(problem_next(PA_UNPARK, &bad, &to, &e), ERR_CONFLICT);
	}
}

static void names_round_trip(void **state)
{
	enum problem_status s;
	enum problem_action a;
	int i;

	(void)state;
	for (i = 0; i < PS_COUNT; i++) {
		assert_int_equal(problem_status_parse(problem_status_name(i), &s), 0);
		assert_int_equal(s, i);
	}
	for (i = 0; i < PA_COUNT; i++) {
		assert_int_equal(problem_action_parse(problem_action_name(i), &a), 0);
		assert_int_equal(a, i);
		assert_non_null(strchr(problem_action_permission(i), ':'));
	}
	assert_int_equal(problem_action_parse("decide-extension", &a), 0);
	assert_int_equal(a, PA_DECIDE_EXTENSION);
	assert_int_equal(problem_action_parse("delete", &a), ERR_NOT_FOUND);
	assert_int_equal(problem_status_parse("done", &s), ERR_INVALID);
	assert_string_equal(problem_status_title(PS_CLOSED), "已销号");
	assert_int_equal(problem_action_actor(PA_SIGN), ACTOR_UNIT);
	assert_int_equal(problem_action_actor(PA_VERIFY), ACTOR_OFFICE);
	assert_int_equal(problem_action_actor(PA_REOPEN), ACTOR_REPORTER);
	assert_true(problem_status_has_deadline(PS_RECTIFYING));
	assert_false(problem_status_has_deadline(PS_PARKED)); /* parked leaves the overdue count */
	assert_true(problem_status_final(PS_VOIDED));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(every_pair),
	    cmocka_unit_test(verify_failed_goes_to_rework),
	    cmocka_unit_test(extension_pending_rules),
	    cmocka_unit_test(unpark_returns_where_it_was),
	    cmocka_unit_test(names_round_trip),
	};

	return cmocka_run_group_tests_name("problem_fsm", tests, NULL, NULL);
}

/*
 * test_clock.c - the clock the domain reads (time_now_ms) answers the time
 * `wenming demo` sets, and the system clock again once set back to 0.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <cmocka.h>

#include "core/clock.h"

static void set_and_back(void **state)
{
	int64_t real = (int64_t)time(NULL) * 1000, past = 1780000000000LL;

	(void)state;
	assert_true(time_now_ms() >= real - 1000);
	time_set_now_ms(past);
	assert_int_equal(time_now_ms(), past);
	assert_int_equal(time_now_ms(), past); /* it stands still until set again */
	time_set_now_ms(past + 3600000);
	assert_int_equal(time_now_ms(), past + 3600000);
	time_set_now_ms(0);
	assert_true(time_now_ms() >= real - 1000);
	assert_true(time_now_ms() < real + 60000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(set_and_back)};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_clock.c - the tenant calendar (src/core/clock.c): supported zones are
 * fixed offsets (China has no daylight saving time), instants formatted at
 * an offset, calendar dates parsed to their midnight, day boundaries.
 *
 * 2026-01-01 is day 20454 since 1970-01-01 (56 years, 14 of them leap), so
 * its Shanghai midnight is 20454 x 86400 - 8 x 3600 s = 1767196800 s.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/clock.h"

#define SH_2026 1767196800000LL /* 2026-01-01 00:00 in Asia/Shanghai, ms */

static void test_zones(void **state)
{
	int m = -7;

	(void)state;
	assert_int_equal(tz_supported("Asia/Shanghai", &m), 0);
	assert_int_equal(m, 480);
	assert_int_equal(tz_supported("Asia/Urumqi", &m), 0);
	assert_int_equal(m, 360);
	assert_int_equal(tz_supported("UTC", &m), 0);
	assert_int_equal(m, 0);
	/* a zone with daylight saving time is not a fixed offset: refused, m untouched */
	m = -7;
	assert_int_equal(tz_supported("Europe/Berlin", &m), -1);
	assert_int_equal(tz_supported("America/New_York", &m), -1);
	assert_int_equal(tz_supported("", &m), -1);
	assert_int_equal(tz_supported(NULL, &m), -1);
	assert_int_equal(m, -7);
}

static void test_format(void **state)
{
	char out[20];

	(void)state;
	tz_format(0, 0, out);
	assert_string_equal(out, "1970-01-01 00:00:00");
	tz_format(0, 480, out);
	assert_string_equal(out, "1970-01-01 08:00:00");
	tz_format(-1, 0, out); /* before the epoch rounds down, not towards zero */
	assert_string_equal(out, "1969-12-31 23:59:59");
	tz_format(SH_2026, 480, out);
	assert_string_equal(out, "2026-01-01 00:00:00");
	tz_format(SH_2026 - 1, 480, out);
	assert_string_equal(out, "2025-12-31 23:59:59");
	tz_format(SH_2026, 0, out);
	assert_string_equal(out, "2025-12-31 16:00:00");
	tz_format(SH_2026, 360, out);
	assert_string_equal(out, "2025-12-31 22:00:00");
	/* 307 days earlier, across the end of February */
	tz_format(SH_2026 - 307LL * 86400000 + 0, 480, out);
	assert_string_equal(out, "2025-02-28 00:00:00");
}

static void test_parse_date(void **state)
{
	int64_t ms = 0, next = 0;

	(void)state;
	assert_int_equal(tz_parse_date("2026-01-01", 480, &ms), 0);
	assert_int_equal(ms, SH_2026);
	assert_int_equal(tz_parse_date("2026-01-01", 0, &ms), 0);
	assert_int_equal(ms, SH_2026 + 8LL * 3600000);
	/* a day is 24 hours at a fixed offset, across what would be a DST change elsewhere */
	assert_int_equal(tz_parse_date("2026-03-29", 480, &ms), 0);
	assert_int_equal(tz_parse_date("2026-03-30", 480, &next), 0);
	assert_int_equal(next - ms, 86400000LL);
	assert_int_equal(tz_parse_date("2024-02-29", 480, &ms), 0);
	assert_int_equal(tz_parse_date("2024-03-01", 480, &next), 0);
	assert_int_equal(next - ms, 86400000LL);
	/* round trip: the parsed midnight formats back to the same day */
	{
		char out[20];

		tz_format(ms, 480, out);
		assert_string_equal(out, "2024-02-29 00:00:00");
	}
	ms = 42;
	assert_int_equal(tz_parse_date("2026-02-29", 480, &ms), -1); /* not a leap year */
	assert_int_equal(tz_parse_date("1900-02-29", 480, &ms), -1);
	assert_int_equal(tz_parse_date("2026-13-01", 480, &ms), -1);
	assert_int_equal(tz_parse_date("2026-04-31", 480, &ms), -1);
	assert_int_equal(tz_parse_date("2026-1-01", 480, &ms), -1);
	assert_int_equal(tz_parse_date("2026/01/01", 480, &ms), -1);
	assert_int_equal(tz_parse_date("2026-01-0x", 480, &ms), -1);
	assert_int_equal(tz_parse_date(NULL, 480, &ms), -1);
	assert_int_equal(ms, 42);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_zones),
	    cmocka_unit_test(test_format),
	    cmocka_unit_test(test_parse_date),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

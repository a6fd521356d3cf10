/* clock.c - the wall clock, and the tenant calendar's arithmetic (fixed offsets, no DST). */
#include "core/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* 0: the system clock; else the time `wenming demo` plays at (time_set_now_ms). */
static int64_t clock_override_ms;

int64_t time_now_ms(void)
{
	struct timespec ts;

	if (clock_override_ms)
		return clock_override_ms;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void time_set_now_ms(int64_t ms)
{
	clock_override_ms = ms;
}

/* ---- time zones -------------------------------------------------------- */

static const struct {
	const char *name;
	int minutes;
} zones[] = {
    {"Asia/Shanghai", 480},
    {"Asia/Chongqing", 480},
    {"Asia/Harbin", 480},
    {"Asia/Urumqi", 360},
    {"Asia/Hong_Kong", 480},
    {"Asia/Macau", 480},
    {"Asia/Taipei", 480},
    {"PRC", 480},
    {"UTC", 0},
    {"Etc/UTC", 0},
};

int tz_supported(const char *tz, int *minutes)
{
	size_t i;

	for (i = 0; tz && i < sizeof(zones) / sizeof(zones[0]); i++)
		if (!strcmp(zones[i].name, tz)) {
			*minutes = zones[i].minutes;
			return 0;
		}
	return -1;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d)
{
	int64_t era;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

void tz_format(int64_t ms, int minutes, char out[20])
{
	int64_t s = (ms >= 0 ? ms / 1000 : (ms - 999) / 1000) + (int64_t)minutes * 60;
	int64_t days = s >= 0 ? s / 86400 : (s - 86399) / 86400, sod = s - days * 86400;
	unsigned m, d;
	int y;
	char buf[64];

	civil_from_days(days, &y, &m, &d);
	snprintf(buf, sizeof(buf), "%04d-%02u-%02u %02d:%02d:%02d", y % 10000, m, d,
	         (int)(sod / 3600), (int)(sod / 60 % 60), (int)(sod % 60));
	snprintf(out, 20, "%.19s", buf);
}

int tz_parse_date(const char *ymd, int minutes, int64_t *ms)
{
	static const unsigned mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	unsigned y, m, d;
	int i;

	if (!ymd || strlen(ymd) != 10 || ymd[4] != '-' || ymd[7] != '-')
		return -1;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (ymd[i] < '0' || ymd[i] > '9'))
			return -1;
	y = (unsigned)atoi(ymd);
	m = (unsigned)atoi(ymd + 5);
	d = (unsigned)atoi(ymd + 8);
	if (y < 1900 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return -1;
	if (m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
		return -1;
	*ms = (days_from_civil(y, m, d) * 86400 - (int64_t)minutes * 60) * 1000;
	return 0;
}

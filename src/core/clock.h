/*
 * clock.h - the wall clock and the tenant calendar: supported time zones
 * (fixed offsets east of UTC), formatting an instant at an offset and
 * parsing a calendar date.  Pure code; depends on nothing.
 */
#ifndef WENMING_CLOCK_H
#define WENMING_CLOCK_H

#include <stdint.h>

/* Milliseconds since the Unix epoch, UTC. */
int64_t time_now_ms(void);

/* Minutes east of UTC for a supported zone name; -1 when unsupported. */
int tz_supported(const char *tz, int *minutes);

/* "YYYY-MM-DD HH:MM:SS" of ms at offset minutes east of UTC (out: 20 bytes). */
void tz_format(int64_t ms, int minutes, char out[20]);

/* "YYYY-MM-DD" (a real date) -> ms of its midnight at offset minutes; -1 when malformed. */
int tz_parse_date(const char *ymd, int minutes, int64_t *ms);

#endif

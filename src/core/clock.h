/*
 * clock.h - the wall clock and the tenant calendar: supported time zones
 * (fixed offsets east of UTC), formatting an instant at an offset and
 * parsing a calendar date.  Pure code; depends on nothing.
 */
#ifndef WENMING_CLOCK_H
#define WENMING_CLOCK_H

#include <stdint.h>

/* Milliseconds since the Unix epoch, UTC: the system clock unless set below. */
int64_t time_now_ms(void);

/*
 * Make time_now_ms answer ms until set back with 0.  Only `wenming demo`
 * sets it, to play its ninety days through the domain functions at the
 * times they happened (docs/demo.md); the server never does.  Not
 * thread-safe by design: the demo runs on one thread before anything else.
 */
void time_set_now_ms(int64_t ms);

/* Minutes east of UTC for a supported zone name; -1 when unsupported. */
int tz_supported(const char *tz, int *minutes);

/* "YYYY-MM-DD HH:MM:SS" of ms at offset minutes east of UTC (out: 20 bytes). */
void tz_format(int64_t ms, int minutes, char out[20]);

/* "YYYY-MM-DD" (a real date) -> ms of its midnight at offset minutes; -1 when malformed. */
int tz_parse_date(const char *ymd, int minutes, int64_t *ms);

#endif

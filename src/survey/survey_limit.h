/* survey_limit.h - the public survey endpoints' per-address limit, in memory (survey_limit.c). */
#ifndef WENMING_SURVEY_LIMIT_H
#define WENMING_SURVEY_LIMIT_H

#include <stdint.h>

#define SURVEY_BURST             20   /* attempts at once */
#define SURVEY_REFILL_MS         6000 /* one more attempt every 6 s */
#define SURVEY_ACCEPTED_PER_HOUR 10   /* responses one address may give per hour */

/*
 * Count one attempt from ip at now (ms).  Returns 0 when it may go on, 1
 * when the address is over its limit (*retry_after_s: seconds to wait).
 */
int survey_limit_take(const char *ip, int64_t now, int64_t *retry_after_s);

/* Count one accepted response from ip. */
void survey_limit_accepted(const char *ip, int64_t now);

#endif

/*
 * survey_limit.h - the public survey endpoints' per-address limit
 * (survey_limit.c): in this process's memory first, so a flood is turned
 * away without touching the database, then in the database, so the limit
 * holds across every server behind the proxy.
 */
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

struct store_conn;
struct error;

/*
 * The same budget kept in the database, shared by all servers: one atomic
 * statement refills ip's bucket, starts a new hour when due, and takes an
 * attempt unless the address is over its limit (*limited = 1,
 * *retry_after_s).  Outside a transaction; now in ms.
 */
int survey_rate_take(struct store_conn *c, const char *ip, int64_t now, int *limited,
                     int64_t *retry_after_s, struct error *e);

/* Count one accepted response from ip; in the response's transaction. */
int survey_rate_accepted(struct store_conn *c, const char *ip, struct error *e);

#endif

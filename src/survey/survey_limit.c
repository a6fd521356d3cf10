/*
 * survey_limit.c - how often one address may post to the public survey
 * endpoints, kept in memory: a fixed table of 4096 slots (about 400 KB),
 * so a flood from one address or from many never grows the database, the
 * audit log or this process.  Each address has a token bucket of attempts
 * (SURVEY_BURST at once, one more every SURVEY_REFILL_MS) and a count of
 * accepted responses per hour (SURVEY_ACCEPTED_PER_HOUR).  A server restart
 * forgets the counts, and several servers behind one proxy each keep their
 * own, so this is only the cheap first gate: what passes it is counted
 * again in the database (survey_rate_take, table survey_rate), which every
 * server shares and which therefore holds the limit.  Addresses that find
 * no free slot among their probes replace the slot idle longest.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "store/store.h"
#include "survey/survey_limit.h"

#define SLOTS   4096
#define PROBES  8
#define HOUR_MS (3600 * 1000LL)

struct slot {
	char ip[64];
	double tokens;
	int64_t refilled_at, last_at;
	int64_t hour_start;
	int accepted;
};

static struct slot slots[SLOTS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static uint32_t hash(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* The slot of ip, taken over when needed; under the lock. */
static struct slot *slot_of(const char *ip, int64_t now)
{
	uint32_t h = hash(ip);
	struct slot *oldest = NULL;
	int i;

	for (i = 0; i < PROBES; i++) {
		struct slot *s = &slots[(h + (uint32_t)i) % SLOTS];

		if (!strcmp(s->ip, ip))
			return s;
		if (!oldest || s->last_at < oldest->last_at)
			oldest = s;
	}
	memset(oldest, 0, sizeof(*oldest));
	snprintf(oldest->ip, sizeof(oldest->ip), "%s", ip);
	oldest->tokens = SURVEY_BURST;
	oldest->refilled_at = now;
	oldest->hour_start = now;
	return oldest;
}

int survey_limit_take(const char *ip, int64_t now, int64_t *retry_after_s)
{
	struct slot *s;
	int limited = 0;

	*retry_after_s = 0;
	pthread_mutex_lock(&lock);
	s = slot_of(ip, now);
	s->last_at = now;
	if (now > s->refilled_at) {
		s->tokens += (double)(now - s->refilled_at) / SURVEY_REFILL_MS;
		if (s->tokens > SURVEY_BURST)
			s->tokens = SURVEY_BURST;
		s->refilled_at = now;
	}
	if (now - s->hour_start >= HOUR_MS) {
		s->hour_start = now;
		s->accepted = 0;
	}
	if (s->accepted >= SURVEY_ACCEPTED_PER_HOUR) {
		limited = 1;
		*retry_after_s = (s->hour_start + HOUR_MS - now + 999) / 1000;
	} else if (s->tokens < 1) {
		limited = 1;
		*retry_after_s = (int64_t)((1 - s->tokens) * SURVEY_REFILL_MS + 999) / 1000;
	} else {
		s->tokens -= 1;
	}
	pthread_mutex_unlock(&lock);
	return limited;
}

void survey_limit_accepted(const char *ip, int64_t now)
{
	struct slot *s;

	pthread_mutex_lock(&lock);
	s = slot_of(ip, now);
	s->accepted++;
	pthread_mutex_unlock(&lock);
}

/* ---- the shared budget (table survey_rate) ---------------------------------------- */

#define STR_(x) #x
#define STR(x)  STR_(x)
/*
 * In the upsert, survey_rate.* is the row before (both back ends read the
 * old row on the right of SET) and excluded.last_at is now.
 */
#define RATE_NOW "excluded.last_at"
#define RATE_GAIN                                                                                  \
	"(CASE WHEN " RATE_NOW " > survey_rate.refilled_at THEN (" RATE_NOW                        \
	" - survey_rate.refilled_at) / " STR(SURVEY_REFILL_MS) ".0 ELSE 0 END)"
#define RATE_TOKENS                                                                                \
	"(CASE WHEN survey_rate.tokens + " RATE_GAIN " > " STR(SURVEY_BURST) " THEN " STR(         \
	    SURVEY_BURST) ".0 ELSE survey_rate.tokens + " RATE_GAIN " END)"
#define RATE_NEW_HOUR "(" RATE_NOW " - survey_rate.hour_start >= 3600000)"
#define RATE_ACCEPTED "(CASE WHEN " RATE_NEW_HOUR " THEN 0 ELSE survey_rate.accepted END)"
#define RATE_OVER     "(" RATE_ACCEPTED " >= " STR(SURVEY_ACCEPTED_PER_HOUR) " OR " RATE_TOKENS " < 1)"

STORE_SQL(
    q_rate_take,
    "INSERT INTO survey_rate (ip, tokens, refilled_at, hour_start, accepted, limited, last_at)"
    " VALUES (?, " STR(SURVEY_BURST) " - 1, CAST(? AS BIGINT), CAST(? AS BIGINT), 0, 0,"
                                     " CAST(? AS BIGINT)) ON CONFLICT (ip) DO UPDATE SET"
                                     " tokens = CASE WHEN " RATE_OVER " THEN " RATE_TOKENS
                                     " ELSE " RATE_TOKENS " - 1 END,"
                                     " refilled_at = CASE WHEN " RATE_NOW
                                     " > survey_rate.refilled_at THEN " RATE_NOW
                                     " ELSE survey_rate.refilled_at END,"
                                     " hour_start = CASE WHEN " RATE_NEW_HOUR " THEN " RATE_NOW
                                     " ELSE survey_rate.hour_start END,"
                                     " accepted = " RATE_ACCEPTED ","
                                     " limited = CASE WHEN " RATE_OVER " THEN 1 ELSE 0 END,"
                                     " last_at = " RATE_NOW
                                     " RETURNING limited, tokens, hour_start, accepted");
STORE_SQL(q_rate_accepted, "UPDATE survey_rate SET accepted = accepted + 1 WHERE ip = ?");
STORE_SQL(q_rate_prune, "DELETE FROM survey_rate WHERE last_at < ?");

/* Every this many takes a server deletes the rows of addresses idle for an hour. */
#define RATE_PRUNE_EVERY 512

int survey_rate_take(struct store_conn *c, const char *ip, int64_t now, int *limited,
                     int64_t *retry_after_s, struct error *e)
{
	static unsigned takes;
	struct store_val args[4] = {sv_text(ip), sv_int(now), sv_int(now), sv_int(now)};
	struct store_rows *r;
	unsigned n;
	int rc;

	*limited = 0;
	*retry_after_s = 0;
	pthread_mutex_lock(&lock);
	n = ++takes;
	pthread_mutex_unlock(&lock);
	if (n % RATE_PRUNE_EVERY == 0) {
		struct store_val old[1] = {sv_int(now - HOUR_MS)};

		if ((rc = store_exec(c, &q_rate_prune, old, 1, NULL, e)))
			return rc;
	}
	if ((rc = store_query_one(c, &q_rate_take, args, 4, &r, NULL, e)))
		return rc;
	*limited = (int)store_int(r, 0);
	if (*limited) {
		double tokens = store_double(r, 1);
		int64_t hour_start = store_int(r, 2), accepted = store_int(r, 3);

		if (accepted >= SURVEY_ACCEPTED_PER_HOUR)
			*retry_after_s = (hour_start + HOUR_MS - now + 999) / 1000;
		else
			*retry_after_s = (int64_t)((1 - tokens) * SURVEY_REFILL_MS + 999) / 1000;
		if (*retry_after_s < 1)
			*retry_after_s = 1;
	}
	store_finish(r);
	return 0;
}

int survey_rate_accepted(struct store_conn *c, const char *ip, struct error *e)
{
	struct store_val args[1] = {sv_text(ip)};

	return store_exec(c, &q_rate_accepted, args, 1, NULL, e);
}

/*
 * survey_limit.c - how often one address may post to the public survey
 * endpoints, kept in memory: a fixed table of 4096 slots (about 400 KB),
 * so a flood from one address or from many never grows the database, the
 * audit log or this process.  Each address has a token bucket of attempts
 * (SURVEY_BURST at once, one more every SURVEY_REFILL_MS) and a count of
 * accepted responses per hour (SURVEY_ACCEPTED_PER_HOUR).  A server restart
 * forgets the counts, and several servers behind one proxy each keep their
 * own; both only loosen the limit by a small factor.  Addresses that find
 * no free slot among their probes replace the slot idle longest.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

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

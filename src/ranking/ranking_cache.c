/*
 * ranking_cache.c - computed unit-ranking counts kept in memory, keyed by
 * what decides them (tenant, period, the caller's units, the unit filter)
 * and stamped with the tenant's problem version and the cut they were
 * counted at.  ranking_db.c decides when an entry may be used again; this
 * file only keeps entries.  A few dozen slots, least recently used out.
 * Requests that miss the same key at once count it once: the first one
 * flies (ranking_cache_fly), the others wait for it to land and look again.
 */
#include <pthread.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "core/alloc.h"
#include "ranking/ranking.h"

#define RANKING_CACHE_SLOTS 32

struct cache_entry {
	char *key; /* NULL: free slot */
	int64_t version, cut;
	struct rank_row *rows; /* one block with the strings */
	int n;
	uint64_t gen;   /* which counts: a new number for every put */
	char *settings; /* what the rendered rows were computed with, or NULL */
	char *rendered; /* the rows as the API shows them under those settings */
	uint64_t used;
};

#define RANKING_FLIGHTS     16
#define RANKING_FLIGHT_WAIT 30 /* seconds a request waits for another's counting */

static struct cache_entry slots[RANKING_CACHE_SLOTS];
static uint64_t ticks;
static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
/* keys being counted now (ranking_cache_fly), and the signal that one is done */
static char *flights[RANKING_FLIGHTS];
static pthread_cond_t flight_done = PTHREAD_COND_INITIALIZER;

static void entry_clear(struct cache_entry *en)
{
	free(en->key);
	free(en->rows);
	free(en->settings);
	free(en->rendered);
	memset(en, 0, sizeof(*en));
}

/* rows[0..n) and their strings as one malloc'd block. */
static struct rank_row *rows_copy(const struct rank_row *rows, int n)
{
	size_t size = (size_t)n * sizeof(*rows) + 1, off;
	struct rank_row *copy;
	char *p;
	int i;

	for (i = 0; i < n; i++)
		size += strlen(rows[i].unit_name) + strlen(rows[i].ancestors) + 2;
	copy = xmalloc(size);
	if (n)
		memcpy(copy, rows, (size_t)n * sizeof(*rows));
	p = (char *)copy;
	off = (size_t)n * sizeof(*rows);
	for (i = 0; i < n; i++) {
		size_t l1 = strlen(rows[i].unit_name) + 1, l2 = strlen(rows[i].ancestors) + 1;

		memcpy(p + off, rows[i].unit_name, l1);
		copy[i].unit_name = p + off;
		off += l1;
		memcpy(p + off, rows[i].ancestors, l2);
		copy[i].ancestors = p + off;
		off += l2;
	}
	return copy;
}

/* The entry under key, or NULL; the caller holds cache_lock. */
static struct cache_entry *entry_find(const char *key)
{
	int i;

	for (i = 0; i < RANKING_CACHE_SLOTS; i++)
		if (slots[i].key && !strcmp(slots[i].key, key))
			return &slots[i];
	return NULL;
}

int ranking_cache_get(const char *key, struct arena *a, struct rank_row **rows, int *n,
                      int64_t *version, int64_t *cut, uint64_t *gen)
{
	int i, found = 0;

	pthread_mutex_lock(&cache_lock);
	for (i = 0; i < RANKING_CACHE_SLOTS; i++) {
		struct cache_entry *en = &slots[i];
		int j;

		if (!en->key || strcmp(en->key, key))
			continue;
		*gen = en->gen;
		*rows = arena_alloc(a, (size_t)(en->n ? en->n : 1) * sizeof(**rows));
		for (j = 0; j < en->n; j++) {
			(*rows)[j] = en->rows[j];
			(*rows)[j].unit_name = arena_strdup(a, en->rows[j].unit_name);
			(*rows)[j].ancestors = arena_strdup(a, en->rows[j].ancestors);
		}
		*n = en->n;
		*version = en->version;
		*cut = en->cut;
		en->used = ++ticks;
		found = 1;
		break;
	}
	pthread_mutex_unlock(&cache_lock);
	return found;
}

uint64_t ranking_cache_put(const char *key, int64_t version, int64_t cut,
                           const struct rank_row *rows, int n)
{
	struct cache_entry *slot = NULL;
	struct rank_row *copy = rows_copy(rows, n);
	int i;

	pthread_mutex_lock(&cache_lock);
	for (i = 0; i < RANKING_CACHE_SLOTS; i++) {
		struct cache_entry *en = &slots[i];

		if (en->key && !strcmp(en->key, key)) {
			slot = en;
			break;
		}
		if (!slot || !en->key || (slot->key && en->used < slot->used))
			slot = en;
	}
	entry_clear(slot);
	slot->key = xstrdup(key);
	slot->version = version;
	slot->cut = cut;
	slot->rows = copy;
	slot->n = n;
	slot->gen = slot->used = ++ticks;
	pthread_mutex_unlock(&cache_lock);
	return slot->gen;
}

void ranking_cache_touch(const char *key, uint64_t gen, int64_t cut)
{
	struct cache_entry *en;

	pthread_mutex_lock(&cache_lock);
	if ((en = entry_find(key)) && en->gen == gen && cut > en->cut)
		en->cut = cut;
	pthread_mutex_unlock(&cache_lock);
}

const char *ranking_cache_rendered(const char *key, uint64_t gen, const char *settings,
                                   struct arena *a)
{
	struct cache_entry *en;
	const char *out = NULL;

	pthread_mutex_lock(&cache_lock);
	if ((en = entry_find(key)) && en->gen == gen && en->rendered &&
	    !strcmp(en->settings, settings))
		out = arena_strdup(a, en->rendered);
	pthread_mutex_unlock(&cache_lock);
	return out;
}

void ranking_cache_set_rendered(const char *key, uint64_t gen, const char *settings,
                                const char *rendered)
{
	char *s = xstrdup(settings), *text = xstrdup(rendered);
	struct cache_entry *en;

	pthread_mutex_lock(&cache_lock);
	if ((en = entry_find(key)) && en->gen == gen) {
		free(en->settings);
		free(en->rendered);
		en->settings = s;
		en->rendered = text;
		s = text = NULL;
	}
	pthread_mutex_unlock(&cache_lock);
	free(s);
	free(text);
}

/* The flight slot of key, or -1; the caller holds cache_lock. */
static int flight_find(const char *key)
{
	int i;

	for (i = 0; i < RANKING_FLIGHTS; i++)
		if (flights[i] && !strcmp(flights[i], key))
			return i;
	return -1;
}

int ranking_cache_fly(const char *key, int *flying)
{
	struct timespec until;
	int i, waited = 0;

	*flying = 0;
	pthread_mutex_lock(&cache_lock);
	if (flight_find(key) < 0) {
		for (i = 0; i < RANKING_FLIGHTS && flights[i]; i++)
			;
		if (i < RANKING_FLIGHTS) {
			flights[i] = xstrdup(key);
			*flying = 1;
		}
	} else {
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += RANKING_FLIGHT_WAIT;
		while (flight_find(key) >= 0 &&
		       pthread_cond_timedwait(&flight_done, &cache_lock, &until) == 0)
			;
		waited = 1;
	}
	pthread_mutex_unlock(&cache_lock);
	return waited;
}

void ranking_cache_land(const char *key)
{
	int i;

	pthread_mutex_lock(&cache_lock);
	if ((i = flight_find(key)) >= 0) {
		free(flights[i]);
		flights[i] = NULL;
	}
	pthread_cond_broadcast(&flight_done);
	pthread_mutex_unlock(&cache_lock);
}

void ranking_cache_clear(void)
{
	int i;

	pthread_mutex_lock(&cache_lock);
	for (i = 0; i < RANKING_CACHE_SLOTS; i++)
		entry_clear(&slots[i]);
	pthread_mutex_unlock(&cache_lock);
}

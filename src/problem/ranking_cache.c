/*
 * ranking_cache.c - computed unit-ranking counts kept in memory, keyed by
 * what decides them (tenant, period, the caller's units, the unit filter)
 * and stamped with the tenant's problem version and the cut they were
 * counted at.  ranking_db.c decides when an entry may be used again; this
 * file only keeps entries.  A few dozen slots, least recently used out.
 */
#include <pthread.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

#include "core/alloc.h"
#include "problem/ranking.h"

#define RANKING_CACHE_SLOTS 32

struct cache_entry {
	char *key; /* NULL: free slot */
	int64_t version, cut;
	struct rank_row *rows; /* one block with the strings */
	int n;
	uint64_t used;
};

static struct cache_entry slots[RANKING_CACHE_SLOTS];
static uint64_t ticks;
static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;

static void entry_clear(struct cache_entry *en)
{
	free(en->key);
	free(en->rows);
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

int ranking_cache_get(const char *key, struct arena *a, struct rank_row **rows, int *n,
                      int64_t *version, int64_t *cut)
{
	int i, found = 0;

	pthread_mutex_lock(&cache_lock);
	for (i = 0; i < RANKING_CACHE_SLOTS; i++) {
		struct cache_entry *en = &slots[i];
		int j;

		if (!en->key || strcmp(en->key, key))
			continue;
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

void ranking_cache_put(const char *key, int64_t version, int64_t cut, const struct rank_row *rows,
                       int n)
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
	slot->used = ++ticks;
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

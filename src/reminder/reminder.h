/*
 * reminder.h - the in-app reminders units get (待办提醒): newly assigned
 * problems, deadlines within 24 hours and overdue problems of the units in
 * the caller's scope.  Storage reminder_db.c, route api_reminders.c
 * (GET /api/v1/notices: the path keeps its old name for the web client).
 */
#ifndef WENMING_REMINDER_H
#define WENMING_REMINDER_H

#include <jansson.h>
#include <stdint.h>

#include "core/err.h"

struct store_conn;
struct router;
struct scope;

#define REMINDER_SOON_MS   (24LL * 3600 * 1000)
#define REMINDER_MAX_ITEMS 50

struct reminder_counts {
	int64_t assigned; /* 新交办: assigned, not yet signed */
	int64_t due_soon; /* deadline within 24 h */
	int64_t overdue;  /* deadline passed, still open (parked problems are not open) */
	int64_t total;    /* distinct problems among the three */
};

/*
 * What the units in scope must act on at now: counts and the most urgent
 * REMINDER_MAX_ITEMS problems (overdue first, then by deadline) as a JSON array.
 */
int reminder_list(struct store_conn *c, int64_t tenant_id, const struct scope *s, int64_t now,
                  struct reminder_counts *counts, json_t **items, struct error *e);

/* GET /notices. */
void reminder_routes(struct router *rt);

#endif

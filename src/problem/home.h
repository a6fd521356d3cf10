/*
 * home.h - the closed loop's numbers on each role's first screen (GET /home
 * in src/home/api_home.c; queries in home_db.c).  Every query is filtered by
 * tenant and by the caller's scope on the problem's unit (the lead unit, or
 * the routed one before assignment).
 */
#ifndef WENMING_PROBLEM_HOME_H
#define WENMING_PROBLEM_HOME_H

#include <jansson.h>
#include <stdint.h>

#include "core/err.h"

struct store_conn;
struct scope;

/* The moments the counts are taken at (ms UTC). */
struct home_window {
	int64_t now;
	int64_t day_start, day_end; /* today in the tenant's calendar */
	int64_t soon_end;           /* "due soon" ends here */
};

struct home_counts {
	int64_t to_accept;         /* 待受理: reported */
	int64_t to_verify;         /* 待复核: submitted */
	int64_t overdue;           /* open, deadline passed */
	int64_t due_today;         /* open, deadline between now and the end of today */
	int64_t to_sign;           /* assigned, not yet signed */
	int64_t due_soon;          /* rectifying or rework, deadline before soon_end */
	int64_t rework;            /* 复核未通过, back with the unit */
	int64_t returned;          /* the unit sent it back to the office */
	int64_t extension_pending; /* a deadline extension waits for the office */
};

int home_counts(struct store_conn *c, int64_t tenant_id, const struct scope *s,
                const struct home_window *w, struct home_counts *out, struct error *e);

/* [{unit_id, unit_name, overdue, max_days}], most overdue first, at most limit. */
int home_overdue_by_unit(struct store_conn *c, int64_t tenant_id, const struct scope *s,
                         int64_t now, int limit, json_t **out, struct error *e);

/*
 * The problems of one kind ("today", "to_accept", "to_verify", "to_sign",
 * "due_soon", "rework": rework and returned) as [{id, code, status,
 * unit_name, description, created_at, deadline}], earliest deadline first.
 */
int home_items(struct store_conn *c, int64_t tenant_id, const struct scope *s, const char *kind,
               const struct home_window *w, int limit, json_t **out, struct error *e);

#endif

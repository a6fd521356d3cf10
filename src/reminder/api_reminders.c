/*
 * api_reminders.c - GET /notices: the in-app reminders (待办提醒) of the units
 * in the caller's scope: new assignments not yet signed, deadlines within
 * 24 hours, overdue problems (reminder.h, reminder_list).  The desktop header's
 * badge and the phone home page poll it.
 */
#include "auth/auth.h"
#include "core/clock.h"
#include "http/req.h"
#include "http/router.h"
#include "org/org.h"
#include "reminder/reminder.h"

/*
 * The units whose work the caller follows: those it may rectify for, or,
 * without that permission (leaders), those it may view; "only me" is the
 * caller's own unit, since reminders are a unit's.
 */
static void reminder_scope(struct req *r, struct scope *s)
{
	unit_scope(r->who,
	           principal_has(r->who, "problem:rectify") ? "problem:rectify" : "problem:view",
	           &r->arena, s);
}

/* GET /notices */
static int reminders_get(struct req *r)
{
	struct reminder_counts n;
	struct scope s;
	struct error e;
	json_t *items;
	int64_t now = time_now_ms();

	if (!req_db(r))
		return r->err.code;
	reminder_scope(r, &s);
	error_init(&e);
	if (reminder_list(r->db, r->who->tenant_id, &s, now, &n, &items, &e))
		return req_fail_error(r, &e);
	return req_reply_json(r, 200,
	                      json_pack("{s:{s:I, s:I, s:I, s:I}, s:o, s:I}", "counts", "assigned",
	                                (json_int_t)n.assigned, "due_soon", (json_int_t)n.due_soon,
	                                "overdue", (json_int_t)n.overdue, "total",
	                                (json_int_t)n.total, "items", items, "now",
	                                (json_int_t)now));
}

void reminder_routes(struct router *rt)
{
	router_add(rt, "GET", "/api/v1/notices", reminders_get, "problem:view", 0);
}

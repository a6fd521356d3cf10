/*
 * api_reminders.c - GET /notices: the in-app reminders (待办提醒).  For the
 * units in the caller's scope: new assignments not yet signed, deadlines
 * within 24 hours, overdue problems (reminder.h, reminder_list).  For the
 * office (who accepts or verifies) its own queue instead: 待受理 and 待复核
 * (problem/home.h), since the units' work is the units' to do.  The desktop header's
 * badge and the phone home page poll it.  Both answers carry "work": the
 * caller's materials and plan tasks waiting (home/home.h), which the badge
 * adds to the problems' total.
 */
#include "auth/auth.h"
#include "core/clock.h"
#include "home/home.h"
#include "http/req.h"
#include "http/router.h"
#include "org/org.h"
#include "problem/home.h"
#include "problem/problem.h"
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

/* The office's queue: counts and the oldest waiting problems of both kinds. */
static int notices_office(struct req *r, int64_t now)
{
	struct home_window w = {.now = now, .day_start = now, .day_end = now, .soon_end = now};
	struct home_counts n;
	struct home_work work;
	struct scope s;
	struct error e;
	json_t *accept, *verify, *v;
	size_t i;

	problem_view_scope(r, &s);
	error_init(&e);
	if (home_counts(r->db, r->who->tenant_id, &s, &w, &n, &e) ||
	    home_items(r->db, r->who->tenant_id, &s, "to_accept", &w, REMINDER_MAX_ITEMS / 2,
	               &accept, &e))
		return req_fail_error(r, &e);
	if (home_items(r->db, r->who->tenant_id, &s, "to_verify", &w, REMINDER_MAX_ITEMS / 2,
	               &verify, &e)) {
		json_decref(accept);
		return req_fail_error(r, &e);
	}
	if (home_work_counts(r, &work, &e)) {
		json_decref(accept);
		json_decref(verify);
		return req_fail_error(r, &e);
	}
	json_array_foreach(accept, i, v) json_object_set_new(v, "kind", json_string("to_accept"));
	json_array_foreach(verify, i, v) json_object_set_new(v, "kind", json_string("to_verify"));
	json_array_extend(accept, verify);
	json_decref(verify);
	return req_reply_json(
	    r, 200,
	    json_pack("{s:s, s:{s:I, s:I, s:I, s:I, s:I, s:I}, s:o, s:o, s:I}", "mode", "office",
	              "counts", "to_accept", (json_int_t)n.to_accept, "to_verify",
	              (json_int_t)n.to_verify, "assigned", (json_int_t)0, "due_soon", (json_int_t)0,
	              "overdue", (json_int_t)0, "total", (json_int_t)(n.to_accept + n.to_verify),
	              "items", accept, "work", home_work_json(&work), "now", (json_int_t)now));
}

/* GET /notices */
static int reminders_get(struct req *r)
{
	struct reminder_counts n;
	struct home_work work;
	struct scope s;
	struct error e;
	json_t *items;
	int64_t now = time_now_ms();

	if (!req_db(r))
		return r->err.code;
	if (principal_has(r->who, "problem:accept") || principal_has(r->who, "problem:verify"))
		return notices_office(r, now);
	reminder_scope(r, &s);
	error_init(&e);
	if (reminder_list(r->db, r->who->tenant_id, &s, now, &n, &items, &e))
		return req_fail_error(r, &e);
	if (home_work_counts(r, &work, &e)) {
		json_decref(items);
		return req_fail_error(r, &e);
	}
	return req_reply_json(
	    r, 200,
	    json_pack("{s:s, s:{s:I, s:I, s:I, s:I}, s:o, s:o, s:I}", "mode", "unit", "counts",
	              "assigned", (json_int_t)n.assigned, "due_soon", (json_int_t)n.due_soon,
	              "overdue", (json_int_t)n.overdue, "total", (json_int_t)n.total, "items",
	              items, "work", home_work_json(&work), "now", (json_int_t)now));
}

void reminder_routes(struct router *rt)
{
	router_add(rt, "GET", "/api/v1/notices", reminders_get, "problem:view", 0);
}

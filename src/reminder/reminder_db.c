/*
 * reminder_db.c - in-app reminders (待办提醒): what the units in a scope must act
 * on now.  A problem counts for its lead unit; co-units are not asked.
 */
#include <string.h>

#include "auth/auth.h"
#include "reminder/reminder.h"
#include "store/store.h"

#define REMINDER_OPEN "('assigned', 'rectifying', 'rework', 'submitted')"
/* The problems that need attention: unsigned, or a deadline gone or near. */
#define REMINDER_WHERE                                                                             \
	" FROM problems p JOIN units u ON u.id = p.lead_unit_id"                                   \
	" LEFT JOIN problem_categories k ON k.id = p.category_id"                                  \
	" WHERE p.tenant_id = ? AND p.status IN " REMINDER_OPEN                                    \
	" AND (p.status = 'assigned' OR p.deadline < ?)"                                           \
	" AND (? = 1 OR u.id IN_IDS(?) OR u.ancestors LIKE ? OR 0 = ?)"

STORE_SQL(q_reminder_counts,
          "SELECT COALESCE(SUM(CASE WHEN p.status = 'assigned' THEN 1 ELSE 0 END), 0),"
          " COALESCE(SUM(CASE WHEN p.deadline >= ? AND p.deadline < ? THEN 1 ELSE 0 END), 0),"
          " COALESCE(SUM(CASE WHEN p.deadline < ? THEN 1 ELSE 0 END), 0), COUNT(*)" REMINDER_WHERE);
STORE_SQL(q_reminder_items,
          "SELECT p.id, p.code, p.status, COALESCE(p.deadline, 0), COALESCE(k.name, ''), u.id,"
          " u.name, p.description, p.address, COALESCE(p.assigned_at, 0)" REMINDER_WHERE
          " ORDER BY p.deadline, p.id LIMIT ?");

static int where_args(int64_t tenant_id, const struct scope *s, int64_t now, struct store_val *args)
{
	args[0] = sv_int(tenant_id);
	args[1] = sv_int(now + REMINDER_SOON_MS);
	scope_args(s, args + 2);
	return 6;
}

int reminder_list(struct store_conn *c, int64_t tenant_id, const struct scope *s, int64_t now,
                  struct reminder_counts *counts, json_t **items, struct error *e)
{
	struct store_val args[12];
	struct store_rows *r;
	int k = 0, rc;

	memset(counts, 0, sizeof(*counts));
	*items = NULL;
	args[k++] = sv_int(now);
	args[k++] = sv_int(now + REMINDER_SOON_MS);
	args[k++] = sv_int(now);
	k += where_args(tenant_id, s, now, args + k);
	if ((rc = store_query(c, &q_reminder_counts, args, k, &r, e)))
		return rc;
	if ((rc = store_next(r)) > 0) {
		counts->assigned = store_int(r, 0);
		counts->due_soon = store_int(r, 1);
		counts->overdue = store_int(r, 2);
		counts->total = store_int(r, 3);
	}
	store_finish(r);
	if (rc < 0)
		return error_set(e, rc, NULL, NULL);

	k = where_args(tenant_id, s, now, args);
	args[k++] = sv_int(REMINDER_MAX_ITEMS);
	if ((rc = store_query(c, &q_reminder_items, args, k, &r, e)))
		return rc;
	*items = json_array();
	while ((rc = store_next(r)) > 0) {
		int64_t deadline = store_int(r, 3);
		const char *status = store_text(r, 2);
		const char *kind = deadline && deadline < now                      ? "overdue"
		                   : deadline && deadline < now + REMINDER_SOON_MS ? "due_soon"
		                                                                   : "assigned";
		json_t *it = json_pack(
		    "{s:I, s:s, s:s, s:s, s:b, s:s, s:I, s:s, s:s, s:s}", "id",
		    (json_int_t)store_int(r, 0), "code", store_text(r, 1), "status", status, "kind",
		    kind, "unsigned", !strcmp(status, "assigned"), "category_name",
		    store_text(r, 4), "unit_id", (json_int_t)store_int(r, 5), "unit_name",
		    store_text(r, 6), "description", store_text(r, 7), "address", store_text(r, 8));

		json_object_set_new(it, "deadline",
		                    deadline ? json_integer(deadline) : json_null());
		json_object_set_new(it, "assigned_at", json_integer(store_int(r, 9)));
		json_array_append_new(*items, it);
	}
	store_finish(r);
	if (rc < 0) {
		json_decref(*items);
		*items = NULL;
		return error_set(e, rc, NULL, NULL);
	}
	return 0;
}

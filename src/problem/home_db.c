/*
 * home_db.c - the closed loop's part of each role's first screen (GET /home,
 * src/home/api_home.c): the office's queue (待受理, 待复核), a unit's work
 * (to sign, due soon, sent back for rework, returned), overdue problems by
 * unit and the problems falling due today.  Counts are filtered by tenant and
 * by the caller's scope on the problem's unit: the lead unit once assigned,
 * the routed (suggested) unit before.
 */
#include <string.h>

#include "auth/auth.h"
#include "problem/home.h"
#include "store/store.h"

#define HOME_OPEN "('assigned', 'rectifying', 'rework', 'submitted')"
#define HOME_FROM                                                                                  \
	" FROM problems p LEFT JOIN units u ON u.id = COALESCE(p.lead_unit_id, "                   \
	"p.suggested_unit_id)"                                                                     \
	" WHERE p.tenant_id = ?"                                                                   \
	" AND (? = 1 OR u.id IN_IDS(?) OR COALESCE(u.ancestors, '') LIKE ? OR p.reporter_id = ?)"

STORE_SQL(q_home_counts,
          "SELECT"
          " COALESCE(SUM(CASE WHEN p.status = 'reported' THEN 1 ELSE 0 END), 0),"
          " COALESCE(SUM(CASE WHEN p.status = 'submitted' THEN 1 ELSE 0 END), 0),"
          " COALESCE(SUM(CASE WHEN p.status IN " HOME_OPEN
          " AND p.deadline < ? THEN 1 ELSE 0 END), 0),"
          " COALESCE(SUM(CASE WHEN p.status IN " HOME_OPEN
          " AND p.deadline >= ? AND p.deadline < ? THEN 1 ELSE 0 END), 0),"
          " COALESCE(SUM(CASE WHEN p.status = 'assigned' THEN 1 ELSE 0 END), 0),"
          " COALESCE(SUM(CASE WHEN p.status IN ('rectifying', 'rework')"
          " AND p.deadline >= ? AND p.deadline < ? THEN 1 ELSE 0 END), 0),"
          " COALESCE(SUM(CASE WHEN p.status = 'rework' THEN 1 ELSE 0 END), 0),"
          " COALESCE(SUM(CASE WHEN p.status = 'returned' THEN 1 ELSE 0 END), 0),"
          " COALESCE(SUM(CASE WHEN p.extension_pending = 1 AND p.status IN " HOME_OPEN
          " THEN 1 ELSE 0 END), 0)" HOME_FROM);

STORE_SQL(q_home_overdue_units,
          "SELECT u.id, u.name, COUNT(*) AS n, MIN(p.deadline)" HOME_FROM
          " AND p.status IN " HOME_OPEN " AND p.deadline < ? AND u.id IS NOT NULL"
          " GROUP BY u.id, u.name ORDER BY n DESC, MIN(p.deadline), u.id LIMIT ?");

/* One list per kind; the kind is bound, so one statement serves them all. */
STORE_SQL(q_home_items,
          "SELECT p.id, p.code, p.status, COALESCE(p.deadline, 0), COALESCE(u.name, ''),"
          " p.description, p.created_at" HOME_FROM " AND ((? = 'today' AND p.status IN " HOME_OPEN
          " AND p.deadline >= ? AND p.deadline < ?)"
          " OR (? = 'to_accept' AND p.status = 'reported')"
          " OR (? = 'to_verify' AND p.status = 'submitted')"
          " OR (? = 'to_sign' AND p.status = 'assigned')"
          " OR (? = 'due_soon' AND p.status IN ('rectifying', 'rework')"
          " AND p.deadline >= ? AND p.deadline < ?)"
          " OR (? = 'rework' AND p.status IN ('rework', 'returned')))"
          " ORDER BY COALESCE(p.deadline, p.created_at), p.id LIMIT ?");

/* tenant and scope: the five values every query above starts with. */
static int from_args(int64_t tenant_id, const struct scope *s, struct store_val *args)
{
	args[0] = sv_int(tenant_id);
	scope_args(s, args + 1);
	return 5;
}

int home_counts(struct store_conn *c, int64_t tenant_id, const struct scope *s,
                const struct home_window *w, struct home_counts *out, struct error *e)
{
	struct store_val args[16];
	struct store_rows *r;
	int k = 0, rc;

	memset(out, 0, sizeof(*out));
	args[k++] = sv_int(w->now);
	args[k++] = sv_int(w->now); /* today: the deadlines still ahead */
	args[k++] = sv_int(w->day_end);
	args[k++] = sv_int(w->now);
	args[k++] = sv_int(w->soon_end);
	k += from_args(tenant_id, s, args + k);
	if ((rc = store_query(c, &q_home_counts, args, k, &r, e)))
		return rc;
	if ((rc = store_next(r)) > 0) {
		out->to_accept = store_int(r, 0);
		out->to_verify = store_int(r, 1);
		out->overdue = store_int(r, 2);
		out->due_today = store_int(r, 3);
		out->to_sign = store_int(r, 4);
		out->due_soon = store_int(r, 5);
		out->rework = store_int(r, 6);
		out->returned = store_int(r, 7);
		out->extension_pending = store_int(r, 8);
	}
	store_finish(r);
	return rc < 0 ? error_set(e, rc, NULL, NULL) : 0;
}

int home_overdue_by_unit(struct store_conn *c, int64_t tenant_id, const struct scope *s,
                         int64_t now, int limit, json_t **out, struct error *e)
{
	struct store_val args[8];
	struct store_rows *r;
	int k, rc;

	k = from_args(tenant_id, s, args);
	args[k++] = sv_int(now);
	args[k++] = sv_int(limit);
	*out = NULL;
	if ((rc = store_query(c, &q_home_overdue_units, args, k, &r, e)))
		return rc;
	*out = json_array();
	while ((rc = store_next(r)) > 0) {
		int64_t oldest = store_int(r, 3);

		json_array_append_new(
		    *out,
		    json_pack("{s:I, s:s, s:I, s:I}", "unit_id", (json_int_t)store_int(r, 0),
		              "unit_name", store_text(r, 1), "overdue", (json_int_t)store_int(r, 2),
		              "max_days", (json_int_t)((now - oldest) / (24LL * 3600 * 1000))));
	}
	store_finish(r);
	if (rc < 0) {
		json_decref(*out);
		*out = NULL;
		return error_set(e, rc, NULL, NULL);
	}
	return 0;
}

int home_items(struct store_conn *c, int64_t tenant_id, const struct scope *s, const char *kind,
               const struct home_window *w, int limit, json_t **out, struct error *e)
{
	struct store_val args[20];
	struct store_rows *r;
	int k, rc;

	k = from_args(tenant_id, s, args);
	args[k++] = sv_text(kind);
	args[k++] = sv_int(w->now);
	args[k++] = sv_int(w->day_end);
	args[k++] = sv_text(kind);
	args[k++] = sv_text(kind);
	args[k++] = sv_text(kind);
	args[k++] = sv_text(kind);
	args[k++] = sv_int(w->now);
	args[k++] = sv_int(w->soon_end);
	args[k++] = sv_text(kind);
	args[k++] = sv_int(limit);
	*out = NULL;
	if ((rc = store_query(c, &q_home_items, args, k, &r, e)))
		return rc;
	*out = json_array();
	while ((rc = store_next(r)) > 0) {
		int64_t deadline = store_int(r, 3);
		json_t *it = json_pack(
		    "{s:I, s:s, s:s, s:s, s:s, s:I}", "id", (json_int_t)store_int(r, 0), "code",
		    store_text(r, 1), "status", store_text(r, 2), "unit_name", store_text(r, 4),
		    "description", store_text(r, 5), "created_at", (json_int_t)store_int(r, 6));

		json_object_set_new(it, "deadline",
		                    deadline ? json_integer(deadline) : json_null());
		json_array_append_new(*out, it);
	}
	store_finish(r);
	if (rc < 0) {
		json_decref(*out);
		*out = NULL;
		return error_set(e, rc, NULL, NULL);
	}
	return 0;
}

/* dashboard_db.c - the SQL of the dashboard: the problems' weekly flow and the kept weeks. */
#include <string.h>

#include "dashboard/dashboard.h"
#include "store/store.h"

#define WEEK_MS (7LL * 24 * 3600 * 1000)

/* Voided and invalid problems never count; a parked one never falls overdue. */
STORE_SQL(q_dash_flow, "SELECT created_at, COALESCE(closed_at, 0), COALESCE(deadline, 0), status,"
                       " COALESCE(first_assigned_at, 0)"
                       " FROM problems WHERE tenant_id = ? AND status NOT IN ('invalid', 'voided')"
                       " AND (created_at >= ? OR closed_at >= ? OR deadline >= ?)");

static int week_index(int64_t t, int64_t start, int nweeks)
{
	int64_t k;

	if (t < start)
		return -1;
	k = (t - start) / WEEK_MS;
	return k < nweeks ? (int)k : -1;
}

int dashboard_problem_flow(struct store_conn *c, int64_t tenant_id, int64_t start, int nweeks,
                           int64_t now, struct dash_week_flow *out, struct error *e)
{
	struct store_val args[] = {sv_int(tenant_id), sv_int(start), sv_int(start), sv_int(start)};
	struct store_rows *r;
	int rc, k;

	memset(out, 0, sizeof(*out) * (size_t)nweeks);
	rc = store_query(c, &q_dash_flow, args, 4, &r, e);
	if (rc)
		return rc;
	while ((rc = store_next(r)) == 1) {
		int64_t created = store_int(r, 0), closed = store_int(r, 1),
		        deadline = store_int(r, 2);
		int is_closed = !strcmp(store_text(r, 3), "closed");

		if ((k = week_index(created, start, nweeks)) >= 0)
			out[k].reported++;
		if (is_closed && (k = week_index(closed, start, nweeks)) >= 0)
			out[k].closed++;
		/* overdue in the week its deadline passed: assigned, and not closed by then */
		if (deadline && deadline < now && store_int(r, 4) &&
		    strcmp(store_text(r, 3), "parked") && (!is_closed || closed > deadline) &&
		    (k = week_index(deadline, start, nweeks)) >= 0)
			out[k].overdue++;
	}
	store_finish(r);
	return rc < 0 ? error_set(e, rc, NULL, NULL) : 0;
}

STORE_SQL(q_dash_week_put,
          "INSERT INTO dashboard_weeks (tenant_id, week, total, field, questionnaire, materials,"
          " computed_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
          " ON CONFLICT (tenant_id, week) DO UPDATE SET total = excluded.total,"
          " field = excluded.field, questionnaire = excluded.questionnaire,"
          " materials = excluded.materials, computed_at = excluded.computed_at");

/* The score of part key of predicted, NULL when the part is missing. */
static struct store_val part_val(json_t *predicted, const char *key)
{
	json_t *v = json_object_get(json_object_get(predicted, key), "score");

	return json_is_number(v) ? sv_double(json_number_value(v)) : sv_null();
}

int dashboard_week_save(struct store_conn *c, int64_t tenant_id, const char *week,
                        json_t *predicted, int64_t now, struct error *e)
{
	struct store_val args[] = {sv_int(tenant_id),
	                           sv_text(week),
	                           part_val(predicted, "total"),
	                           part_val(predicted, "field"),
	                           part_val(predicted, "questionnaire"),
	                           part_val(predicted, "materials"),
	                           sv_int(now)};

	if (args[2].type == SV_NULL)
		args[2] = sv_double(0);
	return store_exec(c, &q_dash_week_put, args, 7, NULL, e);
}

STORE_SQL(q_dash_weeks, "SELECT week, total, field, questionnaire, materials FROM dashboard_weeks"
                        " WHERE tenant_id = ? AND week >= ? ORDER BY week");

static json_t *maybe(struct store_rows *r, int col)
{
	return store_isnull(r, col) ? json_null() : json_real(store_double(r, col));
}

int dashboard_weeks(struct store_conn *c, int64_t tenant_id, const char *from, json_t **out,
                    struct error *e)
{
	struct store_val args[] = {sv_int(tenant_id), sv_text(from)};
	struct store_rows *r;
	int rc;

	*out = json_array();
	rc = store_query(c, &q_dash_weeks, args, 2, &r, e);
	if (rc)
		return rc;
	while ((rc = store_next(r)) == 1)
		json_array_append_new(*out, json_pack("{s:s, s:f, s:o, s:o, s:o}", "week",
		                                      store_text(r, 0), "total", store_double(r, 1),
		                                      "field", maybe(r, 2), "questionnaire",
		                                      maybe(r, 3), "materials", maybe(r, 4)));
	store_finish(r);
	return rc < 0 ? error_set(e, rc, NULL, NULL) : 0;
}

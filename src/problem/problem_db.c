/*
 * problem_db.c - problems, co-units, timeline and photos in the store (the
 * nearby ones: problem_nearby_db.c).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "core/strbuf.h"
#include "files/files.h"
#include "master/master.h"
#include "problem/problem.h"
#include "problem/problem_rules.h"
#include "problem/problem_int.h"
#include "store/store.h"

/* ---- rules without SQL ----------------------------------------------------- */

const char *problem_source_of_round(const char *kind)
{
	static const char *const kinds[] = {"mock", "daily", "covert", "special", NULL};
	int i;

	for (i = 0; kind && kinds[i]; i++)
		if (!strcmp(kind, kinds[i]))
			return kinds[i];
	return "inspection";
}

int problem_source_ok(const char *s)
{
	static const char *const names[] = {"inspection", "supervision", "covert", "grid",
	                                    "leader",     "citizen",     "media",  "mock",
	                                    "daily",      "special",     NULL};
	int i;

	for (i = 0; names[i]; i++)
		if (!strcmp(s, names[i]))
			return 1;
	return 0;
}

int problem_outcome_ok(const char *s)
{
	return !strcmp(s, "fixed") || !strcmp(s, "duplicate") || !strcmp(s, "not_responsible") ||
	       !strcmp(s, "parked_closed");
}

int problem_overdue(const struct problem *p, int64_t now)
{
	return p->deadline && p->deadline < now && problem_status_has_deadline(p->status);
}

double problem_distance_m(double lat1, double lng1, double lat2, double lng2)
{
	const double rad = M_PI / 180.0, earth = 6371008.8;
	double dlat = (lat2 - lat1) * rad, dlng = (lng2 - lng1) * rad;
	double h = sin(dlat / 2) * sin(dlat / 2) +
	           cos(lat1 * rad) * cos(lat2 * rad) * sin(dlng / 2) * sin(dlng / 2);

	return 2 * earth * asin(sqrt(h < 1 ? h : 1));
}

static json_t *id_or_null(int64_t id)
{
	return id ? json_integer(id) : json_null();
}

json_t *problem_json(const struct problem *p, int64_t now)
{
	json_t *j = json_pack(
	    "{s:I, s:s, s:I, s:s, s:s, s:s, s:s, s:i, s:s, s:s, s:s, s:s?, s:b, s:I, s:I, s:I, "
	    "s:I}",
	    "id", (json_int_t)p->id, "code", p->code, "category_id", (json_int_t)p->category_id,
	    "category_name", p->category_name, "address", p->address, "description", p->description,
	    "source", p->source, "severity", p->severity, "status", problem_status_name(p->status),
	    "status_title", problem_status_title(p->status), "reporter_name", p->reporter_name,
	    "outcome", *p->outcome ? p->outcome : NULL, "extension_pending", p->extension_pending,
	    "extension_count", (json_int_t)p->extension_count, "rework_count",
	    (json_int_t)p->rework_count, "created_at", (json_int_t)p->created_at, "updated_at",
	    (json_int_t)p->updated_at);

	json_object_set_new(j, "point_id", id_or_null(p->point_id));
	json_object_set_new(j, "point_name",
	                    p->point_id ? json_string(p->point_name) : json_null());
	json_object_set_new(j, "grid_id", id_or_null(p->grid_id));
	json_object_set_new(j, "grid_name", p->grid_id ? json_string(p->grid_name) : json_null());
	json_object_set_new(j, "lat", p->has_location ? json_real(p->lat) : json_null());
	json_object_set_new(j, "lng", p->has_location ? json_real(p->lng) : json_null());
	json_object_set_new(j, "reporter_id", id_or_null(p->reporter_id));
	json_object_set_new(j, "suggested_unit_id", id_or_null(p->suggested_unit_id));
	json_object_set_new(j, "suggested_unit_name",
	                    p->suggested_unit_id ? json_string(p->suggested_unit_name)
	                                         : json_null());
	json_object_set_new(j, "suggested_deadline_hours",
	                    p->suggested_hours ? json_integer(p->suggested_hours) : json_null());
	json_object_set_new(j, "lead_unit_id", id_or_null(p->lead_unit_id));
	json_object_set_new(j, "lead_unit_name",
	                    p->lead_unit_id ? json_string(p->lead_unit_name) : json_null());
	json_object_set_new(j, "deadline", id_or_null(p->deadline));
	json_object_set_new(j, "assigned_at", id_or_null(p->assigned_at));
	json_object_set_new(j, "first_assigned_at", id_or_null(p->first_assigned_at));
	json_object_set_new(j, "overdue", json_boolean(problem_overdue(p, now)));
	json_object_set_new(j, "parked_from",
	                    p->has_parked_from ? json_string(problem_status_name(p->parked_from))
	                                       : json_null());
	json_object_set_new(j, "extension_deadline",
	                    p->extension_pending ? id_or_null(p->extension_deadline) : json_null());
	json_object_set_new(j, "extension_reason",
	                    p->extension_pending ? json_string(p->extension_reason) : json_null());
	json_object_set_new(j, "closed_at", id_or_null(p->closed_at));
	json_object_set_new(j, "recurrence_of", id_or_null(p->recurrence_of));
	json_object_set_new(j, "is_recurrence", json_boolean(p->recurrence_of != 0));
	return j;
}

/* ---- reading ---------------------------------------------------------------- */

#define PROBLEM_COLS                                                                               \
	"p.id, p.tenant_id, p.code, p.category_id, COALESCE(k.name, ''),"                          \
	" COALESCE(p.point_id, 0), COALESCE(pt.name, ''), COALESCE(p.grid_id, 0),"                 \
	" COALESCE(g.name, ''), p.lat, p.lng, p.address, p.description, p.severity, p.source,"     \
	" p.status, COALESCE(p.reporter_id, 0), COALESCE(ru.name, ''),"                            \
	" COALESCE(p.suggested_unit_id, 0), COALESCE(sgu.name, ''), p.suggested_hours,"            \
	" COALESCE(p.lead_unit_id, 0), COALESCE(lu.name, ''), COALESCE(lu.ancestors, ''),"         \
	" COALESCE(p.deadline, 0), COALESCE(p.first_assigned_at, 0), COALESCE(p.assigned_at, 0),"  \
	" COALESCE(p.parked_from, ''), p.extension_pending, COALESCE(p.extension_deadline, 0),"    \
	" COALESCE(p.extension_reason, ''), p.extension_count, p.rework_count,"                    \
	" COALESCE(p.outcome, ''), COALESCE(p.closed_at, 0), COALESCE(p.recurrence_of, 0),"        \
	" p.created_at, p.updated_at"
#define PROBLEM_JOINS                                                                              \
	" LEFT JOIN problem_categories k ON k.id = p.category_id"                                  \
	" LEFT JOIN points pt ON pt.id = p.point_id LEFT JOIN grids g ON g.id = p.grid_id"         \
	" LEFT JOIN users ru ON ru.id = p.reporter_id"                                             \
	" LEFT JOIN units sgu ON sgu.id = p.suggested_unit_id"                                     \
	" LEFT JOIN units lu ON lu.id = p.lead_unit_id"
#define PROBLEM_FROM " FROM problems p" PROBLEM_JOINS
/*
 * The list's scope for a caller without "all", as the set of ids it
 * reaches, each branch answered from an index: problems led by a unit in
 * scope (units by id or subtree), problems with a co-unit in scope, the
 * caller's own reports.  Both back ends then fetch those rows by primary
 * key.  PROBLEM_SCOPE's EXISTS per row made them visit every problem of the
 * tenant instead: 17 s per page for a unit administrator on a million
 * problems (docs/benchmarks.md).  The tenant is checked inside each branch.
 * The lead-unit branch also applies the status filter, from the index
 * (tenant, lead unit, status) of 0011, so only rows that match are read:
 * a unit's page with a status filter read all its problems (~3,000 for a
 * median unit) to find 20.  With a status filter the branch seeks each
 * (unit, status) pair of that index; written as an optional filter
 * ("? = '' OR status IN ...") it walked all the unit's entries, 120,000
 * for the busiest unit.  Values: tenant, tenant, unit ids, subtree,
 * [statuses], tenant, unit ids, subtree, tenant, owner.
 * PostgreSQL gets the units as an array (= ANY): its generic plan guesses
 * half the units for an IN subquery and scans every problem, 2-3 s a page,
 * where = ANY of an array reads the lead unit index.
 */
#define PROBLEM_SCOPE_UNITS                                                                        \
	"(SELECT su.id FROM units su WHERE su.tenant_id = ? AND (su.id IN_IDS(?)"                  \
	" OR su.ancestors LIKE ?))"
#define PROBLEM_LIST_SCOPE(open, close, status)                                                    \
	"p.id IN (SELECT x.id FROM problems x WHERE x.tenant_id = ? AND x.lead_unit_id " open      \
	    PROBLEM_SCOPE_UNITS close status                                                       \
	" UNION ALL SELECT pu.problem_id FROM problem_units pu"                                    \
	" WHERE pu.unit_id " open PROBLEM_SCOPE_UNITS close                                        \
	" UNION ALL SELECT x.id FROM problems x WHERE x.tenant_id = ? AND x.reporter_id = ?)"
#define PROBLEM_FILTERS                                                                            \
	" AND (? = '' OR p.status IN_TEXTS(?))"                                                    \
	" AND (? = 0 OR p.category_id IN_IDS(?))"                                                  \
	" AND (CAST(? AS BIGINT) = 0 OR p.lead_unit_id = ?)"                                       \
	" AND (CAST(? AS BIGINT) = 0 OR p.grid_id = ?)"                                            \
	" AND (CAST(? AS BIGINT) = 0 OR p.point_id = ?) AND (? = '' OR p.source = ?)"              \
	" AND (CAST(? AS BIGINT) = 0 OR p.created_at >= ?)"                                        \
	" AND (CAST(? AS BIGINT) = 0 OR p.created_at <= ?)"                                        \
	" AND (? = 0 OR (p.deadline < ? AND p.status IN"                                           \
	" ('assigned', 'rectifying', 'rework', 'submitted')))"                                     \
	" AND (? = '' OR p.code LIKE ? ESCAPE '\\' OR p.description LIKE ? ESCAPE '\\')"           \
	" AND (? = 0 OR (p.lat BETWEEN ? AND ? AND p.lng BETWEEN ? AND ?))"                        \
	" AND (? = 0 OR p.id IN (SELECT o.problem_id FROM inspection_observations o"               \
	" WHERE o.problem_id IS NOT NULL AND (CAST(? AS BIGINT) = 0 OR o.inspection_id = ?)"       \
	" AND (CAST(? AS BIGINT) = 0 OR o.standard_id = ?)))"
#define PROBLEM_WHERE_ALL PROBLEM_FROM " WHERE p.tenant_id = ?" PROBLEM_FILTERS
#define PROBLEM_ORDER     " ORDER BY p.created_at DESC, p.id DESC LIMIT ? OFFSET ?"
/*
 * A scoped page in one pass: the matching ids are sorted and counted
 * (COUNT(*) OVER ()) by the inner SELECT, and only the page's rows are
 * joined to their names.  A COUNT(*) statement and then the page statement
 * found the same matches twice, and the page sorted whole joined rows:
 * half of a unit's list page (callgrind, docs/benchmarks.md).  The count
 * alone is needed only for a page past the end.  Offices (scope "all")
 * keep COUNT and the page apart: their page stops after 20 rows read in
 * creation order, which a window over the whole tenant would prevent.
 */
#define PROBLEM_SCOPED(scope) " FROM problems p WHERE " scope PROBLEM_FILTERS
#define PROBLEM_PAGE_SCOPED(scope)                                                                 \
	"SELECT " PROBLEM_COLS ", pg.total FROM (SELECT p.id, p.created_at,"                       \
	" COUNT(*) OVER () AS total" PROBLEM_SCOPED(scope) PROBLEM_ORDER                           \
	    ") pg"                                                                                 \
	    " JOIN problems p ON p.id = pg.id" PROBLEM_JOINS                                       \
	    " ORDER BY p.created_at DESC, p.id DESC"
#define PROBLEM_STATUS_SEEK          " AND x.status IN_TEXTS(?)"
#define PROBLEM_SCOPE_SQLITE(status) PROBLEM_LIST_SCOPE("IN", "", status)
#define PROBLEM_SCOPE_PG(status)     PROBLEM_LIST_SCOPE("= ANY(ARRAY", ")", status)
/*
 * Generic plans on PostgreSQL: it planned these afresh on every run (3 ms,
 * as long as running them), and their generic plan reads the same indexes.
 */
#define PROBLEM_SCOPED_SQL2(name, sql)                                                             \
	STORE_SQL2_FLAGS(name, sql(PROBLEM_SCOPE_SQLITE("")), sql(PROBLEM_SCOPE_PG("")),           \
	                 STORE_GENERIC_PLAN);                                                      \
	STORE_SQL2_FLAGS(name##_status, sql(PROBLEM_SCOPE_SQLITE(PROBLEM_STATUS_SEEK)),            \
	                 sql(PROBLEM_SCOPE_PG(PROBLEM_STATUS_SEEK)), STORE_GENERIC_PLAN)
#define PROBLEM_COUNT_SCOPED(scope) "SELECT COUNT(*)" PROBLEM_SCOPED(scope)

STORE_SQL(q_problem_count_all, "SELECT COUNT(*)" PROBLEM_WHERE_ALL);
STORE_SQL(q_problem_page_all, "SELECT " PROBLEM_COLS PROBLEM_WHERE_ALL PROBLEM_ORDER);
PROBLEM_SCOPED_SQL2(q_problem_count_scoped, PROBLEM_COUNT_SCOPED);
PROBLEM_SCOPED_SQL2(q_problem_page_scoped, PROBLEM_PAGE_SCOPED);
/*
 * The list's next rows after a key, in the list's order (keyset paging, for
 * the export), with only the columns an export shows (problem_read_brief):
 * the rows before the key are neither counted nor skipped, and the joins
 * nothing reads from (grid, suggested unit) fall away in both planners.  The
 * first term is a range of the (tenant, created_at) index, the second
 * breaks ties on id.  Values: the list's, then created_at, created_at, id,
 * limit.
 */
#define PROBLEM_BRIEF_COLS                                                                         \
	"p.id, p.code, COALESCE(k.name, ''), COALESCE(p.point_id, 0), COALESCE(pt.name, ''),"      \
	" p.address, p.description, p.source, p.status, COALESCE(ru.name, ''),"                    \
	" COALESCE(p.lead_unit_id, 0), COALESCE(lu.name, ''), COALESCE(p.deadline, 0),"            \
	" p.created_at"
#define PROBLEM_AFTER                                                                              \
	" AND p.created_at <= ? AND (p.created_at < ? OR p.id < ?)"                                \
	" ORDER BY p.created_at DESC, p.id DESC LIMIT ?"
#define PROBLEM_NEXT_SCOPED(scope)                                                                 \
	"SELECT " PROBLEM_BRIEF_COLS PROBLEM_FROM " WHERE " scope PROBLEM_FILTERS PROBLEM_AFTER
STORE_SQL(q_problem_next_all, "SELECT " PROBLEM_BRIEF_COLS PROBLEM_WHERE_ALL PROBLEM_AFTER);
PROBLEM_SCOPED_SQL2(q_problem_next_scoped, PROBLEM_NEXT_SCOPED);
STORE_SQL(q_problem_get, "SELECT " PROBLEM_COLS PROBLEM_FROM
                         " WHERE p.tenant_id = ? AND p.id = ? AND " PROBLEM_SCOPE);

static void problem_read(struct store_rows *r, struct arena *a, struct problem *p)
{
	const char *parked;

	memset(p, 0, sizeof(*p));
	p->id = store_int(r, 0);
	p->tenant_id = store_int(r, 1);
	p->code = arena_strdup(a, store_text(r, 2));
	p->category_id = store_int(r, 3);
	p->category_name = arena_strdup(a, store_text(r, 4));
	p->point_id = store_int(r, 5);
	p->point_name = arena_strdup(a, store_text(r, 6));
	p->grid_id = store_int(r, 7);
	p->grid_name = arena_strdup(a, store_text(r, 8));
	p->has_location = !store_isnull(r, 9) && !store_isnull(r, 10);
	p->lat = p->has_location ? store_double(r, 9) : 0;
	p->lng = p->has_location ? store_double(r, 10) : 0;
	p->address = arena_strdup(a, store_text(r, 11));
	p->description = arena_strdup(a, store_text(r, 12));
	p->severity = (int)store_int(r, 13);
	p->source = arena_strdup(a, store_text(r, 14));
	if (problem_status_parse(store_text(r, 15), &p->status))
		p->status = PS_REPORTED;
	p->reporter_id = store_int(r, 16);
	p->reporter_name = arena_strdup(a, store_text(r, 17));
	p->suggested_unit_id = store_int(r, 18);
	p->suggested_unit_name = arena_strdup(a, store_text(r, 19));
	p->suggested_hours = store_int(r, 20);
	p->lead_unit_id = store_int(r, 21);
	p->lead_unit_name = arena_strdup(a, store_text(r, 22));
	p->lead_unit_ancestors = arena_strdup(a, store_text(r, 23));
	p->deadline = store_int(r, 24);
	p->first_assigned_at = store_int(r, 25);
	p->assigned_at = store_int(r, 26);
	parked = store_text(r, 27);
	p->has_parked_from = parked && *parked && !problem_status_parse(parked, &p->parked_from);
	p->extension_pending = (int)store_int(r, 28);
	p->extension_deadline = store_int(r, 29);
	p->extension_reason = arena_strdup(a, store_text(r, 30));
	p->extension_count = store_int(r, 31);
	p->rework_count = store_int(r, 32);
	p->outcome = arena_strdup(a, store_text(r, 33));
	p->closed_at = store_int(r, 34);
	p->recurrence_of = store_int(r, 35);
	p->created_at = store_int(r, 36);
	p->updated_at = store_int(r, 37);
}

/* ",reported,closed," as the JSON array IN_TEXTS binds: ["reported","closed"]. */
static const char *status_array(struct arena *a, const char *statuses)
{
	json_t *arr = json_array();
	const char *p = statuses, *end;
	char *text;
	const char *out;

	while (p && *p) {
		while (*p == ',')
			p++;
		end = strchr(p, ',');
		if (!end)
			end = p + strlen(p);
		if (end > p)
			json_array_append_new(arr, json_stringn(p, (size_t)(end - p)));
		p = end;
	}
	text = json_dumps(arr, JSON_COMPACT);
	out = arena_strdup(a, text ? text : "[]");
	free(text);
	json_decref(arr);
	return out;
}

/* The columns of PROBLEM_BRIEF_COLS; the other fields stay 0 or "". */
static void problem_read_brief(struct store_rows *r, struct arena *a, struct problem *p)
{
	memset(p, 0, sizeof(*p));
	p->id = store_int(r, 0);
	p->code = arena_strdup(a, store_text(r, 1));
	p->category_name = arena_strdup(a, store_text(r, 2));
	p->point_id = store_int(r, 3);
	p->point_name = arena_strdup(a, store_text(r, 4));
	p->address = arena_strdup(a, store_text(r, 5));
	p->description = arena_strdup(a, store_text(r, 6));
	p->source = arena_strdup(a, store_text(r, 7));
	if (problem_status_parse(store_text(r, 8), &p->status))
		p->status = PS_REPORTED;
	p->reporter_name = arena_strdup(a, store_text(r, 9));
	p->lead_unit_id = store_int(r, 10);
	p->lead_unit_name = arena_strdup(a, store_text(r, 11));
	p->deadline = store_int(r, 12);
	p->created_at = store_int(r, 13);
	p->grid_name = p->suggested_unit_name = p->lead_unit_ancestors = p->extension_reason =
	    p->outcome = "";
}

/*
 * The values of the list's WHERE into args; returns how many, and in
 * *status_seek whether the statement to run is the _status twin of a
 * scoped one (a scoped list with a status filter seeks it in the index).
 * The keyword's LIKE pattern and the statuses' array go into a.
 */
static int list_args(int64_t tenant_id, const struct problem_filter *f, struct arena *a,
                     struct store_val *args, int *status_seek)
{
	const char *kw = f->keyword ? f->keyword : "", *st = f->statuses ? f->statuses : "";
	const char *src = f->source ? f->source : "";
	const char *sts = status_array(a, st), *like = store_like_pattern(a, kw, 1);
	int k = 0;

	*status_seek = 0;
	args[k++] = sv_int(tenant_id);
	if (!f->scope->all) {
		struct store_val sc[4];

		scope_args(f->scope, sc);
		args[k++] = sv_int(tenant_id);
		args[k++] = sc[1];
		args[k++] = sc[2];
		if (*st) {
			*status_seek = 1;
			args[k++] = sv_text(sts);
		}
		args[k++] = sv_int(tenant_id);
		args[k++] = sc[1];
		args[k++] = sc[2];
		args[k++] = sv_int(tenant_id);
		args[k++] = sc[3];
	}
	args[k++] = sv_text(st);
	args[k++] = sv_text(sts);
	args[k++] = sv_int(f->category_ids ? 1 : 0);
	args[k++] = sv_text(f->category_ids ? f->category_ids : "[]");
	args[k++] = sv_int(f->unit_id);
	args[k++] = sv_int(f->unit_id);
	args[k++] = sv_int(f->grid_id);
	args[k++] = sv_int(f->grid_id);
	args[k++] = sv_int(f->point_id);
	args[k++] = sv_int(f->point_id);
	args[k++] = sv_text(src);
	args[k++] = sv_text(src);
	args[k++] = sv_int(f->from);
	args[k++] = sv_int(f->from);
	args[k++] = sv_int(f->to);
	args[k++] = sv_int(f->to);
	args[k++] = sv_int(f->overdue ? 1 : 0);
	args[k++] = sv_int(f->now);
	args[k++] = sv_text(kw);
	args[k++] = sv_text(like);
	args[k++] = sv_text(like);
	args[k++] = sv_int(f->box ? 1 : 0);
	args[k++] = sv_double(f->box ? f->box->min_lat : -90);
	args[k++] = sv_double(f->box ? f->box->max_lat : 90);
	args[k++] = sv_double(f->box ? f->box->min_lng : -180);
	args[k++] = sv_double(f->box ? f->box->max_lng : 180);
	args[k++] = sv_int(f->inspection_id || f->standard_id);
	args[k++] = sv_int(f->inspection_id);
	args[k++] = sv_int(f->inspection_id);
	args[k++] = sv_int(f->standard_id);
	args[k++] = sv_int(f->standard_id);
	return k;
}

/*
 * Run page with args and read its rows with read into *out (arena a);
 * with total, the first row's column 38 (COUNT(*) OVER () of a scoped
 * page) goes there.
 */
static int list_rows(struct store_conn *c, const struct store_sql *page,
                     const struct store_val *args, int k,
                     void (*read)(struct store_rows *, struct arena *, struct problem *),
                     struct arena *a, struct problem **out, int *n, int64_t *total, struct error *e)
{
	struct store_rows *r;
	struct problem *list = NULL;
	int cap = 0, rc;

	*out = NULL;
	*n = 0;
	rc = store_query(c, page, args, k, &r, e);
	if (rc)
		return rc;
	while ((rc = store_next(r)) > 0) {
		if (total && !*n)
			*total = store_int(r, 38);
		list = arena_grow(a, list, *n, &cap, sizeof(*list));
		read(r, a, &list[(*n)++]);
	}
	store_finish(r);
	if (rc < 0)
		return error_set(e, rc, NULL, NULL);
	*out = list;
	return 0;
}

int problem_list(struct store_conn *c, int64_t tenant_id, const struct problem_filter *f,
                 struct arena *a, struct problem **out, int *n, int64_t *total, struct error *e)
{
	struct store_val args[48];
	const struct store_sql *count = &q_problem_count_all, *page = &q_problem_page_all;
	int k, rc, seek, scoped = !f->scope->all;

	*out = NULL;
	*n = 0;
	*total = 0;
	k = list_args(tenant_id, f, a, args, &seek);
	if (scoped) {
		count = seek ? &q_problem_count_scoped_status : &q_problem_count_scoped;
		page = seek ? &q_problem_page_scoped_status : &q_problem_page_scoped;
	} else if ((rc = store_query_int(c, count, args, k, total, e))) {
		return rc;
	}
	args[k++] = sv_int(f->limit > 0 ? f->limit : INT32_MAX);
	args[k++] = sv_int(f->offset);
	rc = list_rows(c, page, args, k, problem_read, a, out, n, scoped ? total : NULL, e);
	if (rc)
		return rc;
	/* a scoped page past the end has no row to carry the total */
	if (scoped && !*n && f->offset > 0)
		return store_query_int(c, count, args, k - 2, total, e);
	return 0;
}

int problem_list_brief(struct store_conn *c, int64_t tenant_id, const struct problem_filter *f,
                       const struct problem_key *after, struct arena *a, struct problem **out,
                       int *n, struct error *e)
{
	const struct store_sql *next = &q_problem_next_all;
	struct store_val args[48];
	int k, seek;

	k = list_args(tenant_id, f, a, args, &seek);
	if (!f->scope->all)
		next = seek ? &q_problem_next_scoped_status : &q_problem_next_scoped;
	args[k++] = sv_int(after ? after->created_at : INT64_MAX);
	args[k++] = sv_int(after ? after->created_at : INT64_MAX);
	args[k++] = sv_int(after ? after->id : INT64_MAX);
	args[k++] = sv_int(f->limit > 0 ? f->limit : INT32_MAX);
	return list_rows(c, next, args, k, problem_read_brief, a, out, n, NULL, e);
}

int problem_get(struct store_conn *c, int64_t tenant_id, const struct scope *s, int64_t id,
                struct arena *a, struct problem *out, struct error *e)
{
	static const struct scope everything = SCOPE_EVERYTHING;
	struct store_val args[6];
	struct store_rows *r;
	int rc;

	args[0] = sv_int(tenant_id);
	args[1] = sv_int(id);
	scope_args(s ? s : &everything, args + 2);
	rc = store_query_one(c, &q_problem_get, args, 6, &r, "问题不存在", e);
	if (rc)
		return rc;
	problem_read(r, a, out);
	store_finish(r);
	return 0;
}

/* ---- writing ------------------------------------------------------------------ */

STORE_SQL(q_problem_number,
          "INSERT INTO problem_counters (tenant_id, year, last_no) VALUES (?, ?, 1)"
          " ON CONFLICT (tenant_id, year) DO UPDATE SET last_no = problem_counters.last_no + 1"
          " RETURNING last_no");

int problem_next_number(struct store_conn *c, int64_t tenant_id, int year, int64_t *no,
                        struct error *e)
{
	struct store_val args[] = {sv_int(tenant_id), sv_int(year)};

	return store_query_int(c, &q_problem_number, args, 2, no, e);
}

STORE_SQL(q_problem_insert,
          "INSERT INTO problems (tenant_id, code, category_id, point_id, grid_id, lat, lng,"
          " address, description, severity, source, status, reporter_id, suggested_unit_id,"
          " suggested_hours, recurrence_of, created_at, updated_at)"
          " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");

static struct store_val sv_id(int64_t id)
{
	return id ? sv_int(id) : sv_null();
}

int problem_insert(struct store_conn *c, struct problem *p, struct error *e)
{
	struct store_val args[] = {
	    sv_int(p->tenant_id),
	    sv_text(p->code),
	    sv_int(p->category_id),
	    sv_id(p->point_id),
	    sv_id(p->grid_id),
	    p->has_location ? sv_double(p->lat) : sv_null(),
	    p->has_location ? sv_double(p->lng) : sv_null(),
	    sv_text(p->address),
	    sv_text(p->description),
	    sv_int(p->severity),
	    sv_text(p->source),
	    sv_text(problem_status_name(p->status)),
	    sv_id(p->reporter_id),
	    sv_id(p->suggested_unit_id),
	    sv_int(p->suggested_hours),
	    sv_id(p->recurrence_of),
	    sv_int(p->created_at),
	    sv_int(p->updated_at),
	};

	return store_query_int(c, &q_problem_insert, args, 18, &p->id, e);
}

STORE_SQL(q_problem_state,
          "UPDATE problems SET status = ?, lead_unit_id = ?, deadline = ?, first_assigned_at = ?,"
          " assigned_at = ?, parked_from = ?, extension_pending = ?, extension_deadline = ?,"
          " extension_reason = ?, extension_count = ?, rework_count = ?, outcome = ?,"
          " closed_at = ?, updated_at = ? WHERE id = ? AND tenant_id = ?");

int problem_update_state(struct store_conn *c, const struct problem *p, int64_t now,
                         struct error *e)
{
	struct store_val args[] = {
	    sv_text(problem_status_name(p->status)),
	    sv_id(p->lead_unit_id),
	    sv_id(p->deadline),
	    sv_id(p->first_assigned_at),
	    sv_id(p->assigned_at),
	    p->has_parked_from ? sv_text(problem_status_name(p->parked_from)) : sv_null(),
	    sv_int(p->extension_pending ? 1 : 0),
	    p->extension_pending ? sv_id(p->extension_deadline) : sv_null(),
	    p->extension_pending ? sv_text(p->extension_reason) : sv_null(),
	    sv_int(p->extension_count),
	    sv_int(p->rework_count),
	    *p->outcome ? sv_text(p->outcome) : sv_null(),
	    sv_id(p->closed_at),
	    sv_int(now),
	    sv_int(p->id),
	    sv_int(p->tenant_id),
	};
	int64_t changes = 0;
	int rc = store_exec(c, &q_problem_state, args, 16, &changes, e);

	if (!rc && changes != 1)
		rc = error_set(e, ERR_NOT_FOUND, NULL, "问题不存在");
	return rc;
}

STORE_SQL(q_counits_clear, "DELETE FROM problem_units WHERE problem_id = ?");
STORE_SQL(q_counit_add, "INSERT INTO problem_units (problem_id, unit_id) VALUES (?, ?)");
STORE_SQL(q_counits, "SELECT u.id, u.name FROM problem_units pu JOIN units u ON u.id = pu.unit_id"
                     " WHERE pu.problem_id = ? ORDER BY u.sort, u.id");

int problem_set_co_units(struct store_conn *c, int64_t problem_id, const int64_t *ids, int n,
                         struct error *e)
{
	struct store_val args[2] = {sv_int(problem_id), sv_null()};
	int i, rc = store_exec(c, &q_counits_clear, args, 1, NULL, e);

	for (i = 0; !rc && i < n; i++) {
		args[1] = sv_int(ids[i]);
		rc = store_exec(c, &q_counit_add, args, 2, NULL, e);
	}
	return rc;
}

/* [{"id","name"}] of the co-units from q_counits's rows; finishes r. */
static int co_units_read(struct store_rows *r, json_t **out, struct error *e)
{
	int rc;

	*out = json_array();
	while ((rc = store_next(r)) > 0)
		json_array_append_new(*out,
		                      json_pack("{s:I, s:s}", "id", (json_int_t)store_int(r, 0),
		                                "name", store_text(r, 1)));
	store_finish(r);
	if (rc < 0) {
		json_decref(*out);
		*out = NULL;
		return error_set(e, rc, NULL, NULL);
	}
	return 0;
}

/* ---- timeline and photos --------------------------------------------------------- */

STORE_SQL(q_event_add,
          "INSERT INTO problem_events (problem_id, action, from_status, to_status, user_id,"
          " unit_id, note, detail, at, proxy) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
/*
 * The timeline with each event's attachments in one statement (one row per
 * attachment, at least one per event): as two statements it was one more
 * round trip to PostgreSQL on every detail page.
 */
STORE_SQL(q_events,
          "SELECT ev.id, ev.action, COALESCE(ev.from_status, ''), ev.to_status,"
          " COALESCE(ev.user_id, 0), COALESCE(us.name, ''), COALESCE(ev.unit_id, 0),"
          " COALESCE(un.name, ''), ev.note, ev.detail, ev.at, ph.file_id, ev.proxy"
          " FROM problem_events ev"
          " LEFT JOIN users us ON us.id = ev.user_id LEFT JOIN units un ON un.id = ev.unit_id"
          " LEFT JOIN problem_photos ph ON ph.problem_id = ev.problem_id AND ph.event_id = ev.id"
          " WHERE ev.problem_id = ? ORDER BY ev.id, ph.sort, ph.file_id");

int problem_event_add(struct store_conn *c, const struct problem_event *ev, int64_t *id,
                      struct error *e)
{
	char *detail = ev->detail ? json_dumps(ev->detail, JSON_COMPACT) : NULL;
	struct store_val args[] = {
	    sv_int(ev->problem_id),
	    sv_text(ev->action),
	    ev->has_from ? sv_text(problem_status_name(ev->from)) : sv_null(),
	    sv_text(problem_status_name(ev->to)),
	    sv_id(ev->user_id),
	    sv_id(ev->unit_id),
	    sv_text(ev->note ? ev->note : ""),
	    sv_text(detail),
	    sv_int(ev->at),
	    sv_int(ev->proxy),
	};
	int64_t ignored;
	int rc = store_query_int(c, &q_event_add, args, 10, id ? id : &ignored, e);

	free(detail);
	return rc;
}

/* One event of the timeline from a row of q_events, without attachments. */
static json_t *event_json(struct store_rows *r)
{
	const char *from = store_text(r, 2), *detail = store_text(r, 9);
	json_t *ev = json_pack("{s:I, s:s, s:s?, s:s, s:s, s:I}", "id", (json_int_t)store_int(r, 0),
	                       "action", store_text(r, 1), "from_status", *from ? from : NULL,
	                       "to_status", store_text(r, 3), "note", store_text(r, 8), "at",
	                       (json_int_t)store_int(r, 10));

	json_object_set_new(ev, "user_id", id_or_null(store_int(r, 4)));
	json_object_set_new(ev, "user_name", json_string(store_text(r, 5)));
	json_object_set_new(ev, "unit_id", id_or_null(store_int(r, 6)));
	json_object_set_new(ev, "unit_name", json_string(store_text(r, 7)));
	json_object_set_new(ev, "detail", detail ? json_loads(detail, 0, NULL) : json_null());
	if (!json_object_get(ev, "detail"))
		json_object_set_new(ev, "detail", json_null());
	json_object_set_new(ev, "attachments", json_array());
	json_object_set_new(ev, "proxy", json_boolean(store_int(r, 12)));
	return ev;
}

/* The timeline from q_events's rows, each event with its attachments; finishes r. */
static int events_read(struct store_rows *r, json_t **out, struct error *e)
{
	json_t *list = json_array(), *ev = NULL;
	int64_t last = 0;
	int rc;

	*out = NULL;
	while ((rc = store_next(r)) > 0) {
		if (!ev || store_int(r, 0) != last) {
			last = store_int(r, 0);
			ev = event_json(r);
			json_array_append_new(list, ev);
		}
		if (!store_isnull(r, 11))
			json_array_append_new(json_object_get(ev, "attachments"),
			                      json_integer(store_int(r, 11)));
	}
	store_finish(r);
	if (rc < 0) {
		json_decref(list);
		return error_set(e, rc, NULL, NULL);
	}
	*out = list;
	return 0;
}

STORE_SQL(q_photo_add, "INSERT INTO problem_photos (problem_id, file_id, kind, event_id, sort)"
                       " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");
STORE_SQL(q_photos,
          "SELECT ph.file_id, ph.kind, COALESCE(ph.event_id, 0), COALESCE(f.captured_at, 0),"
          " f.created_at, f.width, f.height, f.gps_lat, f.gps_lng, f.sha256 FROM problem_photos ph"
          " JOIN files f ON f.id = ph.file_id WHERE ph.problem_id = ?"
          " ORDER BY ph.kind DESC, COALESCE(ph.event_id, 0), ph.sort, ph.file_id");

STORE_SQL(q_after_photos,
          "SELECT ph.file_id, COALESCE(f.captured_at, 0), EXISTS (SELECT 1 FROM problem_photos b"
          " JOIN files bf ON bf.id = b.file_id WHERE b.problem_id = ph.problem_id"
          " AND b.kind = 'before' AND bf.sha256 = f.sha256) FROM problem_photos ph"
          " JOIN files f ON f.id = ph.file_id WHERE ph.problem_id = ? AND ph.kind = 'after'"
          " AND ph.event_id = (SELECT MAX(l.event_id) FROM problem_photos l"
          " WHERE l.problem_id = ph.problem_id AND l.kind = 'after')"
          " ORDER BY ph.sort, ph.file_id");

int problem_after_photos(struct store_conn *c, int64_t problem_id, struct arena *ar,
                         struct problem_photo_fact **out, int *n, struct error *e)
{
	struct store_val args[] = {sv_int(problem_id)};
	struct store_rows *r;
	int rc;

	*n = 0;
	*out = arena_alloc(ar, sizeof(**out) * PROBLEM_MAX_PHOTOS);
	if ((rc = store_query(c, &q_after_photos, args, 1, &r, e)))
		return rc;
	while ((rc = store_next(r)) > 0 && *n < PROBLEM_MAX_PHOTOS) {
		struct problem_photo_fact *f = &(*out)[(*n)++];

		f->file_id = store_int(r, 0);
		f->captured_at = store_int(r, 1);
		f->same_as_before = store_int(r, 2) != 0;
	}
	store_finish(r);
	return rc < 0 ? error_set(e, rc, NULL, NULL) : 0;
}

STORE_SQL(q_file_readable,
          "SELECT 1 FROM problem_photos ph JOIN problems p ON p.id = ph.problem_id"
          " WHERE ph.file_id = ? AND p.tenant_id = ? AND " PROBLEM_SCOPE " LIMIT 1");

/* files.h's check for problem photos: readable with the problem (problem:view scope). */
static int problem_file_readable(struct store_conn *c, const struct principal *who, int64_t file_id,
                                 struct arena *a, int *ok, struct error *e)
{
	struct store_val args[6];
	struct scope s;
	int64_t one = 0;
	int rc;

	*ok = 0;
	if (!principal_has(who, "problem:view"))
		return 0;
	principal_scope(who, "problem:view", a, &s);
	args[0] = sv_int(file_id);
	args[1] = sv_int(who->tenant_id);
	scope_args(&s, args + 2);
	rc = store_query_int(c, &q_file_readable, args, 6, &one, e);
	if (rc == ERR_NOT_FOUND)
		return 0;
	*ok = !rc && one == 1;
	return rc;
}

const struct file_owner_kind problem_file_kind = {"problem", problem_file_readable};

int problem_photo_add(struct store_conn *c, int64_t problem_id, int64_t file_id, const char *kind,
                      int64_t event_id, int sort, struct error *e)
{
	struct store_val args[] = {sv_int(problem_id), sv_int(file_id), sv_text(kind),
	                           sv_id(event_id), sv_int(sort)};

	return store_exec(c, &q_photo_add, args, 5, NULL, e);
}

/* The photos of p from q_photos's rows; finishes r. */
static int photos_read(struct store_rows *r, const struct problem *p, json_t **out, struct error *e)
{
	int rc;

	json_t *before_sha = json_object(); /* before-photos come first (kind DESC) */

	*out = json_array();
	while ((rc = store_next(r)) > 0) {
		int64_t file_id = store_int(r, 0), captured = store_int(r, 3),
		        uploaded = store_int(r, 4);
		const char *kind = store_text(r, 1), *sha = store_text(r, 9);
		/* Without EXIF time the upload time bounds when it was taken. */
		int64_t taken = captured ? captured : uploaded;
		int after = !strcmp(kind, "after");
		int before = after && p->first_assigned_at && taken < p->first_assigned_at;
		struct problem_photo_fact fact = {
		    file_id, captured, after && json_object_get(before_sha, sha) != NULL};
		json_t *ph = json_pack(
		    "{s:I, s:s, s:I, s:i, s:i, s:b}", "file_id", (json_int_t)file_id, "kind", kind,
		    "uploaded_at", (json_int_t)uploaded, "width", (int)store_int(r, 5), "height",
		    (int)store_int(r, 6), "taken_before_assignment", before);

		if (!after)
			json_object_set_new(before_sha, sha, json_true());
		json_object_set_new(ph, "flags",
		                    after ? problem_photo_flag_titles(problem_photo_flags(&fact, p))
		                          : json_array());

		json_object_set_new(ph, "event_id", id_or_null(store_int(r, 2)));
		json_object_set_new(ph, "captured_at",
		                    captured ? json_integer(captured) : json_null());
		json_object_set_new(
		    ph, "lat", store_isnull(r, 7) ? json_null() : json_real(store_double(r, 7)));
		json_object_set_new(
		    ph, "lng", store_isnull(r, 8) ? json_null() : json_real(store_double(r, 8)));
		json_array_append_new(*out, ph);
	}
	store_finish(r);
	json_decref(before_sha);
	if (rc < 0) {
		json_decref(*out);
		*out = NULL;
		return error_set(e, rc, NULL, NULL);
	}
	return 0;
}

int problem_photos_json(struct store_conn *c, const struct problem *p, json_t **out,
                        struct error *e)
{
	struct store_val args[] = {sv_int(p->id)};
	struct store_rows *r;
	int rc = store_query(c, &q_photos, args, 1, &r, e);

	*out = NULL;
	return rc ? rc : photos_read(r, p, out, e);
}

/*
 * A detail's timeline, photos, co-units and links (those scope view shows)
 * in one batch, one round trip to PostgreSQL where four statements took
 * four.  With get_scope the problem itself comes first in the same batch,
 * read within get_scope into *out (ERR_NOT_FOUND outside it); without, it is
 * the problem already read (known).
 */
static int detail_batch(struct store_conn *c, int64_t tenant_id, int64_t id,
                        const struct scope *view, const struct scope *get_scope, struct arena *a,
                        struct problem *out, const struct problem *known, json_t **events,
                        json_t **photos, json_t **co_units, json_t **links, struct error *e)
{
	const struct problem *p = get_scope ? out : known;
	struct store_val idv = sv_int(id), link_args[8], get_args[6];
	struct store_batch b[5];
	int n = 0, first, i, rc, rc_events, rc_photos, rc_co;

	*events = *photos = *co_units = *links = NULL;
	if (get_scope) {
		get_args[0] = sv_int(tenant_id);
		get_args[1] = idv;
		scope_args(get_scope, get_args + 2);
		b[n++] = (struct store_batch){&q_problem_get, get_args, 6, NULL};
	}
	first = n;
	b[n++] = (struct store_batch){&q_events, &idv, 1, NULL};
	b[n++] = (struct store_batch){&q_photos, &idv, 1, NULL};
	b[n++] = (struct store_batch){&q_counits, &idv, 1, NULL};
	problem_links_batch(&b[n++], link_args, tenant_id, id, view);
	if ((rc = store_query_batch(c, b, n, e)))
		return rc;
	if (get_scope) {
		rc = store_next(b[0].rows);
		if (rc > 0)
			problem_read(b[0].rows, a, out);
		store_finish(b[0].rows);
		if (rc <= 0) {
			for (i = first; i < n; i++)
				store_finish(b[i].rows);
			return rc < 0 ? error_set(e, rc, NULL, NULL)
			              : error_set(e, ERR_NOT_FOUND, NULL, "问题不存在");
		}
	}
	/* each reader finishes its cursor, also after an earlier one failed */
	rc_events = events_read(b[first].rows, events, e);
	rc_photos = photos_read(b[first + 1].rows, p, photos, e);
	rc_co = co_units_read(b[first + 2].rows, co_units, e);
	rc = problem_links_read(b[first + 3].rows, links, e);
	rc = rc_events ? rc_events : rc_photos ? rc_photos : rc_co ? rc_co : rc;
	if (rc) {
		json_decref(*events);
		json_decref(*photos);
		json_decref(*co_units);
		json_decref(*links);
		*events = *photos = *co_units = *links = NULL;
	}
	return rc;
}

int problem_detail_json(struct store_conn *c, const struct problem *p, const struct scope *s,
                        json_t **events, json_t **photos, json_t **co_units, json_t **links,
                        struct error *e)
{
	return detail_batch(c, p->tenant_id, p->id, s, NULL, NULL, NULL, p, events, photos,
	                    co_units, links, e);
}

int problem_get_detail(struct store_conn *c, int64_t tenant_id, const struct scope *s, int64_t id,
                       struct arena *a, struct problem *p, json_t **events, json_t **photos,
                       json_t **co_units, json_t **links, struct error *e)
{
	return detail_batch(c, tenant_id, id, s, s, a, p, NULL, events, photos, co_units, links, e);
}

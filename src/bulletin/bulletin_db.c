/* bulletin_db.c - bulletins (通报) in the store, and the figures a draft is computed from. */
#include <string.h>

#include "bulletin/bulletin.h"
#include "store/store.h"

#define BULLETIN_COLS                                                                              \
	"b.id, b.tenant_id, b.year, b.seq, b.number, b.title, b.period_from, b.period_to,"         \
	" COALESCE(b.assessment_id, 0), b.status, b.content, COALESCE(b.announcement_id, 0),"      \
	" COALESCE(b.created_by, 0), b.created_at, COALESCE(b.updated_by, 0), b.updated_at,"       \
	" COALESCE(b.issued_by, 0), COALESCE(b.issued_at, 0), COALESCE(cu.name, ''),"              \
	" COALESCE(iu.name, '')"
#define BULLETIN_FROM                                                                              \
	" FROM bulletins b LEFT JOIN users cu ON cu.id = b.created_by"                             \
	" LEFT JOIN users iu ON iu.id = b.issued_by"

STORE_SQL(q_bulletin_next_seq,
          "SELECT COALESCE(MAX(seq), 0) + 1 FROM bulletins WHERE tenant_id = ? AND year = ?");
STORE_SQL(q_bulletin_insert,
          "INSERT INTO bulletins (tenant_id, year, seq, number, title, period_from, period_to,"
          " assessment_id, status, content, created_by, created_at, updated_by, updated_at)"
          " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'draft', ?, ?, ?, ?, ?) RETURNING id");
STORE_SQL(q_bulletin_update,
          "UPDATE bulletins SET title = ?, content = ?, updated_by = ?, updated_at = ?"
          " WHERE tenant_id = ? AND id = ? AND status = 'draft'");
STORE_SQL(q_bulletin_delete,
          "DELETE FROM bulletins WHERE tenant_id = ? AND id = ? AND status = 'draft'");
STORE_SQL(q_bulletin_issue,
          "UPDATE bulletins SET status = 'issued', issued_by = ?, issued_at = ?,"
          " announcement_id = ? WHERE tenant_id = ? AND id = ? AND status = 'draft'");
STORE_SQL(q_bulletin_get,
          "SELECT " BULLETIN_COLS BULLETIN_FROM " WHERE b.tenant_id = ? AND b.id = ?");
STORE_SQL(q_bulletin_count, "SELECT COUNT(*) FROM bulletins b WHERE b.tenant_id = ?"
                            " AND (CAST(? AS TEXT) = '' OR b.status = ?)");
STORE_SQL(q_bulletin_page, "SELECT " BULLETIN_COLS BULLETIN_FROM
                           " WHERE b.tenant_id = ? AND (CAST(? AS TEXT) = '' OR b.status = ?)"
                           " ORDER BY b.created_at DESC, b.id DESC LIMIT ? OFFSET ?");

/* Open work at cut: a deadline passed while the unit still owes it (ranking.h's overdue). */
#define OVERDUE_AT_CUT                                                                             \
	" p.tenant_id = ? AND p.deadline IS NOT NULL AND p.deadline < ?"                           \
	" AND p.assigned_at IS NOT NULL AND p.assigned_at <= ?"                                    \
	" AND (p.status IN ('assigned', 'rectifying', 'rework', 'submitted')"                      \
	" OR (p.status = 'closed' AND p.closed_at > ?))"

STORE_SQL(q_bulletin_figures,
          "SELECT"
          " (SELECT COUNT(*) FROM problems p WHERE p.tenant_id = ? AND p.created_at >= ?"
          "  AND p.created_at < ? AND p.status NOT IN ('invalid', 'voided')),"
          " (SELECT COUNT(*) FROM problems p WHERE p.tenant_id = ? AND p.status = 'closed'"
          "  AND p.closed_at >= ? AND p.closed_at < ?),"
          " (SELECT COUNT(*) FROM problems p WHERE" OVERDUE_AT_CUT "),"
          " (SELECT COUNT(DISTINCT r.inspection_id) FROM inspection_records r"
          "  JOIN inspections i ON i.id = r.inspection_id WHERE i.tenant_id = ?"
          "  AND r.submitted_at >= ? AND r.submitted_at < ?),"
          " (SELECT COUNT(*) FROM inspection_records r JOIN inspections i"
          "  ON i.id = r.inspection_id WHERE i.tenant_id = ?"
          "  AND r.submitted_at >= ? AND r.submitted_at < ?),"
          " (SELECT COUNT(*) FROM material_versions v WHERE v.tenant_id = ?"
          "  AND v.status <> 'draft' AND v.created_at >= ? AND v.created_at < ?),"
          " (SELECT COUNT(*) FROM material_versions v WHERE v.tenant_id = ?"
          "  AND v.status = 'approved' AND v.reviewed_at >= ? AND v.reviewed_at < ?),"
          " (SELECT COUNT(*) FROM plan_nodes t WHERE t.tenant_id = ? AND t.level = 'task'),"
          " (SELECT COUNT(*) FROM plan_nodes t WHERE t.tenant_id = ? AND t.level = 'task'"
          "  AND t.status = 'done'),"
          " (SELECT COUNT(*) FROM plan_nodes t WHERE t.tenant_id = ? AND t.level = 'task'"
          "  AND t.status <> 'done' AND t.deadline <> '' AND t.deadline < ?)");

STORE_SQL(
    q_bulletin_overdue_units,
    "SELECT p.lead_unit_id, u.name, COUNT(*) FROM problems p"
    " JOIN units u ON u.id = p.lead_unit_id WHERE" OVERDUE_AT_CUT
    " GROUP BY p.lead_unit_id, u.name, u.sort ORDER BY COUNT(*) DESC, u.sort, p.lead_unit_id");

STORE_SQL(q_bulletin_typical,
          "SELECT p.id FROM problems p WHERE p.tenant_id = ? AND p.status = 'closed'"
          " AND p.outcome = 'fixed' AND p.closed_at >= ? AND p.closed_at < ?"
          " AND EXISTS (SELECT 1 FROM problem_photos b WHERE b.problem_id = p.id"
          "  AND b.kind = 'before')"
          " AND EXISTS (SELECT 1 FROM problem_photos f WHERE f.problem_id = p.id"
          "  AND f.kind = 'after')"
          " ORDER BY p.severity DESC, p.closed_at DESC, p.id DESC LIMIT ?");

STORE_SQL(q_bulletin_assessment_of,
          "SELECT COALESCE(MAX(id), 0) FROM assessments WHERE tenant_id = ? AND from_day = ?"
          " AND to_day = ? AND status = 'published'");

static void bulletin_read(struct store_rows *r, struct arena *a, struct bulletin *b)
{
	memset(b, 0, sizeof(*b));
	b->id = store_int(r, 0);
	b->tenant_id = store_int(r, 1);
	b->year = (int)store_int(r, 2);
	b->seq = (int)store_int(r, 3);
	b->number = arena_strdup(a, store_text(r, 4));
	b->title = arena_strdup(a, store_text(r, 5));
	b->from = arena_strdup(a, store_text(r, 6));
	b->to = arena_strdup(a, store_text(r, 7));
	b->assessment_id = store_int(r, 8);
	b->status = arena_strdup(a, store_text(r, 9));
	b->content = arena_strdup(a, store_text(r, 10));
	b->announcement_id = store_int(r, 11);
	b->created_by = store_int(r, 12);
	b->created_at = store_int(r, 13);
	b->updated_by = store_int(r, 14);
	b->updated_at = store_int(r, 15);
	b->issued_by = store_int(r, 16);
	b->issued_at = store_int(r, 17);
	b->created_by_name = arena_strdup(a, store_text(r, 18));
	b->issued_by_name = arena_strdup(a, store_text(r, 19));
}

int bulletin_db_next_seq(struct store_conn *c, int64_t tenant_id, int year, int *seq,
                         struct error *e)
{
	struct store_val args[] = {sv_int(tenant_id), sv_int(year)};
	int64_t v = 0;
	int rc = store_query_int(c, &q_bulletin_next_seq, args, 2, &v, e);

	*seq = (int)v;
	return rc;
}

int bulletin_db_insert(struct store_conn *c, struct bulletin *b, struct error *e)
{
	struct store_val args[] = {
	    sv_int(b->tenant_id),  sv_int(b->year),
	    sv_int(b->seq),        sv_text(b->number),
	    sv_text(b->title),     sv_text(b->from),
	    sv_text(b->to),        b->assessment_id ? sv_int(b->assessment_id) : sv_null(),
	    sv_text(b->content),   b->created_by ? sv_int(b->created_by) : sv_null(),
	    sv_int(b->created_at), b->created_by ? sv_int(b->created_by) : sv_null(),
	    sv_int(b->created_at),
	};

	return store_query_int(c, &q_bulletin_insert, args, 13, &b->id, e);
}

int bulletin_db_update(struct store_conn *c, const struct bulletin *b, struct error *e)
{
	struct store_val args[] = {sv_text(b->title),
	                           sv_text(b->content),
	                           b->updated_by ? sv_int(b->updated_by) : sv_null(),
	                           sv_int(b->updated_at),
	                           sv_int(b->tenant_id),
	                           sv_int(b->id)};
	int64_t n = 0;
	int rc = store_exec(c, &q_bulletin_update, args, 6, &n, e);

	if (rc == 0 && n == 0)
		return error_set(e, ERR_CONFLICT, NULL, "通报已印发，不能再修改");
	return rc;
}

int bulletin_db_delete(struct store_conn *c, int64_t tenant_id, int64_t id, struct error *e)
{
	struct store_val args[] = {sv_int(tenant_id), sv_int(id)};
	int64_t n = 0;
	int rc = store_exec(c, &q_bulletin_delete, args, 2, &n, e);

	if (rc == 0 && n == 0)
		return error_set(e, ERR_CONFLICT, NULL, "通报已印发，不能删除");
	return rc;
}

int bulletin_db_issue(struct store_conn *c, int64_t tenant_id, int64_t id, int64_t user_id,
                      int64_t at, int64_t announcement_id, struct error *e)
{
	struct store_val args[] = {sv_int(user_id), sv_int(at),
	                           announcement_id ? sv_int(announcement_id) : sv_null(),
	                           sv_int(tenant_id), sv_int(id)};
	int64_t n = 0;
	int rc = store_exec(c, &q_bulletin_issue, args, 5, &n, e);

	if (rc == 0 && n == 0)
		return error_set(e, ERR_CONFLICT, NULL, "通报已印发");
	return rc;
}

int bulletin_db_get(struct store_conn *c, int64_t tenant_id, int64_t id, struct arena *a,
                    struct bulletin *out, struct error *e)
{
	struct store_val args[] = {sv_int(tenant_id), sv_int(id)};
	struct store_rows *r;
	int rc = store_query_one(c, &q_bulletin_get, args, 2, &r, "通报不存在", e);

	if (rc)
		return rc;
	bulletin_read(r, a, out);
	store_finish(r);
	return 0;
}

int bulletin_db_list(struct store_conn *c, int64_t tenant_id, const char *status, int64_t offset,
                     int64_t limit, struct arena *a, struct bulletin **out, int *n, int64_t *total,
                     struct error *e)
{
	const char *st = status ? status : "";
	struct store_val cargs[] = {sv_int(tenant_id), sv_text(st), sv_text(st)};
	struct store_val args[] = {sv_int(tenant_id), sv_text(st), sv_text(st), sv_int(limit),
	                           sv_int(offset)};
	struct store_rows *r;
	int rc, cap = 0;

	*out = NULL;
	*n = 0;
	if ((rc = store_query_int(c, &q_bulletin_count, cargs, 3, total, e)))
		return rc;
	if ((rc = store_query(c, &q_bulletin_page, args, 5, &r, e)))
		return rc;
	while ((rc = store_next(r)) > 0) {
		*out = arena_grow(a, *out, *n, &cap, sizeof(**out));
		bulletin_read(r, a, &(*out)[(*n)++]);
	}
	store_finish(r);
	return rc < 0 ? error_set(e, rc, NULL, NULL) : 0;
}

int bulletin_db_figures(struct store_conn *c, int64_t tenant_id, int64_t start, int64_t end,
                        int64_t cut, const char *day, json_t **out, struct error *e)
{
	struct store_val args[] = {
	    sv_int(tenant_id), sv_int(start),     sv_int(end),                     /* found */
	    sv_int(tenant_id), sv_int(start),     sv_int(end),                     /* closed */
	    sv_int(tenant_id), sv_int(cut),       sv_int(cut),       sv_int(cut),  /* overdue */
	    sv_int(tenant_id), sv_int(start),     sv_int(end),                     /* rounds */
	    sv_int(tenant_id), sv_int(start),     sv_int(end),                     /* records */
	    sv_int(tenant_id), sv_int(start),     sv_int(end),                     /* submitted */
	    sv_int(tenant_id), sv_int(start),     sv_int(end),                     /* approved */
	    sv_int(tenant_id), sv_int(tenant_id), sv_int(tenant_id), sv_text(day), /* tasks */
	};
	struct store_rows *r;
	int rc;

	*out = NULL;
	if ((rc = store_query_one(c, &q_bulletin_figures, args, 26, &r, NULL, e)))
		return rc;
	*out = json_pack(
	    "{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "problems_found",
	    (json_int_t)store_int(r, 0), "problems_closed", (json_int_t)store_int(r, 1),
	    "problems_overdue", (json_int_t)store_int(r, 2), "inspection_rounds",
	    (json_int_t)store_int(r, 3), "inspection_records", (json_int_t)store_int(r, 4),
	    "materials_submitted", (json_int_t)store_int(r, 5), "materials_approved",
	    (json_int_t)store_int(r, 6), "tasks_total", (json_int_t)store_int(r, 7), "tasks_done",
	    (json_int_t)store_int(r, 8), "tasks_overdue", (json_int_t)store_int(r, 9));
	store_finish(r);
	return 0;
}

int bulletin_db_overdue_units(struct store_conn *c, int64_t tenant_id, int64_t cut, json_t **out,
                              struct error *e)
{
	struct store_val args[] = {sv_int(tenant_id), sv_int(cut), sv_int(cut), sv_int(cut)};
	struct store_rows *r;
	int rc;

	*out = json_array();
	if ((rc = store_query(c, &q_bulletin_overdue_units, args, 4, &r, e)))
		return rc;
	while ((rc = store_next(r)) > 0)
		json_array_append_new(*out, json_pack("{s:I, s:s, s:I}", "unit_id",
		                                      (json_int_t)store_int(r, 0), "unit_name",
		                                      store_text(r, 1) ? store_text(r, 1) : "",
		                                      "count", (json_int_t)store_int(r, 2)));
	store_finish(r);
	if (rc < 0) {
		json_decref(*out);
		*out = NULL;
		return error_set(e, rc, NULL, NULL);
	}
	return 0;
}

int bulletin_db_typical_candidates(struct store_conn *c, int64_t tenant_id, int64_t start,
                                   int64_t end, int limit, int64_t *ids, int *n, struct error *e)
{
	struct store_val args[] = {sv_int(tenant_id), sv_int(start), sv_int(end), sv_int(limit)};
	struct store_rows *r;
	int rc;

	*n = 0;
	if ((rc = store_query(c, &q_bulletin_typical, args, 4, &r, e)))
		return rc;
	while ((rc = store_next(r)) > 0 && *n < limit)
		ids[(*n)++] = store_int(r, 0);
	store_finish(r);
	return rc < 0 ? error_set(e, rc, NULL, NULL) : 0;
}

int bulletin_db_assessment_of(struct store_conn *c, int64_t tenant_id, const char *from,
                              const char *to, int64_t *id, struct error *e)
{
	struct store_val args[] = {sv_int(tenant_id), sv_text(from), sv_text(to)};

	*id = 0;
	return store_query_int(c, &q_bulletin_assessment_of, args, 3, id, e);
}

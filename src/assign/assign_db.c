/* assign_db.c - assignment sheets (交办单) and their problems in the store. */
#include <stdint.h>
#include <string.h>

#include "assign/assign.h"
#include "auth/auth.h"
#include "store/store.h"

#define SHEET_COLS                                                                                 \
	"s.id, s.tenant_id, s.number, s.unit_id, COALESCE(u.name, ''),"                            \
	" COALESCE(u.ancestors, ''), COALESCE(s.created_by, 0), COALESCE(cu.name, ''),"            \
	" s.created_at, COALESCE(s.signed_by, 0), COALESCE(su.name, ''),"                          \
	" COALESCE(s.signed_at, 0), s.note,"                                                       \
	" (SELECT COUNT(*) FROM sheet_problems sp WHERE sp.sheet_id = s.id)"
#define SHEET_FROM                                                                                 \
	" FROM sheets s LEFT JOIN units u ON u.id = s.unit_id"                                     \
	" LEFT JOIN users cu ON cu.id = s.created_by LEFT JOIN users su ON su.id = s.signed_by"
/* The view scope (auth.h scope_args order): the sheet's unit by id or subtree, or its creator. */
#define SHEET_SCOPE "(? = 1 OR s.unit_id IN_IDS(?) OR u.ancestors LIKE ? OR s.created_by = ?)"
#define SHEET_WHERE                                                                                \
	SHEET_FROM " WHERE s.tenant_id = ? AND " SHEET_SCOPE                                       \
	           " AND (CAST(? AS BIGINT) = 0 OR s.unit_id = ?)"                                 \
	           " AND (? < 0 OR (? = 1 AND s.signed_at IS NOT NULL)"                            \
	           " OR (? = 0 AND s.signed_at IS NULL))"

STORE_SQL(q_sheet_count, "SELECT COUNT(*)" SHEET_WHERE);
STORE_SQL(q_sheet_page, "SELECT " SHEET_COLS SHEET_WHERE
                        " ORDER BY s.created_at DESC, s.id DESC LIMIT ? OFFSET ?");
STORE_SQL(q_sheet_get,
          "SELECT " SHEET_COLS SHEET_FROM " WHERE s.tenant_id = ? AND s.id = ? AND " SHEET_SCOPE);
STORE_SQL(q_sheet_number,
          "INSERT INTO sheet_counters (tenant_id, year, last_no) VALUES (?, ?, 1)"
          " ON CONFLICT (tenant_id, year) DO UPDATE SET last_no = sheet_counters.last_no + 1"
          " RETURNING last_no");
STORE_SQL(q_sheet_insert, "INSERT INTO sheets (tenant_id, number, unit_id, created_by, created_at,"
                          " note) VALUES (?, ?, ?, ?, ?, ?) RETURNING id");
STORE_SQL(q_sheet_add_problem,
          "INSERT INTO sheet_problems (sheet_id, problem_id, sort) VALUES (?, ?, ?)");
STORE_SQL(q_sheet_problem_ids,
          "SELECT problem_id FROM sheet_problems WHERE sheet_id = ? ORDER BY sort, problem_id");
STORE_SQL(q_sheet_sign, "UPDATE sheets SET signed_by = ?, signed_at = ?"
                        " WHERE id = ? AND signed_at IS NULL");

static void sheet_read(struct store_rows *r, struct arena *a, struct assign_sheet *s)
{
	memset(s, 0, sizeof(*s));
	s->id = store_int(r, 0);
	s->tenant_id = store_int(r, 1);
	s->number = arena_strdup(a, store_text(r, 2));
	s->unit_id = store_int(r, 3);
	s->unit_name = arena_strdup(a, store_text(r, 4));
	s->unit_ancestors = arena_strdup(a, store_text(r, 5));
	s->created_by = store_int(r, 6);
	s->created_by_name = arena_strdup(a, store_text(r, 7));
	s->created_at = store_int(r, 8);
	s->signed_by = store_int(r, 9);
	s->signed_by_name = arena_strdup(a, store_text(r, 10));
	s->signed_at = store_int(r, 11);
	s->note = arena_strdup(a, store_text(r, 12));
	s->problem_count = store_int(r, 13);
}

int assign_db_next_number(struct store_conn *c, int64_t tenant_id, int year, int64_t *no,
                          struct error *e)
{
	struct store_val args[] = {sv_int(tenant_id), sv_int(year)};

	return store_query_int(c, &q_sheet_number, args, 2, no, e);
}

int assign_db_insert(struct store_conn *c, struct assign_sheet *s, struct error *e)
{
	struct store_val args[] = {
	    sv_int(s->tenant_id),  sv_text(s->number),
	    sv_int(s->unit_id),    s->created_by ? sv_int(s->created_by) : sv_null(),
	    sv_int(s->created_at), sv_text(s->note ? s->note : "")};

	return store_query_int(c, &q_sheet_insert, args, 6, &s->id, e);
}

int assign_db_add_problem(struct store_conn *c, int64_t sheet_id, int64_t problem_id, int sort,
                          struct error *e)
{
	struct store_val args[] = {sv_int(sheet_id), sv_int(problem_id), sv_int(sort)};

	return store_exec(c, &q_sheet_add_problem, args, 3, NULL, e);
}

int assign_db_get(struct store_conn *c, int64_t tenant_id, const struct scope *s, int64_t id,
                  struct arena *a, struct assign_sheet *out, struct error *e)
{
	static const struct scope everything = SCOPE_EVERYTHING;
	struct store_val args[6];
	struct store_rows *r;
	int rc;

	args[0] = sv_int(tenant_id);
	args[1] = sv_int(id);
	scope_args(s ? s : &everything, args + 2);
	rc = store_query_one(c, &q_sheet_get, args, 6, &r, "交办单不存在", e);
	if (rc)
		return rc;
	sheet_read(r, a, out);
	store_finish(r);
	return 0;
}

int assign_db_list(struct store_conn *c, int64_t tenant_id, const struct assign_filter *f,
                   struct arena *a, struct assign_sheet **out, int *n, int64_t *total,
                   struct error *e)
{
	struct store_val args[16];
	struct store_rows *r;
	struct assign_sheet *list = NULL;
	int k = 0, cap = 0, rc;

	*out = NULL;
	*n = 0;
	args[k++] = sv_int(tenant_id);
	scope_args(f->scope, args + k);
	k += 4;
	args[k++] = sv_int(f->unit_id);
	args[k++] = sv_int(f->unit_id);
	args[k++] = sv_int(f->signed_);
	args[k++] = sv_int(f->signed_);
	args[k++] = sv_int(f->signed_);
	rc = store_query_int(c, &q_sheet_count, args, k, total, e);
	if (rc)
		return rc;
	args[k++] = sv_int(f->limit > 0 ? f->limit : INT32_MAX);
	args[k++] = sv_int(f->offset);
	rc = store_query(c, &q_sheet_page, args, k, &r, e);
	if (rc)
		return rc;
	while ((rc = store_next(r)) > 0) {
		list = arena_grow(a, list, *n, &cap, sizeof(*list));
		sheet_read(r, a, &list[(*n)++]);
	}
	store_finish(r);
	if (rc < 0)
		return error_set(e, rc, NULL, NULL);
	*out = list;
	return 0;
}

int assign_db_problem_ids(struct store_conn *c, int64_t sheet_id, struct arena *a, int64_t **ids,
                          int *n, struct error *e)
{
	struct store_val args[] = {sv_int(sheet_id)};
	struct store_rows *r;
	int64_t *list;
	int rc;

	*n = 0;
	list = arena_alloc(a, ASSIGN_MAX_PROBLEMS * sizeof(*list));
	*ids = list;
	rc = store_query(c, &q_sheet_problem_ids, args, 1, &r, e);
	if (rc)
		return rc;
	while ((rc = store_next(r)) > 0)
		if (*n < ASSIGN_MAX_PROBLEMS)
			list[(*n)++] = store_int(r, 0);
	store_finish(r);
	if (rc < 0)
		return error_set(e, rc, NULL, NULL);
	return 0;
}

int assign_db_sign(struct store_conn *c, int64_t id, int64_t user_id, int64_t at, struct error *e)
{
	struct store_val args[] = {sv_int(user_id), sv_int(at), sv_int(id)};
	int64_t changes = 0;
	int rc;

	rc = store_exec(c, &q_sheet_sign, args, 3, &changes, e);
	if (rc)
		return rc;
	return changes ? 0 : error_set(e, ERR_CONFLICT, NULL, "交办单已签收");
}

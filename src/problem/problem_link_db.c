/* problem_link_db.c - links between problems (near-duplicates) in the store. */
#include <string.h>

#include "auth/auth.h"
#include "problem/problem.h"
#include "problem/problem_int.h"
#include "store/store.h"

int problem_link_kind_ok(const char *kind)
{
	return !strcmp(kind, "duplicate") || !strcmp(kind, "related");
}

STORE_SQL(q_link_find, "SELECT COUNT(*) FROM problem_links WHERE tenant_id = ?"
                       " AND problem_id = ? AND other_id = ?");
STORE_SQL(q_link_add, "INSERT INTO problem_links (tenant_id, problem_id, other_id, kind,"
                      " created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)");
STORE_SQL(q_link_kind, "SELECT kind FROM problem_links WHERE tenant_id = ? AND problem_id = ?"
                       " AND other_id = ?");
STORE_SQL(q_link_remove, "DELETE FROM problem_links WHERE tenant_id = ? AND problem_id = ?"
                         " AND other_id = ?");

int problem_link_add(struct store_conn *c, int64_t tenant_id, int64_t a, int64_t b,
                     const char *kind, int64_t user_id, int64_t now, struct error *e)
{
	int64_t lo = a < b ? a : b, hi = a < b ? b : a, n = 0;
	struct store_val args[] = {sv_int(tenant_id),
	                           sv_int(lo),
	                           sv_int(hi),
	                           sv_text(kind),
	                           user_id ? sv_int(user_id) : sv_null(),
	                           sv_int(now)};
	int rc = store_query_int(c, &q_link_find, args, 3, &n, e);

	if (rc)
		return rc;
	if (n)
		return error_set(e, ERR_CONFLICT, "other_id", "这两个问题已经关联");
	return store_exec(c, &q_link_add, args, 6, NULL, e);
}

int problem_link_remove(struct store_conn *c, int64_t tenant_id, int64_t a, int64_t b,
                        struct arena *ar, const char **kind, struct error *e)
{
	struct store_val args[] = {sv_int(tenant_id), sv_int(a < b ? a : b), sv_int(a < b ? b : a)};
	struct store_rows *r;
	int rc = store_query(c, &q_link_kind, args, 3, &r, e);

	*kind = NULL;
	if (rc)
		return rc;
	if ((rc = store_next(r)) > 0)
		*kind = arena_strdup(ar, store_text(r, 0));
	store_finish(r);
	if (rc < 0)
		return error_set(e, rc, NULL, NULL);
	if (!*kind)
		return error_set(e, ERR_NOT_FOUND, NULL, "这两个问题没有关联");
	return store_exec(c, &q_link_remove, args, 3, NULL, e);
}

/* The other problem of each link of ? (given three times), within the caller's view scope. */
STORE_SQL(q_links, "SELECT p.id, p.code, p.status, l.kind, l.created_at, COALESCE(u.name, '')"
                   " FROM problem_links l JOIN problems p ON p.id = CASE WHEN l.problem_id = ?"
                   " THEN l.other_id ELSE l.problem_id END"
                   " LEFT JOIN users u ON u.id = l.created_by"
                   " WHERE l.tenant_id = ? AND (l.problem_id = ? OR l.other_id = ?)"
                   " AND " PROBLEM_SCOPE " ORDER BY l.id");

void problem_links_batch(struct store_batch *b, struct store_val args[8], int64_t tenant_id,
                         int64_t id, const struct scope *s)
{
	args[0] = sv_int(id);
	args[1] = sv_int(tenant_id);
	args[2] = sv_int(id);
	args[3] = sv_int(id);
	scope_args(s, args + 4);
	b->q = &q_links;
	b->args = args;
	b->nargs = 8;
	b->rows = NULL;
}

int problem_links_read(struct store_rows *r, json_t **out, struct error *e)
{
	int rc;

	*out = json_array();
	while ((rc = store_next(r)) > 0) {
		enum problem_status st = PS_REPORTED;

		problem_status_parse(store_text(r, 2), &st);
		json_array_append_new(
		    *out,
		    json_pack("{s:I, s:s, s:s, s:s, s:s, s:I, s:s}", "id",
		              (json_int_t)store_int(r, 0), "code", store_text(r, 1), "status",
		              problem_status_name(st), "status_title", problem_status_title(st),
		              "kind", store_text(r, 3), "created_at", (json_int_t)store_int(r, 4),
		              "created_by_name", store_text(r, 5)));
	}
	store_finish(r);
	if (rc < 0) {
		json_decref(*out);
		*out = NULL;
		return error_set(e, rc, NULL, NULL);
	}
	return 0;
}

int problem_links_json(struct store_conn *c, int64_t tenant_id, int64_t id, const struct scope *s,
                       json_t **out, struct error *e)
{
	struct store_val args[8];
	struct store_batch b;
	int rc;

	*out = NULL;
	problem_links_batch(&b, args, tenant_id, id, s);
	if ((rc = store_query(c, b.q, b.args, b.nargs, &b.rows, e)))
		return rc;
	return problem_links_read(b.rows, out, e);
}

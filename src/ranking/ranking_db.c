/* ranking_db.c - the counts behind unit rankings (definitions in ranking.h). */
#include <inttypes.h>
#include <string.h>

#include "auth/auth.h"
#include "core/strbuf.h"
#include "ranking/ranking.h"
#include "store/store.h"

/* The caller's units (unit_scope: no owner column, so the fourth value never matches). */
#define RANK_UNIT_SCOPE                                                                            \
	" AND (? = 1 OR u.id IN_IDS(?) OR u.ancestors LIKE ? OR 0 = ?)"                            \
	" AND (? = '' OR u.ancestors LIKE ?)"
#define RANK_COUNTED " AND p.status NOT IN ('voided', 'invalid')"
#define RANK_DUE     "p.deadline >= ? AND p.deadline < ? AND p.status NOT IN ('parked', 'returned')"
#define RANK_FIXED   RANK_DUE " AND p.status = 'closed' AND p.outcome = 'fixed' AND p.closed_at < ?"
/* 代办: the office did one of the unit's steps; such a closure is counted apart (proxy_closed) */
#define RANK_PROXIED                                                                               \
	"EXISTS (SELECT 1 FROM problem_events pe WHERE pe.problem_id = p.id AND pe.proxy = 1)"
#define RANK_CLOSED   RANK_FIXED " AND NOT " RANK_PROXIED
#define RANK_ASSIGNED "p.assigned_at >= ? AND p.assigned_at < ?"
#define RANK_OPEN     "('assigned', 'rectifying', 'rework', 'submitted')"
/*
 * Only problems that can add to a sum above: every SUM's condition implies
 * one of these branches (due and closed: the deadline in the period;
 * assigned and extended: assigned in it; overdue: open, or closed after the
 * cut, with a deadline before the cut).  Each branch is answered from an
 * index of 0012 (or the status index for open work), so a month reads that
 * month's problems, not the tenant's million; the units it drops had
 * nothing to show (ranking_row_active).  Each branch names the tenant
 * itself and the WHERE has no indexable tenant term outside them, and the
 * "+" keeps a column's index out of a branch: without statistics SQLite
 * took any (tenant_id, ...) index as selective and scanned the tenant's
 * problems through one (0.93 s a request; 0.17 s through the branches).
 * Values: tenant, start, cut; tenant, start, end; tenant, cut; tenant, cut, cut.
 */
#define RANK_RELEVANT                                                                              \
	" AND ((p.tenant_id = ? AND p.deadline >= ? AND p.deadline < ?)"                           \
	" OR (p.tenant_id = ? AND p.assigned_at >= ? AND p.assigned_at < ?)"                       \
	" OR (p.tenant_id = ? AND p.status IN " RANK_OPEN " AND +p.deadline < ?)"                  \
	" OR (p.tenant_id = ? AND p.status = 'closed' AND p.closed_at > ? AND +p.deadline < ?))"

STORE_SQL(q_rank_counts,
          "SELECT u.id, u.name, u.ancestors, u.sort,"
          " SUM(CASE WHEN " RANK_DUE " THEN 1 ELSE 0 END),"
          " SUM(CASE WHEN " RANK_CLOSED " THEN 1 ELSE 0 END),"
          " SUM(CASE WHEN " RANK_CLOSED " AND p.closed_at <= p.deadline THEN 1 ELSE 0 END),"
          " SUM(CASE WHEN " RANK_CLOSED " AND p.rework_count > 0 THEN 1 ELSE 0 END),"
          " SUM(CASE WHEN " RANK_ASSIGNED " THEN 1 ELSE 0 END),"
          " SUM(CASE WHEN " RANK_ASSIGNED " AND p.extension_count > 0 THEN 1 ELSE 0 END),"
          " SUM(CASE WHEN p.deadline < ? AND p.first_assigned_at <= ? AND (p.status IN " RANK_OPEN
          " OR (p.status = 'closed' AND p.closed_at > ?)) THEN 1 ELSE 0 END),"
          " SUM(CASE WHEN " RANK_CLOSED " THEN p.closed_at - p.first_assigned_at ELSE 0 END),"
          " SUM(CASE WHEN " RANK_FIXED " AND " RANK_PROXIED " THEN 1 ELSE 0 END)"
          " FROM problems p JOIN units u ON u.id = p.lead_unit_id"
          " WHERE 1 = 1" RANK_COUNTED RANK_RELEVANT RANK_UNIT_SCOPE
          " GROUP BY u.id, u.name, u.ancestors, u.sort");

/* Recurrences: new problems of the period repeating one the unit closed as fixed. */
STORE_SQL(q_rank_recurrences,
          "SELECT u.id, u.name, u.ancestors, u.sort, COUNT(*) FROM problems p"
          " JOIN problems q ON q.id = p.recurrence_of JOIN units u ON u.id = q.lead_unit_id"
          " WHERE p.tenant_id = ? AND p.created_at >= ? AND p.created_at < ?" RANK_COUNTED
          " AND q.outcome = 'fixed'" RANK_UNIT_SCOPE " GROUP BY u.id, u.name, u.ancestors, u.sort");

/* The row of unit id in rows[0..*n), appended (zeroed) when missing. */
static struct rank_row *row_of(struct rank_row **rows, int *n, int *cap, struct store_rows *r,
                               struct arena *a)
{
	int64_t id = store_int(r, 0);
	struct rank_row *row;
	int i;

	for (i = 0; i < *n; i++)
		if ((*rows)[i].unit_id == id)
			return &(*rows)[i];
	*rows = arena_grow(a, *rows, *n, cap, sizeof(**rows));
	row = &(*rows)[(*n)++];
	memset(row, 0, sizeof(*row));
	row->unit_id = id;
	row->unit_name = arena_strdup(a, store_text(r, 1) ? store_text(r, 1) : "");
	row->ancestors = arena_strdup(a, store_text(r, 2) ? store_text(r, 2) : "");
	row->unit_sort = store_int(r, 3);
	return row;
}

/* The scope and subtree values of RANK_UNIT_SCOPE. */
static int scope_vals(const struct ranking_query *q, struct store_val *args)
{
	scope_args(q->scope, args);
	args[4] = sv_text(q->subtree ? q->subtree : "");
	args[5] = sv_prefix(q->subtree);
	return 6;
}

/* The counts of q, from the database. */
static int counts_read(struct store_conn *c, int64_t tenant_id, const struct ranking_query *q,
                       struct arena *a, struct rank_row **out, int *n, struct error *e)
{
	struct store_val args[48];
	struct store_rows *r;
	struct rank_row *rows = NULL;
	int k = 0, cap = 0, rc, i, j;

	*out = NULL;
	*n = 0;
	/* the SELECT list, in order: due, closed x3 (each RANK_CLOSED = due + end), assigned x2,
	 * overdue, close time, proxy_closed */
	args[k++] = sv_int(q->start);
	args[k++] = sv_int(q->cut);
	for (i = 0; i < 3; i++) {
		args[k++] = sv_int(q->start);
		args[k++] = sv_int(q->cut);
		args[k++] = sv_int(q->end);
	}
	for (i = 0; i < 2; i++) {
		args[k++] = sv_int(q->start);
		args[k++] = sv_int(q->end);
	}
	args[k++] = sv_int(q->cut);
	args[k++] = sv_int(q->cut);
	args[k++] = sv_int(q->cut);
	for (i = 0; i < 2; i++) { /* close time, proxy_closed */
		args[k++] = sv_int(q->start);
		args[k++] = sv_int(q->cut);
		args[k++] = sv_int(q->end);
	}
	args[k++] = sv_int(tenant_id); /* RANK_RELEVANT */
	args[k++] = sv_int(q->start);
	args[k++] = sv_int(q->cut);
	args[k++] = sv_int(tenant_id);
	args[k++] = sv_int(q->start);
	args[k++] = sv_int(q->end);
	args[k++] = sv_int(tenant_id);
	args[k++] = sv_int(q->cut);
	args[k++] = sv_int(tenant_id);
	args[k++] = sv_int(q->cut);
	args[k++] = sv_int(q->cut);
	k += scope_vals(q, args + k);
	if ((rc = store_query(c, &q_rank_counts, args, k, &r, e)))
		return rc;
	while ((rc = store_next(r)) > 0) {
		struct rank_row *row = row_of(&rows, n, &cap, r, a);
		int64_t *counts[] = {&row->due,      &row->closed,   &row->on_time,
		                     &row->reworked, &row->assigned, &row->extended,
		                     &row->overdue,  &row->close_ms, &row->proxy_closed};

		for (j = 0; j < (int)(sizeof(counts) / sizeof(counts[0])); j++)
			*counts[j] = store_int(r, 4 + j);
	}
	store_finish(r);
	if (rc < 0)
		return error_set(e, rc, NULL, NULL);

	k = 0;
	args[k++] = sv_int(tenant_id);
	args[k++] = sv_int(q->start);
	args[k++] = sv_int(q->end);
	k += scope_vals(q, args + k);
	if ((rc = store_query(c, &q_rank_recurrences, args, k, &r, e)))
		return rc;
	while ((rc = store_next(r)) > 0)
		row_of(&rows, n, &cap, r, a)->recurrences = store_int(r, 4);
	store_finish(r);
	if (rc < 0)
		return error_set(e, rc, NULL, NULL);

	/* keep the units that have something to show */
	for (i = j = 0; i < *n; i++)
		if (ranking_row_active(&rows[i]))
			rows[j++] = rows[i];
	*n = j;
	*out = rows;
	return 0;
}

/* ---- the cache ------------------------------------------------------------ */

STORE_SQL(q_rank_version, "SELECT version FROM problem_versions WHERE tenant_id = ?");
/* The version and the deadlines in [from, to), read in one snapshot. */
STORE_SQL(q_rank_version_deadlines,
          "SELECT v.version, (SELECT COUNT(*) FROM problems p WHERE p.tenant_id = v.tenant_id"
          " AND p.deadline >= ? AND p.deadline < ?) FROM problem_versions v WHERE v.tenant_id = ?");

int ranking_version(struct store_conn *c, int64_t tenant_id, int64_t *version, struct error *e)
{
	struct store_val args[1] = {sv_int(tenant_id)};
	int rc = store_query_int(c, &q_rank_version, args, 1, version, e);

	/* no row yet: no problem or unit was ever written for the tenant */
	if (rc == ERR_NOT_FOUND) {
		*version = 0;
		return 0;
	}
	return rc;
}

/* What the counts depend on besides the data: tenant, period, scope, filter. */
static const char *cache_key(int64_t tenant_id, const struct ranking_query *q, struct arena *a)
{
	const struct scope *s = q->scope;
	struct strbuf ids = STRBUF_INIT;
	const char *key;
	int i;

	for (i = 0; s->unit_ids && i < s->nunits; i++)
		strbuf_addf(&ids, ",%" PRId64, s->unit_ids[i]);
	key = arena_printf(a, "%" PRId64 "|%" PRId64 "|%" PRId64 "|%d|%" PRId64 "|%s|%s|%s",
	                   tenant_id, q->start, q->end, s->all, s->self_user_id,
	                   ids.buf ? ids.buf : "", s->subtree ? s->subtree : "",
	                   q->subtree ? q->subtree : "");
	strbuf_release(&ids);
	return key;
}

/*
 * Counts computed at version v and cut c0 hold at a later cut c1 with the
 * same version: every row then carries times (assigned, first assigned,
 * closed) up to c0, so the only terms that can change between c0 and c1
 * are the deadlines that passed, and the check reads those with the
 * version in one statement.  Any committed change of a problem or a unit
 * moves the version, and an acknowledged write is committed before the
 * version is read for the next request, so a ranking never shows counts
 * older than the last acknowledged change, on any server of one database.
 * An entry is kept only when the version after counting is the one read
 * before the cut was taken (no change came in between).
 */
int ranking_counts(struct store_conn *c, int64_t tenant_id, const struct ranking_query *q,
                   struct arena *a, struct rank_row **out, int *n, struct ranking_cached *cached,
                   struct error *e)
{
	const char *key = cache_key(tenant_id, q, a);
	int64_t version, cut, after;
	uint64_t gen;
	int rc, waited = 0, flying = 0;

	cached->key = key;
	cached->gen = 0;
again:
	if (ranking_cache_get(key, a, out, n, &version, &cut, &gen) && version == q->version &&
	    cut <= q->cut) {
		struct store_val args[3] = {sv_int(cut), sv_int(q->cut), sv_int(tenant_id)};
		struct store_rows *r;
		int fresh = 0;

		if (cut == q->cut) {
			cached->gen = gen;
			return 0;
		}
		if ((rc = store_query(c, &q_rank_version_deadlines, args, 3, &r, e)))
			return rc;
		if ((rc = store_next(r)) > 0)
			fresh = store_int(r, 0) == version && store_int(r, 1) == 0;
		store_finish(r);
		if (rc < 0)
			return error_set(e, rc, NULL, NULL);
		if (fresh) {
			ranking_cache_touch(key, gen, q->cut);
			cached->gen = gen;
			return 0;
		}
	}
	/* another request counting the same: wait for it once, then look again */
	if (!waited && (waited = ranking_cache_fly(key, &flying)))
		goto again;
	rc = counts_read(c, tenant_id, q, a, out, n, e);
	if (rc == 0)
		rc = ranking_version(c, tenant_id, &after, e);
	if (rc == 0 && after == q->version)
		cached->gen = ranking_cache_put(key, after, q->cut, *out, *n);
	if (flying)
		ranking_cache_land(key);
	return rc;
}

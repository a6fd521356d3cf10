/* assess_db.c - schemes, periods, results, adjustments and 问责 records in the store. */
#include <string.h>

#include "assess/assess_int.h"
#include "auth/auth.h"
#include "store/store.h"

#define PERIOD_COLS                                                                                \
	"a.id, a.kind, a.title, a.status, a.from_ms, a.to_ms, a.from_day, a.to_day, a.scheme,"     \
	" COALESCE(a.computed_at, 0), COALESCE(a.published_at, 0), a.created_at,"                  \
	" COALESCE(pu.name, ''),"                                                                  \
	" (SELECT COUNT(*) FROM assessment_results x WHERE x.assessment_id = a.id)"
#define PERIOD_FROM " FROM assessments a LEFT JOIN users pu ON pu.id = a.published_by"
#define SCOPE_UNIT  "(? = 1 OR u.id IN_IDS(?) OR u.ancestors LIKE ? OR ? = -1)"

STORE_SQL(q_scheme_get, "SELECT scheme, updated_at FROM assess_schemes WHERE tenant_id = ?");
STORE_SQL2(q_scheme_put,
           "INSERT INTO assess_schemes (tenant_id, scheme, updated_by, updated_at)"
           " VALUES (?, ?, ?, ?) ON CONFLICT (tenant_id) DO UPDATE SET scheme = excluded.scheme,"
           " updated_by = excluded.updated_by, updated_at = excluded.updated_at",
           NULL);
STORE_SQL(q_period_insert,
          "INSERT INTO assessments (tenant_id, kind, title, from_day, to_day, from_ms, to_ms,"
          " status, scheme, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'draft', ?, ?, ?)"
          " RETURNING id");
STORE_SQL(q_period_get,
          "SELECT " PERIOD_COLS PERIOD_FROM
          " WHERE a.tenant_id = ? AND a.id = ? AND (? = 1 OR a.status = 'published')");
STORE_SQL(q_period_list,
          "SELECT " PERIOD_COLS PERIOD_FROM " WHERE a.tenant_id = ? AND (? = '' OR a.kind = ?)"
          " AND (? = '' OR a.status = ?) AND (? = 1 OR a.status = 'published')"
          " ORDER BY a.from_day DESC, a.id DESC LIMIT 500");
STORE_SQL(q_period_status, "SELECT status FROM assessments WHERE tenant_id = ? AND id = ?");
STORE_SQL(q_period_delete, "DELETE FROM assessments WHERE tenant_id = ? AND id = ?"
                           " AND status = 'draft'");
STORE_SQL(q_adj_delete_all, "DELETE FROM assessment_adjustments WHERE assessment_id = ?");
STORE_SQL(q_period_title, "UPDATE assessments SET title = ? WHERE tenant_id = ? AND id = ?"
                          " AND status = 'draft'");
STORE_SQL(q_period_publish,
          "UPDATE assessments SET status = 'published', published_at = ?, published_by = ?"
          " WHERE tenant_id = ? AND id = ? AND status = 'draft'");
STORE_SQL(q_period_computed, "UPDATE assessments SET computed_at = ?, scheme = ? WHERE id = ?");
STORE_SQL(q_results_clear, "DELETE FROM assessment_results WHERE assessment_id = ?");
STORE_SQL(q_result_insert,
          "INSERT INTO assessment_results (assessment_id, unit_id, unit_name, unit_kind, unit_sort,"
          " components, base, adjust, total, rank, grade, list, overdue_long)"
          " VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, 0, '', 0, ?)");
STORE_SQL(q_rows, "SELECT x.unit_id, x.unit_name, x.unit_kind, x.unit_sort, x.base,"
                  " COALESCE((SELECT SUM(j.points) FROM assessment_adjustments j"
                  " WHERE j.assessment_id = x.assessment_id AND j.unit_id = x.unit_id), 0),"
                  " x.overdue_long FROM assessment_results x WHERE x.assessment_id = ?");
STORE_SQL(q_rank_update,
          "UPDATE assessment_results SET adjust = ?, total = ?, rank = ?, grade = ?, list = ?"
          " WHERE assessment_id = ? AND unit_id = ?");
STORE_SQL(q_adj_insert,
          "INSERT INTO assessment_adjustments (tenant_id, assessment_id, unit_id, points, reason,"
          " file_ids, approver_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
STORE_SQL(q_adj_list,
          "SELECT j.id, j.unit_id, u.name, j.points, j.reason, j.file_ids,"
          " COALESCE(j.approver_id, 0), COALESCE(us.name, ''), j.created_at"
          " FROM assessment_adjustments j JOIN units u ON u.id = j.unit_id"
          " LEFT JOIN users us ON us.id = j.approver_id"
          " WHERE j.tenant_id = ? AND j.assessment_id = ? AND " SCOPE_UNIT " ORDER BY j.id");
STORE_SQL(q_results,
          "SELECT x.unit_id, x.unit_name, x.unit_kind, x.total, x.adjust, x.rank, x.grade, x.list,"
          " x.components, x.base IS NULL"
          " FROM assessment_results x JOIN assessments a ON a.id = x.assessment_id"
          " JOIN units u ON u.id = x.unit_id"
          " WHERE a.tenant_id = ? AND x.assessment_id = ? AND " SCOPE_UNIT
          " ORDER BY CASE x.unit_kind WHEN 'department' THEN 1 WHEN 'town' THEN 2 ELSE 3 END,"
          " x.rank = 0, x.rank, x.unit_sort, x.unit_id");
STORE_SQL(q_history,
          "SELECT a.id, a.title, a.kind, a.from_day, a.to_day, x.grade, x.base IS NULL, x.rank,"
          " x.list, COALESCE(x.total, 0), x.adjust,"
          " (SELECT COUNT(*) FROM assessment_results y WHERE y.assessment_id = a.id"
          " AND y.unit_kind = x.unit_kind AND y.base IS NOT NULL)"
          " FROM assessment_results x JOIN assessments a ON a.id = x.assessment_id"
          " WHERE a.tenant_id = ? AND x.unit_id = ? AND a.status = 'published'"
          " AND (? = '' OR a.kind = ?) ORDER BY a.from_day, a.id");
STORE_SQL(q_last_two,
          "SELECT id, kind, title FROM assessments WHERE tenant_id = ? AND status = 'published'"
          " ORDER BY kind, from_day DESC, id DESC");
STORE_SQL(q_black_of, "SELECT unit_id FROM assessment_results WHERE assessment_id = ?"
                      " AND list = -1");
STORE_SQL(q_acc_insert,
          "INSERT INTO accountability_actions (tenant_id, unit_id, action, acted_on, text, basis,"
          " file_ids, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
STORE_SQL(q_acc_list,
          "SELECT x.id, x.unit_id, u.name, u.kind, x.action, x.acted_on, x.text, x.basis,"
          " x.file_ids, COALESCE(x.created_by, 0), COALESCE(us.name, ''), x.created_at"
          " FROM accountability_actions x JOIN units u ON u.id = x.unit_id"
          " LEFT JOIN users us ON us.id = x.created_by"
          " WHERE x.tenant_id = ? AND (? = 0 OR x.unit_id = ?) AND " SCOPE_UNIT
          " ORDER BY x.acted_on DESC, x.id DESC LIMIT 500");

/* The four scope values of SCOPE_UNIT (its last is 0: no owner column); s NULL: all. */
static void unit_scope_args(const struct scope *s, struct store_val out[4])
{
	if (!s) {
		out[0] = sv_int(1);
		out[1] = sv_text("[]");
		out[2] = sv_text("");
		out[3] = sv_int(0);
		return;
	}
	scope_args(s, out);
	out[3] = sv_int(0);
}

int assess_scheme_load(struct store_conn *c, int64_t tenant_id, struct arena *a,
                       struct assess_scheme *s, int64_t *updated_at, struct error *e)
{
	struct store_val args[] = {sv_int(tenant_id)};
	struct store_rows *r;
	json_t *doc;
	int rc = store_query_one(c, &q_scheme_get, args, 1, &r, NULL, e);

	if (updated_at)
		*updated_at = 0;
	if (rc == ERR_NOT_FOUND) {
		assess_scheme_default(s);
		return 0;
	}
	if (rc)
		return rc;
	doc = json_loads(store_text(r, 0), 0, NULL);
	if (updated_at)
		*updated_at = store_int(r, 1);
	store_finish(r);
	rc = doc ? assess_scheme_parse(doc, a, s, e)
	         : error_set(e, ERR_INTERNAL, NULL, "考核方案无法读取");
	json_decref(doc);
	return rc;
}

int assess_scheme_save(struct store_conn *c, int64_t tenant_id, const char *doc, int64_t user_id,
                       int64_t now, struct error *e)
{
	struct store_val args[] = {sv_int(tenant_id), sv_text(doc), sv_int(user_id), sv_int(now)};

	return store_exec(c, &q_scheme_put, args, 4, NULL, e);
}

int assess_db_insert(struct store_conn *c, int64_t tenant_id, struct assess_period_row *p,
                     int64_t user_id, struct error *e)
{
	struct store_val args[] = {sv_int(tenant_id),    sv_text(p->p.kind), sv_text(p->p.title),
	                           sv_text(p->from_day), sv_text(p->to_day), sv_int(p->p.from_ms),
	                           sv_int(p->p.to_ms),   sv_text(p->scheme), sv_int(user_id),
	                           sv_int(p->created_at)};

	return store_query_int(c, &q_period_insert, args, 10, &p->p.id, e);
}

static void period_read(struct store_rows *r, struct arena *a, struct assess_period_row *p)
{
	memset(p, 0, sizeof(*p));
	p->p.id = store_int(r, 0);
	p->p.kind = arena_strdup(a, store_text(r, 1));
	p->p.title = arena_strdup(a, store_text(r, 2));
	p->p.status = arena_strdup(a, store_text(r, 3));
	p->p.from_ms = store_int(r, 4);
	p->p.to_ms = store_int(r, 5);
	p->from_day = arena_strdup(a, store_text(r, 6));
	p->to_day = arena_strdup(a, store_text(r, 7));
	p->scheme = arena_strdup(a, store_text(r, 8));
	p->computed_at = store_int(r, 9);
	p->published_at = store_int(r, 10);
	p->created_at = store_int(r, 11);
	p->published_by_name = arena_strdup(a, store_text(r, 12));
	p->units = (int)store_int(r, 13);
}

int assess_db_get(struct store_conn *c, int64_t tenant_id, int64_t id, int drafts, struct arena *a,
                  struct assess_period_row *out, struct error *e)
{
	struct store_val args[] = {sv_int(tenant_id), sv_int(id), sv_int(drafts ? 1 : 0)};
	struct store_rows *r;
	int rc = store_query_one(c, &q_period_get, args, 3, &r, "考核期不存在", e);

	if (rc)
		return rc;
	period_read(r, a, out);
	store_finish(r);
	return 0;
}

int assess_db_list(struct store_conn *c, int64_t tenant_id, const char *kind, const char *status,
                   int drafts, struct arena *a, struct assess_period_row **out, int *n,
                   struct error *e)
{
	struct store_val args[] = {sv_int(tenant_id), sv_text(kind),   sv_text(kind),
	                           sv_text(status),   sv_text(status), sv_int(drafts ? 1 : 0)};
	struct store_rows *r;
	int rc, cap = 0;

	*out = NULL;
	*n = 0;
	if ((rc = store_query(c, &q_period_list, args, 6, &r, e)))
		return rc;
	while ((rc = store_next(r)) > 0) {
		*out = arena_grow(a, *out, *n, &cap, sizeof(**out));
		period_read(r, a, &(*out)[(*n)++]);
	}
	store_finish(r);
	return rc < 0 ? error_set(e, rc, NULL, NULL) : 0;
}

int assess_db_lock_draft(struct store_conn *c, int64_t tenant_id, int64_t id, struct error *e)
{
	struct store_val args[] = {sv_int(tenant_id), sv_int(id)};
	struct store_rows *r;
	int rc = store_query_one(c, &q_period_status, args, 2, &r, "考核期不存在", e);
	int draft;

	if (rc)
		return rc;
	draft = !strcmp(store_text(r, 0), "draft");
	store_finish(r);
	return draft ? 0
	             : error_set(e, ERR_CONFLICT, NULL,
	                         "考核结果已发布，不能再修改；更正请记入以后的考核期");
}

int assess_db_delete(struct store_conn *c, int64_t tenant_id, int64_t id, struct error *e)
{
	struct store_val one[] = {sv_int(id)};
	struct store_val args[] = {sv_int(tenant_id), sv_int(id)};
	int rc = store_exec(c, &q_adj_delete_all, one, 1, NULL, e);

	if (!rc)
		rc = store_exec(c, &q_results_clear, one, 1, NULL, e);
	if (!rc)
		rc = store_exec(c, &q_period_delete, args, 2, NULL, e);
	return rc;
}

int assess_db_set_title(struct store_conn *c, int64_t tenant_id, int64_t id, const char *title,
                        struct error *e)
{
	struct store_val args[] = {sv_text(title), sv_int(tenant_id), sv_int(id)};

	return store_exec(c, &q_period_title, args, 3, NULL, e);
}

int assess_db_publish(struct store_conn *c, int64_t tenant_id, int64_t id, int64_t user_id,
                      int64_t now, struct error *e)
{
	struct store_val args[] = {sv_int(now), sv_int(user_id), sv_int(tenant_id), sv_int(id)};
	int64_t changes = 0;
	int rc = store_exec(c, &q_period_publish, args, 4, &changes, e);

	if (!rc && changes != 1)
		rc = error_set(e, ERR_CONFLICT, NULL, "考核结果已发布");
	return rc;
}

int assess_db_store_results(struct store_conn *c, int64_t id, const char *scheme,
                            struct assess_row *rows, const char *const *components, int n,
                            int64_t now, struct error *e)
{
	struct store_val one[] = {sv_int(id)};
	struct store_val at[] = {sv_int(now), sv_text(scheme), sv_int(id)};
	int i, rc = store_exec(c, &q_results_clear, one, 1, NULL, e);

	for (i = 0; !rc && i < n; i++) {
		struct assess_row *w = &rows[i];
		struct store_val args[] = {
		    sv_int(id),
		    sv_int(w->unit_id),
		    sv_text(w->unit_name),
		    sv_text(w->unit_kind),
		    sv_int(w->unit_sort),
		    sv_text(components[i]),
		    w->has_base ? sv_double(w->base) : sv_null(),
		    w->has_base ? sv_double(w->base) : sv_null(),
		    sv_int(w->overdue_long),
		};

		rc = store_exec(c, &q_result_insert, args, 9, NULL, e);
	}
	if (!rc)
		rc = store_exec(c, &q_period_computed, at, 3, NULL, e);
	return rc;
}

int assess_db_rows(struct store_conn *c, int64_t id, struct arena *a, struct assess_row **out,
                   int *n, struct error *e)
{
	struct store_val args[] = {sv_int(id)};
	struct store_rows *r;
	int rc, cap = 0;

	*out = NULL;
	*n = 0;
	if ((rc = store_query(c, &q_rows, args, 1, &r, e)))
		return rc;
	while ((rc = store_next(r)) > 0) {
		struct assess_row *w;

		*out = arena_grow(a, *out, *n, &cap, sizeof(**out));
		w = &(*out)[(*n)++];
		memset(w, 0, sizeof(*w));
		w->unit_id = store_int(r, 0);
		w->unit_name = arena_strdup(a, store_text(r, 1));
		w->unit_kind = arena_strdup(a, store_text(r, 2));
		w->unit_sort = store_int(r, 3);
		w->has_base = !store_isnull(r, 4);
		w->base = store_double(r, 4);
		w->adjust = store_double(r, 5);
		w->overdue_long = (int)store_int(r, 6);
	}
	store_finish(r);
	return rc < 0 ? error_set(e, rc, NULL, NULL) : 0;
}

int assess_db_update_ranks(struct store_conn *c, int64_t id, const struct assess_row *rows, int n,
                           struct error *e)
{
	int i, rc = 0;

	for (i = 0; !rc && i < n; i++) {
		const struct assess_row *w = &rows[i];
		struct store_val args[] = {
		    sv_double(w->adjust), w->has_base ? sv_double(w->total) : sv_null(),
		    sv_int(w->rank),      sv_text(w->grade),
		    sv_int(w->list),      sv_int(id),
		    sv_int(w->unit_id)};

		rc = store_exec(c, &q_rank_update, args, 7, NULL, e);
	}
	return rc;
}

int assess_db_add_adjustment(struct store_conn *c, int64_t tenant_id, int64_t id,
                             struct assess_adjustment *adj, struct error *e)
{
	struct store_val args[] = {sv_int(tenant_id),        sv_int(id),
	                           sv_int(adj->unit_id),     sv_double(adj->points),
	                           sv_text(adj->reason),     sv_text(adj->file_ids),
	                           sv_int(adj->approver_id), sv_int(adj->created_at)};

	return store_query_int(c, &q_adj_insert, args, 8, &adj->id, e);
}

int assess_db_adjustments(struct store_conn *c, int64_t tenant_id, int64_t id,
                          const struct scope *s, struct arena *a, struct assess_adjustment **out,
                          int *n, struct error *e)
{
	struct store_val args[6];
	struct store_rows *r;
	int rc, cap = 0;

	args[0] = sv_int(tenant_id);
	args[1] = sv_int(id);
	unit_scope_args(s, args + 2);
	*out = NULL;
	*n = 0;
	if ((rc = store_query(c, &q_adj_list, args, 6, &r, e)))
		return rc;
	while ((rc = store_next(r)) > 0) {
		struct assess_adjustment *j;

		*out = arena_grow(a, *out, *n, &cap, sizeof(**out));
		j = &(*out)[(*n)++];
		j->id = store_int(r, 0);
		j->unit_id = store_int(r, 1);
		j->unit_name = arena_strdup(a, store_text(r, 2));
		j->points = store_double(r, 3);
		j->reason = arena_strdup(a, store_text(r, 4));
		j->file_ids = arena_strdup(a, store_text(r, 5));
		j->approver_id = store_int(r, 6);
		j->approver_name = arena_strdup(a, store_text(r, 7));
		j->created_at = store_int(r, 8);
	}
	store_finish(r);
	return rc < 0 ? error_set(e, rc, NULL, NULL) : 0;
}

int assess_db_results(struct store_conn *c, int64_t tenant_id, int64_t id, const struct scope *s,
                      struct arena *a, struct assess_result **out, int *n, struct error *e)
{
	struct store_val args[6];
	struct store_rows *r;
	int rc, cap = 0;

	args[0] = sv_int(tenant_id);
	args[1] = sv_int(id);
	unit_scope_args(s, args + 2);
	*out = NULL;
	*n = 0;
	if ((rc = store_query(c, &q_results, args, 6, &r, e)))
		return rc;
	while ((rc = store_next(r)) > 0) {
		struct assess_result *x;

		*out = arena_grow(a, *out, *n, &cap, sizeof(**out));
		x = &(*out)[(*n)++];
		x->unit_id = store_int(r, 0);
		x->unit_name = arena_strdup(a, store_text(r, 1));
		x->unit_kind = arena_strdup(a, store_text(r, 2));
		x->total = store_isnull(r, 3) ? 0 : store_double(r, 3);
		x->adjust = store_double(r, 4);
		x->rank = (int)store_int(r, 5);
		x->grade = arena_strdup(a, store_text(r, 6));
		x->list = (int)store_int(r, 7);
		x->components = json_loads(store_text(r, 8), 0, NULL);
		if (!x->components)
			x->components = json_object();
	}
	store_finish(r);
	if (rc < 0) {
		assess_results_release(*out, *n);
		return error_set(e, rc, NULL, NULL);
	}
	return 0;
}

int assess_db_history(struct store_conn *c, int64_t tenant_id, int64_t unit_id, const char *kind,
                      struct arena *a, struct assess_history_row **out, int *n, struct error *e)
{
	struct store_val args[] = {sv_int(tenant_id), sv_int(unit_id), sv_text(kind ? kind : ""),
	                           sv_text(kind ? kind : "")};
	struct store_rows *r;
	int rc, cap = 0;

	*out = NULL;
	*n = 0;
	if ((rc = store_query(c, &q_history, args, 4, &r, e)))
		return rc;
	while ((rc = store_next(r)) > 0) {
		struct assess_history_row *h;

		*out = arena_grow(a, *out, *n, &cap, sizeof(**out));
		h = &(*out)[(*n)++];
		h->period_id = store_int(r, 0);
		h->title = arena_strdup(a, store_text(r, 1));
		h->kind = arena_strdup(a, store_text(r, 2));
		h->from_day = arena_strdup(a, store_text(r, 3));
		h->to_day = arena_strdup(a, store_text(r, 4));
		h->grade = arena_strdup(a, store_text(r, 5));
		h->has_total = !store_int(r, 6);
		h->rank = (int)store_int(r, 7);
		h->list = (int)store_int(r, 8);
		h->total = store_double(r, 9);
		h->adjust = store_double(r, 10);
		h->ranked = (int)store_int(r, 11);
	}
	store_finish(r);
	return rc < 0 ? error_set(e, rc, NULL, NULL) : 0;
}

int assess_db_black_twice(struct store_conn *c, int64_t tenant_id, struct arena *a,
                          int64_t **unit_ids, const char ***periods, int *n, struct error *e)
{
	struct store_val args[] = {sv_int(tenant_id)};
	int64_t pairs[3][2];
	const char *titles[3][2];
	const char *kind = NULL;
	struct store_rows *r;
	int rc, k, np = 0, seen = 0, cap = 0, cap2 = 0;

	*unit_ids = NULL;
	*periods = NULL;
	*n = 0;
	if ((rc = store_query(c, &q_last_two, args, 1, &r, e)))
		return rc;
	while ((rc = store_next(r)) > 0) {
		const char *k2 = store_text(r, 1);

		if (!kind || strcmp(kind, k2)) {
			kind = arena_strdup(a, k2);
			seen = 0;
		}
		if (seen < 2 && np < 3) {
			pairs[np][seen] = store_int(r, 0);
			titles[np][seen] = arena_strdup(a, store_text(r, 2));
			if (++seen == 2)
				np++;
		}
	}
	store_finish(r);
	if (rc < 0)
		return error_set(e, rc, NULL, NULL);
	for (k = 0; k < np; k++) {
		struct store_val a0[] = {sv_int(pairs[k][0])}, a1[] = {sv_int(pairs[k][1])};
		int64_t *later = NULL;
		int nl = 0, capl = 0, i;

		if ((rc = store_query(c, &q_black_of, a0, 1, &r, e)))
			return rc;
		while ((rc = store_next(r)) > 0) {
			later = arena_grow(a, later, nl, &capl, sizeof(*later));
			later[nl++] = store_int(r, 0);
		}
		store_finish(r);
		if (rc < 0)
			return error_set(e, rc, NULL, NULL);
		if ((rc = store_query(c, &q_black_of, a1, 1, &r, e)))
			return rc;
		while ((rc = store_next(r)) > 0) {
			int64_t u = store_int(r, 0);

			for (i = 0; i < nl && later[i] != u; i++)
				;
			if (i == nl)
				continue;
			*unit_ids = arena_grow(a, *unit_ids, *n, &cap, sizeof(**unit_ids));
			*periods = arena_grow(a, (void *)*periods, *n, &cap2, sizeof(**periods));
			(*unit_ids)[*n] = u;
			(*periods)[*n] = arena_printf(a, "%s、%s", titles[k][1], titles[k][0]);
			(*n)++;
		}
		store_finish(r);
		if (rc < 0)
			return error_set(e, rc, NULL, NULL);
	}
	return 0;
}

int accountability_insert(struct store_conn *c, int64_t tenant_id, struct accountability_action *x,
                          struct error *e)
{
	struct store_val args[] = {
	    sv_int(tenant_id),    sv_int(x->unit_id),    sv_text(x->action),
	    sv_text(x->acted_on), sv_text(x->text),      sv_text(x->basis),
	    sv_text(x->file_ids), sv_int(x->created_by), sv_int(x->created_at)};

	return store_query_int(c, &q_acc_insert, args, 9, &x->id, e);
}

int accountability_list(struct store_conn *c, int64_t tenant_id, int64_t unit_id,
                        const struct scope *s, struct arena *a, struct accountability_action **out,
                        int *n, struct error *e)
{
	struct store_val args[7];
	struct store_rows *r;
	int rc, cap = 0;

	args[0] = sv_int(tenant_id);
	args[1] = sv_int(unit_id);
	args[2] = sv_int(unit_id);
	unit_scope_args(s, args + 3);
	*out = NULL;
	*n = 0;
	if ((rc = store_query(c, &q_acc_list, args, 7, &r, e)))
		return rc;
	while ((rc = store_next(r)) > 0) {
		struct accountability_action *x;

		*out = arena_grow(a, *out, *n, &cap, sizeof(**out));
		x = &(*out)[(*n)++];
		x->id = store_int(r, 0);
		x->unit_id = store_int(r, 1);
		x->unit_name = arena_strdup(a, store_text(r, 2));
		x->unit_kind = arena_strdup(a, store_text(r, 3));
		x->action = arena_strdup(a, store_text(r, 4));
		x->acted_on = arena_strdup(a, store_text(r, 5));
		x->text = arena_strdup(a, store_text(r, 6));
		x->basis = arena_strdup(a, store_text(r, 7));
		x->file_ids = arena_strdup(a, store_text(r, 8));
		x->created_by = store_int(r, 9);
		x->created_by_name = arena_strdup(a, store_text(r, 10));
		x->created_at = store_int(r, 11);
	}
	store_finish(r);
	return rc < 0 ? error_set(e, rc, NULL, NULL) : 0;
}

/* ---- the bulletin module's two reads (assess.h) ------------------------------------ */

int assessment_get(struct store_conn *db, int64_t tenant_id, int64_t id, struct arena *a,
                   struct assess_period *out, struct error *e)
{
	struct assess_period_row p;
	int rc = assess_db_get(db, tenant_id, id, 1, a, &p, e);

	if (!rc)
		*out = p.p;
	return rc;
}

int assessment_results(struct store_conn *db, int64_t tenant_id, int64_t id, struct arena *a,
                       struct assess_result **out, int *n, struct error *e)
{
	struct assess_period p;
	int rc = assessment_get(db, tenant_id, id, a, &p, e);

	return rc ? rc : assess_db_results(db, tenant_id, id, NULL, a, out, n, e);
}

void assess_results_release(struct assess_result *results, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		json_decref(results[i].components);
		results[i].components = NULL;
	}
}

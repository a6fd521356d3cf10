/*
 * assess_ops.c - the steps of a period, inside the caller's write
 * transaction: create (and compute), compute a draft again, adjust, publish.
 * Each refuses a published period with ERR_CONFLICT.  Used by the API and
 * by the demo; the caller writes the audit row.
 */
#include <stdlib.h>
#include <string.h>

#include "assess/assess_int.h"
#include "core/clock.h"
#include "store/store.h"

#define DAY_MS (86400LL * 1000)

/* The scheme a period was computed with. */
static int period_scheme(struct store_conn *c, int64_t tenant_id, int64_t id, struct arena *a,
                         struct assess_scheme *s, struct error *e)
{
	struct assess_period_row p;
	json_t *doc;
	int rc = assess_db_get(c, tenant_id, id, 1, a, &p, e);

	if (rc)
		return rc;
	if (!(doc = json_loads(p.scheme, 0, NULL)))
		return error_set(e, ERR_INTERNAL, NULL, NULL);
	rc = assess_scheme_parse(doc, a, s, e);
	json_decref(doc);
	return rc;
}

/* Totals, ranks, grades and lists of period id from its stored bases and adjustments. */
static int rerank(struct store_conn *c, int64_t id, const struct assess_scheme *s, struct arena *a,
                  struct error *e)
{
	struct assess_row *rows;
	int n, rc = assess_db_rows(c, id, a, &rows, &n, e);

	if (rc)
		return rc;
	assess_rank(rows, n, s);
	return assess_db_update_ranks(c, id, rows, n, e);
}

int assess_period_compute(struct store_conn *c, int64_t tenant_id, int minutes, struct arena *a,
                          struct assess_period_row *p, struct error *e)
{
	struct assess_scheme s;
	struct assess_ctx x;
	struct assess_row *rows;
	const char **texts;
	json_t *sj;
	char *scheme;
	int64_t now = time_now_ms();
	int i, k, n, rc;

	if ((rc = assess_db_lock_draft(c, tenant_id, p->p.id, e)) ||
	    (rc = assess_scheme_load(c, tenant_id, a, &s, NULL, e)) ||
	    (rc = assess_units(c, tenant_id, a, &rows, &n, e)))
		return rc;
	memset(&x, 0, sizeof(x));
	x.tenant_id = tenant_id;
	x.from_day = p->from_day;
	x.to_day = p->to_day;
	x.from_ms = p->p.from_ms;
	x.to_ms = p->p.to_ms;
	x.cut = p->p.to_ms < now ? p->p.to_ms : now;
	x.minutes = minutes;
	x.a = a;
	for (k = 0; !rc && k < AC_COUNT; k++)
		rc = assess_component_at(k)->compute(c, &x, k, rows, n, e);
	if (!rc)
		rc = assess_overdue_long(c, tenant_id, x.cut,
		                         x.cut - (int64_t)s.overdue_days * DAY_MS, rows, n, e);
	texts = arena_calloc(a, (size_t)(n + 1) * sizeof(*texts));
	for (i = 0; i < n; i++) {
		json_t *j;
		char *t;

		assess_base(&rows[i], &s);
		j = assess_components_json(&rows[i], &s);
		t = json_dumps(j, JSON_COMPACT | JSON_REAL_PRECISION(10));
		texts[i] = arena_strdup(a, t ? t : "{}");
		free(t);
		json_decref(j);
	}
	for (i = 0; i < n; i++)
		for (k = 0; k < AC_COUNT; k++)
			json_decref(rows[i].basis[k]);
	if (rc)
		return rc;
	sj = assess_scheme_json(&s);
	json_object_del(sj, "components");
	scheme = json_dumps(sj, JSON_COMPACT | JSON_REAL_PRECISION(10));
	json_decref(sj);
	rc = assess_db_store_results(c, p->p.id, scheme ? scheme : "{}", rows, texts, n, now, e);
	free(scheme);
	if (!rc)
		p->computed_at = now;
	return rc ? rc : rerank(c, p->p.id, &s, a, e);
}

int assess_period_create(struct store_conn *c, int64_t tenant_id, int minutes, int64_t user_id,
                         struct arena *a, struct assess_period_row *p, struct error *e)
{
	int rc;

	p->scheme = "{}";
	if ((rc = assess_db_insert(c, tenant_id, p, user_id, e)))
		return rc;
	p->p.status = "draft";
	return assess_period_compute(c, tenant_id, minutes, a, p, e);
}

int assess_period_adjust(struct store_conn *c, int64_t tenant_id, const struct assess_period_row *p,
                         struct assess_adjustment *adj, struct arena *a, struct error *e)
{
	struct assess_scheme s;
	int rc;

	if ((rc = assess_db_lock_draft(c, tenant_id, p->p.id, e)) ||
	    (rc = period_scheme(c, tenant_id, p->p.id, a, &s, e)) ||
	    (rc = assess_db_add_adjustment(c, tenant_id, p->p.id, adj, e)))
		return rc;
	return rerank(c, p->p.id, &s, a, e);
}

int assess_period_publish(struct store_conn *c, int64_t tenant_id,
                          const struct assess_period_row *p, int64_t user_id, int64_t now,
                          struct arena *a, struct error *e)
{
	struct assess_scheme s;
	int rc;

	if ((rc = assess_db_lock_draft(c, tenant_id, p->p.id, e)) ||
	    (rc = period_scheme(c, tenant_id, p->p.id, a, &s, e)) ||
	    (rc = rerank(c, p->p.id, &s, a, e)))
		return rc;
	return assess_db_publish(c, tenant_id, p->p.id, user_id, now, e);
}

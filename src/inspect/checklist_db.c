/* checklist_db.c - the point types' checklists and the tenant's default credits. */
#include <math.h>
#include <string.h>

#include "core/clock.h"
#include "inspect/grading.h"
#include "inspect/inspect.h"
#include "inspect/inspect_int.h"
#include "store/store.h"

STORE_SQL(q_settings_get, "SELECT credit_pass, credit_fail, credit_severe"
                          " FROM inspection_settings WHERE tenant_id = ?");
STORE_SQL(q_settings_put,
          "INSERT INTO inspection_settings (tenant_id, credit_pass, credit_fail, credit_severe,"
          " updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (tenant_id) DO UPDATE SET"
          " credit_pass = excluded.credit_pass, credit_fail = excluded.credit_fail,"
          " credit_severe = excluded.credit_severe, updated_at = excluded.updated_at");

int inspection_settings_get(struct store_conn *c, int64_t tenant_id, struct credit_table *out,
                            struct error *e)
{
	struct store_val args[] = {sv_int(tenant_id)};
	struct store_rows *r;
	int rc;

	credit_table_default(out);
	if ((rc = store_query(c, &q_settings_get, args, 1, &r, e)))
		return rc;
	if ((rc = store_next(r)) > 0) {
		out->pass = store_double(r, 0);
		out->fail = store_double(r, 1);
		out->severe = store_double(r, 2);
	}
	store_finish(r);
	return rc < 0 ? error_set(e, rc, NULL, NULL) : 0;
}

int inspection_settings_put(struct store_conn *c, int64_t tenant_id, const struct credit_table *t,
                            struct error *e)
{
	struct store_val args[] = {sv_int(tenant_id), sv_double(t->pass), sv_double(t->fail),
	                           sv_double(t->severe), sv_int(time_now_ms())};

	return store_exec(c, &q_settings_put, args, 5, NULL, e);
}

json_t *credit_table_json(const struct credit_table *t)
{
	return json_pack("{s:f, s:f, s:f}", "credit_pass", t->pass, "credit_fail", t->fail,
	                 "credit_severe", t->severe);
}

#define ITEM_COLS                                                                                  \
	"c.id, c.framework_id, c.point_type_id, c.standard_id, s.code, s.title, c.title,"          \
	" c.category_id, COALESCE(k.name, ''), c.credit_pass, c.credit_fail, c.credit_severe, "    \
	"c.sort, c.code, s.grading, s.weight"

STORE_SQL(q_items, "SELECT " ITEM_COLS " FROM checklist_items c"
                   " JOIN indicators s ON s.id = c.standard_id"
                   " LEFT JOIN problem_categories k ON k.id = c.category_id"
                   " WHERE c.framework_id = ? AND (CAST(? AS BIGINT) = 0 OR c.point_type_id = ?)"
                   " ORDER BY c.point_type_id, c.sort, c.id");
STORE_SQL(q_items_clear,
          "DELETE FROM checklist_items WHERE framework_id = ? AND point_type_id = ?");
STORE_SQL(q_item_insert, "INSERT INTO checklist_items (framework_id, point_type_id, standard_id,"
                         " title, category_id, credit_pass, credit_fail, credit_severe, sort,"
                         " created_at, code) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                         " RETURNING id");

int checklist_list(struct store_conn *c, int64_t framework_id, int64_t point_type_id,
                   struct arena *a, struct checklist_item **out, int *n, struct error *e)
{
	struct store_val args[] = {sv_int(framework_id), sv_int(point_type_id),
	                           sv_int(point_type_id)};
	struct checklist_item *list = NULL;
	struct store_rows *r;
	int cap = 0, rc, k;

	*out = NULL;
	*n = 0;
	if ((rc = store_query(c, &q_items, args, 3, &r, e)))
		return rc;
	while ((rc = store_next(r)) > 0) {
		struct checklist_item *it;

		list = arena_grow(a, list, *n, &cap, sizeof(*list));
		it = &list[(*n)++];
		it->id = store_int(r, 0);
		it->framework_id = store_int(r, 1);
		it->point_type_id = store_int(r, 2);
		it->standard_id = store_int(r, 3);
		it->standard_code = arena_strdup(a, store_text(r, 4));
		it->standard_title = arena_strdup(a, store_text(r, 5));
		it->title = arena_strdup(a, store_text(r, 6));
		it->category_id = store_int(r, 7);
		it->category_name = arena_strdup(a, store_text(r, 8));
		for (k = 0; k < 3; k++)
			it->credit[k] = store_isnull(r, 9 + k) ? NAN : store_double(r, 9 + k);
		it->sort = store_int(r, 12);
		it->code = arena_strdup(a, store_text(r, 13));
		it->grading = arena_strdup(a, store_text(r, 14));
		it->standard_weight = store_double(r, 15);
	}
	store_finish(r);
	*out = list;
	return rc < 0 ? error_set(e, rc, NULL, NULL) : 0;
}

int checklist_replace(struct store_conn *c, int64_t framework_id, int64_t point_type_id,
                      struct checklist_item *items, int n, struct error *e)
{
	struct store_val clear[] = {sv_int(framework_id), sv_int(point_type_id)};
	int64_t now = time_now_ms();
	int rc = store_exec(c, &q_items_clear, clear, 2, NULL, e), i, k;

	for (i = 0; !rc && i < n; i++) {
		struct store_val args[11];

		args[0] = sv_int(framework_id);
		args[1] = sv_int(point_type_id);
		args[2] = sv_int(items[i].standard_id);
		args[3] = sv_text(items[i].title);
		args[4] = sv_int(items[i].category_id);
		for (k = 0; k < 3; k++)
			args[5 + k] =
			    isnan(items[i].credit[k]) ? sv_null() : sv_double(items[i].credit[k]);
		args[8] = sv_int(items[i].sort);
		args[9] = sv_int(now);
		args[10] = sv_text(items[i].code ? items[i].code : "");
		rc = store_query_int(c, &q_item_insert, args, 11, &items[i].id, e);
	}
	return rc;
}

void checklist_credits(const struct checklist_item *it, const struct credit_table *defaults,
                       struct credit_table *out)
{
	out->pass = isnan(it->credit[0]) ? defaults->pass : it->credit[0];
	out->fail = isnan(it->credit[1]) ? defaults->fail : it->credit[1];
	out->severe = isnan(it->credit[2]) ? defaults->severe : it->credit[2];
}

static json_t *credit_or_null(double v)
{
	return isnan(v) ? json_null() : json_real(v);
}

json_t *checklist_item_json(const struct checklist_item *it, const struct credit_table *defaults)
{
	struct credit_table t;
	struct grading g;
	json_t *hold, *j;

	checklist_credits(it, defaults, &t);
	grading_load(it->grading, &g, &hold);
	j = json_pack("{s:I, s:I, s:I, s:s, s:s, s:s, s:I, s:s, s:o, s:o, s:o,"
	              " s:{s:f, s:f, s:f}, s:I}",
	              "id", (json_int_t)it->id, "point_type_id", (json_int_t)it->point_type_id,
	              "standard_id", (json_int_t)it->standard_id, "standard_code",
	              it->standard_code, "standard_title", it->standard_title, "title", it->title,
	              "category_id", (json_int_t)it->category_id, "category_name",
	              it->category_name, "credit_pass", credit_or_null(it->credit[0]),
	              "credit_fail", credit_or_null(it->credit[1]), "credit_severe",
	              credit_or_null(it->credit[2]), "credits", "pass", t.pass, "fail", t.fail,
	              "severe", t.severe, "sort", (json_int_t)it->sort);
	/* what the inspector is asked: the standard's grading scheme */
	json_object_set_new(j, "code", json_string(it->code ? it->code : ""));
	json_object_set_new(j, "grading", grading_json(&g));
	json_object_set_new(j, "standard_weight", json_real(it->standard_weight));
	json_decref(hold);
	return j;
}

/* record_db.c - the records of the points visited and their observations in the store. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "core/strbuf.h"
#include "files/files.h"
#include "inspect/inspect.h"
#include "inspect/inspect_int.h"
#include "store/store.h"

static const char *const rating_names[] = {"pass", "fail", "severe", "na"};
static const char *const rating_titles[] = {"合格", "不合格", "严重不合格", "不适用"};

enum rating rating_parse_name(const char *s, int *ok)
{
	int i;

	for (i = 0; i < 4; i++)
		if (s && !strcmp(s, rating_names[i])) {
			*ok = 1;
			return (enum rating)i;
		}
	*ok = 0;
	return RATING_NA;
}

const char *rating_name(enum rating r)
{
	return r >= RATING_PASS && r <= RATING_NA ? rating_names[r] : "na";
}

const char *rating_title(enum rating r)
{
	return r >= RATING_PASS && r <= RATING_NA ? rating_titles[r] : "不适用";
}

/*
 * The credit of a rating with the item's credits (columns col..col+2, NULL:
 * default), or the graded credit in column graded when it is set: what the
 * standard's scheme gave the answer (a level, shortfalls, a rate).
 */
static double row_credit(struct store_rows *r, int col, enum rating rating,
                         const struct credit_table *d, int graded)
{
	struct credit_table t = *d;

	if (rating != RATING_NA && !store_isnull(r, graded))
		return store_double(r, graded);
	if (!store_isnull(r, col))
		t.pass = store_double(r, col);
	if (!store_isnull(r, col + 1))
		t.fail = store_double(r, col + 1);
	if (!store_isnull(r, col + 2))
		t.severe = store_double(r, col + 2);
	return rating_credit(&t, rating);
}

#define REC_COLS                                                                                   \
	"rec.id, rec.inspection_id, rec.client_key, rec.point_id, p.code, p.name, p.type_id,"      \
	" t.name, COALESCE(p.grid_id, 0), COALESCE(g.name, ''), COALESCE(p.unit_id, 0),"           \
	" COALESCE(u.name, ''), rec.inspector_id, COALESCE(us.name, ''), rec.lat, rec.lng,"        \
	" COALESCE(rec.captured_at, 0), rec.submitted_at, rec.updated_at, rec.note"
#define REC_FROM                                                                                   \
	" FROM inspection_records rec JOIN inspection_points ip"                                   \
	" ON ip.inspection_id = rec.inspection_id AND ip.point_id = rec.point_id"                  \
	" JOIN points p ON p.id = rec.point_id JOIN point_types t ON t.id = p.type_id"             \
	" LEFT JOIN grids g ON g.id = p.grid_id LEFT JOIN units u ON u.id = p.unit_id"             \
	" LEFT JOIN users us ON us.id = rec.inspector_id"
#define REC_WHERE                                                                                  \
	REC_FROM " WHERE rec.inspection_id = ? AND " ROUND_POINT_SCOPE                             \
	         " AND (CAST(? AS BIGINT) = 0 OR rec.point_id = ?)"                                \
	         " AND (CAST(? AS BIGINT) = 0 OR rec.inspector_id = ?)"

STORE_SQL(q_rec_count, "SELECT COUNT(*)" REC_WHERE);
STORE_SQL(q_rec_page, "SELECT " REC_COLS REC_WHERE " ORDER BY rec.id LIMIT ? OFFSET ?");
STORE_SQL(q_rec_get, "SELECT " REC_COLS REC_FROM " WHERE rec.inspection_id = ? AND rec.id = ?"
                     " AND " ROUND_POINT_SCOPE);
STORE_SQL(q_obs_of, "SELECT o.id, o.record_id, o.item_id, o.standard_id, c.title, s.code,"
                    " s.title, c.category_id, o.rating, o.count, o.note,"
                    " COALESCE(o.problem_id, 0), COALESCE(pr.code, ''), c.credit_pass,"
                    " c.credit_fail, c.credit_severe, o.credit, o.level, o.shortfalls, o.rate"
                    " FROM inspection_observations o JOIN checklist_items c ON c.id = o.item_id"
                    " JOIN indicators s ON s.id = o.standard_id"
                    " LEFT JOIN problems pr ON pr.id = o.problem_id"
                    " WHERE o.record_id IN_IDS(?) ORDER BY o.record_id, o.sort, o.id");
STORE_SQL(q_photos_of, "SELECT op.observation_id, op.file_id FROM observation_photos op"
                       " JOIN inspection_observations o ON o.id = op.observation_id"
                       " WHERE o.record_id IN_IDS(?) ORDER BY op.observation_id, op.sort");

static void rec_read(struct store_rows *r, struct arena *a, struct record *x)
{
	memset(x, 0, sizeof(*x));
	x->id = store_int(r, 0);
	x->inspection_id = store_int(r, 1);
	x->client_key = arena_strdup(a, store_text(r, 2));
	x->point_id = store_int(r, 3);
	x->point_code = arena_strdup(a, store_text(r, 4));
	x->point_name = arena_strdup(a, store_text(r, 5));
	x->point_type_id = store_int(r, 6);
	x->point_type_name = arena_strdup(a, store_text(r, 7));
	x->grid_id = store_int(r, 8);
	x->grid_name = arena_strdup(a, store_text(r, 9));
	x->unit_id = store_int(r, 10);
	x->unit_name = arena_strdup(a, store_text(r, 11));
	x->inspector_id = store_int(r, 12);
	x->inspector_name = arena_strdup(a, store_text(r, 13));
	x->has_location = !store_isnull(r, 14) && !store_isnull(r, 15);
	x->lat = x->has_location ? store_double(r, 14) : 0;
	x->lng = x->has_location ? store_double(r, 15) : 0;
	x->captured_at = store_int(r, 16);
	x->submitted_at = store_int(r, 17);
	x->updated_at = store_int(r, 18);
	x->note = arena_strdup(a, store_text(r, 19));
}

/* Attach the observations (and their photos) of records[0..n). */
static int records_observations(struct store_conn *c, struct record *recs, int n,
                                const struct credit_table *d, struct arena *a, struct error *e)
{
	struct strbuf ids = STRBUF_INIT;
	struct store_val args[1];
	struct store_rows *r;
	int i, k, rc, cap = 0, nobs = 0;
	struct observation *all = NULL;

	if (!n)
		return 0;
	strbuf_addch(&ids, '[');
	for (i = 0; i < n; i++)
		strbuf_addf(&ids, "%s%lld", i ? "," : "", (long long)recs[i].id);
	strbuf_addch(&ids, ']');
	args[0] = sv_text(ids.buf);
	if ((rc = store_query(c, &q_obs_of, args, 1, &r, e)))
		goto out;
	while ((rc = store_next(r)) > 0) {
		struct observation *o;
		int ok;

		all = arena_grow(a, all, nobs, &cap, sizeof(*all));
		o = &all[nobs++];
		memset(o, 0, sizeof(*o));
		o->id = store_int(r, 0);
		o->record_id = store_int(r, 1);
		o->item_id = store_int(r, 2);
		o->standard_id = store_int(r, 3);
		o->item_title = arena_strdup(a, store_text(r, 4));
		o->standard_code = arena_strdup(a, store_text(r, 5));
		o->standard_title = arena_strdup(a, store_text(r, 6));
		o->category_id = store_int(r, 7);
		o->rating = rating_parse_name(store_text(r, 8), &ok);
		o->count = store_int(r, 9);
		o->note = arena_strdup(a, store_text(r, 10));
		o->problem_id = store_int(r, 11);
		o->problem_code = arena_strdup(a, store_text(r, 12));
		o->credit = row_credit(r, 13, o->rating, d, 16);
		o->graded = !store_isnull(r, 16);
		o->level = arena_strdup(a, store_text(r, 17));
		o->shortfalls = store_isnull(r, 18) ? -1 : store_int(r, 18);
		o->rate = store_isnull(r, 19) ? -1 : store_double(r, 19);
	}
	store_finish(r);
	if (rc < 0) {
		rc = error_set(e, rc, NULL, NULL);
		goto out;
	}
	if ((rc = store_query(c, &q_photos_of, args, 1, &r, e)))
		goto out;
	while ((rc = store_next(r)) > 0) {
		int64_t oid = store_int(r, 0);

		for (k = 0; k < nobs; k++)
			if (all[k].id == oid && all[k].nphotos < OBS_MAX_PHOTOS)
				all[k].photos[all[k].nphotos++] = store_int(r, 1);
	}
	store_finish(r);
	if (rc < 0) {
		rc = error_set(e, rc, NULL, NULL);
		goto out;
	}
	rc = 0;
	/* observations come ordered by record: each record gets its slice */
	for (k = 0; k < nobs;) {
		int start = k;

		while (k < nobs && all[k].record_id == all[start].record_id)
			k++;
		for (i = 0; i < n; i++)
			if (recs[i].id == all[start].record_id) {
				int j;

				recs[i].obs = &all[start];
				recs[i].nobs = k - start;
				for (j = start; j < k; j++) {
					recs[i].counts[all[j].rating]++;
					if (all[j].credit >= 0)
						recs[i].credit += all[j].credit;
				}
			}
	}
out:
	strbuf_release(&ids);
	return rc;
}

int record_list(struct store_conn *c, int64_t round_id, const struct record_filter *f,
                const struct credit_table *defaults, struct arena *a, struct record **out, int *n,
                int64_t *total, struct error *e)
{
	struct store_val args[12];
	struct record *list = NULL;
	struct store_rows *r;
	int k = 0, cap = 0, rc;

	*out = NULL;
	*n = 0;
	args[k++] = sv_int(round_id);
	round_scope_args(f->scope, args + k);
	k += 4;
	args[k++] = sv_int(f->point_id);
	args[k++] = sv_int(f->point_id);
	args[k++] = sv_int(f->inspector_id);
	args[k++] = sv_int(f->inspector_id);
	if ((rc = store_query_int(c, &q_rec_count, args, k, total, e)))
		return rc;
	args[k++] = sv_int(f->limit > 0 ? f->limit : INT32_MAX);
	args[k++] = sv_int(f->offset);
	if ((rc = store_query(c, &q_rec_page, args, k, &r, e)))
		return rc;
	while ((rc = store_next(r)) > 0) {
		list = arena_grow(a, list, *n, &cap, sizeof(*list));
		rec_read(r, a, &list[(*n)++]);
	}
	store_finish(r);
	if (rc < 0)
		return error_set(e, rc, NULL, NULL);
	*out = list;
	return records_observations(c, list, *n, defaults, a, e);
}

int record_get(struct store_conn *c, int64_t round_id, const struct scope *s, int64_t id,
               const struct credit_table *defaults, struct arena *a, struct record *out,
               struct error *e)
{
	struct store_val args[6];
	struct store_rows *r;
	int rc;

	args[0] = sv_int(round_id);
	args[1] = sv_int(id);
	round_scope_args(s, args + 2);
	if ((rc = store_query(c, &q_rec_get, args, 6, &r, e)))
		return rc;
	rc = store_next(r);
	if (rc > 0)
		rec_read(r, a, out);
	store_finish(r);
	if (rc < 0)
		return error_set(e, rc, NULL, NULL);
	if (!rc)
		return error_set(e, ERR_NOT_FOUND, NULL, "测评记录不存在");
	return records_observations(c, out, 1, defaults, a, e);
}

STORE_SQL(q_rec_by_key, "SELECT id, inspector_id FROM inspection_records"
                        " WHERE inspection_id = ? AND client_key = ?");
STORE_SQL(q_rec_by_point, "SELECT id FROM inspection_records WHERE inspection_id = ?"
                          " AND point_id = ?");
STORE_SQL(q_rec_insert, "INSERT INTO inspection_records (inspection_id, point_id, inspector_id,"
                        " client_key, lat, lng, captured_at, submitted_at, updated_at, note)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
STORE_SQL(q_rec_update, "UPDATE inspection_records SET lat = ?, lng = ?, captured_at = ?,"
                        " note = ?, updated_at = ? WHERE id = ?");
STORE_SQL(q_rec_clear, "DELETE FROM inspection_observations WHERE record_id = ?");
STORE_SQL(q_obs_insert, "INSERT INTO inspection_observations (record_id, inspection_id, item_id,"
                        " standard_id, rating, count, note, problem_id, sort, level, shortfalls,"
                        " rate, credit) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                        " RETURNING id");
STORE_SQL(q_obs_photo, "INSERT INTO observation_photos (observation_id, file_id, sort)"
                       " VALUES (?, ?, ?)");
STORE_SQL(q_obs_problem, "UPDATE inspection_observations SET problem_id = ? WHERE id = ?");

int record_by_key(struct store_conn *c, int64_t round_id, const char *key, int64_t *id,
                  int64_t *inspector_id, struct error *e)
{
	struct store_val args[] = {sv_int(round_id), sv_text(key)};
	struct store_rows *r;
	int rc;

	*id = *inspector_id = 0;
	if ((rc = store_query(c, &q_rec_by_key, args, 2, &r, e)))
		return rc;
	if ((rc = store_next(r)) > 0) {
		*id = store_int(r, 0);
		*inspector_id = store_int(r, 1);
	}
	store_finish(r);
	return rc < 0 ? error_set(e, rc, NULL, NULL) : 0;
}

int record_by_point(struct store_conn *c, int64_t round_id, int64_t point_id, int64_t *id,
                    struct error *e)
{
	struct store_val args[] = {sv_int(round_id), sv_int(point_id)};
	int rc = store_query_int(c, &q_rec_by_point, args, 2, id, e);

	if (rc == ERR_NOT_FOUND) {
		*id = 0;
		return 0;
	}
	return rc;
}

int record_insert(struct store_conn *c, struct record *x, struct error *e)
{
	struct store_val args[] = {
	    sv_int(x->inspection_id),
	    sv_int(x->point_id),
	    sv_int(x->inspector_id),
	    sv_text(x->client_key),
	    x->has_location ? sv_double(x->lat) : sv_null(),
	    x->has_location ? sv_double(x->lng) : sv_null(),
	    x->captured_at ? sv_int(x->captured_at) : sv_null(),
	    sv_int(x->submitted_at),
	    sv_int(x->updated_at),
	    sv_text(x->note),
	};

	return store_query_int(c, &q_rec_insert, args, 10, &x->id, e);
}

int record_update(struct store_conn *c, const struct record *x, struct error *e)
{
	struct store_val args[] = {
	    x->has_location ? sv_double(x->lat) : sv_null(),
	    x->has_location ? sv_double(x->lng) : sv_null(),
	    x->captured_at ? sv_int(x->captured_at) : sv_null(),
	    sv_text(x->note),
	    sv_int(x->updated_at),
	    sv_int(x->id),
	};

	return store_exec(c, &q_rec_update, args, 6, NULL, e);
}

int record_clear(struct store_conn *c, int64_t record_id, struct error *e)
{
	struct store_val args[] = {sv_int(record_id)};

	return store_exec(c, &q_rec_clear, args, 1, NULL, e);
}

int observation_insert(struct store_conn *c, int64_t round_id, int64_t record_id,
                       struct observation *o, int sort, struct error *e)
{
	struct store_val args[] = {
	    sv_int(record_id),
	    sv_int(round_id),
	    sv_int(o->item_id),
	    sv_int(o->standard_id),
	    sv_text(rating_name(o->rating)),
	    sv_int(o->count),
	    sv_text(o->note ? o->note : ""),
	    o->problem_id ? sv_int(o->problem_id) : sv_null(),
	    sv_int(sort),
	    sv_text(o->graded && o->level ? o->level : ""),
	    o->graded && o->shortfalls >= 0 ? sv_int(o->shortfalls) : sv_null(),
	    o->graded && o->rate >= 0 ? sv_double(o->rate) : sv_null(),
	    o->graded ? sv_double(o->credit) : sv_null(),
	};
	int rc = store_query_int(c, &q_obs_insert, args, 13, &o->id, e), i;

	for (i = 0; !rc && i < o->nphotos; i++) {
		struct store_val p[] = {sv_int(o->id), sv_int(o->photos[i]), sv_int(i)};

		rc = store_exec(c, &q_obs_photo, p, 3, NULL, e);
	}
	return rc;
}

int observation_set_problem(struct store_conn *c, int64_t id, int64_t problem_id, struct error *e)
{
	struct store_val args[] = {sv_int(problem_id), sv_int(id)};

	return store_exec(c, &q_obs_problem, args, 2, NULL, e);
}

static json_t *opt_int(int64_t v)
{
	return v ? json_integer(v) : json_null();
}

json_t *record_json(const struct record *x, int with_observations)
{
	int rated = x->counts[RATING_PASS] + x->counts[RATING_FAIL] + x->counts[RATING_SEVERE];
	json_t *j = json_pack(
	    "{s:I, s:I, s:s, s:I, s:s, s:s, s:I, s:s, s:o, s:s, s:o, s:s, s:I, s:s, s:o, s:o, s:o,"
	    " s:I, s:I, s:s}",
	    "id", (json_int_t)x->id, "inspection_id", (json_int_t)x->inspection_id, "client_key",
	    x->client_key, "point_id", (json_int_t)x->point_id, "point_code", x->point_code,
	    "point_name", x->point_name, "point_type_id", (json_int_t)x->point_type_id,
	    "point_type_name", x->point_type_name, "grid_id", opt_int(x->grid_id), "grid_name",
	    x->grid_name, "unit_id", opt_int(x->unit_id), "unit_name", x->unit_name, "inspector_id",
	    (json_int_t)x->inspector_id, "inspector_name", x->inspector_name, "lat",
	    x->has_location ? json_real(x->lat) : json_null(), "lng",
	    x->has_location ? json_real(x->lng) : json_null(), "captured_at",
	    opt_int(x->captured_at), "submitted_at", (json_int_t)x->submitted_at, "updated_at",
	    (json_int_t)x->updated_at, "note", x->note);
	int i, k;

	json_object_set_new(
	    j, "summary",
	    json_pack("{s:i, s:i, s:i, s:i, s:i, s:o}", "observations", x->nobs, "pass",
	              x->counts[RATING_PASS], "fail", x->counts[RATING_FAIL], "severe",
	              x->counts[RATING_SEVERE], "na", x->counts[RATING_NA], "rate",
	              rated ? json_real(round(x->credit / rated * 10000) / 10000) : json_null()));
	if (!with_observations)
		return j;
	{
		json_t *arr = json_array();

		for (i = 0; i < x->nobs; i++) {
			const struct observation *o = &x->obs[i];
			json_t *photos = json_array();

			for (k = 0; k < o->nphotos; k++)
				json_array_append_new(photos, json_integer(o->photos[k]));
			json_array_append_new(
			    arr,
			    json_pack("{s:I, s:I, s:s, s:I, s:s, s:s, s:I, s:s, s:o, s:I, s:s, s:o,"
			              " s:o, s:o}",
			              "id", (json_int_t)o->id, "item_id", (json_int_t)o->item_id,
			              "item_title", o->item_title, "standard_id",
			              (json_int_t)o->standard_id, "standard_code", o->standard_code,
			              "standard_title", o->standard_title, "category_id",
			              (json_int_t)o->category_id, "rating", rating_name(o->rating),
			              "credit", o->credit >= 0 ? json_real(o->credit) : json_null(),
			              "count", (json_int_t)o->count, "note", o->note, "photo_ids",
			              photos, "problem_id", opt_int(o->problem_id), "problem_code",
			              o->problem_id ? json_string(o->problem_code) : json_null()));
			/* what a graded standard was answered with */
			if (o->graded) {
				json_t *last = json_array_get(arr, json_array_size(arr) - 1);

				json_object_set_new(
				    last, "level", *o->level ? json_string(o->level) : json_null());
				json_object_set_new(last, "shortfalls",
				                    o->shortfalls >= 0 ? json_integer(o->shortfalls)
				                                       : json_null());
				json_object_set_new(
				    last, "rate", o->rate >= 0 ? json_real(o->rate) : json_null());
			}
		}
		json_object_set_new(j, "observations", arr);
	}
	return j;
}

/* ---- what the score reads ------------------------------------------------------- */

STORE_SQL(q_scored, "SELECT o.id, o.record_id, o.standard_id, o.item_id, rec.point_id, p.type_id,"
                    " COALESCE(p.grid_id, 0), COALESCE(p.unit_id, 0), rec.inspector_id,"
                    " COALESCE(o.problem_id, 0), o.rating, o.count,"
                    " COALESCE(rec.captured_at, rec.submitted_at), p.code, p.name, t.name,"
                    " COALESCE(g.name, ''), COALESCE(u.name, ''), COALESCE(us.name, ''), c.title,"
                    " o.note, COALESCE(pr.code, ''), c.credit_pass, c.credit_fail,"
                    " c.credit_severe, COALESCE((SELECT op.file_id FROM observation_photos op"
                    " WHERE op.observation_id = o.id ORDER BY op.sort LIMIT 1), 0), o.credit"
                    " FROM inspection_observations o"
                    " JOIN inspection_records rec ON rec.id = o.record_id"
                    " JOIN inspection_points ip ON ip.inspection_id = rec.inspection_id"
                    " AND ip.point_id = rec.point_id JOIN points p ON p.id = rec.point_id"
                    " JOIN point_types t ON t.id = p.type_id LEFT JOIN grids g ON g.id = p.grid_id"
                    " LEFT JOIN units u ON u.id = p.unit_id"
                    " LEFT JOIN users us ON us.id = rec.inspector_id"
                    " JOIN checklist_items c ON c.id = o.item_id"
                    " LEFT JOIN problems pr ON pr.id = o.problem_id"
                    " WHERE o.inspection_id = ? AND " ROUND_POINT_SCOPE
                    " ORDER BY p.code, rec.id, o.sort, o.id");

int round_observations(struct store_conn *c, int64_t round_id, const struct scope *s,
                       const struct credit_table *defaults, struct arena *a,
                       struct scored_obs **out, int *n, struct error *e)
{
	struct store_val args[5];
	struct scored_obs *list = NULL;
	struct store_rows *r;
	int cap = 0, rc;

	*out = NULL;
	*n = 0;
	args[0] = sv_int(round_id);
	round_scope_args(s, args + 1);
	if ((rc = store_query(c, &q_scored, args, 5, &r, e)))
		return rc;
	while ((rc = store_next(r)) > 0) {
		struct scored_obs *o;
		int ok;

		list = arena_grow(a, list, *n, &cap, sizeof(*list));
		o = &list[(*n)++];
		o->id = store_int(r, 0);
		o->record_id = store_int(r, 1);
		o->standard_id = store_int(r, 2);
		o->item_id = store_int(r, 3);
		o->point_id = store_int(r, 4);
		o->type_id = store_int(r, 5);
		o->grid_id = store_int(r, 6);
		o->unit_id = store_int(r, 7);
		o->inspector_id = store_int(r, 8);
		o->problem_id = store_int(r, 9);
		o->rating = rating_parse_name(store_text(r, 10), &ok);
		o->count = store_int(r, 11);
		o->captured_at = store_int(r, 12);
		o->point_code = arena_strdup(a, store_text(r, 13));
		o->point_name = arena_strdup(a, store_text(r, 14));
		o->type_name = arena_strdup(a, store_text(r, 15));
		o->grid_name = arena_strdup(a, store_text(r, 16));
		o->unit_name = arena_strdup(a, store_text(r, 17));
		o->inspector_name = arena_strdup(a, store_text(r, 18));
		o->item_title = arena_strdup(a, store_text(r, 19));
		o->note = arena_strdup(a, store_text(r, 20));
		o->problem_code = arena_strdup(a, store_text(r, 21));
		o->credit = row_credit(r, 22, o->rating, defaults, 26);
		o->first_photo = store_int(r, 25);
	}
	store_finish(r);
	*out = list;
	return rc < 0 ? error_set(e, rc, NULL, NULL) : 0;
}

STORE_SQL(q_record_file_readable,
          "SELECT 1 FROM observation_photos op JOIN inspection_observations o"
          " ON o.id = op.observation_id JOIN inspection_records rec ON rec.id = o.record_id"
          " JOIN inspections i ON i.id = rec.inspection_id JOIN inspection_points ip"
          " ON ip.inspection_id = rec.inspection_id AND ip.point_id = rec.point_id"
          " JOIN points p ON p.id = rec.point_id WHERE op.file_id = ? AND i.tenant_id = ?"
          " AND " ROUND_POINT_SCOPE " LIMIT 1");

/* files.h's check for inspection record photos: readable with the record (round scope). */
static int record_file_readable(struct store_conn *c, const struct principal *who, int64_t file_id,
                                struct arena *a, int *ok, struct error *e)
{
	struct store_val args[6];
	struct scope s;
	int64_t one = 0;
	int rc;

	*ok = 0;
	if (!principal_has(who, "inspection:round:view"))
		return 0;
	principal_scope(who, "inspection:round:view", a, &s);
	args[0] = sv_int(file_id);
	args[1] = sv_int(who->tenant_id);
	round_scope_args(&s, args + 2);
	rc = store_query_int(c, &q_record_file_readable, args, 6, &one, e);
	if (rc == ERR_NOT_FOUND)
		return 0;
	*ok = !rc && one == 1;
	return rc;
}

const struct file_owner_kind record_file_kind = {"inspection_record", record_file_readable};

/* survey_db.c - surveys, their quotas and responses in the store. */
#include <stdlib.h>
#include <string.h>

#include "http/json_io.h"
#include "survey/survey.h"
#include "store/store.h"

#define SURVEY_COLS                                                                                \
	"s.id, s.tenant_id, COALESCE(s.framework_id, 0), s.title, s.intro, s.series, s.wave,"      \
	" s.version, COALESCE(s.previous_id, 0), s.status, COALESCE(s.token, ''), s.min_seconds,"  \
	" s.design, COALESCE(s.created_by, 0), s.created_at, s.updated_at,"                        \
	" COALESCE(s.published_at, 0), COALESCE(s.closed_at, 0),"                                  \
	" (SELECT COUNT(*) FROM survey_responses r WHERE r.survey_id = s.id"                       \
	" AND r.review <> 'rejected')"
#define SURVEY_WHERE                                                                               \
	" FROM surveys s WHERE s.tenant_id = ? AND (? = '' OR s.status = ?)"                       \
	" AND (? = '' OR s.title LIKE ? ESCAPE '\\')"

STORE_SQL(q_survey_count, "SELECT COUNT(*)" SURVEY_WHERE);
STORE_SQL(q_survey_page, "SELECT " SURVEY_COLS SURVEY_WHERE
                         " ORDER BY s.created_at DESC, s.id DESC LIMIT ? OFFSET ?");
STORE_SQL(q_survey_get, "SELECT " SURVEY_COLS " FROM surveys s WHERE s.tenant_id = ? AND s.id = ?");
STORE_SQL(q_survey_token, "SELECT " SURVEY_COLS " FROM surveys s WHERE s.token = ?");
STORE_SQL(q_survey_series, "SELECT " SURVEY_COLS " FROM surveys s WHERE s.tenant_id = ?"
                           " AND s.series = ? AND s.status <> 'draft'"
                           " ORDER BY COALESCE(s.published_at, s.created_at), s.id");
STORE_SQL(q_survey_insert,
          "INSERT INTO surveys (tenant_id, framework_id, title, intro, series, wave, version,"
          " previous_id, status, min_seconds, design, created_by, created_at, updated_at)"
          " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'draft', ?, ?, ?, ?, ?) RETURNING id");
STORE_SQL(q_survey_update,
          "UPDATE surveys SET framework_id = ?, title = ?, intro = ?, series = ?, wave = ?,"
          " min_seconds = ?, design = ?, updated_at = ? WHERE id = ?");
STORE_SQL(q_survey_status,
          "UPDATE surveys SET status = ?, token = COALESCE(token, ?), updated_at = ?,"
          " published_at = CASE WHEN ? = 'published' THEN ? ELSE published_at END,"
          " closed_at = CASE WHEN ? = 'closed' THEN ? ELSE closed_at END WHERE id = ?");

static int survey_read(struct store_rows *r, struct arena *a, struct survey *s, struct error *e)
{
	json_t *design;

	memset(s, 0, sizeof(*s));
	s->id = store_int(r, 0);
	s->tenant_id = store_int(r, 1);
	s->framework_id = store_int(r, 2);
	s->title = arena_strdup(a, store_text(r, 3));
	s->intro = arena_strdup(a, store_text(r, 4));
	s->series = arena_strdup(a, store_text(r, 5));
	s->wave = arena_strdup(a, store_text(r, 6));
	s->version = store_int(r, 7);
	s->previous_id = store_int(r, 8);
	s->status = arena_strdup(a, store_text(r, 9));
	s->token = arena_strdup(a, store_text(r, 10));
	s->min_seconds = store_int(r, 11);
	s->design_text = arena_strdup(a, store_text(r, 12));
	s->created_by = store_int(r, 13);
	s->created_at = store_int(r, 14);
	s->updated_at = store_int(r, 15);
	s->published_at = store_int(r, 16);
	s->closed_at = store_int(r, 17);
	s->responses = store_int(r, 18);
	/* the design was checked when stored; the parsed form lives in the arena */
	if (json_parse_object(s->design_text, strlen(s->design_text), &design, e))
		return e->code;
	if (survey_design_parse(design, a, &s->d, e)) {
		json_decref(design);
		return e->code;
	}
	json_decref(design); /* the parse copied its strings into the arena */
	return 0;
}

static int one_survey(struct store_conn *c, const struct store_sql *q, struct store_val *args,
                      int nargs, struct arena *a, struct survey *out, struct error *e)
{
	struct store_rows *r;
	int rc;

	if ((rc = store_query(c, q, args, nargs, &r, e)))
		return rc;
	rc = store_next(r);
	if (rc > 0)
		rc = survey_read(r, a, out, e);
	else if (rc == 0)
		rc = error_set(e, ERR_NOT_FOUND, NULL, "问卷不存在");
	else
		rc = error_set(e, rc, NULL, NULL);
	store_finish(r);
	return rc;
}

static int many_surveys(struct store_conn *c, const struct store_sql *q, struct store_val *args,
                        int nargs, struct arena *a, struct survey **out, int *n, struct error *e)
{
	struct store_rows *r;
	int rc, cap = 0;

	*n = 0;
	*out = arena_grow(a, NULL, 0, &cap, sizeof(**out));
	if ((rc = store_query(c, q, args, nargs, &r, e)))
		return rc;
	while ((rc = store_next(r)) > 0) {
		*out = arena_grow(a, *out, *n, &cap, sizeof(**out));
		if ((rc = survey_read(r, a, &(*out)[*n], e)))
			break;
		(*n)++;
	}
	store_finish(r);
	return rc < 0 ? (e->code ? e->code : error_set(e, rc, NULL, NULL)) : 0;
}

int survey_list(struct store_conn *c, int64_t tenant_id, const struct survey_filter *f,
                struct arena *a, struct survey **out, int *n, int64_t *total, struct error *e)
{
	const char *status = f->status ? f->status : "";
	const char *kw = f->keyword ? f->keyword : "";
	const char *like = *kw ? store_like_pattern(a, kw, 1) : "";
	struct store_val args[] = {sv_int(tenant_id), sv_text(status), sv_text(status),
	                           sv_text(kw),       sv_text(like),   sv_int(f->limit),
	                           sv_int(f->offset)};
	int rc = store_query_int(c, &q_survey_count, args, 5, total, e);

	return rc ? rc : many_surveys(c, &q_survey_page, args, 7, a, out, n, e);
}

int survey_get(struct store_conn *c, int64_t tenant_id, int64_t id, struct arena *a,
               struct survey *out, struct error *e)
{
	struct store_val args[] = {sv_int(tenant_id), sv_int(id)};

	return one_survey(c, &q_survey_get, args, 2, a, out, e);
}

int survey_by_token(struct store_conn *c, const char *token, struct arena *a, struct survey *out,
                    struct error *e)
{
	struct store_val args[] = {sv_text(token)};

	return one_survey(c, &q_survey_token, args, 1, a, out, e);
}

int survey_series(struct store_conn *c, int64_t tenant_id, const char *series, struct arena *a,
                  struct survey **out, int *n, struct error *e)
{
	struct store_val args[] = {sv_int(tenant_id), sv_text(series)};

	return many_surveys(c, &q_survey_series, args, 2, a, out, n, e);
}

static struct store_val opt_id(int64_t id)
{
	return id ? sv_int(id) : sv_null();
}

int survey_insert(struct store_conn *c, struct survey *s, struct error *e)
{
	struct store_val args[] = {
	    sv_int(s->tenant_id),    opt_id(s->framework_id), sv_text(s->title),
	    sv_text(s->intro),       sv_text(s->series),      sv_text(s->wave),
	    sv_int(s->version),      opt_id(s->previous_id),  sv_int(s->min_seconds),
	    sv_text(s->design_text), opt_id(s->created_by),   sv_int(s->created_at),
	    sv_int(s->updated_at)};

	return store_query_int(c, &q_survey_insert, args, 13, &s->id, e);
}

int survey_update(struct store_conn *c, const struct survey *s, struct error *e)
{
	struct store_val args[] = {
	    opt_id(s->framework_id), sv_text(s->title),     sv_text(s->intro),
	    sv_text(s->series),      sv_text(s->wave),      sv_int(s->min_seconds),
	    sv_text(s->design_text), sv_int(s->updated_at), sv_int(s->id)};

	return store_exec(c, &q_survey_update, args, 9, NULL, e);
}

int survey_set_status(struct store_conn *c, int64_t id, const char *status, const char *token,
                      int64_t now, struct error *e)
{
	struct store_val args[] = {sv_text(status), sv_text(token),  sv_int(now), sv_text(status),
	                           sv_int(now),     sv_text(status), sv_int(now), sv_int(id)};

	return store_exec(c, &q_survey_status, args, 8, NULL, e);
}

/* ---- quotas and communities ---------------------------------------------------------- */

STORE_SQL(q_quota_list,
          "SELECT q.unit_id, u.name, q.age_group, q.sex, q.target,"
          " (SELECT COUNT(*) FROM survey_responses r WHERE r.survey_id = q.survey_id"
          " AND r.unit_id = q.unit_id AND r.review <> 'rejected'"
          " AND (q.age_group = '' OR r.age_group = q.age_group)"
          " AND (q.sex = '' OR r.sex = q.sex))"
          " FROM survey_quotas q JOIN units u ON u.id = q.unit_id WHERE q.survey_id = ?"
          " ORDER BY u.sort, u.name, q.unit_id, q.age_group, q.sex");
STORE_SQL(q_quota_clear, "DELETE FROM survey_quotas WHERE survey_id = ?");
STORE_SQL(q_quota_insert, "INSERT INTO survey_quotas (survey_id, unit_id, age_group, sex, target)"
                          " VALUES (?, ?, ?, ?, ?)");
STORE_SQL(q_quota_any, "SELECT COUNT(*) FROM survey_quotas WHERE survey_id = ?");
STORE_SQL(q_quota_full,
          "SELECT COUNT(*) FROM survey_quotas q WHERE q.survey_id = ? AND q.unit_id = ?"
          " AND (q.age_group = '' OR q.age_group = ?) AND (q.sex = '' OR q.sex = ?)"
          " AND q.target <= (SELECT COUNT(*) FROM survey_responses r"
          " WHERE r.survey_id = q.survey_id AND r.unit_id = q.unit_id AND r.review <> 'rejected'"
          " AND (q.age_group = '' OR r.age_group = q.age_group)"
          " AND (q.sex = '' OR r.sex = q.sex))");
STORE_SQL(q_quota_listed, "SELECT COUNT(*) FROM survey_quotas WHERE survey_id = ? AND unit_id = ?");

int survey_quotas(struct store_conn *c, int64_t survey_id, struct arena *a,
                  struct survey_quota **out, int *n, struct error *e)
{
	struct store_val args[] = {sv_int(survey_id)};
	struct store_rows *r;
	int64_t count = 0;
	int rc;

	*n = 0;
	if ((rc = store_query_int(c, &q_quota_any, args, 1, &count, e)))
		return rc;
	*out = arena_calloc(a, ((size_t)count + 1) * sizeof(**out));
	if ((rc = store_query(c, &q_quota_list, args, 1, &r, e)))
		return rc;
	while ((rc = store_next(r)) > 0 && *n < count) {
		struct survey_quota *q = &(*out)[(*n)++];

		q->unit_id = store_int(r, 0);
		q->unit_name = arena_strdup(a, store_text(r, 1));
		q->age_group = arena_strdup(a, store_text(r, 2));
		q->sex = arena_strdup(a, store_text(r, 3));
		q->target = store_int(r, 4);
		q->count = store_int(r, 5);
	}
	store_finish(r);
	return rc < 0 ? error_set(e, rc, NULL, NULL) : 0;
}

int survey_quotas_replace(struct store_conn *c, int64_t survey_id, const struct survey_quota *q,
                          int n, struct error *e)
{
	struct store_val args[5] = {sv_int(survey_id)};
	int i, rc = store_exec(c, &q_quota_clear, args, 1, NULL, e);

	for (i = 0; !rc && i < n; i++) {
		args[1] = sv_int(q[i].unit_id);
		args[2] = sv_text(q[i].age_group);
		args[3] = sv_text(q[i].sex);
		args[4] = sv_int(q[i].target);
		rc = store_exec(c, &q_quota_insert, args, 5, NULL, e);
	}
	return rc;
}

int survey_quota_room(struct store_conn *c, int64_t survey_id, int64_t unit_id,
                      const char *age_group, const char *sex, int *full, int *listed,
                      struct error *e)
{
	struct store_val one[] = {sv_int(survey_id)};
	struct store_val two[] = {sv_int(survey_id), sv_int(unit_id)};
	struct store_val four[] = {sv_int(survey_id), sv_int(unit_id), sv_text(age_group),
	                           sv_text(sex)};
	int64_t any = 0, in = 0, met = 0;
	int rc;

	*full = 0;
	*listed = 1;
	if ((rc = store_query_int(c, &q_quota_any, one, 1, &any, e)) || !any)
		return rc;
	if ((rc = store_query_int(c, &q_quota_listed, two, 2, &in, e)))
		return rc;
	*listed = in > 0;
	if (!in)
		return 0;
	if ((rc = store_query_int(c, &q_quota_full, four, 4, &met, e)))
		return rc;
	*full = met > 0;
	return 0;
}

STORE_SQL(
    q_comm_quota,
    "SELECT DISTINCT u.id, u.name, COALESCE(pu.name, ''),"
    " (SELECT COALESCE(SUM(q2.target), 0) FROM survey_quotas q2 WHERE q2.survey_id = q.survey_id"
    " AND q2.unit_id = u.id AND q2.age_group = '' AND q2.sex = ''), u.sort"
    " FROM survey_quotas q JOIN units u ON u.id = q.unit_id"
    " LEFT JOIN units pu ON pu.id = u.parent_id WHERE q.survey_id = ? ORDER BY u.sort, u.name");
STORE_SQL(q_comm_all, "SELECT u.id, u.name, COALESCE(pu.name, ''), 0, u.sort FROM units u"
                      " LEFT JOIN units pu ON pu.id = u.parent_id"
                      " WHERE u.tenant_id = ? AND u.kind = 'community' AND u.enabled = 1"
                      " ORDER BY u.sort, u.name");

int survey_communities(struct store_conn *c, int64_t tenant_id, int64_t survey_id, struct arena *a,
                       struct survey_unit **out, int *n, struct error *e)
{
	struct store_val one[] = {sv_int(survey_id)}, t[] = {sv_int(tenant_id)};
	struct store_rows *r;
	int64_t any = 0;
	int rc, cap = 0;

	*n = 0;
	if ((rc = store_query_int(c, &q_quota_any, one, 1, &any, e)))
		return rc;
	if ((rc = any ? store_query(c, &q_comm_quota, one, 1, &r, e)
	              : store_query(c, &q_comm_all, t, 1, &r, e)))
		return rc;
	*out = arena_grow(a, NULL, 0, &cap, sizeof(**out));
	while ((rc = store_next(r)) > 0) {
		struct survey_unit *u;

		*out = arena_grow(a, *out, *n, &cap, sizeof(**out));
		u = &(*out)[(*n)++];
		u->id = store_int(r, 0);
		u->name = arena_strdup(a, store_text(r, 1));
		u->parent_name = arena_strdup(a, store_text(r, 2));
		u->target = store_int(r, 3);
	}
	store_finish(r);
	return rc < 0 ? error_set(e, rc, NULL, NULL) : 0;
}

STORE_SQL(q_extent, "SELECT COUNT(*), MIN(lo_lat), MAX(hi_lat), MIN(lo_lng), MAX(hi_lng) FROM ("
                    " SELECT min_lat AS lo_lat, max_lat AS hi_lat, min_lng AS lo_lng,"
                    " max_lng AS hi_lng FROM grids WHERE tenant_id = ? AND enabled = 1"
                    " UNION ALL SELECT lat, lat, lng, lng FROM points"
                    " WHERE tenant_id = ? AND lat IS NOT NULL AND lng IS NOT NULL) x");

int survey_extent(struct store_conn *c, int64_t tenant_id, struct survey_extent *x, struct error *e)
{
	struct store_val args[] = {sv_int(tenant_id), sv_int(tenant_id)};
	struct store_rows *r;
	int rc;

	memset(x, 0, sizeof(*x));
	if ((rc = store_query(c, &q_extent, args, 2, &r, e)))
		return rc;
	if ((rc = store_next(r)) > 0 && store_int(r, 0) > 0) {
		x->known = 1;
		x->min_lat = store_double(r, 1);
		x->max_lat = store_double(r, 2);
		x->min_lng = store_double(r, 3);
		x->max_lng = store_double(r, 4);
	}
	store_finish(r);
	return rc < 0 ? error_set(e, rc, NULL, NULL) : 0;
}

/* ---- responses ------------------------------------------------------------------------ */

STORE_SQL(q_resp_insert,
          "INSERT INTO survey_responses (survey_id, tenant_id, unit_id, channel, device,"
          " client_key, surveyor_id, ip, phone, age_group, sex, lat, lng, duration_ms, answers,"
          " flags, review, submitted_at)"
          " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?) RETURNING id");
STORE_SQL(q_resp_by_key, "SELECT id, COALESCE(surveyor_id, 0) FROM survey_responses"
                         " WHERE survey_id = ? AND client_key = ?");
STORE_SQL(q_resp_device,
          "SELECT COUNT(*) FROM survey_responses WHERE survey_id = ? AND device = ?");
STORE_SQL(q_resp_address, "SELECT COUNT(*) FROM survey_responses WHERE survey_id = ? AND ip = ?"
                          " AND channel = 'public'");

int survey_response_insert(struct store_conn *c, struct survey_response *r, struct error *e)
{
	char flags[64];

	survey_flags_text(r->flags, flags);
	{
		struct store_val args[] = {sv_int(r->survey_id),
		                           sv_int(r->tenant_id),
		                           sv_int(r->unit_id),
		                           sv_text(r->channel),
		                           sv_text(r->device),
		                           sv_text(r->client_key),
		                           opt_id(r->surveyor_id),
		                           sv_text(r->ip ? r->ip : ""),
		                           sv_text(r->phone ? r->phone : ""),
		                           sv_text(r->age_group ? r->age_group : ""),
		                           sv_text(r->sex ? r->sex : ""),
		                           r->has_location ? sv_double(r->lat) : sv_null(),
		                           r->has_location ? sv_double(r->lng) : sv_null(),
		                           sv_int(r->duration_ms),
		                           sv_text(r->answers),
		                           sv_text(flags),
		                           sv_int(r->submitted_at)};

		return store_query_int(c, &q_resp_insert, args, 17, &r->id, e);
	}
}

int survey_response_by_key(struct store_conn *c, int64_t survey_id, const char *key, int64_t *id,
                           int64_t *surveyor_id, struct error *e)
{
	struct store_val args[] = {sv_int(survey_id), sv_text(key)};
	struct store_rows *r;
	int rc;

	*id = *surveyor_id = 0;
	if ((rc = store_query(c, &q_resp_by_key, args, 2, &r, e)))
		return rc;
	if ((rc = store_next(r)) > 0) {
		*id = store_int(r, 0);
		*surveyor_id = store_int(r, 1);
	}
	store_finish(r);
	return rc < 0 ? error_set(e, rc, NULL, NULL) : 0;
}

int survey_device_seen(struct store_conn *c, int64_t survey_id, const char *device, int *seen,
                       struct error *e)
{
	struct store_val args[] = {sv_int(survey_id), sv_text(device)};
	int64_t n = 0;
	int rc = store_query_int(c, &q_resp_device, args, 2, &n, e);

	*seen = n > 0;
	return rc;
}

int survey_address_count(struct store_conn *c, int64_t survey_id, const char *ip, int64_t *n,
                         struct error *e)
{
	struct store_val args[] = {sv_int(survey_id), sv_text(ip)};

	return store_query_int(c, &q_resp_address, args, 2, n, e);
}

#define RESP_COLS                                                                                  \
	"r.id, r.survey_id, r.tenant_id, r.unit_id, u.name, r.channel, COALESCE(r.device, ''),"    \
	" COALESCE(r.client_key, ''), r.ip, r.phone, r.age_group, r.sex,"                          \
	" COALESCE(r.surveyor_id, 0), COALESCE(us.name, ''), r.lat, r.lng, r.duration_ms,"         \
	" r.answers, r.flags, r.review, r.review_note, COALESCE(r.reviewed_by, 0),"                \
	" COALESCE(r.reviewed_at, 0), r.submitted_at"
#define RESP_FROM                                                                                  \
	" FROM survey_responses r JOIN units u ON u.id = r.unit_id"                                \
	" LEFT JOIN users us ON us.id = r.surveyor_id WHERE r.survey_id = ?"
#define RESP_WHERE                                                                                 \
	RESP_FROM " AND (? = 0 OR r.flags <> '') AND (? = 'any' OR r.review = ?)"                  \
	          " AND (CAST(? AS BIGINT) = 0 OR r.unit_id = ?)"

STORE_SQL(q_resp_count, "SELECT COUNT(*)" RESP_WHERE);
STORE_SQL(q_resp_page, "SELECT " RESP_COLS RESP_WHERE " ORDER BY r.id LIMIT ? OFFSET ?");
STORE_SQL(q_resp_get, "SELECT " RESP_COLS RESP_FROM " AND r.id = ?");
STORE_SQL(q_resp_review, "UPDATE survey_responses SET review = ?, review_note = ?,"
                         " reviewed_by = ?, reviewed_at = ? WHERE id = ?");
STORE_SQL(q_resp_sets, "SELECT unit_id, answers FROM survey_responses"
                       " WHERE survey_id = ? AND review <> 'rejected' ORDER BY id");
STORE_SQL(q_resp_total, "SELECT COUNT(*) FROM survey_responses WHERE survey_id = ?");

static void resp_read(struct store_rows *r, struct arena *a, struct survey_response *x)
{
	memset(x, 0, sizeof(*x));
	x->id = store_int(r, 0);
	x->survey_id = store_int(r, 1);
	x->tenant_id = store_int(r, 2);
	x->unit_id = store_int(r, 3);
	x->unit_name = arena_strdup(a, store_text(r, 4));
	x->channel = arena_strdup(a, store_text(r, 5));
	x->device = arena_strdup(a, store_text(r, 6));
	x->client_key = arena_strdup(a, store_text(r, 7));
	x->ip = arena_strdup(a, store_text(r, 8));
	x->phone = arena_strdup(a, store_text(r, 9));
	x->age_group = arena_strdup(a, store_text(r, 10));
	x->sex = arena_strdup(a, store_text(r, 11));
	x->surveyor_id = store_int(r, 12);
	x->surveyor_name = arena_strdup(a, store_text(r, 13));
	x->has_location = !store_isnull(r, 14) && !store_isnull(r, 15);
	x->lat = x->has_location ? store_double(r, 14) : 0;
	x->lng = x->has_location ? store_double(r, 15) : 0;
	x->duration_ms = store_int(r, 16);
	x->answers = arena_strdup(a, store_text(r, 17));
	x->flags = survey_flags_parse(store_text(r, 18));
	x->review = arena_strdup(a, store_text(r, 19));
	x->review_note = arena_strdup(a, store_text(r, 20));
	x->reviewed_by = store_int(r, 21);
	x->reviewed_at = store_int(r, 22);
	x->submitted_at = store_int(r, 23);
}

int survey_response_list(struct store_conn *c, int64_t survey_id,
                         const struct survey_response_filter *f, struct arena *a,
                         struct survey_response **out, int *n, int64_t *total, struct error *e)
{
	const char *review = f->review ? f->review : "any";
	struct store_val args[] = {sv_int(survey_id),
	                           sv_int(f->flagged),
	                           sv_text(review),
	                           sv_text(review),
	                           sv_int(f->unit_id),
	                           sv_int(f->unit_id),
	                           sv_int(f->limit ? f->limit : INT64_MAX / 2),
	                           sv_int(f->offset)};
	struct store_rows *r;
	int rc, cap;

	*n = 0;
	if ((rc = store_query_int(c, &q_resp_count, args, 6, total, e)))
		return rc;
	cap = (int)(f->limit && f->limit < *total ? f->limit : *total) + 1;
	*out = arena_calloc(a, (size_t)cap * sizeof(**out));
	if ((rc = store_query(c, &q_resp_page, args, 8, &r, e)))
		return rc;
	while ((rc = store_next(r)) > 0 && *n < cap)
		resp_read(r, a, &(*out)[(*n)++]);
	store_finish(r);
	return rc < 0 ? error_set(e, rc, NULL, NULL) : 0;
}

int survey_response_get(struct store_conn *c, int64_t survey_id, int64_t id, struct arena *a,
                        struct survey_response *out, struct error *e)
{
	struct store_val args[] = {sv_int(survey_id), sv_int(id)};
	struct store_rows *r;
	int rc;

	if ((rc = store_query(c, &q_resp_get, args, 2, &r, e)))
		return rc;
	rc = store_next(r);
	if (rc > 0) {
		resp_read(r, a, out);
		rc = 0;
	} else {
		rc = rc ? error_set(e, rc, NULL, NULL)
		        : error_set(e, ERR_NOT_FOUND, NULL, "答卷不存在");
	}
	store_finish(r);
	return rc;
}

int survey_response_review(struct store_conn *c, int64_t id, const char *review, const char *note,
                           int64_t user_id, int64_t now, struct error *e)
{
	struct store_val args[] = {sv_text(review), sv_text(note), opt_id(user_id), sv_int(now),
	                           sv_int(id)};

	return store_exec(c, &q_resp_review, args, 5, NULL, e);
}

int survey_answersets(struct store_conn *c, int64_t survey_id, struct arena *a,
                      struct survey_answerset **out, int *n, struct error *e)
{
	struct store_val args[] = {sv_int(survey_id)};
	struct store_rows *r;
	int rc, cap = 256;

	*n = 0;
	*out = malloc((size_t)cap * sizeof(**out));
	(void)a;
	if (!*out)
		return error_set(e, ERR_INTERNAL, NULL, NULL);
	if ((rc = store_query(c, &q_resp_sets, args, 1, &r, e)))
		return rc;
	while ((rc = store_next(r)) > 0) {
		const char *text = store_text(r, 1);
		json_t *j = json_loads(text, 0, NULL);

		if (!j)
			continue;
		if (*n == cap) {
			struct survey_answerset *bigger =
			    realloc(*out, (size_t)cap * 2 * sizeof(**out));

			if (!bigger) {
				json_decref(j);
				rc = ERR_INTERNAL;
				break;
			}
			*out = bigger;
			cap *= 2;
		}
		(*out)[*n].unit_id = store_int(r, 0);
		(*out)[*n].answers = j;
		(*n)++;
	}
	store_finish(r);
	return rc < 0 ? error_set(e, rc, NULL, NULL) : 0;
}

void survey_answersets_release(struct survey_answerset *rows, int n)
{
	int i;

	for (i = 0; i < n; i++)
		json_decref(rows[i].answers);
	free(rows);
}

int64_t survey_response_count(struct store_conn *c, int64_t survey_id, struct error *e)
{
	struct store_val args[] = {sv_int(survey_id)};
	int64_t n = 0;

	store_query_int(c, &q_resp_total, args, 1, &n, e);
	return n;
}

STORE_SQL(q_unit_in_tenant, "SELECT COUNT(*) FROM units WHERE tenant_id = ? AND id = ?");

/* *found = 1 when unit_id is a unit of tenant_id (a quota's community), else 0. */
int survey_unit_exists(struct store_conn *c, int64_t tenant_id, int64_t unit_id, int64_t *found,
                       struct error *e)
{
	struct store_val args[2] = {sv_int(tenant_id), sv_int(unit_id)};

	return store_query_int(c, &q_unit_in_tenant, args, 2, found, e);
}

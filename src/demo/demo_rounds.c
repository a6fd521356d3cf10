/*
 * demo_rounds.c - the demo county's inspection rounds: two 模拟测评 a month
 * apart, sampled with the same seed so they visit the same points (the
 * second finds fewer failures: the comparison shows the work paying off),
 * both finished, and a 日常督查 that started two days ago with about half
 * of its points done.  Each inspector fills the checklist of the points the
 * round gave it; a failed item becomes a problem (source inspection) with
 * a photo, as POST /inspections/{id}/records does, and joins the loop
 * (demo_loop.c).  The office opens and closes the rounds.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "auth/auth.h"
#include "core/clock.h"
#include "demo/demo_int.h"
#include "inspect/inspect.h"
#include "inspect/score.h"
#include "master/master.h"
#include "problem/problem.h"
#include "store/store.h"

#define MAX_ROUND_POINTS 128

struct demo_round {
	struct demo_actor actor;
	const char *title, *kind, *note;
	int per_type, first_inspector, ninspectors;
	int64_t seed;
	int opens_day;  /* days after the play's start */
	int days;       /* how long the visits take */
	int pass_pct;   /* share of items passed */
	int finish_pct; /* share of points visited by the end of the play */
	/* as played */
	int64_t id, opened_at;
	int npoints, next_point;
	int64_t points[MAX_ROUND_POINTS], inspector_of[MAX_ROUND_POINTS];
};

static struct demo_round rounds[3] = {
    {.title = "第一次模拟测评",
     .kind = "mock",
     .note = "按全国县级文明城市测评体系，每类点位随机抽取 2 个",
     .per_type = 2,
     .first_inspector = 0,
     .ninspectors = 6,
     .seed = 20260901,
     .opens_day = 28,
     .days = 3,
     .pass_pct = 80,
     .finish_pct = 100},
    {.title = "第二次模拟测评",
     .kind = "mock",
     .note = "与第一次模拟测评同一批点位，检验整改成效",
     .per_type = 2,
     .first_inspector = 0,
     .ninspectors = 6,
     .seed = 20260901,
     .opens_day = 58,
     .days = 3,
     .pass_pct = 90,
     .finish_pct = 100},
    {.title = "本周日常督查",
     .kind = "daily",
     .note = "督查组分片巡查，发现问题即时交办",
     .per_type = 1,
     .first_inspector = 6,
     .ninspectors = 4,
     .seed = 20261101,
     .opens_day = 88,
     .days = 5,
     .pass_pct = 82,
     .finish_pct = 50},
};

static int id_cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* per_type points of each point type drawn with the round's seed, as the sample mode does. */
static int draw_points(struct demo_play *d, struct demo_round *r)
{
	struct point_filter pf;
	struct point *all;
	int64_t total, *ids, *drawn, seen[64];
	int nall, nseen = 0, i, j, k, rc;

	memset(&pf, 0, sizeof(pf));
	pf.enabled = 1;
	if ((rc = point_list(d->c, d->tenant_id, &pf, &d->arena, &all, &nall, &total, d->e)))
		return rc;
	ids = arena_calloc(&d->arena, (size_t)(nall + 1) * sizeof(int64_t));
	drawn = arena_calloc(&d->arena, (size_t)(nall + 1) * sizeof(int64_t));
	r->npoints = 0;
	for (k = 0; k < nall; k++) {
		int64_t type = all[k].type_id;
		int n = 0, got;

		for (j = 0; j < nseen && seen[j] != type; j++)
			;
		if (j < nseen || nseen == 64)
			continue;
		seen[nseen++] = type;
		for (i = 0; i < nall; i++)
			if (all[i].type_id == type)
				ids[n++] = all[i].id;
		qsort(ids, (size_t)n, sizeof(int64_t), id_cmp);
		got = sample_draw(ids, n, r->per_type, (uint64_t)r->seed, (uint64_t)type, drawn);
		for (i = 0; i < got && r->npoints < MAX_ROUND_POINTS; i++)
			r->points[r->npoints++] = drawn[i];
	}
	for (i = 0; i < r->npoints; i++)
		r->inspector_of[i] =
		    d->inspectors[r->first_inspector + share_block(i, r->npoints, r->ninspectors)];
	return 0;
}

/* "2026-09-29" of ms in China time. */
static const char *local_date(struct demo_play *d, int64_t ms)
{
	time_t t = (time_t)(ms / 1000) + 8 * 3600;
	struct tm tm;
	char buf[16];

	gmtime_r(&t, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%d", &tm);
	return arena_strdup(&d->arena, buf);
}

/* The office opens the round: its row, inspectors and points (as POST /inspections). */
static int open_round(struct demo_play *d, struct demo_round *r)
{
	const struct principal *office = demo_who(d, d->office[0]);
	int64_t now = time_now_ms();
	struct round x;
	int i, rc;

	if ((rc = draw_points(d, r)))
		return rc;
	memset(&x, 0, sizeof(x));
	x.framework_id = d->framework_id;
	x.title = r->title;
	x.kind = r->kind;
	x.starts_on = local_date(d, now);
	x.ends_on = local_date(d, now + (r->days - 1) * DEMO_DAY);
	x.note = r->note;
	x.mode = "sample";
	x.per_type = r->per_type;
	x.seed = r->seed;
	x.point_type_ids = "[]";
	x.created_by = office->user_id;
	if ((rc = round_insert(d->c, d->tenant_id, &x, d->e)))
		return rc;
	r->id = x.id;
	for (i = 0; !rc && i < r->ninspectors; i++)
		rc =
		    round_add_inspector(d->c, x.id, d->inspectors[r->first_inspector + i], i, d->e);
	for (i = 0; !rc && i < r->npoints; i++)
		rc = round_add_point(d->c, x.id, r->points[i], r->inspector_of[i], i + 1, d->e);
	if (!rc)
		rc =
		    demo_audit(d, office, "inspection.create", "inspection", x.id,
		               json_pack("{s:s, s:s, s:s, s:i, s:i, s:I}", "title", x.title, "kind",
		                         x.kind, "mode", x.mode, "points", r->npoints, "inspectors",
		                         r->ninspectors, "seed", (json_int_t)x.seed));
	r->opened_at = now;
	d->rounds++;
	return rc;
}

/* A failed observation's problem, as the records route reports it, handed to the loop. */
static int observation_problem(struct demo_play *d, struct demo_round *r,
                               const struct principal *insp, const struct record *rec,
                               const struct round_point *pt, struct observation *o)
{
	struct round x;
	json_t *summary;
	int rc;

	memset(&x, 0, sizeof(x));
	x.id = r->id;
	x.kind = r->kind;
	if ((rc = record_observation_problem(d->c, d->tenant_id, &x, rec, pt, o, insp->unit_id, 480,
	                                     &d->arena, &summary, d->e)) ||
	    (rc = demo_audit(d, insp, "problem.create", "problem", o->problem_id, summary)))
		return rc;
	d->problems++;
	return demo_loop_adopt(d, o->problem_id, insp->user_id, o->category_id, rec->lat, rec->lng);
}

static const char *const fail_notes[] = {"", "现场多处", "整改不到位", "群众有反映"};

/* The inspector of point i visits it: a record with the whole checklist (as POST .../records). */
static int visit_point(struct demo_play *d, struct demo_round *r, int i)
{
	const struct principal *insp = demo_who(d, r->inspector_of[i]);
	struct round_point_filter f;
	struct round_point *pts;
	struct checklist_item *items;
	struct observation *obs;
	struct record rec;
	int64_t total, now = time_now_ms();
	int n, nitems, k, rc, failed = 0;

	memset(&f, 0, sizeof(f));
	f.point_id = r->points[i];
	f.done = -1;
	if ((rc = round_points(d->c, r->id, &f, &d->arena, &pts, &n, &total, d->e)))
		return rc;
	if (n != 1 || !insp)
		return error_set(d->e, ERR_INTERNAL, NULL, "demo: a round point is missing");
	if ((rc = checklist_list(d->c, d->framework_id, pts[0].type_id, &d->arena, &items, &nitems,
	                         d->e)))
		return rc;
	if (nitems == 0)
		return 0;
	memset(&rec, 0, sizeof(rec));
	rec.inspection_id = r->id;
	rec.point_id = pts[0].point_id;
	rec.inspector_id = insp->user_id;
	rec.client_key =
	    arena_printf(&d->arena, "demo-%lld-%lld", (long long)r->id, (long long)pts[0].point_id);
	rec.has_location = pts[0].has_location;
	rec.lat = pts[0].lat;
	rec.lng = pts[0].lng;
	rec.captured_at = now - 10 * 60000;
	rec.submitted_at = rec.updated_at = now;
	rec.note = "";
	if ((rc = record_insert(d->c, &rec, d->e)))
		return rc;
	obs = arena_calloc(&d->arena, (size_t)nitems * sizeof(*obs));
	for (k = 0; k < nitems && !rc; k++) {
		struct observation *o = &obs[k];
		int roll = demo_rand(d, 100);

		o->item_id = items[k].id;
		o->standard_id = items[k].standard_id;
		o->category_id = items[k].category_id;
		o->item_title = items[k].title;
		o->count = 1;
		o->note = "";
		o->rating = roll < r->pass_pct ? RATING_PASS
		            : roll < 95        ? RATING_FAIL
		            : roll < 98        ? RATING_SEVERE
		                               : RATING_NA;
		if (o->rating == RATING_FAIL || o->rating == RATING_SEVERE) {
			o->count = 1 + demo_rand(d, 4);
			o->note = fail_notes[demo_rand(d, 4)];
			if (o->category_id &&
			    (rc = demo_photo(d, insp->user_id, now - 15 * 60000,
			                     rec.lat + (k % 5) * 0.00003, rec.lng,
			                     (uint64_t)o->item_id * 7919 + (uint64_t)r->id,
			                     "测评照片.jpg", &o->photos[0])))
				break;
			o->nphotos = o->category_id ? 1 : 0;
		}
		rc = observation_insert(d->c, r->id, rec.id, o, k, d->e);
		if (!rc && o->category_id &&
		    (o->rating == RATING_FAIL || o->rating == RATING_SEVERE)) {
			rc = observation_problem(d, r, insp, &rec, &pts[0], o);
			failed++;
		}
	}
	if (!rc)
		rc = demo_audit(d, insp, "inspection_record.create", "inspection_record", rec.id,
		                json_pack("{s:I, s:I, s:s, s:i, s:i}", "inspection_id",
		                          (json_int_t)r->id, "point_id", (json_int_t)rec.point_id,
		                          "client_key", rec.client_key, "observations", nitems,
		                          "problems", failed));
	d->records++;
	return rc;
}

/* Open, then one point at a time through the days of the round, then close. */
static int step_round(struct demo_play *d, struct demo_actor *x)
{
	struct demo_round *r = (struct demo_round *)x;
	int visits = r->npoints * r->finish_pct / 100, rc;

	if (!r->id) {
		if ((rc = open_round(d, r)))
			return rc;
		visits = r->npoints * r->finish_pct / 100;
	} else if (r->next_point < visits) {
		if ((rc = visit_point(d, r, r->next_point)))
			return rc;
		r->next_point++;
	} else {
		const struct principal *office = demo_who(d, d->office[0]);

		x->next_at = 0;
		if ((rc = round_set_status(d->c, r->id, "closed", time_now_ms(), d->e)))
			return rc;
		return demo_audit(d, office, "inspection.close", "inspection", r->id,
		                  json_pack("{s:s}", "title", r->title));
	}
	if (r->next_point < visits) {
		/* the visits spread over the round's days, working hours only */
		int per_day = (r->npoints + r->days - 1) / r->days, day = r->next_point / per_day;
		int64_t slot = (9 * 60 + (r->next_point % per_day) * (8 * 60) / per_day) * 60000LL;

		x->next_at = r->opened_at - 8 * DEMO_HOUR - 30 * 60000 + day * DEMO_DAY + slot +
		             demo_rand(d, 20) * 60000LL;
		if (x->next_at <= time_now_ms())
			x->next_at = time_now_ms() + 10 * 60000;
	} else if (r->finish_pct >= 100) {
		x->next_at = r->opened_at + r->days * DEMO_DAY +
		             8 * DEMO_HOUR; /* closed after the last day */
	} else {
		x->next_at = 0; /* still in progress */
	}
	return 0;
}

int demo_rounds_plan(struct demo_play *d)
{
	/* local midnight of the play's first day, then 09:00 on the round's day */
	int64_t day0 = d->start + 8 * DEMO_HOUR;
	int i, rc = 0;

	day0 = day0 - day0 % DEMO_DAY - 8 * DEMO_HOUR;
	for (i = 0; !rc && i < 3; i++) {
		struct demo_round *r = &rounds[i];

		r->id = 0;
		r->next_point = 0;
		r->npoints = 0;
		r->actor.step = step_round;
		r->actor.next_at = day0 + r->opens_day * DEMO_DAY + 9 * DEMO_HOUR - 30 * 60000;
		rc = demo_add_actor(d, &r->actor);
	}
	return rc;
}

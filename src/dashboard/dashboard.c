/*
 * dashboard.c - the dashboard's figures composed from the modules that own
 * them.  Each part of the predicted total is what its own endpoint answers:
 *
 *   field          round_score_load's predicted (GET /inspections/{id}/score)
 *                  of the newest round of the active framework with records,
 *                  a mock evaluation winning a tie with daily inspections
 *   questionnaire  survey_results_load's predicted (GET /surveys/{id}/results)
 *                  of the newest non-draft survey of the framework with answers
 *   materials      materials_score's predicted (GET /materials/score)
 *
 * A part without data is {score: null, reason}.  The fixes (at_risk) are
 * modelled in docs/dashboard.md; each says what it regains and why.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth/auth.h"
#include "core/clock.h"
#include "dashboard/dashboard.h"
#include "inspect/inspect.h"
#include "materials/materials.h"
#include "org/org.h"
#include "ranking/ranking.h"
#include "settings/settings.h"
#include "survey/survey.h"
#include "system/tenants.h"

#define DAY_MS  (24LL * 3600 * 1000)
#define WEEK_MS (7 * DAY_MS)

struct dash {
	struct store_conn *c;
	int64_t tenant_id, now, framework_id;
	int tz;
	struct arena *a;
	struct error *e;
	struct unit *units;
	int nunits;
	json_t *fixes; /* at_risk lines, unsorted */
};

static double r2(double v)
{
	return round(v * 100) / 100;
}

static double r4(double v)
{
	return round(v * 10000) / 10000;
}

/* "YYYY-MM-DD" of ms in the tenant's calendar. */
static const char *day_text(const struct dash *d, int64_t ms)
{
	int64_t local = ms + (int64_t)d->tz * 60000;
	time_t t = (time_t)((local - ((local % DAY_MS) + DAY_MS) % DAY_MS) / 1000);
	char buf[11];
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%d", &tm);
	return arena_strdup(d->a, buf);
}

void dashboard_week_of(int64_t ms, int tz_minutes, char out[11], int64_t *start)
{
	int64_t local = ms + (int64_t)tz_minutes * 60000, days = local / DAY_MS, monday;
	time_t t;
	struct tm tm;

	if (local < 0 && local % DAY_MS)
		days--;
	/* 1970-01-01 was a Thursday: (days + 3) % 7 is 0 on Mondays */
	monday = days - (((days + 3) % 7) + 7) % 7;
	t = (time_t)(monday * 86400);
	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
	*start = monday * DAY_MS - (int64_t)tz_minutes * 60000;
}

static const struct unit *unit_of(const struct dash *d, int64_t id)
{
	int i;

	for (i = 0; id && i < d->nunits; i++)
		if (d->units[i].id == id)
			return &d->units[i];
	return NULL;
}

static json_t *missing_part(double max, const char *reason)
{
	return json_pack("{s:n, s:f, s:n, s:n, s:s}", "score", "max", r2(max), "date", "basis",
	                 "reason", reason);
}

/* ---- a fix line ------------------------------------------------------------------ */

/*
 * One line of at_risk: what to do, the points it regains, the things to do
 * (effort), the unit and its 包抓领导, the records behind it and the page.
 */
static void fix_add(struct dash *d, const char *kind, const char *action, double points, int effort,
                    int64_t unit_id, const char *unit_name, json_t *ids, const char *record_kind,
                    const char *link, int estimate)
{
	const struct unit *u = unit_of(d, unit_id);

	if (points <= 0 || effort <= 0) {
		json_decref(ids);
		return;
	}
	json_array_append_new(
	    d->fixes,
	    json_pack("{s:s, s:s, s:f, s:i, s:f, s:o, s:s, s:o, s:o, s:s, s:s, s:b}", "kind", kind,
	              "action", action, "points", r4(points), "effort", effort, "per_effort",
	              r4(points / effort), "unit_id", unit_id ? json_integer(unit_id) : json_null(),
	              "unit_name", u ? u->name : (unit_name ? unit_name : ""), "leader",
	              u && u->leader && *u->leader ? json_string(u->leader) : json_null(), "ids",
	              ids, "record_kind", record_kind, "link", link, "estimate", estimate));
}

static int by_per_effort(const void *x, const void *y)
{
	json_t *a = *(json_t *const *)x, *b = *(json_t *const *)y;
	double pa = json_real_value(json_object_get(a, "per_effort")),
	       pb = json_real_value(json_object_get(b, "per_effort"));
	double ta = json_real_value(json_object_get(a, "points")),
	       tb = json_real_value(json_object_get(b, "points"));

	if (pa != pb)
		return pa < pb ? 1 : -1;
	if (ta != tb)
		return ta < tb ? 1 : -1;
	return strcmp(json_string_value(json_object_get(a, "action")),
	              json_string_value(json_object_get(b, "action")));
}

/* ---- field --------------------------------------------------------------------- */

/* The newest round of the framework with records: a mock one wins a tie with the others. */
static int field_pick(struct dash *d, int64_t *pick)
{
	struct round_filter f;
	struct round *list;
	const char *best = NULL;
	int64_t total;
	int i, n, best_mock = 0;

	*pick = 0;
	memset(&f, 0, sizeof(f));
	f.framework_id = d->framework_id;
	f.limit = DASH_SCAN;
	if (round_list(d->c, d->tenant_id, &f, d->a, &list, &n, &total, d->e))
		return -1;
	for (i = 0; i < n; i++) {
		int64_t done = 0, all = 0;
		int mock = !strcmp(list[i].kind, "mock"), cmp;
		const char *when = list[i].ends_on && *list[i].ends_on ? list[i].ends_on : "";

		if (round_progress(d->c, list[i].id, NULL, &done, &all, d->e))
			return -1;
		if (!done)
			continue;
		cmp = best ? strcmp(when, best) : 1;
		if (cmp > 0 || (cmp == 0 && mock && !best_mock)) {
			best = when;
			best_mock = mock;
			*pick = list[i].id;
		}
	}
	return 0;
}

/*
 * Re-inspecting a failed observation after its fix rates it 合格: its
 * standard regains the share score_observation_lost gives it, and the
 * prediction (total x score / observed weight) that share rescaled.  One
 * line per point type and responsible unit.
 */
static void field_fixes(struct dash *d, const struct round_score *rs)
{
	const struct score_result *r = &rs->result;
	struct group {
		int64_t type_id, unit_id;
		const char *type_name, *unit_name;
		double points;
		int n, nproblems;
		json_t *problems, *observations, *points_ids;
	} *g = arena_calloc(d->a, sizeof(*g) * (size_t)(rs->nobs + 1));
	int ng = 0, k, i, s;

	if (r->observed_weight <= 0)
		return;
	for (k = 0; k < rs->nobs; k++) {
		const struct scored_obs *o = &rs->obs[k];
		double gain;

		if (o->credit < 0 || o->credit >= 1)
			continue;
		for (s = 0; s < r->nstandards && r->standards[s].id != o->standard_id; s++)
			;
		if (s == r->nstandards)
			continue;
		gain =
		    score_observation_lost(r, s, o->credit) * r->total_weight / r->observed_weight;
		for (i = 0; i < ng && !(g[i].type_id == o->type_id && g[i].unit_id == o->unit_id);
		     i++)
			;
		if (i == ng) {
			g[i].type_id = o->type_id;
			g[i].unit_id = o->unit_id;
			g[i].type_name = o->type_name ? o->type_name : "";
			g[i].unit_name = o->unit_name ? o->unit_name : "";
			g[i].problems = json_array();
			g[i].observations = json_array();
			g[i].points_ids = json_array();
			ng++;
		}
		g[i].points += gain;
		g[i].n++;
		json_array_append_new(g[i].observations, json_integer(o->id));
		if (o->problem_id) {
			json_array_append_new(g[i].problems, json_integer(o->problem_id));
			g[i].nproblems++;
		}
		json_array_append_new(g[i].points_ids, json_integer(o->point_id));
	}
	for (i = 0; i < ng; i++) {
		const char *action =
		    arena_printf(d->a, "整改%s点位的 %d 处失分项（%d 个问题）并复查合格",
		                 g[i].type_name, g[i].n, g[i].nproblems);
		json_t *ids = json_pack("{s:o, s:o, s:o, s:I}", "problem_ids", g[i].problems,
		                        "observation_ids", g[i].observations, "point_ids",
		                        g[i].points_ids, "inspection_id", (json_int_t)rs->round.id);

		fix_add(
		    d, "field", action, g[i].points, g[i].n, g[i].unit_id, g[i].unit_name, ids,
		    "problem",
		    arena_printf(d->a, "/inspection/rounds/%lld/score", (long long)rs->round.id),
		    1);
	}
}

static int field_part(struct dash *d, double max, json_t **part, json_t *extra)
{
	struct round_score rs;
	struct prediction p;
	int64_t pick;
	const char *kind;

	if (field_pick(d, &pick))
		return -1;
	if (!pick) {
		*part = missing_part(max, "尚无有记录的测评轮次");
		return 0;
	}
	if (round_score_load(d->c, d->tenant_id, NULL, pick, d->a, &rs, d->e)) {
		round_score_release(&rs);
		return -1;
	}
	round_prediction(&rs, &p);
	kind = round_kind_title(rs.round.kind);
	*part =
	    json_pack("{s:f, s:f, s:s, s:{s:s, s:I, s:s, s:s, s:s, s:I, s:I, s:f}, s:n}", "score",
	              r2(rs.result.predicted), "max", r2(rs.result.total_weight), "date",
	              rs.round.ends_on ? rs.round.ends_on : "", "basis", "text",
	              arena_printf(d->a, "%s「%s」（%s 至 %s）已测 %lld/%lld 个点位，覆盖率 %.0f%%",
	                           kind ? kind : rs.round.kind, rs.round.title, rs.round.starts_on,
	                           rs.round.ends_on, (long long)rs.points_done,
	                           (long long)rs.points_total, rs.result.coverage * 100),
	              "inspection_id", (json_int_t)rs.round.id, "kind", rs.round.kind, "title",
	              rs.round.title, "status", rs.round.status, "points_done",
	              (json_int_t)rs.points_done, "points_total", (json_int_t)rs.points_total,
	              "coverage", r4(rs.result.coverage), "reason");
	json_object_set_new(extra, "feature", json_real(r2(p.feature)));
	json_object_set_new(
	    extra, "minors",
	    p.has_minors
	        ? json_pack("{s:f, s:f, s:b, s:b, s:s}", "score", r2(p.minors), "gate",
	                    r2(p.minors_gate), "observed", p.minors_observed, "passed",
	                    p.minors_passed, "text",
	                    p.minors_observed
	                        ? (p.minors_passed ? "未成年人思想道德建设测评达到门槛"
	                                           : "未成年人思想道德建设测评低于门槛，不能命名")
	                        : "未成年人思想道德建设测评尚无观测")
	        : json_null());
	field_fixes(d, &rs);
	round_score_release(&rs);
	return 0;
}

/* ---- questionnaire ------------------------------------------------------------- */

/*
 * Raising the weakest communities to the survey's mean rate: each counted
 * answer there moves the overall rate by its share of the answers times the
 * gap, which moves the predicted part by the answered weight times that.
 * An estimate (answers are not re-collected in the model): marked so.
 */
static void survey_fixes(struct dash *d, const struct survey *s, json_t *res)
{
	json_t *comm = json_object_get(res, "communities"), *v, *ids = json_array();
	double covered = json_number_value(json_object_get(res, "covered_weight"));
	double sum = 0, gain = 0, n_all = 0;
	const char *names[DASH_WEAKEST];
	struct {
		int64_t id;
		double rate, n;
	} weak[DASH_WEAKEST];
	int nweak = 0, i, j;
	size_t k;

	json_array_foreach(comm, k, v)
	{
		json_t *o = json_object_get(v, "overall");
		double n = (double)json_integer_value(json_object_get(o, "n"));

		if (n > 0 && json_is_number(json_object_get(o, "rate"))) {
			sum += n * json_number_value(json_object_get(o, "rate"));
			n_all += n;
		}
	}
	if (n_all <= 0 || covered <= 0) {
		json_decref(ids);
		return;
	}
	/* the DASH_WEAKEST lowest communities under the mean, with 5 answers or more */
	json_array_foreach(comm, k, v)
	{
		json_t *o = json_object_get(v, "overall");
		double n = (double)json_integer_value(json_object_get(o, "n")), rate;

		if (n < 5 || !json_is_number(json_object_get(o, "rate")))
			continue;
		rate = json_number_value(json_object_get(o, "rate"));
		if (rate >= sum / n_all)
			continue;
		for (i = 0; i < nweak && weak[i].rate <= rate; i++)
			;
		if (i >= DASH_WEAKEST)
			continue;
		for (j = nweak < DASH_WEAKEST ? nweak : DASH_WEAKEST - 1; j > i; j--) {
			weak[j] = weak[j - 1];
			names[j] = names[j - 1];
		}
		weak[i].id = json_integer_value(json_object_get(v, "unit_id"));
		weak[i].rate = rate;
		weak[i].n = n;
		names[i] = json_string_value(json_object_get(v, "name"));
		if (nweak < DASH_WEAKEST)
			nweak++;
	}
	if (!nweak) {
		json_decref(ids);
		return;
	}
	for (i = 0; i < nweak; i++) {
		gain += weak[i].n / n_all * (sum / n_all - weak[i].rate);
		json_array_append_new(ids, json_integer(weak[i].id));
	}
	gain *= covered;
	fix_add(d, "questionnaire",
	        arena_printf(d->a, "提升%s%s%s%s%s等 %d 个社区的知晓率和满意度至全县平均（%.1f%%）",
	                     names[0], nweak > 1 ? "、" : "", nweak > 1 ? names[1] : "",
	                     nweak > 2 ? "、" : "", nweak > 2 ? names[2] : "", nweak,
	                     sum / n_all * 100),
	        gain, nweak, nweak == 1 ? weak[0].id : 0, nweak == 1 ? names[0] : "多个社区",
	        json_pack("{s:o, s:I}", "unit_ids", ids, "survey_id", (json_int_t)s->id),
	        "community", arena_printf(d->a, "/surveys/%lld", (long long)s->id), 1);
}

static int questionnaire_part(struct dash *d, double max, json_t **part)
{
	struct survey_filter f;
	struct survey *list;
	int64_t total;
	int i, n;

	memset(&f, 0, sizeof(f));
	f.limit = DASH_SCAN;
	if (survey_list(d->c, d->tenant_id, &f, d->a, &list, &n, &total, d->e))
		return -1;
	for (i = 0; i < n; i++) {
		struct survey s;
		json_t *res;
		int64_t answered;

		if (!strcmp(list[i].status, "draft") || list[i].framework_id != d->framework_id)
			continue;
		if (survey_get(d->c, d->tenant_id, list[i].id, d->a, &s, d->e) ||
		    survey_results_load(d->c, &s, d->a, &res, d->e))
			return -1;
		answered = json_integer_value(json_object_get(res, "n"));
		if (!answered) {
			json_decref(res);
			continue;
		}
		*part =
		    json_pack("{s:f, s:f, s:s, s:{s:s, s:I, s:s, s:s, s:I, s:f}, s:n}", "score",
		              json_number_value(json_object_get(res, "predicted")), "max",
		              r2(json_number_value(json_object_get(res, "total"))), "date",
		              day_text(d, s.closed_at ? s.closed_at : d->now), "basis", "text",
		              arena_printf(d->a, "问卷「%s」%s，有效答卷 %lld 份", s.title,
		                           strcmp(s.status, "closed") ? "收集中" : "已结束",
		                           (long long)answered),
		              "survey_id", (json_int_t)s.id, "title", s.title, "status", s.status,
		              "answers", (json_int_t)answered, "covered_weight",
		              json_number_value(json_object_get(res, "covered_weight")), "reason");
		survey_fixes(d, &s, res);
		json_decref(res);
		return 0;
	}
	*part = missing_part(max, "尚无已发布且有答卷的测评问卷");
	return 0;
}

/* ---- materials ------------------------------------------------------------------ */

/* Approving a standard's items as 完全符合: exactly what materials_item_gains says. */
static int materials_fixes(struct dash *d)
{
	struct material_gain *g;
	int n, i, k;
	char *done;

	if (materials_item_gains(d->c, d->tenant_id, d->framework_id, d->a, &g, &n, d->e))
		return -1;
	done = arena_calloc(d->a, (size_t)n + 1);
	for (i = 0; i < n; i++) {
		json_t *ids;
		double points = 0;
		int effort = 0;

		if (done[i])
			continue;
		ids = json_array();
		for (k = i; k < n; k++)
			if (!done[k] && g[k].standard_id == g[i].standard_id &&
			    g[k].lead_unit_id == g[i].lead_unit_id) {
				done[k] = 1;
				points += g[k].gain;
				effort++;
				json_array_append_new(ids, json_integer(g[k].item_id));
			}
		fix_add(d, "materials",
		        arena_printf(d->a, "推动测评标准 %s 的 %d 项申报材料审核通过（完全符合）",
		                     g[i].standard_code, effort),
		        points, effort, g[i].lead_unit_id, g[i].lead_unit_name,
		        json_pack("{s:o}", "material_ids", ids), "material", "/materials/score", 0);
	}
	return 0;
}

static int materials_part(struct dash *d, double max, json_t **part)
{
	json_t *ms;
	int64_t items;

	if (materials_score(d->c, d->tenant_id, d->framework_id, d->a, &ms, d->e))
		return -1;
	items = json_integer_value(json_object_get(ms, "items"));
	if (!items) {
		json_decref(ms);
		*part = missing_part(max, "尚无申报材料目录");
		return 0;
	}
	*part = json_pack(
	    "{s:f, s:f, s:s, s:{s:s, s:I, s:I, s:s}, s:n}", "score",
	    json_number_value(json_object_get(ms, "predicted")), "max",
	    r2(json_number_value(json_object_get(ms, "total"))), "date", day_text(d, d->now),
	    "basis", "text",
	    arena_printf(d->a, "申报材料 %lld 项，已审核通过 %lld 项（截至 %s）", (long long)items,
	                 (long long)json_integer_value(json_object_get(ms, "approved")),
	                 day_text(d, d->now)),
	    "items", (json_int_t)items, "approved",
	    (json_int_t)json_integer_value(json_object_get(ms, "approved")), "as_of",
	    day_text(d, d->now), "reason");
	json_decref(ms);
	return materials_fixes(d);
}

/* ---- the whole ----------------------------------------------------------------- */

static int predicted_build(struct dash *d, json_t **out)
{
	static const char *const keys[NPARTS] = {"field", "questionnaire", "materials"};
	static const char *const titles[NPARTS] = {"实地考察", "问卷调查", "网上申报"};
	json_t *parts[NPARTS] = {NULL, NULL, NULL}, *extra = json_object(), *missing = json_array();
	double max[NPARTS], sum = 0, all = 0, deduction = 0, net;
	int vetoes = 0, incidents = 0, k, rc = 0;
	char basis[512] = "";

	for (k = 0; k < NPARTS; k++) {
		struct part_weights w;

		if (framework_part_weights(d->c, d->tenant_id, d->framework_id, k, NULL, d->a, &w,
		                           d->e))
			goto fail;
		max[k] = w.total;
	}
	if (field_part(d, max[PART_FIELD], &parts[PART_FIELD], extra) ||
	    questionnaire_part(d, max[PART_QUESTIONNAIRE], &parts[PART_QUESTIONNAIRE]) ||
	    materials_part(d, max[PART_MATERIALS], &parts[PART_MATERIALS]) ||
	    negative_totals(d->c, d->tenant_id, d->framework_id, &deduction, &vetoes, &incidents,
	                    d->e))
		goto fail;
	for (k = 0; k < NPARTS; k++) {
		json_t *sc = json_object_get(parts[k], "score");
		size_t len = strlen(basis);

		all += json_number_value(json_object_get(parts[k], "max"));
		if (json_is_number(sc)) {
			sum += json_number_value(sc);
			snprintf(basis + len, sizeof(basis) - len, "%s%s %.2f", len ? " + " : "",
			         titles[k], json_number_value(sc));
		} else {
			json_array_append_new(missing, json_string(keys[k]));
			snprintf(basis + len, sizeof(basis) - len, "%s%s 缺", len ? " + " : "",
			         titles[k]);
		}
	}
	net = sum + json_number_value(json_object_get(extra, "feature")) - deduction;
	*out = json_pack(
	    "{s:{s:f, s:f, s:s, s:{s:s}, s:b, s:O}, s:o, s:o, s:o,"
	    " s:{s:f, s:i, s:b, s:s}, s:f, s:O, s:f}",
	    "total", "score", r2(sum), "max", r2(all), "date", day_text(d, d->now), "basis", "text",
	    basis, "complete", json_array_size(missing) == 0, "missing", missing, "field",
	    parts[PART_FIELD], "questionnaire", parts[PART_QUESTIONNAIRE], "materials",
	    parts[PART_MATERIALS], "negative", "deduction", r2(deduction), "incidents", incidents,
	    "veto", vetoes > 0, "text",
	    incidents ? (vetoes ? "负面清单事件一票否决" : "负面清单事件扣分") : "无负面清单事件",
	    "feature", json_number_value(json_object_get(extra, "feature")), "minors",
	    json_object_get(extra, "minors") ? json_object_get(extra, "minors") : json_null(),
	    "net", r2(net < 0 ? 0 : net));
	parts[0] = parts[1] = parts[2] = NULL;
	goto out;
fail:
	rc = -1;
	for (k = 0; k < NPARTS; k++)
		json_decref(parts[k]);
out:
	json_decref(extra);
	json_decref(missing);
	return rc;
}

/* The best and worst units by the ranking's composite over the last 30 days. */
static int units_build(struct dash *d, json_t **out)
{
	/* county-wide: the dashboard's reader sees the whole tenant (api_dashboard.c) */
	static const struct scope county = SCOPE_EVERYTHING;
	struct tenant_settings set;
	struct ranking_query q;
	struct ranking_cached cached;
	struct rank_row *rows;
	json_t *top = json_array(), *bottom = json_array();
	int64_t version;
	char from[11], to[11];
	int n, i, scored = 0;

	memset(&q, 0, sizeof(q));
	memset(&cached, 0, sizeof(cached));
	if (ranking_version(d->c, d->tenant_id, &version, d->e) ||
	    settings_get(d->c, d->tenant_id, d->a, &set, d->e))
		goto fail;
	q.version = version;
	q.end = d->now;
	q.cut = d->now;
	q.start = d->now - 30 * DAY_MS;
	q.subtree = "";
	q.scope = &county;
	if (ranking_counts(d->c, d->tenant_id, &q, d->a, &rows, &n, &cached, d->e))
		goto fail;
	for (i = 0; i < n; i++)
		ranking_compute(&rows[i], &set);
	ranking_sort(rows, n);
	for (i = 0; i < n; i++)
		scored += rows[i].has_score;
	for (i = 0; i < scored && i < DASH_UNITS; i++)
		json_array_append_new(top, ranking_row_json(&rows[i]));
	for (i = scored - 1; i >= 0 && i >= scored - DASH_UNITS && i >= DASH_UNITS; i--)
		json_array_append_new(bottom, ranking_row_json(&rows[i]));
	snprintf(from, sizeof(from), "%s", day_text(d, q.start));
	snprintf(to, sizeof(to), "%s", day_text(d, d->now));
	*out = json_pack("{s:s, s:s, s:i, s:o, s:o}", "from", from, "to", to, "ranked", scored,
	                 "top", top, "bottom", bottom);
	return 0;
fail:
	json_decref(top);
	json_decref(bottom);
	return -1;
}

static int flow_build(struct dash *d, const char *week, int64_t week_start, json_t **out)
{
	struct dash_week_flow flow[DASH_WEEKS];
	int64_t start = week_start - (DASH_WEEKS - 1) * WEEK_MS;
	int k;

	(void)week;
	if (dashboard_problem_flow(d->c, d->tenant_id, start, DASH_WEEKS, d->now, flow, d->e))
		return -1;
	*out = json_array();
	for (k = 0; k < DASH_WEEKS; k++)
		json_array_append_new(*out, json_pack("{s:s, s:I, s:I, s:I}", "week",
		                                      day_text(d, start + k * WEEK_MS), "reported",
		                                      (json_int_t)flow[k].reported, "closed",
		                                      (json_int_t)flow[k].closed, "overdue",
		                                      (json_int_t)flow[k].overdue));
	return 0;
}

int dashboard_build(struct store_conn *c, int64_t tenant_id, int64_t now, int tz_minutes,
                    struct arena *a, json_t **out, struct error *e)
{
	struct dash d;
	struct framework fw;
	json_t *predicted = NULL, *units = NULL, *flow = NULL, *trend = NULL, *fixes;
	char eval[16], week[11];
	int64_t week_start, countdown = INT64_MIN;
	size_t i, n;
	json_t **sorted;

	memset(&d, 0, sizeof(d));
	d.c = c;
	d.tenant_id = tenant_id;
	d.now = now;
	d.tz = tz_minutes;
	d.a = a;
	d.e = e;
	*out = NULL;
	dashboard_week_of(now, tz_minutes, week, &week_start);
	if (tenant_eval_date(c, tenant_id, eval, e) ||
	    unit_all(c, tenant_id, a, &d.units, &d.nunits, e))
		return -1;
	if (*eval) {
		int64_t day;

		int64_t today;
		char ymd[11];

		snprintf(ymd, sizeof(ymd), "%s", day_text(&d, now));
		if (!tz_parse_date(eval, tz_minutes, &day) &&
		    !tz_parse_date(ymd, tz_minutes, &today))
			countdown = (day - today) / DAY_MS;
	}
	if (units_build(&d, &units) || flow_build(&d, week, week_start, &flow))
		goto fail;
	{
		char from[11];
		int64_t ignored;

		dashboard_week_of(week_start - (DASH_WEEKS - 1) * WEEK_MS, tz_minutes, from,
		                  &ignored);
		if (dashboard_weeks(c, tenant_id, from, &trend, e))
			goto fail;
	}
	if (framework_active(c, tenant_id, &d.framework_id, e) == 0 &&
	    framework_get(c, tenant_id, d.framework_id, a, &fw, e) == 0) {
		d.fixes = json_array();
		if (predicted_build(&d, &predicted)) {
			json_decref(d.fixes);
			goto fail;
		}
	} else {
		error_init(e);
		d.framework_id = 0;
		d.fixes = json_array();
		predicted = json_pack("{s:{s:n, s:n, s:s}, s:o, s:o, s:o}", "total", "score", "max",
		                      "reason", "尚未启用测评体系", "field",
		                      missing_part(0, "尚未启用测评体系"), "questionnaire",
		                      missing_part(0, "尚未启用测评体系"), "materials",
		                      missing_part(0, "尚未启用测评体系"));
	}
	n = json_array_size(d.fixes);
	sorted = arena_alloc(a, sizeof(*sorted) * (n + 1));
	for (i = 0; i < n; i++)
		sorted[i] = json_array_get(d.fixes, i);
	qsort(sorted, n, sizeof(*sorted), by_per_effort);
	/* the first DASH_FIXES, and the best line of a part not among them (still in order) */
	fixes = json_array();
	for (i = 0; i < n; i++) {
		const char *kind = json_string_value(json_object_get(sorted[i], "kind"));
		size_t k;
		int seen = 0;

		for (k = 0; k < json_array_size(fixes); k++)
			seen |= !strcmp(kind, json_string_value(json_object_get(
			                          json_array_get(fixes, k), "kind")));
		if (i >= DASH_FIXES && seen)
			continue;
		json_object_set_new(sorted[i], "rank",
		                    json_integer((json_int_t)json_array_size(fixes) + 1));
		json_array_append(fixes, sorted[i]);
	}
	json_decref(d.fixes);
	*out = json_pack(
	    "{s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:s}", "today", day_text(&d, now),
	    "eval_date", *eval ? json_string(eval) : json_null(), "countdown_days",
	    countdown != INT64_MIN ? json_integer(countdown) : json_null(), "framework",
	    d.framework_id ? json_pack("{s:I, s:s}", "id", (json_int_t)fw.id, "name", fw.name)
	                   : json_null(),
	    "predicted", predicted, "at_risk", fixes, "trend", trend, "problems", flow, "units",
	    units, "week", week);
	return 0;
fail:
	json_decref(units);
	json_decref(flow);
	json_decref(trend);
	return -1;
}

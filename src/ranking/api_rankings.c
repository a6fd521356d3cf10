/*
 * api_rankings.c - GET /rankings and /rankings/export: unit rankings of the
 * closed loop for a period of tenant calendar days (ranking.h, and
 * docs/rankings.md for the definitions), within the caller's
 * problem:ranking:view scope on units.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "core/clock.h"
#include "http/reply.h"
#include "http/req.h"
#include "http/router.h"
#include "org/org.h"
#include "problem/problem.h"
#include "ranking/ranking.h"
#include "spreadsheet/spreadsheet.h"
#include "store/store.h"

#define DAY_MS           (86400LL * 1000)
#define RANKING_MAX_DAYS 1096 /* three years */

struct ranking_result {
	char from[11], to[11];
	struct ranking_query q;
	struct tenant_settings settings;
	struct rank_row *rows;
	int n;
	struct ranking_cached cached;
};

/* "YYYY-MM-DD" of ms in the tenant's zone. */
static void day_of(int64_t ms, int minutes, char out[11])
{
	char buf[20];

	tz_format(ms, minutes, buf);
	snprintf(out, 11, "%.10s", buf);
}

/*
 * The period of the from / to arguments (both or neither: neither is the
 * current month of the tenant's calendar) as [start, end) and its cut.
 */
static int ranking_period(struct req *r, int minutes, int64_t now, struct ranking_result *res)
{
	const char *from = req_query(r, "from"), *to = req_query(r, "to");
	int64_t start, last;

	if ((!from || !*from) && (!to || !*to)) {
		char today[11], first[32];
		int y, m;

		day_of(now, minutes, today);
		snprintf(first, sizeof(first), "%.8s01", today);
		tz_parse_date(first, minutes, &start);
		y = atoi(today) % 10000;
		m = atoi(today + 5) % 100;
		snprintf(first, sizeof(first), "%04d-%02d-01", m == 12 ? y + 1 : y,
		         m == 12 ? 1 : m + 1);
		tz_parse_date(first, minutes, &last);
		last -= DAY_MS;
	} else {
		if (!from || tz_parse_date(from, minutes, &start))
			return req_fail(r, ERR_INVALID, "from", "开始日期 from 应为 YYYY-MM-DD");
		if (!to || tz_parse_date(to, minutes, &last))
			return req_fail(r, ERR_INVALID, "to", "结束日期 to 应为 YYYY-MM-DD");
		if (last < start)
			return req_fail(r, ERR_INVALID, "to", "结束日期不能早于开始日期");
		if ((last - start) / DAY_MS + 1 > RANKING_MAX_DAYS)
			return req_fail(r, ERR_INVALID, "to", "统计区间最长 %d 天",
			                RANKING_MAX_DAYS);
	}
	day_of(start, minutes, res->from);
	day_of(last, minutes, res->to);
	res->q.start = start;
	res->q.end = last + DAY_MS;
	res->q.cut = res->q.end < now ? res->q.end : now;
	return 0;
}

/* Everything both routes need: period, scope, subtree, settings, sorted rows. */
static int ranking_run(struct req *r, struct ranking_result *res)
{
	struct scope *scope = arena_calloc(&r->arena, sizeof(*scope));
	int64_t now, unit_id = 0, version;
	struct error e;
	int i;

	memset(res, 0, sizeof(*res));
	if (!req_db(r))
		return r->err.code;
	/* the version first, then the time: ranking_counts may reuse counts */
	error_init(&e);
	if (ranking_version(r->db, r->who->tenant_id, &version, &e))
		return req_fail_error(r, &e);
	now = time_now_ms();
	if (ranking_period(r, problem_api_minutes(r), now, res) ||
	    http_query_id(r, "unit_id", &unit_id))
		return r->err.code;
	res->q.version = version;
	unit_scope(r->who, "problem:ranking:view", &r->arena, scope);
	res->q.scope = scope;
	res->q.subtree = "";
	error_init(&e);
	if (unit_id) {
		struct unit u;
		int rc = unit_get(r->db, r->who->tenant_id, scope, unit_id, &r->arena, &u, &e);

		if (rc == ERR_NOT_FOUND)
			return req_fail(r, ERR_INVALID, "unit_id", "单位不存在");
		if (rc)
			return req_fail_error(r, &e);
		res->q.subtree = u.ancestors;
	}
	if (settings_get(r->db, r->who->tenant_id, &r->arena, &res->settings, &e) ||
	    ranking_counts(r->db, r->who->tenant_id, &res->q, &r->arena, &res->rows, &res->n,
	                   &res->cached, &e))
		return req_fail_error(r, &e);
	for (i = 0; i < res->n; i++)
		ranking_compute(&res->rows[i], &res->settings);
	ranking_sort(res->rows, res->n);
	return 0;
}

/*
 * The rows as JSON text.  Rendering them (jansson, a real number printed
 * per rate) was most of a request's time once the counts were kept: the
 * text is kept beside the counts it came from, with the settings it was
 * computed with (ranking_cache.c).
 */
static const char *rankings_items(struct req *r, const struct ranking_result *res, json_t *set)
{
	char *settings = json_dumps(set, JSON_COMPACT | JSON_SORT_KEYS), *text;
	const char *out = NULL;
	json_t *items;
	int i;

	if (res->cached.gen && settings)
		out = ranking_cache_rendered(res->cached.key, res->cached.gen, settings, &r->arena);
	if (!out) {
		items = json_array();
		for (i = 0; i < res->n; i++)
			json_array_append_new(items, ranking_row_json(&res->rows[i]));
		text = json_dumps(items, JSON_COMPACT | JSON_REAL_PRECISION(12));
		json_decref(items);
		if (text) {
			out = arena_strdup(&r->arena, text);
			if (res->cached.gen && settings)
				ranking_cache_set_rendered(res->cached.key, res->cached.gen,
				                           settings, text);
			free(text);
		}
	}
	free(settings);
	return out;
}

/* GET /rankings */
static int rankings_list(struct req *r)
{
	struct ranking_result res;
	const char *items;
	char *head, *body;
	size_t hlen, ilen, len;
	json_t *set, *doc;

	if (ranking_run(r, &res))
		return r->err.code;
	set = settings_ranking_json(&res.settings);
	items = rankings_items(r, &res, set);
	doc = json_pack("{s:s, s:s, s:I, s:I, s:I, s:o, s:i}", "from", res.from, "to", res.to,
	                "start", (json_int_t)res.q.start, "end", (json_int_t)res.q.end, "cut",
	                (json_int_t)res.q.cut, "settings", set, "total", res.n);
	head = doc ? json_dumps(doc, JSON_COMPACT | JSON_REAL_PRECISION(12)) : NULL;
	json_decref(doc);
	if (!items || !head) {
		free(head);
		return req_fail(r, ERR_INTERNAL, NULL, NULL);
	}
	/* {"from",...,"total":n} and the rows: {...,"items":[...]} (no printf: 45 KB of %s
	 * through vsnprintf's overflow buffer took half of a request's time) */
	hlen = strlen(head) - 1;
	ilen = strlen(items);
	len = hlen + sizeof(",\"items\":") - 1 + ilen + 1;
	body = arena_alloc(&r->arena, len);
	memcpy(body, head, hlen);
	memcpy(body + hlen, ",\"items\":", sizeof(",\"items\":") - 1);
	memcpy(body + hlen + sizeof(",\"items\":") - 1, items, ilen);
	body[len - 1] = '}';
	free(head);
	return req_reply_bytes(r, 200, "application/json; charset=utf-8", body, len, 1);
}

/* A count, a rate as a percentage with two decimals, or "—". */
static const char *pct(struct arena *a, const struct rank_row *row, enum rank_rate k)
{
	return row->has_rate[k] ? arena_printf(a, "%.2f", row->rate[k] * 100.0) : "—";
}

static const char *num(struct arena *a, int64_t v)
{
	return arena_printf(a, "%lld", (long long)v);
}

enum {
	RC_RANK,
	RC_UNIT,
	RC_DUE,
	RC_CLOSED,
	RC_ON_TIME,
	RC_REWORKED,
	RC_RECUR,
	RC_ASSIGNED,
	RC_EXTENDED,
	RC_OVERDUE,
	RC_CLOSURE,
	RC_ON_TIME_RATE,
	RC_REWORK_RATE,
	RC_RECUR_RATE,
	RC_EXT_RATE,
	RC_HOURS,
	RC_SCORE,
	RC_GRADE,
	RC_NCOLS
};
static const char *const ranking_columns[RC_NCOLS] = {
    "排名",      "单位",      "应结案",    "已结案",
    "按期结案",  "返工",      "反弹",      "交办",
    "延期",      "超期",      "结案率(%)", "按期结案率(%)",
    "返工率(%)", "反弹率(%)", "延期率(%)", "平均结案时长(小时)",
    "综合得分",  "等级"};

/* GET /rankings/export */
static int rankings_export(struct req *r)
{
	static const char *const filters[] = {"from", "to", "unit_id", NULL};
	struct ranking_result res;
	struct sheet_writer w;
	struct error e;
	void *data = NULL;
	size_t len = 0;
	json_t *summary;
	int i, rc;

	if (ranking_run(r, &res))
		return r->err.code;
	error_init(&e);
	rc = sheet_writer_init(&w, "单位排名", ranking_columns, RC_NCOLS, &e);
	if (!rc)
		rc = sheet_writer_title(
		    &w, arena_printf(&r->arena, "单位排名 %s 至 %s", res.from, res.to), &e);
	for (i = 0; rc == 0 && i < res.n; i++) {
		const struct rank_row *row = &res.rows[i];
		struct arena *a = &r->arena;
		const char *cells[RC_NCOLS] = {
		    row->rank ? num(a, row->rank) : "—",
		    row->unit_name,
		    num(a, row->due),
		    num(a, row->closed),
		    num(a, row->on_time),
		    num(a, row->reworked),
		    num(a, row->recurrences),
		    num(a, row->assigned),
		    num(a, row->extended),
		    num(a, row->overdue),
		    pct(a, row, RATE_CLOSURE),
		    pct(a, row, RATE_ON_TIME),
		    pct(a, row, RATE_REWORK),
		    pct(a, row, RATE_RECURRENCE),
		    pct(a, row, RATE_EXTENSION),
		    row->has_avg_hours ? arena_printf(a, "%.1f", row->avg_hours) : "—",
		    row->has_score ? arena_printf(a, "%.2f", row->score) : "—",
		    row->grade ? arena_printf(a, "%c", row->grade) : "—",
		};

		rc = sheet_writer_row_typed(&w, "nsnnnnnnnnnnnnnnns", cells, &e);
	}
	if (!rc)
		rc = sheet_writer_finish(&w, &data, &len, &e);
	sheet_writer_release(&w);
	if (rc) {
		free(data);
		return req_fail_error(r, &e);
	}
	summary = http_query_summary(r, filters, res.n);
	json_object_set_new(summary, "period", json_sprintf("%s..%s", res.from, res.to));
	if (http_audit_alone(r, "ranking.export", "ranking", summary)) {
		free(data);
		return r->err.code;
	}
	return http_reply_xlsx(r, data, len, "rankings", "单位排名");
}

void ranking_routes(struct router *rt)
{
	router_add(rt, "GET", "/api/v1/rankings", rankings_list, "problem:ranking:view", 0);
	router_add(rt, "GET", "/api/v1/rankings/export", rankings_export, "problem:ranking:view",
	           0);
}

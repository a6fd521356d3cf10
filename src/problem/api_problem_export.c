/*
 * api_problem_export.c - GET /problems/export: the problem list as .xlsx,
 * with exactly the list's filters (problem_api_filter) and the caller's
 * problem:export scope.  Rows are read in keyset batches
 * (problem_list_brief: the rows after the last one written, nothing counted
 * or skipped), each into an arena of its own, so an export of
 * PROBLEM_EXPORT_MAX rows holds one batch in memory (the workbook itself
 * streams to a temp file); more rows than that are a 422.  The export is
 * audited.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "http/reply.h"
#include "http/req.h"
#include "http/router.h"
#include "org/org.h"
#include "problem/problem.h"
#include "spreadsheet/spreadsheet.h"
#include "system/tenants.h"

#define PROBLEM_EXPORT_MAX   100000
#define PROBLEM_EXPORT_BATCH 10000

enum {
	XC_CODE,
	XC_STATUS,
	XC_CATEGORY,
	XC_UNIT,
	XC_POINT,
	XC_ADDRESS,
	XC_DESCRIPTION,
	XC_DEADLINE,
	XC_OVERDUE,
	XC_SOURCE,
	XC_REPORTER,
	XC_CREATED,
	XC_NCOLS
};
static const char *const export_headers[XC_NCOLS] = {"问题编号", "状态", "问题分类", "牵头单位",
                                                     "点位",     "地址", "问题描述", "整改期限",
                                                     "是否超期", "来源", "上报人",   "上报时间"};

/* The names the web app shows (web/src/locales/zh-CN.js, problems.sources). */
static const char *source_title(const char *s)
{
	static const char *const names[][2] = {
	    {"inspection", "日常巡查"}, {"supervision", "督查检查"},
	    {"covert", "暗访"},         {"grid", "网格员上报"},
	    {"leader", "领导交办"},     {"citizen", "群众投诉"},
	    {"media", "媒体曝光"},      {NULL, NULL}};
	int i;

	for (i = 0; names[i][0]; i++)
		if (!strcmp(s, names[i][0]))
			return names[i][1];
	return s;
}

/* "2026-11-22 08:30" in the tenant's zone into a (20 bytes), "" for 0. */
static const char *minute(char *buf, int64_t ms, int minutes)
{
	if (!ms)
		return "";
	tz_format(ms, minutes, buf);
	buf[16] = '\0';
	return buf;
}

/* Write one batch of problems to w. */
static int export_batch(struct sheet_writer *w, const struct problem *ps, int n, int64_t now,
                        int minutes, struct error *e)
{
	int i, rc = 0;

	for (i = 0; rc == 0 && i < n; i++) {
		const struct problem *p = &ps[i];
		char deadline[20], created[20];
		const char *cells[XC_NCOLS] = {
		    p->code,
		    problem_status_title(p->status),
		    p->category_name,
		    p->lead_unit_id ? p->lead_unit_name : "",
		    p->point_id ? p->point_name : "",
		    p->address,
		    p->description,
		    minute(deadline, p->deadline, minutes),
		    problem_overdue(p, now) ? "是" : "否",
		    source_title(p->source),
		    p->reporter_name,
		    minute(created, p->created_at, minutes),
		};

		rc = sheet_writer_row_typed(w, "sssssssdsssd", cells, e);
	}
	return rc;
}

/* GET /problems/export */
static int problems_export(struct req *r)
{
	static const char *const keys[] = {"status",   "category_id", "unit_id", "grid_id",
	                                   "point_id", "source",      "from",    "to",
	                                   "overdue",  "keyword",     NULL};
	struct problem_filter f;
	struct sheet_writer w;
	struct problem *list;
	struct error e;
	char today[20], tzname[64] = TENANT_DEFAULT_TZ;
	struct problem_key last = {0, 0};
	int64_t total = 0, rows = 0;
	int minutes, n, rc, over = 0;

	memset(&f, 0, sizeof(f));
	if (problem_api_filter(r, "problem:export", &f))
		return r->err.code;
	/* problems reported while the batches are read would shift the pages */
	if (!f.to || f.to > f.now)
		f.to = f.now;
	minutes = problem_api_minutes(r);
	error_init(&e);
	tenant_timezone(r->db, r->who->tenant_id, tzname, &e);
	error_init(&e);
	tz_format(f.now, minutes, today);
	rc = sheet_writer_init(&w, "问题列表", export_headers, XC_NCOLS, &e);
	if (rc == 0)
		rc = sheet_writer_title(
		    &w, arena_printf(&r->arena, "问题列表导出 %.16s（时间为 %s）", today, tzname),
		    &e);
	/*
	 * Keyset batches: each reads the rows after the last one written.  No
	 * count first: it read every problem the filters leave (for the whole
	 * tenant a scan of all its rows: the filters are not index terms), as
	 * long as the export itself.  A selection over the cap shows itself by
	 * its row PROBLEM_EXPORT_MAX + 1, and only then is it counted, for the
	 * message.
	 */
	f.limit = PROBLEM_EXPORT_BATCH;
	for (n = PROBLEM_EXPORT_BATCH; rc == 0 && n == PROBLEM_EXPORT_BATCH && !over;) {
		struct arena batch;

		arena_init(&batch);
		rc = problem_list_brief(r->db, r->who->tenant_id, &f, rows ? &last : NULL, &batch,
		                        &list, &n, &e);
		if (rc == 0 && rows + n > PROBLEM_EXPORT_MAX)
			over = 1;
		else if (rc == 0)
			rc = export_batch(&w, list, n, f.now, minutes, &e);
		if (rc == 0 && n > 0) {
			last.created_at = list[n - 1].created_at;
			last.id = list[n - 1].id;
		}
		rows += n;
		arena_release(&batch);
	}
	if (over) {
		sheet_writer_release(&w);
		f.limit = 1;
		if (problem_list(r->db, r->who->tenant_id, &f, &r->arena, &list, &n, &total, &e))
			return req_fail_error(r, &e);
		return req_fail(r, ERR_INVALID, "from",
		                "符合条件的问题有 %lld 个，超过 %d 个的导出上限，请缩小范围",
		                (long long)total, PROBLEM_EXPORT_MAX);
	}
	return http_reply_export(r, &w, rc, &e, "problem.export", "problem",
	                         http_query_summary(r, keys, rows), "problems", "问题列表");
}

void problem_export_routes(struct router *rt)
{
	router_add(rt, "GET", "/api/v1/problems/export", problems_export, "problem:export", 0);
}

/*
 * api_score.c - a round's score (GET /inspections/{id}/score), the
 * comparison of two rounds, and the exports: the xlsx workbook (summary, by
 * standard, by point, observations) and the PDF report with its bar chart,
 * lost-points table and typical problems with photos.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "auth/login.h"
#include "auth/auth.h"
#include "export/pdf.h"
#include "http/multipart.h"
#include "http/reply.h"
#include "http/req.h"
#include "http/router.h"
#include "inspect/inspect.h"
#include "inspect/inspect_api.h"
#include "org/org.h"
#include "problem/problem.h"
#include "spreadsheet/spreadsheet.h"
#include "store/store.h"

#define REPORT_LOSS_ROWS 20
#define REPORT_TYPICAL   6

/* The round of the path scored as the caller sees it. */
static int score_load(struct req *r, int64_t id, struct round_score *rs)
{
	struct scope s;
	struct error e;

	if (!req_db(r))
		return r->err.code;
	inspect_round_scope(r, &s);
	error_init(&e);
	if (round_score_load(r->db, r->who->tenant_id, &s, id, &r->arena, rs, &e)) {
		round_score_release(rs);
		return req_fail_error(r, &e);
	}
	return 0;
}

static int rounds_score(struct req *r)
{
	struct round_score rs;
	json_t *j;
	int64_t id;

	if (req_param_id(r, "id", &id) || score_load(r, id, &rs))
		return r->err.code;
	j = round_score_json(&rs, &r->arena);
	round_score_release(&rs);
	return req_reply_json(r, 200, j);
}

static int rounds_compare(struct req *r)
{
	struct round_score a, b;
	json_t *j;
	int64_t id, with = 0;

	if (req_param_id(r, "id", &id) || http_query_id(r, "with", &with))
		return r->err.code;
	if (!with || with == id)
		return req_fail(r, ERR_INVALID, "with", "请选择另一个测评轮次进行对比");
	if (score_load(r, id, &a))
		return r->err.code;
	if (score_load(r, with, &b)) {
		round_score_release(&a);
		return r->err.code;
	}
	j = round_compare_json(&a, &b);
	round_score_release(&a);
	round_score_release(&b);
	return req_reply_json(r, 200, j);
}

/* ---- xlsx -------------------------------------------------------------------------- */

static const char *fmt_num(struct arena *a, double v, int decimals)
{
	return arena_printf(a, "%.*f", decimals, v);
}

static const char *pct(struct arena *a, double rate)
{
	return arena_printf(a, "%.2f%%", rate * 100);
}

static int export_summary(struct req *r, struct sheet_writer *w, const struct round_score *rs,
                          struct error *e)
{
	const struct score_result *res = &rs->result;
	struct arena *a = &r->arena;
	const char *kind = round_kind_title(rs->round.kind);
	const char *rows[][2] = {
	    {"轮次名称", rs->round.title},
	    {"类型", kind ? kind : rs->round.kind},
	    {"时间", arena_printf(a, "%s 至 %s", rs->round.starts_on, rs->round.ends_on)},
	    {"测评体系", rs->framework.name},
	    {"状态", strcmp(rs->round.status, "open") ? "已结束" : "进行中"},
	    {"已完成点位", arena_printf(a, "%lld / %lld", (long long)rs->points_done,
	                                (long long)rs->points_total)},
	    {"观测次数", arena_printf(a, "%d", rs->nobs)},
	    {"实地考察满分", fmt_num(a, res->total_weight, 2)},
	    {"已观测标准得分", fmt_num(a, res->score, 2)},
	    {"预测实地得分", fmt_num(a, res->predicted, 2)},
	    {"覆盖率", pct(a, res->coverage)},
	    {"总体得分率", pct(a, res->rate)},
	};
	size_t i;
	int rc = 0;

	for (i = 0; !rc && i < sizeof(rows) / sizeof(rows[0]); i++)
		rc = sheet_writer_row(w, rows[i], e);
	return rc;
}

static int export_standards(struct req *r, struct sheet_writer *w, const struct round_score *rs,
                            struct error *e)
{
	static const char *const head[] = {"标准编码", "测评标准", "实地分值", "观测次数",
	                                   "得分率",   "得分",     "失分"};
	const struct score_result *res = &rs->result;
	int i, rc = sheet_writer_next_sheet(w, "按标准", head, 7, e);

	for (i = 0; !rc && i < res->nstandards; i++) {
		const struct standard_result *sr = &res->standards[i];
		const struct indicator *ind = &rs->ind[rs->std_index[i]];
		const char *cells[7] = {ind->code,
		                        ind->title,
		                        fmt_num(&r->arena, sr->weight, 4),
		                        arena_printf(&r->arena, "%d", sr->observed),
		                        sr->observed ? fmt_num(&r->arena, sr->rate, 4) : "",
		                        fmt_num(&r->arena, sr->score, 4),
		                        fmt_num(&r->arena, sr->lost, 4)};

		rc = sheet_writer_row_typed(w, "ssnnnnn", cells, e);
	}
	return rc;
}

static int export_points(struct req *r, struct sheet_writer *w, const struct round_score *rs,
                         struct error *e)
{
	static const char *const head[] = {"点位编码", "点位名称", "点位类型",
	                                   "所属网格", "责任单位", "督查员",
	                                   "观测次数", "得分率",   "失分"};
	const struct score_result *res = &rs->result;
	int i, k, rc = sheet_writer_next_sheet(w, "按点位", head, 9, e);

	for (i = 0; !rc && i < res->ngroups[BY_POINT]; i++) {
		const struct group_loss *g = &res->groups[BY_POINT][i];
		const struct scored_obs *o = NULL;

		for (k = 0; !o && k < rs->nobs; k++)
			if (rs->obs[k].point_id == g->id)
				o = &rs->obs[k];
		if (!o)
			continue;
		{
			const char *cells[9] = {o->point_code,
			                        o->point_name,
			                        o->type_name,
			                        o->grid_name,
			                        o->unit_name,
			                        o->inspector_name,
			                        arena_printf(&r->arena, "%d", g->observed),
			                        fmt_num(&r->arena, g->rate, 4),
			                        fmt_num(&r->arena, g->lost, 4)};

			rc = sheet_writer_row_typed(w, "ssssssnnn", cells, e);
		}
	}
	return rc;
}

static int export_observations(struct req *r, struct sheet_writer *w, const struct round_score *rs,
                               struct error *e)
{
	static const char *const head[] = {"点位编码", "点位名称", "标准编码", "检查项",
	                                   "评价",     "数量",     "说明",     "督查员",
	                                   "采集时间", "问题编号"};
	int minutes = auth_tenant_minutes(r);
	int i, rc = sheet_writer_next_sheet(w, "观测记录", head, 10, e);

	for (i = 0; !rc && i < rs->nobs; i++) {
		const struct scored_obs *o = &rs->obs[i];
		const struct indicator *ind = NULL;
		const char *cells[10];
		int k;

		for (k = 0; k < rs->nind; k++)
			if (rs->ind[k].id == o->standard_id)
				ind = &rs->ind[k];
		cells[0] = o->point_code;
		cells[1] = o->point_name;
		cells[2] = ind ? ind->code : "";
		cells[3] = o->item_title;
		cells[4] = rating_title(o->credit < 0 ? RATING_NA : o->rating);
		cells[5] = arena_printf(&r->arena, "%lld", (long long)o->count);
		cells[6] = o->note;
		cells[7] = o->inspector_name;
		cells[8] = http_format_local(o->captured_at, minutes, &r->arena);
		cells[9] = o->problem_code;
		rc = sheet_writer_row_typed(w, "sssssnssd", cells, e);
	}
	return rc;
}

static int rounds_export(struct req *r)
{
	static const char *const head[] = {"项目", "内容"};
	struct round_score rs;
	struct sheet_writer w;
	struct error e;
	void *data = NULL;
	size_t len = 0;
	int64_t id;
	int rc;

	if (req_param_id(r, "id", &id) || score_load(r, id, &rs))
		return r->err.code;
	error_init(&e);
	rc = sheet_writer_init(&w, "汇总", head, 2, &e);
	if (!rc)
		rc = export_summary(r, &w, &rs, &e);
	if (!rc)
		rc = export_standards(r, &w, &rs, &e);
	if (!rc)
		rc = export_points(r, &w, &rs, &e);
	if (!rc)
		rc = export_observations(r, &w, &rs, &e);
	if (!rc)
		rc = sheet_writer_finish(&w, &data, &len, &e);
	sheet_writer_release(&w);
	round_score_release(&rs);
	if (rc) {
		free(data);
		return req_fail_error(r, &e);
	}
	if (http_audit_alone(r, "inspection.export", "inspection",
	                     json_pack("{s:I, s:i}", "inspection_id", (json_int_t)id,
	                               "observations", rs.nobs))) {
		free(data);
		return r->err.code;
	}
	return http_reply_xlsx(r, data, len,
	                       arena_printf(&r->arena, "inspection-%lld", (long long)id),
	                       arena_printf(&r->arena, "测评轮次_%s", rs.round.title));
}

/* ---- pdf ---------------------------------------------------------------------------- */

/* The rates of the projects as bars. */
static int report_chart(struct req *r, struct pdf_doc *d, const struct round_score *rs,
                        struct error *e)
{
	const char **labels = arena_calloc(&r->arena, (size_t)(rs->nind + 1) * sizeof(char *));
	const char **texts = arena_calloc(&r->arena, (size_t)(rs->nind + 1) * sizeof(char *));
	double *values = arena_calloc(&r->arena, (size_t)(rs->nind + 1) * sizeof(double));
	json_t *full = round_score_json(rs, &r->arena), *p;
	size_t i;
	int n = 0, rc = 0;

	json_array_foreach(json_object_get(full, "by_project"), i, p)
	{
		json_t *rate = json_object_get(p, "rate");

		if (n >= PDF_CHART_MAX_BARS || json_is_null(rate))
			continue;
		labels[n] =
		    arena_printf(&r->arena, "%s %s", json_string_value(json_object_get(p, "code")),
		                 json_string_value(json_object_get(p, "title")));
		values[n] = json_real_value(rate) * 100;
		texts[n] = arena_printf(&r->arena, "%.1f%%", values[n]);
		n++;
	}
	if (n)
		rc = pdf_bar_chart(d, n, labels, values, 100, texts, "各测评项目的实地得分率", e);
	else
		pdf_paragraph(d, "还没有测评记录。");
	json_decref(full);
	return rc;
}

static void report_losses(struct req *r, struct pdf_doc *d, const struct round_score *rs,
                          struct error *e)
{
	static const char *const head[] = {"序号",   "标准编码", "测评标准",
	                                   "得分率", "失分",     "问题数"};
	static const double widths[] = {12, 20, 88, 18, 16, 16};
	const struct score_result *res = &rs->result;
	const char **cells;
	int *order, n, i, k, rows;

	n = score_losses(res, &order);
	rows = n < REPORT_LOSS_ROWS ? n : REPORT_LOSS_ROWS;
	if (!rows) {
		pdf_paragraph(d, "没有失分的测评标准。");
		free(order);
		return;
	}
	cells = arena_calloc(&r->arena, (size_t)rows * 6 * sizeof(char *));
	for (i = 0; i < rows; i++) {
		const struct standard_result *sr = &res->standards[order[i]];
		const struct indicator *ind = &rs->ind[rs->std_index[order[i]]];
		int problems = 0;

		for (k = 0; k < rs->nobs; k++)
			problems += rs->obs[k].standard_id == sr->id && rs->obs[k].problem_id;
		cells[i * 6] = arena_printf(&r->arena, "%d", i + 1);
		cells[i * 6 + 1] = ind->code;
		cells[i * 6 + 2] = ind->title;
		cells[i * 6 + 3] = pct(&r->arena, sr->rate);
		cells[i * 6 + 4] = fmt_num(&r->arena, sr->lost, 2);
		cells[i * 6 + 5] = arena_printf(&r->arena, "%d", problems);
	}
	pdf_table(d, 6, head, widths, rows, cells, e);
	free(order);
}

/* Failed observations with a photo, the most points lost first. */
static void report_typical(struct req *r, struct pdf_doc *d, const struct round_score *rs)
{
	const struct score_result *res = &rs->result;
	int *pick = arena_calloc(&r->arena, (size_t)(rs->nobs + 1) * sizeof(int));
	double *lost = arena_calloc(&r->arena, (size_t)(rs->nobs + 1) * sizeof(double));
	int n = 0, i, k, shown = 0;

	for (i = 0; i < rs->nobs; i++) {
		const struct scored_obs *o = &rs->obs[i];
		int s;

		if (o->credit < 0 || (o->rating != RATING_FAIL && o->rating != RATING_SEVERE))
			continue;
		for (s = 0; s < res->nstandards && res->standards[s].id != o->standard_id; s++)
			;
		lost[n] = score_observation_lost(res, s < res->nstandards ? s : -1, o->credit);
		pick[n++] = i;
	}
	/* with a photo first, then by points lost, most first */
	for (i = 0; i < n; i++)
		if (rs->obs[pick[i]].first_photo)
			lost[i] += 1000;
	for (i = 1; i < n; i++)
		for (k = i; k > 0 && lost[k - 1] < lost[k]; k--) {
			double t = lost[k];
			int p = pick[k];

			lost[k] = lost[k - 1];
			pick[k] = pick[k - 1];
			lost[k - 1] = t;
			pick[k - 1] = p;
		}
	for (i = 0; i < n && shown < REPORT_TYPICAL; i++) {
		const struct scored_obs *o = &rs->obs[pick[i]];
		struct error e;
		void *img = NULL;
		size_t len = 0;

		pdf_heading(d, 3,
		            arena_printf(&r->arena, "%d. %s（%s）", shown + 1, o->point_name,
		                         rating_title(o->rating)));
		pdf_paragraph(d,
		              arena_printf(&r->arena, "%s%s%s%s%s", o->item_title,
		                           *o->note ? "：" : "", o->note,
		                           *o->problem_code ? "  问题编号 " : "", o->problem_code));
		if (o->first_photo)
			img = problem_api_photo_jpeg(r, o->first_photo, &len);
		error_init(&e);
		if (img)
			pdf_image(d, img, len, 120, 70,
			          arena_printf(&r->arena, "%s %s", o->point_name,
			                       http_format_time(o->captured_at, &r->arena)),
			          &e);
		shown++;
	}
	if (!shown)
		pdf_paragraph(d, "本轮次没有不合格的检查项。");
}

static int rounds_report(struct req *r)
{
	struct pdf_doc d = PDF_DOC_INIT;
	struct round_score rs;
	struct error e;
	const char *kind;
	void *pdf = NULL;
	size_t len = 0;
	int64_t id;
	int rc;

	if (req_param_id(r, "id", &id) || score_load(r, id, &rs))
		return r->err.code;
	kind = round_kind_title(rs.round.kind);
	error_init(&e);
	rc = pdf_init(&d, arena_printf(&r->arena, "%s 测评报告", rs.round.title), &e);
	if (!rc) {
		const struct score_result *res = &rs.result;

		pdf_heading(&d, 1, arena_printf(&r->arena, "%s测评报告", rs.round.title));
		pdf_paragraph(&d,
		              arena_printf(&r->arena, "类型：%s    时间：%s 至 %s    测评体系：%s",
		                           kind ? kind : rs.round.kind, rs.round.starts_on,
		                           rs.round.ends_on, rs.framework.name));
		pdf_heading(&d, 2, "一、预测得分");
		pdf_paragraph(
		    &d, arena_printf(
		            &r->arena,
		            "实地考察预测得分 %.2f 分（满分 %.2f 分），已观测标准得分 %.2f 分；"
		            "标准覆盖率 %.1f%%，总体得分率 %.1f%%；完成点位 %lld / %lld 个，"
		            "观测 %d 次。",
		            res->predicted, res->total_weight, res->score, res->coverage * 100,
		            res->rate * 100, (long long)rs.points_done, (long long)rs.points_total,
		            rs.nobs));
		pdf_heading(&d, 2, "二、各测评项目得分率");
		rc = report_chart(r, &d, &rs, &e);
	}
	if (!rc) {
		pdf_heading(&d, 2, "三、失分情况（按失分排序）");
		report_losses(r, &d, &rs, &e);
		pdf_heading(&d, 2, "四、典型问题");
		report_typical(r, &d, &rs);
		error_init(&e);
		rc = pdf_finish(&d, &pdf, &len, &e);
	}
	pdf_release(&d);
	round_score_release(&rs);
	if (rc) {
		free(pdf);
		return req_fail_error(r, &e);
	}
	if (http_audit_alone(r, "inspection.report", "inspection",
	                     json_pack("{s:I}", "inspection_id", (json_int_t)id))) {
		free(pdf);
		return r->err.code;
	}
	rc = req_reply_attachment(r, "application/pdf", pdf, len,
	                          arena_printf(&r->arena, "inspection-%lld.pdf", (long long)id),
	                          arena_printf(&r->arena, "测评报告_%s.pdf", rs.round.title));
	free(pdf);
	return rc;
}

void round_report_routes(struct router *rt)
{
	router_add(rt, "GET", "/api/v1/inspections/{id}/score", rounds_score,
	           "inspection:round:view", 0);
	router_add(rt, "GET", "/api/v1/inspections/{id}/compare", rounds_compare,
	           "inspection:round:view", 0);
	router_add(rt, "GET", "/api/v1/inspections/{id}/export", rounds_export,
	           "inspection:round:export", 0);
	router_add(rt, "GET", "/api/v1/inspections/{id}/report.pdf", rounds_report,
	           "inspection:round:export", 0);
}

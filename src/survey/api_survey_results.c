/*
 * api_survey_results.c - /surveys/{id}/results and what is printed from
 * them: the results as JSON (with the trend across the series' waves), an
 * .xlsx of the results, an .xlsx of the responses (one row each, phone
 * masked) and a PDF report.  Rejected responses are left out of every
 * figure (survey_answersets); the responses export lists them, marked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/login.h"
#include "export/pdf.h"
#include "http/multipart.h"
#include "http/req.h"
#include "http/router.h"
#include "core/utf8.h"
#include "http/reply.h"
#include "org/org.h"
#include "spreadsheet/spreadsheet.h"
#include "store/store.h"
#include "survey/survey.h"
#include "survey/survey_api.h"

/* The results of survey s (a new JSON object in *out). */
static int survey_compute(struct req *r, const struct survey *s, json_t **out)
{
	struct error e;

	error_init(&e);
	if (survey_results_load(r->db, s, &r->arena, out, &e))
		return req_fail_error(r, &e);
	return 0;
}

/* The waves of s's series with their four rates and predicted score. */
static int survey_trend(struct req *r, const struct survey *s, json_t **out)
{
	struct survey *waves;
	struct error e;
	int n, i;

	error_init(&e);
	*out = json_array();
	if (survey_series(r->db, s->tenant_id, s->series, &r->arena, &waves, &n, &e))
		return req_fail_error(r, &e);
	for (i = 0; i < n; i++) {
		json_t *res;

		if (waves[i].id == s->id && strcmp(s->status, "draft") == 0)
			continue;
		if (survey_compute(r, &waves[i], &res))
			return r->err.code;
		json_array_append_new(*out, json_pack("{s:I, s:s, s:s, s:I, s:O, s:O, s:O}",
		                                      "survey_id", (json_int_t)waves[i].id, "title",
		                                      waves[i].title, "wave", waves[i].wave,
		                                      "version", (json_int_t)waves[i].version, "n",
		                                      json_object_get(res, "n"), "rates",
		                                      json_object_get(res, "rates"), "predicted",
		                                      json_object_get(res, "predicted")));
		json_decref(res);
	}
	return 0;
}

/* GET /surveys/{id}/results */
static int results_get(struct req *r)
{
	struct survey s;
	struct error e;
	json_t *res, *trend;
	int64_t all;

	if (survey_param(r, &s) || survey_compute(r, &s, &res))
		return r->err.code;
	if (survey_trend(r, &s, &trend)) {
		json_decref(res);
		return r->err.code;
	}
	error_init(&e);
	all = survey_response_count(r->db, s.id, &e);
	json_object_set_new(res, "survey", survey_json(&s, 0));
	json_object_set_new(res, "responses_total", json_integer(all));
	json_object_set_new(res, "rejected",
	                    json_integer(all - json_integer_value(json_object_get(res, "n"))));
	json_object_set_new(res, "trend", trend);
	return req_reply_json(r, 200, res);
}

static const char *num(struct req *r, json_t *v, int percent)
{
	if (!v || json_is_null(v))
		return "";
	return arena_printf(&r->arena, percent ? "%.2f" : "%.4f",
	                    json_number_value(v) * (percent ? 100 : 1));
}

static const char *stat_cell(struct req *r, json_t *stat, const char *key)
{
	return num(r, json_object_get(stat, key), 1);
}

/* GET /surveys/{id}/results/export */
static int results_export(struct req *r)
{
	static const char *const head[] = {"项目", "内容"};
	static const char *const ch[] = {"社区",    "所属",      "配额",     "样本",
	                                 "知晓率%", "支持率%",   "参与率%",  "满意度%",
	                                 "综合%",   "综合下限%", "综合上限%"};
	static const char *const ih[] = {"编码",  "测评内容", "责任单位", "样本", "得分率%",
	                                 "下限%", "上限%",    "权重",     "得分", "失分"};
	static const char *const qh[] = {"题号",    "题目",  "指标",  "样本",
	                                 "得分率%", "下限%", "上限%", "选项分布"};
	struct sheet_writer w;
	struct survey s;
	struct error e;
	json_t *res, *v, *rates;
	size_t i;
	int rc, k;

	if (survey_param(r, &s) || survey_compute(r, &s, &res))
		return r->err.code;
	error_init(&e);
	rc = sheet_writer_init(&w, "汇总", head, 2, &e);
	rates = json_object_get(res, "rates");
	for (k = 0; !rc && k < NRATES; k++) {
		json_t *st = json_object_get(rates, survey_rate_name(k));
		const char *row[] = {
		    survey_rate_title(k),
		    arena_printf(&r->arena, "%s%%（95%% 区间 %s%% - %s%%，样本 %lld）",
		                 stat_cell(r, st, "rate"), stat_cell(r, st, "low"),
		                 stat_cell(r, st, "high"),
		                 (long long)json_integer_value(json_object_get(st, "n")))};

		rc = sheet_writer_row(&w, row, &e);
	}
	if (!rc) {
		const char *row[] = {"问卷调查预测得分",
		                     arena_printf(&r->arena, "%s / %s",
		                                  num(r, json_object_get(res, "predicted"), 0),
		                                  num(r, json_object_get(res, "total"), 0))};

		rc = sheet_writer_row(&w, row, &e);
	}
	if (!rc)
		rc = sheet_writer_next_sheet(&w, "按社区", ch, 11, &e);
	json_array_foreach(json_object_get(res, "communities"), i, v)
	{
		json_t *cr = json_object_get(v, "rates"), *ov = json_object_get(v, "overall");
		const char *row[] = {
		    json_string_value(json_object_get(v, "name")),
		    json_string_value(json_object_get(v, "parent_name")),
		    arena_printf(&r->arena, "%lld",
		                 (long long)json_integer_value(json_object_get(v, "target"))),
		    arena_printf(&r->arena, "%lld",
		                 (long long)json_integer_value(json_object_get(v, "n"))),
		    stat_cell(r, json_object_get(cr, "awareness"), "rate"),
		    stat_cell(r, json_object_get(cr, "support"), "rate"),
		    stat_cell(r, json_object_get(cr, "participation"), "rate"),
		    stat_cell(r, json_object_get(cr, "satisfaction"), "rate"),
		    stat_cell(r, ov, "rate"),
		    stat_cell(r, ov, "low"),
		    stat_cell(r, ov, "high")};

		if (!rc)
			rc = sheet_writer_row_typed(&w, "ssnnnnnnnnn", row, &e);
	}
	if (!rc)
		rc = sheet_writer_next_sheet(&w, "按测评内容", ih, 10, &e);
	json_array_foreach(json_object_get(res, "items"), i, v)
	{
		const char *row[] = {
		    json_string_value(json_object_get(v, "code")),
		    json_string_value(json_object_get(v, "title")),
		    json_string_value(json_object_get(v, "unit_name")),
		    arena_printf(&r->arena, "%lld",
		                 (long long)json_integer_value(json_object_get(v, "n"))),
		    stat_cell(r, v, "rate"),
		    stat_cell(r, v, "low"),
		    stat_cell(r, v, "high"),
		    num(r, json_object_get(v, "weight"), 0),
		    num(r, json_object_get(v, "contribution"), 0),
		    num(r, json_object_get(v, "lost"), 0)};

		if (!rc)
			rc = sheet_writer_row_typed(&w, "sssnnnnnnn", row, &e);
	}
	if (!rc)
		rc = sheet_writer_next_sheet(&w, "按题目", qh, 8, &e);
	json_array_foreach(json_object_get(res, "questions"), i, v)
	{
		json_t *val = json_object_get(v, "value"), *o;
		json_t *rate = json_object_get(v, "rate");
		struct strbuf dist = STRBUF_INIT;
		size_t j;

		json_array_foreach(json_object_get(v, "options"), j, o)
		    strbuf_addf(&dist, "%s%s %lld", j ? "；" : "",
		                json_string_value(json_object_get(o, "label")),
		                (long long)json_integer_value(json_object_get(o, "count")));
		{
			const char *row[] = {
			    json_string_value(json_object_get(v, "key")),
			    json_string_value(json_object_get(v, "title")),
			    json_is_string(rate)
			        ? survey_rate_title(survey_rate_parse(json_string_value(rate)))
			        : "",
			    arena_printf(&r->arena, "%lld",
			                 (long long)json_integer_value(json_object_get(val, "n"))),
			    stat_cell(r, val, "rate"),
			    stat_cell(r, val, "low"),
			    stat_cell(r, val, "high"),
			    arena_strdup(&r->arena, dist.len ? dist.buf : "")};

			if (!rc)
				rc = sheet_writer_row_typed(&w, "sssnnnns", row, &e);
		}
		strbuf_release(&dist);
	}
	json_decref(res);
	return http_reply_export(r, &w, rc, &e, "survey.results_export", "survey",
	                         json_pack("{s:I}", "survey_id", (json_int_t)s.id),
	                         arena_printf(&r->arena, "survey-%lld-results", (long long)s.id),
	                         arena_printf(&r->arena, "问卷结果_%s", s.title));
}

/* GET /surveys/{id}/responses/export: one row per response, phone masked */
static int responses_export(struct req *r)
{
	struct survey_response_filter f;
	struct survey_response *list;
	struct sheet_writer w;
	struct survey s;
	struct error e;
	const char **head, **row;
	int64_t total;
	int i, k, n, ncols, rc, minutes;

	if (survey_param(r, &s))
		return r->err.code;
	memset(&f, 0, sizeof(f));
	error_init(&e);
	if (survey_response_list(r->db, s.id, &f, &r->arena, &list, &n, &total, &e))
		return req_fail_error(r, &e);
	ncols = 11 + s.d.nquestions;
	head = arena_calloc(&r->arena, (size_t)ncols * sizeof(char *));
	row = arena_calloc(&r->arena, (size_t)ncols * sizeof(char *));
	head[0] = "编号";
	head[1] = "社区";
	head[2] = "方式";
	head[3] = "调查员";
	head[4] = "手机号";
	head[5] = "年龄段";
	head[6] = "性别";
	head[7] = "用时(秒)";
	head[8] = "质量标记";
	head[9] = "审核";
	head[10] = "提交时间";
	for (k = 0; k < s.d.nquestions; k++)
		head[11 + k] =
		    arena_printf(&r->arena, "%s %s", s.d.questions[k].key, s.d.questions[k].title);
	minutes = auth_tenant_minutes(r);
	rc = sheet_writer_init(&w, "答卷", head, ncols, &e);
	for (i = 0; !rc && i < n; i++) {
		struct survey_response *x = &list[i];
		json_t *answers = json_loads(x->answers, 0, NULL);
		char masked[32], flags[64];

		phone_mask(x->phone, masked);
		survey_flags_text(x->flags, flags);
		row[0] = arena_printf(&r->arena, "%lld", (long long)x->id);
		row[1] = x->unit_name;
		row[2] = !strcmp(x->channel, "public") ? "扫码自填" : "调查员代填";
		row[3] = x->surveyor_name;
		row[4] = arena_strdup(&r->arena, masked);
		row[5] = x->age_group;
		row[6] = !strcmp(x->sex, "male") ? "男" : !strcmp(x->sex, "female") ? "女" : "";
		row[7] = arena_printf(&r->arena, "%lld", (long long)(x->duration_ms / 1000));
		row[8] = arena_strdup(&r->arena, flags);
		row[9] = !strcmp(x->review, "rejected")   ? "已剔除"
		         : !strcmp(x->review, "accepted") ? "已通过"
		         : x->flags                       ? "待审核"
		                                          : "";
		row[10] = http_format_local(x->submitted_at, minutes, &r->arena);
		for (k = 0; k < s.d.nquestions; k++) {
			const struct survey_question *q = &s.d.questions[k];
			json_t *a = json_object_get(answers, q->key);
			struct strbuf sb = STRBUF_INIT;
			int o;

			if (json_is_string(a) && q->type == Q_TEXT)
				strbuf_adds(&sb, json_string_value(a));
			for (o = 0; o < q->noptions; o++) {
				size_t j;
				json_t *v;
				int chosen = json_is_string(a) &&
				             !strcmp(json_string_value(a), q->options[o].key);

				json_array_foreach(a, j, v) chosen |=
				    json_is_string(v) &&
				    !strcmp(json_string_value(v), q->options[o].key);
				if (chosen)
					strbuf_addf(&sb, "%s%s", sb.len ? "；" : "",
					            q->options[o].label);
			}
			row[11 + k] = arena_strdup(&r->arena, sb.len ? sb.buf : "");
			strbuf_release(&sb);
		}
		json_decref(answers);
		rc = sheet_writer_row_typed(&w, "nsssssssnsd", row, &e);
	}
	return http_reply_export(r, &w, rc, &e, "survey.responses_export", "survey",
	                         json_pack("{s:I, s:i}", "survey_id", (json_int_t)s.id, "rows", n),
	                         arena_printf(&r->arena, "survey-%lld-responses", (long long)s.id),
	                         arena_printf(&r->arena, "问卷答卷_%s", s.title));
}

/* GET /surveys/{id}/report.pdf */
static int results_report(struct req *r)
{
	struct pdf_doc d = PDF_DOC_INIT;
	const char *labels[PDF_CHART_MAX_BARS], *texts[PDF_CHART_MAX_BARS];
	double values[PDF_CHART_MAX_BARS];
	struct survey s;
	struct error e;
	json_t *res, *rates, *v;
	void *pdf = NULL;
	size_t len = 0, i;
	int rc, k, nb;

	if (survey_param(r, &s) || survey_compute(r, &s, &res))
		return r->err.code;
	error_init(&e);
	rates = json_object_get(res, "rates");
	rc = pdf_init(&d, arena_printf(&r->arena, "%s 问卷测评报告", s.title), &e);
	if (!rc) {
		pdf_heading(&d, 1, arena_printf(&r->arena, "%s问卷测评报告", s.title));
		pdf_paragraph(
		    &d, arena_printf(&r->arena, "批次：%s    版本：%lld    有效答卷：%lld 份",
		                     *s.wave ? s.wave : "—", (long long)s.version,
		                     (long long)json_integer_value(json_object_get(res, "n"))));
		pdf_heading(&d, 2, "一、四率与预测得分");
		for (k = 0; k < NRATES; k++) {
			json_t *st = json_object_get(rates, survey_rate_name(k));

			labels[k] = survey_rate_title(k);
			values[k] = json_number_value(json_object_get(st, "rate")) * 100;
			texts[k] = arena_printf(&r->arena, "%s%%", stat_cell(r, st, "rate"));
		}
		rc = pdf_bar_chart(&d, NRATES, labels, values, 100, texts, NULL, &e);
	}
	if (!rc) {
		static const char *const head[] = {"指标", "得分率", "95% 置信区间", "计分作答数",
		                                   "区间算法"};
		const char *cells[NRATES * 5];

		for (k = 0; k < NRATES; k++) {
			json_t *st = json_object_get(rates, survey_rate_name(k));
			int wilson =
			    !strcmp(json_string_value(json_object_get(st, "method")), "wilson");

			cells[k * 5] = survey_rate_title(k);
			cells[k * 5 + 1] =
			    arena_printf(&r->arena, "%s%%", stat_cell(r, st, "rate"));
			cells[k * 5 + 2] =
			    arena_printf(&r->arena, "%s%% – %s%%", stat_cell(r, st, "low"),
			                 stat_cell(r, st, "high"));
			cells[k * 5 + 3] =
			    arena_printf(&r->arena, "%lld",
			                 (long long)json_integer_value(json_object_get(st, "n")));
			cells[k * 5 + 4] = wilson ? "Wilson" : "均值正态近似";
		}
		rc = pdf_table(&d, 5, head, NULL, NRATES, cells, &e);
		pdf_paragraph(
		    &d, arena_printf(&r->arena,
		                     "问卷调查预测得分 %.2f 分（满分 %.2f "
		                     "分，本问卷覆盖的测评内容权重 %.2f 分）。",
		                     json_number_value(json_object_get(res, "predicted")),
		                     json_number_value(json_object_get(res, "total")),
		                     json_number_value(json_object_get(res, "covered_weight"))));
	}
	if (!rc) {
		pdf_heading(&d, 2, "二、各社区综合得分率（最弱的 30 个，由低到高）");
		size_t nall = json_array_size(json_object_get(res, "communities"));
		const char **al = arena_calloc(&r->arena, (nall + 1) * sizeof(char *));
		const char **at = arena_calloc(&r->arena, (nall + 1) * sizeof(char *));
		double *av = arena_calloc(&r->arena, (nall + 1) * sizeof(double));
		int na = 0;

		json_array_foreach(json_object_get(res, "communities"), i, v)
		{
			json_t *ov = json_object_get(v, "overall");
			int m;

			if (!json_integer_value(json_object_get(ov, "n")))
				continue;
			/* insertion by rate: the weakest first */
			for (m = na;
			     m > 0 &&
			     av[m - 1] > json_number_value(json_object_get(ov, "rate")) * 100;
			     m--) {
				av[m] = av[m - 1];
				al[m] = al[m - 1];
				at[m] = at[m - 1];
			}
			av[m] = json_number_value(json_object_get(ov, "rate")) * 100;
			al[m] = json_string_value(json_object_get(v, "name"));
			at[m] = arena_printf(&r->arena, "%s%%", stat_cell(r, ov, "rate"));
			na++;
		}
		for (nb = 0; nb < na && nb < PDF_CHART_MAX_BARS; nb++) {
			values[nb] = av[nb];
			labels[nb] = al[nb];
			texts[nb] = at[nb];
		}
		if (nb)
			rc = pdf_bar_chart(&d, nb, labels, values, 100, texts, NULL, &e);
		else
			pdf_paragraph(&d, "还没有有效答卷。");
	}
	if (!rc) {
		static const char *const head[] = {"类型", "名称", "责任单位", "得分率",
		                                   "失分/样本"};
		static const double widths[] = {18, 62, 40, 22, 28};
		json_t *risk = json_object_get(res, "at_risk");
		size_t nr = json_array_size(risk);
		const char **cells = arena_calloc(&r->arena, (nr + 1) * 5 * sizeof(char *));

		pdf_heading(&d, 2, "三、失分风险点");
		json_array_foreach(risk, i, v)
		{
			int item = !strcmp(json_string_value(json_object_get(v, "kind")), "item");

			cells[i * 5] = item ? "测评内容" : "社区";
			cells[i * 5 + 1] = json_string_value(json_object_get(v, "title"));
			cells[i * 5 + 2] = json_string_value(json_object_get(v, "unit_name"));
			cells[i * 5 + 3] =
			    arena_printf(&r->arena, "%s%%", num(r, json_object_get(v, "rate"), 1));
			cells[i * 5 + 4] =
			    item ? arena_printf(&r->arena, "%s 分",
			                        num(r, json_object_get(v, "lost"), 0))
			         : arena_printf(
			               &r->arena, "%lld 份",
			               (long long)json_integer_value(json_object_get(v, "n")));
		}
		if (nr)
			rc = pdf_table(&d, 5, head, widths, (int)nr, cells, &e);
		else
			pdf_paragraph(&d, "没有明显的失分风险点。");
	}
	if (!rc)
		rc = pdf_finish(&d, &pdf, &len, &e);
	pdf_release(&d);
	json_decref(res);
	if (rc) {
		free(pdf);
		return req_fail_error(r, &e);
	}
	if (http_audit_alone(r, "survey.report", "survey",
	                     json_pack("{s:I}", "survey_id", (json_int_t)s.id))) {
		free(pdf);
		return r->err.code;
	}
	rc =
	    req_reply_attachment(r, "application/pdf", pdf, len,
	                         arena_printf(&r->arena, "survey-%lld-report.pdf", (long long)s.id),
	                         arena_printf(&r->arena, "问卷测评报告_%s.pdf", s.title));
	free(pdf);
	return rc;
}

void survey_results_routes(struct router *rt)
{
	router_add(rt, "GET", "/api/v1/surveys/{id}/results", results_get, "survey:results", 0);
	router_add(rt, "GET", "/api/v1/surveys/{id}/results/export", results_export,
	           "survey:results", 0);
	router_add(rt, "GET", "/api/v1/surveys/{id}/responses/export", responses_export,
	           "survey:results", 0);
	router_add(rt, "GET", "/api/v1/surveys/{id}/report.pdf", results_report, "survey:results",
	           0);
}

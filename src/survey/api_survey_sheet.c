/*
 * api_survey_sheet.c - a questionnaire's questions as a spreadsheet: the
 * template, the export of a survey's questions, and an import that replaces
 * a draft's questions.  One row per question:
 *
 *   分组 | 题号 | 题型 | 题目 | 必答 | 计入 | 测评内容编码 | 选项
 *
 * 题型 单选 / 多选 / 评分 / 简答; 计入 知晓率 / 支持率 / 参与率 / 满意度 or empty;
 * 测评内容编码 the code of a 测评内容 or 测评标准 of the survey's framework (the
 * active one when it has none); 选项 "满意=1；比较满意=0.8；一般=0.5；不清楚"
 * (label = score, a label without a score is not counted).  The rows become
 * a design that survey_design_parse checks like any other.
 */
#include <stdlib.h>
#include <string.h>

#include "http/multipart.h"
#include "http/req.h"
#include "http/router.h"
#include "inspect/inspect.h"
#include "core/utf8.h"
#include "http/reply.h"
#include "org/org.h"
#include "core/clock.h"
#include "org/org_db.h"
#include "spreadsheet/spreadsheet.h"
#include "store/store.h"
#include "survey/survey.h"
#include "survey/survey_api.h"

#define QUESTIONS_MAX_BODY (2L << 20)

enum { QC_SECTION, QC_KEY, QC_TYPE, QC_TITLE, QC_REQUIRED, QC_RATE, QC_CODE, QC_OPTIONS, QC_NCOLS };

static const char *const q_columns[QC_NCOLS] = {"分组", "题号", "题型",         "题目",
                                                "必答", "计入", "测评内容编码", "选项"};

static const struct sheet_column q_sheet_columns[QC_NCOLS] = {
    {"分组", 1, 's', "同一分组的题目写在相邻的行，如“一、社会文化环境治理”"},
    {"题号", 0, 's', "字母、数字、_ 或 -，不填按顺序编为 q1、q2 …"},
    {"题型", 1, 's', "单选、多选、评分或简答"},
    {"题目", 1, 's', "最多 300 字"},
    {"必答", 0, 's', "是 / 否，不填为是"},
    {"计入", 0, 's', "知晓率、支持率、参与率或满意度；不计入四率的题不填"},
    {"测评内容编码", 0, 's', "测评体系中测评内容或测评标准的编码，如 2.5.1"},
    {"选项", 0, 's',
     "选项=分值，用；分隔，如 满意=1；比较满意=0.8；一般=0.5；不清楚（不写分值即不计分）"},
};

static const char *const type_zh[][2] = {
    {"单选", "single"}, {"多选", "multiple"}, {"评分", "rating"}, {"简答", "text"}};

static const char *type_key(const char *s)
{
	size_t i;

	for (i = 0; i < sizeof(type_zh) / sizeof(type_zh[0]); i++)
		if (!strcmp(s, type_zh[i][0]) || !strcmp(s, type_zh[i][1]) ||
		    (!strncmp(s, type_zh[i][0], strlen(type_zh[i][0])) && strstr(s, "题")))
			return type_zh[i][1];
	return NULL;
}

static const char *type_title(const char *key)
{
	size_t i;

	for (i = 0; i < sizeof(type_zh) / sizeof(type_zh[0]); i++)
		if (!strcmp(key, type_zh[i][1]))
			return type_zh[i][0];
	return key;
}

/* GET /surveys/questions/template */
static int questions_template(struct req *r)
{
	static const char *const example[QC_NCOLS] = {"一、社会文化环境治理",
	                                              "q1",
	                                              "单选",
	                                              "您知道本县正在创建全国文明城市吗？",
	                                              "是",
	                                              "知晓率",
	                                              "1.6.1",
	                                              "知道=1；不知道=0"};
	struct error e;
	void *data;
	size_t len;

	error_init(&e);
	if (sheet_template("问卷题目", q_sheet_columns, QC_NCOLS, example, &data, &len, &e))
		return req_fail_error(r, &e);
	return http_reply_xlsx(r, data, len, "survey-questions-template", "问卷题目导入模板");
}

/* The framework the survey's indicators belong to: its own, else the active one. */
static int survey_indicators(struct req *r, const struct survey *s, struct indicator **all, int *n)
{
	struct ref *units, *types;
	int nunits, ntypes;
	int64_t fw = s->framework_id;
	struct error e;

	error_init(&e);
	*n = 0;
	*all = NULL;
	if (!fw && framework_active(r->db, s->tenant_id, &fw, &e))
		return e.code == ERR_NOT_FOUND ? 0 : req_fail_error(r, &e);
	if (indicator_all(r->db, fw, &r->arena, all, n, &units, &nunits, &types, &ntypes, &e))
		return req_fail_error(r, &e);
	return 0;
}

/* GET /surveys/{id}/questions/export */
static int questions_export(struct req *r)
{
	struct sheet_writer w;
	struct indicator *all;
	struct survey s;
	struct error e;
	int i, k, nall, rc;

	if (survey_param(r, &s) || survey_indicators(r, &s, &all, &nall))
		return r->err.code;
	error_init(&e);
	rc = sheet_writer_init(&w, "问卷题目", q_columns, QC_NCOLS, &e);
	for (i = 0; !rc && i < s.d.nquestions; i++) {
		const struct survey_question *q = &s.d.questions[i];
		struct strbuf opts = STRBUF_INIT;
		const char *code = "", *row[QC_NCOLS];
		static const char *const names[] = {"single", "multiple", "rating", "text",
		                                    "community"};

		for (k = 0; k < nall; k++)
			if (all[k].id == q->indicator_id)
				code = all[k].code;
		for (k = 0; k < q->noptions; k++) {
			strbuf_addf(&opts, "%s%s", k ? "；" : "", q->options[k].label);
			if (q->options[k].scored)
				strbuf_addf(&opts, "=%g", q->options[k].score);
		}
		row[QC_SECTION] = s.d.sections[q->section];
		row[QC_KEY] = q->key;
		row[QC_TYPE] = type_title(names[q->type]);
		row[QC_TITLE] = q->title;
		row[QC_REQUIRED] = q->required ? "是" : "否";
		row[QC_RATE] = survey_rate_title(q->rate);
		row[QC_CODE] = code;
		row[QC_OPTIONS] = arena_strdup(&r->arena, opts.len ? opts.buf : "");
		strbuf_release(&opts);
		rc = sheet_writer_row(&w, row, &e);
	}
	return http_reply_export(
	    r, &w, rc, &e, "survey.questions_export", "survey",
	    json_pack("{s:I, s:i}", "survey_id", (json_int_t)s.id, "rows", s.d.nquestions),
	    arena_printf(&r->arena, "survey-%lld-questions", (long long)s.id),
	    arena_printf(&r->arena, "问卷题目_%s", s.title));
}

/* "满意=1；比较满意=0.8；不清楚" into an options array; NULL (and an error) when unreadable. */
static json_t *options_of(const char *cell, json_t *errors, int row)
{
	json_t *arr = json_array();
	const char *p = cell;

	while (*p) {
		const char *end = p;
		size_t len;
		char item[256], *eq;
		json_t *o;

		while (*end && strncmp(end, "；", 3) && *end != ';' && strncmp(end, "，", 3) &&
		       *end != ',' && *end != '\n')
			end++;
		len = (size_t)(end - p);
		if (len >= sizeof(item)) {
			org_import_error(errors, row, "选项", "选项太长");
			json_decref(arr);
			return NULL;
		}
		memcpy(item, p, len);
		item[len] = '\0';
		p = *end ? end + (((unsigned char)*end) >= 0x80 ? 3 : 1) : end;
		while (len && item[len - 1] == ' ')
			item[--len] = '\0';
		if (!len)
			continue;
		eq = strrchr(item, '=');
		o = json_object();
		if (eq) {
			char *rest;
			double score;

			*eq = '\0';
			score = strtod(eq + 1, &rest);
			if (rest == eq + 1 || *rest || score < 0 || score > 1) {
				org_import_error(errors, row, "选项",
				                 "“%s”的分值应为 0 到 1 之间的数", item);
				json_decref(o);
				json_decref(arr);
				return NULL;
			}
			json_object_set_new(o, "score", json_real(score));
		}
		json_object_set_new(o, "label", json_string(item));
		json_array_append_new(arr, o);
	}
	return arr;
}

/* One sheet row as a question appended to the last section of design (or a new one). */
static void question_row(struct req *r, const struct sheet_row *sr, const int *col,
                         const struct indicator *all, int nall, json_t *sections, json_t *errors)
{
	const char *section = col[QC_SECTION] >= 0 ? sheet_cell(sr, col[QC_SECTION]) : "";
	const char *type = type_key(sheet_cell(sr, col[QC_TYPE]));
	const char *title = sheet_cell(sr, col[QC_TITLE]);
	const char *req = col[QC_REQUIRED] >= 0 ? sheet_cell(sr, col[QC_REQUIRED]) : "";
	const char *rate = col[QC_RATE] >= 0 ? sheet_cell(sr, col[QC_RATE]) : "";
	const char *code = col[QC_CODE] >= 0 ? sheet_cell(sr, col[QC_CODE]) : "";
	const char *key = col[QC_KEY] >= 0 ? sheet_cell(sr, col[QC_KEY]) : "";
	json_t *last = json_array_get(sections, json_array_size(sections) - 1), *q, *opts;
	int k, row = sr->number;

	if (!*section)
		section = last ? json_string_value(json_object_get(last, "title")) : "问卷";
	if (!type) {
		org_import_error(errors, row, "题型", "题型应为单选、多选、评分或简答");
		return;
	}
	if (!*title) {
		org_import_error(errors, row, "题目", "题目不能为空");
		return;
	}
	if (*rate && survey_rate_parse(rate) == RATE_NONE) {
		org_import_error(errors, row, "计入", "应为知晓率、支持率、参与率或满意度");
		return;
	}
	q = json_pack("{s:s, s:s, s:b}", "type", type, "title", title, "required",
	              strcmp(req, "否") && strcmp(req, "N") && strcmp(req, "n") &&
	                  strcmp(req, "0"));
	if (*key)
		json_object_set_new(q, "key", json_string(key));
	if (*rate)
		json_object_set_new(q, "rate",
		                    json_string(survey_rate_name(survey_rate_parse(rate))));
	if (*code) {
		for (k = 0; k < nall && strcmp(all[k].code, code); k++)
			;
		if (k == nall) {
			org_import_error(errors, row, "测评内容编码", "测评体系中没有编码 %s",
			                 code);
			json_decref(q);
			return;
		}
		json_object_set_new(q, "indicator_id", json_integer(all[k].id));
	}
	if (strcmp(type, "text")) {
		opts = options_of(col[QC_OPTIONS] >= 0 ? sheet_cell(sr, col[QC_OPTIONS]) : "",
		                  errors, row);
		if (!opts) {
			json_decref(q);
			return;
		}
		json_object_set_new(q, "options", opts);
	}
	if (!last || strcmp(json_string_value(json_object_get(last, "title")), section)) {
		last = json_pack("{s:s, s:[]}", "title", section, "questions");
		json_array_append_new(sections, last);
	}
	json_array_append_new(json_object_get(last, "questions"), q);
	(void)r;
}

/* POST /surveys/{id}/questions/import (multipart `file`): replaces a draft's questions */
static int questions_import(struct req *r)
{
	struct sheet sh = SHEET_INIT;
	struct indicator *all;
	struct survey s;
	struct error e;
	const char *filename;
	const void *data;
	size_t len;
	json_t *errors, *design, *sections;
	char *text;
	int col[QC_NCOLS], i, nall, rc;

	if (survey_param(r, &s))
		return r->err.code;
	if (strcmp(s.status, "draft"))
		return req_fail(r, ERR_CONFLICT, NULL,
		                "已发布的问卷不能修改，请复制为新版本后导入");
	error_init(&e);
	if (req_multipart_file(r, "file", &data, &len, &filename, &e) ||
	    sheet_read(data, len, filename, &sh, &e)) {
		sheet_release(&sh);
		return req_fail_error(r, &e);
	}
	if (survey_indicators(r, &s, &all, &nall)) {
		sheet_release(&sh);
		return r->err.code;
	}
	errors = json_array();
	if (org_import_header(&sh, q_columns, QC_NCOLS, 0, col, errors) ||
	    (col[QC_TYPE] < 0 && (org_import_error(errors, 1, "题型", "缺少“题型”列"), 1)) ||
	    (col[QC_TITLE] < 0 && (org_import_error(errors, 1, "题目", "缺少“题目”列"), 1))) {
		sheet_release(&sh);
		return http_reply_import_errors(r, errors);
	}
	sections = json_array();
	for (i = 1; i < sh.nrows; i++)
		question_row(r, &sh.rows[i], col, all, nall, sections, errors);
	sheet_release(&sh);
	design = json_pack("{s:o}", "sections", sections);
	if (!json_array_size(errors) && survey_design_parse(design, &r->arena, &s.d, &e))
		org_import_error(errors, 0, e.field, "%s", e.message);
	json_decref(design);
	if (json_array_size(errors))
		return http_reply_import_errors(r, errors);
	json_decref(errors);
	design = survey_design_json(&s.d, 1);
	text = json_dumps(design, JSON_COMPACT);
	json_decref(design);
	if (!text)
		return req_fail(r, ERR_INTERNAL, NULL, NULL);
	s.design_text = arena_strdup(&r->arena, text);
	free(text);
	s.updated_at = time_now_ms();
	rc = store_begin(r->db, 1, &e);
	if (!rc)
		rc = survey_update(r->db, &s, &e);
	if (!rc)
		rc = req_audit(r, r->db, "survey.questions_import", "survey", s.id,
		               json_pack("{s:s, s:i}", "file", filename ? filename : "",
		                         "questions", s.d.nquestions));
	if (req_tx_end(r, r->db, rc, &e))
		return r->err.code ? r->err.code : req_fail_error(r, &e);
	return req_reply_json(r, 200,
	                      json_pack("{s:I, s:{s:i}, s:[]}", "id", (json_int_t)s.id, "imported",
	                                "questions", s.d.nquestions, "errors"));
}

void survey_sheet_routes(struct router *rt)
{
	router_add(rt, "GET", "/api/v1/surveys/questions/template", questions_template,
	           "survey:edit", 0);
	router_add(rt, "GET", "/api/v1/surveys/{id}/questions/export", questions_export,
	           "survey:view", 0);
	router_add(rt, "POST", "/api/v1/surveys/{id}/questions/import", questions_import,
	           "survey:edit", QUESTIONS_MAX_BODY);
}

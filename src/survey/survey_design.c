/*
 * survey_design.c - a questionnaire's design without SQL or HTTP: parsing and
 * checking the sections, questions and options a designer sends, the JSON
 * the API answers with, and checking a response's answers against it.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "http/json_io.h"
#include "survey/survey.h"

static const char *const rate_names[NRATES] = {"awareness", "support", "participation",
                                               "satisfaction"};
static const char *const rate_titles[NRATES] = {"知晓率", "支持率", "参与率", "满意度"};
static const char *const type_names[] = {"single", "multiple", "rating", "text", "community"};

const char *survey_rate_name(int rate)
{
	return rate >= 0 && rate < NRATES ? rate_names[rate] : NULL;
}

const char *survey_rate_title(int rate)
{
	return rate >= 0 && rate < NRATES ? rate_titles[rate] : "";
}

int survey_rate_parse(const char *s)
{
	int i;

	for (i = 0; s && i < NRATES; i++)
		if (!strcmp(s, rate_names[i]) || !strcmp(s, rate_titles[i]))
			return i;
	return RATE_NONE;
}

static int type_parse(const char *s)
{
	int i;

	for (i = 0; i < (int)(sizeof(type_names) / sizeof(type_names[0])); i++)
		if (!strcmp(s, type_names[i]))
			return i;
	return -1;
}

/* A key of 1-32 characters of A-Z a-z 0-9 _ - */
static int key_ok(const char *k)
{
	size_t n = strlen(k);

	return n >= 1 && n <= 32 &&
	       strspn(k, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-") == n;
}

static int fail_at(struct error *e, struct arena *a, const char *prefix, const char *field,
                   const char *msg)
{
	return error_set(e, ERR_INVALID, arena_printf(a, "%s%s", prefix, field), "%s", msg);
}

/* The options of question q from v["options"]. */
static int options_parse(json_t *v, const char *prefix, struct arena *a, struct survey_question *q,
                         struct error *e)
{
	static const char *const keys[] = {"key", "label", "score", "scored", NULL};
	json_t *arr = json_object_get(v, "options"), *o;
	size_t i;
	int k;

	if (q->type == Q_TEXT || q->type == Q_COMMUNITY) {
		q->noptions = 0;
		q->options = NULL;
		return 0;
	}
	if (!json_is_array(arr) || json_array_size(arr) < 2)
		return fail_at(e, a, prefix, "options", "选择题至少需要两个选项");
	if (json_array_size(arr) > SURVEY_MAX_OPTIONS)
		return fail_at(e, a, prefix, "options", "选项最多 20 个");
	q->options = arena_calloc(a, json_array_size(arr) * sizeof(*q->options));
	q->noptions = 0;
	json_array_foreach(arr, i, o)
	{
		struct survey_option *op = &q->options[q->noptions];
		const char *p = arena_printf(a, "%soptions[%d].", prefix, (int)i);
		json_t *score;
		int scored = 1;

		if (!json_is_object(o))
			return fail_at(e, a, p, "label", "选项应为对象");
		op->key = arena_printf(a, "%c", 'a' + (int)i);
		if (json_only_keys(o, keys, e) ||
		    json_get_string(o, "key", JF_NULLABLE, 1, 32, &op->key, e) ||
		    json_get_string(o, "label", JF_REQUIRED, 1, 100, &op->label, e) ||
		    json_get_bool(o, "scored", JF_NULLABLE, &scored, e))
			return error_set(e, e->code, arena_printf(a, "%s%s", p, e->field), "%s",
			                 e->message);
		if (!key_ok(op->key))
			return fail_at(e, a, p, "key", "选项编号应为 1 到 32 位字母、数字、_ 或 -");
		score = json_object_get(o, "score");
		op->scored = scored;
		op->score = 0;
		if (score && !json_is_null(score)) {
			if (!json_is_number(score) || json_number_value(score) < 0 ||
			    json_number_value(score) > 1)
				return fail_at(e, a, p, "score", "分值应为 0 到 1 之间的数");
			op->score = json_number_value(score);
		} else {
			op->scored = 0; /* no score: 不清楚 and the like */
		}
		op->key = arena_strdup(a, op->key);
		op->label = arena_strdup(a, op->label);
		for (k = 0; k < q->noptions; k++)
			if (!strcmp(q->options[k].key, op->key))
				return fail_at(e, a, p, "key", "选项编号重复");
		q->noptions++;
	}
	return 0;
}

static int question_parse(json_t *v, const char *prefix, int section, int number, struct arena *a,
                          struct survey_question *q, struct error *e)
{
	static const char *const keys[] = {"key",  "type",         "title",   "required",
	                                   "rate", "indicator_id", "options", NULL};
	const char *type = NULL, *rate = NULL;
	int required = 1;

	memset(q, 0, sizeof(*q));
	if (!json_is_object(v))
		return fail_at(e, a, prefix, "title", "题目应为对象");
	q->key = arena_printf(a, "q%d", number);
	if (json_only_keys(v, keys, e) ||
	    json_get_string(v, "key", JF_NULLABLE, 1, 32, &q->key, e) ||
	    json_get_string(v, "type", JF_REQUIRED, 1, 16, &type, e) ||
	    json_get_string(v, "title", JF_REQUIRED, 1, 300, &q->title, e) ||
	    json_get_bool(v, "required", JF_NULLABLE, &required, e) ||
	    json_get_string(v, "rate", JF_NULLABLE, 1, 16, &rate, e) ||
	    json_get_int(v, "indicator_id", JF_NULLABLE, 1, INT64_MAX, &q->indicator_id, e))
		return error_set(e, e->code, arena_printf(a, "%s%s", prefix, e->field), "%s",
		                 e->message);
	q->key = arena_strdup(a, q->key);
	q->title = arena_strdup(a, q->title);
	if (!key_ok(q->key))
		return fail_at(e, a, prefix, "key", "题目编号应为 1 到 32 位字母、数字、_ 或 -");
	if (type_parse(type) < 0)
		return fail_at(e, a, prefix, "type",
		               "题型应为 single、multiple、rating、text 或 community");
	q->type = (enum survey_qtype)type_parse(type);
	q->required = required;
	q->section = section;
	q->rate = RATE_NONE;
	if (rate) {
		q->rate = survey_rate_parse(rate);
		if (q->rate == RATE_NONE)
			return fail_at(
			    e, a, prefix, "rate",
			    "指标应为 awareness、support、participation 或 satisfaction");
		if (q->type == Q_TEXT || q->type == Q_COMMUNITY)
			return fail_at(e, a, prefix, "rate", "只有选择题和评分题可以计入四率");
	}
	return options_parse(v, prefix, a, q, e);
}

int survey_design_parse(json_t *design, struct arena *a, struct survey_design *d, struct error *e)
{
	static const char *const keys[] = {"title", "questions", NULL};
	json_t *sections = json_object_get(design, "sections"), *sec, *qs, *qv;
	size_t i, j;
	int total = 0, n = 0, k, ncommunity = 0;

	memset(d, 0, sizeof(*d));
	if (!json_is_array(sections))
		return error_set(e, ERR_INVALID, "sections", "请提供问卷的分组和题目");
	json_array_foreach(sections, i, sec)
	{
		qs = json_object_get(sec, "questions");
		total += json_is_array(qs) ? (int)json_array_size(qs) : 0;
	}
	if (total > SURVEY_MAX_QUESTIONS)
		return error_set(e, ERR_INVALID, "sections", "题目最多 %d 个",
		                 SURVEY_MAX_QUESTIONS);
	d->sections = arena_calloc(a, (json_array_size(sections) + 1) * sizeof(char *));
	d->questions = arena_calloc(a, ((size_t)total + 1) * sizeof(*d->questions));
	json_array_foreach(sections, i, sec)
	{
		const char *prefix = arena_printf(a, "sections[%d].", (int)i), *title = NULL;

		if (!json_is_object(sec))
			return fail_at(e, a, prefix, "title", "分组应为对象");
		if (json_only_keys(sec, keys, e) ||
		    json_get_string(sec, "title", JF_REQUIRED, 1, 100, &title, e))
			return error_set(e, e->code, arena_printf(a, "%s%s", prefix, e->field),
			                 "%s", e->message);
		d->sections[d->nsections] = arena_strdup(a, title);
		qs = json_object_get(sec, "questions");
		if (!json_is_array(qs))
			return fail_at(e, a, prefix, "questions", "请提供该分组的题目");
		json_array_foreach(qs, j, qv)
		{
			const char *p = arena_printf(a, "%squestions[%d].", prefix, (int)j);
			struct survey_question *q = &d->questions[n];

			if (question_parse(qv, p, d->nsections, n + 1, a, q, e))
				return e->code;
			for (k = 0; k < n; k++)
				if (!strcmp(d->questions[k].key, q->key))
					return fail_at(e, a, p, "key", "题目编号重复");
			ncommunity += q->type == Q_COMMUNITY;
			n++;
		}
		d->nsections++;
	}
	if (ncommunity > 1)
		return error_set(e, ERR_INVALID, "sections", "所在社区题最多一个");
	d->nquestions = n;
	return 0;
}

const struct survey_question *survey_question_find(const struct survey_design *d, const char *key)
{
	int i;

	for (i = 0; i < d->nquestions; i++)
		if (!strcmp(d->questions[i].key, key))
			return &d->questions[i];
	return NULL;
}

static json_t *question_json(const struct survey_question *q, int full)
{
	json_t *j = json_pack("{s:s, s:s, s:s, s:b}", "key", q->key, "type", type_names[q->type],
	                      "title", q->title, "required", q->required);
	json_t *opts = json_array();
	int i;

	for (i = 0; i < q->noptions; i++) {
		const struct survey_option *o = &q->options[i];
		json_t *oj = json_pack("{s:s, s:s}", "key", o->key, "label", o->label);

		if (full) {
			json_object_set_new(oj, "score",
			                    o->scored ? json_real(o->score) : json_null());
			json_object_set_new(oj, "scored", json_boolean(o->scored));
		}
		json_array_append_new(opts, oj);
	}
	json_object_set_new(j, "options", opts);
	if (full) {
		json_object_set_new(j, "rate",
		                    q->rate == RATE_NONE ? json_null()
		                                         : json_string(survey_rate_name(q->rate)));
		json_object_set_new(j, "indicator_id",
		                    q->indicator_id ? json_integer(q->indicator_id) : json_null());
	}
	return j;
}

json_t *survey_design_json(const struct survey_design *d, int full)
{
	json_t *sections = json_array();
	int i, k;

	for (i = 0; i < d->nsections; i++) {
		json_t *qs = json_array();

		for (k = 0; k < d->nquestions; k++)
			if (d->questions[k].section == i)
				json_array_append_new(qs, question_json(&d->questions[k], full));
		json_array_append_new(
		    sections, json_pack("{s:s, s:o}", "title", d->sections[i], "questions", qs));
	}
	return json_pack("{s:o}", "sections", sections);
}

/* Characters (not bytes) of valid UTF-8 text. */
static size_t text_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static int option_index(const struct survey_question *q, const char *key)
{
	int i;

	for (i = 0; i < q->noptions; i++)
		if (!strcmp(q->options[i].key, key))
			return i;
	return -1;
}

int survey_answers_check(const struct survey_design *d, json_t *answers, struct error *e)
{
	const char *key;
	json_t *v;
	int i;

	if (!json_is_object(answers))
		return error_set(e, ERR_INVALID, "answers", "请填写问卷");
	json_object_foreach(answers, key, v)
	{
		const struct survey_question *q = survey_question_find(d, key);
		char field[64];

		snprintf(field, sizeof(field), "answers.%.40s", key);
		if (!q || q->type == Q_COMMUNITY)
			return error_set(e, ERR_INVALID, field, "问卷没有这道题");
		if (json_is_null(v))
			continue;
		switch (q->type) {
		case Q_SINGLE:
		case Q_RATING:
			if (!json_is_string(v) || option_index(q, json_string_value(v)) < 0)
				return error_set(e, ERR_INVALID, field, "“%s”的选项不存在",
				                 q->title);
			break;
		case Q_MULTIPLE: {
			size_t j, m;
			json_t *o, *p;

			if (!json_is_array(v) || json_array_size(v) > (size_t)q->noptions)
				return error_set(e, ERR_INVALID, field, "“%s”应为选项列表",
				                 q->title);
			json_array_foreach(v, j, o)
			{
				if (!json_is_string(o) || option_index(q, json_string_value(o)) < 0)
					return error_set(e, ERR_INVALID, field, "“%s”的选项不存在",
					                 q->title);
				for (m = 0; m < j; m++) {
					p = json_array_get(v, m);
					if (!strcmp(json_string_value(p), json_string_value(o)))
						return error_set(e, ERR_INVALID, field, "选项重复");
				}
			}
			break;
		}
		case Q_TEXT:
			if (!json_is_string(v) ||
			    text_chars(json_string_value(v)) > SURVEY_TEXT_MAX)
				return error_set(e, ERR_INVALID, field, "“%s”最多 %d 个字",
				                 q->title, SURVEY_TEXT_MAX);
			break;
		default:
			break;
		}
	}
	for (i = 0; i < d->nquestions; i++) {
		const struct survey_question *q = &d->questions[i];
		json_t *a = json_object_get(answers, q->key);
		int empty = !a || json_is_null(a) || (json_is_array(a) && !json_array_size(a)) ||
		            (json_is_string(a) && !*json_string_value(a));

		if (q->required && q->type != Q_COMMUNITY && empty) {
			char field[64];

			snprintf(field, sizeof(field), "answers.%.40s", q->key);
			return error_set(e, ERR_INVALID, field, "请回答“%s”", q->title);
		}
	}
	return 0;
}

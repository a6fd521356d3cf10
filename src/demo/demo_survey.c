/*
 * demo_survey.c - the demo county's resident questionnaire: a 16-item
 * survey (社会文化环境治理, 社区服务工作, 法治宣传教育 …) tied to the
 * framework's questionnaire standards, in two waves of one series: the first
 * closed with 10 responses per community, the second published with a quota
 * of 35 per community and about 1,150 responses, 1,500 in all.  Three
 * communities are weak (fewer residents know, take part or are satisfied);
 * a few responses are too fast or straight-lined, and some of those are
 * rejected.  Everything goes through the survey module's functions, driven
 * by a seeded generator, so the county is the same on every run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "demo/demo.h"
#include "inspect/inspect.h"
#include "org/org_db.h"
#include "store/store.h"
#include "survey/survey.h"

static const struct {
	const char *item, *question;
	int rate;
} questions[16] = {
    {"社会文化环境治理", "您知道本县正在创建全国文明城市吗？", RATE_AWARENESS},
    {"社区服务工作", "您对所在社区的便民服务满意吗？", RATE_SATISFACTION},
    {"法治宣传教育", "您知道社区开展的法治宣传活动吗？", RATE_AWARENESS},
    {"志愿服务", "近一年您参加过志愿服务活动吗？", RATE_PARTICIPATION},
    {"公共文明秩序", "您支持文明交通、文明排队等倡议吗？", RATE_SUPPORT},
    {"环境卫生", "您对小区和街道的环境卫生满意吗？", RATE_SATISFACTION},
    {"移风易俗", "您支持红事新办、白事简办吗？", RATE_SUPPORT},
    {"诚信建设", "您知道“诚信红黑榜”发布制度吗？", RATE_AWARENESS},
    {"新时代文明实践", "您参加过新时代文明实践站的活动吗？", RATE_PARTICIPATION},
    {"公共文化服务", "您对身边的图书室、文化广场满意吗？", RATE_SATISFACTION},
    {"未成年人思想道德建设", "您对学校周边环境治理满意吗？", RATE_SATISFACTION},
    {"垃圾分类", "您家里坚持垃圾分类投放吗？", RATE_PARTICIPATION},
    {"核心价值观宣传", "您在身边看到过社会主义核心价值观公益广告吗？", RATE_AWARENESS},
    {"文明家庭创建", "您支持参与文明家庭评选吗？", RATE_SUPPORT},
    {"背街小巷整治", "您对背街小巷的整治效果满意吗？", RATE_SATISFACTION},
    {"创建工作总体评价", "您对本县创建文明城市工作总体满意吗？", RATE_SATISFACTION},
};

/* Options per rate: key, label, score (-1: not counted); positive first except participation. */
static const struct {
	const char *key, *label;
	double score;
} options[NRATES][5] = {
    [RATE_AWARENESS] = {{"y", "知道", 1}, {"n", "不知道", 0}},
    [RATE_SUPPORT] = {{"y", "支持", 1}, {"m", "无所谓", 0.5}, {"n", "不支持", 0}},
    [RATE_PARTICIPATION] = {{"n", "没有参加", 0}, {"s", "偶尔参加", 0.6}, {"y", "经常参加", 1}},
    [RATE_SATISFACTION] = {{"a", "满意", 1},
                           {"b", "比较满意", 0.8},
                           {"c", "一般", 0.5},
                           {"d", "不满意", 0},
                           {"x", "不清楚", -1}},
};
static const int noptions[NRATES] = {2, 3, 3, 5};

STORE_SQL(q_demo_communities, "SELECT id FROM units WHERE tenant_id = ? AND kind = 'community'"
                              " ORDER BY sort, id");
STORE_SQL(q_demo_surveyors, "SELECT id FROM users WHERE tenant_id = ? AND username LIKE 'vol%'"
                            " ORDER BY username");

static int ids_of(struct store_conn *c, const struct store_sql *q, int64_t tenant_id, int64_t *out,
                  int max, struct error *e)
{
	struct store_val args[] = {sv_int(tenant_id)};
	struct store_rows *r;
	int n = 0, rc;

	if ((rc = store_query(c, q, args, 1, &r, e)))
		return -1;
	while ((rc = store_next(r)) > 0 && n < max)
		out[n++] = store_int(r, 0);
	store_finish(r);
	return rc < 0 ? -1 : n;
}

/* The design: one question per item, tied to the i-th questionnaire standard. */
static json_t *demo_design(const int64_t *standards, int nstd)
{
	json_t *qs = json_array(), *extra = json_array();
	int i, k;

	for (i = 0; i < 16; i++) {
		int rate = questions[i].rate;
		json_t *opts = json_array();
		char key[16];

		snprintf(key, sizeof(key), "q%02d", i + 1);
		for (k = 0; k < noptions[rate]; k++) {
			json_t *o = json_pack("{s:s, s:s}", "key", options[rate][k].key, "label",
			                      options[rate][k].label);

			if (options[rate][k].score >= 0)
				json_object_set_new(o, "score", json_real(options[rate][k].score));
			json_array_append_new(opts, o);
		}
		json_array_append_new(
		    i < 12 ? qs : extra,
		    json_pack("{s:s, s:s, s:s, s:s, s:o, s:o}", "key", key, "type",
		              rate == RATE_SATISFACTION ? "rating" : "single", "title",
		              questions[i].question, "rate", survey_rate_name(rate), "indicator_id",
		              nstd ? json_integer(standards[i % nstd]) : json_null(), "options",
		              opts));
	}
	json_array_append_new(extra, json_pack("{s:s, s:s, s:s, s:b}", "key", "q17", "type", "text",
	                                       "title", "您对创建工作还有哪些意见和建议？",
	                                       "required", 0));
	return json_pack("{s:[{s:s, s:o}, {s:s, s:o}]}", "sections", "title",
	                 "一、创建工作知晓与参与", "questions", qs, "title", "二、满意度评价",
	                 "questions", extra);
}

/* A response of community strength p (0..1): each question answered by a draw. */
static json_t *demo_answers(uint64_t *rng, double p, int straight)
{
	json_t *a = json_object();
	int i;

	for (i = 0; i < 16; i++) {
		int rate = questions[i].rate, pick;
		double u = (double)(splitmix64(rng) >> 11) / 9007199254740992.0;
		char key[16];

		snprintf(key, sizeof(key), "q%02d", i + 1);
		if (straight)
			pick = 0;
		else if (rate == RATE_AWARENESS)
			pick = u < p ? 0 : 1;
		else if (rate == RATE_SUPPORT)
			pick = u < p + 0.08 ? 0 : u < p + 0.14 ? 1 : 2;
		else if (rate == RATE_PARTICIPATION)
			pick = u < p - 0.25 ? 2 : u < p ? 1 : 0;
		else
			pick = u < p - 0.3    ? 0
			       : u < p - 0.05 ? 1
			       : u < p + 0.1  ? 2
			       : u < 0.97     ? 3
			                      : 4;
		if (pick >= noptions[rate])
			pick = noptions[rate] - 1;
		json_object_set_new(a, key, json_string(options[rate][pick].key));
	}
	return a;
}

/* Fill one wave: per responses per community, reviewing flagged ones when reject. */
static int demo_wave(struct store_conn *c, struct survey *s, const int64_t *comms, int ncomms,
                     const int64_t *vols, int nvols, int per, double lift, uint64_t seed,
                     int64_t now, struct arena *a, int *made, struct error *e)
{
	static const char *const ages[] = {"18-29", "30-44", "45-59", "60+"};
	uint64_t rng = seed;
	int i, k, rc = 0;

	for (i = 0; !rc && i < ncomms; i++) {
		/* three weak communities; the rest between 0.78 and 0.93 */
		int weak = i == 5 || i == 17 || i == 29;
		double p = (weak ? 0.52 : 0.78 + 0.15 * (double)((i * 7) % 10) / 10) + lift;
		int n = weak ? per * 2 / 3 : per - (i % 4);

		for (k = 0; !rc && k < n; k++) {
			struct survey_response x;
			uint64_t draw = splitmix64(&rng);
			int straight = draw % 67 == 0, fast = draw % 41 == 1;
			json_t *ans = demo_answers(&rng, p > 0.97 ? 0.97 : p, straight);

			memset(&x, 0, sizeof(x));
			x.unit_id = comms[i];
			x.channel = "surveyor";
			x.client_key = arena_printf(a, "demo-%lld-%d-%d", (long long)s->id, i, k);
			x.surveyor_id = nvols ? vols[(i + k) % nvols] : 0;
			x.ip = "";
			x.phone = draw % 5 == 0
			              ? arena_printf(a, "139%08d", (int)(draw % 100000000))
			              : "";
			x.age_group = ages[draw % 4];
			x.sex = draw % 2 ? "male" : "female";
			x.has_location = 1;
			x.lat = 29.99 + (double)(i % 8) * 0.003 + (double)(draw % 100) / 50000;
			x.lng = 119.99 + (double)(i / 8) * 0.004 + (double)(draw % 77) / 50000;
			x.duration_ms = fast ? 20000 + (int64_t)(draw % 20000)
			                     : 150000 + (int64_t)(draw % 240000);
			x.submitted_at = now - (int64_t)(draw % (7 * 86400)) * 1000;
			rc = survey_respond(c, s, &x, ans, a, e);
			json_decref(ans);
			if (!rc && x.flags)
				rc = survey_response_review(
				    c, x.id, fast ? "rejected" : "accepted",
				    fast ? "用时过短，剔除" : "核实为有效答卷", 0, now, e);
			if (!rc)
				(*made)++;
		}
	}
	return rc;
}

int demo_survey_fill(struct store_conn *c, int64_t tenant_id, int *responses, struct error *e)
{
	int64_t comms[64], vols[32], standards[32], fw = 0, now = time_now_ms();
	struct indicator *all;
	struct ref *units, *types;
	int ncomms, nvols, nstd = 0, nall, nunits, ntypes, i, rc;
	struct survey_quota quotas[64];
	struct survey s[2];
	struct arena a;
	json_t *design;
	char *text;

	*responses = 0;
	ncomms = ids_of(c, &q_demo_communities, tenant_id, comms, 64, e);
	nvols = ids_of(c, &q_demo_surveyors, tenant_id, vols, 32, e);
	if (ncomms < 0 || nvols < 0)
		return e->code ? e->code : ERR_INTERNAL;
	arena_init(&a);
	rc = framework_active(c, tenant_id, &fw, e);
	if (!rc)
		rc = indicator_all(c, fw, &a, &all, &nall, &units, &nunits, &types, &ntypes, e);
	for (i = 0; !rc && i < nall && nstd < 32; i++)
		if (all[i].level == 3 && all[i].methods == METHOD_QUESTIONNAIRE)
			standards[nstd++] = all[i].id;
	design = demo_design(standards, nstd);
	text = json_dumps(design, JSON_COMPACT);
	json_decref(design);
	for (i = 0; !rc && i < 2; i++) {
		memset(&s[i], 0, sizeof(s[i]));
		s[i].tenant_id = tenant_id;
		s[i].framework_id = fw;
		s[i].title = i ? "2026 年第二轮群众满意度测评" : "2026 年第一轮群众满意度测评";
		s[i].intro = "为了解群众对文明城市创建工作的知晓、支持、参与和满意情况，请您花 3 "
		             "分钟填写本问卷。问卷匿名，手机号选填。";
		s[i].series = "群众满意度测评";
		s[i].wave = i ? "第二轮" : "第一轮";
		s[i].version = i + 1;
		s[i].previous_id = i ? s[0].id : 0;
		s[i].min_seconds = 60;
		s[i].design_text = text;
		s[i].created_at = s[i].updated_at = now - (int64_t)(2 - i) * 30 * 86400 * 1000;
		rc = survey_insert(c, &s[i], e);
		if (!rc) {
			int k;

			for (k = 0; k < ncomms; k++) {
				memset(&quotas[k], 0, sizeof(quotas[k]));
				quotas[k].unit_id = comms[k];
				quotas[k].age_group = quotas[k].sex = "";
				quotas[k].target = i ? 35 : 10;
			}
			rc = survey_quotas_replace(c, s[i].id, quotas, ncomms, e);
		}
		if (!rc)
			rc = survey_set_status(c, s[i].id, "published",
			                       i ? "demo-wave2-questionnaire"
			                         : "demo-wave1-questionnaire",
			                       s[i].created_at, e);
		/* survey_respond needs the parsed design and the published status */
		if (!rc)
			rc = survey_get(c, tenant_id, s[i].id, &a, &s[i], e);
		if (!rc)
			rc = demo_wave(c, &s[i], comms, ncomms, vols, nvols, i ? 31 : 10,
			               i ? 0.04 : 0, (uint64_t)(20260 + i),
			               s[i].created_at + 10 * 86400 * 1000LL, &a, responses, e);
		if (!rc && !i)
			rc = survey_set_status(c, s[i].id, "closed", "", now - 20 * 86400 * 1000LL,
			                       e);
	}
	free(text);
	arena_release(&a);
	return rc;
}

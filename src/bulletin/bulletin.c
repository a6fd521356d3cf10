/*
 * bulletin.c - composing a 通报 draft from a period and editing it: the
 * figures and overdue units (bulletin_db.c), the unit table and the red and
 * black lists from the ranking composite of the period (ranking/), the
 * attached plan (plan/), typical problems with their photos (problem/).
 * No HTTP; every write runs in the caller's transaction.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "announcement/announcement.h"
#include "assess/assess.h"
#include "auth/auth.h"
#include "bulletin/bulletin.h"
#include "core/clock.h"
#include "files/files.h"
#include "http/json_io.h"
#include "org/org.h"
#include "plan/plan.h"
#include "problem/problem.h"
#include "problem/problem_fsm.h"
#include "ranking/ranking.h"
#include "settings/settings.h"
#include "store/store.h"

#define DAY_MS (86400LL * 1000)

const char *bulletin_date_text(const char *ymd, int with_year, struct arena *a)
{
	int y, m, d;

	if (sscanf(ymd, "%d-%d-%d", &y, &m, &d) != 3)
		return ymd;
	return with_year ? arena_printf(a, "%d年%d月%d日", y, m, d)
	                 : arena_printf(a, "%d月%d日", m, d);
}

const char *bulletin_period_text(const struct bulletin *b, struct arena *a)
{
	int same_year = !strncmp(b->from, b->to, 4);

	return arena_printf(a, "%s至%s", bulletin_date_text(b->from, 1, a),
	                    bulletin_date_text(b->to, !same_year, a));
}

static json_int_t fig(json_t *f, const char *k)
{
	return json_integer_value(json_object_get(f, k));
}

const char *bulletin_figures_text(json_t *f, struct arena *a)
{
	return arena_printf(
	    a,
	    "本期共发现问题 %lld 个，办结 %lld 个，截至期末超期未整改 %lld 个；"
	    "开展实地测评督查 %lld 轮次，检查点位 %lld 个次；"
	    "各单位报送网上申报材料 %lld 份，审核通过 %lld 份；"
	    "工作台账共有任务 %lld 项，已完成 %lld 项，超期未完成 %lld 项。",
	    (long long)fig(f, "problems_found"), (long long)fig(f, "problems_closed"),
	    (long long)fig(f, "problems_overdue"), (long long)fig(f, "inspection_rounds"),
	    (long long)fig(f, "inspection_records"), (long long)fig(f, "materials_submitted"),
	    (long long)fig(f, "materials_approved"), (long long)fig(f, "tasks_total"),
	    (long long)fig(f, "tasks_done"), (long long)fig(f, "tasks_overdue"));
}

json_t *bulletin_content(const struct bulletin *b)
{
	json_t *j = json_loads(b->content ? b->content : "{}", 0, NULL);

	return json_is_object(j) ? j : (json_decref(j), json_object());
}

/* j as compact JSON text in a; j is released. */
static const char *json_text(struct arena *a, json_t *j)
{
	char *t = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
	const char *out = arena_strdup(a, t ? t : "{}");

	free(t);
	json_decref(j);
	return out;
}

/* "YYYY-MM-DD" of ms in the tenant's zone. */
static void day_of(int64_t ms, int minutes, char out[11])
{
	char buf[20];

	tz_format(ms, minutes, buf);
	snprintf(out, 11, "%.10s", buf);
}

static json_t *unit_row_json(const struct rank_row *r)
{
	json_t *j = json_pack("{s:I, s:s, s:i, s:I, s:I, s:I, s:I}", "unit_id",
	                      (json_int_t)r->unit_id, "unit_name", r->unit_name, "rank", r->rank,
	                      "due", (json_int_t)r->due, "closed", (json_int_t)r->closed, "on_time",
	                      (json_int_t)r->on_time, "overdue", (json_int_t)r->overdue);

	json_object_set_new(j, "score", json_real(r->score));
	json_object_set_new(j, "grade", json_sprintf("%c", r->grade));
	return j;
}

/*
 * The unit table and the red and black lists from the ranking composite of
 * [start, end): the scored units by rank, the first BULLETIN_LIST_LEN red,
 * the last BULLETIN_LIST_LEN (not red) black.
 */
static int ranking_sections(struct store_conn *c, int64_t tenant_id, int64_t start, int64_t end,
                            int64_t now, struct arena *a, json_t *content, struct error *e)
{
	static const struct scope all = {1, 0, "[]", ""};
	struct tenant_settings set;
	struct ranking_query q;
	struct ranking_cached cached;
	struct rank_row *rows;
	json_t *units = json_array(), *red = json_array(), *black = json_array();
	int i, n, scored = 0, rc, nred;

	memset(&q, 0, sizeof(q));
	rc = ranking_version(c, tenant_id, &q.version, e);
	if (rc == 0)
		rc = settings_get(c, tenant_id, a, &set, e);
	q.start = start;
	q.end = end;
	q.cut = end < now ? end : now;
	q.scope = &all;
	q.subtree = "";
	if (rc == 0)
		rc = ranking_counts(c, tenant_id, &q, a, &rows, &n, &cached, e);
	if (rc) {
		json_decref(units);
		json_decref(red);
		json_decref(black);
		return rc;
	}
	for (i = 0; i < n; i++)
		ranking_compute(&rows[i], &set);
	ranking_sort(rows, n);
	for (i = 0; i < n && rows[i].has_score; i++) {
		json_array_append_new(units, unit_row_json(&rows[i]));
		scored++;
	}
	nred = scored < 2 * BULLETIN_LIST_LEN ? scored / 2 : BULLETIN_LIST_LEN;
	for (i = 0; i < nred; i++)
		json_array_append_new(red, unit_row_json(&rows[i]));
	for (i = scored - 1; i >= scored - nred; i--)
		json_array_append_new(black, unit_row_json(&rows[i]));
	json_object_set_new(content, "units", units);
	json_object_set_new(content, "red", red);
	json_object_set_new(content, "black", black);
	json_object_set_new(content, "basis", json_string("ranking"));
	json_object_set_new(
	    content, "basis_note",
	    json_string("单位排名、红黑榜按本期问题闭环综合得分（结案率、按期结案率、返工率、"
	                "反弹率、延期率加权）计算；选定考核期生成时改用考核结果。"));
	return 0;
}

static int typical_entry(struct store_conn *c, int64_t tenant_id, int64_t id, const char *comment,
                         struct arena *a, json_t **out, struct error *e);

/* The typical problems a new draft proposes for [start, end). */
static int typical_proposed(struct store_conn *c, int64_t tenant_id, int64_t start, int64_t end,
                            struct arena *a, json_t **out, struct error *e)
{
	int64_t ids[BULLETIN_PROPOSED];
	json_t *entry;
	int i, n = 0, rc;

	*out = json_array();
	rc =
	    bulletin_db_typical_candidates(c, tenant_id, start, end, BULLETIN_PROPOSED, ids, &n, e);
	for (i = 0; rc == 0 && i < n; i++)
		if ((rc = typical_entry(c, tenant_id, ids[i], "", a, &entry, e)) == 0)
			json_array_append_new(*out, entry);
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

/*
 * The unit table and the red and black lists from the results of
 * assessment period id: every unit with a total, by kind and rank within it;
 * red and black as the assessment's rule put them.
 */
static int assessment_sections(struct store_conn *c, int64_t tenant_id, int64_t id, struct arena *a,
                               json_t *content, struct error *e)
{
	struct assess_period p;
	struct assess_result *res;
	json_t *units, *red, *black, *j;
	int i, n, rc;

	rc = assessment_get(c, tenant_id, id, a, &p, e);
	if (rc == ERR_NOT_FOUND)
		return error_set(e, ERR_INVALID, "assessment_id", "考核期不存在");
	if (rc == 0)
		rc = assessment_results(c, tenant_id, id, a, &res, &n, e);
	if (rc)
		return rc;
	units = json_array();
	red = json_array();
	black = json_array();
	for (i = 0; i < n; i++) {
		if (!res[i].rank)
			continue;
		j = json_pack("{s:I, s:s, s:s, s:i, s:s}", "unit_id", (json_int_t)res[i].unit_id,
		              "unit_name", res[i].unit_name, "kind",
		              unit_kind_title(res[i].unit_kind ? res[i].unit_kind : ""), "rank",
		              res[i].rank, "grade", res[i].grade ? res[i].grade : "");
		json_object_set_new(j, "score", json_real(res[i].total));
		json_object_set_new(j, "adjust", json_real(res[i].adjust));
		if (res[i].list > 0)
			json_array_append(red, j);
		else if (res[i].list < 0)
			json_array_append(black, j);
		json_array_append_new(units, j);
	}
	assess_results_release(res, n);
	json_object_set_new(content, "units", units);
	json_object_set_new(content, "red", red);
	json_object_set_new(content, "black", black);
	json_object_set_new(content, "basis", json_string("assessment"));
	json_object_set_new(content, "basis_note",
	                    json_string(arena_printf(
	                        a, "单位排名、红黑榜取自考核结果「%s」（%s），在同类单位中排名。",
	                        p.title, !strcmp(p.status, "published") ? "已发布" : "未发布")));
	json_object_set_new(content, "assessment_title", json_string(p.title));
	return 0;
}

int bulletin_create(struct store_conn *c, const struct bulletin_new *in, struct arena *a,
                    int64_t *id, struct error *e)
{
	struct bulletin b;
	struct tenant_settings set;
	struct plan_node *plans;
	json_t *content = NULL, *figures = NULL, *overdue = NULL, *typical = NULL;
	int64_t start, last, end, cut;
	char day[11], today[11], number[SETTINGS_SHEET_FORMAT_MAX + 32];
	int rc, nplans = 0;

	*id = 0;
	if (!in->from || tz_parse_date(in->from, in->minutes, &start))
		return error_set(e, ERR_INVALID, "from", "开始日期 from 应为 YYYY-MM-DD");
	if (!in->to || tz_parse_date(in->to, in->minutes, &last))
		return error_set(e, ERR_INVALID, "to", "结束日期 to 应为 YYYY-MM-DD");
	if (last < start)
		return error_set(e, ERR_INVALID, "to", "结束日期不能早于开始日期");
	if ((last - start) / DAY_MS + 1 > BULLETIN_MAX_DAYS)
		return error_set(e, ERR_INVALID, "to", "通报期最长 %d 天", BULLETIN_MAX_DAYS);
	if (start > in->now)
		return error_set(e, ERR_INVALID, "from", "通报期不能在今天之后开始");
	end = last + DAY_MS;
	cut = end < in->now ? end : in->now;
	day_of(cut - 1, in->minutes, day);
	day_of(in->now, in->minutes, today);

	memset(&b, 0, sizeof(b));
	b.tenant_id = in->tenant_id;
	b.from = in->from;
	b.to = in->to;
	b.created_by = in->user_id;
	b.created_at = in->now;
	b.assessment_id = in->assessment_id;
	/* no period asked for: the published assessment of exactly this period, if any */
	if (!b.assessment_id && (rc = bulletin_db_assessment_of(c, in->tenant_id, in->from, in->to,
	                                                        &b.assessment_id, e)))
		return rc;
	b.year = atoi(today);
	content = json_object();
	rc = bulletin_db_figures(c, in->tenant_id, start, end, cut, day, &figures, e);
	if (rc == 0)
		rc = bulletin_db_overdue_units(c, in->tenant_id, cut, &overdue, e);
	if (rc == 0)
		rc = b.assessment_id
		         ? assessment_sections(c, in->tenant_id, b.assessment_id, a, content, e)
		         : ranking_sections(c, in->tenant_id, start, end, in->now, a, content, e);
	if (rc == 0)
		rc = typical_proposed(c, in->tenant_id, start, end, a, &typical, e);
	if (rc == 0)
		rc = plan_db_plans(c, in->tenant_id, a, &plans, &nplans, e);
	if (rc == 0)
		rc = settings_get(c, in->tenant_id, a, &set, e);
	if (rc == 0)
		rc = bulletin_db_next_seq(c, in->tenant_id, b.year, &b.seq, e);
	if (rc == 0)
		rc = settings_bulletin_number(set.bulletin_number_format, b.year, b.seq, number,
		                              sizeof(number), e);
	if (rc) {
		json_decref(content);
		json_decref(figures);
		json_decref(overdue);
		json_decref(typical);
		return rc;
	}
	b.number = number;
	b.title =
	    arena_printf(a, "关于%s创建文明城市工作督查情况的通报", bulletin_period_text(&b, a));
	json_object_set_new(content, "summary", json_string(bulletin_figures_text(figures, a)));
	json_object_set_new(content, "figures", figures);
	json_object_set_new(content, "overdue_units", overdue);
	json_object_set_new(content, "typical", typical);
	json_object_set_new(
	    content, "suggestions",
	    json_string("请各单位对照本期通报的问题逐一整改，超期问题于一周内整改到位"
	                "并在系统中反馈；红榜单位总结经验，黑榜单位主要负责人要"
	                "专题研究、限期整改。"));
	json_object_set_new(content, "plan_id", nplans ? json_integer(plans[0].id) : json_null());
	json_object_set_new(content, "plan_title",
	                    nplans ? json_string(plans[0].title) : json_null());
	json_object_set_new(content, "as_of", json_string(day));
	b.content = json_text(a, content);
	rc = bulletin_db_insert(c, &b, e);
	*id = b.id;
	return rc;
}

/* The typical problem id of the tenant as the draft keeps it: its first before and after photo. */
static int typical_entry(struct store_conn *c, int64_t tenant_id, int64_t id, const char *comment,
                         struct arena *a, json_t **out, struct error *e)
{
	struct problem p;
	json_t *photos = NULL, *ph;
	int64_t before = 0, after = 0;
	size_t i;
	int rc;

	*out = NULL;
	rc = problem_get(c, tenant_id, NULL, id, a, &p, e);
	if (rc == ERR_NOT_FOUND)
		return error_set(e, ERR_INVALID, "typical", "问题 %lld 不存在", (long long)id);
	if (rc == 0)
		rc = problem_photos_json(c, &p, &photos, e);
	if (rc)
		return rc;
	json_array_foreach(photos, i, ph)
	{
		const char *kind = json_string_value(json_object_get(ph, "kind"));
		int64_t f = json_integer_value(json_object_get(ph, "file_id"));

		if (kind && !strcmp(kind, "before") && !before)
			before = f;
		else if (kind && !strcmp(kind, "after") && !after)
			after = f;
	}
	json_decref(photos);
	*out = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "problem_id", (json_int_t)p.id,
	                 "code", p.code, "category", p.category_name, "unit_name",
	                 p.lead_unit_name ? p.lead_unit_name : "", "place",
	                 *p.address ? p.address : (p.point_name ? p.point_name : ""), "description",
	                 p.description, "status", problem_status_title(p.status), "comment",
	                 comment ? comment : "");
	json_object_set_new(*out, "before_file_id", before ? json_integer(before) : json_null());
	json_object_set_new(*out, "after_file_id", after ? json_integer(after) : json_null());
	return 0;
}

static int typical_field(struct store_conn *c, int64_t tenant_id, json_t *arr, struct arena *a,
                         json_t **out, struct error *e)
{
	json_t *v, *entry;
	size_t i, k;
	int rc;

	*out = NULL;
	if (!json_is_array(arr))
		return error_set(e, ERR_INVALID, "typical", "typical 应为数组");
	if (json_array_size(arr) > BULLETIN_MAX_TYPICAL)
		return error_set(e, ERR_INVALID, "typical", "典型问题最多 %d 个",
		                 BULLETIN_MAX_TYPICAL);
	*out = json_array();
	json_array_foreach(arr, i, v)
	{
		static const char *const keys[] = {"problem_id", "comment", NULL};
		const char *comment = NULL;
		int64_t pid = 0;

		if (!json_is_object(v) || json_only_keys(v, keys, e) ||
		    json_get_int(v, "problem_id", JF_REQUIRED, 1, INT64_MAX, &pid, e) ||
		    json_get_string(v, "comment", JF_NULLABLE, 0, BULLETIN_COMMENT_MAX, &comment,
		                    e)) {
			json_decref(*out);
			*out = NULL;
			if (!e->code)
				return error_set(e, ERR_INVALID, "typical",
				                 "典型问题应为 {problem_id, comment}");
			snprintf(e->field, sizeof(e->field), "typical");
			return e->code;
		}
		for (k = 0; k < i; k++)
			if (json_integer_value(
			        json_object_get(json_array_get(arr, k), "problem_id")) == pid) {
				json_decref(*out);
				*out = NULL;
				return error_set(e, ERR_INVALID, "typical", "问题 %lld 重复",
				                 (long long)pid);
			}
		if ((rc = typical_entry(c, tenant_id, pid, comment, a, &entry, e))) {
			json_decref(*out);
			*out = NULL;
			return rc;
		}
		json_array_append_new(*out, entry);
	}
	return 0;
}

int bulletin_edit(struct store_conn *c, const struct bulletin *b, json_t *body, int64_t user_id,
                  int64_t now, struct arena *a, struct error *e)
{
	static const char *const keys[] = {"title",   "summary", "suggestions",
	                                   "typical", "plan_id", NULL};
	struct bulletin nb = *b;
	const char *title = NULL, *summary = NULL, *suggestions = NULL;
	json_t *content, *typical = NULL, *pv;
	int64_t plan_id = 0;
	int rc;

	if (strcmp(b->status, "draft"))
		return error_set(e, ERR_CONFLICT, NULL, "通报已印发，不能再修改");
	if (json_only_keys(body, keys, e) ||
	    json_get_string(body, "title", JF_NULLABLE, 1, BULLETIN_TITLE_MAX, &title, e) ||
	    json_get_string(body, "summary", JF_NULLABLE, 0, BULLETIN_TEXT_MAX, &summary, e) ||
	    json_get_string(body, "suggestions", JF_NULLABLE, 0, BULLETIN_TEXT_MAX, &suggestions,
	                    e))
		return e->code;
	pv = json_object_get(body, "plan_id");
	if (pv && !json_is_null(pv) &&
	    json_get_int(body, "plan_id", JF_REQUIRED, 1, INT64_MAX, &plan_id, e))
		return e->code;
	content = bulletin_content(b);
	if (json_object_get(body, "typical") &&
	    (rc = typical_field(c, b->tenant_id, json_object_get(body, "typical"), a, &typical,
	                        e))) {
		json_decref(content);
		return rc;
	}
	if (typical)
		json_object_set_new(content, "typical", typical);
	if (pv && json_is_null(pv)) {
		json_object_set_new(content, "plan_id", json_null());
		json_object_set_new(content, "plan_title", json_null());
	} else if (plan_id) {
		struct plan_node pn;

		rc = plan_db_get(c, b->tenant_id, NULL, plan_id, a, &pn, e);
		if (rc == 0 && pn.level != PL_PLAN)
			rc = ERR_NOT_FOUND;
		if (rc) {
			json_decref(content);
			if (rc != ERR_NOT_FOUND)
				return rc;
			return error_set(e, ERR_INVALID, "plan_id", "行动计划不存在");
		}
		json_object_set_new(content, "plan_id", json_integer(plan_id));
		json_object_set_new(content, "plan_title", json_string(pn.title));
	}
	if (summary)
		json_object_set_new(content, "summary", json_string(summary));
	if (suggestions)
		json_object_set_new(content, "suggestions", json_string(suggestions));
	if (title)
		nb.title = title;
	nb.content = json_text(a, content);
	nb.updated_by = user_id;
	nb.updated_at = now;
	return bulletin_db_update(c, &nb, e);
}

/* Every enabled 部门, 乡镇/街道 and 社区/村 of the tenant: 各乡镇、各部门. */
static int default_units(struct store_conn *c, int64_t tenant_id, struct arena *a, int64_t **ids,
                         int *n, struct error *e)
{
	static const char *const kinds[] = {"department", "town", "community"};
	static const struct scope all = {1, 0, "[]", ""};
	struct unit_filter f;
	struct unit *list;
	int64_t total;
	int i, k, m, rc;

	*n = 0;
	*ids = arena_alloc(a, ANN_MAX_UNITS * sizeof(**ids));
	for (k = 0; k < 3; k++) {
		memset(&f, 0, sizeof(f));
		f.scope = &all;
		f.kind = kinds[k];
		f.enabled = 1;
		if ((rc = unit_list(c, tenant_id, &f, a, &list, &m, &total, e)))
			return rc;
		for (i = 0; i < m && *n < ANN_MAX_UNITS; i++)
			(*ids)[(*n)++] = list[i].id;
	}
	return 0;
}

/* The announcement's text: the bulletin's 基本情况 and 下步工作建议, the rest attached. */
static const char *issue_body(const struct bulletin *b, json_t *content, struct arena *a)
{
	const char *summary = json_string_value(json_object_get(content, "summary"));
	const char *sugg = json_string_value(json_object_get(content, "suggestions"));

	return arena_printf(a,
	                    "现将《%s》（%s）印发给你们，请认真对照，抓好整改落实。\n"
	                    "一、基本情况\n%s\n"
	                    "二、下步工作建议\n%s\n"
	                    "通报全文（含存在的问题、典型问题照片、单位排名和红黑榜）见附件。",
	                    b->title, b->number, summary ? summary : "", sugg ? sugg : "");
}

int bulletin_issue(struct store_conn *c, const struct bulletin *b,
                   const struct bulletin_issue_in *in, struct arena *a, int64_t *announcement_id,
                   struct error *e)
{
	struct announcement_new an;
	int64_t file_ids[ANN_MAX_FILES], *units = (int64_t *)in->unit_ids;
	json_t *content;
	int i, nunits = in->nunits, rc = 0;

	*announcement_id = 0;
	if (strcmp(b->status, "draft"))
		return error_set(e, ERR_CONFLICT, NULL, "通报已印发");
	if (in->nfiles > ANN_MAX_FILES)
		return error_set(e, ERR_INVALID, "files", "附件最多 %d 个", ANN_MAX_FILES);
	if (!nunits && (rc = default_units(c, b->tenant_id, a, &units, &nunits, e)))
		return rc;
	for (i = 0; rc == 0 && i < in->nfiles; i++) {
		struct file_info f;

		memset(&f, 0, sizeof(f));
		f.tenant_id = b->tenant_id;
		f.user_id = in->user_id;
		f.content_type = in->files[i].content_type;
		f.original_name = in->files[i].name;
		f.orientation = 1;
		rc = file_save(c, in->data_dir, in->store_kind, in->files[i].data, in->files[i].len,
		               &f, a, e);
		file_ids[i] = f.id;
	}
	if (rc)
		return rc;
	content = bulletin_content(b);
	memset(&an, 0, sizeof(an));
	an.title = b->title;
	an.body = issue_body(b, content, a);
	an.source_kind = "bulletin";
	an.source_id = b->id;
	an.unit_ids = units;
	an.nunits = nunits;
	an.file_ids = file_ids;
	an.nfiles = in->nfiles;
	an.reply_due_ms = in->reply_due_ms;
	an.author_id = in->user_id;
	json_decref(content);
	rc = announcement_create(c, b->tenant_id, &an, announcement_id, e);
	if (rc == 0)
		rc = bulletin_db_issue(c, b->tenant_id, b->id, in->user_id, in->now,
		                       *announcement_id, e);
	return rc;
}

/*
 * demo_loop.c - the demo county's problems and 交办单 over ninety days.
 *
 * Some 260 problems are reported by grid workers, the office's
 * 督查 and 暗访, leaders, citizens (随手拍, moderated and passed on) and the
 * media, each with a generated before-photo carrying its capture time and
 * GPS; the inspection rounds (demo_rounds.c) add the failed items of their
 * records.  Each problem then follows a fate: most are accepted, assigned,
 * signed, rectified with an after-photo and closed; some are closed late,
 * reworked (复核不通过: the first after-photo was taken before the
 * assignment), returned by the unit and reassigned, extended, parked
 * (挂账), voided, found invalid, reopened, or left where a unit stopped,
 * which makes them overdue today.  A few closed ones come back at the same
 * place within the recurrence window (反弹).  Office steps are office01's,
 * unit steps are the lead unit's own account's (problem_transition refuses
 * anyone else), reopening is the reporter's.  Every Monday the office
 * issues 交办单 to the units with the most open work; units sign them.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "assign/assign.h"
#include "auth/auth.h"
#include "core/clock.h"
#include "demo/demo_int.h"
#include "inspect/inspect.h"
#include "master/master.h"
#include "problem/problem.h"
#include "problem/problem_rules.h"
#include "store/store.h"

#define LOOP_PROBLEMS 260
#define TZ_MINUTES    480 /* the demo county is in China */

enum fate {
	F_CLOSED,
	F_LATE,
	F_REWORK,
	F_REWORKING,
	F_RETURNED,
	F_RETURNED_WAIT,
	F_EXTENDED,
	F_EXT_PENDING,
	F_PARKED,
	F_VOIDED,
	F_INVALID,
	F_STUCK_ASSIGNED,
	F_STUCK_RECTIFYING,
	F_SUBMITTED,
	F_REPORTED,
	F_ACCEPTED,
	F_REOPENED,
	F_COUNT
};

enum who { W_OFFICE, W_UNIT, W_REPORTER };

/* One step of a fate: the action, who takes it, and when after the step before. */
struct beat {
	int action; /* enum problem_action, -1 ends the script */
	enum who who;
	double hours;    /* after the step before */
	double deadline; /* plus this share of the category's deadline */
};

#define END                                                                                        \
	{                                                                                          \
		-1, W_OFFICE, 0, 0                                                                 \
	}
#define ACCEPT                                                                                     \
	{                                                                                          \
		PA_ACCEPT, W_OFFICE, 2, 0                                                          \
	}
#define ASSIGN                                                                                     \
	{                                                                                          \
		PA_ASSIGN, W_OFFICE, 3, 0                                                          \
	}
#define SIGN                                                                                       \
	{                                                                                          \
		PA_SIGN, W_UNIT, 4, 0                                                              \
	}
#define VERIFY                                                                                     \
	{                                                                                          \
		PA_VERIFY, W_OFFICE, 7, 0                                                          \
	}

static const struct beat scripts[F_COUNT][12] = {
    [F_CLOSED] = {ACCEPT, ASSIGN, SIGN, {PA_SUBMIT, W_UNIT, 0, 0.55}, VERIFY, END},
    [F_LATE] = {ACCEPT, ASSIGN, SIGN, {PA_SUBMIT, W_UNIT, 0, 1.5}, VERIFY, END},
    [F_REWORK] = {ACCEPT,
                  ASSIGN,
                  SIGN,
                  {PA_SUBMIT, W_UNIT, 0, 0.3},
                  VERIFY,
                  {PA_SUBMIT, W_UNIT, 0, 0.3},
                  VERIFY,
                  END},
    [F_REWORKING] = {ACCEPT, ASSIGN, SIGN, {PA_SUBMIT, W_UNIT, 0, 0.3}, VERIFY, END},
    [F_RETURNED] = {ACCEPT,
                    ASSIGN,
                    {PA_RETURN, W_UNIT, 5, 0},
                    ASSIGN,
                    SIGN,
                    {PA_SUBMIT, W_UNIT, 0, 0.5},
                    VERIFY,
                    END},
    [F_RETURNED_WAIT] = {ACCEPT, ASSIGN, {PA_RETURN, W_UNIT, 5, 0}, END},
    [F_EXTENDED] = {ACCEPT,
                    ASSIGN,
                    SIGN,
                    {PA_EXTEND, W_UNIT, 0, 0.4},
                    {PA_DECIDE_EXTENSION, W_OFFICE, 5, 0},
                    {PA_SUBMIT, W_UNIT, 24 * 5, 0},
                    VERIFY,
                    END},
    [F_EXT_PENDING] = {ACCEPT, ASSIGN, SIGN, {PA_EXTEND, W_UNIT, 0, 0.4}, END},
    [F_PARKED] = {ACCEPT, ASSIGN, SIGN, {PA_PARK, W_OFFICE, 0, 0.8}, END},
    [F_VOIDED] = {ACCEPT, {PA_VOID, W_OFFICE, 20, 0}, END},
    [F_INVALID] = {{PA_INVALIDATE, W_OFFICE, 3, 0}, END},
    [F_STUCK_ASSIGNED] = {ACCEPT, ASSIGN, END},
    [F_STUCK_RECTIFYING] = {ACCEPT, ASSIGN, SIGN, END},
    [F_SUBMITTED] = {ACCEPT, ASSIGN, SIGN, {PA_SUBMIT, W_UNIT, 0, 0.5}, END},
    [F_REPORTED] = {END},
    [F_ACCEPTED] = {ACCEPT, END},
    [F_REOPENED] = {ACCEPT,
                    ASSIGN,
                    SIGN,
                    {PA_SUBMIT, W_UNIT, 0, 0.5},
                    VERIFY,
                    {PA_REOPEN, W_REPORTER, 24 * 4, 0},
                    {PA_SUBMIT, W_UNIT, 30, 0},
                    VERIFY,
                    END},
};

/* What is seen, by category code. */
static const struct {
	const char *code, *what;
} sights[] = {
    {"SR01", "路面烟头、纸屑较多，未及时清扫"}, {"SR02", "垃圾桶满溢，周边有散落垃圾"},
    {"SR03", "墙面、电杆有小广告和乱涂乱画"},   {"JT01", "机动车、电动车乱停乱放，占用盲道"},
    {"JT02", "路口行人闯红灯，无人劝导"},       {"JT03", "非机动车未上牌，违规载人"},
    {"ZD", "沿街商户出店经营、占道摆摊"},       {"CY", "餐饮店油烟直排，未装净化设施"},
    {"LQ", "流浪犬出没，群众反映有安全隐患"},   {"XF", "消防通道被车辆和杂物堵塞"},
    {"GY", "公益广告破损褪色，未及时更新"},     {"SS01", "人行道砖松动破损，雨天积水"},
    {"SS02", "井盖缺失，存在安全隐患"},         {"SS03", "路灯不亮，夜间照明不足"},
};

#define NSIGHTS ((int)(sizeof(sights) / sizeof(sights[0])))

/* The play's problems (for the weekly sheets) and what they need to be reported. */
static struct {
	struct demo_problem *all[DEMO_MAX_ACTORS];
	int n;
	int64_t cat_ids[NSIGHTS], cat_units[NSIGHTS], cat_hours[NSIGHTS];
	struct point *points;
	int npoints;
} loop;

/* ---- reporting ------------------------------------------------------------------------ */

int demo_report(struct demo_play *d, struct demo_problem *dp)
{
	const struct principal *who = demo_who(d, dp->reporter_id);
	int64_t now = time_now_ms(), photo = 0;
	struct problem_report rep;
	struct problem p;
	int rc;

	if (!who)
		return error_set(d->e, ERR_INTERNAL, NULL, "demo: no reporter");
	/* the photo was taken a few minutes before the report, where the problem is */
	if ((rc = demo_photo(d, dp->reporter_id, now - (5 + (int64_t)(dp->seed % 20)) * 60000,
	                     dp->lat, dp->lng, dp->seed, "现场照片.jpg", &photo)))
		return rc;
	memset(&p, 0, sizeof(p));
	p.tenant_id = d->tenant_id;
	p.category_id = dp->category_id;
	p.point_id = dp->point_id;
	p.has_location = 1;
	p.lat = dp->lat;
	p.lng = dp->lng;
	p.address = "";
	p.description = dp->description;
	p.source = dp->source;
	p.reporter_id = dp->reporter_id;
	p.outcome = "";
	memset(&rep, 0, sizeof(rep));
	rep.p = &p;
	rep.actor_unit_id = who->unit_id;
	rep.photos = &photo;
	rep.nphotos = 1;
	rep.now = now;
	rep.tz_minutes = TZ_MINUTES;
	if ((rc = problem_report(d->c, &rep, &d->arena, d->e)))
		return rc;
	dp->id = p.id;
	dp->status = p.status;
	dp->route_unit_id = p.suggested_unit_id;
	dp->suggested_hours = p.suggested_hours;
	d->problems++;
	{
		json_t *summary =
		    json_pack("{s:s, s:I, s:s, s:i}", "code", p.code, "category_id",
		              (json_int_t)p.category_id, "source", p.source, "photos", 1);

		if (p.recurrence_of)
			json_object_set_new(summary, "recurrence_of",
			                    json_integer(p.recurrence_of));
		return demo_audit(d, who, "problem.create", "problem", p.id, summary);
	}
}

/* ---- the loop --------------------------------------------------------------------------- */

/* The unit an assignment goes to: the routed one if it has an account, else the category's. */
static int64_t assignee(struct demo_play *d, struct demo_problem *dp, int again)
{
	if (!again && dp->route_unit_id && demo_unit_user(d, dp->route_unit_id))
		return dp->route_unit_id;
	if (again && dp->default_unit_id && dp->default_unit_id != dp->lead_unit_id &&
	    demo_unit_user(d, dp->default_unit_id))
		return dp->default_unit_id;
	return dp->default_unit_id;
}

static int step_problem(struct demo_play *d, struct demo_actor *x);

/* A closed problem's return to the same place two days after its closure. */
static int spawn_recurrence(struct demo_play *d, const struct demo_problem *dp)
{
	struct demo_problem *r = arena_calloc(&d->arena, sizeof(*r));

	*r = *dp;
	r->id = 0;
	r->step = 0;
	r->recur = 0;
	r->lead_unit_id = 0;
	r->seed = dp->seed * 31 + 7;
	r->fate = demo_rand(d, 2) ? F_STUCK_RECTIFYING : F_CLOSED;
	r->description = arena_printf(&d->arena, "%s（整改后又出现）", dp->description);
	r->actor.next_at = time_now_ms() + 2 * DEMO_DAY + demo_rand(d, 8) * DEMO_HOUR;
	r->actor.step = step_problem;
	loop.all[loop.n++] = r;
	return demo_add_actor(d, &r->actor);
}

/* One beat of dp's fate, as the user whose turn it is. */
static int play_beat(struct demo_play *d, struct demo_problem *dp, const struct beat *b)
{
	struct problem_input in;
	const struct principal *who;
	struct problem p;
	json_t *summary = NULL;
	int64_t now = time_now_ms(), user;
	int rc, first_verify;

	memset(&in, 0, sizeof(in));
	in.note = "";
	in.outcome = "";
	switch (b->who) {
	case W_OFFICE:
		user = d->office[0];
		break;
	case W_UNIT:
		user = demo_unit_user(d, dp->lead_unit_id);
		break;
	default:
		user = dp->reporter_id;
		break;
	}
	if (!user || !(who = demo_who(d, user)))
		return error_set(d->e, ERR_INTERNAL, NULL, "demo: nobody to act on a problem");
	switch (b->action) {
	case PA_ASSIGN:
		in.unit_id = assignee(d, dp, dp->lead_unit_id != 0);
		in.note = "请按期整改并上传整改照片";
		break;
	case PA_SIGN:
		in.note = "已签收，安排人员整改";
		break;
	case PA_RETURN:
		in.note = "该点位不属于本单位管辖，请重新交办";
		break;
	case PA_SUBMIT:
		/* a reworked problem's first after-photo was taken before the assignment */
		first_verify = (dp->fate == F_REWORK || dp->fate == F_REWORKING) &&
		               dp->status == PS_RECTIFYING;
		if ((rc = demo_photo(d, user, first_verify ? now - 20 * DEMO_DAY : now - 40 * 60000,
		                     dp->lat + 0.00005, dp->lng, dp->seed ^ 0x5a5a5a5aULL,
		                     "整改后.jpg", &in.photos[0])))
			return rc;
		in.nphotos = 1;
		in.note = "已整改完毕，附整改后照片";
		break;
	case PA_VERIFY:
		/* the first verification of a reworked problem fails */
		if ((dp->fate == F_REWORK || dp->fate == F_REWORKING) && dp->step == 4) {
			in.passed = 0;
			in.note = "整改照片拍摄时间早于交办，现场复核仍未整改";
		} else {
			in.passed = 1;
			in.outcome = "fixed";
			in.note = "现场复核已整改到位";
		}
		break;
	case PA_EXTEND:
		in.days = 7;
		in.note = "需协调多个部门，申请延期 7 天";
		break;
	case PA_DECIDE_EXTENSION:
		in.approved = 1;
		in.note = "同意延期";
		break;
	case PA_PARK:
		in.note = "需纳入明年道路改造计划，暂时挂账";
		break;
	case PA_VOID:
		in.note = "重复上报，作废";
		break;
	case PA_INVALIDATE:
		in.note = "不属于创城问题范围，不予立案";
		break;
	case PA_REOPEN:
		in.note = "回访发现问题反复，重新整改";
		break;
	default:
		break;
	}
	in.reader = who;
	if ((rc = problem_act_as(d->c, who, dp->id, (enum problem_action)b->action, &in, now,
	                         &d->arena, &p, &summary, d->e)))
		return rc;
	dp->status = p.status;
	dp->lead_unit_id = p.lead_unit_id;
	dp->deadline = p.deadline;
	if ((rc = demo_audit(d, who,
	                     arena_printf(&d->arena, "problem.%s",
	                                  problem_action_name((enum problem_action)b->action)),
	                     "problem", p.id, summary)))
		return rc;
	if (b->action == PA_VERIFY && p.status == PS_CLOSED && dp->recur) {
		dp->recur = 0;
		return spawn_recurrence(d, dp);
	}
	return 0;
}

/* When the beat after the one just played comes. */
static int64_t next_time(struct demo_play *d, const struct demo_problem *dp, const struct beat *b)
{
	double hours = b->hours + b->deadline * (double)dp->suggested_hours;

	if (hours < 0.5)
		hours = 0.5;
	/* a little spread so that beats of one day do not all fall on the hour */
	return time_now_ms() + (int64_t)(hours * DEMO_HOUR) + demo_rand(d, 90) * 60000LL;
}

static int step_problem(struct demo_play *d, struct demo_actor *x)
{
	struct demo_problem *dp = (struct demo_problem *)x;
	const struct beat *b;
	int rc;

	if (!dp->id) {
		if ((rc = demo_report(d, dp)))
			return rc;
	} else {
		if ((rc = play_beat(d, dp, &scripts[dp->fate][dp->step])))
			return rc;
		dp->step++;
	}
	b = &scripts[dp->fate][dp->step];
	x->next_at = b->action < 0 ? 0 : next_time(d, dp, b);
	return 0;
}

/* A fate for a problem reported age days before the end of the play. */
static enum fate choose_fate(struct demo_play *d, double age)
{
	static const struct {
		enum fate f;
		int w[4]; /* weights for ages under 2, 6, 30 days and older */
	} table[] = {
	    {F_REPORTED, {50, 6, 0, 0}},
	    {F_ACCEPTED, {20, 8, 0, 0}},
	    {F_CLOSED, {20, 22, 28, 46}},
	    {F_LATE, {0, 0, 8, 12}},
	    {F_REWORK, {0, 4, 6, 9}},
	    {F_REWORKING, {0, 4, 5, 0}},
	    {F_RETURNED, {0, 0, 5, 6}},
	    {F_RETURNED_WAIT, {0, 4, 3, 0}},
	    {F_EXTENDED, {0, 0, 6, 7}},
	    {F_EXT_PENDING, {0, 6, 3, 0}},
	    {F_PARKED, {0, 0, 4, 4}},
	    {F_VOIDED, {0, 4, 3, 3}},
	    {F_INVALID, {10, 4, 3, 3}},
	    {F_STUCK_ASSIGNED, {0, 14, 6, 0}},
	    {F_STUCK_RECTIFYING, {0, 14, 8, 2}},
	    {F_SUBMITTED, {0, 14, 8, 0}},
	    {F_REOPENED, {0, 0, 4, 4}},
	};
	int band = age < 2 ? 0 : age < 6 ? 1 : age < 30 ? 2 : 3, total = 0, pick, i;

	for (i = 0; i < (int)(sizeof(table) / sizeof(table[0])); i++)
		total += table[i].w[band];
	pick = demo_rand(d, total);
	for (i = 0; pick >= table[i].w[band]; i++)
		pick -= table[i].w[band];
	return table[i].f;
}

int demo_loop_adopt(struct demo_play *d, int64_t id, int64_t reporter_id, int64_t category_id,
                    double lat, double lng)
{
	struct demo_problem *dp = arena_calloc(&d->arena, sizeof(*dp));
	struct problem p;
	int k;

	if (problem_get(d->c, d->tenant_id, NULL, id, &d->arena, &p, d->e))
		return d->e->code;
	dp->id = id;
	dp->reporter_id = reporter_id;
	dp->category_id = category_id;
	dp->status = p.status;
	dp->route_unit_id = p.suggested_unit_id;
	dp->suggested_hours = p.suggested_hours;
	dp->default_unit_id = p.suggested_unit_id;
	for (k = 0; k < NSIGHTS; k++)
		if (loop.cat_ids[k] == category_id && loop.cat_units[k])
			dp->default_unit_id = loop.cat_units[k];
	dp->lat = lat;
	dp->lng = lng;
	dp->source = "inspection";
	dp->seed = (uint64_t)id * 2654435761u;
	dp->fate = choose_fate(d, (double)(d->end - time_now_ms()) / DEMO_DAY);
	if (dp->fate == F_REPORTED && demo_rand(d, 2))
		dp->fate = F_ACCEPTED;
	dp->actor.step = step_problem;
	dp->actor.next_at =
	    scripts[dp->fate][0].action < 0 ? 0 : next_time(d, dp, &scripts[dp->fate][0]);
	loop.all[loop.n++] = dp;
	return demo_add_actor(d, &dp->actor);
}

/* ---- 交办单 ------------------------------------------------------------------------------ */

static int step_sheets(struct demo_play *d, struct demo_actor *x);

/* A sheet of unit's open problems from the office, signed by the unit three hours later. */
static int issue_sheet(struct demo_play *d, int64_t unit_id, int sign)
{
	const struct principal *office = demo_who(d, d->office[0]), *unit;
	struct assign_sheet s;
	int64_t now = time_now_ms(), no = 0, user = demo_unit_user(d, unit_id);
	int i, n = 0, rc, year = problem_year(now, TZ_MINUTES);

	memset(&s, 0, sizeof(s));
	s.tenant_id = d->tenant_id;
	s.unit_id = unit_id;
	s.created_by = office->user_id;
	s.created_at = now;
	s.note = "请于期限内完成整改，并在系统中提交整改反馈";
	if ((rc = assign_db_next_number(d->c, d->tenant_id, year, &no, d->e)))
		return rc;
	s.number = arena_printf(&d->arena, "交办〔%d〕%03lld", year, (long long)no);
	if ((rc = assign_db_insert(d->c, &s, d->e)))
		return rc;
	for (i = 0; i < loop.n && n < ASSIGN_MAX_PROBLEMS; i++) {
		struct demo_problem *dp = loop.all[i];

		if (dp->id && dp->lead_unit_id == unit_id &&
		    (dp->status == PS_ASSIGNED || dp->status == PS_RECTIFYING ||
		     dp->status == PS_REWORK) &&
		    (rc = assign_db_add_problem(d->c, s.id, dp->id, n++, d->e)))
			return rc;
	}
	if ((rc = demo_audit(d, office, "sheet.create", "sheet", s.id,
	                     json_pack("{s:s, s:I, s:i}", "number", s.number, "unit_id",
	                               (json_int_t)unit_id, "problems", n))))
		return rc;
	d->sheets++;
	if (!sign || !user || !(unit = demo_who(d, user)))
		return 0;
	time_set_now_ms(now + 3 * DEMO_HOUR);
	rc = assign_db_sign(d->c, s.id, unit->user_id, now + 3 * DEMO_HOUR, d->e);
	if (!rc)
		rc = demo_audit(
		    d, unit, "sheet.sign", "sheet", s.id,
		    json_pack("{s:s, s:I}", "number", s.number, "unit_id", (json_int_t)unit_id));
	time_set_now_ms(now);
	d->sheets_signed += !rc;
	return rc;
}

/* Every week: a sheet to each of the three units with the most open assigned work. */
static int step_sheets(struct demo_play *d, struct demo_actor *x)
{
	int64_t units[3] = {0, 0, 0};
	int counts[3] = {0, 0, 0}, i, k, rc = 0;

	for (i = 0; i < loop.n; i++) {
		struct demo_problem *dp = loop.all[i];
		int64_t u = dp->lead_unit_id;
		int c = 0, j;

		if (!dp->id || !u ||
		    (dp->status != PS_ASSIGNED && dp->status != PS_RECTIFYING &&
		     dp->status != PS_REWORK))
			continue;
		for (k = 0; k < 3 && units[k] != u; k++)
			;
		if (k < 3)
			continue; /* counted already */
		for (j = 0; j < loop.n; j++)
			c += loop.all[j]->lead_unit_id == u &&
			     (loop.all[j]->status == PS_ASSIGNED ||
			      loop.all[j]->status == PS_RECTIFYING ||
			      loop.all[j]->status == PS_REWORK);
		for (k = 0; k < 3; k++)
			if (c > counts[k]) {
				for (j = 2; j > k; j--) {
					counts[j] = counts[j - 1];
					units[j] = units[j - 1];
				}
				counts[k] = c;
				units[k] = u;
				break;
			}
	}
	/* the newest week's sheets wait for their signatures */
	for (k = 0; !rc && k < 3 && units[k]; k++)
		rc = issue_sheet(d, units[k], x->next_at + 7 * DEMO_DAY <= d->end || k == 0);
	x->next_at += 7 * DEMO_DAY;
	return rc;
}

/* ---- the plan ------------------------------------------------------------------------------ */

/* Local midnight (China time) of the day of ms. */
static int64_t local_midnight(int64_t ms)
{
	int64_t local = ms + TZ_MINUTES * 60000LL;

	return local - local % DEMO_DAY - TZ_MINUTES * 60000LL;
}

int demo_loop_plan(struct demo_play *d)
{
	static const struct {
		const char *source;
		int weight, at_point;
	} sources[] = {{"grid", 30, 0},    {"supervision", 20, 1}, {"covert", 10, 1},
	               {"citizen", 20, 0}, {"leader", 8, 1},       {"media", 12, 1}};
	struct point_filter pf;
	struct category *cats;
	int64_t total, day0 = local_midnight(d->start);
	int ncats, i, k, rc;
	struct demo_actor *sheets;

	memset(&loop, 0, sizeof(loop));
	if ((rc = category_all(d->c, d->tenant_id, &d->arena, &cats, &ncats, d->e)))
		return rc;
	for (k = 0; k < NSIGHTS; k++)
		for (i = 0; i < ncats; i++)
			if (!strcmp(cats[i].code, sights[k].code)) {
				const struct category *up = &cats[i];

				loop.cat_ids[k] = cats[i].id;
				loop.cat_hours[k] = cats[i].deadline_hours;
				loop.cat_units[k] = cats[i].default_unit_id;
				/* a subcategory without its own unit answers to its parent's */
				for (int j = 0; !loop.cat_units[k] && j < ncats; j++)
					if (cats[j].id == up->parent_id)
						loop.cat_units[k] = cats[j].default_unit_id;
			}
	memset(&pf, 0, sizeof(pf));
	pf.enabled = 1;
	if ((rc = point_list(d->c, d->tenant_id, &pf, &d->arena, &loop.points, &loop.npoints,
	                     &total, d->e)))
		return rc;
	if (loop.npoints == 0 || !loop.cat_ids[0])
		return error_set(d->e, ERR_INTERNAL, NULL, "demo: master data missing");
	for (i = 0; i < LOOP_PROBLEMS; i++) {
		struct demo_problem *dp = arena_calloc(&d->arena, sizeof(*dp));
		const struct point *pt = &loop.points[demo_rand(d, loop.npoints)];
		int s = demo_rand(d, 100), c = demo_rand(d, NSIGHTS);
		/* two thirds over the twelve weeks, a third in the last week: the open work */
		int day = i < LOOP_PROBLEMS * 2 / 3
		              ? i * 84 / (LOOP_PROBLEMS * 2 / 3)
		              : 84 + (i - LOOP_PROBLEMS * 2 / 3) * 7 /
		                         (LOOP_PROBLEMS - LOOP_PROBLEMS * 2 / 3);
		int64_t at = day0 + day * DEMO_DAY + (8 * 60 + demo_rand(d, 11 * 60)) * 60000LL;

		for (k = 0; s >= sources[k].weight; k++)
			s -= sources[k].weight;
		dp->source = sources[k].source;
		switch (k) {
		case 0:
			dp->reporter_id = d->grid_workers[i % 18];
			break;
		case 1:
			dp->reporter_id = d->office[1 + i % 2];
			break;
		case 2:
			dp->reporter_id = d->inspectors[i % 12];
			break;
		case 3:
			dp->reporter_id = d->office[3]; /* 随手拍, passed on by its moderator */
			break;
		case 4:
			dp->reporter_id = d->leaders[i % 4];
			break;
		default:
			dp->reporter_id = d->office[4];
			break;
		}
		dp->category_id = loop.cat_ids[c];
		dp->default_unit_id = loop.cat_units[c];
		dp->point_id = sources[k].at_point ? pt->id : 0;
		dp->lat = (pt->has_location ? pt->lat : 30.0) + (demo_rand(d, 41) - 20) * 0.00001;
		dp->lng = (pt->has_location ? pt->lng : 120.0) + (demo_rand(d, 41) - 20) * 0.00001;
		dp->description = arena_printf(&d->arena, "%s：%s%s", pt->name, sights[c].what,
		                               k == 3   ? "（市民随手拍，审核后转入）"
		                               : k == 5 ? "（县融媒体中心曝光）"
		                                        : "");
		dp->seed = splitmix64(&d->rng);
		dp->fate = choose_fate(d, (double)(d->end - at) / DEMO_DAY);
		dp->recur = dp->fate == F_CLOSED && d->end - at > 40 * DEMO_DAY && i % 7 == 0;
		dp->actor.next_at = at;
		dp->actor.step = step_problem;
		loop.all[loop.n++] = dp;
		if ((rc = demo_add_actor(d, &dp->actor)))
			return rc;
	}
	/* Mondays at 09:00: the sheets (day0 + k days is a Monday for the k below) */
	sheets = arena_calloc(&d->arena, sizeof(*sheets));
	sheets->step = step_sheets;
	for (k = 1; k <= 7; k++) {
		time_t t = (time_t)((day0 + k * DEMO_DAY) / 1000) + TZ_MINUTES * 60;
		struct tm tm;

		gmtime_r(&t, &tm);
		if (tm.tm_wday == 1)
			break;
	}
	sheets->next_at = day0 + k * DEMO_DAY + 9 * DEMO_HOUR;
	return demo_add_actor(d, sheets);
}

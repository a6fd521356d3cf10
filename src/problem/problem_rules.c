/*
 * problem_rules.c - who may act on a problem, what an action's body must
 * say and what it changes (problem_rules.h).  No HTTP: every check answers
 * an error code and a Chinese message.
 */
#include "problem/problem_rules.h"

#include <stdio.h>
#include <string.h>

#include "auth/auth.h"
#include "http/json_io.h"
#include "core/utf8.h"
#include "http/reply.h"
#include "org/org.h"
#include "settings/settings.h"

#define DAY_MS (86400LL * 1000)

int problem_photo_ids(json_t *body, int min, int64_t *ids, int *n, struct error *e)
{
	json_t *arr = json_object_get(body, "photo_ids"), *v;
	size_t i;
	int k;

	*n = 0;
	if (!arr || json_is_null(arr)) {
		if (min)
			return error_set(e, ERR_INVALID, "photo_ids", "请上传至少 %d 张照片", min);
		return 0;
	}
	if (!json_is_array(arr))
		return error_set(e, ERR_INVALID, "photo_ids", "photo_ids 应为照片编号的数组");
	if (json_array_size(arr) > PROBLEM_MAX_PHOTOS)
		return error_set(e, ERR_INVALID, "photo_ids", "照片最多 %d 张", PROBLEM_MAX_PHOTOS);
	if ((int)json_array_size(arr) < min)
		return error_set(e, ERR_INVALID, "photo_ids", "请上传至少 %d 张照片", min);
	json_array_foreach(arr, i, v)
	{
		if (!json_is_integer(v) || json_integer_value(v) < 1)
			return error_set(e, ERR_INVALID, "photo_ids",
			                 "photo_ids 应为照片编号的数组");
		for (k = 0; k < *n; k++)
			if (ids[k] == json_integer_value(v))
				return error_set(e, ERR_INVALID, "photo_ids", "照片重复");
		ids[(*n)++] = json_integer_value(v);
	}
	return 0;
}

/* co_unit_ids of body: distinct unit ids. */
static int co_unit_field(json_t *body, struct problem_input *in, struct error *e)
{
	json_t *arr = json_object_get(body, "co_unit_ids"), *v;
	size_t i;
	int k;

	if (!arr || json_is_null(arr))
		return 0;
	if (!json_is_array(arr) || json_array_size(arr) > PROBLEM_MAX_COUNITS)
		return error_set(e, ERR_INVALID, "co_unit_ids",
		                 "协办单位 co_unit_ids 应为至多 %d 个单位编号",
		                 PROBLEM_MAX_COUNITS);
	json_array_foreach(arr, i, v)
	{
		if (!json_is_integer(v) || json_integer_value(v) < 1)
			return error_set(e, ERR_INVALID, "co_unit_ids",
			                 "协办单位 co_unit_ids 应为单位编号");
		for (k = 0; k < in->nco; k++)
			if (in->co_units[k] == json_integer_value(v))
				return error_set(e, ERR_INVALID, "co_unit_ids", "协办单位重复");
		in->co_units[in->nco++] = json_integer_value(v);
	}
	return 0;
}

/* An optional time field into *out (0 when absent). */
static int time_field(json_t *body, const char *key, int64_t *out, struct error *e)
{
	json_t *v = json_object_get(body, key);

	*out = 0;
	if (!v || json_is_null(v))
		return 0;
	return problem_api_time(v, key, out, e);
}

static int unit_action(enum problem_action a)
{
	return problem_action_actor(a) == ACTOR_UNIT;
}

int problem_input_read(enum problem_action a, json_t *body, struct arena *ar,
                       struct problem_input *in, struct error *e)
{
	static const char *const note_only[] = {"note", NULL};
	static const char *const with_reason[] = {"reason", "note", NULL};
	static const char *const assign[] = {"unit_id", "co_unit_ids", "deadline", "note", NULL};
	static const char *const sign[] = {"note", "proxy_reason", NULL};
	static const char *const unit_return[] = {"reason", "note", "proxy_reason", NULL};
	static const char *const submit[] = {"note", "photo_ids", "proxy_reason", NULL};
	static const char *const verify[] = {"passed", "outcome", "note", "reason", NULL};
	static const char *const extend[] = {"days", "deadline",     "reason",
	                                     "note", "proxy_reason", NULL};
	static const char *const decide[] = {"approved", "deadline", "note", NULL};
	static const char *const reopen[] = {"note", "reason", "deadline", NULL};
	const char *const *allowed = note_only;
	const char *reason = NULL;
	int need_reason = 0, has_reason = 0;

	memset(in, 0, sizeof(*in));
	in->note = "";
	in->outcome = "";
	switch (a) {
	case PA_INVALIDATE:
	case PA_VOID:
		allowed = with_reason;
		has_reason = need_reason = 1;
		break;
	case PA_RETURN:
		allowed = unit_return;
		has_reason = need_reason = 1;
		break;
	case PA_SIGN:
		allowed = sign;
		break;
	case PA_ASSIGN:
		allowed = assign;
		break;
	case PA_SUBMIT:
		allowed = submit;
		break;
	case PA_VERIFY:
		allowed = verify;
		break;
	case PA_EXTEND:
		allowed = extend;
		has_reason = need_reason = 1;
		break;
	case PA_DECIDE_EXTENSION:
		allowed = decide;
		break;
	case PA_PARK:
	case PA_UNPARK:
		allowed = with_reason;
		has_reason = 1;
		break;
	case PA_REOPEN:
		allowed = reopen;
		has_reason = 1;
		break;
	default:
		break;
	}
	if (json_only_keys(body, allowed, e) ||
	    json_get_string(body, "note", JF_NULLABLE, 0, PROBLEM_NOTE_MAX, &in->note, e) ||
	    (has_reason ? json_get_string(body, "reason", need_reason ? JF_REQUIRED : JF_NULLABLE,
	                                  1, PROBLEM_NOTE_MAX, &reason, e)
	                : 0))
		return e->code;
	if (unit_action(a) && json_get_string(body, "proxy_reason", JF_NULLABLE, 1,
	                                      PROBLEM_NOTE_MAX, &in->proxy_reason, e))
		return e->code;
	if (reason)
		in->note = *in->note ? arena_printf(ar, "%s；%s", reason, in->note) : reason;
	switch (a) {
	case PA_ASSIGN:
		if (json_get_int(body, "unit_id", JF_NULLABLE, 1, INT64_MAX, &in->unit_id, e))
			return e->code;
		if (co_unit_field(body, in, e) || time_field(body, "deadline", &in->deadline, e))
			return e->code;
		break;
	case PA_SUBMIT:
		return problem_photo_ids(body, 1, in->photos, &in->nphotos, e);
	case PA_VERIFY:
		if (json_get_bool(body, "passed", JF_REQUIRED, &in->passed, e) ||
		    json_get_string(body, "outcome", JF_NULLABLE, 1, 32, &in->outcome, e) ||
		    json_get_string(body, "reason", JF_NULLABLE, 1, PROBLEM_NOTE_MAX, &in->reason,
		                    e))
			return e->code;
		if (!in->passed && *in->outcome)
			return error_set(e, ERR_INVALID, "outcome", "复核不通过时不填写结案方式");
		if (!in->passed && in->reason)
			return error_set(e, ERR_INVALID, "reason",
			                 "复核不通过时请在 note 中说明理由");
		if (in->passed && !*in->outcome)
			in->outcome = "fixed";
		if (in->passed && !problem_outcome_ok(in->outcome))
			return error_set(
			    e, ERR_INVALID, "outcome",
			    "结案方式应为 fixed、duplicate、not_responsible 或 parked_closed");
		break;
	case PA_EXTEND:
		if (json_get_int(body, "days", JF_NULLABLE, 1, 365, &in->days, e))
			return e->code;
		if (time_field(body, "deadline", &in->deadline, e))
			return e->code;
		if (!in->days == !in->deadline)
			return error_set(e, ERR_INVALID, "days",
			                 "请给出延期天数 days 或新的期限 deadline（二选一）");
		break;
	case PA_DECIDE_EXTENSION:
		if (json_get_bool(body, "approved", JF_REQUIRED, &in->approved, e))
			return e->code;
		return time_field(body, "deadline", &in->deadline, e);
	case PA_REOPEN:
		return time_field(body, "deadline", &in->deadline, e);
	default:
		break;
	}
	return 0;
}

int problem_unit_actor(const struct problem_caller *who, int64_t unit_id, const char *ancestors)
{
	struct scope units;

	if (!unit_id)
		return 0;
	if (who->unit_id == unit_id)
		return 1;
	/*
	 * A unit scope (本单位及以下, custom units) holding the unit counts; the
	 * office's 全部 scope does not: seeing every problem is not being the
	 * unit that owes the work.
	 */
	if (!who->rectify)
		return 0;
	units = *who->rectify;
	units.all = 0;
	return scope_covers_unit(&units, unit_id, ancestors);
}

int problem_actor_is_lead(const struct problem_caller *who, const struct problem *p)
{
	return problem_unit_actor(who, p->lead_unit_id, p->lead_unit_ancestors);
}

static const char *unit_action_title(enum problem_action a)
{
	return a == PA_SIGN     ? "签收"
	       : a == PA_RETURN ? "退回"
	       : a == PA_SUBMIT ? "提交整改反馈"
	                        : "申请延期";
}

int problem_actor_check(enum problem_action a, const struct problem *p,
                        const struct problem_caller *who, const struct problem_input *in,
                        int *proxy, struct error *e)
{
	const char *title = unit_action_title(a);

	*proxy = 0;
	if (!unit_action(a))
		return 0;
	if (problem_actor_is_lead(who, p)) {
		if (in->proxy_reason)
			return error_set(e, ERR_INVALID, "proxy_reason",
			                 "牵头单位自行%s，不需要填写代办原因", title);
		return 0;
	}
	if (!in->proxy_reason || !who->office)
		return error_set(e, ERR_FORBIDDEN, NULL, "只有牵头单位「%s」的用户可以%s",
		                 p->lead_unit_name ? p->lead_unit_name : "", title);
	if (!who->proxy_enabled)
		return error_set(e, ERR_FORBIDDEN, "proxy_reason",
		                 "本县未开启创城办代办（系统管理 › 参数设置），只有牵头单位可以%s",
		                 title);
	*proxy = 1;
	return 0;
}

/* A unit named by an assignment must be the tenant's. */
static int check_unit(struct store_conn *c, int64_t tenant_id, int64_t unit_id, const char *field,
                      struct arena *ar, struct error *e)
{
	struct unit u;
	int rc = unit_get(c, tenant_id, NULL, unit_id, ar, &u, e);

	if (rc == ERR_NOT_FOUND)
		return error_set(e, ERR_INVALID, field, "单位不存在");
	return rc;
}

/* The assignment of in to p. */
static int apply_assign(struct store_conn *c, struct problem_input *in, struct problem *p,
                        int64_t now, json_t *detail, struct arena *ar, struct error *e)
{
	json_t *co;
	int i;

	if (!in->unit_id)
		in->unit_id = p->suggested_unit_id;
	if (!in->unit_id)
		return error_set(e, ERR_INVALID, "unit_id", "请选择牵头单位");
	if (check_unit(c, p->tenant_id, in->unit_id, "unit_id", ar, e))
		return e->code;
	for (i = 0; i < in->nco; i++) {
		if (in->co_units[i] == in->unit_id)
			return error_set(e, ERR_INVALID, "co_unit_ids", "协办单位不能是牵头单位");
		if (check_unit(c, p->tenant_id, in->co_units[i], "co_unit_ids", ar, e))
			return e->code;
	}
	if (!in->deadline && p->suggested_hours)
		in->deadline = now + p->suggested_hours * 3600 * 1000;
	if (!in->deadline)
		return error_set(e, ERR_INVALID, "deadline",
		                 "该问题分类没有默认期限，请给出整改期限");
	if (in->deadline <= now)
		return error_set(e, ERR_INVALID, "deadline", "整改期限必须晚于现在");
	p->lead_unit_id = in->unit_id;
	p->deadline = in->deadline;
	p->assigned_at = now;
	if (!p->first_assigned_at)
		p->first_assigned_at = now;
	p->extension_pending = 0; /* a new assignment answers any request */
	json_object_set_new(detail, "unit_id", json_integer(in->unit_id));
	json_object_set_new(detail, "deadline", json_integer(in->deadline));
	co = json_array();
	for (i = 0; i < in->nco; i++)
		json_array_append_new(co, json_integer(in->co_units[i]));
	json_object_set_new(detail, "co_unit_ids", co);
	return 0;
}

int problem_apply(struct store_conn *c, enum problem_action a, struct problem_input *in,
                  struct problem *p, enum problem_status to, int64_t now, json_t *detail,
                  struct arena *ar, struct error *e)
{
	enum problem_status from = p->status;

	p->status = to;
	switch (a) {
	case PA_ASSIGN:
		return apply_assign(c, in, p, now, detail, ar, e);
	case PA_SUBMIT:
		if (problem_check_photos(c, p->tenant_id, in->reader, in->photos, in->nphotos, ar,
		                         e))
			return e->code;
		json_object_set_new(detail, "photos", json_integer(in->nphotos));
		break;
	case PA_VERIFY:
		json_object_set_new(detail, "passed", json_boolean(in->passed));
		if (in->passed) {
			p->outcome = in->outcome;
			p->closed_at = now;
			p->extension_pending = 0;
			json_object_set_new(detail, "outcome", json_string(in->outcome));
		} else {
			p->rework_count++;
		}
		break;
	case PA_EXTEND:
		if (in->days)
			in->deadline = (p->deadline > now ? p->deadline : now) + in->days * DAY_MS;
		if (in->deadline <= now || (p->deadline && in->deadline <= p->deadline))
			return error_set(e, ERR_INVALID, in->days ? "days" : "deadline",
			                 "延期后的期限必须晚于现有期限");
		p->extension_pending = 1;
		p->extension_deadline = in->deadline;
		p->extension_reason = in->note;
		json_object_set_new(detail, "deadline", json_integer(in->deadline));
		json_object_set_new(detail, "old_deadline",
		                    p->deadline ? json_integer(p->deadline) : json_null());
		break;
	case PA_DECIDE_EXTENSION:
		json_object_set_new(detail, "approved", json_boolean(in->approved));
		if (in->approved) {
			if (!in->deadline)
				in->deadline = p->extension_deadline;
			if (in->deadline <= now)
				return error_set(e, ERR_INVALID, "deadline",
				                 "批准的期限必须晚于现在");
			json_object_set_new(detail, "old_deadline",
			                    p->deadline ? json_integer(p->deadline) : json_null());
			p->deadline = in->deadline;
			p->extension_count++;
			json_object_set_new(detail, "deadline", json_integer(in->deadline));
		}
		p->extension_pending = 0;
		break;
	case PA_PARK:
		p->has_parked_from = 1;
		p->parked_from = from;
		break;
	case PA_UNPARK:
		p->has_parked_from = 0;
		break;
	case PA_REOPEN:
		if (in->deadline && in->deadline <= now)
			return error_set(e, ERR_INVALID, "deadline", "整改期限必须晚于现在");
		if (!in->deadline && p->suggested_hours)
			in->deadline = now + p->suggested_hours * 3600 * 1000;
		if (in->deadline)
			p->deadline = in->deadline;
		json_object_set_new(detail, "closed_outcome", json_string(p->outcome));
		if (in->deadline)
			json_object_set_new(detail, "deadline", json_integer(in->deadline));
		p->outcome = "";
		p->closed_at = 0;
		p->rework_count++;
		break;
	default:
		break;
	}
	return 0;
}

/* ---- after-photos --------------------------------------------------------- */

int problem_photo_flags(const struct problem_photo_fact *f, const struct problem *p)
{
	int flags = 0;

	if (!f->captured_at)
		flags |= PHOTO_NO_CAPTURE_TIME;
	else if (p->first_assigned_at && f->captured_at < p->first_assigned_at)
		flags |= PHOTO_BEFORE_ASSIGNMENT;
	if (f->same_as_before)
		flags |= PHOTO_SAME_AS_BEFORE;
	return flags;
}

json_t *problem_photo_flag_titles(int flags)
{
	json_t *out = json_array();

	if (flags & PHOTO_BEFORE_ASSIGNMENT)
		json_array_append_new(out, json_string("拍摄时间早于交办"));
	if (flags & PHOTO_NO_CAPTURE_TIME)
		json_array_append_new(out, json_string("没有拍摄时间"));
	if (flags & PHOTO_SAME_AS_BEFORE)
		json_array_append_new(out, json_string("与整改前照片相同"));
	return out;
}

/* {"file_id", "flags", "message": "整改后第 N 张照片：…"} of the nth after-photo (takes titles). */
static json_t *warning_of(int nth, json_int_t file_id, json_t *titles)
{
	char msg[256];
	size_t len, k;
	json_t *v;

	len = (size_t)snprintf(msg, sizeof(msg), "整改后第 %d 张照片：", nth);
	json_array_foreach(titles, k, v)
	{
		if (len < sizeof(msg))
			len += (size_t)snprintf(msg + len, sizeof(msg) - len, "%s%s", k ? "、" : "",
			                        json_string_value(v));
	}
	return json_pack("{s:I, s:o, s:s}", "file_id", file_id, "flags", titles, "message", msg);
}

json_t *problem_verify_warnings(const struct problem_photo_fact *f, int n, const struct problem *p)
{
	json_t *out = json_array();
	int i;

	for (i = 0; i < n; i++) {
		int flags = problem_photo_flags(&f[i], p);

		if (flags)
			json_array_append_new(out, warning_of(i + 1, (json_int_t)f[i].file_id,
			                                      problem_photo_flag_titles(flags)));
	}
	return out;
}

int problem_verify_check(const struct problem_input *in, json_t *warnings, struct error *e)
{
	char msg[600];
	size_t len = 0, k;
	json_t *w;

	if (!in->passed || !json_array_size(warnings) || in->reason)
		return 0;
	json_array_foreach(warnings, k, w)
	{
		if (len < sizeof(msg))
			len += (size_t)snprintf(msg + len, sizeof(msg) - len, "%s；",
			                        json_string_value(json_object_get(w, "message")));
	}
	return error_set(e, ERR_INVALID, "reason", "%s通过复核须填写理由 reason", msg);
}

/* ---- the whole transition ---------------------------------------------------- */

int problem_transition(struct store_conn *c, enum problem_action a, struct problem_input *in,
                       const struct problem_caller *who, struct problem *p, int64_t now,
                       struct arena *ar, json_t **summary, struct error *e)
{
	struct problem_step step;
	struct problem_event ev;
	enum problem_status from = p->status, to;
	json_t *detail = NULL;
	int64_t event_id = 0;
	int proxy = 0, i, rc;

	*summary = NULL;
	if ((rc = problem_actor_check(a, p, who, in, &proxy, e)))
		return rc;
	memset(&step, 0, sizeof(step));
	step.from = from;
	step.parked_from = p->has_parked_from ? p->parked_from : PS_REPORTED;
	step.passed = in->passed;
	step.extension_pending = p->extension_pending;
	if ((rc = problem_next(a, &step, &to, e)))
		return rc;
	detail = json_object();
	if (a == PA_VERIFY && in->passed) {
		struct problem_photo_fact *facts;
		json_t *warnings;
		int n;

		if ((rc = problem_after_photos(c, p->id, ar, &facts, &n, e)))
			goto out;
		warnings = problem_verify_warnings(facts, n, p);
		if ((rc = problem_verify_check(in, warnings, e))) {
			json_decref(warnings);
			goto out;
		}
		if (json_array_size(warnings)) {
			json_object_set_new(detail, "warnings", warnings);
			json_object_set_new(detail, "reason", json_string(in->reason));
		} else {
			json_decref(warnings);
		}
	}
	in->reader = who->principal;
	if ((rc = problem_apply(c, a, in, p, to, now, detail, ar, e)))
		goto out;
	if (proxy) {
		json_object_set_new(detail, "proxy", json_true());
		json_object_set_new(detail, "proxy_reason", json_string(in->proxy_reason));
	}
	if ((rc = problem_update_state(c, p, now, e)) ||
	    (a == PA_ASSIGN && (rc = problem_set_co_units(c, p->id, in->co_units, in->nco, e))))
		goto out;
	memset(&ev, 0, sizeof(ev));
	ev.problem_id = p->id;
	ev.action = problem_action_name(a);
	ev.has_from = 1;
	ev.from = from;
	ev.to = to;
	ev.user_id = who->user_id;
	ev.unit_id = who->unit_id;
	ev.note = in->note;
	ev.detail = json_object_size(detail) ? detail : NULL;
	ev.at = now;
	ev.proxy = proxy;
	if ((rc = problem_event_add(c, &ev, &event_id, e)))
		goto out;
	for (i = 0; i < in->nphotos; i++)
		if ((rc = problem_photo_add(c, p->id, in->photos[i], "after", event_id, i, e)))
			goto out;
	*summary = json_pack("{s:s, s:s, s:s}", "code", p->code, "from", problem_status_name(from),
	                     "to", problem_status_name(to));
	json_object_update(*summary, detail);
out:
	json_decref(detail);
	return rc;
}

json_t *problem_photos_warnings(json_t *photos)
{
	json_t *out = json_array(), *ph;
	json_int_t last = 0;
	size_t i;
	int nth = 0;

	json_array_foreach(photos, i, ph)
	{
		if (!strcmp(json_string_value(json_object_get(ph, "kind")), "after") &&
		    json_integer_value(json_object_get(ph, "event_id")) > last)
			last = json_integer_value(json_object_get(ph, "event_id"));
	}
	json_array_foreach(photos, i, ph)
	{
		json_t *flags = json_object_get(ph, "flags");

		if (strcmp(json_string_value(json_object_get(ph, "kind")), "after") ||
		    json_integer_value(json_object_get(ph, "event_id")) != last)
			continue;
		nth++;
		if (json_array_size(flags))
			json_array_append_new(
			    out, warning_of(nth, json_integer_value(json_object_get(ph, "file_id")),
			                    json_copy(flags)));
	}
	return out;
}

int problem_caller_init(struct store_conn *c, const struct principal *principal, struct arena *a,
                        struct scope *rectify, struct problem_caller *who, struct error *e)
{
	struct tenant_settings ts;
	int rc;

	principal_scope(principal, "problem:rectify", a, rectify);
	memset(who, 0, sizeof(*who));
	who->principal = principal;
	who->user_id = principal->user_id;
	who->unit_id = principal->unit_id;
	who->rectify = rectify;
	who->office = principal_has(principal, "problem:assign");
	if ((rc = settings_get(c, principal->tenant_id, a, &ts, e)))
		return rc;
	who->proxy_enabled = ts.proxy_enabled;
	return 0;
}

int problem_act_as(struct store_conn *c, const struct principal *principal, int64_t id,
                   enum problem_action a, struct problem_input *in, int64_t now, struct arena *ar,
                   struct problem *p, json_t **summary, struct error *e)
{
	struct problem_caller who;
	struct scope view, rectify;
	int rc;

	*summary = NULL;
	principal_scope(principal, "problem:view", ar, &view);
	if ((rc = problem_get(c, principal->tenant_id, &view, id, ar, p, e)) ||
	    (rc = problem_caller_init(c, principal, ar, &rectify, &who, e)))
		return rc;
	return problem_transition(c, a, in, &who, p, now, ar, summary, e);
}

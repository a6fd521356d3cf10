/*
 * api_problem_actions.c - POST /problems/{id}/{action}: one route per
 * action of problem_fsm.h, each needing that action's permission.  A
 * transition reads the problem inside one write transaction, asks
 * problem_next where it goes, and commits the new state, its timeline event
 * and its audit row together.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "core/clock.h"
#include "http/json_io.h"
#include "http/req.h"
#include "http/router.h"
#include "master/master.h"
#include "problem/problem.h"
#include "store/store.h"

#define DAY_MS (86400LL * 1000)

/* What the body of an action asked for, read before the transaction. */
struct action_input {
	const char *note;    /* note, or the reason where one is required */
	int passed;          /* verify */
	const char *outcome; /* verify passed */
	int approved;        /* decide-extension */
	int64_t unit_id;     /* assign; 0: the routed unit */
	int64_t co_units[PROBLEM_MAX_COUNITS];
	int nco;
	int64_t deadline; /* assign, extend, decide-extension, reopen; 0: none given */
	int64_t days;     /* extend */
	int64_t photos[PROBLEM_MAX_PHOTOS];
	int nphotos;
};

/* 1 when the lead unit of p is within the caller's problem:rectify scope. */
static int lead_in_scope(struct req *r, const struct problem *p)
{
	struct scope s;
	json_t *ids, *v;
	size_t i, plen;
	int hit = 0;

	principal_scope(r->who, "problem:rectify", &r->arena, &s);
	if (s.all)
		return 1;
	if (!p->lead_unit_id)
		return 0;
	plen = strlen(s.subtree);
	if (plen > 1 && !strncmp(p->lead_unit_ancestors, s.subtree, plen - 1)) /* ends in % */
		return 1;
	ids = json_loads(s.unit_ids, 0, NULL);
	json_array_foreach(ids, i, v)
	{
		if (json_integer_value(v) == p->lead_unit_id)
			hit = 1;
	}
	json_decref(ids);
	return hit;
}

/* co_unit_ids of body: distinct unit ids. */
static int co_unit_field(struct req *r, json_t *body, struct action_input *in)
{
	json_t *arr = json_object_get(body, "co_unit_ids"), *v;
	size_t i;
	int k;

	if (!arr || json_is_null(arr))
		return 0;
	if (!json_is_array(arr) || json_array_size(arr) > PROBLEM_MAX_COUNITS)
		return req_fail(r, ERR_INVALID, "co_unit_ids",
		                "协办单位 co_unit_ids 应为至多 %d 个单位编号", PROBLEM_MAX_COUNITS);
	json_array_foreach(arr, i, v)
	{
		if (!json_is_integer(v) || json_integer_value(v) < 1)
			return req_fail(r, ERR_INVALID, "co_unit_ids",
			                "协办单位 co_unit_ids 应为单位编号");
		for (k = 0; k < in->nco; k++)
			if (in->co_units[k] == json_integer_value(v))
				return req_fail(r, ERR_INVALID, "co_unit_ids", "协办单位重复");
		in->co_units[in->nco++] = json_integer_value(v);
	}
	return 0;
}

/* An optional time field into *out (0 when absent). */
static int time_field(struct req *r, json_t *body, const char *key, int64_t *out)
{
	json_t *v = json_object_get(body, key);
	struct error e;

	*out = 0;
	if (!v || json_is_null(v))
		return 0;
	error_init(&e);
	return problem_api_time(v, key, out, &e) ? req_fail_error(r, &e) : 0;
}

/* Read and check the body of action a. */
static int action_fields(struct req *r, enum problem_action a, json_t *body,
                         struct action_input *in)
{
	static const char *const note_only[] = {"note", NULL};
	static const char *const with_reason[] = {"reason", "note", NULL};
	static const char *const assign[] = {"unit_id", "co_unit_ids", "deadline", "note", NULL};
	static const char *const submit[] = {"note", "photo_ids", NULL};
	static const char *const verify[] = {"passed", "outcome", "note", NULL};
	static const char *const extend[] = {"days", "deadline", "reason", "note", NULL};
	static const char *const decide[] = {"approved", "deadline", "note", NULL};
	static const char *const reopen[] = {"note", "reason", "deadline", NULL};
	const char *const *allowed = note_only;
	const char *reason = NULL;
	struct error e;
	int need_reason = 0;

	memset(in, 0, sizeof(*in));
	in->note = "";
	in->outcome = "";
	switch (a) {
	case PA_INVALIDATE:
	case PA_RETURN:
	case PA_VOID:
		allowed = with_reason;
		need_reason = 1;
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
		need_reason = 1;
		break;
	case PA_DECIDE_EXTENSION:
		allowed = decide;
		break;
	case PA_PARK:
	case PA_UNPARK:
		allowed = with_reason;
		break;
	case PA_REOPEN:
		allowed = reopen;
		break;
	default:
		break;
	}
	error_init(&e);
	if (json_only_keys(body, allowed, &e) ||
	    json_get_string(body, "note", JF_NULLABLE, 0, PROBLEM_NOTE_MAX, &in->note, &e) ||
	    (allowed == with_reason || a == PA_EXTEND || a == PA_REOPEN
	         ? json_get_string(body, "reason", need_reason ? JF_REQUIRED : JF_NULLABLE, 1,
	                           PROBLEM_NOTE_MAX, &reason, &e)
	         : 0))
		return req_fail_error(r, &e);
	if (reason)
		in->note = *in->note ? arena_printf(&r->arena, "%s；%s", reason, in->note) : reason;
	switch (a) {
	case PA_ASSIGN:
		if (json_get_int(body, "unit_id", JF_NULLABLE, 1, INT64_MAX, &in->unit_id, &e))
			return req_fail_error(r, &e);
		if (co_unit_field(r, body, in) || time_field(r, body, "deadline", &in->deadline))
			return r->err.code;
		break;
	case PA_SUBMIT:
		return problem_api_photo_ids(r, body, 1, in->photos, &in->nphotos);
	case PA_VERIFY:
		if (json_get_bool(body, "passed", JF_REQUIRED, &in->passed, &e) ||
		    json_get_string(body, "outcome", JF_NULLABLE, 1, 32, &in->outcome, &e))
			return req_fail_error(r, &e);
		if (!in->passed && *in->outcome)
			return req_fail(r, ERR_INVALID, "outcome", "复核不通过时不填写结案方式");
		if (in->passed && !*in->outcome)
			in->outcome = "fixed";
		if (in->passed && !problem_outcome_ok(in->outcome))
			return req_fail(
			    r, ERR_INVALID, "outcome",
			    "结案方式应为 fixed、duplicate、not_responsible 或 parked_closed");
		break;
	case PA_EXTEND:
		if (json_get_int(body, "days", JF_NULLABLE, 1, 365, &in->days, &e))
			return req_fail_error(r, &e);
		if (time_field(r, body, "deadline", &in->deadline))
			return r->err.code;
		if (!in->days == !in->deadline)
			return req_fail(r, ERR_INVALID, "days",
			                "请给出延期天数 days 或新的期限 deadline（二选一）");
		break;
	case PA_DECIDE_EXTENSION:
		if (json_get_bool(body, "approved", JF_REQUIRED, &in->approved, &e))
			return req_fail_error(r, &e);
		return time_field(r, body, "deadline", &in->deadline);
	case PA_REOPEN:
		return time_field(r, body, "deadline", &in->deadline);
	default:
		break;
	}
	return 0;
}

/*
 * Apply action a to p (status already moved to `to`), filling detail.
 * Checks that need the stored problem answer 422 through r.
 */
static int action_apply(struct req *r, enum problem_action a, struct action_input *in,
                        struct problem *p, enum problem_status to, int64_t now, json_t *detail)
{
	enum problem_status from = p->status;
	int i;

	p->status = to;
	switch (a) {
	case PA_ASSIGN:
		if (!in->unit_id)
			in->unit_id = p->suggested_unit_id;
		if (!in->unit_id)
			return req_fail(r, ERR_INVALID, "unit_id", "请选择牵头单位");
		if (master_check_unit(r, in->unit_id, "unit_id"))
			return r->err.code;
		for (i = 0; i < in->nco; i++) {
			if (in->co_units[i] == in->unit_id)
				return req_fail(r, ERR_INVALID, "co_unit_ids",
				                "协办单位不能是牵头单位");
			if (master_check_unit(r, in->co_units[i], "co_unit_ids"))
				return r->err.code;
		}
		if (!in->deadline && p->suggested_hours)
			in->deadline = now + p->suggested_hours * 3600 * 1000;
		if (!in->deadline)
			return req_fail(r, ERR_INVALID, "deadline",
			                "该问题分类没有默认期限，请给出整改期限");
		if (in->deadline <= now)
			return req_fail(r, ERR_INVALID, "deadline", "整改期限必须晚于现在");
		p->lead_unit_id = in->unit_id;
		p->deadline = in->deadline;
		p->assigned_at = now;
		if (!p->first_assigned_at)
			p->first_assigned_at = now;
		p->extension_pending = 0; /* a new assignment answers any request */
		json_object_set_new(detail, "unit_id", json_integer(in->unit_id));
		json_object_set_new(detail, "deadline", json_integer(in->deadline));
		json_object_set_new(detail, "co_unit_ids", json_array());
		for (i = 0; i < in->nco; i++)
			json_array_append_new(json_object_get(detail, "co_unit_ids"),
			                      json_integer(in->co_units[i]));
		break;
	case PA_SUBMIT:
		if (problem_api_check_photos(r, in->photos, in->nphotos))
			return r->err.code;
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
			return req_fail(r, ERR_INVALID, in->days ? "days" : "deadline",
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
				return req_fail(r, ERR_INVALID, "deadline",
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
			return req_fail(r, ERR_INVALID, "deadline", "整改期限必须晚于现在");
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

/* The whole transition of action a on problem {id}. */
static int problem_act(struct req *r, enum problem_action a)
{
	struct action_input in;
	struct problem p;
	struct problem_step step;
	struct problem_event ev;
	enum problem_status from, to;
	struct scope view;
	struct error e;
	json_t *body, *detail, *summary;
	int64_t id, now = time_now_ms(), event_id = 0;
	int i;

	if (req_param_id(r, "id", &id))
		return r->err.code;
	if (r->body.len == 0)
		body = NULL;
	else if (req_body_json(r, &body))
		return r->err.code;
	{
		json_t *empty = json_object();
		int rc = action_fields(r, a, body ? body : empty, &in);

		json_decref(empty);
		if (rc)
			return r->err.code;
	}
	if (!req_db(r))
		return r->err.code;
	error_init(&e);
	if (store_begin(r->db, 1, &e))
		return req_fail_error(r, &e);
	problem_view_scope(r, &view);
	if (problem_get(r->db, r->who->tenant_id, &view, id, &r->arena, &p, &e))
		goto fail_e;
	if (problem_action_actor(a) == ACTOR_UNIT && !lead_in_scope(r, &p)) {
		req_fail(r, ERR_FORBIDDEN, NULL, "只有牵头单位可以%s",
		         a == PA_SIGN     ? "签收"
		         : a == PA_RETURN ? "退回"
		         : a == PA_SUBMIT ? "提交整改反馈"
		                          : "申请延期");
		goto fail;
	}
	memset(&step, 0, sizeof(step));
	step.from = from = p.status;
	step.parked_from = p.has_parked_from ? p.parked_from : PS_REPORTED;
	step.passed = in.passed;
	step.extension_pending = p.extension_pending;
	if (problem_next(a, &step, &to, &e))
		goto fail_e;
	detail = json_object();
	if (action_apply(r, a, &in, &p, to, now, detail)) {
		json_decref(detail);
		goto fail;
	}
	if (problem_update_state(r->db, &p, now, &e) ||
	    (a == PA_ASSIGN && problem_set_co_units(r->db, p.id, in.co_units, in.nco, &e))) {
		json_decref(detail);
		goto fail_e;
	}
	memset(&ev, 0, sizeof(ev));
	ev.problem_id = p.id;
	ev.action = problem_action_name(a);
	ev.has_from = 1;
	ev.from = from;
	ev.to = to;
	ev.user_id = r->who->user_id;
	ev.unit_id = r->who->unit_id;
	ev.note = in.note;
	ev.detail = json_object_size(detail) ? detail : NULL;
	ev.at = now;
	if (problem_event_add(r->db, &ev, &event_id, &e)) {
		json_decref(detail);
		goto fail_e;
	}
	for (i = 0; i < in.nphotos; i++)
		if (problem_photo_add(r->db, p.id, in.photos[i], "after", event_id, i, &e)) {
			json_decref(detail);
			goto fail_e;
		}
	summary = json_pack("{s:s, s:s, s:s}", "code", p.code, "from", problem_status_name(from),
	                    "to", problem_status_name(to));
	json_object_update(summary, detail);
	json_decref(detail);
	if (req_audit(r, r->db, arena_printf(&r->arena, "problem.%s", problem_action_name(a)),
	              "problem", p.id, summary))
		goto fail;
	if (store_commit(r->db, &e))
		goto fail_e;
	return problem_api_detail(r, p.id, 200);
fail_e:
	req_fail_error(r, &e);
fail:
	store_rollback(r->db);
	return r->err.code ? r->err.code : ERR_INTERNAL;
}

#define ACTION_HANDLER(fn, action)                                                                 \
	static int fn(struct req *r)                                                               \
	{                                                                                          \
		return problem_act(r, action);                                                     \
	}

ACTION_HANDLER(act_accept, PA_ACCEPT)
ACTION_HANDLER(act_invalidate, PA_INVALIDATE)
ACTION_HANDLER(act_assign, PA_ASSIGN)
ACTION_HANDLER(act_sign, PA_SIGN)
ACTION_HANDLER(act_return, PA_RETURN)
ACTION_HANDLER(act_submit, PA_SUBMIT)
ACTION_HANDLER(act_verify, PA_VERIFY)
ACTION_HANDLER(act_extend, PA_EXTEND)
ACTION_HANDLER(act_decide, PA_DECIDE_EXTENSION)
ACTION_HANDLER(act_park, PA_PARK)
ACTION_HANDLER(act_unpark, PA_UNPARK)
ACTION_HANDLER(act_void, PA_VOID)
ACTION_HANDLER(act_reopen, PA_REOPEN)

/*
 * One route per action, each with the permission problem_fsm.c gives it
 * (the literal strings let the authorization matrix test read them).
 */
void problem_action_routes(struct router *rt)
{
	router_add(rt, "POST", "/api/v1/problems/{id}/accept", act_accept, "problem:accept", 0);
	router_add(rt, "POST", "/api/v1/problems/{id}/invalidate", act_invalidate, "problem:accept",
	           0);
	router_add(rt, "POST", "/api/v1/problems/{id}/assign", act_assign, "problem:assign", 0);
	router_add(rt, "POST", "/api/v1/problems/{id}/sign", act_sign, "problem:rectify", 0);
	router_add(rt, "POST", "/api/v1/problems/{id}/return", act_return, "problem:rectify", 0);
	router_add(rt, "POST", "/api/v1/problems/{id}/submit", act_submit, "problem:rectify", 0);
	router_add(rt, "POST", "/api/v1/problems/{id}/verify", act_verify, "problem:verify", 0);
	router_add(rt, "POST", "/api/v1/problems/{id}/extend", act_extend, "problem:rectify", 0);
	router_add(rt, "POST", "/api/v1/problems/{id}/decide-extension", act_decide,
	           "problem:approve", 0);
	router_add(rt, "POST", "/api/v1/problems/{id}/park", act_park, "problem:approve", 0);
	router_add(rt, "POST", "/api/v1/problems/{id}/unpark", act_unpark, "problem:approve", 0);
	router_add(rt, "POST", "/api/v1/problems/{id}/void", act_void, "problem:approve", 0);
	router_add(rt, "POST", "/api/v1/problems/{id}/reopen", act_reopen, "problem:reopen", 0);

	/* the literals above must say what problem_fsm.c says: a mismatch is a bug */
	for (int i = 0; i < router_count(rt); i++) {
		const struct route *ro = router_at(rt, i);
		const char *tail = strrchr(ro->pattern, '/');
		enum problem_action a;

		if (!strncmp(ro->pattern, "/api/v1/problems/{id}/", 22) &&
		    !problem_action_parse(tail + 1, &a) &&
		    strcmp(ro->perm, problem_action_permission(a))) {
			fprintf(stderr, "route %s needs %s\n", ro->pattern,
			        problem_action_permission(a));
			abort();
		}
	}
}

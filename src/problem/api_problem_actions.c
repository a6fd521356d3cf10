/*
 * api_problem_actions.c - POST /problems/{id}/{action}: one route per
 * action of problem_fsm.h, each needing that action's permission.  It reads
 * the body, runs problem_transition (problem_action.c) in one write
 * transaction and commits the move with its audit row.
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

/* co_unit_ids of body: distinct unit ids. */
static int co_unit_field(struct req *r, json_t *body, struct problem_action_input *in)
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
                         struct problem_action_input *in)
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

/* The whole transition of action a on problem {id}. */
static int problem_act(struct req *r, enum problem_action a)
{
	struct problem_action_input in;
	struct problem p;
	struct error e;
	json_t *body, *summary = NULL;
	int64_t id, now = time_now_ms();

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
	if (problem_transition(r->db, r->who, id, a, &in, now, &r->arena, &p, &summary, &e))
		goto fail_e;
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

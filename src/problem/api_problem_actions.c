/*
 * api_problem_actions.c - POST /problems/{id}/{action}: one route per
 * action of problem_fsm.h, each needing that action's permission.  The
 * rules are problem_rules.h's: this file reads the body, reads the problem
 * inside one write transaction, runs problem_transition and commits the
 * new state, its timeline event and its audit row together.
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
#include "problem/problem_rules.h"
#include "store/store.h"

/* The whole transition of action a on problem {id}: read, problem_transition, audit, commit. */
static int problem_act(struct req *r, enum problem_action a)
{
	struct problem_input in;
	struct problem p;
	struct error e;
	json_t *body, *summary = NULL;
	int64_t id, now = time_now_ms();
	int rc;

	if (req_param_id(r, "id", &id))
		return r->err.code;
	if (r->body.len == 0)
		body = json_object();
	else if (req_body_json(r, &body))
		return r->err.code;
	else
		json_incref(body);
	error_init(&e);
	rc = problem_input_read(a, body, &r->arena, &in, &e);
	if (rc) {
		json_decref(body);
		return req_fail_error(r, &e);
	}
	if (!req_db(r)) {
		json_decref(body);
		return r->err.code;
	}
	rc = store_begin(r->db, 1, &e);
	if (!rc) {
		rc = problem_act_as(r->db, r->who, id, a, &in, now, &r->arena, &p, &summary, &e);
		if (!rc && req_audit(r, r->db,
		                     arena_printf(&r->arena, "problem.%s", problem_action_name(a)),
		                     "problem", p.id, summary)) /* takes summary */
			rc = r->err.code ? r->err.code : ERR_INTERNAL;
		rc = req_tx_end(r, r->db, rc, &e);
	} else {
		req_fail_error(r, &e);
	}
	json_decref(body);
	if (rc)
		return r->err.code;
	return problem_api_detail(r, p.id, 200);
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

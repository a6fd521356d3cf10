/* problem_fsm.c - the transition table of the closed loop. */
#include "problem/problem_fsm.h"

#include <string.h>

static const char *const status_names[PS_COUNT] = {
    "reported",  "accepted", "invalid", "assigned", "returned", "rectifying",
    "submitted", "rework",   "closed",  "parked",   "voided"};

static const char *const status_titles[PS_COUNT] = {"待受理", "已立案", "不予立案", "已交办",
                                                    "已退回", "整改中", "已反馈",   "复核不通过",
                                                    "已销号", "已挂账", "已作废"};

static const char *const action_names[PA_COUNT] = {
    "accept", "invalidate",       "assign", "sign",   "return", "submit", "verify",
    "extend", "decide-extension", "park",   "unpark", "void",   "reopen"};

static const char *const action_titles[PA_COUNT] = {
    "受理",     "不予立案", "交办", "签收",     "退回", "提交整改反馈", "复核",
    "申请延期", "审批延期", "挂账", "取消挂账", "作废", "重新打开"};

struct action_rule {
	enum problem_actor actor;
	const char *permission;
};

static const struct action_rule rules[PA_COUNT] = {
    [PA_ACCEPT] = {ACTOR_OFFICE, "problem:accept"},
    [PA_INVALIDATE] = {ACTOR_OFFICE, "problem:accept"},
    [PA_ASSIGN] = {ACTOR_OFFICE, "problem:assign"},
    [PA_SIGN] = {ACTOR_UNIT, "problem:rectify"},
    [PA_RETURN] = {ACTOR_UNIT, "problem:rectify"},
    [PA_SUBMIT] = {ACTOR_UNIT, "problem:rectify"},
    [PA_VERIFY] = {ACTOR_OFFICE, "problem:verify"},
    [PA_EXTEND] = {ACTOR_UNIT, "problem:rectify"},
    [PA_DECIDE_EXTENSION] = {ACTOR_OFFICE, "problem:approve"},
    [PA_PARK] = {ACTOR_OFFICE, "problem:approve"},
    [PA_UNPARK] = {ACTOR_OFFICE, "problem:approve"},
    [PA_VOID] = {ACTOR_OFFICE, "problem:approve"},
    [PA_REOPEN] = {ACTOR_REPORTER, "problem:reopen"},
};

const char *problem_status_name(enum problem_status s)
{
	return s >= 0 && s < PS_COUNT ? status_names[s] : "unknown";
}

const char *problem_status_title(enum problem_status s)
{
	return s >= 0 && s < PS_COUNT ? status_titles[s] : "未知";
}

const char *problem_action_name(enum problem_action a)
{
	return a >= 0 && a < PA_COUNT ? action_names[a] : "unknown";
}

int problem_status_parse(const char *name, enum problem_status *out)
{
	int i;

	for (i = 0; i < PS_COUNT; i++)
		if (!strcmp(status_names[i], name)) {
			*out = (enum problem_status)i;
			return 0;
		}
	return ERR_INVALID;
}

int problem_action_parse(const char *name, enum problem_action *out)
{
	int i;

	for (i = 0; i < PA_COUNT; i++)
		if (!strcmp(action_names[i], name)) {
			*out = (enum problem_action)i;
			return 0;
		}
	return ERR_NOT_FOUND; /* an unknown action is an unknown URL */
}

enum problem_actor problem_action_actor(enum problem_action a)
{
	return rules[a].actor;
}

const char *problem_action_permission(enum problem_action a)
{
	return rules[a].permission;
}

int problem_status_has_deadline(enum problem_status s)
{
	return s == PS_ASSIGNED || s == PS_RECTIFYING || s == PS_REWORK || s == PS_SUBMITTED;
}

int problem_status_final(enum problem_status s)
{
	return s == PS_CLOSED || s == PS_INVALID || s == PS_VOIDED;
}

/* Statuses a problem can be parked from: open work of the loop. */
static int parkable(enum problem_status s)
{
	return s == PS_ACCEPTED || s == PS_ASSIGNED || s == PS_RETURNED || s == PS_RECTIFYING ||
	       s == PS_REWORK;
}

int problem_next(enum problem_action a, const struct problem_step *step, enum problem_status *to,
                 struct error *e)
{
	enum problem_status from = step->from;
	int ok = 1;

	*to = from;
	switch (a) {
	case PA_ACCEPT:
		ok = from == PS_REPORTED;
		*to = PS_ACCEPTED;
		break;
	case PA_INVALIDATE:
		ok = from == PS_REPORTED;
		*to = PS_INVALID;
		break;
	case PA_ASSIGN:
		/* first assignment, reassignment after a return, or a change before signing */
		ok = from == PS_ACCEPTED || from == PS_RETURNED || from == PS_ASSIGNED;
		*to = PS_ASSIGNED;
		break;
	case PA_SIGN:
		ok = from == PS_ASSIGNED;
		*to = PS_RECTIFYING;
		break;
	case PA_RETURN:
		ok = from == PS_ASSIGNED;
		*to = PS_RETURNED;
		break;
	case PA_SUBMIT:
		ok = from == PS_RECTIFYING || from == PS_REWORK;
		*to = PS_SUBMITTED;
		break;
	case PA_VERIFY:
		ok = from == PS_SUBMITTED;
		*to = step->passed ? PS_CLOSED : PS_REWORK;
		break;
	case PA_EXTEND:
		ok = from == PS_ASSIGNED || from == PS_RECTIFYING || from == PS_REWORK;
		if (ok && step->extension_pending)
			return error_set(e, ERR_CONFLICT, NULL,
			                 "已有延期申请正在审批，请等待创城办答复");
		break;
	case PA_DECIDE_EXTENSION:
		ok = step->extension_pending && !problem_status_final(from) && from != PS_PARKED;
		if (!ok)
			return error_set(e, ERR_CONFLICT, NULL, "该问题没有待审批的延期申请");
		break;
	case PA_PARK:
		ok = parkable(from);
		*to = PS_PARKED;
		break;
	case PA_UNPARK:
		ok = from == PS_PARKED && parkable(step->parked_from);
		*to = step->parked_from;
		break;
	case PA_VOID:
		ok = !problem_status_final(from);
		*to = PS_VOIDED;
		break;
	case PA_REOPEN:
		ok = from == PS_CLOSED;
		*to = PS_REWORK;
		break;
	default:
		return error_set(e, ERR_NOT_FOUND, NULL, NULL);
	}
	if (!ok) {
		*to = from;
		return error_set(e, ERR_CONFLICT, NULL, "问题当前状态为「%s」，不能执行「%s」",
		                 status_titles[from], action_titles[a]);
	}
	return 0;
}

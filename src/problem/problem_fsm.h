/*
 * problem_fsm.h - the closed loop of a problem as a state machine
 * (docs/domain.md, "The closed loop").  Pure rules: no HTTP, no SQL.
 *
 *   reported --accept--> accepted --assign--> assigned --sign--> rectifying
 *   reported --invalidate--> invalid            assigned --return--> returned
 *   returned --assign--> assigned (the office reassigns)
 *   rectifying|rework --submit--> submitted
 *   submitted --verify(passed)--> closed   submitted --verify(failed)--> rework
 *   closed --reopen--> rework
 * Side branches needing the office: extend (a unit asks) and decide-extension
 * (the office answers; the status does not change, the deadline may);
 * park (挂账) from any open status and unpark back to where it was parked
 * from; void (作废) from any status that is not final.
 */
#ifndef WENMING_PROBLEM_FSM_H
#define WENMING_PROBLEM_FSM_H

#include "core/err.h"

enum problem_status {
	PS_REPORTED = 0,
	PS_ACCEPTED,
	PS_INVALID,
	PS_ASSIGNED,
	PS_RETURNED,
	PS_RECTIFYING,
	PS_SUBMITTED,
	PS_REWORK,
	PS_CLOSED,
	PS_PARKED,
	PS_VOIDED,
	PS_COUNT
};

enum problem_action {
	PA_ACCEPT = 0,
	PA_INVALIDATE,
	PA_ASSIGN,
	PA_SIGN,
	PA_RETURN,
	PA_SUBMIT,
	PA_VERIFY,
	PA_EXTEND,
	PA_DECIDE_EXTENSION,
	PA_PARK,
	PA_UNPARK,
	PA_VOID,
	PA_REOPEN,
	PA_COUNT
};

/* Who acts, which decides the permission a transition needs. */
enum problem_actor {
	ACTOR_OFFICE = 0, /* 创城办: accepts, assigns, verifies, approves */
	ACTOR_UNIT,       /* the responsible unit: signs, returns, submits, asks */
	ACTOR_REPORTER    /* a reporter or inspector: reopens */
};

struct problem_step {
	enum problem_status from;
	enum problem_status parked_from; /* for PA_UNPARK: where it was parked from */
	int passed;                      /* for PA_VERIFY */
	int extension_pending;           /* a request waits for a decision */
};

/* Status and action names as the API spells them ("decide-extension"). */
const char *problem_status_name(enum problem_status s);
const char *problem_status_title(enum problem_status s); /* 待受理 ... */
const char *problem_action_name(enum problem_action a);
int problem_status_parse(const char *name, enum problem_status *out);
int problem_action_parse(const char *name, enum problem_action *out);

/* Who performs an action. */
enum problem_actor problem_action_actor(enum problem_action a);

/* The permission an action needs ("problem:assign" ...). */
const char *problem_action_permission(enum problem_action a);

/*
 * Where action a takes a problem described by step.  ERR_CONFLICT with a
 * Chinese message naming the current status when a is not allowed from it.
 */
int problem_next(enum problem_action a, const struct problem_step *step, enum problem_status *to,
                 struct error *e);

/* 1 for statuses that count towards overdue (a unit owes work and a deadline runs). */
int problem_status_has_deadline(enum problem_status s);

/* 1 for closed, invalid and voided: nothing more happens without reopen. */
int problem_status_final(enum problem_status s);

#endif

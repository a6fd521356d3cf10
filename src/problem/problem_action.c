/*
 * problem_action.c - one transition of the loop as the domain does it, for
 * whoever acts: POST /problems/{id}/{action} (api_problem_actions.c) and
 * `wenming demo` (demo_loop.c) both call problem_transition.  It reads the
 * problem in the actor's view, checks that a unit action comes from the
 * lead unit, asks problem_next where the problem goes, and stores the new
 * state, the co-units, the timeline event and its photos.  The audit row
 * is the caller's, from the summary it is handed.
 */
#include <string.h>

#include "auth/auth.h"
#include "org/org.h"
#include "problem/problem.h"
#include "store/store.h"

#define DAY_MS (86400LL * 1000)

/* 1 when the lead unit of p is within who's problem:rectify scope. */
static int lead_in_scope(const struct principal *who, const struct problem *p, struct arena *a)
{
	struct scope s;
	json_t *ids, *v;
	size_t i, plen;
	int hit = 0;

	principal_scope(who, "problem:rectify", a, &s);
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

/* ERR_INVALID naming field unless unit_id is a unit of the tenant. */
static int check_unit(struct store_conn *c, int64_t tenant_id, int64_t unit_id, const char *field,
                      struct arena *a, struct error *e)
{
	struct unit u;
	int rc = unit_get(c, tenant_id, NULL, unit_id, a, &u, e);

	if (rc == ERR_NOT_FOUND)
		return error_set(e, ERR_INVALID, field, "单位不存在");
	return rc;
}

/*
 * Apply action a to p (its status moves to `to`), filling detail; checks
 * that need the stored problem answer ERR_INVALID naming the field.
 */
static int action_apply(struct store_conn *c, enum problem_action a,
                        struct problem_action_input *in, struct problem *p, enum problem_status to,
                        int64_t now, json_t *detail, struct arena *ar, struct error *e)
{
	enum problem_status from = p->status;
	int i;

	p->status = to;
	switch (a) {
	case PA_ASSIGN:
		if (!in->unit_id)
			in->unit_id = p->suggested_unit_id;
		if (!in->unit_id)
			return error_set(e, ERR_INVALID, "unit_id", "请选择牵头单位");
		if (check_unit(c, p->tenant_id, in->unit_id, "unit_id", ar, e))
			return e->code;
		for (i = 0; i < in->nco; i++) {
			if (in->co_units[i] == in->unit_id)
				return error_set(e, ERR_INVALID, "co_unit_ids",
				                 "协办单位不能是牵头单位");
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
		json_object_set_new(detail, "co_unit_ids", json_array());
		for (i = 0; i < in->nco; i++)
			json_array_append_new(json_object_get(detail, "co_unit_ids"),
			                      json_integer(in->co_units[i]));
		break;
	case PA_SUBMIT:
		if (problem_check_photos(c, p->tenant_id, in->photos, in->nphotos, ar, e))
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

int problem_transition(struct store_conn *c, const struct principal *who, int64_t id,
                       enum problem_action a, struct problem_action_input *in, int64_t now,
                       struct arena *ar, struct problem *p, json_t **summary, struct error *e)
{
	struct problem_step step;
	struct problem_event ev;
	enum problem_status from, to;
	struct scope view;
	json_t *detail;
	int64_t event_id = 0;
	int i, rc;

	*summary = NULL;
	principal_scope(who, "problem:view", ar, &view);
	if ((rc = problem_get(c, who->tenant_id, &view, id, ar, p, e)))
		return rc;
	if (problem_action_actor(a) == ACTOR_UNIT && !lead_in_scope(who, p, ar))
		return error_set(e, ERR_FORBIDDEN, NULL, "只有牵头单位可以%s",
		                 a == PA_SIGN     ? "签收"
		                 : a == PA_RETURN ? "退回"
		                 : a == PA_SUBMIT ? "提交整改反馈"
		                                  : "申请延期");
	memset(&step, 0, sizeof(step));
	step.from = from = p->status;
	step.parked_from = p->has_parked_from ? p->parked_from : PS_REPORTED;
	step.passed = in->passed;
	step.extension_pending = p->extension_pending;
	if ((rc = problem_next(a, &step, &to, e)))
		return rc;
	detail = json_object();
	if ((rc = action_apply(c, a, in, p, to, now, detail, ar, e)) ||
	    (rc = problem_update_state(c, p, now, e)) ||
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

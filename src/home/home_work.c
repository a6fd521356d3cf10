/*
 * home_work.c - the caller's work beyond problems, counted for the home
 * page's card and the header's bell: materials waiting for the caller's
 * units to upload or submit, or for the office to review, and plan tasks
 * due a progress report.  Each count follows the permission that does the
 * work and its scope, so a leader (who reads but does not work) gets none.
 */
#include <string.h>

#include "auth/auth.h"
#include "core/clock.h"
#include "home/home.h"
#include "http/req.h"
#include "inspect/inspect.h"
#include "materials/materials.h"
#include "plan/plan.h"
#include "plan/plan_api.h"

int home_work_shown(const struct principal *p)
{
	return principal_has(p, "material:upload") || principal_has(p, "material:review") ||
	       principal_has(p, "plan:report") || principal_has(p, "plan:edit");
}

int home_work_counts(struct req *r, struct home_work *w, struct error *e)
{
	const struct principal *p = r->who;
	struct scope s;
	int64_t fw = 0;
	char today[11];
	int rc;

	memset(w, 0, sizeof(*w));
	if (principal_has(p, "material:upload") || principal_has(p, "material:review")) {
		struct error fe;

		error_init(&fe);
		rc = framework_active(r->db, p->tenant_id, &fw, &fe);
		if (rc && rc != ERR_NOT_FOUND)
			return error_set(e, rc, NULL, "%s", fe.message);
	}
	if (fw && principal_has(p, "material:review")) {
		principal_scope(p, "material:review", &r->arena, &s);
		if ((rc = material_count_waiting(r->db, p->tenant_id, fw, &s, 1,
		                                 &w->materials_to_review, e)))
			return rc;
	} else if (fw && principal_has(p, "material:upload")) {
		principal_scope(p, "material:upload", &r->arena, &s);
		if ((rc = material_count_waiting(r->db, p->tenant_id, fw, &s, 0,
		                                 &w->materials_to_submit, e)))
			return rc;
	}
	if (principal_has(p, "plan:view") &&
	    (principal_has(p, "plan:report") || principal_has(p, "plan:edit"))) {
		plan_api_scope(r, &s);
		plan_api_today(r, today);
		if ((rc = plan_tasks_report_missing(r->db, p->tenant_id, &s, today, time_now_ms(),
		                                    &w->tasks_report_missing, e)))
			return rc;
	}
	w->total = w->materials_to_submit + w->materials_to_review + w->tasks_report_missing;
	return 0;
}

json_t *home_work_json(const struct home_work *w)
{
	return json_pack("{s:I, s:I, s:I, s:I}", "materials_to_submit",
	                 (json_int_t)w->materials_to_submit, "materials_to_review",
	                 (json_int_t)w->materials_to_review, "tasks_report_missing",
	                 (json_int_t)w->tasks_report_missing, "total", (json_int_t)w->total);
}

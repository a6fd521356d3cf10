/*
 * demo_dashboard.c - the demo county's 驾驶舱.  Its three parts come from
 * what the rest of the demo made (rounds, the survey, the materials); what
 * the demo still lacks is the trend, which starts with the week the figures
 * are first kept: this keeps the current week's, as opening the dashboard
 * would.
 */
#include "dashboard/dashboard.h"
#include "demo/demo.h"
#include "store/store.h"

#define DEMO_TZ_MINUTES 480 /* the demo county is in Asia/Shanghai */

int demo_dashboard_fill(struct store_conn *c, int64_t tenant_id, int64_t now, struct error *e)
{
	struct arena a;
	json_t *out = NULL;
	char week[11];
	int64_t start;
	int rc;

	arena_init(&a);
	dashboard_week_of(now, DEMO_TZ_MINUTES, week, &start);
	rc = dashboard_build(c, tenant_id, now, DEMO_TZ_MINUTES, &a, &out, e);
	if (!rc)
		rc = dashboard_week_save(c, tenant_id, week, json_object_get(out, "predicted"), now,
		                         e);
	json_decref(out);
	arena_release(&a);
	return rc;
}

/* routes.c - the one list of every domain's routes, and the hooks the HTTP layer calls. */
#include "announcement/announcement.h"
#include "app.h"
#include "assess/assess.h"
#include "assign/assign.h"
#include "audit/audit.h"
#include "audit/audit_http.h"
#include "auth/auth_http.h"
#include "auth/sessions.h"
#include "bulletin/bulletin.h"
#include "dashboard/dashboard.h"
#include "files/files.h"
#include "home/home.h"
#include "http/req.h"
#include "http/router.h"
#include "inspect/inspect.h"
#include "map/map.h"
#include "master/master.h"
#include "materials/materials.h"
#include "org/org.h"
#include "org/roles.h"
#include "plan/plan.h"
#include "problem/problem.h"
#include "ranking/ranking.h"
#include "reminder/reminder.h"
#include "settings/settings.h"
#include "system/system.h"
#include "survey/survey.h"
#include "system/tenants.h"

void routes_register(struct router *rt)
{
	static const struct http_hooks hooks = {auth_authorize, auth_actor, audit_write_row};

	http_set_hooks(&hooks);
	system_routes(rt);
	auth_routes(rt);
	tenant_routes(rt);
	role_routes(rt);
	audit_routes(rt);
	session_routes(rt);
	org_routes(rt);
	master_routes(rt);
	files_routes(rt);
	problem_routes(rt);
	assign_routes(rt);
	settings_routes(rt);
	ranking_routes(rt);
	reminder_routes(rt);
	home_routes(rt);
	map_routes(rt);
	inspect_routes(rt);
	plan_routes(rt);
	materials_routes(rt);
	survey_routes(rt);
	announcement_routes(rt);
	assess_routes(rt);
	bulletin_routes(rt);
	dashboard_routes(rt);
}

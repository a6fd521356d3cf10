/* routes.c - the one list of every domain's routes. */
#include "app.h"
#include "audit/audit_http.h"
#include "auth/auth_http.h"
#include "auth/sessions.h"
#include "files/files.h"
#include "home/home.h"
#include "http/router.h"
#include "inspect/inspect.h"
#include "master/master.h"
#include "org/org.h"
#include "org/roles.h"
#include "problem/problem.h"
#include "problem/ranking.h"
#include "problem/sheet.h"
#include "settings/settings.h"
#include "system/system.h"
#include "system/tenants.h"

void routes_register(struct router *rt)
{
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
	sheet_routes(rt);
	settings_routes(rt);
	ranking_routes(rt);
	notice_routes(rt);
	home_routes(rt);
	map_routes(rt);
	inspect_routes(rt);
}

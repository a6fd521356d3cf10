/* routes.c - the one list of every domain's routes. */
#include "app.h"
#include "auth/auth_http.h"
#include "http/router.h"
#include "system/system.h"

void routes_register(struct router *rt)
{
	system_routes(rt);
	auth_routes(rt);
}

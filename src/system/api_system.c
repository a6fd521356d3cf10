/* api_system.c - health and version: what a load balancer and a person ask first. */
#include "system/system.h"

#include <jansson.h>

#include "app.h"
#include "http/req.h"
#include "store/store.h"

/*
 * GET /api/v1/health: 200 {"status":"ok","db","version"} when the database
 * answers a query, 503 {"status":"unavailable",...} in the same shape when not.
 */
static int health_get(struct req *r)
{
	struct store_conn *c = req_db(r);
	struct error e;
	int ok = 0;

	error_init(&e);
	if (c)
		ok = store_ping(c, &e) == 0;
	return req_reply_json(r, ok ? 200 : 503,
	                      json_pack("{s:s, s:s, s:s}", "status", ok ? "ok" : "unavailable",
	                                "db", store_kind_name(r->app->store), "version",
	                                WENMING_VERSION));
}

void system_routes(struct router *rt)
{
	router_add(rt, "GET", "/api/v1/health", health_get, ROUTE_PUBLIC, 0);
}

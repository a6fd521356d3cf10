/*
 * api_sessions.c - /sessions (在线用户): the tenant's live sessions and the
 * force logout (强退).  A forced-out session answers 401 on its next request
 * on every server, since sessions live in the database.
 */
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "auth/auth.h"
#include "auth/sessions.h"
#include "core/clock.h"
#include "http/req.h"
#include "store/store.h"

/* The tenant, clock, idle timeout and data scope of perm for r's caller. */
static void filter_init(struct req *r, const char *perm, struct session_filter *f, struct scope *sc)
{
	memset(f, 0, sizeof(*f));
	principal_scope(r->who, perm, &r->arena, sc);
	f->tenant_id = r->who->tenant_id;
	f->scope = sc;
	f->now = time_now_ms();
	f->idle_ms = (int64_t)r->app->cfg.session_idle * 1000;
	f->current_id = r->who->session_id;
}

/* GET /sessions?user=&page=&size= */
static int sessions_list(struct req *r)
{
	struct session_filter f;
	struct scope sc;
	struct error e;
	json_t *items;
	int64_t total = 0;

	filter_init(r, "session:online:view", &f, &sc);
	f.user = req_query(r, "user");
	if (f.user && strlen(f.user) > 64)
		return req_fail(r, ERR_INVALID, "user", "用户名过长");
	if (req_page(r, &f.offset, &f.limit) || !req_db(r))
		return r->err.code;
	error_init(&e);
	if (session_list_json(r->db, &f, &items, &total, &e))
		return req_fail_error(r, &e);
	return req_reply_json(r, 200,
	                      json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)total));
}

/* DELETE /sessions/{id}: force logout (the own session too: the page then logs in again). */
static int session_delete(struct req *r)
{
	struct session_filter f;
	struct scope sc;
	struct error e;
	char username[64] = "";
	int64_t id, user_id = 0;
	int rc;

	if (req_param_id(r, "id", &id) || !req_db(r))
		return r->err.code;
	filter_init(r, "session:online:kick", &f, &sc);
	error_init(&e);
	rc = store_begin(r->db, 1, &e);
	if (rc == 0)
		rc = session_kick(r->db, &f, id, &user_id, username, &e);
	if (rc == 0)
		rc = req_audit(
		    r, r->db, "session.kick", "session", id,
		    json_pack("{s:I, s:s}", "user_id", (json_int_t)user_id, "username", username));
	if ((rc = req_tx_end(r, r->db, rc, &e)))
		return rc;
	return req_reply_empty(r);
}

void session_routes(struct router *rt)
{
	router_add(rt, "GET", "/api/v1/sessions", sessions_list, "session:online:view", 0);
	router_add(rt, "DELETE", "/api/v1/sessions/{id}", session_delete, "session:online:kick", 0);
}

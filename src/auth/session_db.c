/* session_db.c - live sessions of a tenant in the store: list and force out. */
#include "auth/sessions.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "core/strbuf.h"
#include "store/store.h"

/*
 * Live, in the tenant, in the caller's scope (auth.h, scope_args).  The
 * ancestors test has no COALESCE: a user without a unit must not match the
 * empty pattern of a caller without unit_below.
 */
#define SESSION_FROM                                                                               \
	" FROM sessions s JOIN users u ON u.id = s.user_id"                                        \
	" LEFT JOIN units un ON un.id = u.unit_id"                                                 \
	" WHERE s.tenant_id = ? AND s.revoked_at IS NULL AND s.expires_at > ?"                     \
	" AND s.last_seen_at >= ? AND u.enabled = 1"                                               \
	" AND (? = 1 OR u.unit_id IN_IDS(?) OR un.ancestors LIKE ? OR s.user_id = ?)"
#define SESSION_USER " AND (? = '' OR u.username LIKE ? ESCAPE '\\' OR u.name LIKE ? ESCAPE '\\')"

STORE_SQL(q_session_count, "SELECT COUNT(*)" SESSION_FROM SESSION_USER);
STORE_SQL(q_session_page,
          "SELECT s.id, s.user_id, u.username, u.name, COALESCE(un.name, ''), s.ip, s.user_agent,"
          " s.created_at, s.last_seen_at, s.expires_at" SESSION_FROM SESSION_USER
          " ORDER BY s.last_seen_at DESC, s.id DESC LIMIT ? OFFSET ?");
STORE_SQL(q_session_owner, "SELECT s.user_id, u.username" SESSION_FROM " AND s.id = ?");
STORE_SQL(q_session_kick, "UPDATE sessions SET revoked_at = ?, revoked_why = 'kicked'"
                          " WHERE id = ? AND tenant_id = ? AND revoked_at IS NULL");

/* The seven bound values of SESSION_FROM into args; returns 7. */
static int from_args(const struct session_filter *f, struct store_val *args)
{
	args[0] = sv_int(f->tenant_id);
	args[1] = sv_int(f->now);
	args[2] = sv_int(f->now - f->idle_ms);
	scope_args(f->scope, args + 3);
	return 7;
}

int session_list_json(struct store_conn *c, const struct session_filter *f, json_t **items,
                      int64_t *total, struct error *e)
{
	char *like = store_like_pattern(NULL, f->user, 1);
	struct store_val args[12];
	struct store_rows *r;
	int n = from_args(f, args), rc;

	*items = NULL;
	args[n++] = sv_text(f->user ? f->user : "");
	args[n++] = sv_text(like);
	args[n++] = sv_text(like);
	rc = store_query_int(c, &q_session_count, args, n, total, e);
	args[n++] = sv_int(f->limit);
	args[n++] = sv_int(f->offset);
	if (rc == 0)
		rc = store_query(c, &q_session_page, args, n, &r, e);
	if (rc) {
		free(like);
		return rc;
	}
	*items = json_array();
	while ((rc = store_next(r)) > 0) {
		int64_t id = store_int(r, 0);

		json_array_append_new(
		    *items,
		    json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:b}", "id",
		              (json_int_t)id, "user_id", (json_int_t)store_int(r, 1), "username",
		              store_text(r, 2), "name", store_text(r, 3), "unit_name",
		              store_text(r, 4), "ip", store_text(r, 5), "user_agent",
		              store_text(r, 6), "created_at", (json_int_t)store_int(r, 7),
		              "last_seen_at", (json_int_t)store_int(r, 8), "expires_at",
		              (json_int_t)store_int(r, 9), "current", id == f->current_id));
	}
	store_finish(r);
	free(like);
	if (rc < 0) {
		json_decref(*items);
		*items = NULL;
		return error_set(e, rc, NULL, NULL);
	}
	return 0;
}

int session_kick(struct store_conn *c, const struct session_filter *f, int64_t id, int64_t *user_id,
                 char *username, struct error *e)
{
	struct store_val args[8];
	struct store_rows *r;
	int n = from_args(f, args), rc;

	args[n++] = sv_int(id);
	rc = store_query(c, &q_session_owner, args, n, &r, e);
	if (rc)
		return rc;
	rc = store_next(r);
	if (rc > 0) {
		*user_id = store_int(r, 0);
		snprintf(username, 64, "%s", store_text(r, 1));
	}
	store_finish(r);
	if (rc < 0)
		return error_set(e, rc, NULL, NULL);
	if (rc == 0)
		return error_set(e, ERR_NOT_FOUND, NULL, "会话不存在或已结束");
	{
		struct store_val ka[] = {sv_int(f->now), sv_int(id), sv_int(f->tenant_id)};

		return store_exec(c, &q_session_kick, ka, 3, NULL, e);
	}
}

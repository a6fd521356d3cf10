/* auth_db.c - sessions, throttling and principals in the store. */
#include "auth/auth.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "core/strbuf.h"
#include "store/store.h"

/* ---- principal and scope -------------------------------------------- */

int principal_has(const struct principal *p, const char *perm)
{
	if (!strncmp(perm, "system:tenant:", 14))
		return p->is_platform_admin;
	return permset_has(&p->perms, perm_index(perm));
}

/* Append n ids to s's units, leaving out those it already has. */
static void scope_add_units(struct scope *s, const int64_t *ids, int n, struct arena *a)
{
	int64_t *all;
	int i, j, k;

	if (n <= 0)
		return;
	all = arena_alloc(a, sizeof(*all) * (size_t)(s->nunits + n));
	if (s->nunits) /* unit_ids is NULL while there are none */
		memcpy(all, s->unit_ids, sizeof(*all) * (size_t)s->nunits);
	k = s->nunits;
	for (i = 0; i < n; i++) {
		for (j = 0; j < k && all[j] != ids[i]; j++)
			;
		if (j == k)
			all[k++] = ids[i];
	}
	s->unit_ids = all;
	s->nunits = k;
}

void scope_add_unit(struct scope *s, int64_t unit_id, struct arena *a)
{
	scope_add_units(s, &unit_id, 1, a);
}

void principal_scope(const struct principal *p, const char *perm, struct arena *a,
                     struct scope *out)
{
	int idx = perm_index(perm), i, below = 0;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < p->nroles; i++) {
		const struct principal_role *role = &p->roles[i];

		if (!permset_has(&role->perms, idx))
			continue;
		switch (role->scope) {
		case SCOPE_ALL:
			out->all = 1;
			break;
		case SCOPE_CUSTOM:
			scope_add_units(out, role->unit_ids, role->nunits, a);
			break;
		case SCOPE_UNIT_BELOW:
			below = 1;
			break;
		case SCOPE_UNIT:
			if (p->unit_id)
				scope_add_unit(out, p->unit_id, a);
			break;
		case SCOPE_SELF:
			out->self_user_id = p->user_id;
			break;
		case SCOPE_NONE:
			break;
		}
	}
	if (below && p->unit_ancestors && *p->unit_ancestors)
		out->subtree = arena_strdup(a, p->unit_ancestors);
}

void scope_args(const struct scope *s, struct store_val out[4])
{
	out[0] = sv_int(s->all ? 1 : 0);
	out[1] = sv_ids(s->unit_ids, s->unit_ids ? (size_t)s->nunits : 0);
	out[2] = sv_prefix(s->subtree);
	out[3] = sv_int(s->self_user_id ? s->self_user_id : -1);
}

int scope_covers_unit(const struct scope *s, int64_t unit_id, const char *ancestors)
{
	int i;

	if (s->all)
		return 1;
	if (s->subtree && *s->subtree && ancestors &&
	    !strncmp(ancestors, s->subtree, strlen(s->subtree)))
		return 1;
	for (i = 0; s->unit_ids && i < s->nunits; i++)
		if (s->unit_ids[i] == unit_id)
			return 1;
	return 0;
}

/* ---- tokens ------------------------------------------------------------ */

static void random_token(char *out)
{
	unsigned char raw[32];

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(out, AUTH_TOKEN_LEN + 1, raw, sizeof(raw),
	                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
}

void auth_token_hash(const char *token, char out[65])
{
	unsigned char digest[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(digest, (const unsigned char *)token, strlen(token));
	sodium_bin2hex(out, 65, digest, sizeof(digest));
}

/* ---- sessions ----------------------------------------------------------- */

STORE_SQL(q_session_insert,
          "INSERT INTO sessions (tenant_id, user_id, token_hash, csrf_token, ip, user_agent,"
          " created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");

int auth_session_create(struct store_conn *c, int64_t user_id, int64_t tenant_id, const char *ip,
                        const char *user_agent, const struct auth_settings *cfg, char *token_out,
                        char *csrf_out, int64_t *expires_at, int64_t *session_id, struct error *e)
{
	char hash[65], ua[256];
	int64_t now = time_now_ms();

	random_token(token_out);
	random_token(csrf_out);
	auth_token_hash(token_out, hash);
	snprintf(ua, sizeof(ua), "%s", user_agent ? user_agent : "");
	*expires_at = now + (int64_t)cfg->absolute_seconds * 1000;
	{
		struct store_val args[] = {
		    sv_int(tenant_id), sv_int(user_id), sv_text(hash),
		    sv_text(csrf_out), sv_text(ip),     sv_text(ua),
		    sv_int(now),       sv_int(now),     sv_int(*expires_at),
		};

		return store_query_int(c, &q_session_insert, args, 9, session_id, e);
	}
}

/*
 * The session, its user and the user's enabled roles with their custom
 * permissions in one statement: one row per (role, permission), the session
 * columns repeated; NULL role columns for a user without roles and for
 * a disabled role.  Every authenticated request runs it; as two statements (session,
 * then roles) it cost a second round trip to PostgreSQL on each request.
 */
#define SESSION_COLS                                                                               \
	"SELECT s.id, s.user_id, s.tenant_id, s.csrf_token, s.last_seen_at, s.expires_at,"         \
	" u.username, u.name, COALESCE(u.unit_id, 0), u.is_platform_admin, u.enabled * t.enabled," \
	" COALESCE(un.ancestors, ''),"
#define SESSION_ROLE_COL 12
STORE_SQL(q_session_get, SESSION_COLS
          " r.id, r.key, r.builtin, r.data_scope, rp.permission"
          " FROM sessions s JOIN users u ON u.id = s.user_id JOIN tenants t ON t.id = s.tenant_id"
          " LEFT JOIN units un ON un.id = u.unit_id"
          " LEFT JOIN user_roles ur ON ur.user_id = s.user_id"
          " LEFT JOIN roles r ON r.id = ur.role_id AND r.enabled = 1"
          " LEFT JOIN role_permissions rp ON rp.role_id = r.id AND r.builtin = 0"
          " WHERE s.token_hash = ? AND s.revoked_at IS NULL ORDER BY r.id");
STORE_SQL(q_session_touch, "UPDATE sessions SET last_seen_at = ? WHERE id = ?");
STORE_SQL(
    q_session_expire,
    "UPDATE sessions SET revoked_at = ?, revoked_why = ? WHERE id = ? AND revoked_at IS NULL");
STORE_SQL(q_role_units, "SELECT unit_id FROM role_units WHERE role_id = ? ORDER BY unit_id");

/* The role columns of one row of q_session_get (from col) into p's roles. */
static void add_role_row(struct store_rows *r, int col, struct principal *p, struct arena *a)
{
	struct principal_role *cur = p->nroles ? &p->roles[p->nroles - 1] : NULL;
	int64_t id = store_int(r, col);

	if (store_isnull(r, col))
		return; /* no roles */
	if (!cur || cur->id != id) {
		if (p->nroles == AUTH_MAX_ROLES)
			return;
		cur = &p->roles[p->nroles++];
		memset(cur, 0, sizeof(*cur));
		cur->id = id;
		cur->key = arena_strdup(a, store_text(r, col + 1));
		if (scope_parse(store_text(r, col + 3), &cur->scope))
			cur->scope = SCOPE_NONE;
		if (store_int(r, col + 2))
			builtin_role_perms(cur->key, &cur->perms);
	}
	if (!store_isnull(r, col + 4))
		permset_add(&cur->perms, perm_index(store_text(r, col + 4)));
}

/* The permissions of p's roles, and the units of its custom-scope roles. */
static int finish_roles(struct store_conn *c, struct principal *p, struct arena *a, struct error *e)
{
	struct store_rows *r;
	int rc, i;

	for (i = 0; i < p->nroles; i++) {
		struct principal_role *role = &p->roles[i];

		permset_union(&p->perms, &role->perms);
		if (role->scope == SCOPE_CUSTOM) {
			struct store_val ra[] = {sv_int(role->id)};
			int64_t *ids = NULL;
			int cap = 0;

			rc = store_query(c, &q_role_units, ra, 1, &r, e);
			if (rc)
				return rc;
			role->nunits = 0;
			while ((rc = store_next(r)) > 0) {
				ids = arena_grow(a, ids, role->nunits, &cap, sizeof(*ids));
				ids[role->nunits++] = store_int(r, 0);
			}
			store_finish(r);
			role->unit_ids = ids;
			if (rc < 0)
				return error_set(e, rc, NULL, NULL);
		}
	}
	return 0;
}

/*
 * How stale last_seen_at may get before a request refreshes it.  Keep writes
 * off the hot path (at most once a minute), yet refresh within a tenth of the
 * idle timeout: refreshing only once a minute, a session in constant use
 * died after a minute when session_idle was 60 s.
 */
static int64_t touch_interval_ms(const struct auth_settings *cfg)
{
	int64_t tenth = (int64_t)cfg->idle_seconds * 100;

	return tenth < 60000 ? tenth : 60000;
}

/*
 * The principal of a q_session_get-shaped result whose first row is current:
 * its columns, then the role columns of every row; the rows are finished.
 * *enabled: the user and its tenant are enabled.  0, or a negative store code.
 */
static int principal_read(struct store_rows *r, struct arena *a, struct principal **out,
                          int *enabled)
{
	struct principal *p = arena_calloc(a, sizeof(*p));
	int rc;

	p->session_id = store_int(r, 0);
	p->user_id = store_int(r, 1);
	p->tenant_id = store_int(r, 2);
	snprintf(p->csrf, sizeof(p->csrf), "%s", store_text(r, 3));
	p->last_seen_at = store_int(r, 4);
	p->expires_at = store_int(r, 5);
	p->username = arena_strdup(a, store_text(r, 6));
	p->name = arena_strdup(a, store_text(r, 7));
	p->unit_id = store_int(r, 8);
	p->is_platform_admin = (int)store_int(r, 9);
	*enabled = (int)store_int(r, 10);
	p->unit_ancestors = arena_strdup(a, store_text(r, 11));
	do
		add_role_row(r, SESSION_ROLE_COL, p, a);
	while ((rc = store_next(r)) > 0);
	store_finish(r);
	*out = p;
	return rc;
}

int auth_session_load(struct store_conn *c, const char *token, const struct auth_settings *cfg,
                      struct arena *a, struct principal **out, struct error *e)
{
	struct principal *p;
	struct store_rows *r;
	char hash[65];
	int64_t now = time_now_ms();
	const char *expired = NULL;
	int rc, enabled;

	*out = NULL;
	if (!token || strlen(token) != AUTH_TOKEN_LEN)
		return error_set(e, ERR_UNAUTHORIZED, NULL, NULL);
	auth_token_hash(token, hash);
	{
		struct store_val args[] = {sv_text(hash)};

		rc = store_query(c, &q_session_get, args, 1, &r, e);
	}
	if (rc)
		return rc;
	rc = store_next(r);
	if (rc <= 0) {
		store_finish(r);
		return rc < 0 ? error_set(e, rc, NULL, NULL)
		              : error_set(e, ERR_UNAUTHORIZED, NULL, NULL);
	}
	rc = principal_read(r, a, &p, &enabled);
	if (rc < 0)
		return error_set(e, rc, NULL, NULL);

	if (!enabled)
		expired = "disabled";
	else if (now >= p->expires_at)
		expired = "absolute";
	else if (now - p->last_seen_at > (int64_t)cfg->idle_seconds * 1000)
		expired = "idle";
	if (expired) {
		struct store_val args[] = {sv_int(now), sv_text(expired), sv_int(p->session_id)};

		store_exec(c, &q_session_expire, args, 3, NULL, NULL);
		return error_set(e, ERR_UNAUTHORIZED, NULL, "登录已过期，请重新登录");
	}
	if (now - p->last_seen_at > touch_interval_ms(cfg)) {
		struct store_val args[] = {sv_int(now), sv_int(p->session_id)};

		store_exec(c, &q_session_touch, args, 2, NULL, NULL);
	}
	rc = finish_roles(c, p, a, e);
	if (rc)
		return rc;
	*out = p;
	return 0;
}

/* q_session_get's columns for a user without a session (session columns 0 or ""). */
STORE_SQL(q_user_principal,
          "SELECT 0, u.id, u.tenant_id, '', 0, 0,"
          " u.username, u.name, COALESCE(u.unit_id, 0), u.is_platform_admin, u.enabled * t.enabled,"
          " COALESCE(un.ancestors, ''), r.id, r.key, r.builtin, r.data_scope, rp.permission"
          " FROM users u JOIN tenants t ON t.id = u.tenant_id"
          " LEFT JOIN units un ON un.id = u.unit_id"
          " LEFT JOIN user_roles ur ON ur.user_id = u.id"
          " LEFT JOIN roles r ON r.id = ur.role_id AND r.enabled = 1"
          " LEFT JOIN role_permissions rp ON rp.role_id = r.id AND r.builtin = 0"
          " WHERE u.id = ? AND u.tenant_id = ? ORDER BY r.id");

int auth_principal_of_user(struct store_conn *c, int64_t tenant_id, int64_t user_id,
                           struct arena *a, struct principal **out, struct error *e)
{
	struct store_val args[] = {sv_int(user_id), sv_int(tenant_id)};
	struct principal *p;
	struct store_rows *r;
	int rc, enabled;

	*out = NULL;
	if ((rc = store_query(c, &q_user_principal, args, 2, &r, e)))
		return rc;
	rc = store_next(r);
	if (rc <= 0) {
		store_finish(r);
		return rc < 0 ? error_set(e, rc, NULL, NULL)
		              : error_set(e, ERR_NOT_FOUND, NULL, NULL);
	}
	rc = principal_read(r, a, &p, &enabled);
	if (rc < 0)
		return error_set(e, rc, NULL, NULL);
	if (!enabled)
		return error_set(e, ERR_FORBIDDEN, NULL, "账号已停用");
	if ((rc = finish_roles(c, p, a, e)))
		return rc;
	*out = p;
	return 0;
}

STORE_SQL(q_session_revoke_token,
          "UPDATE sessions SET revoked_at = ?, revoked_why = ? WHERE token_hash = ?"
          " AND revoked_at IS NULL");
STORE_SQL(q_session_revoke_user,
          "UPDATE sessions SET revoked_at = ?, revoked_why = ? WHERE user_id = ? AND id <> ?"
          " AND revoked_at IS NULL");

int auth_session_revoke_token(struct store_conn *c, const char *token, const char *why,
                              struct error *e)
{
	char hash[65];

	if (!token || !*token)
		return 0;
	auth_token_hash(token, hash);
	{
		struct store_val args[] = {sv_int(time_now_ms()), sv_text(why), sv_text(hash)};

		return store_exec(c, &q_session_revoke_token, args, 3, NULL, e);
	}
}

int auth_sessions_revoke_user(struct store_conn *c, int64_t user_id, int64_t keep_session_id,
                              const char *why, struct error *e)
{
	struct store_val args[] = {sv_int(time_now_ms()), sv_text(why), sv_int(user_id),
	                           sv_int(keep_session_id)};

	return store_exec(c, &q_session_revoke_user, args, 4, NULL, e);
}

/* ---- throttling -------------------------------------------------------------- */

/*
 * Accounts: from the 3rd failure a delay of 1, 2, 4 ... 64 s before the next
 * try; the 10th failure within the window locks for 15 minutes.  Addresses
 * (an office behind one NAT) get ten times the allowance.
 */
#define THROTTLE_WINDOW_MS (15 * 60 * 1000)
#define THROTTLE_LOCK_MS   (15 * 60 * 1000)

static int delay_after(int is_address)
{
	return is_address ? 30 : 3;
}
static int lock_after(int is_address)
{
	return is_address ? 100 : 10;
}

static int64_t delay_ms(int64_t failures, int is_address)
{
	int64_t over = failures - delay_after(is_address);

	if (over < 0)
		return 0;
	if (over > 6)
		over = 6;
	return ((int64_t)1 << over) * 1000;
}

STORE_SQL(q_throttle_seed,
          "INSERT INTO login_throttle (key, failures, first_at, last_at, locked_until, refused)"
          " VALUES (?, 0, 0, 0, 0, 0) ON CONFLICT (key) DO NOTHING");
/* PostgreSQL locks the row; SQLite's BEGIN IMMEDIATE already holds the database. */
STORE_SQL2(q_throttle_get,
           "SELECT failures, first_at, last_at, locked_until, refused FROM login_throttle"
           " WHERE key = ?",
           "SELECT failures, first_at, last_at, locked_until, refused FROM login_throttle"
           " WHERE key = $1 FOR UPDATE");
STORE_SQL(q_throttle_peek, "SELECT locked_until FROM login_throttle WHERE key = ?");
STORE_SQL(q_throttle_put,
          "UPDATE login_throttle SET failures = ?, first_at = ?, last_at = ?, locked_until = ?,"
          " refused = ? WHERE key = ?");
STORE_SQL(q_throttle_del, "DELETE FROM login_throttle WHERE key = ?");

struct throttle_row {
	int64_t failures, first_at, last_at, locked_until, refused;
};

static int throttle_get(struct store_conn *c, const char *key, struct throttle_row *t,
                        struct error *e)
{
	struct store_val args[] = {sv_text(key)};
	struct store_rows *r;
	int rc;

	memset(t, 0, sizeof(*t));
	if ((rc = store_exec(c, &q_throttle_seed, args, 1, NULL, e)))
		return rc;
	rc = store_query(c, &q_throttle_get, args, 1, &r, e);
	if (rc)
		return rc;
	rc = store_next(r);
	if (rc > 0) {
		t->failures = store_int(r, 0);
		t->first_at = store_int(r, 1);
		t->last_at = store_int(r, 2);
		t->locked_until = store_int(r, 3);
		t->refused = store_int(r, 4);
	}
	store_finish(r);
	return rc < 0 ? error_set(e, rc, NULL, NULL) : 0;
}

/* One key's step of throttle_attempt, inside its transaction. */
/* What attempt_key does with an attempt that is not refused. */
enum attempt_mode {
	ATTEMPT_RESERVE = 0, /* count it as a failure now (given back on success) */
	ATTEMPT_PEEK,        /* only check; count it when refused */
	ATTEMPT_FAILED,      /* a wrong password: count it */
};

static int attempt_key(struct store_conn *c, const char *key, int is_address, int64_t now,
                       enum attempt_mode mode, struct throttle_key *out, struct error *e)
{
	struct throttle_row t;
	int64_t until;
	int rc = throttle_get(c, key, &t, e);

	memset(out, 0, sizeof(*out));
	if (rc)
		return rc;
	if (t.locked_until && t.locked_until <= now) {
		out->lock_ended = 1;
		out->refused = t.refused; /* refused during the lock, for the unlock row */
		memset(&t, 0, sizeof(t)); /* a lock that ran out starts a fresh count */
	}
	if (!t.failures || now - t.first_at > THROTTLE_WINDOW_MS) {
		t.failures = 0;
		t.first_at = now;
		t.refused = 0;
	}
	if (mode == ATTEMPT_FAILED) {
		/* the attempt was allowed a moment ago: only count it */
	} else if (t.locked_until > now) {
		out->verdict = THROTTLE_LOCKED;
		out->retry_after = (t.locked_until - now + 999) / 1000;
	} else {
		until = t.last_at + delay_ms(t.failures, is_address);
		if (until > now) {
			out->verdict = THROTTLE_WAIT;
			out->retry_after = (until - now + 999) / 1000;
		}
	}
	/*
	 * Every attempt counts as a failure before its password is checked (a
	 * success gives it back): so parallel guesses each see the ones before
	 * them, and hammering during the delay ends in the lock.
	 */
	if (out->verdict == THROTTLE_OK && mode == ATTEMPT_PEEK) {
		out->failures = t.failures;
		return 0;
	}
	t.failures++;
	t.last_at = now; /* a try during the delay starts it again, as a failure would */
	if (out->verdict != THROTTLE_OK) {
		t.refused++;
		out->throttle_started = t.refused == 1 && out->verdict == THROTTLE_WAIT;
	}
	if (t.failures >= lock_after(is_address) && t.locked_until <= now) {
		t.locked_until = now + THROTTLE_LOCK_MS;
		out->locked_now = 1;
		if (out->verdict == THROTTLE_OK && mode == ATTEMPT_RESERVE) {
			/* this attempt started the lock: it is refused too */
			out->verdict = THROTTLE_LOCKED;
			t.refused++;
		}
		out->retry_after = THROTTLE_LOCK_MS / 1000;
	}
	out->failures = t.failures;
	if (!out->lock_ended)
		out->refused = t.refused;
	{
		struct store_val args[] = {sv_int(t.failures), sv_int(t.first_at),
		                           sv_int(t.last_at),  sv_int(t.locked_until),
		                           sv_int(t.refused),  sv_text(key)};

		return store_exec(c, &q_throttle_put, args, 6, NULL, e);
	}
}

/* 1 when key is locked at now (*until set): a read, no write. */
static int locked_peek(struct store_conn *c, const char *key, int64_t now, int64_t *until,
                       struct error *e)
{
	struct store_val args[] = {sv_text(key)};
	int rc = store_query_int(c, &q_throttle_peek, args, 1, until, e);

	if (rc == ERR_NOT_FOUND) {
		*until = 0;
		return 0;
	}
	return rc ? rc : *until > now;
}

int throttle_attempt(struct store_conn *c, const char *ukey, const char *ikey,
                     struct throttle_key *u, struct throttle_key *ip, struct error *e)
{
	int64_t now = time_now_ms(), until = 0;
	int rc, i;

	/*
	 * A lock neither grows nor ends by trying, so the tries during one are
	 * refused by a read alone: a flood of them writes nothing (a lock ends
	 * by time only, which the write path below sees).
	 */
	memset(u, 0, sizeof(*u));
	memset(ip, 0, sizeof(*ip));
	for (i = 0; i < 2; i++) {
		struct throttle_key *k = i ? ip : u;

		rc = locked_peek(c, i ? ikey : ukey, now, &until, e);
		if (rc < 0)
			return rc;
		if (rc > 0) {
			k->verdict = THROTTLE_LOCKED;
			k->retry_after = (until - now + 999) / 1000;
			return 0;
		}
	}
	rc = store_begin(c, 1, e);

	if (!rc)
		rc = attempt_key(c, ukey, 0, now, ATTEMPT_RESERVE, u, e);
	if (!rc)
		rc = attempt_key(c, ikey, 1, now, ATTEMPT_PEEK, ip, e);
	if (!rc)
		rc = store_commit(c, e);
	if (rc)
		store_rollback(c);
	return rc;
}

int throttle_failed(struct store_conn *c, const char *key, struct throttle_key *k, struct error *e)
{
	int rc = store_begin(c, 1, e);

	if (!rc)
		rc = attempt_key(c, key, 1, time_now_ms(), ATTEMPT_FAILED, k, e);
	if (!rc)
		rc = store_commit(c, e);
	if (rc)
		store_rollback(c);
	return rc;
}

int throttle_clear(struct store_conn *c, const char *key, struct error *e)
{
	struct store_val args[] = {sv_text(key)};

	return store_exec(c, &q_throttle_del, args, 1, NULL, e);
}

/*
 * store.c - the back-end independent half of the store: the connection
 * pool, transaction bookkeeping, dispatch to the back end and the
 * migration runner.
 */
#include "store/store_int.h"

#include <inttypes.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/log.h"
#include "core/strbuf.h"

void store_opts_init(struct store_opts *o)
{
	o->pool_size = 8;
	o->sqlite_sync_full = 0;
	o->busy_timeout_ms = 5000;
}

static int url_is_postgres(const char *url)
{
	return !strncmp(url, "postgres://", 11) || !strncmp(url, "postgresql://", 13);
}

int store_open(const char *url, const struct store_opts *o, struct store **out, struct error *e)
{
	struct store *s;
	struct store_conn *c;
	struct store_opts defaults;
	int rc;

	*out = NULL;
	if (!url || !*url)
		return error_set(e, ERR_INVALID, "db", "未配置数据库 (WENMING_DB)");
	if (!o) {
		store_opts_init(&defaults);
		o = &defaults;
	}
	s = xcalloc(1, sizeof(*s));
	s->opts = *o;
	if (s->opts.pool_size < 1)
		s->opts.pool_size = 1;
	if (url_is_postgres(url)) {
		s->m = &store_pg_methods;
		s->kind = STORE_POSTGRES;
		s->target = xstrdup(url);
	} else {
		s->m = &store_sqlite_methods;
		s->kind = STORE_SQLITE;
		s->target = xstrdup(!strncmp(url, "sqlite:", 7) ? url + 7 : url);
	}
	pthread_mutex_init(&s->lock, NULL);
	pthread_mutex_init(&s->write_lock, NULL);
	pthread_cond_init(&s->freed, NULL);
	s->idle = xcalloc((size_t)s->opts.pool_size, sizeof(*s->idle));

	/* Connect once now so a wrong URL fails at start-up, not at the first request. */
	c = store_acquire(s, e);
	if (!c) {
		rc = e ? e->code : ERR_UNAVAILABLE;
		store_close(s);
		return rc ? rc : ERR_UNAVAILABLE;
	}
	store_release(c);
	*out = s;
	return ERR_OK;
}

void store_close(struct store *s)
{
	int i;

	if (!s)
		return;
	for (i = 0; i < s->nidle; i++)
		s->m->conn_close(s->idle[i]);
	free(s->idle);
	if (s->m->store_free)
		s->m->store_free(s);
	pthread_mutex_destroy(&s->lock);
	pthread_mutex_destroy(&s->write_lock);
	pthread_cond_destroy(&s->freed);
	free(s->target);
	free(s);
}

enum store_kind store_kind(const struct store *s)
{
	return s->kind;
}

const char *store_kind_name(const struct store *s)
{
	return s->m->name;
}

struct store_conn *store_acquire(struct store *s, struct error *e)
{
	struct store_conn *c = NULL;
	int rc;

	pthread_mutex_lock(&s->lock);
	for (;;) {
		if (s->nidle > 0) {
			c = s->idle[--s->nidle];
			break;
		}
		if (s->nopen < s->opts.pool_size) {
			s->nopen++; /* reserve the slot; open outside the lock */
			break;
		}
		pthread_cond_wait(&s->freed, &s->lock);
	}
	pthread_mutex_unlock(&s->lock);

	if (c) {
		rc = s->m->conn_check(c, e);
		if (rc == 0)
			return c;
		/* Dead and could not be revived: drop it and free its slot. */
		s->m->conn_close(c);
		c = NULL;
		goto fail;
	}
	rc = s->m->conn_open(s, &c, e);
	if (rc == 0) {
		c->store = s;
		c->in_tx = 0;
		c->broken = 0;
		return c;
	}
fail:
	pthread_mutex_lock(&s->lock);
	s->nopen--;
	pthread_cond_signal(&s->freed);
	pthread_mutex_unlock(&s->lock);
	if (e && e->code == ERR_OK)
		error_set(e, ERR_UNAVAILABLE, NULL, NULL);
	return NULL;
}

void store_release(struct store_conn *c)
{
	struct store *s;

	if (!c)
		return;
	s = c->store;
	if (c->in_tx)
		store_rollback(c);
	if (c->broken) {
		s->m->conn_close(c);
		pthread_mutex_lock(&s->lock);
		s->nopen--;
		pthread_cond_signal(&s->freed);
		pthread_mutex_unlock(&s->lock);
		return;
	}
	pthread_mutex_lock(&s->lock);
	s->idle[s->nidle++] = c;
	pthread_cond_signal(&s->freed);
	pthread_mutex_unlock(&s->lock);
}

struct store *store_conn_store(struct store_conn *c)
{
	return c->store;
}

STORE_SQL(q_ping, "SELECT 1");

int store_ping(struct store_conn *c, struct error *e)
{
	int64_t one = 0;
	int rc = store_query_int(c, &q_ping, NULL, 0, &one, e);

	if (rc == 0 && one != 1)
		return error_set(e, ERR_UNAVAILABLE, NULL, NULL);
	return rc;
}

int store_begin(struct store_conn *c, int write, struct error *e)
{
	int rc;

	if (c->in_tx)
		return error_set(e, ERR_INTERNAL, NULL, NULL);
	rc = c->store->m->begin(c, write, e);
	if (rc == 0) {
		c->in_tx = 1;
		c->tx_failed = 0;
	}
	return rc;
}

int store_commit(struct store_conn *c, struct error *e)
{
	int rc;

	if (!c->in_tx)
		return error_set(e, ERR_INTERNAL, NULL, NULL);
	/*
	 * PostgreSQL dooms a transaction at its first failed statement while
	 * SQLite undoes only that statement.  Refuse to commit on both, so a
	 * handler that forgot to stop after an error never half-applies a change.
	 */
	if (c->tx_failed) {
		store_rollback(c);
		return error_set(e, ERR_INTERNAL, NULL, "操作失败，数据未保存");
	}
	rc = c->store->m->commit ? c->store->m->commit(c, e)
	                         : c->store->m->exec_script(c, "COMMIT", e);
	if (rc != 0) {
		/* A failed COMMIT leaves nothing applied; make sure the tx is gone. */
		store_rollback(c);
		return rc;
	}
	c->in_tx = 0;
	return 0;
}

void store_rollback(struct store_conn *c)
{
	if (!c->in_tx)
		return;
	if (c->store->m->exec_script(c, "ROLLBACK", NULL) != 0)
		c->broken = 1;
	c->in_tx = 0;
}

int store_in_transaction(const struct store_conn *c)
{
	return c->in_tx;
}

size_t store_val_text_max(const struct store_val *v)
{
	if (v->type == SV_IDS)
		return v->len * 21 + 3; /* "-9223372036854775808," each, brackets, NUL */
	return v->len + 2;              /* SV_PREFIX: the text, "%", NUL */
}

size_t store_val_text(const struct store_val *v, char *out)
{
	size_t i, n = 0;

	if (v->type == SV_PREFIX) {
		memcpy(out, v->s, v->len);
		n = v->len;
		if (n)
			out[n++] = '%';
		out[n] = '\0';
		return n;
	}
	out[n++] = '[';
	for (i = 0; i < v->len; i++)
		n += (size_t)sprintf(out + n, "%s%" PRId64, i ? "," : "", v->ids[i]);
	out[n++] = ']';
	out[n] = '\0';
	return n;
}

int store_query(struct store_conn *c, const struct store_sql *q, const struct store_val *args,
                int nargs, struct store_rows **out, struct error *e)
{
	int rc;

	*out = NULL;
	rc = c->store->m->query(c, q, args, nargs, out, e);
	if (rc != 0 && c->in_tx)
		c->tx_failed = 1;
	return rc;
}

int store_query_batch(struct store_conn *c, struct store_batch *b, int n, struct error *e)
{
	int i, rc = STORE_BATCH_ONE_BY_ONE;

	for (i = 0; i < n; i++)
		b[i].rows = NULL;
	if (n > STORE_BATCH_MAX)
		return error_set(e, ERR_INTERNAL, NULL, NULL);
	if (c->store->m->query_batch)
		rc = c->store->m->query_batch(c, b, n, e);
	if (rc == STORE_BATCH_ONE_BY_ONE)
		for (i = 0, rc = 0; i < n && rc == 0; i++)
			rc = c->store->m->query(c, b[i].q, b[i].args, b[i].nargs, &b[i].rows, e);
	if (rc != 0) {
		for (i = 0; i < n; i++) {
			store_finish(b[i].rows);
			b[i].rows = NULL;
		}
		if (c->in_tx)
			c->tx_failed = 1;
	}
	return rc;
}

int store_next(struct store_rows *r)
{
	int rc = r->m->next(r);

	if (rc < 0 && r->conn->in_tx)
		r->conn->tx_failed = 1;
	return rc;
}

int store_ncols(struct store_rows *r)
{
	return r->m->ncols(r);
}

const char *store_colname(struct store_rows *r, int col)
{
	return r->m->colname(r, col);
}

int store_isnull(struct store_rows *r, int col)
{
	return r->m->isnull(r, col);
}

int64_t store_int(struct store_rows *r, int col)
{
	return r->m->col_int(r, col);
}

double store_double(struct store_rows *r, int col)
{
	return r->m->col_double(r, col);
}

const char *store_text(struct store_rows *r, int col)
{
	return r->m->col_text(r, col);
}

const void *store_blob(struct store_rows *r, int col, size_t *len)
{
	return r->m->col_blob(r, col, len);
}

void store_finish(struct store_rows *r)
{
	if (r)
		r->m->finish(r);
}

int store_exec(struct store_conn *c, const struct store_sql *q, const struct store_val *args,
               int nargs, int64_t *changes, struct error *e)
{
	struct store_rows *r;
	int rc;

	rc = store_query(c, q, args, nargs, &r, e);
	if (rc != 0)
		return rc;
	while ((rc = store_next(r)) > 0)
		;
	store_finish(r);
	if (rc < 0)
		return error_set(e, rc, NULL, NULL);
	if (changes)
		*changes = c->store->m->changes(c);
	return 0;
}

int store_query_int(struct store_conn *c, const struct store_sql *q, const struct store_val *args,
                    int nargs, int64_t *out, struct error *e)
{
	struct store_rows *r;
	int rc;

	rc = store_query(c, q, args, nargs, &r, e);
	if (rc != 0)
		return rc;
	rc = store_next(r);
	if (rc > 0)
		*out = store_int(r, 0);
	store_finish(r);
	if (rc < 0)
		return error_set(e, rc, NULL, NULL);
	if (rc == 0)
		return error_set(e, ERR_NOT_FOUND, NULL, NULL);
	return 0;
}

int store_query_one(struct store_conn *c, const struct store_sql *q, const struct store_val *args,
                    int nargs, struct store_rows **out, const char *missing, struct error *e)
{
	struct store_rows *r;
	int rc;

	*out = NULL;
	rc = store_query(c, q, args, nargs, &r, e);
	if (rc != 0)
		return rc;
	rc = store_next(r);
	if (rc > 0) {
		*out = r;
		return 0;
	}
	store_finish(r);
	if (rc < 0)
		return error_set(e, rc, NULL, NULL);
	return missing ? error_set(e, ERR_NOT_FOUND, NULL, "%s", missing)
	               : error_set(e, ERR_NOT_FOUND, NULL, NULL);
}

/* ---- migrations ---------------------------------------------------- */

static const char migrations_table[] = "CREATE TABLE IF NOT EXISTS schema_migrations ("
                                       " version INTEGER PRIMARY KEY,"
                                       " name TEXT NOT NULL,"
                                       " applied_at BIGINT NOT NULL)";

STORE_SQL(q_schema_version, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
STORE_SQL(q_schema_has, "SELECT COUNT(*) FROM schema_migrations WHERE version = ?");
STORE_SQL(q_schema_insert,
          "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)");

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int store_schema_version(struct store *s, int *version, struct error *e)
{
	struct store_conn *c;
	int64_t v = 0;
	int rc;

	*version = 0;
	c = store_acquire(s, e);
	if (!c)
		return e ? e->code : ERR_UNAVAILABLE;
	rc = s->m->exec_script(c, migrations_table, e);
	if (rc == 0)
		rc = store_query_int(c, &q_schema_version, NULL, 0, &v, e);
	store_release(c);
	*version = (int)v;
	return rc;
}

int store_migrate(struct store *s, int *applied, struct error *e)
{
	const struct migration *mg;
	struct store_conn *c;
	int64_t current = 0;
	int rc, n = 0;

	if (applied)
		*applied = 0;
	c = store_acquire(s, e);
	if (!c)
		return e ? e->code : ERR_UNAVAILABLE;
	rc = s->m->migrate_lock(c, e);
	if (rc != 0)
		goto out;
	rc = s->m->exec_script(c, migrations_table, e);
	if (rc != 0)
		goto unlock;
	for (mg = s->m->migrations; mg->version; mg++) {
		struct store_val args[3];
		struct store_val ver = sv_int(mg->version);

		/*
		 * Apply every migration not recorded yet, not only those above the
		 * newest: work merged from parallel branches may add a lower number.
		 */
		rc = store_query_int(c, &q_schema_has, &ver, 1, &current, e);
		if (rc != 0)
			goto unlock;
		if (current > 0)
			continue;
		/* Each migration and its bookkeeping row commit together. */
		rc = store_begin(c, 1, e);
		if (rc != 0)
			goto unlock;
		/* Another process may have applied it while we waited for the lock. */
		rc = store_query_int(c, &q_schema_has, &ver, 1, &current, e);
		if (rc == 0 && current > 0) {
			store_rollback(c);
			continue;
		}
		if (rc == 0)
			rc = s->m->exec_script(c, mg->sql, e);
		if (rc == 0) {
			args[0] = sv_int(mg->version);
			args[1] = sv_text(mg->name);
			args[2] = sv_int(now_ms());
			rc = store_exec(c, &q_schema_insert, args, 3, NULL, e);
		}
		if (rc == 0)
			rc = store_commit(c, e);
		if (rc != 0) {
			store_rollback(c);
			log_error("migration %04d_%s failed: %s", mg->version, mg->name,
			          e ? e->message : "");
			goto unlock;
		}
		log_info("applied migration %04d_%s", mg->version, mg->name);
		n++;
	}
unlock:
	s->m->migrate_unlock(c);
out:
	store_release(c);
	if (applied)
		*applied = n;
	return rc;
}

int store_backup(struct store *s, const char *file, struct error *e)
{
	return s->m->backup(s, file, e);
}

int store_restore(struct store *s, const char *file, struct error *e)
{
	return s->m->restore(s, file, e);
}

/* ---- LIKE patterns -------------------------------------------------- */

char *store_like_pattern(struct arena *a, const char *text, int contains)
{
	size_t n = text ? strlen(text) : 0;
	char *out = a ? arena_alloc(a, n * 2 + 3) : xmalloc(n * 2 + 3), *o = out;

	if (contains)
		*o++ = '%';
	for (; text && *text; text++) {
		if (*text == '%' || *text == '_' || *text == '\\')
			*o++ = '\\';
		*o++ = *text;
	}
	*o++ = '%';
	*o = '\0';
	return out;
}

/* ---- dialect macros ------------------------------------------------- */

/*
 * `IN_IDS(?)` binds a whole list of ids as one JSON array parameter ("[1,5,9]"),
 * so IN lists are never pasted into SQL text; `IN_TEXTS(?)` does the same for
 * strings ('["a","b"]').  Each back end expands them.  PostgreSQL gets the
 * texts as `= ANY(ARRAY(...))`, which its planner can use as an index
 * condition where an IN subquery becomes a join.
 */
static const struct {
	const char *macro, *sqlite, *pg;
} dialect_macros[] = {
    {"IN_IDS(?)", "IN (SELECT value FROM json_each(?))",
     "IN (SELECT json_array_elements_text(CAST(? AS json))::bigint)"},
    {"IN_TEXTS(?)", "IN (SELECT value FROM json_each(?))",
     "= ANY(ARRAY(SELECT json_array_elements_text(CAST(? AS json))))"},
};

/* The first macro in sql at or after from: its index in *which, or NULL. */
static const char *next_macro(const char *from, int *which)
{
	const char *best = NULL, *p;
	int i;

	for (i = 0; i < (int)(sizeof(dialect_macros) / sizeof(dialect_macros[0])); i++) {
		p = strstr(from, dialect_macros[i].macro);
		if (p && (!best || p < best)) {
			best = p;
			*which = i;
		}
	}
	return best;
}

char *store_sql_expand(enum store_kind kind, const char *sql)
{
	struct strbuf out = STRBUF_INIT;
	const char *p;
	int i = 0;

	while ((p = next_macro(sql, &i))) {
		strbuf_add(&out, sql, (size_t)(p - sql));
		strbuf_adds(&out, kind == STORE_POSTGRES ? dialect_macros[i].pg
		                                         : dialect_macros[i].sqlite);
		sql = p + strlen(dialect_macros[i].macro);
	}
	strbuf_adds(&out, sql);
	return strbuf_detach(&out, NULL);
}

/* ---- placeholder rewriting for PostgreSQL ---------------------------- */

char *store_pg_placeholders(const char *sql)
{
	size_t len = strlen(sql), i, o = 0;
	/* each '?' grows to at most "$" + 5 digits */
	char *out = xmalloc(len * 6 + 1);
	int n = 0;

	for (i = 0; i < len; i++) {
		char ch = sql[i];

		if (ch == '\'' || ch == '"') {
			/* copy a quoted string or identifier through its end ('' escapes) */
			char quote = ch;

			out[o++] = sql[i++];
			while (i < len) {
				out[o++] = sql[i];
				if (sql[i] == quote) {
					if (i + 1 < len && sql[i + 1] == quote) {
						out[o++] = sql[++i];
					} else {
						break;
					}
				}
				i++;
			}
		} else if (ch == '-' && i + 1 < len && sql[i + 1] == '-') {
			while (i < len && sql[i] != '\n')
				out[o++] = sql[i++];
			if (i < len)
				out[o++] = sql[i];
		} else if (ch == '/' && i + 1 < len && sql[i + 1] == '*') {
			while (i < len && !(sql[i] == '*' && i + 1 < len && sql[i + 1] == '/'))
				out[o++] = sql[i++];
			if (i < len) {
				out[o++] = sql[i++];
				out[o++] = sql[i];
			}
		} else if (ch == '?') {
			o += (size_t)sprintf(out + o, "$%d", ++n);
		} else {
			out[o++] = ch;
		}
	}
	out[o] = '\0';
	return out;
}

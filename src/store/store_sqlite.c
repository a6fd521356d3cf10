/*
 * store_sqlite.c - the embedded SQLite back end.
 *
 * One connection per pooled slot, each used by one thread at a time
 * (SQLITE_OPEN_NOMUTEX).  WAL journal, foreign keys on, a busy timeout, and
 * statements prepared once per connection with SQLITE_PREPARE_PERSISTENT.
 * synchronous=NORMAL in WAL mode keeps every committed transaction across a
 * crash of the process; synchronous=FULL (a setting) also across power loss.
 */
#include "store/store_int.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/alloc.h"
#include "core/log.h"

#define STMT_CACHE_SIZE 256 /* power of two */

struct stmt_slot {
	const struct store_sql *key;
	sqlite3_stmt *stmt;
};

struct sqlite_conn {
	struct store_conn base;
	sqlite3 *db;
	struct stmt_slot cache[STMT_CACHE_SIZE];
	int ncached;
	int writing; /* holds store->write_lock: a write transaction is open */
	/* the writer (store->writer) only: */
	int wal_frames;    /* frames in the WAL after the last commit */
	int checkpointing; /* a checkpoint is running */
};

struct sqlite_rows {
	struct store_rows base;
	sqlite3_stmt *stmt;
	int pending; /* result of the first step, not yet handed out */
	int owned;   /* statement not cached: finalize on finish */
};

static int sqlite_error(struct sqlite_conn *sc, int rc, const char *what, struct error *e)
{
	int prim = rc & 0xff;

	log_error("sqlite: %s: %s (%d)", what, sqlite3_errmsg(sc->db), rc);
	switch (prim) {
	case SQLITE_CONSTRAINT:
		if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
			return error_set(e, ERR_CONFLICT, NULL, "数据已存在，不能重复");
		return error_set(e, ERR_CONFLICT, NULL, "数据之间存在关联，操作未执行");
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return error_set(e, ERR_UNAVAILABLE, NULL, "数据库繁忙，请稍后再试");
	case SQLITE_FULL:
	case SQLITE_IOERR:
	case SQLITE_CANTOPEN:
	case SQLITE_READONLY:
		return error_set(e, ERR_UNAVAILABLE, NULL, "数据库暂时无法写入，请稍后再试");
	case SQLITE_TOOBIG:
		return error_set(e, ERR_TOO_LARGE, NULL, NULL);
	default:
		return error_set(e, ERR_INTERNAL, NULL, NULL);
	}
}

/*
 * Every write transaction of the process runs on one SQLite handle, the
 * writer (store->writer), lent to the connection that holds the write lock
 * by exchanging handles and statement caches.  SQLite drops a connection's
 * whole page cache when another connection has written since its last
 * transaction, so with writes spread over the pool every insert walked each
 * index from disk pages again (180 preads a report, docs/benchmarks.md);
 * the writer's cache stays warm because only it writes.
 */
static void handle_swap(struct sqlite_conn *a, struct sqlite_conn *b)
{
	struct stmt_slot cache[STMT_CACHE_SIZE];
	sqlite3 *db = a->db;
	int n = a->ncached;

	a->db = b->db;
	b->db = db;
	memcpy(cache, a->cache, sizeof(cache));
	memcpy(a->cache, b->cache, sizeof(cache));
	memcpy(b->cache, cache, sizeof(cache));
	a->ncached = b->ncached;
	b->ncached = n;
}

/*
 * The writer's commits do not checkpoint (its WAL hook only counts the
 * frames): a checkpoint copies a thousand pages and syncs the file, and
 * inside the write lock it stalled every writer behind it.  The connection
 * that ends a write transaction runs a passive checkpoint after giving up
 * the lock instead, on its own handle, while the next writer goes on.
 */
#define WAL_CHECKPOINT_FRAMES 1000

static int writer_wal_hook(void *arg, sqlite3 *db, const char *name, int frames)
{
	struct sqlite_conn *w = arg;

	(void)db;
	(void)name;
	__atomic_store_n(&w->wal_frames, frames, __ATOMIC_RELAXED);
	return SQLITE_OK;
}

static void wal_checkpoint(struct sqlite_conn *sc, struct sqlite_conn *w)
{
	int rc;

	if (__atomic_load_n(&w->wal_frames, __ATOMIC_RELAXED) < WAL_CHECKPOINT_FRAMES ||
	    __atomic_exchange_n(&w->checkpointing, 1, __ATOMIC_ACQUIRE))
		return;
	rc = sqlite3_wal_checkpoint_v2(sc->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
	if (rc != SQLITE_OK && rc != SQLITE_BUSY)
		log_error("sqlite: checkpoint: %s (%d)", sqlite3_errmsg(sc->db), rc);
	__atomic_store_n(&w->wal_frames, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&w->checkpointing, 0, __ATOMIC_RELEASE);
}

/* Give the writer back and the process's write lock up. */
static void writer_return(struct sqlite_conn *sc)
{
	sc->writing = 0;
	handle_swap(sc, sc->base.store->writer);
	pthread_mutex_unlock(&sc->base.store->write_lock);
}

/* writer_return once the write transaction is over, then maybe checkpoint. */
static void write_unlock(struct sqlite_conn *sc)
{
	if (sc->writing && sqlite3_get_autocommit(sc->db)) {
		writer_return(sc);
		wal_checkpoint(sc, sc->base.store->writer);
	}
}

static int sqlite_exec_script(struct store_conn *c, const char *sql, struct error *e)
{
	struct sqlite_conn *sc = (struct sqlite_conn *)c;
	int rc = sqlite3_exec(sc->db, sql, NULL, NULL, NULL);

	write_unlock(sc); /* after COMMIT or ROLLBACK */
	if (rc != SQLITE_OK)
		return sqlite_error(sc, rc, "exec", e);
	return 0;
}

/*
 * Process-wide settings, before SQLite initializes itself.  Memory
 * statistics off: with them on, every sqlite3_malloc and sqlite3_free of
 * every connection takes one global mutex, and under 64 concurrent reads
 * `perf` found the threads queued on it (a list page builds strings per
 * row).  Nothing reads SQLite's memory statistics.
 */
static pthread_once_t sqlite_once = PTHREAD_ONCE_INIT;

static void sqlite_configure(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

static int sqlite_conn_open(struct store *s, struct store_conn **out, struct error *e)
{
	struct sqlite_conn *sc = xcalloc(1, sizeof(*sc));
	char pragmas[256];
	int rc;

	pthread_once(&sqlite_once, sqlite_configure);
	rc =
	    sqlite3_open_v2(s->target, &sc->db,
	                    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		log_error("sqlite: cannot open database: %s",
		          sc->db ? sqlite3_errmsg(sc->db) : "out of memory");
		sqlite3_close(sc->db);
		free(sc);
		return error_set(e, ERR_UNAVAILABLE, NULL, "无法打开数据库文件");
	}
	sqlite3_extended_result_codes(sc->db, 1);
	sqlite3_busy_timeout(sc->db, s->opts.busy_timeout_ms);
	/*
	 * Plans must not depend on bound values: without this, every statement
	 * with "column LIKE ?" (each data-scope filter) is compiled again on
	 * every run after its parameters are bound, which cost a problem's
	 * detail page about a third of its time (docs/benchmarks.md).
	 */
	sqlite3_db_config(sc->db, SQLITE_DBCONFIG_ENABLE_QPSG, 1, NULL);
	snprintf(pragmas, sizeof(pragmas),
	         "PRAGMA journal_mode=WAL;"
	         "PRAGMA synchronous=%s;"
	         "PRAGMA foreign_keys=ON;"
	         "PRAGMA temp_store=MEMORY;"
	         "PRAGMA cache_size=-16000;",
	         s->opts.sqlite_sync_full ? "FULL" : "NORMAL");
	rc = sqlite_exec_script(&sc->base, pragmas, e);
	if (rc != 0) {
		sqlite3_close(sc->db);
		free(sc);
		return rc;
	}
	*out = &sc->base;
	return 0;
}

static void sqlite_conn_close(struct store_conn *c)
{
	struct sqlite_conn *sc = (struct sqlite_conn *)c;
	int i;

	if (sc->writing) /* give the writer back before closing */
		writer_return(sc);
	for (i = 0; i < STMT_CACHE_SIZE; i++)
		if (sc->cache[i].stmt)
			sqlite3_finalize(sc->cache[i].stmt);
	sqlite3_close(sc->db);
	free(sc);
}

static void sqlite_store_free(struct store *s)
{
	if (s->writer)
		sqlite_conn_close(s->writer);
	s->writer = NULL;
}

/* The writer handle, opened at the first write (called holding write_lock). */
static int writer_open(struct store *s, struct error *e)
{
	struct store_conn *c;
	struct sqlite_conn *w;
	int rc;

	if (s->writer)
		return 0;
	if ((rc = sqlite_conn_open(s, &c, e)))
		return rc;
	w = (struct sqlite_conn *)c;
	w->base.store = s;
	sqlite3_wal_hook(w->db, writer_wal_hook, w);
	s->writer = w;
	return 0;
}

static int sqlite_conn_check(struct store_conn *c, struct error *e)
{
	(void)c;
	(void)e;
	return 0; /* a file does not go away between requests */
}

/*
 * Writers of this process queue on a mutex before BEGIN IMMEDIATE, so
 * SQLite's busy handler (which sleeps 1, 2, 5 ... 100 ms and polls) only
 * ever waits for other processes.  Under 64 concurrent reports the sleeps
 * were most of the time: 170 ms median for a 3 ms request
 * (docs/benchmarks.md).  The wait is bounded by the busy timeout.
 */
static int sqlite_begin(struct store_conn *c, int write, struct error *e)
{
	struct sqlite_conn *sc = (struct sqlite_conn *)c;
	int64_t ms = c->store->opts.busy_timeout_ms;
	struct timespec until;
	int rc;

	if (!write)
		return sqlite_exec_script(c, "BEGIN", e);
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += ms / 1000;
	until.tv_nsec += (ms % 1000) * 1000000;
	if (until.tv_nsec >= 1000000000) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000;
	}
	if (pthread_mutex_timedlock(&c->store->write_lock, &until) != 0) {
		log_error("sqlite: no write lock within %lld ms", (long long)ms);
		return error_set(e, ERR_UNAVAILABLE, NULL, "数据库繁忙，请稍后再试");
	}
	if ((rc = writer_open(c->store, e))) {
		pthread_mutex_unlock(&c->store->write_lock);
		return rc;
	}
	handle_swap(sc, c->store->writer);
	sc->writing = 1;
	rc = sqlite_exec_script(c, "BEGIN IMMEDIATE", e);
	if (rc)
		write_unlock(sc);
	return rc;
}

static struct stmt_slot *cache_slot(struct sqlite_conn *sc, const struct store_sql *q)
{
	uintptr_t h = ((uintptr_t)q >> 4) * 2654435761u;
	size_t i = h & (STMT_CACHE_SIZE - 1);

	for (;;) {
		if (sc->cache[i].key == q || !sc->cache[i].key)
			return &sc->cache[i];
		i = (i + 1) & (STMT_CACHE_SIZE - 1);
	}
}

static int bind_args(struct sqlite_conn *sc, sqlite3_stmt *st, const struct store_sql *q,
                     const struct store_val *args, int nargs, struct error *e)
{
	int i, rc = SQLITE_OK;

	if (nargs != sqlite3_bind_parameter_count(st)) {
		log_error("sqlite: %s: %d arguments for %d placeholders", q->name, nargs,
		          sqlite3_bind_parameter_count(st));
		return error_set(e, ERR_INTERNAL, NULL, NULL);
	}
	for (i = 0; i < nargs && rc == SQLITE_OK; i++) {
		const struct store_val *v = &args[i];

		switch (v->type) {
		case SV_NULL:
			rc = sqlite3_bind_null(st, i + 1);
			break;
		case SV_INT:
			rc = sqlite3_bind_int64(st, i + 1, v->i);
			break;
		case SV_DOUBLE:
			rc = sqlite3_bind_double(st, i + 1, v->d);
			break;
		case SV_TEXT:
			rc = sqlite3_bind_text64(st, i + 1, v->s, v->len, SQLITE_STATIC,
			                         SQLITE_UTF8);
			break;
		case SV_BLOB:
			rc = sqlite3_bind_blob64(st, i + 1, v->s, v->len, SQLITE_STATIC);
			break;
		case SV_IDS:
		case SV_PREFIX: {
			char *text = xmalloc(store_val_text_max(v));
			size_t len = store_val_text(v, text);

			rc = sqlite3_bind_text64(st, i + 1, text, len, free, SQLITE_UTF8);
			break;
		}
		}
	}
	if (rc != SQLITE_OK)
		return sqlite_error(sc, rc, q->name, e);
	return 0;
}

static int sqlite_query(struct store_conn *c, const struct store_sql *q,
                        const struct store_val *args, int nargs, struct store_rows **out,
                        struct error *e)
{
	struct sqlite_conn *sc = (struct sqlite_conn *)c;
	struct stmt_slot *slot = NULL;
	struct sqlite_rows *r;
	sqlite3_stmt *st;
	int rc, owned = 0;

	if (sc->ncached < STMT_CACHE_SIZE / 2) {
		slot = cache_slot(sc, q);
	} else {
		/* Cache full (more distinct statements than expected): still work. */
		slot = cache_slot(sc, q);
		if (!slot->key)
			slot = NULL;
	}
	if (slot && slot->stmt) {
		st = slot->stmt;
	} else {
		char *text = store_sql_expand(STORE_SQLITE, q->sql);

		rc = sqlite3_prepare_v3(sc->db, text, -1, slot ? SQLITE_PREPARE_PERSISTENT : 0, &st,
		                        NULL);
		free(text);
		if (rc != SQLITE_OK)
			return sqlite_error(sc, rc, q->name, e);
		if (slot) {
			slot->key = q;
			slot->stmt = st;
			sc->ncached++;
		} else {
			owned = 1;
		}
	}
	rc = bind_args(sc, st, q, args, nargs, e);
	if (rc != 0)
		goto fail;
	/* Step once now so constraint and lock errors surface here. */
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		rc = sqlite_error(sc, rc, q->name, e);
		goto fail;
	}
	r = xmalloc(sizeof(*r));
	r->base.m = &store_sqlite_methods;
	r->base.conn = c;
	r->stmt = st;
	r->pending = rc;
	r->owned = owned;
	*out = &r->base;
	return 0;
fail:
	if (owned) {
		sqlite3_finalize(st);
	} else {
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
	}
	return rc;
}

static int sqlite_next(struct store_rows *rows)
{
	struct sqlite_rows *r = (struct sqlite_rows *)rows;
	int rc;

	if (r->pending) {
		rc = r->pending;
		r->pending = 0;
	} else {
		rc = sqlite3_step(r->stmt);
	}
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE) {
		r->pending = SQLITE_DONE; /* stay done on further calls */
		return 0;
	}
	return sqlite_error((struct sqlite_conn *)rows->conn, rc, "step", NULL);
}

static int sqlite_ncols(struct store_rows *rows)
{
	return sqlite3_column_count(((struct sqlite_rows *)rows)->stmt);
}

static const char *sqlite_colname(struct store_rows *rows, int col)
{
	return sqlite3_column_name(((struct sqlite_rows *)rows)->stmt, col);
}

static int sqlite_isnull(struct store_rows *rows, int col)
{
	return sqlite3_column_type(((struct sqlite_rows *)rows)->stmt, col) == SQLITE_NULL;
}

static int64_t sqlite_col_int(struct store_rows *rows, int col)
{
	return sqlite3_column_int64(((struct sqlite_rows *)rows)->stmt, col);
}

static double sqlite_col_double(struct store_rows *rows, int col)
{
	return sqlite3_column_double(((struct sqlite_rows *)rows)->stmt, col);
}

static const char *sqlite_col_text(struct store_rows *rows, int col)
{
	return (const char *)sqlite3_column_text(((struct sqlite_rows *)rows)->stmt, col);
}

static const void *sqlite_col_blob(struct store_rows *rows, int col, size_t *len)
{
	sqlite3_stmt *st = ((struct sqlite_rows *)rows)->stmt;
	const void *p = sqlite3_column_blob(st, col);

	*len = (size_t)sqlite3_column_bytes(st, col);
	return p;
}

static void sqlite_finish(struct store_rows *rows)
{
	struct sqlite_rows *r = (struct sqlite_rows *)rows;

	if (r->owned) {
		sqlite3_finalize(r->stmt);
	} else {
		sqlite3_reset(r->stmt);
		sqlite3_clear_bindings(r->stmt);
	}
	free(r);
}

static int64_t sqlite_changes(struct store_conn *c)
{
	return sqlite3_changes64(((struct sqlite_conn *)c)->db);
}

static int sqlite_migrate_lock(struct store_conn *c, struct error *e)
{
	(void)c;
	(void)e;
	return 0; /* each migration runs in BEGIN IMMEDIATE, which serializes */
}

static void sqlite_migrate_unlock(struct store_conn *c)
{
	(void)c;
}

/* Copy every page of src into dst with the online backup API. */
static int backup_copy(sqlite3 *dst, sqlite3 *src, sqlite3 *errdb, struct error *e)
{
	sqlite3_backup *b;
	int rc;

	b = sqlite3_backup_init(dst, "main", src, "main");
	if (!b) {
		log_error("sqlite: backup init: %s", sqlite3_errmsg(dst));
		return error_set(e, ERR_INTERNAL, NULL, "备份初始化失败");
	}
	do {
		rc = sqlite3_backup_step(b, 256);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			sqlite3_sleep(20);
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		log_error("sqlite: backup step: %s", sqlite3_errmsg(errdb));
		return error_set(e, ERR_UNAVAILABLE, NULL, "复制数据库失败");
	}
	return 0;
}

static int open_plain(const char *path, int flags, sqlite3 **db, struct error *e)
{
	pthread_once(&sqlite_once, sqlite_configure);
	if (sqlite3_open_v2(path, db, flags, NULL) != SQLITE_OK) {
		log_error("sqlite: open %s: %s", path, *db ? sqlite3_errmsg(*db) : "");
		sqlite3_close(*db);
		*db = NULL;
		return error_set(e, ERR_UNAVAILABLE, NULL, "无法打开数据库文件");
	}
	sqlite3_busy_timeout(*db, 5000);
	return 0;
}

/* The backup file is a plain SQLite database: open it with sqlite3 to inspect. */
static int sqlite_backup(struct store *s, const char *file, struct error *e)
{
	sqlite3 *src = NULL, *dst = NULL;
	int rc;

	rc = open_plain(s->target, SQLITE_OPEN_READONLY, &src, e);
	if (rc == 0)
		rc = open_plain(file, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, &dst, e);
	if (rc == 0)
		rc = backup_copy(dst, src, dst, e);
	sqlite3_close(dst);
	sqlite3_close(src);
	return rc;
}

static int sqlite_restore(struct store *s, const char *file, struct error *e)
{
	sqlite3 *src = NULL, *dst = NULL;
	char *check = NULL;
	int rc;

	rc = open_plain(file, SQLITE_OPEN_READONLY, &src, e);
	if (rc != 0)
		return rc;
	/* Refuse a file that is not a sound SQLite database before touching ours. */
	if (sqlite3_exec(src, "PRAGMA quick_check", NULL, NULL, &check) != SQLITE_OK) {
		log_error("sqlite: restore source check failed: %s", check ? check : "");
		sqlite3_free(check);
		sqlite3_close(src);
		return error_set(e, ERR_INVALID, "file", "备份文件已损坏或不是数据库备份");
	}
	rc = open_plain(s->target, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, &dst, e);
	if (rc == 0)
		rc = backup_copy(dst, src, src, e);
	sqlite3_close(dst);
	sqlite3_close(src);
	return rc;
}

const struct store_methods store_sqlite_methods = {
    .name = "sqlite",
    .conn_open = sqlite_conn_open,
    .conn_close = sqlite_conn_close,
    .conn_check = sqlite_conn_check,
    .exec_script = sqlite_exec_script,
    .begin = sqlite_begin,
    .query = sqlite_query,
    .next = sqlite_next,
    .ncols = sqlite_ncols,
    .colname = sqlite_colname,
    .isnull = sqlite_isnull,
    .col_int = sqlite_col_int,
    .col_double = sqlite_col_double,
    .col_text = sqlite_col_text,
    .col_blob = sqlite_col_blob,
    .finish = sqlite_finish,
    .changes = sqlite_changes,
    .migrate_lock = sqlite_migrate_lock,
    .migrate_unlock = sqlite_migrate_unlock,
    .store_free = sqlite_store_free,
    .backup = sqlite_backup,
    .restore = sqlite_restore,
    .migrations = store_sqlite_migrations,
};

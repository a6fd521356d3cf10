/*
 * store.h - the storage interface every domain uses.
 *
 * A struct store is one database (SQLite file or PostgreSQL server) with a
 * pool of connections.  A thread borrows a struct store_conn with
 * store_acquire() and gives it back with store_release(); a request handler
 * gets one lazily through req_db() and the server returns it when the
 * request ends.
 *
 * SQL is never built from strings.  Each statement is a static, named
 * struct store_sql whose text uses `?` placeholders; the PostgreSQL back end
 * rewrites them to $1..$n when it prepares the statement.  Where the two
 * dialects really differ, the struct carries a second text for PostgreSQL.
 * Statements are prepared once per connection and cached by the address of
 * their struct store_sql, so always declare them `static const`.
 *
 * Common dialect rules (so one text serves both back ends):
 *   - times are BIGINT milliseconds since the Unix epoch, UTC;
 *   - booleans are INTEGER 0/1;
 *   - JSON documents are TEXT;
 *   - new ids come back through `INSERT ... RETURNING id`;
 *   - `x IN_IDS(?)` tests x against a list of ids bound as ONE text
 *     parameter holding a JSON array, e.g. "[3,7,12]" (never paste a list).
 *
 * Only store_*.c include sqlite3.h or libpq-fe.h; a test checks that.
 */
#ifndef WENMING_STORE_H
#define WENMING_STORE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/err.h"

struct store;
struct store_conn;
struct store_rows;

enum store_kind { STORE_SQLITE = 1, STORE_POSTGRES = 2 };

struct store_sql {
	const char *name;   /* for logs and errors, never sent to clients */
	const char *sql;    /* common text, `?` placeholders */
	const char *pg_sql; /* PostgreSQL text when it differs (also `?`), or NULL */
	int flags;          /* STORE_GENERIC_PLAN */
};

/*
 * The statement's plan must not be made again for its bound values.  SQLite
 * never does (store_sqlite.c, QPSG).  PostgreSQL plans a prepared statement
 * afresh on each run while it guesses a custom plan cheaper, which for the
 * scoped problem list was 3 ms of planning beside 4 ms of running; with this
 * flag it runs the statement's generic plan (plan_cache_mode) outside
 * transactions.  Only for statements whose generic plan was checked.
 */
#define STORE_GENERIC_PLAN 1

/* Declare a named statement used by both back ends. */
#define STORE_SQL(var, text) static const struct store_sql var = {#var, text, NULL, 0}
/* Declare a statement whose PostgreSQL text differs. */
#define STORE_SQL2(var, text, pgtext) static const struct store_sql var = {#var, text, pgtext, 0}
/* The same with STORE_* flags. */
#define STORE_SQL2_FLAGS(var, text, pgtext, flags)                                                 \
	static const struct store_sql var = {#var, text, pgtext, flags}

/*
 * SV_IDS and SV_PREFIX are text the back end writes at bind time from data:
 * a list of ids for IN_IDS (the JSON array "[3,7,12]") and a LIKE pattern
 * for "starts with" ("/1/3/%").  Callers hand over data, never SQL text.
 */
enum store_type { SV_NULL = 0, SV_INT, SV_DOUBLE, SV_TEXT, SV_BLOB, SV_IDS, SV_PREFIX };

/* One bound parameter.  Text and blob values are borrowed, not copied. */
struct store_val {
	enum store_type type;
	int64_t i;
	double d;
	const char *s;
	size_t len;
	const int64_t *ids; /* SV_IDS: len ids */
};

static inline struct store_val sv_null(void)
{
	struct store_val v = {SV_NULL, 0, 0, NULL, 0, NULL};
	return v;
}

static inline struct store_val sv_int(int64_t i)
{
	struct store_val v = {SV_INT, i, 0, NULL, 0, NULL};
	return v;
}

static inline struct store_val sv_double(double d)
{
	struct store_val v = {SV_DOUBLE, 0, d, NULL, 0, NULL};
	return v;
}

/* Text; a NULL pointer binds SQL NULL. */
static inline struct store_val sv_text(const char *s)
{
	struct store_val v = {s ? SV_TEXT : SV_NULL, 0, 0, s, s ? strlen(s) : 0, NULL};
	return v;
}

static inline struct store_val sv_textn(const char *s, size_t len)
{
	struct store_val v = {s ? SV_TEXT : SV_NULL, 0, 0, s, len, NULL};
	return v;
}

/* A list of ids for `x IN_IDS(?)` (borrowed; n may be 0: the list matches nothing). */
static inline struct store_val sv_ids(const int64_t *ids, size_t n)
{
	struct store_val v = {SV_IDS, 0, 0, NULL, n, ids};
	return v;
}

/*
 * The LIKE pattern of every text starting with s, for `x LIKE ?`.  s is a
 * path of digits and slashes ("/1/3/"), which hold no LIKE wildcard; NULL or
 * "" binds "", which matches no path.
 */
static inline struct store_val sv_prefix(const char *s)
{
	struct store_val v = {SV_PREFIX, 0, 0, s ? s : "", s ? strlen(s) : 0, NULL};
	return v;
}

/*
 * The bound text of an SV_IDS or SV_PREFIX value: store_val_text_max bytes
 * (with the NUL) are enough for store_val_text, which writes it and returns
 * its length.
 */
size_t store_val_text_max(const struct store_val *v);
size_t store_val_text(const struct store_val *v, char *out);

static inline struct store_val sv_blob(const void *p, size_t len)
{
	struct store_val v = {p ? SV_BLOB : SV_NULL, 0, 0, (const char *)p, len, NULL};
	return v;
}

struct store_opts {
	int pool_size;        /* connections kept; requests wait for a free one */
	int sqlite_sync_full; /* 1: synchronous=FULL (survives power loss) */
	int busy_timeout_ms;  /* how long a writer waits for a lock */
};

/* The defaults: pool of 8, synchronous=NORMAL, 5 s busy timeout. */
void store_opts_init(struct store_opts *o);

/*
 * Open the database named by url: "sqlite:PATH" (or a bare path) or
 * "postgres://..." / "postgresql://...".  Connects once to check it answers.
 * On success *out owns the pool; free it with store_close().
 */
int store_open(const char *url, const struct store_opts *o, struct store **out, struct error *e);

/* Close every pooled connection and free s.  No connection may be borrowed. */
void store_close(struct store *s);

enum store_kind store_kind(const struct store *s);

/* "sqlite" or "postgres". */
const char *store_kind_name(const struct store *s);

/*
 * Borrow a connection, waiting for one when all are in use.  Returns NULL
 * and sets e (ERR_UNAVAILABLE) when the database cannot be reached.
 */
struct store_conn *store_acquire(struct store *s, struct error *e);

/* Give a connection back; an open transaction is rolled back first. */
void store_release(struct store_conn *c);

/* The store a connection belongs to. */
struct store *store_conn_store(struct store_conn *c);

/* Run a trivial query; 0 when the database answers. */
int store_ping(struct store_conn *c, struct error *e);

/*
 * Transactions.  store_begin(c, 1, e) starts a write transaction that takes
 * the write lock at once (SQLite BEGIN IMMEDIATE), so it never fails half way
 * on a lock upgrade; store_begin(c, 0, e) starts a read transaction.
 */
int store_begin(struct store_conn *c, int write, struct error *e);
int store_commit(struct store_conn *c, struct error *e);
void store_rollback(struct store_conn *c);
int store_in_transaction(const struct store_conn *c);

/*
 * Run a statement that returns rows.  On success *out is a cursor positioned
 * before the first row; read it with store_next() and free it with
 * store_finish().  Only one cursor per statement may be open at a time on a
 * connection.
 */
int store_query(struct store_conn *c, const struct store_sql *q, const struct store_val *args,
                int nargs, struct store_rows **out, struct error *e);

/* One statement of a batch: q and its arguments in, its cursor out. */
struct store_batch {
	const struct store_sql *q;
	const struct store_val *args;
	int nargs;
	struct store_rows *rows;
};

#define STORE_BATCH_MAX 8

/*
 * Run n (at most STORE_BATCH_MAX) statements that do not depend on each
 * other, as store_query would one after the other.  PostgreSQL gets them in
 * one round trip (libpq's pipeline mode); SQLite runs them in turn.  On
 * success every b[i].rows is an open cursor (store_finish each); on failure
 * none is.  Meant for a few small reads: every statement is sent before any
 * result is read, so huge parameters could fill both sockets' buffers.
 */
int store_query_batch(struct store_conn *c, struct store_batch *b, int n, struct error *e);

/* 1: a row is ready; 0: no more rows; <0: ERR_* (the cursor stays valid). */
int store_next(struct store_rows *r);

int store_ncols(struct store_rows *r);
const char *store_colname(struct store_rows *r, int col);
int store_isnull(struct store_rows *r, int col);
int64_t store_int(struct store_rows *r, int col);
double store_double(struct store_rows *r, int col);
/* Text of a column, NULL when SQL NULL; valid until store_next/finish. */
const char *store_text(struct store_rows *r, int col);
/* Bytes of a column; valid until store_next/finish. */
const void *store_blob(struct store_rows *r, int col, size_t *len);

void store_finish(struct store_rows *r);

/* Run a statement that returns no rows; *changes (may be NULL) = rows hit. */
int store_exec(struct store_conn *c, const struct store_sql *q, const struct store_val *args,
               int nargs, int64_t *changes, struct error *e);

/*
 * Run a statement expected to return one integer in the first column of its
 * first row (a count, a RETURNING id).  ERR_NOT_FOUND when there is no row.
 */
int store_query_int(struct store_conn *c, const struct store_sql *q, const struct store_val *args,
                    int nargs, int64_t *out, struct error *e);

/*
 * Run a statement that reads one row (a get by id).  On success *out is a
 * cursor on that row: read its columns, then store_finish(*out).  When there
 * is no row, ERR_NOT_FOUND with the message `missing` (may be NULL) and no
 * cursor is left open.  Rows after the first are not read.
 */
int store_query_one(struct store_conn *c, const struct store_sql *q, const struct store_val *args,
                    int nargs, struct store_rows **out, const char *missing, struct error *e);

/*
 * A LIKE pattern that matches text literally: its %, _ and \ are escaped
 * with \ (write `LIKE ? ESCAPE '\'`).  contains: "%text%", else the prefix
 * "text%".  From arena a, or malloc'd (caller frees) when a is NULL.
 */
struct arena;
char *store_like_pattern(struct arena *a, const char *text, int contains);

/* Apply pending migrations; *applied (may be NULL) = how many ran. */
int store_migrate(struct store *s, int *applied, struct error *e);

/* Newest applied migration version, 0 for an empty database. */
int store_schema_version(struct store *s, int *version, struct error *e);

/* Write an online, consistent copy of the database to file. */
int store_backup(struct store *s, const char *file, struct error *e);

/* Replace the database's contents with those of a backup file. */
int store_restore(struct store *s, const char *file, struct error *e);

#endif

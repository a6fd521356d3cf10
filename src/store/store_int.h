/*
 * store_int.h - what a storage back end implements (private to src/store/).
 *
 * Like sqlite3_vfs: store.c owns the pool, the transaction bookkeeping and
 * the migration runner; a back end fills a struct store_methods and embeds
 * struct store_conn / struct store_rows as the FIRST member of its own
 * connection and cursor structs, so store.c can hand them back to it.
 */
#ifndef WENMING_STORE_INT_H
#define WENMING_STORE_INT_H

#include <pthread.h>

#include "store/store.h"

struct store_methods;

/* PostgreSQL backup and restore (store_pgdump.c), the methods of store_pg.c. */
int store_pg_backup(struct store *s, const char *file, struct error *e);
int store_pg_restore(struct store *s, const char *file, struct error *e);

/* What a back end's query_batch returns to ask for the plain way. */
#define STORE_BATCH_ONE_BY_ONE 1

struct store {
	const struct store_methods *m;
	enum store_kind kind;
	char *target; /* file path or connection URL */
	struct store_opts opts;

	pthread_mutex_t lock;       /* guards the pool below */
	pthread_mutex_t write_lock; /* SQLite: this process's one writer (store_sqlite.c) */
	void *writer;               /* SQLite: the handle every write transaction uses */
	pthread_cond_t freed;
	struct store_conn **idle; /* connections not borrowed */
	int nidle;
	int nopen; /* idle + borrowed */
};

struct store_conn {
	struct store *store;
	int in_tx;
	int tx_failed; /* a statement failed: COMMIT is refused */
	int broken;    /* drop instead of pooling on release */
};

struct store_rows {
	const struct store_methods *m;
	struct store_conn *conn;
};

struct migration {
	int version;
	const char *name;
	const char *sql; /* the whole script for this back end */
};

struct store_methods {
	const char *name; /* "sqlite", "postgres" */

	/* Open a new connection to s->target and set it up. */
	int (*conn_open)(struct store *s, struct store_conn **out, struct error *e);
	void (*conn_close)(struct store_conn *c);
	/* Called before a pooled connection is lent again; may reconnect. */
	int (*conn_check)(struct store_conn *c, struct error *e);

	/* Run literal, parameterless SQL (BEGIN, COMMIT, migration scripts). */
	int (*exec_script)(struct store_conn *c, const char *sql, struct error *e);
	int (*begin)(struct store_conn *c, int write, struct error *e);
	/* Optional: end the transaction begun; NULL runs exec_script("COMMIT"). */
	int (*commit)(struct store_conn *c, struct error *e);

	int (*query)(struct store_conn *c, const struct store_sql *q, const struct store_val *args,
	             int nargs, struct store_rows **out, struct error *e);
	/*
	 * Optional: run a batch in one go (store_query_batch); returns
	 * STORE_BATCH_ONE_BY_ONE to have store.c run it statement by statement.
	 */
	int (*query_batch)(struct store_conn *c, struct store_batch *b, int n, struct error *e);
	int (*next)(struct store_rows *r);
	int (*ncols)(struct store_rows *r);
	const char *(*colname)(struct store_rows *r, int col);
	int (*isnull)(struct store_rows *r, int col);
	int64_t (*col_int)(struct store_rows *r, int col);
	double (*col_double)(struct store_rows *r, int col);
	const char *(*col_text)(struct store_rows *r, int col);
	const void *(*col_blob)(struct store_rows *r, int col, size_t *len);
	void (*finish)(struct store_rows *r);
	/* Rows inserted, updated or deleted by the last finished statement. */
	int64_t (*changes)(struct store_conn *c);

	/* Serialize migrations across processes (PostgreSQL advisory lock). */
	int (*migrate_lock)(struct store_conn *c, struct error *e);
	void (*migrate_unlock)(struct store_conn *c);

	/* Free what the back end keeps per store (may be NULL). */
	void (*store_free)(struct store *s);

	int (*backup)(struct store *s, const char *file, struct error *e);
	int (*restore)(struct store *s, const char *file, struct error *e);

	/* This back end's migrations, oldest first, ended by {0}. */
	const struct migration *migrations;
};

extern const struct store_methods store_sqlite_methods;
extern const struct store_methods store_pg_methods;

/* Generated at build time from migrations/{sqlite,pg}/NNNN_name.sql. */
extern const struct migration store_sqlite_migrations[];
extern const struct migration store_pg_migrations[];

/* Expand the dialect macros of store.h (IN_IDS) for kind; malloc'd. */
char *store_sql_expand(enum store_kind kind, const char *sql);

/*
 * Rewrite `?` placeholders to `$1..$n`, leaving quoted strings, quoted
 * identifiers and comments alone.  Returns a malloc'd string.
 */
char *store_pg_placeholders(const char *sql);

#endif

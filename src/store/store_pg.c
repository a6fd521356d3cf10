/*
 * store_pg.c - the PostgreSQL back end (libpq).
 *
 * One PGconn per pooled slot, used by one thread at a time.  Statements are
 * prepared once per connection (PQprepare, named "wm_<n>") and found again
 * through a small open-addressing table keyed by the address of their
 * struct store_sql.  Parameters go as text, except blobs, which go as binary
 * bytea so NUL bytes survive; results come back as text and are converted on
 * demand.  A whole result is fetched at once (no server-side cursor), so a
 * cursor never ties up the connection.
 *
 * Transactions mirror SQLite's semantics so domain code behaves the same on
 * both back ends:
 *   - a write transaction takes one transaction-scoped advisory lock at
 *     BEGIN, which serializes writers exactly like BEGIN IMMEDIATE (no lost
 *     updates in read-modify-write code, an unforked audit hash chain) and
 *     waits at most busy_timeout_ms (lock_timeout), like SQLite's busy
 *     timeout;
 *   - a read transaction is REPEATABLE READ: one snapshot for every query in
 *     it, like an SQLite read transaction.
 *
 * Durability is the server's: fsync must be on (the default).  A write
 * transaction's COMMIT returns only once its WAL record is flushed, through
 * the group commit of pg_commit; every other COMMIT with the
 * server's synchronous_commit (on by default).
 *
 * Backup and restore run pg_dump / pg_restore (store_pgdump.c).
 */
#include "store/store_int.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "core/alloc.h"
#include "core/log.h"
#include "core/strbuf.h"

extern char **environ;

#define BYTEA_OID 17
/* Session-level lock held while migrating: "wenmig" in ASCII. */
#define MIGRATE_LOCK_KEY INT64_C(0x77656e6d6967)
/* Transaction-level lock every write transaction takes: "wenwrt". */
#define WRITE_LOCK_KEY INT64_C(0x77656e777274)

struct pg_stmt {
	const struct store_sql *key; /* NULL: free slot */
	char name[16];               /* "" : not prepared on this session */
};

struct pg_conn {
	struct store_conn base;
	PGconn *pg;
	struct pg_stmt *stmts; /* open addressing, cap is a power of two */
	size_t cap, used;
	unsigned next_id;
	int64_t changes;
	int plan_generic; /* plan_cache_mode is force_generic_plan (STORE_GENERIC_PLAN) */
	int writing;      /* a write transaction is open (commits without waiting, then flushes) */
};

struct pg_rows {
	struct store_rows base;
	PGresult *res;
	int row, nrows, ncols;
	unsigned char **blobs; /* decoded bytea of the current row, per column */
	size_t *bloblen;
};

/* ---- errors -------------------------------------------------------- */

/*
 * Log what went wrong (statement name, SQLSTATE, server message, constraint;
 * never the DETAIL, which may quote stored values) and map it to an ERR_*
 * code with a message fit for a client.  A dead connection is marked broken
 * so the pool drops it.  res may be NULL.
 */
static int pg_fail(struct pg_conn *pc, const char *what, const PGresult *res, struct error *e)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	const char *cons = res ? PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME) : NULL;

	if (!msg)
		msg = PQerrorMessage(pc->pg);
	log_error("postgres: %s failed: SQLSTATE %s: %s%s%s", what, state ? state : "-", msg,
	          cons ? " constraint " : "", cons ? cons : "");
	if (PQstatus(pc->pg) != CONNECTION_OK) {
		pc->base.broken = 1;
		return error_set(e, ERR_UNAVAILABLE, NULL, "数据库连接中断，请稍后再试");
	}
	if (!state)
		return error_set(e, ERR_INTERNAL, NULL, NULL);
	if (!strcmp(state, "23505"))
		return error_set(e, ERR_CONFLICT, NULL, "数据已存在，不能重复");
	if (!strcmp(state, "23502"))
		return error_set(e, ERR_CONFLICT, NULL, "缺少必填数据，操作未执行");
	if (!strcmp(state, "23514"))
		return error_set(e, ERR_CONFLICT, NULL, "数据不符合要求，操作未执行");
	if (!strncmp(state, "23", 2)) /* FK and the rest, as SQLite maps them */
		return error_set(e, ERR_CONFLICT, NULL, "数据之间存在关联，操作未执行");
	if (!strcmp(state, "40001") || !strcmp(state, "40P01") || !strcmp(state, "55P03") ||
	    !strcmp(state, "57014"))
		return error_set(e, ERR_UNAVAILABLE, NULL, "数据库繁忙，请稍后再试");
	/* 08P01 is also what a wrong parameter count gets: a bug, not an outage. */
	if ((!strncmp(state, "08", 2) && strcmp(state, "08P01")) || !strncmp(state, "57P", 3) ||
	    !strncmp(state, "53", 2) || !strncmp(state, "58", 2))
		return error_set(e, ERR_UNAVAILABLE, NULL, "数据库暂时不可用，请稍后再试");
	if (!strcmp(state, "54000"))
		return error_set(e, ERR_TOO_LARGE, NULL, NULL);
	return error_set(e, ERR_INTERNAL, NULL, NULL);
}

/* Server notices ("relation already exists, skipping") go to our log, not stderr. */
static void pg_notice(void *arg, const PGresult *res)
{
	const char *sev = PQresultErrorField(res, PG_DIAG_SEVERITY_NONLOCALIZED);
	const char *msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);

	(void)arg;
	if (sev && (!strcmp(sev, "WARNING") || !strcmp(sev, "ERROR") || !strcmp(sev, "FATAL") ||
	            !strcmp(sev, "PANIC")))
		log_warn("postgres: %s: %s", sev, msg ? msg : "");
	else
		log_debug("postgres: %s", msg ? msg : "");
}

/* ---- statement cache ----------------------------------------------- */

static size_t stmt_hash(const struct store_sql *q)
{
	return (size_t)(((uintptr_t)q >> 4) * 2654435761u);
}

/* The slot for q, added (unprepared) when new; grows the table at 3/4 full. */
static struct pg_stmt *stmt_slot(struct pg_conn *pc, const struct store_sql *q)
{
	size_t i;

	if (pc->used * 4 >= pc->cap * 3) {
		struct pg_stmt *old = pc->stmts;
		size_t oldcap = pc->cap, j;

		pc->cap = oldcap ? oldcap * 2 : 64;
		pc->stmts = xcalloc(pc->cap, sizeof(*pc->stmts));
		for (j = 0; j < oldcap; j++) {
			if (!old[j].key)
				continue;
			i = stmt_hash(old[j].key) & (pc->cap - 1);
			while (pc->stmts[i].key)
				i = (i + 1) & (pc->cap - 1);
			pc->stmts[i] = old[j];
		}
		free(old);
	}
	i = stmt_hash(q) & (pc->cap - 1);
	while (pc->stmts[i].key && pc->stmts[i].key != q)
		i = (i + 1) & (pc->cap - 1);
	if (!pc->stmts[i].key) {
		pc->stmts[i].key = q;
		pc->stmts[i].name[0] = '\0';
		pc->used++;
	}
	return &pc->stmts[i];
}

/* After a reconnect the server has forgotten every prepared statement. */
static void stmt_forget_all(struct pg_conn *pc)
{
	size_t i;

	for (i = 0; i < pc->cap; i++)
		pc->stmts[i].name[0] = '\0';
}

static int stmt_prepare(struct pg_conn *pc, const struct store_sql *q, struct pg_stmt *st,
                        struct error *e)
{
	char name[sizeof(st->name)];
	/* both texts use `?` (IN_IDS(?) expands to one even in PostgreSQL's own text) */
	char *expanded = store_sql_expand(STORE_POSTGRES, q->pg_sql ? q->pg_sql : q->sql);
	char *text = store_pg_placeholders(expanded);
	PGresult *res;
	int rc = 0;

	snprintf(name, sizeof(name), "wm_%u", ++pc->next_id);
	res = PQprepare(pc->pg, name, text, 0, NULL);
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		rc = pg_fail(pc, q->name, res, e);
	else
		memcpy(st->name, name, sizeof(name));
	PQclear(res);
	free(text);
	free(expanded);
	return rc;
}

/* ---- connections --------------------------------------------------- */

/* Settings every session needs, again after a reset. */
static int pg_session_setup(struct pg_conn *pc, struct error *e)
{
	PGresult *res;
	int rc = 0;

	res = PQexec(pc->pg, "SET TimeZone TO 'UTC'; SET standard_conforming_strings TO on");
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		rc = pg_fail(pc, "session setup", res, e);
	PQclear(res);
	return rc;
}

static int pg_conn_open(struct store *s, struct store_conn **out, struct error *e)
{
	/* Later entries override the URL's own; earlier ones are defaults. */
	static const char *const keys[] = {"connect_timeout", "application_name", "dbname",
	                                   "client_encoding", NULL};
	const char *vals[] = {"10", "wenming", s->target, "UTF8", NULL};
	struct pg_conn *pc;
	PGconn *pg;

	*out = NULL;
	pg = PQconnectdbParams(keys, vals, 1);
	if (!pg || PQstatus(pg) != CONNECTION_OK) {
		log_error("postgres: cannot connect: %s",
		          pg ? PQerrorMessage(pg) : "out of memory");
		PQfinish(pg);
		return error_set(e, ERR_UNAVAILABLE, NULL, "数据库连接失败");
	}
	PQsetNoticeReceiver(pg, pg_notice, NULL);
	pc = xcalloc(1, sizeof(*pc));
	pc->pg = pg;
	if (pg_session_setup(pc, e) != 0) {
		PQfinish(pg);
		free(pc);
		return error_set(e, ERR_UNAVAILABLE, NULL, "数据库连接失败");
	}
	*out = &pc->base;
	return 0;
}

static void pg_conn_close(struct store_conn *c)
{
	struct pg_conn *pc = (struct pg_conn *)c;

	PQfinish(pc->pg);
	free(pc->stmts);
	free(pc);
}

/*
 * Before lending a pooled connection: read whatever the server sent while it
 * sat idle (without blocking), so a server restart is noticed here and not by
 * the request's first query; reconnect once if it is gone.
 */
static int pg_conn_check(struct store_conn *c, struct error *e)
{
	struct pg_conn *pc = (struct pg_conn *)c;
	PGTransactionStatusType ts;

	/*
	 * A server shutting down sends a FATAL message, then closes: the first
	 * read takes the message, the second sees the end of the stream.
	 */
	if (PQstatus(pc->pg) == CONNECTION_OK && PQconsumeInput(pc->pg))
		PQconsumeInput(pc->pg);
	ts = PQtransactionStatus(pc->pg);
	if (PQstatus(pc->pg) != CONNECTION_OK || ts == PQTRANS_UNKNOWN) {
		log_warn("postgres: connection lost, reconnecting");
		PQreset(pc->pg);
		stmt_forget_all(pc);
		pc->plan_generic = 0;
		if (PQstatus(pc->pg) != CONNECTION_OK) {
			log_error("postgres: reconnect failed: %s", PQerrorMessage(pc->pg));
			return error_set(e, ERR_UNAVAILABLE, NULL, "数据库连接失败");
		}
		if (pg_session_setup(pc, e) != 0)
			return error_set(e, ERR_UNAVAILABLE, NULL, "数据库连接失败");
		ts = PQtransactionStatus(pc->pg);
	}
	if (ts != PQTRANS_IDLE) {
		/* Should not happen (release rolls back), but never lend an open tx. */
		PGresult *res = PQexec(pc->pg, "ROLLBACK");
		int ok = PQresultStatus(res) == PGRES_COMMAND_OK;

		PQclear(res);
		if (!ok)
			return error_set(e, ERR_UNAVAILABLE, NULL, "数据库连接失败");
	}
	return 0;
}

/* A short label for a literal script in logs: its first line, at most 60 bytes. */
static void script_label(char *buf, size_t size, const char *sql)
{
	size_t n = strcspn(sql, "\n");

	if (n > 60)
		n = 60;
	if (n >= size)
		n = size - 1;
	memcpy(buf, sql, n);
	buf[n] = '\0';
}

/* Run literal SQL; label names it in the log (NULL: its first line). */
static int pg_exec_labelled(struct store_conn *c, const char *label, const char *sql,
                            struct error *e)
{
	struct pg_conn *pc = (struct pg_conn *)c;
	char first[64];
	PGresult *res;
	ExecStatusType st;
	int rc = 0;

	if (PQstatus(pc->pg) != CONNECTION_OK) {
		c->broken = 1;
		return error_set(e, ERR_UNAVAILABLE, NULL, "数据库连接中断，请稍后再试");
	}
	/*
	 * COMMIT of a transaction in which a statement failed "succeeds" with the
	 * tag ROLLBACK: refuse it, or a caller would believe lost data was saved.
	 */
	if (!strcmp(sql, "COMMIT") && PQtransactionStatus(pc->pg) == PQTRANS_INERROR) {
		log_error("postgres: COMMIT refused: a statement in the transaction failed");
		return error_set(e, ERR_INTERNAL, NULL, "操作失败，数据未保存");
	}
	res = PQexec(pc->pg, sql);
	st = PQresultStatus(res);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		if (!label) {
			script_label(first, sizeof(first), sql);
			label = first;
		}
		rc = pg_fail(pc, label, res, e);
	}
	PQclear(res);
	return rc;
}

/*
 * Group commit.  A write transaction commits with synchronous_commit off,
 * so the advisory lock that serializes writers is released as soon as the
 * commit record is in the WAL, not after its fsync; then, outside the
 * lock, a transaction of its own makes the write durable before the
 * caller hears of success: a transactional logical message gives it a
 * transaction id and a WAL record, so its COMMIT waits for the flush of
 * the WAL up to its own record, which comes after ours.  Writers waiting for the
 * flush share one fsync.  With the fsync inside the lock every write waited
 * for the one before it to reach the disk: 113 reports/s against 461
 * single-row INSERTs (docs/benchmarks.md).  A failed flush reports the
 * write as failed: it may or may not have reached the disk, and was not
 * acknowledged.
 */
static int pg_commit(struct store_conn *c, struct error *e)
{
	struct pg_conn *pc = (struct pg_conn *)c;
	int rc = pg_exec_labelled(c, "commit", "COMMIT", e);

	if (rc == 0 && pc->writing)
		rc = pg_exec_labelled(
		    c, "flush",
		    "BEGIN; SELECT pg_logical_emit_message(true, 'wenming', 'flush');"
		    " COMMIT",
		    e);
	pc->writing = 0;
	return rc;
}

static int pg_exec_script(struct store_conn *c, const char *sql, struct error *e)
{
	return pg_exec_labelled(c, NULL, sql, e);
}

/*
 * Switch the session's plan_cache_mode for the next statements, outside a
 * transaction only: a SET inside one would be undone by its ROLLBACK.
 */
static int pg_plan_mode(struct pg_conn *pc, int generic, struct error *e)
{
	int rc = pg_exec_labelled(
	    &pc->base, "plan mode",
	    generic ? "SET plan_cache_mode = force_generic_plan" : "RESET plan_cache_mode", e);

	if (rc == 0)
		pc->plan_generic = generic;
	return rc;
}

static int pg_begin(struct store_conn *c, int write, struct error *e)
{
	struct pg_conn *pc = (struct pg_conn *)c;
	char sql[200];
	int rc;

	if (write)
		snprintf(sql, sizeof(sql),
		         "BEGIN; SET LOCAL lock_timeout = %d; SET LOCAL synchronous_commit = off;"
		         " SELECT pg_advisory_xact_lock(%" PRId64 ")",
		         c->store->opts.busy_timeout_ms > 0 ? c->store->opts.busy_timeout_ms : 1,
		         WRITE_LOCK_KEY);
	else
		snprintf(sql, sizeof(sql), "BEGIN ISOLATION LEVEL REPEATABLE READ");
	/*
	 * Transactions run with the plans the server chooses.  The RESET goes on
	 * its own: sent with the BEGIN it would join the transaction and be
	 * undone by its ROLLBACK.
	 */
	if (pc->plan_generic && (rc = pg_plan_mode(pc, 0, e)) != 0)
		return rc;
	rc = pg_exec_labelled(c, write ? "begin write" : "begin read", sql, e);
	pc->writing = write && rc == 0;
	if (rc != 0 && PQtransactionStatus(pc->pg) != PQTRANS_IDLE &&
	    PQstatus(pc->pg) == CONNECTION_OK) {
		/* BEGIN ran but the lock wait timed out: leave no transaction behind. */
		PGresult *res = PQexec(pc->pg, "ROLLBACK");

		if (PQresultStatus(res) != PGRES_COMMAND_OK)
			c->broken = 1;
		PQclear(res);
	}
	return rc;
}

/* ---- queries ------------------------------------------------------- */

/*
 * Parameters for PQexecPrepared.  Text values are copied so each ends in a
 * NUL (sv_textn need not); one block holds everything and dies with the call.
 */
struct pg_params {
	const char **values;
	int *lengths;
	int *formats;
	char *block;
};

static int params_build(struct pg_params *p, const struct store_sql *q,
                        const struct store_val *args, int nargs, struct error *e)
{
	size_t need = 0, off;
	char *scratch;
	int i;

	memset(p, 0, sizeof(*p));
	if (nargs <= 0)
		return 0;
	if (nargs > 65535) {
		log_error("postgres: %s: %d parameters", q->name, nargs);
		return error_set(e, ERR_INTERNAL, NULL, NULL);
	}
	for (i = 0; i < nargs; i++) {
		if (args[i].type == SV_TEXT) {
			if (memchr(args[i].s, '\0', args[i].len)) {
				log_error("postgres: %s: parameter %d holds a NUL byte", q->name,
				          i + 1);
				return error_set(e, ERR_INVALID, NULL, "文本中含有不允许的字符");
			}
			need += args[i].len + 1;
		} else if (args[i].type == SV_BLOB) {
			if (args[i].len > INT_MAX)
				return error_set(e, ERR_TOO_LARGE, NULL, NULL);
		} else if (args[i].type == SV_IDS || args[i].type == SV_PREFIX) {
			need += store_val_text_max(&args[i]);
		} else {
			need += 32;
		}
	}
	off = (size_t)nargs * (sizeof(char *) + 2 * sizeof(int));
	p->block = xmalloc(off + need);
	p->values = (const char **)(void *)p->block;
	p->lengths = (int *)(void *)(p->block + (size_t)nargs * sizeof(char *));
	p->formats = p->lengths + nargs;
	scratch = p->block + off;
	for (i = 0; i < nargs; i++) {
		const struct store_val *v = &args[i];

		p->lengths[i] = 0;
		p->formats[i] = 0;
		switch (v->type) {
		case SV_NULL:
			p->values[i] = NULL;
			break;
		case SV_INT:
			p->values[i] = scratch;
			scratch += snprintf(scratch, 32, "%" PRId64, v->i) + 1;
			break;
		case SV_DOUBLE:
			p->values[i] = scratch;
			if (isnan(v->d))
				scratch += snprintf(scratch, 32, "NaN") + 1;
			else if (isinf(v->d))
				scratch +=
				    snprintf(scratch, 32, v->d > 0 ? "Infinity" : "-Infinity") + 1;
			else
				scratch += snprintf(scratch, 32, "%.17g", v->d) + 1;
			break;
		case SV_TEXT:
			memcpy(scratch, v->s, v->len);
			scratch[v->len] = '\0';
			p->values[i] = scratch;
			scratch += v->len + 1;
			break;
		case SV_BLOB:
			p->values[i] = v->s;
			p->lengths[i] = (int)v->len;
			p->formats[i] = 1; /* binary bytea: the raw bytes */
			break;
		case SV_IDS:
		case SV_PREFIX:
			p->values[i] = scratch;
			scratch += store_val_text(v, scratch) + 1;
			break;
		}
	}
	return 0;
}

/* Count rows only for statements that change them, as sqlite3_changes does. */
static void note_changes(struct pg_conn *pc, PGresult *res)
{
	const char *tag = PQcmdStatus(res);

	if (!strncmp(tag, "INSERT", 6) || !strncmp(tag, "UPDATE", 6) ||
	    !strncmp(tag, "DELETE", 6) || !strncmp(tag, "MERGE", 5))
		pc->changes = strtoll(PQcmdTuples(res), NULL, 10);
}

/* A cursor over res, which it now owns. */
static struct store_rows *rows_new(struct store_conn *c, PGresult *res)
{
	struct pg_rows *r = xcalloc(1, sizeof(*r));

	r->base.m = &store_pg_methods;
	r->base.conn = c;
	r->res = res;
	r->row = -1;
	r->nrows = PQntuples(res);
	r->ncols = PQnfields(res);
	return &r->base;
}

static int pg_query(struct store_conn *c, const struct store_sql *q, const struct store_val *args,
                    int nargs, struct store_rows **out, struct error *e)
{
	struct pg_conn *pc = (struct pg_conn *)c;
	struct pg_params p;
	struct pg_stmt *st;
	PGresult *res = NULL;
	ExecStatusType status;
	int rc, attempt;

	*out = NULL;
	if (PQstatus(pc->pg) != CONNECTION_OK) {
		c->broken = 1;
		return error_set(e, ERR_UNAVAILABLE, NULL, "数据库连接中断，请稍后再试");
	}
	rc = params_build(&p, q, args, nargs, e);
	if (rc != 0)
		return rc;
	if (!c->in_tx && pc->plan_generic != !!(q->flags & STORE_GENERIC_PLAN)) {
		rc = pg_plan_mode(pc, !!(q->flags & STORE_GENERIC_PLAN), e);
		if (rc != 0)
			goto out;
	}
	for (attempt = 0;; attempt++) {
		const char *state;

		st = stmt_slot(pc, q);
		if (!st->name[0]) {
			rc = stmt_prepare(pc, q, st, e);
			if (rc != 0)
				goto out;
		}
		res = PQexecPrepared(pc->pg, st->name, nargs, p.values, p.lengths, p.formats, 0);
		status = PQresultStatus(res);
		if (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK)
			break;
		/*
		 * The prepared statement vanished (DISCARD ALL) or its plan can no
		 * longer return the same columns (a restore changed the table): both
		 * fail before the statement runs, so prepare afresh and, outside a
		 * transaction (which is now aborted), try once more.
		 */
		state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
		if (state && (!strcmp(state, "26000") || !strcmp(state, "0A000"))) {
			st->name[0] = '\0';
			if (attempt == 0 && !c->in_tx) {
				log_warn("postgres: %s: re-preparing (SQLSTATE %s)", q->name,
				         state);
				PQclear(res);
				res = NULL;
				continue;
			}
		}
		rc = pg_fail(pc, q->name, res, e);
		goto out;
	}
	note_changes(pc, res);
	*out = rows_new(c, res);
	res = NULL;
out:
	PQclear(res);
	free(p.block);
	return rc;
}

/*
 * A batch in one round trip: every statement is sent in pipeline mode, then
 * one Sync, then the results are read in order.  Anything unusual (a
 * statement to prepare again, no pipeline) is left to store.c, which runs
 * the batch one statement at a time through pg_query.
 */
static int pg_query_batch(struct store_conn *c, struct store_batch *b, int n, struct error *e)
{
	struct pg_conn *pc = (struct pg_conn *)c;
	PGresult *res[STORE_BATCH_MAX] = {0};
	int i, sent = 0, synced = 0, guard, idx = 0, rc = 0, generic = 1;

	if (PQstatus(pc->pg) != CONNECTION_OK)
		return STORE_BATCH_ONE_BY_ONE;
	for (i = 0; i < n; i++) {
		struct pg_stmt *st = stmt_slot(pc, b[i].q);

		if (!st->name[0] && (rc = stmt_prepare(pc, b[i].q, st, e)) != 0)
			return rc;
		generic = generic && (b[i].q->flags & STORE_GENERIC_PLAN);
	}
	if (!c->in_tx && pc->plan_generic != generic && (rc = pg_plan_mode(pc, generic, e)) != 0)
		return rc;
	if (!PQenterPipelineMode(pc->pg))
		return STORE_BATCH_ONE_BY_ONE;
	for (i = 0; i < n; i++) {
		struct pg_params p;
		int ok;

		if ((rc = params_build(&p, b[i].q, b[i].args, b[i].nargs, e)) != 0)
			break;
		ok = PQsendQueryPrepared(pc->pg, stmt_slot(pc, b[i].q)->name, b[i].nargs, p.values,
		                         p.lengths, p.formats, 0);
		free(p.block);
		if (!ok)
			break;
		sent++;
	}
	if (PQpipelineSync(pc->pg)) {
		/* each statement's result, then NULL; after the last, the Sync's result */
		for (guard = 0; guard < 4 * (n + 2); guard++) {
			PGresult *x = PQgetResult(pc->pg);

			if (!x) {
				if (idx < sent && res[idx])
					idx++;
				if (PQstatus(pc->pg) != CONNECTION_OK)
					break;
				continue;
			}
			if (PQresultStatus(x) == PGRES_PIPELINE_SYNC) {
				PQclear(x);
				synced = 1;
				break;
			}
			if (idx < sent && !res[idx])
				res[idx] = x;
			else
				PQclear(x);
		}
	}
	if (!synced || !PQexitPipelineMode(pc->pg)) {
		log_error("postgres: a batch of %d statements did not finish: %s", n,
		          PQerrorMessage(pc->pg));
		c->broken = 1;
		rc = error_set(e, ERR_UNAVAILABLE, NULL, "数据库连接中断，请稍后再试");
	}
	for (i = 0; rc == 0 && i < n; i++) {
		const char *state;

		if (i >= sent || !res[i]) {
			rc = pg_fail(pc, b[i].q->name, NULL, e);
			break;
		}
		if (PQresultStatus(res[i]) == PGRES_TUPLES_OK)
			continue;
		if (PQresultStatus(res[i]) == PGRES_PIPELINE_ABORTED)
			continue; /* an earlier statement failed; that one is reported */
		state = PQresultErrorField(res[i], PG_DIAG_SQLSTATE);
		if (state && (!strcmp(state, "26000") || !strcmp(state, "0A000"))) {
			/* as in pg_query: prepare afresh, one by one, outside a transaction */
			stmt_slot(pc, b[i].q)->name[0] = '\0';
			if (!c->in_tx) {
				rc = STORE_BATCH_ONE_BY_ONE;
				break;
			}
		}
		rc = pg_fail(pc, b[i].q->name, res[i], e);
	}
	for (i = 0; i < n; i++) {
		if (rc == 0) {
			b[i].rows = rows_new(c, res[i]);
		} else {
			PQclear(res[i]);
		}
	}
	return rc;
}

static void rows_free_blobs(struct pg_rows *r)
{
	int i;

	if (!r->blobs)
		return;
	for (i = 0; i < r->ncols; i++) {
		if (r->blobs[i]) {
			PQfreemem(r->blobs[i]);
			r->blobs[i] = NULL;
		}
	}
}

static int pg_next(struct store_rows *rows)
{
	struct pg_rows *r = (struct pg_rows *)rows;

	rows_free_blobs(r);
	if (r->row < r->nrows)
		r->row++;
	return r->row < r->nrows;
}

static int pg_ncols(struct store_rows *rows)
{
	return ((struct pg_rows *)rows)->ncols;
}

static const char *pg_colname(struct store_rows *rows, int col)
{
	struct pg_rows *r = (struct pg_rows *)rows;

	return col >= 0 && col < r->ncols ? PQfname(r->res, col) : NULL;
}

/* The text of a cell of the current row, NULL for SQL NULL or out of range. */
static const char *cell(struct pg_rows *r, int col)
{
	if (r->row < 0 || r->row >= r->nrows || col < 0 || col >= r->ncols)
		return NULL;
	if (PQgetisnull(r->res, r->row, col))
		return NULL;
	return PQgetvalue(r->res, r->row, col);
}

static int pg_isnull(struct store_rows *rows, int col)
{
	return cell((struct pg_rows *)rows, col) == NULL;
}

static int64_t pg_col_int(struct store_rows *rows, int col)
{
	const char *v = cell((struct pg_rows *)rows, col);

	if (!v)
		return 0;
	/* Comparisons and EXISTS come back as boolean t/f. */
	if (v[0] == 't' && !v[1])
		return 1;
	if (v[0] == 'f' && !v[1])
		return 0;
	return strtoll(v, NULL, 10);
}

static double pg_col_double(struct store_rows *rows, int col)
{
	const char *v = cell((struct pg_rows *)rows, col);

	return v ? strtod(v, NULL) : 0.0;
}

static const char *pg_col_text(struct store_rows *rows, int col)
{
	return cell((struct pg_rows *)rows, col);
}

static const void *pg_col_blob(struct store_rows *rows, int col, size_t *len)
{
	struct pg_rows *r = (struct pg_rows *)rows;
	const char *v = cell(r, col);

	*len = 0;
	if (!v)
		return NULL;
	if (PQftype(r->res, col) != BYTEA_OID) {
		*len = (size_t)PQgetlength(r->res, r->row, col);
		return v;
	}
	if (!r->blobs) {
		r->blobs = xcalloc((size_t)r->ncols, sizeof(*r->blobs));
		r->bloblen = xcalloc((size_t)r->ncols, sizeof(*r->bloblen));
	}
	if (!r->blobs[col]) {
		r->blobs[col] = PQunescapeBytea((const unsigned char *)v, &r->bloblen[col]);
		if (!r->blobs[col]) {
			fprintf(stderr, "wenming: out of memory decoding bytea\n");
			abort();
		}
	}
	*len = r->bloblen[col];
	return r->blobs[col];
}

static void pg_finish(struct store_rows *rows)
{
	struct pg_rows *r = (struct pg_rows *)rows;

	rows_free_blobs(r);
	free(r->blobs);
	free(r->bloblen);
	PQclear(r->res);
	free(r);
}

static int64_t pg_changes(struct store_conn *c)
{
	return ((struct pg_conn *)c)->changes;
}

/* ---- migrations ---------------------------------------------------- */

/* Two servers starting at once: the second waits here, then finds nothing to do. */
static int pg_migrate_lock(struct store_conn *c, struct error *e)
{
	char sql[64];

	snprintf(sql, sizeof(sql), "SELECT pg_advisory_lock(%" PRId64 ")", MIGRATE_LOCK_KEY);
	return pg_exec_labelled(c, "migrate lock", sql, e);
}

static void pg_migrate_unlock(struct store_conn *c)
{
	char sql[64];

	snprintf(sql, sizeof(sql), "SELECT pg_advisory_unlock(%" PRId64 ")", MIGRATE_LOCK_KEY);
	if (pg_exec_labelled(c, "migrate unlock", sql, NULL) != 0)
		c->broken = 1; /* closing the session frees the lock */
}

const struct store_methods store_pg_methods = {
    .name = "postgres",
    .conn_open = pg_conn_open,
    .conn_close = pg_conn_close,
    .conn_check = pg_conn_check,
    .exec_script = pg_exec_script,
    .commit = pg_commit,
    .begin = pg_begin,
    .query = pg_query,
    .query_batch = pg_query_batch,
    .next = pg_next,
    .ncols = pg_ncols,
    .colname = pg_colname,
    .isnull = pg_isnull,
    .col_int = pg_col_int,
    .col_double = pg_col_double,
    .col_text = pg_col_text,
    .col_blob = pg_col_blob,
    .finish = pg_finish,
    .changes = pg_changes,
    .migrate_lock = pg_migrate_lock,
    .migrate_unlock = pg_migrate_unlock,
    .backup = store_pg_backup,
    .restore = store_pg_restore,
    .migrations = store_pg_migrations,
};

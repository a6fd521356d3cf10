/*
 * insert.c - the limit for writes: the server's problem INSERT
 * (q_problem_insert in src/problem/problem_db.c, the same 18 columns),
 * one row per autocommit transaction, for a while, on one connection.
 *
 *   insert sqlite:PATH|postgres://... SECONDS
 *
 * SQLite gets the server's pragmas (src/store/store_sqlite.c: WAL,
 * synchronous=NORMAL, foreign keys on, temp_store=MEMORY, 16 MB cache,
 * 5 s busy timeout); PostgreSQL a prepared statement through libpq with
 * the server's defaults.  Prints one JSON line: rows per second and the
 * 50th and 99th percentile latency in microseconds.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <inttypes.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define INSERT_SQL                                                                                 \
	"INSERT INTO problems (tenant_id, code, category_id, point_id, grid_id, lat, lng,"         \
	" address, description, severity, source, status, reporter_id, suggested_unit_id,"         \
	" suggested_hours, recurrence_of, created_at, updated_at)"                                 \
	" VALUES (%s) RETURNING id"

static int64_t now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000000 + t.tv_nsec / 1000;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

static void die(const char *what, const char *msg)
{
	fprintf(stderr, "insert: %s: %s\n", what, msg);
	exit(1);
}

/* A category, point and grid that exist, so the row is one the server could have written. */
struct refs {
	char category[24], point[24], grid[24], unit[24];
};

int main(int argc, char **argv)
{
	static const char *const refs_sql =
	    "SELECT p.category_id, p.point_id, p.grid_id, p.suggested_unit_id FROM problems p"
	    " WHERE p.point_id IS NOT NULL AND p.suggested_unit_id IS NOT NULL"
	    " AND p.grid_id IS NOT NULL ORDER BY p.id DESC LIMIT 1";
	const char *url = argc == 3 ? argv[1] : NULL;
	double seconds = argc == 3 ? atof(argv[2]) : 0;
	int64_t *lat, t0, end, n = 0, cap = 1 << 20;
	struct refs ref;
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	PGconn *pg = NULL;
	char sql[1024];

	if (!url || seconds <= 0) {
		fprintf(stderr, "usage: insert sqlite:PATH|postgres://... SECONDS\n");
		return 2;
	}
	lat = malloc((size_t)cap * sizeof(*lat));
	if (!strncmp(url, "sqlite:", 7)) {
		char *err = NULL;

		if (sqlite3_open_v2(url + 7, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
			die(url, "cannot open");
		sqlite3_busy_timeout(db, 5000);
		if (sqlite3_exec(db,
		                 "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
		                 " PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;"
		                 " PRAGMA cache_size=-16000;",
		                 NULL, NULL, &err) != SQLITE_OK)
			die("pragmas", err);
		if (sqlite3_prepare_v2(db, refs_sql, -1, &st, NULL) != SQLITE_OK ||
		    sqlite3_step(st) != SQLITE_ROW)
			die("refs", sqlite3_errmsg(db));
		snprintf(ref.category, sizeof(ref.category), "%s", sqlite3_column_text(st, 0));
		snprintf(ref.point, sizeof(ref.point), "%s", sqlite3_column_text(st, 1));
		snprintf(ref.grid, sizeof(ref.grid), "%s", sqlite3_column_text(st, 2));
		snprintf(ref.unit, sizeof(ref.unit), "%s", sqlite3_column_text(st, 3));
		sqlite3_finalize(st);
		snprintf(sql, sizeof(sql), INSERT_SQL,
		         "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?");
		if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
			die("prepare", sqlite3_errmsg(db));
	} else {
		PGresult *res;

		pg = PQconnectdb(url);
		if (PQstatus(pg) != CONNECTION_OK)
			die(url, PQerrorMessage(pg));
		res = PQexec(pg, refs_sql);
		if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1)
			die("refs", PQerrorMessage(pg));
		snprintf(ref.category, sizeof(ref.category), "%s", PQgetvalue(res, 0, 0));
		snprintf(ref.point, sizeof(ref.point), "%s", PQgetvalue(res, 0, 1));
		snprintf(ref.grid, sizeof(ref.grid), "%s", PQgetvalue(res, 0, 2));
		snprintf(ref.unit, sizeof(ref.unit), "%s", PQgetvalue(res, 0, 3));
		PQclear(res);
		snprintf(sql, sizeof(sql), INSERT_SQL,
		         "$1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,"
		         " $18");
		res = PQprepare(pg, "ins", sql, 18, NULL);
		if (PQresultStatus(res) != PGRES_COMMAND_OK)
			die("prepare", PQerrorMessage(pg));
		PQclear(res);
	}
	t0 = now_us();
	end = t0 + (int64_t)(seconds * 1e6);
	while (now_us() < end) {
		char code[32], created[24];
		int64_t s = now_us(), ms = (int64_t)time(NULL) * 1000;

		snprintf(code, sizeof(code), "9%03d-%09" PRId64, (int)(getpid() % 1000), n);
		snprintf(created, sizeof(created), "%" PRId64, ms);
		if (db) {
			sqlite3_bind_int64(st, 1, 1);
			sqlite3_bind_text(st, 2, code, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 3, ref.category, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 4, ref.point, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 5, ref.grid, -1, SQLITE_STATIC);
			sqlite3_bind_double(st, 6, 30.0);
			sqlite3_bind_double(st, 7, 120.0);
			sqlite3_bind_text(st, 8, "示例县人民路1号", -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 9, "压测：人民路乱停乱放，影响通行", -1, SQLITE_STATIC);
			sqlite3_bind_int(st, 10, 1);
			sqlite3_bind_text(st, 11, "grid", -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 12, "reported", -1, SQLITE_STATIC);
			sqlite3_bind_null(st, 13);
			sqlite3_bind_text(st, 14, ref.unit, -1, SQLITE_STATIC);
			sqlite3_bind_int(st, 15, 24);
			sqlite3_bind_null(st, 16);
			sqlite3_bind_int64(st, 17, ms);
			sqlite3_bind_int64(st, 18, ms);
			if (sqlite3_step(st) != SQLITE_ROW)
				die("insert", sqlite3_errmsg(db));
			sqlite3_reset(st);
		} else {
			const char *v[18] = {"1",        code,       ref.category, ref.point,
			                     ref.grid,   "30.0",     "120.0",      "示例县人民路1号",
			                     "压测：人民路乱停乱放，影响通行", "1", "grid", "reported",
			                     NULL,       ref.unit,   "24",         NULL,
			                     created,    created};
			PGresult *res = PQexecPrepared(pg, "ins", 18, v, NULL, NULL, 0);

			if (PQresultStatus(res) != PGRES_TUPLES_OK)
				die("insert", PQerrorMessage(pg));
			PQclear(res);
		}
		if (n < cap)
			lat[n] = now_us() - s;
		n++;
	}
	{
		int64_t k = n < cap ? n : cap, elapsed = now_us() - t0;

		qsort(lat, (size_t)k, sizeof(*lat), cmp_i64);
		printf("{\"rate\":%.1f,\"p50_us\":%" PRId64 ",\"p99_us\":%" PRId64 ",\"rows\":%" PRId64
		       "}\n",
		       (double)n * 1e6 / (double)elapsed, k ? lat[k / 2] : 0,
		       k ? lat[k * 99 / 100] : 0, n);
	}
	if (db) {
		sqlite3_finalize(st);
		sqlite3_close(db);
	} else {
		PQfinish(pg);
	}
	free(lat);
	return 0;
}

/*
 * export.c - the limit for the problem export: the raw SELECT of the rows
 * (bench/sql/export.sql, the list's columns and joins) and libxlsxwriter
 * writing the cells the server writes for them (GET /problems/export in
 * src/problem/api_problem_export.c: a title row, a header row, twelve text
 * cells a row, times as "YYYY-MM-DD HH:MM" in the tenant's zone, the
 * workbook in constant_memory mode), without HTTP, scope, auth or audit.
 *
 *   export sqlite:PATH|postgres://... SQLFILE FROM SECONDS
 *
 * SQLFILE's :from is bound to FROM.  Runs the SELECT alone, then SELECT and
 * workbook, each again until SECONDS have passed (at least once).  Prints
 * one JSON line: exports per second of each ("select_rate", "rate") and the
 * rows and bytes of one export.
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
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <xlsxwriter.h>

#define NCOLS      18  /* columns of export.sql */
#define TZ_MINUTES 480 /* the bench tenant's zone, Asia/Shanghai */

static int64_t now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000000 + t.tv_nsec / 1000;
}

static void die(const char *what, const char *msg)
{
	fprintf(stderr, "export: %s: %s\n", what, msg);
	exit(1);
}

/* The file without its comment lines, :from as $1 for PostgreSQL. */
static char *read_sql(const char *path, int pg)
{
	FILE *f = fopen(path, "r");
	char line[4096], *out = NULL, *p;
	size_t len = 0;
	FILE *m = open_memstream(&out, &len);

	if (!f)
		die(path, "cannot open");
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "--", 2))
			continue;
		if (pg && (p = strstr(line, ":from"))) {
			fwrite(line, 1, (size_t)(p - line), m);
			fprintf(m, "$1%s", p + 5);
		} else {
			fputs(line, m);
		}
	}
	fclose(f);
	fclose(m);
	/* one statement, without its semicolon */
	if ((p = strchr(out, ';')))
		*p = '\0';
	return out;
}

/* "2026-11-22 08:30" of ms in the tenant's zone, "" for 0. */
static const char *minute(char *buf, int64_t ms)
{
	time_t t = (time_t)(ms / 1000) + TZ_MINUTES * 60;
	struct tm tm;

	if (!ms)
		return "";
	gmtime_r(&t, &tm);
	strftime(buf, 20, "%Y-%m-%d %H:%M", &tm);
	return buf;
}

struct sink {
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_row_t row;
	int64_t now_ms;
	int64_t rows;
};

/* The twelve cells of one row, as the server picks them from the columns. */
static void sink_row(struct sink *s, const char *const *v)
{
	char deadline[20], created[20];
	int64_t dl = v[14] && *v[14] ? strtoll(v[14], NULL, 10) : 0;
	int overdue = dl && dl < s->now_ms && !(v[15] && *v[15]);
	const char *cells[12] = {v[1],
	                         v[11],
	                         v[2],
	                         v[13],
	                         v[3],
	                         v[7],
	                         v[8],
	                         minute(deadline, dl),
	                         overdue ? "是" : "否",
	                         v[10],
	                         v[12],
	                         minute(created, strtoll(v[17], NULL, 10))};
	int i;

	s->rows++;
	if (!s->wb)
		return;
	for (i = 0; i < 12; i++)
		worksheet_write_string(s->ws, s->row, (lxw_col_t)i, cells[i] ? cells[i] : "", NULL);
	s->row++;
}

static void sink_open(struct sink *s, const char *path)
{
	static const char *const head[12] = {"问题编号", "状态", "问题分类", "牵头单位",
	                                     "点位",     "地址", "问题描述", "整改期限",
	                                     "是否超期", "来源", "上报人",   "上报时间"};
	lxw_workbook_options opt = {.constant_memory = 1, .tmpdir = "/tmp"};
	int i;

	s->wb = workbook_new_opt(path, &opt);
	if (!s->wb)
		die(path, "workbook_new_opt");
	s->ws = workbook_add_worksheet(s->wb, "问题列表");
	worksheet_write_string(s->ws, 0, 0, "问题列表导出", NULL);
	for (i = 0; i < 12; i++)
		worksheet_write_string(s->ws, 1, (lxw_col_t)i, head[i], NULL);
	s->row = 2;
}

/* One export: the SELECT, and the workbook when path is not NULL; its rows. */
static int64_t run(sqlite3 *db, PGconn *pg, const char *sql, const char *from, const char *path)
{
	struct sink s = {.now_ms = (int64_t)time(NULL) * 1000};
	const char *v[NCOLS];
	int i;

	if (path)
		sink_open(&s, path);
	if (db) {
		sqlite3_stmt *st;

		if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
			die("prepare", sqlite3_errmsg(db));
		sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":from"),
		                   strtoll(from, NULL, 10));
		while (sqlite3_step(st) == SQLITE_ROW) {
			for (i = 0; i < NCOLS; i++)
				v[i] = (const char *)sqlite3_column_text(st, i);
			sink_row(&s, v);
		}
		sqlite3_finalize(st);
	} else {
		PGresult *res = PQexecParams(pg, sql, 1, NULL, &from, NULL, NULL, 0);
		int n, r;

		if (PQresultStatus(res) != PGRES_TUPLES_OK)
			die("select", PQerrorMessage(pg));
		n = PQntuples(res);
		for (r = 0; r < n; r++) {
			for (i = 0; i < NCOLS; i++)
				v[i] = PQgetisnull(res, r, i) ? NULL : PQgetvalue(res, r, i);
			sink_row(&s, v);
		}
		PQclear(res);
	}
	if (s.wb && workbook_close(s.wb) != LXW_NO_ERROR)
		die(path, "workbook_close");
	return s.rows;
}

/* Exports per second of run(path), repeated for seconds (at least once). */
static double rate(sqlite3 *db, PGconn *pg, const char *sql, const char *from, const char *path,
                   double seconds, int64_t *rows)
{
	int64_t t0 = now_us(), n = 0;

	do {
		*rows = run(db, pg, sql, from, path);
		n++;
	} while (now_us() - t0 < (int64_t)(seconds * 1e6));
	return (double)n * 1e6 / (double)(now_us() - t0);
}

int main(int argc, char **argv)
{
	const char *url, *from;
	char path[64];
	double seconds, sel, all;
	sqlite3 *db = NULL;
	PGconn *pg = NULL;
	int64_t rows = 0;
	struct stat stt;
	char *sql;

	if (argc != 5)
		die("usage", "export sqlite:PATH|postgres://... SQLFILE FROM SECONDS");
	url = argv[1];
	from = argv[3];
	seconds = atof(argv[4]);
	sql = read_sql(argv[2], strncmp(url, "sqlite:", 7) != 0);
	if (!strncmp(url, "sqlite:", 7)) {
		/* the server's read-side pragmas (src/store/store_sqlite.c) */
		if (sqlite3_open_v2(url + 7, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
			die(url, sqlite3_errmsg(db));
		sqlite3_exec(db, "PRAGMA cache_size = -16000; PRAGMA temp_store = MEMORY", NULL,
		             NULL, NULL);
	} else {
		pg = PQconnectdb(url);
		if (PQstatus(pg) != CONNECTION_OK)
			die(url, PQerrorMessage(pg));
	}
	snprintf(path, sizeof(path), "/tmp/wenming-bench-export-%d.xlsx", (int)getpid());
	sel = rate(db, pg, sql, from, NULL, seconds, &rows);
	all = rate(db, pg, sql, from, path, seconds, &rows);
	if (stat(path, &stt))
		die(path, "no workbook");
	unlink(path);
	printf("{\"select_rate\":%.3f,\"rate\":%.3f,\"rows\":%" PRId64 ",\"bytes\":%lld}\n", sel,
	       all, rows, (long long)stt.st_size);
	if (db)
		sqlite3_close(db);
	else
		PQfinish(pg);
	free(sql);
	return 0;
}

/*
 * gen.c - the bench tenant: a big city's three years of the closed loop.
 *
 *   gen DB [--problems N] [--password PW] [--seed S] [--out DIR]
 *
 * DB is sqlite:PATH or postgres://...; it must hold a tenant filled by
 * `wenming init` and `wenming demo --empty` (roles, 110 units, the category tree,
 * point types, 9 grids, 300 points).  gen adds units up to 200, users up to
 * 2,000 (every tenant user gets the password PW), points up to 5,000, then
 * N problems (1,000,000 by default) created over the last three years with
 * every transition the state machine of src/problem/problem_fsm.c allows,
 * as timeline events, co-units, before and after photo records (rows only,
 * no image files) and the yearly numbering counters.
 *
 * A problem's status is where its generated history stops: each step
 * happens a random while after the one before, and a step that would
 * happen after "now" does not happen.  So old problems are final (closed,
 * invalid, voided, parked) and recent ones are spread over the loop the way
 * a live system's are, overdue ones included.
 *
 * Loading: SQLite gets prepared statements in one transaction with the
 * journal off; PostgreSQL gets COPY (through temporary files, one table at
 * a time) with foreign-key triggers off (session_replication_role =
 * replica: the rows are consistent by construction).  Secondary indexes of
 * the big tables are dropped first and built again at the end.  DIR (--out)
 * holds the COPY files while PostgreSQL loads.
 *
 * The only program of the project besides src/store/store_*.c that talks to
 * a database directly: bulk loading is the one thing the store interface
 * does not do.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <inttypes.h>
#include <libpq-fe.h>
#include <math.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define HOUR (3600LL * 1000)
#define DAY (24 * HOUR)

/* ---- small things ------------------------------------------------------------ */

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("gen: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (!p)
		die("out of memory");
	return p;
}

static char *xstrdup(const char *s)
{
	char *p = strdup(s ? s : "");

	if (!p)
		die("out of memory");
	return p;
}

/* xoshiro256** seeded by splitmix64: fast, and the same tenant for the same seed. */
static uint64_t rng_s[4];

static uint64_t splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void rng_seed(uint64_t seed)
{
	int i;

	for (i = 0; i < 4; i++)
		rng_s[i] = splitmix(&seed);
}

static uint64_t rng_next(void)
{
	uint64_t *s = rng_s, r = ((s[1] * 5) << 7 | (s[1] * 5) >> 57) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = s[3] << 45 | s[3] >> 19;
	return r;
}

static double rnd(void) /* [0, 1) */
{
	return (double)(rng_next() >> 11) * (1.0 / 9007199254740992.0);
}

static int rnd_int(int n) /* [0, n) */
{
	return (int)(rnd() * n);
}

static int chance(double p)
{
	return rnd() < p;
}

/* A random span of about mean hours (exponential), at least min_h. */
static int64_t span_hours(double mean, double min_h)
{
	double h = -mean * log(1.0 - rnd());

	return (int64_t)((h > min_h ? h : min_h) * HOUR);
}

/*
 * A Zipf-like pick from n things weighted 1/(i+1)^s: a few streets,
 * categories and units get most of the problems, as in a real city.
 */
struct zipf {
	int n;
	double *cum;
};

static void zipf_init(struct zipf *z, int n, double s)
{
	double sum = 0;
	int i;

	z->n = n;
	z->cum = xcalloc((size_t)n, sizeof(double));
	for (i = 0; i < n; i++)
		z->cum[i] = (sum += 1.0 / pow(i + 1, s));
	for (i = 0; i < n; i++)
		z->cum[i] /= sum;
}

static int zipf_pick(const struct zipf *z)
{
	double u = rnd();
	int lo = 0, hi = z->n - 1;

	while (lo < hi) {
		int mid = (lo + hi) / 2;

		if (z->cum[mid] < u)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* ---- the database: queries and bulk rows for both back ends ------------------------ */

enum table {
	T_UNITS,
	T_USERS,
	T_USER_ROLES,
	T_POINTS,
	T_FILES,
	T_PROBLEMS,
	T_PROBLEM_UNITS,
	T_EVENTS,
	T_PHOTOS,
	NTABLES
};

static const struct {
	const char *name, *cols;
	int ncols;
} tables[NTABLES] = {
    [T_UNITS] = {"units",
                 "id, tenant_id, parent_id, name, kind, ancestors, leader, liaison, phone, sort,"
                 " enabled, created_at, updated_at",
                 13},
    [T_USERS] = {"users",
                 "id, tenant_id, username, name, phone, password_hash, is_platform_admin, enabled,"
                 " password_changed_at, created_at, updated_at, unit_id",
                 12},
    [T_USER_ROLES] = {"user_roles", "user_id, role_id", 2},
    [T_POINTS] = {"points",
                  "id, tenant_id, type_id, code, name, lat, lng, address, grid_id, unit_id, person,"
                  " phone, enabled, created_at, updated_at",
                  15},
    [T_FILES] = {"files",
                 "id, tenant_id, user_id, sha256, size, content_type, width, height, orientation,"
                 " captured_at, gps_lat, gps_lng, storage, storage_key, original_name, created_at",
                 16},
    [T_PROBLEMS] = {"problems",
                    "id, tenant_id, code, category_id, point_id, grid_id, lat, lng, address,"
                    " description, severity, source, status, reporter_id, suggested_unit_id,"
                    " suggested_hours, lead_unit_id, deadline, first_assigned_at, assigned_at,"
                    " parked_from, extension_pending, extension_deadline, extension_reason,"
                    " extension_count, rework_count, outcome, closed_at, recurrence_of,"
                    " created_at, updated_at",
                    31},
    [T_PROBLEM_UNITS] = {"problem_units", "problem_id, unit_id", 2},
    [T_EVENTS] = {"problem_events",
                  "id, problem_id, action, from_status, to_status, user_id, unit_id, note, detail,"
                  " at",
                  10},
    [T_PHOTOS] = {"problem_photos", "problem_id, file_id, kind, event_id, sort", 5},
};

/* The tables whose secondary indexes are dropped during the load. */
static const char *const big_tables[] = {"problems", "problem_units", "problem_events",
                                         "problem_photos", "files", NULL};

enum vtype { V_NULL, V_INT, V_DBL, V_TEXT };

struct val {
	enum vtype t;
	int64_t i;
	double d;
	const char *s;
};

struct row {
	int n;
	struct val v[32];
};

static void r_int(struct row *r, int64_t i)
{
	r->v[r->n++] = (struct val){V_INT, i, 0, NULL};
}

static void r_id(struct row *r, int64_t id) /* 0 is NULL */
{
	r->v[r->n++] = id ? (struct val){V_INT, id, 0, NULL} : (struct val){V_NULL, 0, 0, NULL};
}

static void r_dbl(struct row *r, double d)
{
	r->v[r->n++] = (struct val){V_DBL, 0, d, NULL};
}

static void r_text(struct row *r, const char *s) /* NULL is NULL */
{
	r->v[r->n++] = s ? (struct val){V_TEXT, 0, 0, s} : (struct val){V_NULL, 0, 0, NULL};
}

struct db {
	int pg;
	sqlite3 *lite;
	PGconn *conn;
	sqlite3_stmt *ins[NTABLES];
	FILE *copy[NTABLES]; /* PostgreSQL: COPY text of each table, loaded at the end */
	char *copy_path[NTABLES];
	int64_t rows[NTABLES];
};

static void db_exec(struct db *d, const char *sql)
{
	if (d->pg) {
		PGresult *res = PQexec(d->conn, sql);

		if (PQresultStatus(res) != PGRES_COMMAND_OK && PQresultStatus(res) != PGRES_TUPLES_OK)
			die("%s: %s", sql, PQerrorMessage(d->conn));
		PQclear(res);
	} else {
		char *err = NULL;

		if (sqlite3_exec(d->lite, sql, NULL, NULL, &err) != SQLITE_OK)
			die("%s: %s", sql, err);
	}
}

/* Run sql (no parameters) and call fn with each row's columns as text (NULL for NULL). */
static void db_rows(struct db *d, const char *sql, void (*fn)(void *, const char **, int),
                    void *ctx)
{
	const char *cols[32];
	int i, n;

	if (d->pg) {
		PGresult *res = PQexec(d->conn, sql);
		int k;

		if (PQresultStatus(res) != PGRES_TUPLES_OK)
			die("%s: %s", sql, PQerrorMessage(d->conn));
		n = PQnfields(res);
		for (k = 0; k < PQntuples(res); k++) {
			for (i = 0; i < n && i < 32; i++)
				cols[i] = PQgetisnull(res, k, i) ? NULL : PQgetvalue(res, k, i);
			fn(ctx, cols, n);
		}
		PQclear(res);
	} else {
		sqlite3_stmt *st;
		int rc;

		if (sqlite3_prepare_v2(d->lite, sql, -1, &st, NULL) != SQLITE_OK)
			die("%s: %s", sql, sqlite3_errmsg(d->lite));
		n = sqlite3_column_count(st);
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			for (i = 0; i < n && i < 32; i++)
				cols[i] = (const char *)sqlite3_column_text(st, i);
			fn(ctx, cols, n);
		}
		if (rc != SQLITE_DONE)
			die("%s: %s", sql, sqlite3_errmsg(d->lite));
		sqlite3_finalize(st);
	}
}

static void one_int(void *ctx, const char **cols, int n)
{
	*(int64_t *)ctx = cols[0] ? strtoll(cols[0], NULL, 10) : 0;
}

static int64_t db_int(struct db *d, const char *sql)
{
	int64_t v = 0;

	db_rows(d, sql, one_int, &v);
	return v;
}

static void db_open(struct db *d, const char *url, const char *tmpdir)
{
	int t;

	memset(d, 0, sizeof(*d));
	if (!strncmp(url, "sqlite:", 7)) {
		if (sqlite3_open_v2(url + 7, &d->lite, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
			die("cannot open %s", url + 7);
		/* the journal off for the load; WAL again at the end */
		db_exec(d, "PRAGMA journal_mode=DELETE; PRAGMA journal_mode=OFF;"
		           " PRAGMA synchronous=OFF; PRAGMA foreign_keys=OFF;"
		           " PRAGMA cache_size=-524288; PRAGMA temp_store=MEMORY");
		return;
	}
	if (strncmp(url, "postgres://", 11) && strncmp(url, "postgresql://", 13))
		die("DB must be sqlite:PATH or postgres://...");
	d->pg = 1;
	d->conn = PQconnectdb(url);
	if (PQstatus(d->conn) != CONNECTION_OK)
		die("cannot connect: %s", PQerrorMessage(d->conn));
	db_exec(d, "SET session_replication_role = replica; SET synchronous_commit = off;"
	           " SET maintenance_work_mem = '512MB'");
	for (t = 0; t < NTABLES; t++) {
		if (asprintf(&d->copy_path[t], "%s/%s.copy", tmpdir, tables[t].name) < 0)
			die("out of memory");
		if (!(d->copy[t] = fopen(d->copy_path[t], "w")))
			die("%s: %s", d->copy_path[t], strerror(errno));
	}
}

static void copy_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '\\': fputs("\\\\", f); break;
		case '\t': fputs("\\t", f); break;
		case '\n': fputs("\\n", f); break;
		case '\r': fputs("\\r", f); break;
		default: fputc(*s, f);
		}
	}
}

/* One row into table t: bound and stepped (SQLite) or written as COPY text (PostgreSQL). */
static void db_row(struct db *d, enum table t, const struct row *r)
{
	int i;

	if (r->n != tables[t].ncols)
		die("%s: %d values for %d columns", tables[t].name, r->n, tables[t].ncols);
	d->rows[t]++;
	if (d->pg) {
		FILE *f = d->copy[t];

		for (i = 0; i < r->n; i++) {
			const struct val *v = &r->v[i];

			if (i)
				fputc('\t', f);
			switch (v->t) {
			case V_NULL: fputs("\\N", f); break;
			case V_INT: fprintf(f, "%" PRId64, v->i); break;
			case V_DBL: fprintf(f, "%.7f", v->d); break;
			case V_TEXT: copy_text(f, v->s); break;
			}
		}
		fputc('\n', f);
		return;
	}
	if (!d->ins[t]) {
		char sql[1024];
		int k, len = snprintf(sql, sizeof(sql), "INSERT INTO %s (%s) VALUES (?", tables[t].name,
		                      tables[t].cols);

		for (k = 1; k < tables[t].ncols; k++)
			len += snprintf(sql + len, sizeof(sql) - (size_t)len, ", ?");
		snprintf(sql + len, sizeof(sql) - (size_t)len, ")");
		if (sqlite3_prepare_v2(d->lite, sql, -1, &d->ins[t], NULL) != SQLITE_OK)
			die("%s: %s", sql, sqlite3_errmsg(d->lite));
	}
	for (i = 0; i < r->n; i++) {
		const struct val *v = &r->v[i];

		switch (v->t) {
		case V_NULL: sqlite3_bind_null(d->ins[t], i + 1); break;
		case V_INT: sqlite3_bind_int64(d->ins[t], i + 1, v->i); break;
		case V_DBL: sqlite3_bind_double(d->ins[t], i + 1, v->d); break;
		case V_TEXT: sqlite3_bind_text(d->ins[t], i + 1, v->s, -1, SQLITE_STATIC); break;
		}
	}
	if (sqlite3_step(d->ins[t]) != SQLITE_DONE)
		die("insert into %s: %s", tables[t].name, sqlite3_errmsg(d->lite));
	sqlite3_reset(d->ins[t]);
}

/* PostgreSQL: stream each table's COPY text into the server. */
static void db_copy_all(struct db *d)
{
	static char buf[1 << 16];
	int t;

	for (t = 0; t < NTABLES; t++) {
		char sql[1024];
		PGresult *res;
		FILE *f;
		size_t n;

		fclose(d->copy[t]);
		d->copy[t] = NULL;
		if (!d->rows[t])
			goto next;
		snprintf(sql, sizeof(sql), "COPY %s (%s) FROM STDIN", tables[t].name, tables[t].cols);
		res = PQexec(d->conn, sql);
		if (PQresultStatus(res) != PGRES_COPY_IN)
			die("%s: %s", sql, PQerrorMessage(d->conn));
		PQclear(res);
		if (!(f = fopen(d->copy_path[t], "r")))
			die("%s: %s", d->copy_path[t], strerror(errno));
		while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
			if (PQputCopyData(d->conn, buf, (int)n) != 1)
				die("COPY %s: %s", tables[t].name, PQerrorMessage(d->conn));
		fclose(f);
		if (PQputCopyEnd(d->conn, NULL) != 1)
			die("COPY %s: %s", tables[t].name, PQerrorMessage(d->conn));
		res = PQgetResult(d->conn);
		if (PQresultStatus(res) != PGRES_COMMAND_OK)
			die("COPY %s: %s", tables[t].name, PQerrorMessage(d->conn));
		PQclear(res);
		fprintf(stderr, "gen: copied %" PRId64 " rows into %s\n", d->rows[t], tables[t].name);
	next:
		unlink(d->copy_path[t]);
	}
}

/* ---- index handling around the load ---------------------------------------------- */

struct strlist {
	int n, cap;
	char **s;
};

static void strlist_add(struct strlist *l, const char *s)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->s = realloc(l->s, (size_t)l->cap * sizeof(char *));
		if (!l->s)
			die("out of memory");
	}
	l->s[l->n++] = xstrdup(s);
}

static void add_two(void *ctx, const char **cols, int n)
{
	struct strlist *l = ctx;

	strlist_add(&l[0], cols[0]);
	strlist_add(&l[1], cols[1]);
}

/* Drop the secondary indexes of the big tables; their CREATE statements go to create. */
static void indexes_drop(struct db *d, struct strlist *create)
{
	struct strlist two[2] = {{0}};
	char sql[512];
	int t, i;

	for (t = 0; big_tables[t]; t++) {
		if (d->pg)
			snprintf(sql, sizeof(sql),
			         "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = '%s'"
			         " AND i.schemaname = current_schema() AND NOT EXISTS (SELECT 1 FROM"
			         " pg_constraint c WHERE c.conname = i.indexname)",
			         big_tables[t]);
		else
			snprintf(sql, sizeof(sql),
			         "SELECT name, sql FROM sqlite_master WHERE type = 'index'"
			         " AND tbl_name = '%s' AND sql IS NOT NULL",
			         big_tables[t]);
		db_rows(d, sql, add_two, two);
	}
	for (i = 0; i < two[0].n; i++) {
		snprintf(sql, sizeof(sql), "DROP INDEX %s", two[0].s[i]);
		db_exec(d, sql);
		strlist_add(create, two[1].s[i]);
	}
}

/* ---- what the tenant already has ------------------------------------------------------ */

struct unit {
	int64_t id, parent;
	char *name, *kind, *ancestors;
	int64_t users[8]; /* some of its users, to act for it */
	int nusers;
	int64_t admin; /* a unit_admin user, 0: none */
};

struct category {
	int64_t id, parent, unit;
	int hours, severity, leaf;
	char *name;
};

struct point {
	int64_t id, type, grid, unit;
	double lat, lng;
	char *name, *address;
};

struct grid {
	int64_t id, unit;
	double min_lat, max_lat, min_lng, max_lng;
};

struct gen {
	struct db db;
	int64_t tenant, now, start, next_unit, next_user, next_point, next_file, next_event;
	const char *hash;
	struct unit *units;
	int nunits, capunits;
	struct category *cats;
	int ncats;
	struct point *points;
	int npoints, cappoints;
	struct grid *grids;
	int ngrids;
	int64_t role[8]; /* by enum role */
	int64_t *by_role[8];
	int nby_role[8];
	int64_t office_unit, root_unit;
	int person_seq;
};

enum role { R_OFFICE, R_LEADER, R_INSPECTOR, R_UNIT_ADMIN, R_UNIT_STAFF, R_GRID, R_VOLUNTEER, NROLES };
static const char *const role_keys[NROLES] = {"office",     "leader",      "inspector", "unit_admin",
                                             "unit_staff", "grid_worker", "volunteer"};

static struct unit *unit_find(struct gen *g, int64_t id)
{
	int i;

	for (i = 0; i < g->nunits; i++)
		if (g->units[i].id == id)
			return &g->units[i];
	return NULL;
}

/* A new zeroed unit at the end of g->units (which may move). */
static struct unit *unit_push(struct gen *g)
{
	struct unit *u;

	if (g->nunits == g->capunits) {
		g->capunits = g->capunits ? g->capunits * 2 : 256;
		g->units = realloc(g->units, (size_t)g->capunits * sizeof(*u));
		if (!g->units)
			die("out of memory");
	}
	u = &g->units[g->nunits++];
	memset(u, 0, sizeof(*u));
	return u;
}

static void load_unit(void *ctx, const char **c, int n)
{
	struct gen *g = ctx;
	struct unit *u = unit_push(g);

	u->id = strtoll(c[0], NULL, 10);
	u->parent = c[1] ? strtoll(c[1], NULL, 10) : 0;
	u->name = xstrdup(c[2]);
	u->kind = xstrdup(c[3]);
	u->ancestors = xstrdup(c[4]);
	if (!strcmp(u->kind, "office"))
		g->office_unit = u->id;
	if (!strcmp(u->kind, "command"))
		g->root_unit = u->id;
}

static void load_category(void *ctx, const char **c, int n)
{
	struct gen *g = ctx;
	struct category *k = &g->cats[g->ncats++];

	k->id = strtoll(c[0], NULL, 10);
	k->parent = c[1] ? strtoll(c[1], NULL, 10) : 0;
	k->unit = c[2] ? strtoll(c[2], NULL, 10) : 0;
	k->hours = atoi(c[3]);
	k->severity = atoi(c[4]);
	k->name = xstrdup(c[5]);
	k->leaf = 1;
}

static void point_push(struct gen *g, const struct point *p)
{
	if (g->npoints == g->cappoints) {
		g->cappoints = g->cappoints ? g->cappoints * 2 : 1024;
		g->points = realloc(g->points, (size_t)g->cappoints * sizeof(*p));
		if (!g->points)
			die("out of memory");
	}
	g->points[g->npoints++] = *p;
}

static void load_point(void *ctx, const char **c, int n)
{
	struct point p;

	p.id = strtoll(c[0], NULL, 10);
	p.type = strtoll(c[1], NULL, 10);
	p.grid = c[2] ? strtoll(c[2], NULL, 10) : 0;
	p.unit = c[3] ? strtoll(c[3], NULL, 10) : 0;
	p.lat = c[4] ? atof(c[4]) : 30.0;
	p.lng = c[5] ? atof(c[5]) : 120.0;
	p.name = xstrdup(c[6]);
	p.address = xstrdup(c[7]);
	point_push(ctx, &p);
}

static void load_grid(void *ctx, const char **c, int n)
{
	struct gen *g = ctx;
	struct grid *x = &g->grids[g->ngrids++];

	x->id = strtoll(c[0], NULL, 10);
	x->unit = c[1] ? strtoll(c[1], NULL, 10) : 0;
	x->min_lat = atof(c[2]);
	x->max_lat = atof(c[3]);
	x->min_lng = atof(c[4]);
	x->max_lng = atof(c[5]);
}

static void role_user_add(struct gen *g, int role, int64_t user)
{
	g->by_role[role] = realloc(g->by_role[role], (size_t)(g->nby_role[role] + 1) * sizeof(int64_t));
	if (!g->by_role[role])
		die("out of memory");
	g->by_role[role][g->nby_role[role]++] = user;
}

static void unit_user_add(struct gen *g, int64_t unit, int role, int64_t user)
{
	struct unit *u = unit_find(g, unit);

	if (!u)
		return;
	if (u->nusers < 8)
		u->users[u->nusers++] = user;
	if (role == R_UNIT_ADMIN && !u->admin)
		u->admin = user;
}

static void load_user(void *ctx, const char **c, int n)
{
	struct gen *g = ctx;
	int64_t id = strtoll(c[0], NULL, 10), unit = c[1] ? strtoll(c[1], NULL, 10) : 0;
	int r;

	for (r = 0; r < NROLES; r++)
		if (c[2] && !strcmp(c[2], role_keys[r])) {
			role_user_add(g, r, id);
			unit_user_add(g, unit, r, id);
		}
}

static void load_role(void *ctx, const char **c, int n)
{
	struct gen *g = ctx;
	int r;

	for (r = 0; r < NROLES; r++)
		if (!strcmp(c[1], role_keys[r]))
			g->role[r] = strtoll(c[0], NULL, 10);
}

static void load_tenant(struct gen *g)
{
	struct db *d = &g->db;
	char sql[512];
	int i, j;

	g->tenant = db_int(d, "SELECT MIN(id) FROM tenants");
	if (!g->tenant)
		die("no tenant: run wenming init and wenming demo first");
	if (db_int(d, "SELECT COUNT(*) FROM problems"))
		die("the database already has problems: generate into a fresh demo database");
#define Q(...) (snprintf(sql, sizeof(sql), __VA_ARGS__), sql)
	db_rows(d, Q("SELECT id, parent_id, name, kind, ancestors FROM units WHERE tenant_id = %" PRId64
	             " ORDER BY id", g->tenant),
	        load_unit, g);
	if (g->nunits < 50 || !g->office_unit || !g->root_unit)
		die("the tenant has no demo county: run wenming demo first");
	g->cats = xcalloc(256, sizeof(*g->cats));
	db_rows(d, Q("SELECT id, parent_id, default_unit_id, default_deadline_hours, severity, name"
	             " FROM problem_categories WHERE tenant_id = %" PRId64 " AND enabled = 1"
	             " ORDER BY id LIMIT 256", g->tenant),
	        load_category, g);
	for (i = 0; i < g->ncats; i++) /* inherit unit and deadline; mark parents */
		for (j = 0; j < g->ncats; j++)
			if (g->cats[j].id == g->cats[i].parent) {
				g->cats[j].leaf = 0;
				if (!g->cats[i].unit)
					g->cats[i].unit = g->cats[j].unit;
				if (!g->cats[i].hours)
					g->cats[i].hours = g->cats[j].hours;
			}
	db_rows(d, Q("SELECT id, type_id, grid_id, unit_id, lat, lng, name, address FROM points"
	             " WHERE tenant_id = %" PRId64 " ORDER BY id", g->tenant),
	        load_point, g);
	g->grids = xcalloc(1024, sizeof(*g->grids));
	db_rows(d, Q("SELECT id, unit_id, min_lat, max_lat, min_lng, max_lng FROM grids"
	             " WHERE tenant_id = %" PRId64 " ORDER BY id LIMIT 1024", g->tenant),
	        load_grid, g);
	db_rows(d, Q("SELECT id, key FROM roles WHERE tenant_id = %" PRId64, g->tenant), load_role, g);
	db_rows(d, Q("SELECT u.id, u.unit_id, r.key FROM users u JOIN user_roles ur ON ur.user_id = u.id"
	             " JOIN roles r ON r.id = ur.role_id WHERE u.tenant_id = %" PRId64 " ORDER BY u.id",
	             g->tenant),
	        load_user, g);
#undef Q
	if (!g->ncats || !g->npoints || !g->ngrids || !g->nby_role[R_OFFICE])
		die("the demo county is incomplete (categories, points, grids, office users)");
	g->next_unit = db_int(d, "SELECT COALESCE(MAX(id), 0) + 1 FROM units");
	g->next_user = db_int(d, "SELECT COALESCE(MAX(id), 0) + 1 FROM users");
	g->next_point = db_int(d, "SELECT COALESCE(MAX(id), 0) + 1 FROM points");
	g->next_file = db_int(d, "SELECT COALESCE(MAX(id), 0) + 1 FROM files");
	g->next_event = db_int(d, "SELECT COALESCE(MAX(id), 0) + 1 FROM problem_events");
}

/* ---- people, units, points ------------------------------------------------------------ */

static const char *const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴",
                                       "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马", "罗",
                                       "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "萧"};
static const char *const given[] = {"建国", "秀兰", "志明", "丽华", "国强", "海霞", "晓峰",
                                    "春燕", "文杰", "玉梅", "振华", "慧玲", "立军", "桂英",
                                    "俊峰", "静雯", "永刚", "雪琴", "宏亮", "佳怡", "明远",
                                    "淑华", "子轩", "红梅", "德华", "雨萱", "思源", "欣怡"};
#define NELEMS(a) ((int)(sizeof(a) / sizeof((a)[0])))

static void person(struct gen *g, char *name, size_t nsize, char *phone, size_t psize)
{
	int i = g->person_seq++;

	snprintf(name, nsize, "%s%s", surnames[rnd_int(NELEMS(surnames))], given[rnd_int(NELEMS(given))]);
	snprintf(phone, psize, "1%d%d%08d", 3 + i % 6, rnd_int(10), (int)(rng_next() % 100000000));
}

static int64_t add_unit(struct gen *g, int64_t parent_id, const char *name, const char *kind,
                        int sort)
{
	struct row r = {0};
	char leader[32], liaison[32], phone[16], path[256];
	int64_t id = g->next_unit++;
	struct unit *u;

	person(g, leader, sizeof(leader), phone, sizeof(phone));
	person(g, liaison, sizeof(liaison), phone, sizeof(phone));
	snprintf(path, sizeof(path), "%s%" PRId64 "/", unit_find(g, parent_id)->ancestors, id);
	r_int(&r, id);
	r_int(&r, g->tenant);
	r_int(&r, parent_id);
	r_text(&r, name);
	r_text(&r, kind);
	r_text(&r, path);
	r_text(&r, leader);
	r_text(&r, liaison);
	r_text(&r, phone);
	r_int(&r, sort);
	r_int(&r, 1);
	r_int(&r, g->start);
	r_int(&r, g->start);
	db_row(&g->db, T_UNITS, &r);
	u = unit_push(g);
	u->id = id;
	u->parent = parent_id;
	u->name = xstrdup(name);
	u->kind = xstrdup(kind);
	u->ancestors = xstrdup(path);
	return id;
}

static const char *const village_words[] = {
    "青山", "绿水", "红星", "向阳", "永安", "太平", "富民", "新风", "东升", "西湖", "南屏", "北辰",
    "金湾", "银河", "龙泉", "凤凰", "梧桐", "芙蓉", "海棠", "牡丹", "月湖", "星河", "晨光", "晓月",
    "福田", "长青", "瑞景", "怡和", "嘉禾", "丰泽", "仁和", "万福", "宝塔", "双桥", "三元", "四方"};
static const char *const enterprise_names[] = {
    "县人民医院", "县中医院", "县第一中学", "县实验小学", "县自来水公司", "县燃气公司",
    "县城投集团", "县农商银行", "县汽车站", "县火车站", "县客运中心", "县城市综合体",
    "县农贸市场管理公司", "县物业协会", "县烟草专卖局", "县电信分公司", "县移动分公司",
    "县联通分公司", "县广电网络公司", "县工业园区管委会", "县文旅集团", "县体育馆",
    "县博物馆", "县妇幼保健院", "县职业中专", "县第二中学", "县中心幼儿园", "县疾控中心",
    "县殡仪馆", "县污水处理厂"};

/* Units up to want: communities and villages under the towns, enterprises under the command. */
static void add_units(struct gen *g, int want)
{
	int64_t towns[64];
	int ntowns = 0, i, k = 0, e = 0;
	char name[64];

	for (i = 0; i < g->nunits && ntowns < 64; i++)
		if (!strcmp(g->units[i].kind, "town"))
			towns[ntowns++] = g->units[i].id;
	if (!ntowns)
		die("the demo county has no towns");
	while (g->nunits < want) {
		if (e < NELEMS(enterprise_names) && g->nunits % 3 == 0) {
			add_unit(g, g->root_unit, enterprise_names[e], "enterprise", 300 + e);
			e++;
		} else {
			int t = k % ntowns; /* the first four towns are urban sub-districts */

			snprintf(name, sizeof(name), "%s%s",
			         village_words[(k / ntowns) % NELEMS(village_words)], t < 4 ? "社区" : "村");
			add_unit(g, towns[t], name, "community", 100 + k);
			k++;
		}
	}
}

static int64_t add_user(struct gen *g, const char *username, int role, int64_t unit)
{
	struct row r = {0}, ur = {0};
	char name[32], phone[16];
	int64_t id = g->next_user++;

	person(g, name, sizeof(name), phone, sizeof(phone));
	r_int(&r, id);
	r_int(&r, g->tenant);
	r_text(&r, username);
	r_text(&r, name);
	r_text(&r, phone);
	r_text(&r, g->hash);
	r_int(&r, 0);
	r_int(&r, 1);
	r_int(&r, g->start);
	r_int(&r, g->start);
	r_int(&r, g->start);
	r_id(&r, unit);
	db_row(&g->db, T_USERS, &r);
	r_int(&ur, id);
	r_int(&ur, g->role[role]);
	db_row(&g->db, T_USER_ROLES, &ur);
	role_user_add(g, role, id);
	unit_user_add(g, unit, role, id);
	return id;
}

/* Users up to want: an admin and staff in every unit, then field and office people. */
static void add_users(struct gen *g, int have, int want)
{
	char username[32];
	int i, n = 0;

	for (i = 0; i < g->nunits && have < want; i++) {
		struct unit *u = &g->units[i];
		int k;

		if (!strcmp(u->kind, "command") || !strcmp(u->kind, "office"))
			continue;
		if (!u->admin) {
			snprintf(username, sizeof(username), "bu%" PRId64 "a", u->id);
			add_user(g, username, R_UNIT_ADMIN, u->id);
			have++;
		}
		for (k = u->nusers; k < 4 && have < want; k++, have++) {
			snprintf(username, sizeof(username), "bu%" PRId64 "s%d", u->id, k);
			add_user(g, username, R_UNIT_STAFF, u->id);
		}
	}
	for (i = 0; i < 30 && have < want; i++, have++) {
		snprintf(username, sizeof(username), "boffice%02d", i + 1);
		add_user(g, username, R_OFFICE, g->office_unit);
	}
	for (i = 0; i < 60 && have < want; i++, have++) {
		snprintf(username, sizeof(username), "binsp%02d", i + 1);
		add_user(g, username, R_INSPECTOR, g->office_unit);
	}
	for (i = 0; i < 10 && have < want; i++, have++) {
		snprintf(username, sizeof(username), "bleader%02d", i + 1);
		add_user(g, username, R_LEADER, g->root_unit);
	}
	/* grid workers in the communities, volunteers for the rest */
	for (i = 0; have < want; i++, have++) {
		struct unit *u = &g->units[(i * 7) % g->nunits];

		if (n < 400 && !strcmp(u->kind, "community")) {
			snprintf(username, sizeof(username), "bgrid%03d", ++n);
			add_user(g, username, R_GRID, u->id);
		} else {
			snprintf(username, sizeof(username), "bvol%04d", i + 1);
			add_user(g, username, R_VOLUNTEER, 0);
		}
	}
}

/* Points up to want, near the demo's: same type and grid, a community's ones spread over communities. */
static void add_points(struct gen *g, int want)
{
	int64_t *communities = xcalloc((size_t)g->nunits, sizeof(int64_t));
	int ncomm = 0, base = g->npoints, i;

	for (i = 0; i < g->nunits; i++)
		if (!strcmp(g->units[i].kind, "community"))
			communities[ncomm++] = g->units[i].id;
	for (i = g->npoints; i < want; i++) {
		struct point t = g->points[rnd_int(base)], p = t;
		struct unit *tu = unit_find(g, t.unit);
		char code[16], name[160], address[160], pname[32], phone[16];
		struct row r = {0};

		p.id = g->next_point++;
		p.lat = t.lat + (rnd() - 0.5) * 0.003;
		p.lng = t.lng + (rnd() - 0.5) * 0.003;
		if (tu && !strcmp(tu->kind, "community") && ncomm)
			p.unit = communities[rnd_int(ncomm)];
		snprintf(code, sizeof(code), "BP%05d", i + 1);
		snprintf(name, sizeof(name), "%s%d", t.name, i / base + 1);
		snprintf(address, sizeof(address), "%s附%d号", t.address, 1 + rnd_int(200));
		p.name = xstrdup(name);
		p.address = xstrdup(address);
		person(g, pname, sizeof(pname), phone, sizeof(phone));
		r_int(&r, p.id);
		r_int(&r, g->tenant);
		r_int(&r, p.type);
		r_text(&r, code);
		r_text(&r, p.name);
		r_dbl(&r, p.lat);
		r_dbl(&r, p.lng);
		r_text(&r, p.address);
		r_id(&r, p.grid);
		r_id(&r, p.unit);
		r_text(&r, pname);
		r_text(&r, phone);
		r_int(&r, 1);
		r_int(&r, g->start);
		r_int(&r, g->start);
		db_row(&g->db, T_POINTS, &r);
		point_push(g, &p);
	}
	free(communities);
}

/* ---- problems ----------------------------------------------------------------------------- */

enum st { S_REPORTED, S_ACCEPTED, S_INVALID, S_ASSIGNED, S_RETURNED, S_RECTIFYING, S_SUBMITTED,
          S_REWORK, S_CLOSED, S_PARKED, S_VOIDED };
static const char *const st_names[] = {"reported",   "accepted",  "invalid", "assigned",
                                       "returned",   "rectifying", "submitted", "rework",
                                       "closed",     "parked",    "voided"};

static const char *const phrases[] = {
    "影响市容，群众反映强烈", "已多次出现，请尽快处理", "测评点位附近，需立即整改",
    "早晚高峰尤为明显", "现场拍照取证", "周边居民投诉", "督查中发现", "夜间巡查发现",
    "位置醒目，影响观感", "存在安全隐患"};

/* Where a problem is while its history is written. */
struct life {
	struct gen *g;
	int64_t id, t, now;
	int status, parked_from, has_parked;
	int64_t lead, deadline, first_assigned, assigned, closed_at, updated;
	int64_t ext_deadline, ext_count, rework;
	int ext_pending;
	const char *outcome;
	const struct category *cat;
	int64_t co[2];
	int nco;
	int64_t reporter;
	double lat, lng;
};

static int64_t pick_user(struct gen *g, int role)
{
	return g->nby_role[role] ? g->by_role[role][rnd_int(g->nby_role[role])] : 0;
}

static int64_t unit_actor(struct gen *g, int64_t unit, int64_t *unit_out)
{
	struct unit *u = unit_find(g, unit);

	*unit_out = unit;
	return u && u->nusers ? u->users[rnd_int(u->nusers)] : 0;
}

static int64_t file_row(struct life *l, int64_t user, int64_t at)
{
	struct gen *g = l->g;
	struct row r = {0};
	char sha[65], key[80], orig[32];
	int64_t id = g->next_file++;
	int i;

	for (i = 0; i < 64; i += 16)
		snprintf(sha + i, 17, "%016" PRIx64, rng_next());
	if (g->db.pg)
		snprintf(key, sizeof(key), "0");
	else
		snprintf(key, sizeof(key), "%.2s/%.2s/%s", sha, sha + 2, sha);
	snprintf(orig, sizeof(orig), "IMG_%04d.jpg", rnd_int(10000));
	r_int(&r, id);
	r_int(&r, g->tenant);
	r_id(&r, user);
	r_text(&r, sha);
	r_int(&r, 200000 + rnd_int(800000));
	r_text(&r, "image/jpeg");
	r_int(&r, 4000);
	r_int(&r, 3000);
	r_int(&r, 1);
	r_int(&r, at - 60000 - rnd_int(600000));
	r_dbl(&r, l->lat + (rnd() - 0.5) * 0.0002);
	r_dbl(&r, l->lng + (rnd() - 0.5) * 0.0002);
	r_text(&r, g->db.pg ? "db" : "fs");
	r_text(&r, key);
	r_text(&r, orig);
	r_int(&r, at);
	db_row(&g->db, T_FILES, &r);
	return id;
}

static void photo_row(struct life *l, int64_t file, const char *kind, int64_t event, int sort)
{
	struct row r = {0};

	r_int(&r, l->id);
	r_int(&r, file);
	r_text(&r, kind);
	r_id(&r, event);
	r_int(&r, sort);
	db_row(&l->g->db, T_PHOTOS, &r);
}

/*
 * The next step of l's history at time at, when that is not after now:
 * writes its event row and moves the status.  Returns the event id, 0 when
 * the step lies in the future (the history stops there).
 */
static int64_t step(struct life *l, int64_t at, const char *action, int to, int64_t user,
                    int64_t unit, const char *note, const char *detail)
{
	struct row r = {0};
	int64_t id;

	if (at > l->now)
		return 0;
	id = l->g->next_event++;
	r_int(&r, id);
	r_int(&r, l->id);
	r_text(&r, action);
	r_text(&r, strcmp(action, "report") ? st_names[l->status] : NULL);
	r_text(&r, st_names[to]);
	r_id(&r, user);
	r_id(&r, unit);
	r_text(&r, note ? note : "");
	r_text(&r, detail);
	r_int(&r, at);
	db_row(&l->g->db, T_EVENTS, &r);
	l->status = to;
	l->updated = l->t = at;
	return id;
}

static int64_t office_step(struct life *l, int64_t at, const char *action, int to, const char *note,
                           const char *detail)
{
	struct gen *g = l->g;

	return step(l, at, action, to, pick_user(g, R_OFFICE), g->office_unit, note, detail);
}

static int64_t unit_step(struct life *l, int64_t at, const char *action, int to, const char *note,
                         const char *detail)
{
	int64_t unit, user = unit_actor(l->g, l->lead, &unit);

	return step(l, at, action, to, user, unit, note, detail);
}

static int64_t random_department(struct gen *g)
{
	for (;;) {
		struct unit *u = &g->units[rnd_int(g->nunits)];

		if (!strcmp(u->kind, "department") || !strcmp(u->kind, "community"))
			return u->id;
	}
}

/* assign to unit at `at` (deadline from the category), with co-units sometimes. */
static int assign(struct life *l, int64_t at, int64_t unit)
{
	struct gen *g = l->g;
	char detail[256];
	int64_t deadline = at + (int64_t)l->cat->hours * HOUR;
	int len, i;

	if (at > l->now)
		return 0;
	l->nco = 0;
	if (chance(0.08)) {
		l->nco = 1 + chance(0.3);
		for (i = 0; i < l->nco; i++)
			do
				l->co[i] = random_department(g);
			while (l->co[i] == unit || (i && l->co[i] == l->co[0]));
	}
	len = snprintf(detail, sizeof(detail),
	               "{\"unit_id\":%" PRId64 ",\"deadline\":%" PRId64 ",\"co_unit_ids\":[", unit,
	               deadline);
	for (i = 0; i < l->nco; i++)
		len += snprintf(detail + len, sizeof(detail) - (size_t)len, "%s%" PRId64, i ? "," : "",
		                l->co[i]);
	snprintf(detail + len, sizeof(detail) - (size_t)len, "]}");
	office_step(l, at, "assign", S_ASSIGNED, "", detail);
	l->lead = unit;
	l->deadline = deadline;
	l->assigned = at;
	if (!l->first_assigned)
		l->first_assigned = at;
	l->ext_pending = 0;
	return 1;
}

/* A submission with its after-photo. */
static int submit(struct life *l, int64_t at)
{
	int64_t ev = unit_step(l, at, "submit", S_SUBMITTED, "已整改完毕，请复核", "{\"photos\":1}");

	if (!ev)
		return 0;
	{
		int64_t unit, user = unit_actor(l->g, l->lead, &unit);

		photo_row(l, file_row(l, user, at), "after", ev, 0);
	}
	return 1;
}

/* An extension request and the office's answer, from *t on; 0 when history stops. */
static int extension(struct life *l, int64_t *t)
{
	int64_t want = l->deadline + 7 * DAY;
	char detail[160];

	*t += span_hours(12, 0.5);
	snprintf(detail, sizeof(detail), "{\"deadline\":%" PRId64 ",\"old_deadline\":%" PRId64 "}",
	         want, l->deadline);
	if (!unit_step(l, *t, "extend", S_RECTIFYING, "需协调施工队伍", detail))
		return 0;
	l->ext_pending = 1;
	l->ext_deadline = want;
	*t += span_hours(12, 0.5);
	if (chance(0.8)) {
		snprintf(detail, sizeof(detail),
		         "{\"approved\":true,\"old_deadline\":%" PRId64 ",\"deadline\":%" PRId64 "}",
		         l->deadline, want);
		if (!office_step(l, *t, "decide-extension", S_RECTIFYING, "", detail))
			return 0;
		l->deadline = want;
		l->ext_count++;
	} else if (!office_step(l, *t, "decide-extension", S_RECTIFYING, "请按期完成",
	                        "{\"approved\":false}")) {
		return 0;
	}
	l->ext_pending = 0;
	return 1;
}

/* The whole history of one problem, from its report at l->t. */
static void live(struct life *l, int64_t suggested)
{
	struct gen *g = l->g;
	int64_t t = l->t, ev;
	char detail[160];

	ev = step(l, t, "report", S_REPORTED, l->reporter, 0, "", NULL);
	if (chance(0.85)) {
		int64_t fid = file_row(l, l->reporter, t);

		photo_row(l, fid, "before", ev, 0);
		if (chance(0.2))
			photo_row(l, file_row(l, l->reporter, t), "before", ev, 1);
	}
	t += span_hours(4, 0.2);
	if (chance(0.04)) {
		office_step(l, t, "invalidate", S_INVALID, "不属于创城问题", NULL);
		return;
	}
	if (!office_step(l, t, "accept", S_ACCEPTED, "", NULL))
		return;
	t += span_hours(6, 0.2);
	if (chance(0.008)) {
		office_step(l, t, "void", S_VOIDED, "重复上报", NULL);
		return;
	}
	if (!assign(l, t, chance(0.9) ? suggested : random_department(g)))
		return;
	if (chance(0.05)) { /* the unit disputes it, the office reassigns */
		t += span_hours(8, 0.5);
		if (!unit_step(l, t, "return", S_RETURNED, "不属于本单位职责", NULL))
			return;
		t += span_hours(12, 0.5);
		if (!assign(l, t, random_department(g)))
			return;
	}
	t += span_hours(5, 0.2);
	if (!unit_step(l, t, "sign", S_RECTIFYING, "", NULL))
		return;
	if (chance(0.004)) /* a unit that never gets to it: overdue for ever */
		return;
	if (chance(0.012)) { /* 挂账: cannot be fixed within the campaign */
		t += span_hours(48, 1);
		if (office_step(l, t, "park", S_PARKED, "需列入明年改造计划", NULL)) {
			l->has_parked = 1;
			l->parked_from = S_RECTIFYING;
		}
		return;
	}
	if (chance(0.06) && !extension(l, &t)) /* 延期 */
		return;
	/* most units finish before the deadline, some well after */
	{
		int64_t left = l->deadline - t;
		double f = chance(0.88) ? 0.15 + 0.8 * rnd() : 1.0 + 2.0 * rnd();

		t += (int64_t)(f * (double)(left > HOUR ? left : HOUR));
	}
	if (!submit(l, t))
		return;
	while (l->rework < 3) {
		t += span_hours(24, 1);
		if (!chance(0.1))
			break;
		if (!office_step(l, t, "verify", S_REWORK, "现场复核仍未整改到位", "{\"passed\":false}"))
			return;
		l->rework++;
		t += span_hours(24, 1);
		if (!submit(l, t))
			return;
	}
	{
		double u = rnd();

		l->outcome = u < 0.94 ? "fixed" : u < 0.97 ? "duplicate" : u < 0.99 ? "not_responsible"
		                                                                     : "parked_closed";
		snprintf(detail, sizeof(detail), "{\"passed\":true,\"outcome\":\"%s\"}", l->outcome);
		if (office_step(l, t, "verify", S_CLOSED, "", detail))
			l->closed_at = t;
		else
			l->outcome = NULL;
	}
}

/* Problems per day over the three years: growing, fewer at weekends. */
static double day_weight(int day, int days, int64_t day_ms)
{
	time_t s = (time_t)(day_ms / 1000);
	struct tm tm;

	gmtime_r(&s, &tm);
	return (0.5 + 1.0 * day / days) * (tm.tm_wday == 0 || tm.tm_wday == 6 ? 0.6 : 1.0);
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

struct last_at_point { /* recurrence (反弹): the last closed problem per point and category */
	int64_t id, closed_at, cat;
};

/* A source by its share of reports, and a reporter of the kind it implies. */
static int pick_source(struct gen *g, int64_t *reporter)
{
	static const double share[] = {0.38, 0.22, 0.15, 0.08, 0.12, 0.03, 0.02};
	double u = rnd(), acc = 0;
	int src;

	for (src = 0; src < NELEMS(share) - 1; src++)
		if (u < (acc += share[src]))
			break;
	switch (src) {
	case 0: *reporter = pick_user(g, R_GRID); break;
	case 1: case 3: *reporter = pick_user(g, R_INSPECTOR); break;
	case 2: *reporter = pick_user(g, R_OFFICE); break;
	case 5: *reporter = pick_user(g, R_LEADER); break;
	default: *reporter = 0; /* citizens and media: no account */
	}
	return src;
}

/* "2026-000123": the next number of the year of at in the tenant's calendar (UTC+8). */
static void problem_code(int64_t at, int64_t *counters, int *years, char *code, size_t size)
{
	time_t local = (time_t)(at / 1000) + 8 * 3600;
	struct tm tm;
	int y, ys;

	gmtime_r(&local, &tm);
	y = tm.tm_year + 1900;
	for (ys = 0; years[ys] && years[ys] != y; ys++)
		;
	years[ys] = y;
	snprintf(code, size, "%d-%06" PRId64, y, ++counters[ys]);
}

/* The problems row of l, its history already lived, and its co-units. */
static void problem_rows(struct gen *g, const struct life *l, const char *code, const char *desc,
                         const struct point *p, int at_point, const char *source,
                         int64_t suggested, int64_t recur, int64_t created)
{
	const struct category *cat = l->cat;
	struct row r = {0};
	int i;

	r_int(&r, l->id);
	r_int(&r, g->tenant);
	r_text(&r, code);
	r_int(&r, cat->id);
	r_id(&r, at_point ? p->id : 0);
	r_id(&r, p->grid);
	r_dbl(&r, l->lat);
	r_dbl(&r, l->lng);
	r_text(&r, p->address);
	r_text(&r, desc);
	r_int(&r, cat->severity >= 1 && cat->severity <= 3 ? cat->severity : 1);
	r_text(&r, source);
	r_text(&r, st_names[l->status]);
	r_id(&r, l->reporter);
	r_id(&r, suggested);
	r_int(&r, cat->hours);
	r_id(&r, l->lead);
	r_id(&r, l->deadline);
	r_id(&r, l->first_assigned);
	r_id(&r, l->assigned);
	r_text(&r, l->has_parked ? st_names[l->parked_from] : NULL);
	r_int(&r, l->ext_pending);
	r_id(&r, l->ext_pending ? l->ext_deadline : 0);
	r_text(&r, l->ext_pending ? "需协调施工队伍" : NULL);
	r_int(&r, l->ext_count);
	r_int(&r, l->rework);
	r_text(&r, l->outcome);
	r_id(&r, l->closed_at);
	r_id(&r, recur);
	r_int(&r, created);
	r_int(&r, l->updated);
	db_row(&g->db, T_PROBLEMS, &r);
	for (i = 0; i < l->nco; i++) {
		struct row cu = {0};

		r_int(&cu, l->id);
		r_int(&cu, l->co[i]);
		db_row(&g->db, T_PROBLEM_UNITS, &cu);
	}
}

/*
 * Problem id reported at `at` in category cat at (or near) point p: its
 * history, its row, its co-units.  lp is the point's last closed problem,
 * for recurrences (the same point and category closed within 30 days).
 */
static void one_problem(struct gen *g, int64_t id, int64_t at, const struct category *cat,
                        struct point *p, struct last_at_point *lp, int64_t *counters, int *years)
{
	static const char *const sources[] = {"grid", "inspection", "supervision", "covert",
	                                      "citizen", "leader", "media"};
	int at_point = chance(0.8), src, i;
	int64_t reporter, suggested, recur = 0;
	char code[40], desc[400];
	struct life l;

	src = pick_source(g, &reporter);
	memset(&l, 0, sizeof(l));
	l.g = g;
	l.id = id;
	l.t = at;
	l.now = g->now;
	l.cat = cat;
	l.reporter = reporter;
	l.lat = p->lat + (rnd() - 0.5) * 0.0004;
	l.lng = p->lng + (rnd() - 0.5) * 0.0004;
	/* master_route: the point's unit, else the grid's, else the category's */
	suggested = p->unit;
	for (i = 0; !suggested && i < g->ngrids; i++)
		if (g->grids[i].id == p->grid)
			suggested = g->grids[i].unit;
	if (!suggested)
		suggested = cat->unit;
	problem_code(at, counters, years, code, sizeof(code));
	snprintf(desc, sizeof(desc), "%s%s，%s", at_point ? p->name : "附近路段", cat->name,
	         phrases[rnd_int(NELEMS(phrases))]);
	live(&l, suggested);
	if (at_point && lp->id && lp->cat == cat->id && lp->closed_at && lp->closed_at <= at &&
	    at - lp->closed_at < 30 * DAY)
		recur = lp->id;
	if (l.status == S_CLOSED && at_point) {
		lp->id = id;
		lp->closed_at = l.closed_at;
		lp->cat = cat->id;
	}
	problem_rows(g, &l, code, desc, p, at_point, sources[src], suggested, recur, at);
}

static void add_problems(struct gen *g, int64_t total, int64_t *counters, int *years)
{
	int days = 3 * 365, day, ncat_leaf = 0, i;
	const struct category **leaves = xcalloc((size_t)g->ncats, sizeof(*leaves));
	struct last_at_point *last = xcalloc((size_t)g->npoints, sizeof(*last));
	struct zipf zp, zc;
	double wsum = 0, carry = 0;
	int64_t id = db_int(&g->db, "SELECT COALESCE(MAX(id), 0) + 1 FROM problems"), made = 0;
	int64_t *times = xcalloc(65536, sizeof(int64_t));
	int *point_order = xcalloc((size_t)g->npoints, sizeof(int));

	for (i = 0; i < g->ncats; i++)
		if (g->cats[i].leaf)
			leaves[ncat_leaf++] = &g->cats[i];
	/* shuffle so the busiest points are not simply the demo's first ones */
	for (i = 0; i < g->npoints; i++)
		point_order[i] = i;
	for (i = g->npoints - 1; i > 0; i--) {
		int j = rnd_int(i + 1), x = point_order[i];

		point_order[i] = point_order[j];
		point_order[j] = x;
	}
	zipf_init(&zp, g->npoints, 0.8);
	zipf_init(&zc, ncat_leaf, 0.9);
	for (day = 0; day < days; day++)
		wsum += day_weight(day, days, g->start + day * DAY);
	for (day = 0; day < days && made < total; day++) {
		int64_t day0 = g->start + day * DAY;
		double want = total * day_weight(day, days, day0) / wsum + carry;
		int n = (int)want, k;

		carry = want - n;
		if (day == days - 1 || made + n > total)
			n = (int)(total - made);
		if (n > 65536)
			die("too many problems per day");
		/* 07:00-21:00 Beijing time mostly: UTC 23:00-13:00 */
		for (k = 0; k < n; k++)
			times[k] = day0 - HOUR + (int64_t)(rnd() * (chance(0.9) ? 14.0 : 24.0) * HOUR);
		qsort(times, (size_t)n, sizeof(int64_t), cmp_i64);
		for (k = 0; k < n; k++, made++, id++) {
			const struct category *cat = leaves[zipf_pick(&zc)];
			struct point *p = &g->points[point_order[zipf_pick(&zp)]];

			one_problem(g, id, times[k] <= g->now ? times[k] : g->now - 1000, cat, p,
			            &last[p - g->points], counters, years);
			if (made % 100000 == 0 && made)
				fprintf(stderr, "gen: %" PRId64 " problems\n", made);
		}
	}
	free(times);
	free(point_order);
	free(leaves);
	free(last);
	free(zp.cum);
	free(zc.cum);
}

/* ---- main ------------------------------------------------------------------------------------ */

static void counters_write(struct gen *g, const int64_t *counters, const int *years)
{
	char sql[256];
	int i;

	for (i = 0; years[i]; i++) {
		snprintf(sql, sizeof(sql),
		         "INSERT INTO problem_counters (tenant_id, year, last_no) VALUES (%" PRId64
		         ", %d, %" PRId64 ")",
		         g->tenant, years[i], counters[i]);
		db_exec(&g->db, sql);
	}
}

static void usage(void)
{
	fprintf(stderr, "usage: gen sqlite:PATH|postgres://... [--problems N] [--password PW]"
	                " [--seed S] [--out DIR]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *url = NULL, *password = NULL, *out = ".";
	int64_t problems = 1000000, counters[16] = {0};
	uint64_t seed = 20260101;
	int years[16] = {0}, i, users_before;
	char hash[crypto_pwhash_STRBYTES], sql[512];
	struct strlist create = {0};
	struct gen g;
	struct timespec t0, t1;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--problems") && i + 1 < argc)
			problems = strtoll(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--password") && i + 1 < argc)
			password = argv[++i];
		else if (!strcmp(argv[i], "--seed") && i + 1 < argc)
			seed = strtoull(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--out") && i + 1 < argc)
			out = argv[++i];
		else if (argv[i][0] != '-' && !url)
			url = argv[i];
		else
			usage();
	}
	if (!url || !password || problems < 1 || problems > 100000000)
		usage();
	if (sodium_init() < 0)
		die("libsodium failed to start");
	/* the server's own Argon2id parameters (src/auth/password.c), one hash for every account */
	if (crypto_pwhash_str(hash, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                      crypto_pwhash_MEMLIMIT_INTERACTIVE))
		die("hashing the password failed");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rng_seed(seed);
	memset(&g, 0, sizeof(g));
	g.hash = hash;
	g.now = (int64_t)time(NULL) * 1000;
	g.start = g.now - 3 * 365 * DAY;
	db_open(&g.db, url, out);
	db_exec(&g.db, "BEGIN");
	load_tenant(&g);
	indexes_drop(&g.db, &create);
	users_before = (int)db_int(&g.db, "SELECT COUNT(*) FROM users WHERE is_platform_admin = 0");
	add_units(&g, 200);
	add_users(&g, users_before, 2000);
	add_points(&g, 5000);
	add_problems(&g, problems, counters, years);
	if (g.db.pg)
		db_copy_all(&g.db);
	counters_write(&g, counters, years);
	/* every account of the tenant shares the bench password */
	snprintf(sql, sizeof(sql), "UPDATE users SET password_hash = '%s' WHERE tenant_id = %" PRId64,
	         hash, g.tenant);
	db_exec(&g.db, sql);
	fprintf(stderr, "gen: building %d indexes\n", create.n);
	for (i = 0; i < create.n; i++)
		db_exec(&g.db, create.s[i]);
	if (g.db.pg) {
		static const char *const seqs[] = {"units", "users", "points", "files", "problems",
		                                   "problem_events", NULL};

		for (i = 0; seqs[i]; i++) {
			snprintf(sql, sizeof(sql),
			         "SELECT setval(pg_get_serial_sequence('%s', 'id'), (SELECT MAX(id) FROM %s))",
			         seqs[i], seqs[i]);
			db_exec(&g.db, sql);
		}
	}
	db_exec(&g.db, "COMMIT");
	if (g.db.pg) {
		db_exec(&g.db, "VACUUM ANALYZE"); /* what autovacuum leaves: statistics and the visibility map */
		PQfinish(g.db.conn);
	} else {
		for (i = 0; i < NTABLES; i++)
			sqlite3_finalize(g.db.ins[i]);
		db_exec(&g.db, "PRAGMA journal_mode=WAL");
		sqlite3_close(g.db.lite);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	fprintf(stderr,
	        "gen: %d units, %d users, %d points, %" PRId64 " problems, %" PRId64
	        " events, %" PRId64 " photo records in %.1f s\n",
	        g.nunits, users_before + (int)g.db.rows[T_USERS], g.npoints, g.db.rows[T_PROBLEMS],
	        g.db.rows[T_EVENTS], g.db.rows[T_FILES],
	        (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	return 0;
}

/*
 * test_store.c - one conformance suite for both storage back ends.
 *
 * The same test functions run against SQLite (a fresh file under /tmp) and
 * PostgreSQL (the database named by WENMING_TEST_PG, which is WIPED: every
 * table in its public schema is dropped).  A test that passes on one back end
 * and fails on the other is a dialect leak in the store, not in a domain.
 * Start a throwaway server with
 *   WENMING_TEST_PG=$(scripts/pgtmp.sh start /tmp/wm-pg) ./test_store
 * and set WENMING_TEST_VERBOSE=1 to see the store's own log lines.
 *
 * Only store.h is used, plus store_pg_placeholders() from store_int.h.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/log.h"
#include "store/store.h"

char *store_pg_placeholders(const char *sql); /* store_int.h */

struct fixture {
	const char *label; /* "sqlite" or "postgres" */
	char url[1024];
	char file[128]; /* SQLite file, "" for PostgreSQL */
	char backup[256];
	struct store *s;
};

static struct fixture fx;

/* ---- schema used by the tests -------------------------------------- */

STORE_SQL2(q_create_items,
           "CREATE TABLE t_items (id INTEGER PRIMARY KEY, name TEXT UNIQUE, note TEXT,"
           " n BIGINT, x REAL, data BLOB)",
           "CREATE TABLE t_items (id BIGSERIAL PRIMARY KEY, name TEXT UNIQUE, note TEXT,"
           " n BIGINT, x DOUBLE PRECISION, data BYTEA)");
STORE_SQL(q_create_counter, "CREATE TABLE t_counter (k INTEGER PRIMARY KEY, v BIGINT NOT NULL)");
STORE_SQL(q_drop_schema, "DROP SCHEMA IF EXISTS public CASCADE");
STORE_SQL(q_create_schema, "CREATE SCHEMA public");
STORE_SQL(q_clear_items, "DELETE FROM t_items");
STORE_SQL(q_clear_counter, "DELETE FROM t_counter");

STORE_SQL(q_insert, "INSERT INTO t_items (name, note, n, x, data) VALUES (?, ?, ?, ?, ?)"
                    " RETURNING id");
STORE_SQL(q_insert_name, "INSERT INTO t_items (name) VALUES (?)");
STORE_SQL(q_get, "SELECT name, note, n, x, data FROM t_items WHERE id = ?");
STORE_SQL(q_count, "SELECT COUNT(*) FROM t_items");
STORE_SQL(q_count_name, "SELECT COUNT(*) FROM t_items WHERE name = ?");
STORE_SQL(q_count_null_note, "SELECT COUNT(*) FROM t_items WHERE note IS NULL");
STORE_SQL(q_find_n, "SELECT id FROM t_items WHERE n = ?");
STORE_SQL(q_all, "SELECT id, name, note, n, x, data FROM t_items ORDER BY id");
STORE_SQL(q_set_n, "UPDATE t_items SET n = ? WHERE n = ?");
STORE_SQL(q_delete_n, "DELETE FROM t_items WHERE n = ?");
STORE_SQL(q_rename, "UPDATE t_items SET name = ? WHERE id = ?");
STORE_SQL(q_delete_id, "DELETE FROM t_items WHERE id = ?");
STORE_SQL(q_count_in_ids, "SELECT COUNT(*) FROM t_items WHERE n IN_IDS(?)");
STORE_SQL(q_count_in_ids_or,
          "SELECT COUNT(*) FROM t_items WHERE (? = 1 OR n IN_IDS(?) OR name LIKE ?)");
STORE_SQL(q_count_in_texts, "SELECT COUNT(*) FROM t_items WHERE name IN_TEXTS(?)");
STORE_SQL(q_count_in_texts_or,
          "SELECT COUNT(*) FROM t_items WHERE (? = '' OR name IN_TEXTS(?)) AND n > ?");
/* SQLite has no plan_cache_mode: its texts answer what PostgreSQL should. */
STORE_SQL2(q_plan_mode, "SELECT 'auto'", "SELECT current_setting('plan_cache_mode')");
STORE_SQL2_FLAGS(q_plan_mode_generic, "SELECT 'force_generic_plan'",
                 "SELECT current_setting('plan_cache_mode')", STORE_GENERIC_PLAN);
STORE_SQL(q_names, "SELECT name FROM t_items WHERE n >= ? ORDER BY name");
STORE_SQL(q_cast_int, "SELECT CAST(? AS INTEGER)");
STORE_SQL(q_missing_table, "SELECT x FROM t_no_such_table");
STORE_SQL(q_blob_twice, "SELECT data, data FROM t_items WHERE id = ?");
STORE_SQL(q_counter_init, "INSERT INTO t_counter (k, v) VALUES (1, 0)");
STORE_SQL(q_counter_get, "SELECT v FROM t_counter WHERE k = 1");
STORE_SQL(q_counter_set, "UPDATE t_counter SET v = ? WHERE k = 1");
STORE_SQL2(q_schema_columns,
           "SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p"
           " WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite%' ORDER BY m.name, p.cid",
           "SELECT table_name, column_name FROM information_schema.columns"
           " WHERE table_schema = 'public' ORDER BY table_name, ordinal_position");
STORE_SQL2(q_schema_indexes,
           "SELECT tbl_name, name FROM sqlite_master WHERE type = 'index'"
           " AND name NOT LIKE 'sqlite%' ORDER BY tbl_name, name",
           "SELECT tablename, indexname FROM pg_indexes WHERE schemaname = 'public'"
           " AND indexname NOT IN (SELECT conname FROM pg_constraint)"
           " ORDER BY tablename, indexname");

/* ---- helpers ------------------------------------------------------- */

static struct store_conn *acquire(void)
{
	struct error e;
	struct store_conn *c;

	error_init(&e);
	c = store_acquire(fx.s, &e);
	if (!c)
		fail_msg("store_acquire on %s: %s", fx.label, e.message);
	return c;
}

static void exec_ok(struct store_conn *c, const struct store_sql *q, const struct store_val *args,
                    int nargs, int64_t *changes)
{
	struct error e;
	int rc;

	error_init(&e);
	rc = store_exec(c, q, args, nargs, changes, &e);
	if (rc != 0)
		fail_msg("%s on %s: %d %s", q->name, fx.label, rc, e.message);
}

static int64_t query_int(struct store_conn *c, const struct store_sql *q,
                         const struct store_val *args, int nargs)
{
	struct error e;
	int64_t v = -12345;
	int rc;

	error_init(&e);
	rc = store_query_int(c, q, args, nargs, &v, &e);
	if (rc != 0)
		fail_msg("%s on %s: %d %s", q->name, fx.label, rc, e.message);
	return v;
}

static int64_t count_items(struct store_conn *c)
{
	return query_int(c, &q_count, NULL, 0);
}

static int64_t insert_item(struct store_conn *c, const char *name, const char *note, int64_t n,
                           double x, const void *data, size_t len)
{
	struct store_val a[5] = {sv_text(name), sv_text(note), sv_int(n), sv_double(x),
	                         sv_blob(data, len)};

	return query_int(c, &q_insert, a, 5);
}

static int64_t insert_name(struct store_conn *c, const char *name)
{
	struct store_val a[5] = {sv_text(name), sv_null(), sv_null(), sv_null(), sv_null()};

	return query_int(c, &q_insert, a, 5);
}

/* The whole of t_items as text, blobs in hex, NULL as \N: for comparing. */
static char *snapshot(struct store_conn *c)
{
	struct store_rows *r;
	struct error e;
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);
	int rc, col;

	error_init(&e);
	assert_non_null(f);
	rc = store_query(c, &q_all, NULL, 0, &r, &e);
	if (rc != 0)
		fail_msg("snapshot on %s: %s", fx.label, e.message);
	while ((rc = store_next(r)) > 0) {
		fprintf(f, "%lld", (long long)store_int(r, 0));
		for (col = 1; col <= 2; col++)
			fprintf(f, "|%s", store_isnull(r, col) ? "\\N" : store_text(r, col));
		if (store_isnull(r, 3))
			fprintf(f, "|\\N");
		else
			fprintf(f, "|%lld", (long long)store_int(r, 3));
		if (store_isnull(r, 4))
			fprintf(f, "|\\N");
		else
			fprintf(f, "|%.17g", store_double(r, 4));
		if (store_isnull(r, 5)) {
			fprintf(f, "|\\N");
		} else {
			size_t len, i;
			const unsigned char *p = store_blob(r, 5, &len);

			fprintf(f, "|x");
			for (i = 0; i < len; i++)
				fprintf(f, "%02x", p[i]);
		}
		fputc('\n', f);
	}
	store_finish(r);
	assert_int_equal(rc, 0);
	fclose(f);
	return buf;
}

/* ---- group set-up -------------------------------------------------- */

static int open_store(struct store **s, int pool_size)
{
	struct store_opts o;
	struct error e;

	store_opts_init(&o);
	o.pool_size = pool_size;
	error_init(&e);
	if (store_open(fx.url, &o, s, &e) != 0) {
		fprintf(stderr, "cannot open %s test database: %s\n", fx.label, e.message);
		return -1;
	}
	return 0;
}

/* A failed assertion leaks the test's connection: keep a few spare. */
static int open_fixture(void)
{
	return open_store(&fx.s, 8);
}

static int create_tables(void)
{
	struct store_conn *c;
	struct error e;
	int rc;

	error_init(&e);
	c = store_acquire(fx.s, &e);
	if (!c)
		return -1;
	rc = store_exec(c, &q_create_items, NULL, 0, NULL, &e);
	if (rc == 0)
		rc = store_exec(c, &q_create_counter, NULL, 0, NULL, &e);
	store_release(c);
	if (rc != 0)
		fprintf(stderr, "cannot create test tables on %s: %s\n", fx.label, e.message);
	return rc;
}

static void remove_sqlite_files(const char *path)
{
	char p[300];

	unlink(path);
	snprintf(p, sizeof(p), "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", path);
	unlink(p);
}

static int sqlite_group_setup(void **state)
{
	int fd;

	(void)state;
	memset(&fx, 0, sizeof(fx));
	fx.label = "sqlite";
	snprintf(fx.file, sizeof(fx.file), "/tmp/wenming-test-store-XXXXXX");
	fd = mkstemp(fx.file);
	if (fd < 0)
		return -1;
	close(fd);
	unlink(fx.file); /* let SQLite create it: an empty file is a valid, empty database */
	snprintf(fx.url, sizeof(fx.url), "sqlite:%s", fx.file);
	snprintf(fx.backup, sizeof(fx.backup), "%s.backup", fx.file);
	if (open_fixture() != 0)
		return -1;
	return create_tables();
}

static int pg_group_setup(void **state)
{
	struct store_conn *c;
	struct error e;
	int rc;

	(void)state;
	memset(&fx, 0, sizeof(fx));
	fx.label = "postgres";
	snprintf(fx.url, sizeof(fx.url), "%s", getenv("WENMING_TEST_PG"));
	snprintf(fx.backup, sizeof(fx.backup), "/tmp/wenming-test-store-%d.pgdump", (int)getpid());
	if (open_fixture() != 0)
		return -1;
	/* Start from an empty database so the migration test sees version 0. */
	error_init(&e);
	c = store_acquire(fx.s, &e);
	if (!c)
		return -1;
	rc = store_exec(c, &q_drop_schema, NULL, 0, NULL, &e);
	if (rc == 0)
		rc = store_exec(c, &q_create_schema, NULL, 0, NULL, &e);
	store_release(c);
	if (rc != 0) {
		fprintf(stderr, "cannot reset the postgres test database: %s\n", e.message);
		return -1;
	}
	/* Pooled connections cached plans for the old tables: start afresh. */
	store_close(fx.s);
	fx.s = NULL;
	if (open_fixture() != 0)
		return -1;
	return create_tables();
}

/* Leave the shared test database empty for whatever runs next (the API suite). */
static void pg_wipe(void)
{
	struct store_conn *c;
	struct error e;

	error_init(&e);
	c = store_acquire(fx.s, &e);
	if (!c)
		return;
	if (store_exec(c, &q_drop_schema, NULL, 0, NULL, &e) == 0)
		store_exec(c, &q_create_schema, NULL, 0, NULL, &e);
	store_release(c);
}

static int group_teardown(void **state)
{
	(void)state;
	if (fx.s && store_kind(fx.s) == STORE_POSTGRES)
		pg_wipe();
	store_close(fx.s);
	fx.s = NULL;
	if (fx.file[0])
		remove_sqlite_files(fx.file);
	remove_sqlite_files(fx.backup); /* a SQLite backup opened read-only keeps -wal/-shm */
	return 0;
}

/* Every test starts with empty test tables. */
static int clear_tables(void **state)
{
	struct store_conn *c = acquire();

	(void)state;
	exec_ok(c, &q_clear_items, NULL, 0, NULL);
	exec_ok(c, &q_clear_counter, NULL, 0, NULL);
	store_release(c);
	return 0;
}

/* ---- the tests ----------------------------------------------------- */

static void test_open_ping(void **state)
{
	struct store_conn *c;
	struct error e;

	(void)state;
	assert_string_equal(store_kind_name(fx.s), fx.label);
	assert_int_equal(store_kind(fx.s), fx.file[0] ? STORE_SQLITE : STORE_POSTGRES);
	c = acquire();
	error_init(&e);
	assert_int_equal(store_ping(c, &e), 0);
	assert_ptr_equal(store_conn_store(c), fx.s);
	assert_int_equal(store_in_transaction(c), 0);
	store_release(c);
}

static void test_open_unreachable(void **state)
{
	struct store *s = NULL;
	struct error e;
	const char *url = fx.file[0] ? "sqlite:/nonexistent-dir/wenming/x.db"
	                             : "postgres://postgres@127.0.0.1:1/wenming";
	int rc;

	(void)state;
	error_init(&e);
	rc = store_open(url, NULL, &s, &e);
	assert_int_equal(rc, ERR_UNAVAILABLE);
	assert_null(s);
	/* A message for people: no library text, no host or path. */
	assert_true(e.message[0] != '\0');
	assert_null(strstr(e.message, "127.0.0.1"));
	assert_null(strstr(e.message, "nonexistent"));
}

static void test_migrate(void **state)
{
	struct error e;
	int version = -1, applied = -1, v2 = -1;

	(void)state;
	error_init(&e);
	assert_int_equal(store_schema_version(fx.s, &version, &e), 0);
	assert_int_equal(version, 0);
	assert_int_equal(store_migrate(fx.s, &applied, &e), 0);
	assert_true(applied > 0);
	assert_int_equal(store_schema_version(fx.s, &version, &e), 0);
	assert_true(version >= applied);
	/* Second run: nothing to do, same version. */
	assert_int_equal(store_migrate(fx.s, &applied, &e), 0);
	assert_int_equal(applied, 0);
	assert_int_equal(store_schema_version(fx.s, &v2, &e), 0);
	assert_int_equal(v2, version);
}

/* Tables, columns and named indexes the migrations made, test tables left out. */
static char *schema_outline(struct store_conn *c, const struct store_sql *q)
{
	struct store_rows *r;
	struct error e;
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);
	int rc;

	error_init(&e);
	assert_non_null(f);
	if (store_query(c, q, NULL, 0, &r, &e) != 0)
		fail_msg("%s on %s: %s", q->name, fx.label, e.message);
	while ((rc = store_next(r)) > 0)
		if (strncmp(store_text(r, 0), "t_", 2))
			fprintf(f, "%s.%s\n", store_text(r, 0), store_text(r, 1));
	store_finish(r);
	fclose(f);
	assert_int_equal(rc, 0);
	return buf;
}

/*
 * migrations/pg/NNNN_*.sql must stay the twin of migrations/sqlite/: the
 * first back end to run records its schema outline, the second must match.
 */
static char *first_outline;
static const char *first_outline_from;

static void test_schema_twins(void **state)
{
	struct store_conn *c = acquire();
	char *cols = schema_outline(c, &q_schema_columns);
	char *idx = schema_outline(c, &q_schema_indexes);
	char *outline = NULL;

	(void)state;
	store_release(c);
	assert_non_null(strstr(cols, "schema_migrations.version\n"));
	assert_int_not_equal(asprintf(&outline, "columns:\n%sindexes:\n%s", cols, idx), -1);
	free(cols);
	free(idx);
	if (!first_outline) {
		first_outline = outline;
		first_outline_from = fx.label;
		return;
	}
	if (strcmp(first_outline, outline)) {
		fprintf(stderr, "schema on %s:\n%s\nschema on %s:\n%s\n", first_outline_from,
		        first_outline, fx.label, outline);
		free(outline);
		fail_msg("the %s and %s migrations build different schemas", first_outline_from,
		         fx.label);
	}
	free(outline);
}

static void test_insert_returning(void **state)
{
	struct store_conn *c = acquire();
	struct store_rows *r;
	struct error e;
	int64_t id1, id2;

	(void)state;
	id1 = insert_name(c, "first");
	id2 = insert_name(c, "second");
	assert_true(id1 > 0);
	assert_true(id2 > id1);
	error_init(&e);
	{
		struct store_val a[1] = {sv_int(id2)};

		assert_int_equal(store_query(c, &q_get, a, 1, &r, &e), 0);
	}
	assert_int_equal(store_ncols(r), 5);
	assert_string_equal(store_colname(r, 0), "name");
	assert_string_equal(store_colname(r, 4), "data");
	assert_int_equal(store_next(r), 1);
	assert_string_equal(store_text(r, 0), "second");
	assert_int_equal(store_next(r), 0);
	assert_int_equal(store_next(r), 0); /* stays at the end */
	store_finish(r);
	store_release(c);
}

static void check_text_roundtrip(struct store_conn *c, const char *name, size_t len)
{
	struct store_val a[5] = {sv_textn(name, len), sv_textn(name, len), sv_null(), sv_null(),
	                         sv_null()};
	struct store_val key = sv_int(query_int(c, &q_insert, a, 5));
	struct store_rows *r;
	struct error e;

	error_init(&e);
	assert_int_equal(store_query(c, &q_get, &key, 1, &r, &e), 0);
	assert_int_equal(store_next(r), 1);
	assert_int_equal(strlen(store_text(r, 0)), len);
	assert_memory_equal(store_text(r, 0), name, len);
	assert_memory_equal(store_text(r, 1), name, len);
	store_finish(r);
	/* The same value as a WHERE parameter finds exactly that row. */
	assert_int_equal(query_int(c, &q_count_name, a, 1), 1);
}

static void test_text_binding(void **state)
{
	static const char *values[] = {
	    "全国文明城市创建工作测试 · 测评点位「人民广场」",
	    "𠀀𪚥 emoji 😀 and Ünïcödé",
	    "it's a \"quote\"",
	    "? ?? $1 $2 :name @p",
	    "x' OR '1'='1",
	    "-- not a comment",
	    "/* not a comment */ ?",
	    "'); DROP TABLE t_items; --",
	    "back\\slash E'\\'' $$dollar$$",
	    "",
	};
	static const char longer[] = "前缀ABC后缀";
	struct store_conn *c = acquire();
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++)
		check_text_roundtrip(c, values[i], strlen(values[i]));
	/* sv_textn: a slice of a longer string, not NUL-terminated at len. */
	check_text_roundtrip(c, longer + 6, 3);
	/* Nothing was pasted into SQL: the table and all its rows are still there. */
	assert_int_equal(count_items(c), (int64_t)(sizeof(values) / sizeof(values[0]) + 1));
	store_release(c);
}

static void test_null(void **state)
{
	struct store_conn *c = acquire();
	struct store_val a[5] = {sv_text("with nulls"), sv_text(NULL), sv_null(), sv_null(),
	                         sv_blob(NULL, 0)};
	struct store_val key;
	struct store_rows *r;
	struct error e;
	int col;

	(void)state;
	assert_int_equal(a[1].type, SV_NULL);
	key = sv_int(query_int(c, &q_insert, a, 5));
	error_init(&e);
	assert_int_equal(store_query(c, &q_get, &key, 1, &r, &e), 0);
	assert_int_equal(store_next(r), 1);
	assert_int_equal(store_isnull(r, 0), 0);
	for (col = 1; col <= 4; col++) {
		size_t len = 99;

		assert_int_equal(store_isnull(r, col), 1);
		assert_null(store_text(r, col));
		assert_int_equal(store_int(r, col), 0);
		assert_null(store_blob(r, col, &len));
		assert_int_equal(len, 0);
	}
	store_finish(r);
	assert_int_equal(query_int(c, &q_count_null_note, NULL, 0), 1);
	insert_item(c, "not null", "", 0, 0, "", 0);
	assert_int_equal(query_int(c, &q_count_null_note, NULL, 0), 1); /* '' is not NULL */
	store_release(c);
}

static void test_int64_extremes(void **state)
{
	static const int64_t values[] = {
	    INT64_MIN, INT64_MIN + 1, -1, 0, 1, INT64_C(9007199254740993), INT64_MAX};
	struct store_conn *c = acquire();
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		char name[32];
		struct store_val key = sv_int(values[i]);
		struct store_rows *r;
		struct error e;
		int64_t id;

		snprintf(name, sizeof(name), "int%zu", i);
		id = insert_item(c, name, NULL, values[i], 0, NULL, 0);
		assert_int_equal(query_int(c, &q_find_n, &key, 1), id);
		key = sv_int(id);
		error_init(&e);
		assert_int_equal(store_query(c, &q_get, &key, 1, &r, &e), 0);
		assert_int_equal(store_next(r), 1);
		assert_true(store_int(r, 2) == values[i]);
		store_finish(r);
	}
	store_release(c);
}

static void test_double(void **state)
{
	static const double values[] = {3.141592653589793, -0.5, 1e300,         -1e-300,
	                                1.0 / 3,           0.1,  123456789.125, 0};
	struct store_conn *c = acquire();
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		char name[32];
		struct store_val key;
		struct store_rows *r;
		struct error e;

		snprintf(name, sizeof(name), "dbl%zu", i);
		key = sv_int(insert_item(c, name, NULL, 0, values[i], NULL, 0));
		error_init(&e);
		assert_int_equal(store_query(c, &q_get, &key, 1, &r, &e), 0);
		assert_int_equal(store_next(r), 1);
		if (store_double(r, 3) != values[i])
			fail_msg("%s: double %.17g came back as %.17g", fx.label, values[i],
			         store_double(r, 3));
		store_finish(r);
	}
	store_release(c);
}

static void test_blob(void **state)
{
	unsigned char data[600];
	struct store_conn *c = acquire();
	struct store_val key;
	struct store_rows *r;
	struct error e;
	const void *p1, *p2;
	size_t i, len1 = 0, len2 = 0;

	(void)state;
	for (i = 0; i < sizeof(data); i++)
		data[i] = (unsigned char)(i * 7 + (i >> 8)); /* every byte value, NULs too */
	data[0] = 0;
	data[sizeof(data) - 1] = 0;
	key = sv_int(insert_item(c, "blob", NULL, 0, 0, data, sizeof(data)));
	error_init(&e);
	assert_int_equal(store_query(c, &q_blob_twice, &key, 1, &r, &e), 0);
	assert_int_equal(store_next(r), 1);
	/* Two blob columns of one row are both valid until store_next. */
	p1 = store_blob(r, 0, &len1);
	p2 = store_blob(r, 1, &len2);
	assert_int_equal(len1, sizeof(data));
	assert_int_equal(len2, sizeof(data));
	assert_memory_equal(p1, data, sizeof(data));
	assert_memory_equal(p2, data, sizeof(data));
	assert_int_equal(store_next(r), 0);
	store_finish(r);

	/* An empty blob is not NULL. */
	key = sv_int(insert_item(c, "empty blob", NULL, 0, 0, data, 0));
	assert_int_equal(store_query(c, &q_blob_twice, &key, 1, &r, &e), 0);
	assert_int_equal(store_next(r), 1);
	assert_int_equal(store_isnull(r, 0), 0);
	store_blob(r, 0, &len1);
	assert_int_equal(len1, 0);
	store_finish(r);
	store_release(c);
}

static void test_unique_conflict(void **state)
{
	struct store_conn *c = acquire();
	struct store_val a[1] = {sv_text("dup")};
	struct error e;
	int rc;

	(void)state;
	exec_ok(c, &q_insert_name, a, 1, NULL);
	error_init(&e);
	rc = store_exec(c, &q_insert_name, a, 1, NULL, &e);
	assert_int_equal(rc, ERR_CONFLICT);
	assert_int_equal(e.code, ERR_CONFLICT);
	assert_true(e.message[0] != '\0');
	/* No SQL, table or constraint names reach the message. */
	assert_null(strstr(e.message, "t_items"));
	assert_null(strstr(e.message, "UNIQUE"));
	assert_null(strstr(e.message, "duplicate"));
	/* The connection is still good. */
	error_init(&e);
	assert_int_equal(store_ping(c, &e), 0);
	assert_int_equal(count_items(c), 1);
	store_release(c);
}

static void test_not_found(void **state)
{
	struct store_conn *c = acquire();
	struct store_val key = sv_int(-42);
	struct error e;
	int64_t v = 7;

	(void)state;
	error_init(&e);
	assert_int_equal(store_query_int(c, &q_find_n, &key, 1, &v, &e), ERR_NOT_FOUND);
	assert_int_equal(v, 7);
	store_release(c);
}

/* store_query_one: the row's cursor, or ERR_NOT_FOUND with the caller's message. */
static void test_query_one(void **state)
{
	struct store_conn *c = acquire();
	struct store_rows *r = NULL;
	struct error e;
	int64_t id = insert_name(c, "only");

	(void)state;
	error_init(&e);
	{
		struct store_val a[1] = {sv_int(id)};

		assert_int_equal(store_query_one(c, &q_get, a, 1, &r, "不存在", &e), 0);
	}
	assert_non_null(r);
	assert_string_equal(store_text(r, 0), "only");
	store_finish(r);
	{
		struct store_val a[1] = {sv_int(id + 1000)};

		r = (struct store_rows *)&e; /* must be cleared */
		assert_int_equal(store_query_one(c, &q_get, a, 1, &r, "记录不存在", &e),
		                 ERR_NOT_FOUND);
		assert_null(r);
		assert_int_equal(e.code, ERR_NOT_FOUND);
		assert_string_equal(e.message, "记录不存在");
		error_init(&e);
		assert_int_equal(store_query_one(c, &q_get, a, 1, &r, NULL, &e), ERR_NOT_FOUND);
		assert_int_equal(e.code, ERR_NOT_FOUND);
	}
	/* The statement can run again: no cursor was left open. */
	{
		struct store_val a[1] = {sv_int(id)};

		assert_int_equal(store_query_one(c, &q_get, a, 1, &r, NULL, &e), 0);
		store_finish(r);
	}
	store_release(c);
}

static void test_changes(void **state)
{
	struct store_conn *c = acquire();
	struct store_val set[2] = {sv_int(2), sv_int(1)};
	struct store_val del = sv_int(2);
	int64_t changes = -1;

	(void)state;
	insert_item(c, "a", NULL, 1, 0, NULL, 0);
	insert_item(c, "b", NULL, 1, 0, NULL, 0);
	insert_item(c, "c", NULL, 1, 0, NULL, 0);
	insert_item(c, "d", NULL, 5, 0, NULL, 0);
	exec_ok(c, &q_set_n, set, 2, &changes);
	assert_int_equal(changes, 3);
	exec_ok(c, &q_set_n, set, 2, &changes); /* none left with n = 1 */
	assert_int_equal(changes, 0);
	exec_ok(c, &q_delete_n, &del, 1, &changes);
	assert_int_equal(changes, 3);
	exec_ok(c, &q_delete_n, &del, 1, &changes);
	assert_int_equal(changes, 0);
	assert_int_equal(count_items(c), 1);
	store_release(c);
}

/* IN_IDS(?) binds a whole id list as one JSON-array parameter on both back ends. */
static void test_in_ids(void **state)
{
	struct store_conn *c = acquire();
	struct store_val one;
	struct store_val three[3];

	(void)state;
	insert_item(c, "a", NULL, 3, 0, NULL, 0);
	insert_item(c, "b", NULL, 7, 0, NULL, 0);
	insert_item(c, "c", NULL, 12, 0, NULL, 0);
	insert_item(c, "d", NULL, 9000000000LL, 0, NULL, 0);
	one = sv_text("[3,12]");
	assert_int_equal(query_int(c, &q_count_in_ids, &one, 1), 2);
	one = sv_text("[]");
	assert_int_equal(query_int(c, &q_count_in_ids, &one, 1), 0);
	one = sv_text("[9000000000,7,7,4]");
	assert_int_equal(query_int(c, &q_count_in_ids, &one, 1), 2);
	/* the scope clause shape the store layer uses: all | ids | subtree */
	three[0] = sv_int(0);
	three[1] = sv_text("[7]");
	three[2] = sv_text("c%");
	assert_int_equal(query_int(c, &q_count_in_ids_or, three, 3), 2);
	three[0] = sv_int(1);
	assert_int_equal(query_int(c, &q_count_in_ids_or, three, 3), 4);
	three[0] = sv_int(0);
	three[1] = sv_text("[]");
	three[2] = sv_text("");
	assert_int_equal(query_int(c, &q_count_in_ids_or, three, 3), 0);
	/* the same from data: sv_ids writes the array, sv_prefix the LIKE pattern */
	{
		static const int64_t ids[] = {3, 12}, big[] = {9000000000LL, 7, 7, 4};

		one = sv_ids(ids, 2);
		assert_int_equal(query_int(c, &q_count_in_ids, &one, 1), 2);
		one = sv_ids(NULL, 0);
		assert_int_equal(query_int(c, &q_count_in_ids, &one, 1), 0);
		one = sv_ids(big, 4);
		assert_int_equal(query_int(c, &q_count_in_ids, &one, 1), 2);
		three[0] = sv_int(0);
		three[1] = sv_ids(big + 1, 1);
		three[2] = sv_prefix("c");
		assert_int_equal(query_int(c, &q_count_in_ids_or, three, 3), 2);
		three[1] = sv_ids(NULL, 0);
		three[2] = sv_prefix(NULL); /* "": no row */
		assert_int_equal(query_int(c, &q_count_in_ids_or, three, 3), 0);
	}
	store_release(c);
}

/* IN_TEXTS(?) does the same for strings, quotes and Chinese included. */
static void test_in_texts(void **state)
{
	struct store_conn *c = acquire();
	struct store_val one, three[3];

	(void)state;
	insert_item(c, "rework", NULL, 1, 0, NULL, 0);
	insert_item(c, "closed", NULL, 2, 0, NULL, 0);
	insert_item(c, "整改中", NULL, 3, 0, NULL, 0);
	insert_item(c, "it's", NULL, 4, 0, NULL, 0);
	one = sv_text("[\"rework\",\"整改中\"]");
	assert_int_equal(query_int(c, &q_count_in_texts, &one, 1), 2);
	one = sv_text("[]");
	assert_int_equal(query_int(c, &q_count_in_texts, &one, 1), 0);
	one = sv_text("[\"it's\",\"closed\",\"Rework\"]");
	assert_int_equal(query_int(c, &q_count_in_texts, &one, 1), 2);
	/* the optional filter shape of the problem list: no filter | the list */
	three[0] = sv_text("");
	three[1] = sv_text("[]");
	three[2] = sv_int(1);
	assert_int_equal(query_int(c, &q_count_in_texts_or, three, 3), 3);
	three[0] = sv_text(",closed,");
	three[1] = sv_text("[\"closed\",\"rework\"]");
	assert_int_equal(query_int(c, &q_count_in_texts_or, three, 3), 1);
	store_release(c);
}

static void assert_plan_mode(struct store_conn *c, const struct store_sql *q, const char *want)
{
	struct store_rows *r;
	struct error e;

	error_init(&e);
	assert_int_equal(store_query(c, q, NULL, 0, &r, &e), 0);
	assert_int_equal(store_next(r), 1);
	assert_string_equal(store_text(r, 0), want);
	store_finish(r);
}

/*
 * STORE_GENERIC_PLAN statements run with generic plans outside
 * transactions; the others, and everything inside a transaction, as before.
 */
static void test_generic_plan(void **state)
{
	struct store_conn *c = acquire();
	struct error e;

	(void)state;
	error_init(&e);
	assert_plan_mode(c, &q_plan_mode, "auto");
	assert_plan_mode(c, &q_plan_mode_generic, "force_generic_plan");
	assert_plan_mode(c, &q_plan_mode_generic, "force_generic_plan");
	assert_plan_mode(c, &q_plan_mode, "auto");
	assert_plan_mode(c, &q_plan_mode_generic, "force_generic_plan");
	assert_int_equal(store_begin(c, 1, &e), 0);
	assert_plan_mode(c, &q_plan_mode, "auto");
	store_rollback(c);
	assert_plan_mode(c, &q_plan_mode, "auto");
	assert_plan_mode(c, &q_plan_mode_generic, "force_generic_plan");
	assert_int_equal(store_begin(c, 0, &e), 0);
	assert_int_equal(store_commit(c, &e), 0);
	assert_plan_mode(c, &q_plan_mode, "auto");
	store_release(c);
}

/* The rows of one batch entry, names joined by commas; the cursor is finished. */
static const char *batch_names(struct store_batch *b, char *buf, size_t size)
{
	size_t off = 0;

	buf[0] = '\0';
	while (store_next(b->rows) > 0)
		off += (size_t)snprintf(buf + off, size - off, "%s%s", off ? "," : "",
		                        store_text(b->rows, 0));
	store_finish(b->rows);
	b->rows = NULL;
	return buf;
}

/* store_query_batch: the same answers as one by one, in or out of a transaction. */
static void test_query_batch(void **state)
{
	struct store_conn *c = acquire();
	struct store_val two = sv_int(2), ids = sv_text("[1,3]"), bad = sv_text("abc");
	struct store_batch b[3];
	struct error e;
	char buf[128];
	int round, rc;

	(void)state;
	insert_item(c, "a", NULL, 1, 0, NULL, 0);
	insert_item(c, "b", NULL, 2, 0, NULL, 0);
	insert_item(c, "c", NULL, 3, 0, NULL, 0);
	for (round = 0; round < 3; round++) {
		error_init(&e);
		if (round == 2)
			assert_int_equal(store_begin(c, 0, &e), 0);
		b[0] = (struct store_batch){&q_names, &two, 1, NULL};
		b[1] = (struct store_batch){&q_count_in_ids, &ids, 1, NULL};
		b[2] = (struct store_batch){&q_plan_mode, NULL, 0, NULL};
		assert_int_equal(store_query_batch(c, b, 3, &e), 0);
		assert_string_equal(batch_names(&b[0], buf, sizeof(buf)), "b,c");
		assert_string_equal(batch_names(&b[1], buf, sizeof(buf)), "2");
		assert_string_equal(batch_names(&b[2], buf, sizeof(buf)), "auto");
		if (round == 2)
			assert_int_equal(store_commit(c, &e), 0);
	}
	/* a batch of STORE_GENERIC_PLAN statements only runs their generic plans */
	b[0] = (struct store_batch){&q_plan_mode_generic, NULL, 0, NULL};
	assert_int_equal(store_query_batch(c, b, 1, &e), 0);
	assert_string_equal(batch_names(&b[0], buf, sizeof(buf)), "force_generic_plan");
	/* a statement that cannot be prepared: nothing is left open */
	b[0] = (struct store_batch){&q_names, &two, 1, NULL};
	b[1] = (struct store_batch){&q_missing_table, NULL, 0, NULL};
	error_init(&e);
	assert_int_not_equal(store_query_batch(c, b, 2, &e), 0);
	assert_null(b[0].rows);
	assert_null(b[1].rows);
	/* one that fails while running (PostgreSQL; SQLite casts 'abc' to 0) */
	b[1] = (struct store_batch){&q_cast_int, &bad, 1, NULL};
	error_init(&e);
	rc = store_query_batch(c, b, 2, &e);
	if (store_kind(fx.s) == STORE_POSTGRES) {
		assert_int_not_equal(rc, 0);
		assert_null(b[0].rows);
	} else {
		assert_int_equal(rc, 0);
		store_finish(b[0].rows);
		store_finish(b[1].rows);
	}
	/* and the connection answers as before */
	assert_int_equal(query_int(c, &q_count_in_ids, &ids, 1), 2);
	assert_plan_mode(c, &q_plan_mode, "auto");
	store_release(c);
}

static void test_transactions(void **state)
{
	struct store_conn *c = acquire();
	struct store_val a = sv_text("committed"), b = sv_text("rolled back");
	struct error e;

	(void)state;
	error_init(&e);
	assert_int_equal(store_begin(c, 1, &e), 0);
	assert_int_equal(store_in_transaction(c), 1);
	assert_int_not_equal(store_begin(c, 1, &e), 0); /* no nesting */
	exec_ok(c, &q_insert_name, &a, 1, NULL);
	assert_int_equal(store_commit(c, &e), 0);
	assert_int_equal(store_in_transaction(c), 0);

	assert_int_equal(store_begin(c, 1, &e), 0);
	exec_ok(c, &q_insert_name, &b, 1, NULL);
	assert_int_equal(count_items(c), 2); /* visible inside */
	store_rollback(c);
	assert_int_equal(store_in_transaction(c), 0);
	assert_int_equal(count_items(c), 1);
	assert_int_equal(query_int(c, &q_count_name, &a, 1), 1);
	assert_int_equal(query_int(c, &q_count_name, &b, 1), 0);

	/* A read transaction. */
	assert_int_equal(store_begin(c, 0, &e), 0);
	assert_int_equal(count_items(c), 1);
	assert_int_equal(store_commit(c, &e), 0);
	store_release(c);
}

static void test_error_in_transaction(void **state)
{
	struct store_conn *c = acquire();
	struct store_val a = sv_text("once");
	struct error e;

	(void)state;
	exec_ok(c, &q_insert_name, &a, 1, NULL);
	error_init(&e);
	assert_int_equal(store_begin(c, 1, &e), 0);
	insert_name(c, "inside");
	assert_int_equal(store_exec(c, &q_insert_name, &a, 1, NULL, &e), ERR_CONFLICT);
	store_rollback(c);
	/* The whole transaction is gone and the connection works. */
	assert_int_equal(count_items(c), 1);
	assert_int_equal(store_begin(c, 1, &e), 0);
	insert_name(c, "after");
	assert_int_equal(store_commit(c, &e), 0);
	assert_int_equal(count_items(c), 2);
	store_release(c);
}

static void test_release_rolls_back(void **state)
{
	struct store_conn *c = acquire();
	struct error e;

	(void)state;
	error_init(&e);
	assert_int_equal(store_begin(c, 1, &e), 0);
	insert_name(c, "abandoned");
	store_release(c); /* no commit */
	c = acquire();
	assert_int_equal(store_in_transaction(c), 0);
	assert_int_equal(count_items(c), 0);
	/* The write lock went with the transaction: another writer gets in. */
	assert_int_equal(store_begin(c, 1, &e), 0);
	insert_name(c, "next");
	assert_int_equal(store_commit(c, &e), 0);
	assert_int_equal(count_items(c), 1);
	store_release(c);
}

#define WRITERS 4
#define WRITES  25

struct writer {
	struct store *s;
	int id;
	pthread_barrier_t *together;
	int failures;
	char why[600];
};

/*
 * Each thread holds its own connection (the barrier proves all are out of
 * the pool at once) and runs write transactions: an insert, and a
 * read-modify-write of a shared counter, which loses updates unless write
 * transactions really exclude each other.
 */
static void *writer_main(void *arg)
{
	struct writer *w = arg;
	struct store_conn *c;
	struct error e;
	int i, rc;

	error_init(&e);
	c = store_acquire(w->s, &e);
	pthread_barrier_wait(w->together);
	if (!c) {
		w->failures = WRITES;
		snprintf(w->why, sizeof(w->why), "acquire: %s", e.message);
		return NULL;
	}
	for (i = 0; i < WRITES; i++) {
		char name[64];
		struct store_val a, v;
		int64_t n = -1;

		snprintf(name, sizeof(name), "writer %d row %d", w->id, i);
		a = sv_text(name);
		rc = store_begin(c, 1, &e);
		if (rc == 0)
			rc = store_exec(c, &q_insert_name, &a, 1, NULL, &e);
		if (rc == 0)
			rc = store_query_int(c, &q_counter_get, NULL, 0, &n, &e);
		if (rc == 0) {
			v = sv_int(n + 1);
			rc = store_exec(c, &q_counter_set, &v, 1, NULL, &e);
		}
		if (rc == 0)
			rc = store_commit(c, &e);
		if (rc != 0) {
			store_rollback(c);
			w->failures++;
			snprintf(w->why, sizeof(w->why), "%d %s", rc, e.message);
		}
	}
	store_release(c);
	return NULL;
}

static void test_concurrent_writers(void **state)
{
	pthread_t t[WRITERS];
	struct writer w[WRITERS];
	pthread_barrier_t together;
	struct store_conn *c;
	struct store *s = NULL;
	int i;

	(void)state;
	c = acquire();
	exec_ok(c, &q_counter_init, NULL, 0, NULL);
	store_release(c);
	/* A pool of its own, exactly one connection per writer. */
	assert_int_equal(open_store(&s, WRITERS), 0);
	pthread_barrier_init(&together, NULL, WRITERS);
	for (i = 0; i < WRITERS; i++) {
		memset(&w[i], 0, sizeof(w[i]));
		w[i].s = s;
		w[i].id = i;
		w[i].together = &together;
		assert_int_equal(pthread_create(&t[i], NULL, writer_main, &w[i]), 0);
	}
	for (i = 0; i < WRITERS; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&together);
	store_close(s);
	for (i = 0; i < WRITERS; i++)
		if (w[i].failures)
			fail_msg("%s writer %d: %d failures, last: %s", fx.label, i, w[i].failures,
			         w[i].why);
	c = acquire();
	assert_int_equal(count_items(c), WRITERS * WRITES);
	assert_int_equal(query_int(c, &q_counter_get, NULL, 0), WRITERS * WRITES);
	store_release(c);
}

static void test_backup_restore(void **state)
{
	unsigned char data[64];
	struct store_conn *c = acquire();
	struct store_val a[2];
	struct error e;
	char *before, *after, *changed;
	int64_t id1, id2, id3;
	size_t i;
	FILE *f;

	(void)state;
	for (i = 0; i < sizeof(data); i++)
		data[i] = (unsigned char)(255 - i * 3);
	data[10] = 0;
	id1 =
	    insert_item(c, "备份：文明城市", "说明 'quoted' ?", INT64_MIN, 2.5, data, sizeof(data));
	id2 = insert_item(c, "second", NULL, INT64_MAX, -1e-9, NULL, 0);
	id3 = insert_name(c, "third");
	before = snapshot(c);
	store_release(c);

	unlink(fx.backup);
	error_init(&e);
	if (store_backup(fx.s, fx.backup, &e) != 0)
		fail_msg("%s backup: %s", fx.label, e.message);
	assert_int_equal(access(fx.backup, R_OK), 0);

	/* Change everything: update, delete, insert. */
	c = acquire();
	a[0] = sv_text("renamed");
	a[1] = sv_int(id1);
	exec_ok(c, &q_rename, a, 2, NULL);
	a[0] = sv_int(id2);
	exec_ok(c, &q_delete_id, a, 1, NULL);
	insert_name(c, "added after the backup");
	changed = snapshot(c);
	assert_string_not_equal(changed, before);
	store_release(c);

	if (store_restore(fx.s, fx.backup, &e) != 0)
		fail_msg("%s restore: %s", fx.label, e.message);
	c = acquire();
	after = snapshot(c);
	assert_string_equal(after, before);
	/* Ids carry on after the restored ones (sequences came back too). */
	assert_true(insert_name(c, "after restore") > id3);
	store_release(c);

	/* A file that is not a backup is refused and changes nothing. */
	f = fopen(fx.backup, "w");
	assert_non_null(f);
	fputs("this is not a database backup\n", f);
	fclose(f);
	error_init(&e);
	assert_int_not_equal(store_restore(fx.s, fx.backup, &e), 0);
	assert_true(e.code == ERR_INVALID || e.code == ERR_INTERNAL);
	assert_null(strstr(e.message, fx.backup));
	c = acquire();
	assert_int_equal(count_items(c), 4);
	store_release(c);
	unlink(fx.backup);
	free(before);
	free(after);
	free(changed);
}

/* ---- the placeholder rewriter (back-end independent) ---------------- */

static void check_rewrite(const char *in, const char *want)
{
	char *out = store_pg_placeholders(in);

	assert_string_equal(out, want);
	free(out);
}

static void test_placeholders(void **state)
{
	(void)state;
	check_rewrite("SELECT 1", "SELECT 1");
	check_rewrite("SELECT ?", "SELECT $1");
	check_rewrite("INSERT INTO t (a, b, c) VALUES (?, ?,?)",
	              "INSERT INTO t (a, b, c) VALUES ($1, $2,$3)");
	check_rewrite("SELECT '?' , ?", "SELECT '?' , $1");
	check_rewrite("SELECT 'it''s ?', ?", "SELECT 'it''s ?', $1");
	check_rewrite("SELECT \"odd?name\", ?", "SELECT \"odd?name\", $1");
	check_rewrite("SELECT \"a\"\"?\" FROM t WHERE x = ?",
	              "SELECT \"a\"\"?\" FROM t WHERE x = $1");
	check_rewrite("SELECT ? -- why? because\n, ?", "SELECT $1 -- why? because\n, $2");
	check_rewrite("SELECT ? -- trailing ?", "SELECT $1 -- trailing ?");
	check_rewrite("SELECT /* ? */ ? /* ?? */, ?", "SELECT /* ? */ $1 /* ?? */, $2");
	check_rewrite("SELECT ? /* unterminated ?", "SELECT $1 /* unterminated ?");
	check_rewrite("SELECT 'unterminated ?", "SELECT 'unterminated ?");
	check_rewrite("SELECT a-?, b/?", "SELECT a-$1, b/$2");
	check_rewrite("SELECT '文明?' || ?", "SELECT '文明?' || $1");
	{
		/* Ten and more: two-digit numbers. */
		char *out = store_pg_placeholders("?,?,?,?,?,?,?,?,?,?,?,?");

		assert_string_equal(out, "$1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12");
		free(out);
	}
}

/* ---- main ---------------------------------------------------------- */

#define BACKEND_TESTS                                                                              \
	cmocka_unit_test(test_open_ping), cmocka_unit_test(test_open_unreachable),                 \
	    cmocka_unit_test(test_migrate), cmocka_unit_test(test_schema_twins),                   \
	    cmocka_unit_test_setup(test_insert_returning, clear_tables),                           \
	    cmocka_unit_test_setup(test_text_binding, clear_tables),                               \
	    cmocka_unit_test_setup(test_null, clear_tables),                                       \
	    cmocka_unit_test_setup(test_int64_extremes, clear_tables),                             \
	    cmocka_unit_test_setup(test_double, clear_tables),                                     \
	    cmocka_unit_test_setup(test_blob, clear_tables),                                       \
	    cmocka_unit_test_setup(test_unique_conflict, clear_tables),                            \
	    cmocka_unit_test_setup(test_not_found, clear_tables),                                  \
	    cmocka_unit_test_setup(test_query_one, clear_tables),                                  \
	    cmocka_unit_test_setup(test_changes, clear_tables),                                    \
	    cmocka_unit_test_setup(test_in_ids, clear_tables),                                     \
	    cmocka_unit_test_setup(test_in_texts, clear_tables),                                   \
	    cmocka_unit_test_setup(test_generic_plan, clear_tables),                               \
	    cmocka_unit_test_setup(test_query_batch, clear_tables),                                \
	    cmocka_unit_test_setup(test_transactions, clear_tables),                               \
	    cmocka_unit_test_setup(test_error_in_transaction, clear_tables),                       \
	    cmocka_unit_test_setup(test_release_rolls_back, clear_tables),                         \
	    cmocka_unit_test_setup(test_concurrent_writers, clear_tables),                         \
	    cmocka_unit_test_setup(test_backup_restore, clear_tables)

/* Prefix each test's name with its back end, so the output says which ran. */
static void name_tests(struct CMUnitTest *t, size_t n, const char *prefix, char (*names)[80])
{
	size_t i;

	for (i = 0; i < n; i++) {
		snprintf(names[i], sizeof(names[i]), "%s/%s", prefix, t[i].name);
		t[i].name = names[i];
	}
}

int main(void)
{
	struct CMUnitTest sqlite_tests[] = {BACKEND_TESTS};
	struct CMUnitTest pg_tests[] = {BACKEND_TESTS};
	const struct CMUnitTest common_tests[] = {cmocka_unit_test(test_placeholders)};
	static char sqlite_names[sizeof(sqlite_tests) / sizeof(sqlite_tests[0])][80];
	static char pg_names[sizeof(pg_tests) / sizeof(pg_tests[0])][80];
	const char *pg = getenv("WENMING_TEST_PG");
	int failed = 0;

	if (!getenv("WENMING_TEST_VERBOSE"))
		log_set_level((enum log_level)(LOG_ERROR + 1)); /* expected errors are noisy */
	name_tests(sqlite_tests, sizeof(sqlite_tests) / sizeof(sqlite_tests[0]), "sqlite",
	           sqlite_names);
	name_tests(pg_tests, sizeof(pg_tests) / sizeof(pg_tests[0]), "postgres", pg_names);

	failed += cmocka_run_group_tests_name("store_placeholders", common_tests, NULL, NULL);
	printf("--- store conformance suite on SQLite ---\n");
	fflush(stdout);
	failed += cmocka_run_group_tests_name("store_sqlite", sqlite_tests, sqlite_group_setup,
	                                      group_teardown);
	if (pg && *pg) {
		printf("--- store conformance suite on PostgreSQL ---\n");
		fflush(stdout);
		failed += cmocka_run_group_tests_name("store_postgres", pg_tests, pg_group_setup,
		                                      group_teardown);
	} else {
		printf("NOTE: WENMING_TEST_PG is not set: the PostgreSQL half of the store "
		       "suite did NOT run.\n"
		       "      Run it with WENMING_TEST_PG=$(scripts/pgtmp.sh start DIR).\n");
	}
	free(first_outline);
	return failed ? 1 : 0;
}

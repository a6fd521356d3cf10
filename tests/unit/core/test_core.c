/* test_core.c - arena, strbuf, errors, log escaping, config, passwords. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "auth/password.h"
#include "core/arena.h"
#include "core/config.h"
#include "core/err.h"
#include "core/log.h"
#include "core/strbuf.h"
#include "core/utf8.h"

static void arena_allocates_aligned_and_large(void **state)
{
	struct arena a;
	char *small, *big, *s;
	int i;

	(void)state;
	arena_init(&a);
	for (i = 0; i < 1000; i++) {
		small = arena_alloc(&a, (size_t)(i % 37) + 1);
		assert_int_equal((uintptr_t)small % 16, 0);
		memset(small, 'x', (size_t)(i % 37) + 1);
	}
	big = arena_alloc(&a, 1 << 20); /* larger than a chunk */
	memset(big, 1, 1 << 20);
	s = arena_printf(&a, "%s-%d", "区", 42);
	assert_string_equal(s, "区-42");
	assert_string_equal(arena_strndup(&a, "abcdef", 3), "abc");
	assert_true(a.total >= (1 << 20));
	arena_release(&a);
	assert_null(a.head);
	assert_int_equal(a.total, 0);
}

/* arena_grow doubles the room and keeps the elements already there. */
static void arena_grow_keeps_elements(void **state)
{
	struct arena a;
	int64_t *list = NULL;
	int n, cap = 0;

	(void)state;
	arena_init(&a);
	for (n = 0; n < 1000; n++) {
		list = arena_grow(&a, list, n, &cap, sizeof(*list));
		assert_true(cap > n);
		list[n] = n * 7;
	}
	assert_int_equal(cap, 1024);
	for (n = 0; n < 1000; n++)
		assert_int_equal(list[n], n * 7);
	/* room left: the same array comes back */
	assert_ptr_equal(arena_grow(&a, list, 1000, &cap, sizeof(*list)), list);
	arena_release(&a);
}

static void strbuf_grows_and_detaches(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	char *p;
	size_t len;
	int i;

	(void)state;
	assert_string_equal(strbuf_str(&sb), "");
	for (i = 0; i < 1000; i++)
		strbuf_addf(&sb, "%d,", i);
	strbuf_adds(&sb, "末");
	assert_int_equal(sb.len, strlen(sb.buf));
	assert_true(strstr(sb.buf, "999,末") != NULL);
	p = strbuf_detach(&sb, &len);
	assert_int_equal(len, strlen(p));
	assert_null(sb.buf);
	free(p);
	strbuf_release(&sb);
	/* nothing added: still a string (an empty audit summary once was not) */
	p = strbuf_detach(&sb, &len);
	assert_int_equal(len, 0);
	assert_string_equal(p, "");
	free(p);
}

static void errors_map_to_http(void **state)
{
	struct error e;

	(void)state;
	assert_int_equal(err_http_status(ERR_BAD_REQUEST), 400);
	assert_int_equal(err_http_status(ERR_UNAUTHORIZED), 401);
	assert_int_equal(err_http_status(ERR_FORBIDDEN), 403);
	assert_int_equal(err_http_status(ERR_NOT_FOUND), 404);
	assert_int_equal(err_http_status(ERR_METHOD), 405);
	assert_int_equal(err_http_status(ERR_CONFLICT), 409);
	assert_int_equal(err_http_status(ERR_TOO_LARGE), 413);
	assert_int_equal(err_http_status(ERR_MEDIA_TYPE), 415);
	assert_int_equal(err_http_status(ERR_INVALID), 422);
	assert_int_equal(err_http_status(ERR_RATE_LIMITED), 429);
	assert_int_equal(err_http_status(ERR_INTERNAL), 500);
	assert_int_equal(err_http_status(ERR_UNAVAILABLE), 503);
	assert_int_equal(err_http_status(-999), 500);
	assert_string_equal(err_code_name(ERR_NOT_FOUND), "not_found");
	assert_int_equal(error_set(&e, ERR_INVALID, "name", "名称 %s 太长", "x"), ERR_INVALID);
	assert_string_equal(e.field, "name");
	assert_string_equal(e.message, "名称 x 太长");
	error_set(&e, ERR_CONFLICT, NULL, NULL);
	assert_string_equal(e.message, err_default_message(ERR_CONFLICT));
	assert_string_equal(e.field, "");
	assert_int_equal(error_set(NULL, ERR_INTERNAL, NULL, NULL), ERR_INTERNAL);
}

static void log_escape_blocks_forged_lines(void **state)
{
	char buf[128];

	(void)state;
	log_escape(buf, sizeof(buf), "GET /x\r\n2026-01-01 INFO forged\x01");
	assert_null(strchr(buf, '\n'));
	assert_null(strchr(buf, '\r'));
	assert_string_equal(buf, "GET /x\\r\\n2026-01-01 INFO forged\\x01");
	log_escape(buf, 8, "abcdefghijkl");
	assert_true(strlen(buf) < 8);
	log_escape(buf, sizeof(buf), "中文路径");
	assert_string_equal(buf, "中文路径");
}

static void remember_line(enum log_level level, const char *message, void *cls)
{
	if (level == LOG_ERROR)
		snprintf(cls, 128, "%s", message);
}

/* The fuzz harness watches the log for changes made without an audit row. */
static void log_observer_sees_written_lines(void **state)
{
	char seen[128] = "";

	(void)state;
	log_set_observer(remember_line, seen);
	log_error("req %s: changed something without an audit row\r\n", "ab12");
	assert_string_equal(seen, "req ab12: changed something without an audit row\\r\\n");
	log_debug("below the level: not written, not observed");
	log_set_observer(NULL, NULL);
	log_error("after removal");
	assert_string_equal(seen, "req ab12: changed something without an audit row\\r\\n");
}

static void config_defaults_file_and_env(void **state)
{
	struct config c;
	struct error e;
	char path[] = "/tmp/wenming-config-XXXXXX";
	FILE *f;
	int fd;

	(void)state;
	unsetenv("WENMING_CONFIG");
	unsetenv("WENMING_LISTEN");
	unsetenv("WENMING_DB");
	assert_int_equal(config_load(&c, NULL, &e), 0);
	assert_string_equal(c.listen, "127.0.0.1:8080");
	assert_string_equal(c.db, "sqlite:var/wenming.db");
	assert_true(c.threads >= 4);
	assert_int_equal(c.db_pool, c.threads + 2);

	fd = mkstemp(path);
	f = fdopen(fd, "w");
	fputs("# comment\nlisten = 0.0.0.0:9000\nmax_body = 2M\nsqlite_synchronous = full\n"
	      "db = sqlite:/tmp/x.db\n",
	      f);
	fclose(f);
	setenv("WENMING_DB", "postgres://u@h/db", 1);
	assert_int_equal(config_load(&c, path, &e), 0);
	assert_string_equal(c.listen, "0.0.0.0:9000");
	assert_int_equal(c.max_body, 2L << 20);
	assert_int_equal(c.sqlite_sync_full, 1);
	assert_string_equal(c.db, "postgres://u@h/db"); /* the environment wins */
	unsetenv("WENMING_DB");

	f = fopen(path, "w");
	fputs("no_such_key = 1\n", f);
	fclose(f);
	assert_int_equal(config_load(&c, path, &e), ERR_INVALID);
	assert_string_equal(e.field, "no_such_key");
	f = fopen(path, "w");
	fputs("threads = many\n", f);
	fclose(f);
	assert_int_equal(config_load(&c, path, &e), ERR_INVALID);
	assert_string_equal(e.field, "threads");
	unlink(path);
	assert_int_equal(config_set(&c, "max_body", "10x", &e), ERR_INVALID);
	assert_int_equal(config_set(&c, "idle_timeout", "0", &e), ERR_INVALID);
}

/* map_tile_url: checked at load, and the one extra image source of the CSP. */
static void config_map_tiles(void **state)
{
	struct config c;
	struct error e;
	char src[128];

	(void)state;
	config_defaults(&c);
	assert_string_equal(c.map_tile_url, ""); /* offline by default */
	assert_int_equal(
	    config_set(&c, "map_tile_url", "https://t.example.cn:8443/{z}/{x}/{y}.png", &e), 0);
	assert_int_equal(config_tile_source(c.map_tile_url, src, sizeof(src)), 0);
	assert_string_equal(src, "https://t.example.cn:8443");
	assert_int_equal(
	    config_tile_source("http://{s}.tile.example.org/{z}/{x}/{y}.png", src, sizeof(src)), 0);
	assert_string_equal(src, "http://*.tile.example.org");
	assert_int_equal(config_tile_source("/tiles/{z}/{x}/{y}.png", src, sizeof(src)), 0);
	assert_string_equal(src, "");
	assert_int_equal(config_tile_source("", src, sizeof(src)), 0);
	assert_string_equal(src, "");
	assert_int_equal(config_set(&c, "map_tile_url", "https://t.example.cn/tiles.png", &e),
	                 ERR_INVALID);
	assert_string_equal(e.field, "map_tile_url");
	assert_int_equal(config_set(&c, "map_tile_url", "https://a; script-src *//{z}/{x}/{y}", &e),
	                 ERR_INVALID);
	assert_int_equal(config_set(&c, "map_tile_url", "javascript:{z}{x}{y}", &e), ERR_INVALID);
	assert_int_equal(config_set(&c, "map_tile_url", "//evil.example/{z}/{x}/{y}.png", &e),
	                 ERR_INVALID);
	assert_int_equal(config_set(&c, "map_tile_url", "https://u@evil.example/{z}/{x}/{y}", &e),
	                 ERR_INVALID);
	assert_int_equal(config_set(&c, "map_tile_url", "https://a.{s}.example/{z}/{x}/{y}", &e),
	                 ERR_INVALID);
	assert_int_equal(config_set(&c, "map_tile_attribution", "© 天地图", &e), 0);
	assert_int_equal(config_set(&c, "map_tile_attribution", "<script>", &e), ERR_INVALID);
}

static void password_policy_and_hash(void **state)
{
	char hash[PASSWORD_HASH_MAX], gen[17];
	struct error e;
	/* 64 Chinese characters: a long Unicode passphrase, never truncated */
	const char *cn = "春眠不觉晓处处闻啼鸟夜来风雨声花落知多少白日依山尽黄河入海流欲穷"
	                 "千里目更上一层楼床前明月光疑是地上霜举头望明月低头思故乡锄禾日当";

	(void)state;
	assert_int_equal(password_init(), 0);
	assert_int_equal(utf8_chars(cn), 64);
	assert_int_equal(password_check_policy("admin", "short", &e), ERR_INVALID);
	assert_string_equal(e.field, "password");
	assert_int_equal(password_check_policy("zhangsan01", "ZhangSan01", &e), ERR_INVALID);
	assert_int_equal(password_check_policy("u", "1234567890", &e), ERR_INVALID);
	assert_int_equal(password_check_policy("u", "qwertyuiop", &e), ERR_INVALID);
	assert_int_equal(password_check_policy("u", "aaaaaaaaaaaa", &e), ERR_INVALID);
	assert_int_equal(password_check_policy("u", "correct horse battery", &e), 0);
	assert_int_equal(password_check_policy("u", "十个汉字也可以当密码", &e), 0);
	assert_int_equal(password_check_policy("u", cn, &e), 0);

	assert_int_equal(password_hash(cn, hash, &e), 0);
	assert_true(!strncmp(hash, "$argon2id$", 10));
	assert_true(password_verify(hash, cn));
	/* the last character matters: nothing was truncated */
	{
		char almost[512];

		snprintf(almost, sizeof(almost), "%.*s", (int)strlen(cn) - 3, cn);
		assert_false(password_verify(hash, almost));
	}
	assert_false(password_verify(hash, "wrong password"));
	password_generate(gen, 16);
	assert_int_equal(strlen(gen), 16);
	assert_int_equal(password_check_policy("admin", gen, &e), 0);
}

/* Found by fuzz_query: an error message quoting a non-UTF-8 query argument. */
static void utf8_checks_and_scrubs(void **state)
{
	char bad[] = "\xe7\x8a\xb6 \xff\xfe x \xe6\x80";
	char ok[] = "状态 assigned";

	(void)state;
	assert_true(utf8_valid("示例县", strlen("示例县")));
	assert_false(utf8_valid("\xc0\xaf", 2));         /* overlong '/' */
	assert_false(utf8_valid("\xed\xa0\x80", 3));     /* a surrogate */
	assert_false(utf8_valid("\xf4\x90\x80\x80", 4)); /* past U+10FFFF */
	assert_false(utf8_valid("\xe6\x80", 2));         /* cut short */
	assert_int_equal(utf8_scrub(ok), 0);
	assert_string_equal(ok, "状态 assigned");
	assert_int_equal(utf8_scrub(bad), 4);
	assert_string_equal(bad, "\xe7\x8a\xb6 ?? x ??");
	assert_true(utf8_valid(bad, strlen(bad)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(arena_allocates_aligned_and_large),
	    cmocka_unit_test(arena_grow_keeps_elements),
	    cmocka_unit_test(strbuf_grows_and_detaches),
	    cmocka_unit_test(errors_map_to_http),
	    cmocka_unit_test(log_escape_blocks_forged_lines),
	    cmocka_unit_test(log_observer_sees_written_lines),
	    cmocka_unit_test(config_defaults_file_and_env),
	    cmocka_unit_test(config_map_tiles),
	    cmocka_unit_test(password_policy_and_hash),
	    cmocka_unit_test(utf8_checks_and_scrubs),
	};

	return cmocka_run_group_tests_name("core", tests, NULL, NULL);
}

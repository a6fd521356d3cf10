/*
 * test_image_log.c - libvips' messages go through our logger: its MESSAGE
 * and INFO chatter at debug level (not at the default INFO), its warnings
 * at WARN with the request they came from.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <glib.h>

#include "core/arena.h"
#include "core/err.h"
#include "core/log.h"
#include "files/files.h"

struct seen {
	int n;
	enum log_level level[8];
	char msg[8][256];
};

static void remember(enum log_level level, const char *message, void *cls)
{
	struct seen *s = cls;

	if (s->n < 8 && strstr(message, "VIPS")) {
		s->level[s->n] = level;
		snprintf(s->msg[s->n], sizeof(s->msg[0]), "%s", message);
		s->n++;
	}
}

static void vips_messages_debug_warnings_warn(void **state)
{
	struct arena a;
	struct error e;
	struct image_spec spec = {.width = 16, .height = 16, .rgb = {10, 20, 30}};
	struct seen s;
	void *out;
	size_t len;

	(void)state;
	arena_init(&a);
	error_init(&e);
	/* the first image call starts libvips and installs the handler */
	assert_int_equal(image_compose_jpeg(&spec, &a, &out, &len, &e), 0);
	memset(&s, 0, sizeof(s));
	log_set_level(LOG_DEBUG);
	log_set_observer(remember, &s);
	log_set_request("req-42");
	g_log("VIPS", G_LOG_LEVEL_INFO, "vips_image_new_from_buffer: a load");
	g_log("VIPS", G_LOG_LEVEL_MESSAGE, "threadpool: 2 workers");
	g_log("VIPS", G_LOG_LEVEL_WARNING, "jpeg: premature end of data");
	log_set_request(NULL);
	log_set_observer(NULL, NULL);
	log_set_level(LOG_INFO);
	assert_int_equal(s.n, 3);
	assert_int_equal(s.level[0], LOG_DEBUG);
	assert_int_equal(s.level[1], LOG_DEBUG);
	assert_int_equal(s.level[2], LOG_WARN);
	assert_non_null(strstr(s.msg[2], "req req-42"));
	assert_non_null(strstr(s.msg[2], "premature end of data"));

	/* at the default INFO level the chatter is not written at all */
	memset(&s, 0, sizeof(s));
	log_set_observer(remember, &s);
	g_log("VIPS", G_LOG_LEVEL_INFO, "another load");
	g_log("VIPS", G_LOG_LEVEL_WARNING, "another warning");
	log_set_observer(NULL, NULL);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.level[0], LOG_WARN);
	arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(vips_messages_debug_warnings_warn),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_router.c - matching, parameters, 404 versus 405, specificity. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/err.h"
#include "http/router.h"

static int h_list(struct req *r)
{
	(void)r;
	return 1;
}
static int h_get(struct req *r)
{
	(void)r;
	return 2;
}
static int h_me(struct req *r)
{
	(void)r;
	return 3;
}
static int h_action(struct req *r)
{
	(void)r;
	return 4;
}
static int h_create(struct req *r)
{
	(void)r;
	return 5;
}

static struct router *make(void)
{
	struct router *rt = router_new();

	router_add(rt, "GET", "/api/v1/users", h_list, ROUTE_LOGIN, 0);
	router_add(rt, "POST", "/api/v1/users", h_create, ROUTE_LOGIN, 0);
	router_add(rt, "GET", "/api/v1/users/{id}", h_get, ROUTE_LOGIN, 0);
	router_add(rt, "GET", "/api/v1/users/me", h_me, ROUTE_LOGIN, 0);
	router_add(rt, "POST", "/api/v1/problems/{id}/{action}", h_action, ROUTE_LOGIN, 4096);
	return rt;
}

static void matches_literal_and_params(void **state)
{
	struct router *rt = make();
	struct route_match m;
	struct arena a;
	char allow[64];

	(void)state;
	arena_init(&a);
	assert_int_equal(router_match(rt, "GET", "/api/v1/users", &a, &m, allow, sizeof(allow)), 0);
	assert_ptr_equal(m.route->handler, h_list);
	assert_int_equal(router_match(rt, "GET", "/api/v1/users/", &a, &m, allow, sizeof(allow)),
	                 0);
	assert_ptr_equal(m.route->handler, h_list);
	assert_int_equal(router_match(rt, "GET", "/api/v1/users/42", &a, &m, allow, sizeof(allow)),
	                 0);
	assert_ptr_equal(m.route->handler, h_get);
	assert_int_equal(m.nparams, 1);
	assert_string_equal(m.names[0], "{id}");
	assert_string_equal(m.values[0], "42");
	/* literal beats parameter regardless of registration order */
	assert_int_equal(router_match(rt, "GET", "/api/v1/users/me", &a, &m, allow, sizeof(allow)),
	                 0);
	assert_ptr_equal(m.route->handler, h_me);
	assert_int_equal(
	    router_match(rt, "POST", "/api/v1/problems/7/assign", &a, &m, allow, sizeof(allow)), 0);
	assert_ptr_equal(m.route->handler, h_action);
	assert_int_equal(m.route->max_body, 4096);
	assert_string_equal(m.values[0], "7");
	assert_string_equal(m.values[1], "assign");
	/* HEAD is served by GET routes */
	assert_int_equal(router_match(rt, "HEAD", "/api/v1/users", &a, &m, allow, sizeof(allow)),
	                 0);
	arena_release(&a);
	router_free(rt);
}

static void distinguishes_404_and_405(void **state)
{
	struct router *rt = make();
	struct route_match m;
	struct arena a;
	char allow[64];

	(void)state;
	arena_init(&a);
	assert_int_equal(router_match(rt, "GET", "/api/v1/nope", &a, &m, allow, sizeof(allow)),
	                 ERR_NOT_FOUND);
	assert_int_equal(
	    router_match(rt, "GET", "/api/v1/users/1/2/3", &a, &m, allow, sizeof(allow)),
	    ERR_NOT_FOUND);
	assert_int_equal(router_match(rt, "DELETE", "/api/v1/users", &a, &m, allow, sizeof(allow)),
	                 ERR_METHOD);
	assert_string_equal(allow, "GET, POST");
	assert_int_equal(
	    router_match(rt, "GET", "/api/v1/problems/1/verify", &a, &m, allow, sizeof(allow)),
	    ERR_METHOD);
	assert_string_equal(allow, "POST");
	assert_int_equal(router_match(rt, "GET", "/", &a, &m, allow, sizeof(allow)), ERR_NOT_FOUND);
	assert_int_equal(router_match(rt, "GET", "", &a, &m, allow, sizeof(allow)), ERR_NOT_FOUND);
	{
		char deep[512] = "";
		int i;

		for (i = 0; i < 40; i++)
			strcat(deep, "/a");
		assert_int_equal(router_match(rt, "GET", deep, &a, &m, allow, sizeof(allow)),
		                 ERR_NOT_FOUND);
	}
	arena_release(&a);
	router_free(rt);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(matches_literal_and_params),
	    cmocka_unit_test(distinguishes_404_and_405),
	};

	return cmocka_run_group_tests_name("router", tests, NULL, NULL);
}

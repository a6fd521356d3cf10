/*
 * fuzz_router.c - the router and the path parameters, without a server.
 *
 * Input: "METHOD\nPATH".  Every route of the server is registered (routes.c);
 * router_match must answer 0, ERR_NOT_FOUND or ERR_METHOD, and a match must
 * hand back sane parameters: one per {name} segment, never NULL, never
 * holding a '/', each accepted or refused by the strict id parser without
 * trouble.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "core/arena.h"
#include "core/parse.h"
#include "http/router.h"

static struct router *rt;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct route_match m;
	struct arena a;
	char method[16], allow[64], *path;
	const uint8_t *nl = memchr(data, '\n', size);
	size_t mlen = nl ? (size_t)(nl - data) : 0;
	int rc, i;

	if (!rt) {
		rt = router_new();
		routes_register(rt);
	}
	if (!nl || mlen >= sizeof(method))
		return 0;
	memcpy(method, data, mlen);
	method[mlen] = '\0';
	/* the server hands the router a C string: whatever follows a NUL is cut off */
	path = strndup((const char *)nl + 1, size - mlen - 1);
	arena_init(&a);
	memset(&m, 0, sizeof(m));
	allow[0] = '\0';
	rc = router_match(rt, method, path, &a, &m, allow, sizeof(allow));
	if (rc != 0 && rc != ERR_NOT_FOUND && rc != ERR_METHOD)
		abort();
	if (rc == ERR_METHOD && !allow[0])
		abort(); /* a 405 must say what is allowed */
	if (rc == 0) {
		if (!m.route || m.nparams != m.route->nparams || m.nparams > ROUTE_MAX_PARAMS)
			abort();
		for (i = 0; i < m.nparams; i++) {
			if (!m.values[i] || !m.names[i] || strchr(m.values[i], '/'))
				abort();
			if (parse_count(m.values[i], INT64_MAX) < -1)
				abort();
		}
	}
	arena_release(&a);
	free(path);
	return 0;
}

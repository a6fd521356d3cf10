/*
 * fuzz_query.c - query strings (and paths) of every GET endpoint, through
 * the real server as the admin of the demo county.
 *
 * Input: the request target, "/api/v1/problems?status=assigned&from=2026-01-01";
 * a leading '@' sends it as a unit admin (县住建局) instead of the admin.
 * Filters, paging, dates, ids, keywords and booleans reach the handlers and
 * the store; exports run too.  Paths outside /api/ reach the static files of
 * the built web app (web/dist, or FUZZ_WEB) when there is one.  The oracle
 * is fuzz_server's: no 500, no hang, the JSON error body on every refusal,
 * and the sanitizers.
 */
#include <stdint.h>
#include <stddef.h>

#include "fuzz_server.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum fuzz_who who = FUZZ_ADMIN;

	if (size > 4096) /* libmicrohttpd refuses long request lines (414) before us */
		return 0;
	if (size > 0 && data[0] == '@') { /* as the unit admin: scoped lists, 404s */
		who = FUZZ_UNIT_ADMIN;
		data++;
		size--;
	}
	fuzz_request_as(who, "GET", (const char *)data, size, NULL, NULL, 0, NULL);
	return 0;
}

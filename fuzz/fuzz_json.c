/*
 * fuzz_json.c - JSON request bodies of every POST, PUT and DELETE endpoint,
 * through the real server as the admin of the demo county.
 *
 * Input: "METHOD /api/v1/path\n" then the body, sent as application/json;
 * a leading '@' sends it as a unit admin (县住建局, own unit and below)
 * instead of the platform admin, so data-scope checks see it too.
 * This is where the strict parser (json_parse_object) and every handler's
 * field validation (json_get_*, json_only_keys and the checks after them)
 * meet arbitrary input; an accepted body also runs the change, its audit
 * row and its transaction.
 */
#include <stdint.h>
#include <stddef.h>
#include <string.h>

#include "fuzz_server.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const unsigned char *body, *sp;
	size_t body_len, n;
	enum fuzz_who who = FUZZ_ADMIN;
	char method[8];

	if (size > 0 && data[0] == '@') { /* as the unit admin: scope checks, 404s */
		who = FUZZ_UNIT_ADMIN;
		data++;
		size--;
	}
	n = fuzz_first_line(data, size, &body, &body_len);
	sp = memchr(data, ' ', n);
	if (!sp || sp == data || (size_t)(sp - data) >= sizeof(method))
		return 0;
	memcpy(method, data, (size_t)(sp - data));
	method[sp - data] = '\0';
	sp++;
	fuzz_request_as(who, method, (const char *)sp, n - (size_t)(sp - data), "application/json",
	                body, body_len, NULL);
	return 0;
}

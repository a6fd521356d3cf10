/*
 * fuzz_json.c - JSON request bodies of every POST, PUT and DELETE endpoint,
 * through the real server as the admin of the demo county.
 *
 * Input: "METHOD /api/v1/path\n" then the body, sent as application/json.
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
	size_t body_len, n = fuzz_first_line(data, size, &body, &body_len);
	char method[8];

	sp = memchr(data, ' ', n);
	if (!sp || sp == data || (size_t)(sp - data) >= sizeof(method))
		return 0;
	memcpy(method, data, (size_t)(sp - data));
	method[sp - data] = '\0';
	sp++;
	fuzz_request(method, (const char *)sp, n - (size_t)(sp - data),
	             "application/json", body, body_len, NULL);
	return 0;
}

/*
 * fuzz_multipart.c - multipart/form-data uploads through the real server:
 * photos (POST /files, streamed to a temp file) and the xlsx/csv imports of
 * units, users and points, as the admin of the demo county.
 *
 * Input: line 1 the path ("/api/v1/files", or one with "/import"; others are
 * skipped), line 2 the Content-Type value
 * (with its boundary), the rest the body as sent.  The multipart parser,
 * file-name cleaning, the streamed-body path and what follows (type
 * sniffing, image decoding, the sheet reader) all see it.
 */
#include <stdint.h>
#include <stddef.h>
#include <string.h>

#include "fuzz_server.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const unsigned char *rest, *body;
	size_t rest_len, body_len, plen, clen;
	char path[256], ctype[512];

	plen = fuzz_first_line(data, size, &rest, &rest_len);
	clen = fuzz_first_line(rest, rest_len, &body, &body_len);
	if (plen >= sizeof(path) || clen >= sizeof(ctype) || memchr(rest, 0, clen))
		return 0;
	memcpy(path, data, plen);
	path[plen] = '\0';
	/* uploads only: a multipart POST to /auth/logout would just end the session */
	if (strncmp(path, "/api/v1/files", 13) && !strstr(path, "/import"))
		return 0;
	memcpy(ctype, rest, clen);
	ctype[clen] = '\0';
	fuzz_request("POST", path, plen, ctype, body, body_len, NULL);
	return 0;
}

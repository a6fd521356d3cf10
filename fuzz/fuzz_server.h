/*
 * fuzz_server.h - the real wenming server, in the fuzzer's own process.
 *
 * The first call builds a world once: a SQLite database in a temp directory
 * with the schema, the built-in roles, an admin
 * and the demo county, saved as a template; the server listening on a free
 * port of 127.0.0.1; and two sessions made directly in the database (no
 * Argon2id on the way): the admin's and a unit admin's (fuzz_request_as).  Requests then go over a real TCP connection through
 * libmicrohttpd, the router, the authorization check and the handler, so
 * coverage counts every layer.
 *
 * A fuzzed request may end the session (a password change, disabling the
 * admin or the tenant, a kick).  When a request answers 401 and GET /me
 * confirms the session is gone, the world is reset from the template and the
 * request sent again, so the fuzzer keeps reaching past the login check.
 *
 * The oracle, on top of the sanitizers: a 500 answer, a response that is not
 * HTTP, an API error that is not the uniform JSON error body, a change the
 * server logs as made without an audit row, or a request that hangs is a
 * bug, and the harness aborts so libFuzzer saves the input.
 */
#ifndef WENMING_FUZZ_SERVER_H
#define WENMING_FUZZ_SERVER_H

#include <stddef.h>

/* What came back. */
struct fuzz_response {
	int status;       /* HTTP status, -1 when there was no answer */
	char *head;       /* status line and headers, NUL-terminated (static buffer) */
	char *body;       /* body, NUL-terminated (static buffer) */
	size_t body_len;
};

/*
 * Send one request as the logged-in admin (session cookie and CSRF token
 * added), with a Content-Length body when body is not NULL.  target is sent
 * as given after percent-encoding the bytes a request line cannot hold
 * (controls, space, non-ASCII), so a handler still sees them decoded.
 * content_type may be NULL.  Aborts on a bug (see above); returns the status.
 */
int fuzz_request(const char *method, const char *target, size_t target_len,
                 const char *content_type, const void *body, size_t body_len,
                 struct fuzz_response *out);

/* Who sends a request: the platform admin, or 县住建局's unit admin (dept03). */
enum fuzz_who { FUZZ_ADMIN = 0, FUZZ_UNIT_ADMIN = 1 };

/* fuzz_request as who, whose data scope is narrower than the admin's. */
int fuzz_request_as(enum fuzz_who who, const char *method, const char *target,
                    size_t target_len, const char *content_type, const void *body,
                    size_t body_len, struct fuzz_response *out);

/* The bytes after the first '\n' of data, and the first line's length. */
size_t fuzz_first_line(const unsigned char *data, size_t size, const unsigned char **rest,
                       size_t *rest_len);

#endif

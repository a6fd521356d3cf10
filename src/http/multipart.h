/*
 * multipart.h - files in and out of a request: the one file of a
 * multipart/form-data upload, and a download answered as an attachment.
 *
 * The server buffers a request's whole body before the handler runs (up to
 * the route's max_body), so an upload is parsed from r->body in one pass.
 * What the client calls the file is only a hint for messages and logs: it is
 * reduced to a bare name and never used as a path.
 */
#ifndef WENMING_MULTIPART_H
#define WENMING_MULTIPART_H

#include <stddef.h>

#include "core/err.h"

struct req;

/*
 * Find the part named field in the multipart/form-data body of r and hand
 * back its bytes (*data, *len; copied into r->arena and NUL-terminated, so
 * they live as long as the request) and the client's file name, reduced to
 * its last path component without control characters ("" when none).
 *
 * Returns 0; ERR_MEDIA_TYPE (415) when the body is not multipart/form-data;
 * ERR_BAD_REQUEST (400) when it is malformed; ERR_INVALID (422, naming
 * field) when the part is missing or empty.  Errors are described in e.
 */
int req_multipart_file(struct req *r, const char *field, const void **data, size_t *len,
                       const char **filename, struct error *e);

/*
 * Reply 200 with bytes to download (copied), with Content-Disposition:
 * attachment and the file name both as an ASCII fallback and, per RFC 5987,
 * as filename*=UTF-8''<percent-encoded name> so Chinese names survive.
 */
int req_reply_attachment(struct req *r, const char *content_type, const void *data, size_t len,
                         const char *ascii_name, const char *utf8_name);

/* One part of a multipart/form-data body: a field, or a file when filename is not NULL. */
struct multipart_part {
	const char *name;     /* the field name */
	const char *filename; /* the client's name reduced as above, or NULL for a plain field */
	const char *data;     /* from r->arena, NUL-terminated */
	size_t len;
};

#define MULTIPART_MAX_PARTS 64

/*
 * Every part of the multipart/form-data body of r, in order (at most
 * MULTIPART_MAX_PARTS), each at most max_part bytes.  Returns 0; the errors
 * of req_multipart_file, or ERR_TOO_LARGE (413, naming the field) for a part
 * past max_part or too many parts.
 */
int req_multipart_parts(struct req *r, long max_part, struct multipart_part **parts, int *n,
                        struct error *e);

#endif

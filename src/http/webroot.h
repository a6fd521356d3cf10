/*
 * webroot.h - the built browser application, held in memory and served with
 * ETag, Cache-Control, precompressed .gz files and the single-page-app
 * fallback to index.html.
 */
#ifndef WENMING_WEBROOT_H
#define WENMING_WEBROOT_H

#include <stddef.h>

struct webroot;
struct req;

/* One file of the application built into the binary. */
struct webroot_file {
	const char *path; /* "/assets/index-abc.js"; NULL ends a table */
	const unsigned char *data;
	size_t len;
};

/*
 * web/dist as it was when the server was linked (build/gen/web.S, written by
 * scripts/embed-web.sh; empty when it was built before the web application).
 * Only the server binaries link it; unit tests and fuzzers do not.
 */
extern const struct webroot_file webroot_embedded_files[];

/* Load every file below dir.  NULL when dir has no index.html. */
struct webroot *webroot_load(const char *dir);

/*
 * The same from a table of files in memory, which the webroot borrows (they
 * must outlive it; the embedded table does).  NULL when it has no index.html.
 */
struct webroot *webroot_load_files(const struct webroot_file *files);
void webroot_free(struct webroot *w);

/* Number of files loaded (for the start-up log). */
int webroot_count(const struct webroot *w);

/* Answer a GET or HEAD for r->path; 0 when a response was set. */
int webroot_serve(struct webroot *w, struct req *r);

#endif

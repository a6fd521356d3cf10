/*
 * webroot.h - the built browser application, held in memory and served with
 * ETag, Cache-Control, precompressed .gz files and the single-page-app
 * fallback to index.html.
 */
#ifndef WENMING_WEBROOT_H
#define WENMING_WEBROOT_H

struct webroot;
struct req;

/* Load every file below dir.  NULL when dir has no index.html. */
struct webroot *webroot_load(const char *dir);
void webroot_free(struct webroot *w);

/* Number of files loaded (for the start-up log). */
int webroot_count(const struct webroot *w);

/* Answer a GET or HEAD for r->path; 0 when a response was set. */
int webroot_serve(struct webroot *w, struct req *r);

#endif

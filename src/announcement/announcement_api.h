/*
 * announcement_api.h - what the endpoints of announcement/ (api_announcements.c,
 * api_archives.c, api_pledges.c) share.
 */
#ifndef WENMING_ANNOUNCEMENT_API_H
#define WENMING_ANNOUNCEMENT_API_H

#include <jansson.h>
#include <stdint.h>

#include "core/err.h"

struct req;
struct router;
struct scope;

/* The caller's plan:view scope (the office: all; a unit: its own). */
void ann_api_scope(struct req *r, struct scope *s);

/* The files ids[0..n) of the caller's tenant as JSON with their urls. */
json_t *ann_files_json(struct req *r, const int64_t *ids, int n);

void archive_routes(struct router *rt);
void pledge_routes(struct router *rt);

#endif

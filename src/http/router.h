/*
 * router.h - map (method, path) to a handler, with {name} path parameters.
 *
 * Patterns are literal segments and {name} segments: "/api/v1/units/{id}".
 * A literal segment wins over a parameter at the same depth, so
 * "/api/v1/users/me" can sit beside "/api/v1/users/{id}".
 */
#ifndef WENMING_ROUTER_H
#define WENMING_ROUTER_H

#include <stddef.h>

struct req;
struct arena;

typedef int (*route_handler)(struct req *r);

#define ROUTE_MAX_SEGMENTS 12
#define ROUTE_MAX_PARAMS   6

struct route {
	char method[8];
	char *pattern;                  /* as registered */
	char *segs[ROUTE_MAX_SEGMENTS]; /* pointers into seg_store */
	char *seg_store;
	int nsegs;
	int nparams;
	route_handler handler;
	const char *perm; /* ROUTE_PUBLIC, ROUTE_LOGIN or a permission */
	long max_body;    /* 0: the server's default */
	int stream_body;  /* body goes to a temp file, not memory */
};

/* Anyone may call it. */
#define ROUTE_PUBLIC NULL
/* Any logged-in user may call it. */
#define ROUTE_LOGIN ""

struct route_match {
	const struct route *route;
	int nparams;
	const char *names[ROUTE_MAX_PARAMS];
	const char *values[ROUTE_MAX_PARAMS]; /* allocated from the arena */
};

struct router;

struct router *router_new(void);
void router_free(struct router *rt);

/*
 * Register a route that needs perm (ROUTE_PUBLIC, ROUTE_LOGIN or a
 * permission string such as "org:unit:edit"); aborts on a malformed pattern
 * (a programming error).  max_body 0 takes the server's default limit.
 */
void router_add(struct router *rt, const char *method, const char *pattern, route_handler h,
                const char *perm, long max_body);

/*
 * Like router_add, for uploads: the body is streamed to an unlinked temp
 * file under data_dir/tmp as it arrives (the limit enforced on the way), so
 * a large upload never sits in memory and an over-size one never fills the
 * disk.  req_multipart_file reads it from there.
 */
void router_add_stream(struct router *rt, const char *method, const char *pattern, route_handler h,
                       const char *perm, long max_body);

/*
 * Find the route for method and path.  Returns 0 and fills m; ERR_NOT_FOUND
 * when no pattern matches the path; ERR_METHOD when some do but not for this
 * method, with the allowed methods written to allow ("GET, POST").
 * HEAD matches GET routes.
 */
int router_match(const struct router *rt, const char *method, const char *path, struct arena *a,
                 struct route_match *m, char *allow, size_t allowlen);

/* Number of routes, and the i-th (for listing and tests). */
int router_count(const struct router *rt);
const struct route *router_at(const struct router *rt, int i);

#endif

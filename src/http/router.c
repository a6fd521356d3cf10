/* router.c - segment matching over a route table. */
#include "http/router.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/err.h"

struct router {
	struct route *routes;
	int n, cap;
};

struct router *router_new(void)
{
	return xcalloc(1, sizeof(struct router));
}

void router_free(struct router *rt)
{
	int i;

	if (!rt)
		return;
	for (i = 0; i < rt->n; i++) {
		free(rt->routes[i].pattern);
		free(rt->routes[i].seg_store);
	}
	free(rt->routes);
	free(rt);
}

static int is_param(const char *seg)
{
	size_t n = strlen(seg);

	return n > 2 && seg[0] == '{' && seg[n - 1] == '}';
}

void router_add(struct router *rt, const char *method, const char *pattern, route_handler h,
                const char *perm, long max_body)
{
	struct route *r;
	char *save = NULL, *tok;

	if (pattern[0] != '/' || strlen(method) >= sizeof(r->method)) {
		fprintf(stderr, "router: bad route %s %s\n", method, pattern);
		abort();
	}
	if (rt->n == rt->cap) {
		rt->cap = rt->cap ? rt->cap * 2 : 64;
		rt->routes = xrealloc(rt->routes, (size_t)rt->cap * sizeof(*rt->routes));
	}
	r = &rt->routes[rt->n++];
	memset(r, 0, sizeof(*r));
	snprintf(r->method, sizeof(r->method), "%s", method);
	r->pattern = xstrdup(pattern);
	r->seg_store = xstrdup(pattern);
	r->handler = h;
	r->perm = perm;
	r->max_body = max_body;
	for (tok = strtok_r(r->seg_store, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
		if (r->nsegs == ROUTE_MAX_SEGMENTS) {
			fprintf(stderr, "router: too many segments in %s\n", pattern);
			abort();
		}
		r->segs[r->nsegs++] = tok;
		if (is_param(tok))
			r->nparams++;
	}
	if (r->nparams > ROUTE_MAX_PARAMS) {
		fprintf(stderr, "router: too many parameters in %s\n", pattern);
		abort();
	}
}

/*
 * Does route r match the split path?  Returns the number of literal
 * segments matched (higher is more specific), or -1.
 */
static int route_score(const struct route *r, char **segs, int nsegs)
{
	int i, literal = 0;

	if (r->nsegs != nsegs)
		return -1;
	for (i = 0; i < nsegs; i++) {
		if (is_param(r->segs[i])) {
			if (!segs[i][0])
				return -1;
			continue;
		}
		if (strcmp(r->segs[i], segs[i]))
			return -1;
		literal++;
	}
	return literal;
}

static int method_matches(const char *route_method, const char *method)
{
	return !strcmp(route_method, method) ||
	       (!strcmp(method, "HEAD") && !strcmp(route_method, "GET"));
}

int router_match(const struct router *rt, const char *method, const char *path, struct arena *a,
                 struct route_match *m, char *allow, size_t allowlen)
{
	char *segs[ROUTE_MAX_SEGMENTS + 1];
	char *copy, *save = NULL, *tok;
	const struct route *best = NULL;
	int nsegs = 0, i, best_score = -1, path_known = 0;
	size_t alen = 0;

	memset(m, 0, sizeof(*m));
	if (allow && allowlen)
		allow[0] = '\0';
	copy = arena_strdup(a, path);
	for (tok = strtok_r(copy, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
		if (nsegs == ROUTE_MAX_SEGMENTS)
			return ERR_NOT_FOUND;
		segs[nsegs++] = tok;
	}
	for (i = 0; i < rt->n; i++) {
		const struct route *r = &rt->routes[i];
		int score = route_score(r, segs, nsegs);

		if (score < 0)
			continue;
		path_known = 1;
		if (!method_matches(r->method, method)) {
			if (allow && alen + strlen(r->method) + 3 < allowlen &&
			    !strstr(allow, r->method)) {
				alen += (size_t)snprintf(allow + alen, allowlen - alen, "%s%s",
				                         alen ? ", " : "", r->method);
			}
			continue;
		}
		if (score > best_score) {
			best = r;
			best_score = score;
		}
	}
	if (!best)
		return path_known ? ERR_METHOD : ERR_NOT_FOUND;
	m->route = best;
	for (i = 0; i < nsegs; i++) {
		const char *seg = best->segs[i];

		if (!is_param(seg))
			continue;
		m->names[m->nparams] = seg; /* "{id}": compared without braces */
		m->values[m->nparams] = segs[i];
		m->nparams++;
	}
	return 0;
}

void router_add_stream(struct router *rt, const char *method, const char *pattern, route_handler h,
                       const char *perm, long max_body)
{
	router_add(rt, method, pattern, h, perm, max_body);
	rt->routes[rt->n - 1].stream_body = 1;
}

int router_count(const struct router *rt)
{
	return rt->n;
}

const struct route *router_at(const struct router *rt, int i)
{
	return &rt->routes[i];
}

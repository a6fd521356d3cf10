/*
 * app.h - what the running server holds: settings, the database, the routes
 * and the built web application.  One per process.
 */
#ifndef WENMING_APP_H
#define WENMING_APP_H

#include <stdint.h>

#include "core/config.h"

struct store;
struct router;
struct webroot;

#ifndef WENMING_VERSION
#define WENMING_VERSION "0.0.0"
#endif

struct app {
	struct config cfg;
	struct store *store;
	struct router *router;
	struct webroot *web;
	int64_t started_at; /* ms since epoch */
};

/* Register every API route of every domain (routes.c). */
void routes_register(struct router *rt);

#endif

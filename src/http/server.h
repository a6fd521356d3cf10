/*
 * server.h - the HTTP server: libmicrohttpd with an epoll thread pool.
 */
#ifndef WENMING_SERVER_H
#define WENMING_SERVER_H

#include <stdint.h>

#include "core/err.h"

struct app;
struct server;

/* Listen on app->cfg.listen and serve app's routes until server_stop(). */
int server_start(struct app *app, struct server **out, struct error *e);

/* The bound port (useful with port 0). */
uint16_t server_port(const struct server *s);

/* Requests whose headers have arrived and whose response is not yet sent. */
int server_inflight(struct server *s);

/*
 * Graceful stop: stop accepting, let requests in flight finish (at most
 * timeout_s seconds), close every connection and free s.
 */
void server_stop(struct server *s, int timeout_s);

#endif

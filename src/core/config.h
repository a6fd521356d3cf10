/*
 * config.h - settings: built-in defaults, then a file, then the environment.
 *
 * The file (--config FILE or WENMING_CONFIG) holds `key = value` lines, `#`
 * starts a comment.  Each key has an environment twin WENMING_<KEY> that wins.
 * The keys are listed in config.c (config_keys) and in the README.
 */
#ifndef WENMING_CONFIG_H
#define WENMING_CONFIG_H

#include <stddef.h>

#include "core/err.h"

struct config {
	char db[1024];       /* sqlite:PATH or postgres://... */
	char listen[128];    /* HOST:PORT, [v6]:PORT */
	char data_dir[1024]; /* uploads and other files */
	char web_dir[1024];  /* the built browser application; "" = built into the binary */
	int threads;         /* HTTP worker threads (0: 2 x cores, >= 4) */
	int db_pool;         /* database connections (0: threads + 2) */
	int max_connections;
	int idle_timeout;       /* seconds a keep-alive connection may idle */
	long max_body;          /* bytes of a JSON request body */
	long max_upload;        /* bytes of an upload request body */
	int sqlite_sync_full;   /* sqlite_synchronous = full */
	int shutdown_timeout;   /* seconds to finish requests on SIGTERM */
	int log_level;          /* enum log_level */
	int https;              /* served behind HTTPS: Secure cookies */
	int session_idle;       /* seconds without a request before a session ends */
	int session_absolute;   /* seconds after login a session ends regardless */
	int trust_proxy;        /* take the client address from X-Forwarded-For */
	char map_tile_url[512]; /* map tiles "https://host/{z}/{x}/{y}.png"; "": none (offline) */
	char map_tile_attribution[256]; /* the tile provider's credit line */
};

/* Fill c with the defaults. */
void config_defaults(struct config *c);

/*
 * Defaults, then file (may be NULL: then WENMING_CONFIG if set), then the
 * environment.  A bad key or value is ERR_INVALID naming it.
 */
int config_load(struct config *c, const char *file, struct error *e);

/*
 * The Content-Security-Policy source a map tile URL needs ("https://a.example"
 * or a wildcard host for a "{s}." subdomain) into out, "" for a URL on
 * the server itself ("/tiles/{z}/{x}/{y}.png") or none.  -1 when url is not
 * an http(s) or absolute-path URL with {z}, {x} and {y} and nothing a header
 * could be forged with.
 */
int config_tile_source(const char *url, char *out, size_t size);

/* Apply one key = value pair (used by the file reader and tests). */
int config_set(struct config *c, const char *key, const char *value, struct error *e);

#endif

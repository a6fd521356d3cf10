/*
 * server.c - libmicrohttpd glue: the daemon, the access handler that turns
 * MHD's callbacks into one struct req per request, limits, common headers,
 * the access log and graceful shutdown.
 *
 * The access handler is called at least twice per request.  The first call
 * only sets up the request (MHD's *req_cls); body chunks arrive in the calls
 * after it; the last call, with no data, dispatches and queues the response.
 * Queuing on the first call would make libmicrohttpd 0.9.75 close every
 * keep-alive connection (STYLE.md), so we never do, except to refuse a body
 * that is over the limit before reading it.
 */
#include "http/server.h"

#include <arpa/inet.h>
#include <malloc.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <errno.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "core/alloc.h"
#include "core/log.h"
#include "http/req.h"
#include "http/webroot.h"
#include "store/store.h"

struct server {
	struct app *app;
	struct MHD_Daemon *daemon;
	uint16_t port;
	atomic_int inflight;
	char csp[1024];
};

/* The map's tile server (map_tile_url) is the one other place images may come from. */
static void csp_build(struct server *s)
{
	char tiles[600];

	if (config_tile_source(s->app->cfg.map_tile_url, tiles, sizeof(tiles)) < 0)
		tiles[0] = '\0';
	snprintf(s->csp, sizeof(s->csp),
	         "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
	         "img-src 'self' data: blob:%s%s; font-src 'self' data:; connect-src 'self'; "
	         "frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
	         *tiles ? " " : "", tiles);
}

static int64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void client_ip(struct MHD_Connection *conn, char *buf, size_t size)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;

	snprintf(buf, size, "-");
	if (!sa)
		return;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, buf,
		          (socklen_t)size);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, buf,
		          (socklen_t)size);
}

/*
 * Behind our own reverse proxy the peer is the proxy; the client is the last
 * address in X-Forwarded-For (the one the proxy appended).  Only with
 * trust_proxy, or any client could choose its own address.
 */
static void forwarded_ip(struct MHD_Connection *conn, char *buf, size_t size)
{
	const char *xff = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Forwarded-For");
	const char *last;
	char addr[64];
	unsigned char bin[16];

	if (!xff)
		return;
	last = strrchr(xff, ',');
	last = last ? last + 1 : xff;
	while (*last == ' ')
		last++;
	snprintf(addr, sizeof(addr), "%.*s", (int)strcspn(last, " "), last);
	if (inet_pton(AF_INET, addr, bin) == 1 || inet_pton(AF_INET6, addr, bin) == 1)
		snprintf(buf, size, "%s", addr);
}

static struct req *req_new(struct server *s, struct MHD_Connection *conn, const char *url,
                           const char *method)
{
	struct req *r = xcalloc(1, sizeof(*r));
	unsigned char rnd[8];
	int i;

	arena_init(&r->arena);
	strbuf_init(&r->body);
	r->body_fd = -1;
	error_init(&r->err);
	r->app = s->app;
	r->conn = conn;
	r->start_ns = mono_ns();
	r->method = arena_strdup(&r->arena, method);
	r->path = arena_strdup(&r->arena, url);
	randombytes_buf(rnd, sizeof(rnd));
	for (i = 0; i < 8; i++)
		snprintf(r->id + i * 2, 3, "%02x", rnd[i]);
	client_ip(conn, r->ip, sizeof(r->ip));
	if (s->app->cfg.trust_proxy)
		forwarded_ip(conn, r->ip, sizeof(r->ip));
	return r;
}

#define TRIM_AFTER_BYTES ((size_t)1 << 20)
#define TRIM_AFTER_NS    (200 * 1000000LL)

static void req_free(struct req *r)
{
	int big;

	if (r->db)
		store_release(r->db);
	if (r->body_fd >= 0)
		close(r->body_fd);
	if (r->response)
		MHD_destroy_response(r->response);
	if (r->json_body)
		json_decref(r->json_body);
	strbuf_release(&r->body);
	big = r->arena.total >= TRIM_AFTER_BYTES || mono_ns() - r->start_ns >= TRIM_AFTER_NS;
	arena_release(&r->arena);
	free(r);
	/*
	 * A big request (an export, a photo and its decode: a long one or one
	 * with a big arena) leaves megabytes free in glibc's per-thread arenas,
	 * which keep them: after a 100,000-row export the server stayed at
	 * 160 MB resident (make bench).  Hand them back; short small requests
	 * never pay for the walk.
	 */
	if (big)
		malloc_trim(0);
}

static int is_api_path(const char *path)
{
	return !strncmp(path, "/api/", 5) || !strcmp(path, "/api");
}

/* Headers every response carries. */
static void add_common_headers(struct server *s, struct req *r, struct MHD_Response *resp)
{
	int i;

	MHD_add_response_header(resp, "X-Request-Id", r->id);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
	MHD_add_response_header(resp, "Content-Security-Policy", s->csp);
	if (s->app->cfg.https)
		MHD_add_response_header(resp, "Strict-Transport-Security", "max-age=31536000");
	for (i = 0; i < r->nheaders; i++)
		MHD_add_response_header(resp, r->header_names[i], r->header_values[i]);
	if (is_api_path(r->path) && !MHD_get_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL))
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
}

static enum MHD_Result queue(struct server *s, struct req *r)
{
	enum MHD_Result ret;

	if (!r->response)
		req_reply_error(r);
	if (!r->response)
		return MHD_NO; /* could not even build an error: drop the connection */
	add_common_headers(s, r, r->response);
	ret = MHD_queue_response(r->conn, (unsigned int)r->status, r->response);
	r->queued = 1;
	MHD_destroy_response(r->response);
	r->response = NULL;
	return ret;
}

/* Run the matched handler, or answer 404/405, then give the db back early. */
static void dispatch(struct server *s, struct req *r)
{
	int rc;

	if (r->body_too_large) {
		req_fail(r, ERR_TOO_LARGE, NULL, "请求内容超过 %ld 字节的限制", r->body_limit);
		req_reply_error(r);
		return;
	}
	if (r->route_rc == 0) {
		rc = req_authorize(r);
		if (rc == 0) {
			log_set_request(r->id);
			rc = r->match.route->handler(r);
			log_set_request(NULL);
		}
		if (rc < 0 || !r->response) {
			if (rc >= 0 && r->err.code == ERR_OK) {
				log_error("req %s: handler %s returned no response", r->id,
				          r->match.route->pattern);
				req_fail(r, ERR_INTERNAL, NULL, NULL);
			} else if (r->err.code == ERR_OK) {
				req_fail(r, rc, NULL, NULL);
			}
			req_reply_error(r);
		} else if (req_is_mutating(r->method) && r->status < 300 && !r->audited &&
		           r->match.route->perm != ROUTE_PUBLIC) {
			/* every change must be in the audit log: a handler forgot */
			log_error("req %s: %s %s changed something without an audit row", r->id,
			          r->method, r->match.route->pattern);
		}
	} else if (!is_api_path(r->path) && s->app->web &&
	           (!strcmp(r->method, "GET") || !strcmp(r->method, "HEAD"))) {
		if (webroot_serve(s->app->web, r) != 0)
			req_reply_error(r);
	} else {
		req_fail(r, r->route_rc, NULL, NULL);
		req_reply_error(r);
	}
	if (r->db) {
		store_release(r->db);
		r->db = NULL;
	}
}

/*
 * A temp file for a streamed body, unlinked at once: the kernel frees it when
 * the request ends, even if the process dies, so nothing is ever left behind.
 */
static int body_file_open(struct server *s, struct req *r)
{
	char path[1100];
	int fd;

	snprintf(path, sizeof(path), "%s/tmp", s->app->cfg.data_dir);
	mkdir(path, 0750);
	snprintf(path, sizeof(path), "%s/tmp/body-XXXXXX", s->app->cfg.data_dir);
	fd = mkstemp(path);
	if (fd < 0) {
		log_error("req %s: cannot create a temp file under %s/tmp", r->id,
		          s->app->cfg.data_dir);
		return -1;
	}
	unlink(path);
	r->body_fd = fd;
	return 0;
}

static int write_all(int fd, const char *p, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* How much of an over-size body we read and throw away before closing instead. */
static long discard_cap(const struct req *r)
{
	long cap = r->body_limit * 4;

	return cap > (16L << 20) ? cap : (16L << 20);
}

static enum MHD_Result on_access(void *cls, struct MHD_Connection *conn, const char *url,
                                 const char *method, const char *version, const char *upload_data,
                                 size_t *upload_data_size, void **req_cls)
{
	struct server *s = cls;
	struct req *r = *req_cls;

	(void)version;
	if (!r) {
		const char *cl;

		r = req_new(s, conn, url, method);
		*req_cls = r;
		atomic_fetch_add(&s->inflight, 1);
		r->counted = 1;
		r->route_rc = router_match(s->app->router, method, r->path, &r->arena, &r->match,
		                           r->allow, sizeof(r->allow));
		r->body_limit = s->app->cfg.max_body;
		if (r->route_rc == 0 && r->match.route->max_body > 0)
			r->body_limit = r->match.route->max_body;
		cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
		                                 MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (r->route_rc == 0 && r->match.route->stream_body && body_file_open(s, r)) {
			/* no temp file (disk full?): refuse now, before the body arrives */
			req_fail(r, ERR_UNAVAILABLE, NULL, "服务器暂时无法接收文件，请稍后再试");
			req_reply_error(r);
			return queue(s, r);
		}
		if (cl && strtoll(cl, NULL, 10) > r->body_limit) {
			const char *expect = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
			                                                 MHD_HTTP_HEADER_EXPECT);

			r->body_too_large = 1;
			/*
			 * A client waiting for "100 Continue" gets the 413 instead and never
			 * sends the body; so does one announcing a body past the hard cap.
			 * Others are read to the end and discarded, so they see the answer
			 * rather than a reset connection.
			 */
			if ((expect && !strcasecmp(expect, "100-continue")) ||
			    strtoll(cl, NULL, 10) > discard_cap(r)) {
				dispatch(s, r);
				return queue(s, r);
			}
		}
		return MHD_YES;
	}
	if (r->queued) { /* answered before the body (100-continue): drop it */
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (*upload_data_size) {
		long have = r->body_fd >= 0 ? r->body_size : (long)r->body.len;

		if (!r->body_too_large && have + (long)*upload_data_size > r->body_limit) {
			r->body_too_large = 1;
			r->discarded = have;
			strbuf_release(&r->body);
			if (r->body_fd >= 0) { /* give the space back at once */
				close(r->body_fd);
				r->body_fd = -1;
			}
		}
		if (r->body_too_large) {
			r->discarded += (long)*upload_data_size;
			*upload_data_size = 0;
			if (r->discarded > discard_cap(r)) {
				/*
				 * An endless chunked body.  libmicrohttpd 0.9.75 cannot send a
				 * response before the body ends, so close the connection.
				 */
				r->status = 413;
				log_warn("req %s: body past %ld bytes, closing the connection",
				         r->id, discard_cap(r));
				return MHD_NO;
			}
			return MHD_YES;
		}
		if (r->body_fd >= 0) {
			if (write_all(r->body_fd, upload_data, *upload_data_size)) {
				log_error("req %s: writing the upload failed: %s", r->id,
				          strerror(errno));
				return MHD_NO; /* disk full or broken: drop the connection */
			}
			r->body_size += (long)*upload_data_size;
		} else {
			strbuf_add(&r->body, upload_data, *upload_data_size);
		}
		*upload_data_size = 0;
		return MHD_YES;
	}
	dispatch(s, r);
	return queue(s, r);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
                         enum MHD_RequestTerminationCode toe)
{
	struct server *s = cls;
	struct req *r = *req_cls;
	double ms;

	(void)conn;
	if (!r)
		return;
	ms = (double)(mono_ns() - r->start_ns) / 1e6;
	log_info("%s %s %d %zu %.1fms rid=%s ip=%s%s", r->method, r->path, r->status,
	         r->response_bytes, ms, r->id, r->ip,
	         toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " (aborted)");
	if (r->counted)
		atomic_fetch_sub(&s->inflight, 1);
	req_free(r);
	*req_cls = NULL;
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	char buf[1024];

	(void)cls;
	vsnprintf(buf, sizeof(buf), fmt, ap);
	buf[strcspn(buf, "\n")] = '\0';
	log_warn("mhd: %s", buf);
}

/* "127.0.0.1:8080", "[::1]:8080", ":8080" -> sockaddr */
static int parse_listen(const char *listen, struct sockaddr_storage *ss, int *v6, struct error *e)
{
	char host[128];
	const char *colon;
	long port;
	char *end;

	memset(ss, 0, sizeof(*ss));
	*v6 = 0;
	colon = strrchr(listen, ':');
	if (!colon)
		return error_set(e, ERR_INVALID, "listen",
		                 "监听地址应为 主机:端口，例如 127.0.0.1:8080");
	port = strtol(colon + 1, &end, 10);
	if (*end || end == colon + 1 || port < 0 || port > 65535)
		return error_set(e, ERR_INVALID, "listen", "监听端口无效: %s", listen);
	snprintf(host, sizeof(host), "%.*s", (int)(colon - listen), listen);
	if (host[0] == '[') {
		size_t n = strlen(host);
		struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;

		if (n < 2 || host[n - 1] != ']')
			return error_set(e, ERR_INVALID, "listen",
			                 "IPv6 监听地址应写成 [地址]:端口");
		host[n - 1] = '\0';
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons((uint16_t)port);
		if (inet_pton(AF_INET6, host + 1, &a6->sin6_addr) != 1)
			return error_set(e, ERR_INVALID, "listen", "IPv6 地址无效: %s", host + 1);
		*v6 = 1;
	} else {
		struct sockaddr_in *a4 = (struct sockaddr_in *)ss;

		a4->sin_family = AF_INET;
		a4->sin_port = htons((uint16_t)port);
		if (!host[0] || !strcmp(host, "*") || !strcmp(host, "0.0.0.0"))
			a4->sin_addr.s_addr = htonl(INADDR_ANY);
		else if (inet_pton(AF_INET, host, &a4->sin_addr) != 1)
			return error_set(e, ERR_INVALID, "listen", "IPv4 地址无效: %s", host);
	}
	return 0;
}

int server_start(struct app *app, struct server **out, struct error *e)
{
	struct sockaddr_storage ss;
	struct server *s;
	const union MHD_DaemonInfo *di;
	unsigned int flags;
	int v6, rc;

	*out = NULL;
	rc = parse_listen(app->cfg.listen, &ss, &v6, e);
	if (rc)
		return rc;
	s = xcalloc(1, sizeof(*s));
	s->app = app;
	csp_build(s);
	atomic_init(&s->inflight, 0);
	flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG;
	if (v6)
		flags |= MHD_USE_IPv6;
	s->daemon = MHD_start_daemon(
	    flags, 0, NULL, NULL, on_access, s, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss, MHD_OPTION_THREAD_POOL_SIZE,
	    (unsigned int)app->cfg.threads, MHD_OPTION_CONNECTION_LIMIT,
	    (unsigned int)app->cfg.max_connections, MHD_OPTION_CONNECTION_TIMEOUT,
	    (unsigned int)app->cfg.idle_timeout,
	    /* per-connection memory: request line and headers must fit in it */
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)64 * 1024, MHD_OPTION_LISTEN_BACKLOG_SIZE,
	    1024U, MHD_OPTION_NOTIFY_COMPLETED, on_completed, s, MHD_OPTION_END);
	if (!s->daemon) {
		free(s);
		return error_set(e, ERR_UNAVAILABLE, "listen", "无法在 %s 上监听（端口被占用？）",
		                 app->cfg.listen);
	}
	di = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
	s->port = di ? di->port : 0;
	*out = s;
	return 0;
}

uint16_t server_port(const struct server *s)
{
	return s->port;
}

int server_inflight(struct server *s)
{
	return atomic_load(&s->inflight);
}

void server_stop(struct server *s, int timeout_s)
{
	MHD_socket fd;
	int64_t deadline;

	if (!s)
		return;
	/* Stop accepting; requests already read keep running. */
	fd = MHD_quiesce_daemon(s->daemon);
	if (fd != MHD_INVALID_SOCKET)
		close(fd);
	deadline = mono_ns() + (int64_t)timeout_s * 1000000000;
	while (atomic_load(&s->inflight) > 0 && mono_ns() < deadline)
		usleep(10000);
	if (atomic_load(&s->inflight) > 0)
		log_warn("shutdown: %d request(s) still running after %d s, stopping anyway",
		         atomic_load(&s->inflight), timeout_s);
	MHD_stop_daemon(s->daemon);
	free(s);
}

/* fuzz_server.c - the real server in the fuzzer's process (see fuzz_server.h). */
#include "fuzz_server.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "app.h"
#include "auth/auth.h"
#include "auth/password.h"
#include "core/log.h"
#include "core/strbuf.h"
#include "demo/demo.h"
#include "http/router.h"
#include "http/server.h"
#include "http/webroot.h"
#include "org/org_db.h"
#include "store/store.h"
#include "system/tenants.h"

/* A request that takes longer than this has hung the server. */
#define FUZZ_TIMEOUT_S 20

static struct {
	int ready;
	char dir[256];
	char db[512], tmpl[512];
	struct app app;
	struct server *srv;
	uint16_t port;
	int64_t tenant_id;
	struct {
		int64_t user_id;
		char token[AUTH_TOKEN_LEN + 1], csrf[AUTH_TOKEN_LEN + 1];
	} who[2]; /* FUZZ_ADMIN, FUZZ_UNIT_ADMIN */
	struct strbuf req, resp;
	int resets;
	/* set by the log observer (a server thread), read after each exchange */
	atomic_int unaudited;
	char unaudited_line[512];
} W;

static __attribute__((noreturn)) void die(const char *what, const struct error *e)
{
	fprintf(stderr, "fuzz_server: %s%s%s\n", what, e ? ": " : "", e ? e->message : "");
	abort();
}

static void copy_file(const char *from, const char *to)
{
	char buf[1 << 16];
	int in = open(from, O_RDONLY), out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ssize_t n;

	if (in < 0 || out < 0)
		die("cannot copy the template database", NULL);
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n)
			die("cannot write the database copy", NULL);
	close(in);
	close(out);
}

/* Remove dir and what it holds (two levels: data/tmp, data/blobs/xx). */
static void remove_tree(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char path[1024];
	struct stat st;

	if (!d)
		return;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
			remove_tree(path);
		else
			unlink(path);
	}
	closedir(d);
	rmdir(dir);
}

/* Temp dirs of fuzzers that crashed (their pid is gone) are removed at start. */
static void remove_stale(void)
{
	DIR *d = opendir("/tmp");
	struct dirent *de;
	char path[512];
	int pid;

	if (!d)
		return;
	while ((de = readdir(d)))
		if (sscanf(de->d_name, "wenming-fuzz-%d-", &pid) == 1 && pid != getpid() &&
		    kill(pid, 0) != 0 && errno == ESRCH) {
			snprintf(path, sizeof(path), "/tmp/%s", de->d_name);
			remove_tree(path);
		}
	closedir(d);
}

/* The template: schema, roles, an admin (no usable password) and the demo county. */
static void build_template(void)
{
	struct store_opts o;
	struct store *st;
	struct store_conn *c;
	struct error e;
	char url[600], hash[PASSWORD_HASH_MAX], pw[17];
	int applied;
	FILE *devnull = fopen("/dev/null", "w");

	error_init(&e);
	snprintf(url, sizeof(url), "sqlite:%s", W.tmpl);
	store_opts_init(&o);
	if (store_open(url, &o, &st, &e) || store_migrate(st, &applied, &e) ||
	    !(c = store_acquire(st, &e)))
		die("cannot create the database", &e);
	password_generate(pw, 16);
	if (password_hash_generated(pw, hash, &e) || store_begin(c, 1, &e))
		die("cannot start", &e);
	{
		struct tenant_new t = {"模糊测试县", "", "county"};
		struct user_new u = {0, "admin", "系统管理员", "", hash, 1};

		if (tenant_insert(c, &t, &W.tenant_id, &e) ||
		    roles_seed_builtin(c, W.tenant_id, &e))
			die("cannot create the tenant", &e);
		u.tenant_id = W.tenant_id;
		if (user_insert(c, &u, &W.who[FUZZ_ADMIN].user_id, &e) ||
		    user_add_role(c, W.tenant_id, W.who[FUZZ_ADMIN].user_id, "admin", &e) ||
		    store_commit(c, &e))
			die("cannot create the admin", &e);
	}
	/* the bare county (units and accounts, master data): the played months add nothing to fuzz */
	struct demo_options dopt = {1, 20260601, W.app.cfg.data_dir, store_kind(st)};

	if (demo_run(c, &dopt, devnull, &e))
		die("cannot build the demo county", &e);
	/* 县住建局's unit admin: data scope "own unit and below" */
	if (user_id_by_username(c, "dept03", &W.who[FUZZ_UNIT_ADMIN].user_id, &e))
		die("the demo has no dept03", &e);
	fclose(devnull);
	store_release(c);
	store_close(st);
}

/* Database from the template, server on a free port, a fresh admin session. */
static void world_start(void)
{
	struct store_opts o;
	struct store_conn *c;
	struct auth_settings as = {7200, 43200};
	struct error e;
	char url[600], path[600];
	int64_t expires, sid;
	int i;

	error_init(&e);
	copy_file(W.tmpl, W.db);
	snprintf(path, sizeof(path), "%s-wal", W.db);
	unlink(path);
	snprintf(path, sizeof(path), "%s-shm", W.db);
	unlink(path);
	snprintf(url, sizeof(url), "sqlite:%s", W.db);
	store_opts_init(&o);
	o.pool_size = W.app.cfg.db_pool;
	if (store_open(url, &o, &W.app.store, &e))
		die("cannot open the database", &e);
	if (!(c = store_acquire(W.app.store, &e)))
		die("cannot borrow a connection", &e);
	for (i = 0; i < 2; i++)
		if (auth_session_create(c, W.who[i].user_id, W.tenant_id, "127.0.0.1", "fuzz", &as,
		                        W.who[i].token, W.who[i].csrf, &expires, &sid, &e))
			die("cannot create the session", &e);
	store_release(c);
	if (server_start(&W.app, &W.srv, &e))
		die("cannot start the server", &e);
	W.port = server_port(W.srv);
}

static void world_stop(void)
{
	server_stop(W.srv, 5);
	W.srv = NULL;
	store_close(W.app.store);
	W.app.store = NULL;
}

static void at_exit(void)
{
	if (!W.ready)
		return;
	world_stop();
	router_free(W.app.router);
	webroot_free(W.app.web);
	remove_tree(W.dir);
}

/*
 * The server logs a successful change that wrote no audit row (server.c,
 * dispatch) before it sends the answer, so the flag is up by the time the
 * harness reads the response.
 */
static void on_log(enum log_level level, const char *message, void *cls)
{
	(void)cls;
	if (level == LOG_ERROR && strstr(message, "without an audit row") &&
	    !atomic_exchange(&W.unaudited, 1))
		snprintf(W.unaudited_line, sizeof(W.unaudited_line), "%s", message);
}

static void world_init(void)
{
	const char *quiet = getenv("FUZZ_SERVER_LOG");

	signal(SIGPIPE, SIG_IGN);
	log_set_level(quiet && *quiet ? LOG_INFO : LOG_ERROR);
	log_set_observer(on_log, NULL);
	if (password_init())
		die("libsodium", NULL);
	remove_stale();
	snprintf(W.dir, sizeof(W.dir), "/tmp/wenming-fuzz-%d-XXXXXX", (int)getpid());
	if (!mkdtemp(W.dir))
		die("mkdtemp", NULL);
	snprintf(W.db, sizeof(W.db), "%s/w.db", W.dir);
	snprintf(W.tmpl, sizeof(W.tmpl), "%s/template.db", W.dir);
	config_defaults(&W.app.cfg);
	snprintf(W.app.cfg.listen, sizeof(W.app.cfg.listen), "127.0.0.1:0");
	snprintf(W.app.cfg.data_dir, sizeof(W.app.cfg.data_dir), "%s/data", W.dir);
	mkdir(W.app.cfg.data_dir, 0700);
	W.app.cfg.threads = 2;
	W.app.cfg.db_pool = 4;
	W.app.cfg.shutdown_timeout = 5;
	W.app.router = router_new();
	routes_register(W.app.router);
	/* the built web app, when there is one: paths outside /api/ reach the static files */
	W.app.web = webroot_load(getenv("FUZZ_WEB") ? getenv("FUZZ_WEB") : "web/dist");
	build_template();
	world_start();
	strbuf_init(&W.req);
	strbuf_init(&W.resp);
	W.ready = 1;
	atexit(at_exit);
}

static int is_token_char(unsigned char ch)
{
	return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z');
}

/* Percent-encode what a request line cannot carry; the server decodes it again. */
static void add_target(struct strbuf *sb, const char *t, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i;

	if (len == 0 || t[0] != '/')
		strbuf_addch(sb, '/');
	for (i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)t[i];

		if (ch <= 0x20 || ch >= 0x7f) {
			strbuf_addch(sb, '%');
			strbuf_addch(sb, hex[ch >> 4]);
			strbuf_addch(sb, hex[ch & 15]);
		} else {
			strbuf_addch(sb, (char)ch);
		}
	}
}

static int send_all(int fd, const char *p, size_t len)
{
	while (len > 0) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1; /* the server may answer early (413) and close */
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* One exchange on a new connection; the response ends when the server closes. */
static int exchange(const char *request, size_t len, struct strbuf *resp)
{
	struct sockaddr_in sa;
	struct timeval tv = {FUZZ_TIMEOUT_S, 0};
	char buf[1 << 16];
	struct linger lg = {1, 0};
	int fd = socket(AF_INET, SOCK_STREAM, 0), tries = 0;
	ssize_t n;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons(W.port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (fd < 0)
		die("socket", NULL);
	/* a burst of short connections can run out of ports for a moment: wait, up to 20 s */
	while (connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		if (++tries > 2000)
			die("cannot connect to the server", NULL);
		usleep(10000);
	}
	send_all(fd, request, len);
	strbuf_reset(resp);
	for (;;) {
		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			fprintf(stderr, "fuzz_server: no answer within %d s: the server hangs\n",
			        FUZZ_TIMEOUT_S);
			abort();
		}
		if (n <= 0)
			break;
		strbuf_add(resp, buf, (size_t)n);
	}
	/* reset rather than close: 100,000s of connections leave no TIME_WAIT behind */
	setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	close(fd);
	return 0;
}

/* The uniform error body: {"error":{"code","message","request_id"}}. */
static int error_body_ok(const char *body, size_t len)
{
	json_error_t je;
	json_t *doc = json_loadb(body, len, 0, &je), *err;
	int ok;

	err = doc ? json_object_get(doc, "error") : NULL;
	ok = err && json_is_string(json_object_get(err, "code")) &&
	     json_is_string(json_object_get(err, "message")) &&
	     json_is_string(json_object_get(err, "request_id"));
	json_decref(doc);
	return ok;
}

static void check(const char *method, const struct fuzz_response *r)
{
	if (atomic_load(&W.unaudited)) {
		fprintf(stderr, "fuzz_server: a change without an audit row: %s\n", W.unaudited_line);
		abort();
	}
	if (r->status < 0) {
		fprintf(stderr, "fuzz_server: %s answered no HTTP response (%zu bytes)\n", method,
		        W.resp.len);
		abort();
	}
	if (r->status >= 500 && r->status != 503) {
		fprintf(stderr, "fuzz_server: the server answered %d:\n%s\n%s\n", r->status, r->head,
		        r->body);
		abort();
	}
	/* Our own answers (not libmicrohttpd's 400/414/431) carry a request id. */
	if (r->status >= 400 && strstr(r->head, "X-Request-Id:") && strcmp(method, "HEAD") &&
	    !error_body_ok(r->body, r->body_len)) {
		fprintf(stderr, "fuzz_server: a %d answer without the JSON error body:\n%s\n",
		        r->status, r->body);
		abort();
	}
}

static void parse(struct fuzz_response *out)
{
	char *sep;

	strbuf_addch(&W.resp, '\0'); /* keep the text NUL-terminated */
	W.resp.len--;
	out->status = -1;
	out->head = W.resp.buf;
	out->body = W.resp.buf + W.resp.len;
	out->body_len = 0;
	if (W.resp.len < 12 || strncmp(W.resp.buf, "HTTP/1.", 7))
		return;
	out->status = atoi(W.resp.buf + 9);
	sep = strstr(W.resp.buf, "\r\n\r\n");
	if (sep) {
		*sep = '\0';
		out->body = sep + 4;
		out->body_len = W.resp.len - (size_t)(out->body - W.resp.buf);
	}
}

/* 1 when who's session still works (a 401 was the request's own answer, e.g. a bad login). */
static int session_alive(enum fuzz_who who)
{
	static const char me[] = "GET /api/v1/me HTTP/1.1\r\nHost: 127.0.0.1\r\n"
	                         "Connection: close\r\nCookie: wm_session=";
	struct strbuf sb = STRBUF_INIT, resp = STRBUF_INIT;
	int ok;

	strbuf_addf(&sb, "%s%s\r\n\r\n", me, W.who[who].token);
	exchange(sb.buf, sb.len, &resp);
	ok = resp.len > 12 && !strncmp(resp.buf + 8, " 200 ", 5);
	strbuf_release(&sb);
	strbuf_release(&resp);
	return ok;
}

int fuzz_request(const char *method, const char *target, size_t target_len,
                 const char *content_type, const void *body, size_t body_len,
                 struct fuzz_response *out)
{
	return fuzz_request_as(FUZZ_ADMIN, method, target, target_len, content_type, body,
	                       body_len, out);
}

int fuzz_request_as(enum fuzz_who who, const char *method, const char *target,
                    size_t target_len, const char *content_type, const void *body,
                    size_t body_len, struct fuzz_response *out)
{
	struct fuzz_response local;
	const char *p;
	int attempt;

	if (!out)
		out = &local;
	if (!W.ready)
		world_init();
	for (p = method; *p && is_token_char((unsigned char)*p) && p - method < 10; p++)
		;
	if (*p || p == method)
		method = "GET";
	for (attempt = 0; attempt < 2; attempt++) {
		strbuf_reset(&W.req);
		strbuf_addf(&W.req, "%s ", method);
		add_target(&W.req, target, target_len);
		strbuf_addf(&W.req,
		            " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
		            "Cookie: wm_session=%s\r\nX-CSRF-Token: %s\r\n",
		            W.who[who].token, W.who[who].csrf);
		if (content_type) {
			strbuf_add(&W.req, "Content-Type: ", 14);
			for (p = content_type; *p; p++)
				strbuf_addch(&W.req, *p == '\r' || *p == '\n' ? ' ' : *p);
			strbuf_add(&W.req, "\r\n", 2);
		}
		if (body)
			strbuf_addf(&W.req, "Content-Length: %zu\r\n", body_len);
		strbuf_add(&W.req, "\r\n", 2);
		if (body)
			strbuf_add(&W.req, body, body_len);
		exchange(W.req.buf, W.req.len, &W.resp);
		parse(out);
		check(method, out);
		if (out->status != 401 || session_alive(who))
			break;
		/*
		 * An earlier request ended our session (a password change, the admin
		 * or the tenant disabled): start the world again.  Rare on purpose:
		 * each restart goes through server_stop.
		 */
		world_stop();
		world_start();
		W.resets++;
	}
	return out->status;
}

size_t fuzz_first_line(const unsigned char *data, size_t size, const unsigned char **rest,
                       size_t *rest_len)
{
	const unsigned char *nl = memchr(data, '\n', size);
	size_t n = nl ? (size_t)(nl - data) : size;

	*rest = nl ? nl + 1 : data + size;
	*rest_len = nl ? size - n - 1 : 0;
	return n;
}

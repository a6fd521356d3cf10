/*
 * main.c - the wenming command: argument parsing, subcommands, start-up and
 * signals.  Exit status: 0 done, 1 failed, 2 usage error.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sodium.h>
#include <unistd.h>

#include "app.h"
#include "audit/audit.h"
#include "auth/auth.h"
#include "auth/login.h"
#include "auth/password.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/log.h"
#include "demo/demo.h"
#include "http/router.h"
#include "http/server.h"
#include "http/webroot.h"
#include "org/org_db.h"
#include "store/store.h"
#include "system/tenants.h"

static const char usage_main[] =
    "用法 usage: wenming [--config FILE] COMMAND [ARGS]\n"
    "\n"
    "  serve               运行 HTTP 服务 / run the HTTP server\n"
    "  init                建库、迁移、创建首个创建主体和 admin 账号 / create the database,\n"
    "                      the first tenant and the admin account (password printed once)\n"
    "  migrate             执行待应用的数据库迁移 / apply pending migrations\n"
    "  backup FILE         在线一致性备份 / online, consistent backup\n"
    "  restore FILE        从备份恢复（请先停止服务）/ restore a backup (stop the server first)\n"
    "  user passwd LOGIN   从标准输入读取新密码 / set a password read from stdin\n"
    "  demo                生成示例县数据 / fill the first tenant with the demo county\n"
    "  audit verify        校验审计日志哈希链 / verify the audit log's hash chain\n"
    "  version             显示版本 / print the version\n"
    "\n"
    "Every command takes --help.  Settings come from --config FILE (or\n"
    "WENMING_CONFIG), overridden by the environment: WENMING_DB (sqlite:PATH or\n"
    "postgres://...), WENMING_LISTEN (127.0.0.1:8080), WENMING_DATA, WENMING_WEB,\n"
    "WENMING_THREADS, WENMING_SQLITE_SYNCHRONOUS (normal|full); see README.md.\n";

/*
 * The web application: the directory `web` / WENMING_WEB names, else the copy
 * built into the binary, else web/dist below the working directory (a server
 * built before the web application, run from the source tree).  NULL: the
 * server answers the API only.
 */
static struct webroot *load_web(const struct config *cfg)
{
	struct webroot *w;

	if (cfg->web_dir[0]) {
		if (!(w = webroot_load(cfg->web_dir)))
			log_warn("no web application at %s; serving the API only", cfg->web_dir);
		return w;
	}
	if ((w = webroot_load_files(webroot_embedded_files)))
		return w;
	if ((w = webroot_load("web/dist"))) {
		log_info("web application read from web/dist (not built into this binary)");
		return w;
	}
	log_warn("no web application built into this binary or at web/dist "
	         "(make web, then make server); serving the API only");
	return NULL;
}

static int wants_help(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return 1;
	return 0;
}

static int fail(const struct error *e)
{
	fprintf(stderr, "wenming: %s%s%s\n",
	        e->message[0] ? e->message : err_default_message(e->code), e->field[0] ? " — " : "",
	        e->field);
	return 1;
}

/* mkdir -p */
static int make_dirs(const char *path)
{
	char buf[1024];
	size_t i, n = strlen(path);

	if (n == 0 || n >= sizeof(buf))
		return n == 0 ? 0 : -1;
	memcpy(buf, path, n + 1);
	for (i = 1; i <= n; i++) {
		if (buf[i] == '/' || buf[i] == '\0') {
			char saved = buf[i];

			buf[i] = '\0';
			if (mkdir(buf, 0750) && errno != EEXIST)
				return -1;
			buf[i] = saved;
		}
	}
	return 0;
}

/* For sqlite:PATH make sure PATH's directory exists. */
static void ensure_db_dir(const char *url)
{
	const char *path;
	char dir[1024];
	char *slash;

	if (!strncmp(url, "postgres", 8))
		return;
	path = !strncmp(url, "sqlite:", 7) ? url + 7 : url;
	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		make_dirs(dir);
	}
}

static int open_store(const struct config *cfg, int migrate, struct store **st, struct error *e)
{
	struct store_opts o;
	int rc, applied = 0;

	store_opts_init(&o);
	o.pool_size = cfg->db_pool;
	o.sqlite_sync_full = cfg->sqlite_sync_full;
	ensure_db_dir(cfg->db);
	rc = store_open(cfg->db, &o, st, e);
	if (rc)
		return rc;
	if (migrate) {
		rc = store_migrate(*st, &applied, e);
		if (rc) {
			store_close(*st);
			*st = NULL;
			return rc;
		}
	}
	return 0;
}

/* ---- serve --------------------------------------------------------- */

static int cmd_serve(struct config *cfg, int argc, char **argv)
{
	struct app app;
	struct server *srv = NULL;
	struct error e;
	sigset_t set;
	int sig = 0;

	(void)argv;
	if (argc > 1) {
		fprintf(stderr, "用法 usage: wenming serve\n");
		return 2;
	}
	error_init(&e);
	memset(&app, 0, sizeof(app));
	app.cfg = *cfg;
	app.started_at = time_now_ms();
	if (password_init())
		return 1;

	/* Block the stop signals before any thread starts, so only sigwait sees them. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (open_store(cfg, 1, &app.store, &e))
		return fail(&e);
	make_dirs(cfg->data_dir);
	app.router = router_new();
	routes_register(app.router);
	app.web = load_web(cfg);
	if (server_start(&app, &srv, &e)) {
		router_free(app.router);
		webroot_free(app.web);
		store_close(app.store);
		return fail(&e);
	}
	log_info("wenming %s listening on %s port %u (db %s, %d threads, %d web files)",
	         WENMING_VERSION, cfg->listen, server_port(srv), store_kind_name(app.store),
	         cfg->threads, webroot_count(app.web));

	while (sigwait(&set, &sig) != 0)
		;
	log_info("received signal %d: finishing %d request(s) in flight, then exiting", sig,
	         server_inflight(srv));
	server_stop(srv, cfg->shutdown_timeout);
	router_free(app.router);
	webroot_free(app.web);
	store_close(app.store);
	log_info("stopped");
	return 0;
}

/* ---- init, migrate ------------------------------------------------- */

static int cmd_init(struct config *cfg, int argc, char **argv)
{
	const char *tenant_name = "未命名创建主体", *region = "";
	struct store *st = NULL;
	struct store_conn *c = NULL;
	struct error e;
	char password[17], hash[PASSWORD_HASH_MAX];
	int64_t tenant_id = 0, user_id = 0;
	int i, rc;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--tenant") && i + 1 < argc) {
			tenant_name = argv[++i];
		} else if (!strcmp(argv[i], "--region") && i + 1 < argc) {
			region = argv[++i];
		} else {
			fprintf(stderr,
			        "用法 usage: wenming init [--tenant NAME] [--region CODE]\n");
			return 2;
		}
	}
	error_init(&e);
	if (open_store(cfg, 1, &st, &e))
		return fail(&e);
	make_dirs(cfg->data_dir);
	c = store_acquire(st, &e);
	if (!c)
		goto failed;
	rc = user_id_by_username(c, "admin", &user_id, &e);
	if (rc == 0) {
		printf("数据库已初始化（admin 账号已存在）。忘记密码请运行: wenming user passwd "
		       "admin\n"
		       "Already initialised (admin exists). Forgot the password? Run: wenming user "
		       "passwd admin\n");
		store_release(c);
		store_close(st);
		return 0;
	}
	if (rc != ERR_NOT_FOUND)
		goto failed;
	error_init(&e);
	password_generate(password, 16);
	if (password_hash(password, hash, &e))
		goto failed;
	if (store_begin(c, 1, &e))
		goto failed;
	rc = tenant_first(c, &tenant_id, &e);
	if (rc == ERR_NOT_FOUND) {
		struct tenant_new t = {tenant_name, region, "county"};

		error_init(&e);
		rc = tenant_insert(c, &t, &tenant_id, &e);
	}
	if (rc == 0)
		rc = roles_seed_builtin(c, tenant_id, &e);
	if (rc == 0) {
		struct user_new u = {tenant_id, "admin", "系统管理员", "", hash, 1};

		rc = user_insert(c, &u, &user_id, &e);
	}
	if (rc == 0)
		rc = user_add_role(c, tenant_id, user_id, "admin", &e);
	if (rc == 0)
		rc = store_commit(c, &e);
	if (rc)
		goto failed;
	store_release(c);
	store_close(st);
	printf("初始化完成 / initialised.\n"
	       "  登录名 username: admin\n"
	       "  密码 password:   %s\n"
	       "该密码只显示这一次，请妥善保存 / shown only this once: keep it safe.\n",
	       password);
	sodium_memzero(password, sizeof(password));
	return 0;
failed:
	if (c)
		store_release(c);
	store_close(st);
	return fail(&e);
}

static int cmd_migrate(struct config *cfg, int argc, char **argv)
{
	struct store *st = NULL;
	struct error e;
	int applied = 0, version = 0;
	struct store_opts o;

	(void)argv;
	if (argc > 1) {
		fprintf(stderr, "用法 usage: wenming migrate\n");
		return 2;
	}
	error_init(&e);
	store_opts_init(&o);
	ensure_db_dir(cfg->db);
	if (store_open(cfg->db, &o, &st, &e) || store_migrate(st, &applied, &e) ||
	    store_schema_version(st, &version, &e)) {
		store_close(st);
		return fail(&e);
	}
	printf("已应用 %d 个迁移，当前版本 %d / applied %d migration(s), schema version %d\n",
	       applied, version, applied, version);
	store_close(st);
	return 0;
}

/* ---- backup, restore ------------------------------------------------ */

static int cmd_backup_restore(struct config *cfg, int argc, char **argv, int restore)
{
	struct store *st = NULL;
	struct error e;
	int rc;

	if (argc != 2) {
		fprintf(stderr, "用法 usage: wenming %s FILE\n", restore ? "restore" : "backup");
		return 2;
	}
	error_init(&e);
	if (!restore && access(argv[1], F_OK) == 0) {
		fprintf(stderr, "wenming: %s 已存在，不会覆盖 / exists, not overwritten\n",
		        argv[1]);
		return 1;
	}
	if (restore && access(argv[1], R_OK) != 0) {
		fprintf(stderr, "wenming: 无法读取 %s / cannot read it\n", argv[1]);
		return 1;
	}
	/* Restore brings its own schema; migrate afterwards, not before. */
	if (open_store(cfg, !restore, &st, &e))
		return fail(&e);
	rc = restore ? store_restore(st, argv[1], &e) : store_backup(st, argv[1], &e);
	if (rc == 0 && restore)
		rc = store_migrate(st, NULL, &e);
	store_close(st);
	if (rc)
		return fail(&e);
	printf("%s完成 / %s done: %s\n", restore ? "恢复" : "备份", restore ? "restore" : "backup",
	       argv[1]);
	return 0;
}

/* ---- user passwd ---------------------------------------------------- */

static int cmd_user(struct config *cfg, int argc, char **argv)
{
	struct store *st = NULL;
	struct store_conn *c = NULL;
	struct error e;
	char line[2048], hash[PASSWORD_HASH_MAX];
	struct login_user who;
	int64_t user_id = 0;
	size_t n;
	int rc;

	if (argc != 3 || strcmp(argv[1], "passwd")) {
		fprintf(stderr,
		        "用法 usage: wenming user passwd LOGIN  (新密码从标准输入读取 / new "
		        "password on stdin)\n");
		return 2;
	}
	if (isatty(STDIN_FILENO))
		fprintf(stderr, "请输入 %s 的新密码（至少 %d 个字符）/ new password: ", argv[2],
		        PASSWORD_MIN_CHARS);
	if (!fgets(line, sizeof(line), stdin)) {
		fprintf(stderr, "wenming: 未读取到密码 / no password on stdin\n");
		return 1;
	}
	n = strlen(line);
	while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	error_init(&e);
	if (password_check_policy(argv[2], line, &e))
		return fail(&e);
	if (open_store(cfg, 1, &st, &e))
		return fail(&e);
	c = store_acquire(st, &e);
	rc = c ? 0 : e.code;
	if (rc == 0) {
		rc = user_login_lookup(c, argv[2], &who, &e);
		if (rc == ERR_NOT_FOUND)
			error_set(&e, ERR_NOT_FOUND, NULL, "用户 %s 不存在 / no such user",
			          argv[2]);
		user_id = who.id;
		sodium_memzero(who.password_hash, sizeof(who.password_hash));
	}
	if (rc == 0)
		rc = password_hash(line, hash, &e);
	/*
	 * As the API's password paths: the new hash, every session of the user
	 * ended and an audit row (actor: the command line), in one transaction.
	 */
	if (rc == 0)
		rc = store_begin(c, 1, &e);
	if (rc == 0) {
		struct req_audit_row a;
		char summary[160], object_id[24];
		json_t *js =
		    json_pack("{s:s, s:s}", "username", argv[2], "by", "wenming user passwd");
		char *text = json_dumps(js, JSON_COMPACT);

		snprintf(summary, sizeof(summary), "%s", text ? text : "{}");
		free(text);
		json_decref(js);
		snprintf(object_id, sizeof(object_id), "%lld", (long long)user_id);
		memset(&a, 0, sizeof(a));
		a.tenant_id = who.tenant_id;
		a.username = "wenming user passwd";
		a.ip = "";
		a.action = "user.reset_password";
		a.object_type = "user";
		a.object_id = object_id;
		a.summary = summary;
		a.result = "ok";
		rc = user_set_password_hash(c, user_id, hash, &e);
		if (rc == 0)
			rc = auth_sessions_revoke_user(c, user_id, 0,
			                               "password set by command line", &e);
		if (rc == 0)
			rc = audit_append(c, &a, &e);
		if (rc == 0)
			rc = store_commit(c, &e);
		if (rc)
			store_rollback(c);
	}
	sodium_memzero(line, sizeof(line));
	sodium_memzero(hash, sizeof(hash));
	store_release(c);
	store_close(st);
	if (rc)
		return fail(&e);
	printf("已更新 %s 的密码 / password updated\n", argv[2]);
	return 0;
}

/* ---- demo ------------------------------------------------------------- */

static int cmd_demo(struct config *cfg, int argc, char **argv)
{
	struct demo_options o;
	struct store *st = NULL;
	struct store_conn *c;
	struct error e;
	int rc;

	memset(&o, 0, sizeof(o));
	o.seed = 20260601;
	if (argc == 2 && !strcmp(argv[1], "--empty"))
		o.empty = 1;
	else if (argc != 1) {
		fprintf(stderr, "用法 usage: wenming demo [--empty]\n");
		return 2;
	}
	error_init(&e);
	if (open_store(cfg, 1, &st, &e))
		return fail(&e);
	make_dirs(cfg->data_dir);
	o.data_dir = cfg->data_dir;
	o.store_kind = store_kind(st);
	c = store_acquire(st, &e);
	rc = c ? demo_run(c, &o, stdout, &e) : e.code;
	store_release(c);
	store_close(st);
	return rc ? fail(&e) : 0;
}

/* ---- audit verify ----------------------------------------------------- */

static int cmd_audit(struct config *cfg, int argc, char **argv)
{
	struct audit_verify_result res;
	struct store *st = NULL;
	struct store_conn *c;
	struct error e;
	int rc;

	if (argc != 2 || strcmp(argv[1], "verify")) {
		fprintf(stderr, "用法 usage: wenming audit verify\n");
		return 2;
	}
	error_init(&e);
	if (open_store(cfg, 1, &st, &e))
		return fail(&e);
	c = store_acquire(st, &e);
	rc = c ? audit_verify(c, &res, &e) : e.code;
	store_release(c);
	store_close(st);
	if (rc)
		return fail(&e);
	if (res.bad_id) {
		printf("审计链损坏：第 %lld 行 / audit chain broken at row %lld: %s\n",
		       (long long)res.bad_id, (long long)res.bad_id, res.why);
		return 1;
	}
	printf("审计链完整，共 %lld 行 / audit chain intact: %lld rows\n", (long long)res.rows,
	       (long long)res.rows);
	return 0;
}

int main(int argc, char **argv)
{
	const char *config_file = NULL, *cmd;
	struct config cfg;
	struct error e;
	int i = 1;

	setvbuf(stdout, NULL, _IOLBF, 0);
	while (i < argc && argv[i][0] == '-') {
		if (!strcmp(argv[i], "--config") && i + 1 < argc) {
			config_file = argv[i + 1];
			i += 2;
		} else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(usage_main, stdout);
			return 0;
		} else if (!strcmp(argv[i], "--version")) {
			printf("wenming %s\n", WENMING_VERSION);
			return 0;
		} else {
			fputs(usage_main, stderr);
			return 2;
		}
	}
	if (i >= argc) {
		fputs(usage_main, stderr);
		return 2;
	}
	cmd = argv[i];
	argc -= i;
	argv += i;
	if (!strcmp(cmd, "version")) {
		printf("wenming %s\n", WENMING_VERSION);
		return 0;
	}
	if (!strcmp(cmd, "help")) {
		fputs(usage_main, stdout);
		return 0;
	}
	if (wants_help(argc, argv)) {
		static const struct {
			const char *cmd, *text;
		} helps[] = {
		    {"serve", "用法 usage: wenming serve\n  运行 HTTP "
		              "服务，启动时自动执行迁移；SIGTERM/SIGINT "
		              "时处理完进行中的请求后退出。\n  Runs the server (migrating first); "
		              "on SIGTERM/SIGINT finishes requests in flight, then exits 0.\n"},
		    {"init",
		     "用法 usage: wenming init [--tenant NAME] [--region CODE]\n  "
		     "建库并迁移，创建首个创建主体和 admin "
		     "账号，随机密码只打印一次；已初始化时什么也不改。\n  Creates and migrates the "
		     "database, the first tenant and user admin with a random\n  password printed "
		     "once.  Does nothing when already initialised.\n"},
		    {"migrate",
		     "用法 usage: wenming migrate\n  执行待应用的数据库迁移（可重复执行）/ apply "
		     "pending migrations (idempotent).\n"},
		    {"backup", "用法 usage: wenming backup FILE\n  在线一致性备份：SQLite 用备份 "
		               "API，PostgreSQL 用 pg_dump。服务可继续运行。\n  Online, consistent "
		               "backup (SQLite backup API; pg_dump on PostgreSQL).\n"},
		    {"restore", "用法 usage: wenming restore FILE\n  "
		                "用备份替换当前数据库内容。请先停止服务。\n  Replaces the "
		                "database's contents with the backup.  Stop the server first.\n"},
		    {"demo",
		     "用法 usage: wenming demo [--empty]\n  "
		     "把首个创建主体填充为示例县（虚构的组织架构和约 150 个用户），并演示近 90 "
		     "天的创城工作（问题、交办单、测评轮次），生成的密码只打印一次；已有数据时不做"
		     "改动。--empty 只建单位和账号。\n  Fills the first tenant as 示例县 (an "
		     "invented organisation, ~150 users), plays its last\n  90 days (problems, "
		     "sheets, rounds; docs/demo.md) and prints the generated password once;\n  "
		     "does nothing when the tenant already has units.  --empty: units and accounts "
		     "only.\n"},
		    {"audit",
		     "用法 usage: wenming audit verify\n  "
		     "重新计算审计日志哈希链；被修改或删除的行会被指出，退出码非零。\n  Recomputes "
		     "the audit hash chain; exits 1 naming the first edited or deleted row.\n"},
		    {"user", "用法 usage: wenming user passwd LOGIN\n  从标准输入读取新密码（至少 "
		             "10 个字符）并设置给该用户。\n  Reads a new password (10+ characters) "
		             "from stdin and sets it.\n"},
		};
		size_t k;

		for (k = 0; k < sizeof(helps) / sizeof(helps[0]); k++)
			if (!strcmp(cmd, helps[k].cmd)) {
				fputs(helps[k].text, stdout);
				return 0;
			}
		fputs(usage_main, stdout);
		return 0;
	}
	error_init(&e);
	if (config_load(&cfg, config_file, &e))
		return fail(&e);
	log_set_level((enum log_level)cfg.log_level);
	if (!strcmp(cmd, "serve"))
		return cmd_serve(&cfg, argc, argv);
	if (!strcmp(cmd, "init"))
		return cmd_init(&cfg, argc, argv);
	if (!strcmp(cmd, "migrate"))
		return cmd_migrate(&cfg, argc, argv);
	if (!strcmp(cmd, "backup"))
		return cmd_backup_restore(&cfg, argc, argv, 0);
	if (!strcmp(cmd, "restore"))
		return cmd_backup_restore(&cfg, argc, argv, 1);
	if (!strcmp(cmd, "user"))
		return cmd_user(&cfg, argc, argv);
	if (!strcmp(cmd, "audit"))
		return cmd_audit(&cfg, argc, argv);
	if (!strcmp(cmd, "demo"))
		return cmd_demo(&cfg, argc, argv);
	fprintf(stderr, "wenming: 未知命令 %s / unknown command\n\n%s", cmd, usage_main);
	return 2;
}

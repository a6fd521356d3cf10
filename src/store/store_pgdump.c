/*
 * store_pgdump.c - backup and restore of the PostgreSQL back end through
 * pg_dump and pg_restore (the custom format), run as child processes with
 * the password in their environment, never in argv.
 */
#include "store/store_int.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "core/alloc.h"
#include "core/log.h"
#include "core/strbuf.h"

/*
 * "--dbname=" plus the target URL as a keyword/value conninfo without its
 * password, which goes to the child in PGPASSWORD instead: argv is
 * world-readable in /proc, the environment is not.  Returns a malloc'd
 * string, or NULL when the URL does not parse; *password is malloc'd or NULL.
 */
static char *dbname_arg(const char *url, char **password)
{
	struct strbuf sb = STRBUF_INIT;
	PQconninfoOption *opts, *o;
	char *errmsg = NULL;
	const char *v;
	int first = 1;

	*password = NULL;
	opts = PQconninfoParse(url, &errmsg);
	if (!opts) {
		log_error("postgres: bad database URL: %s", errmsg ? errmsg : "out of memory");
		PQfreemem(errmsg);
		return NULL;
	}
	strbuf_adds(&sb, "--dbname=");
	for (o = opts; o->keyword; o++) {
		if (!o->val || !*o->val)
			continue;
		if (!strcmp(o->keyword, "password")) {
			*password = xstrdup(o->val);
			continue;
		}
		strbuf_addf(&sb, "%s%s='", first ? "" : " ", o->keyword);
		first = 0;
		for (v = o->val; *v; v++) {
			if (*v == '\'' || *v == '\\')
				strbuf_addch(&sb, '\\');
			strbuf_addch(&sb, *v);
		}
		strbuf_addch(&sb, '\'');
	}
	PQconninfoFree(opts);
	return strbuf_detach(&sb, NULL);
}

/*
 * Run a PostgreSQL client tool found on PATH with argv (no shell), stdin
 * and stdout on /dev/null (stderr stays ours, for the log), PGPASSWORD set
 * when password is not NULL.  Returns 0 when it exits with status 0.
 */
static int run_tool(char *const argv[], const char *password)
{
	posix_spawn_file_actions_t fa;
	char **envp, *pwvar = NULL;
	size_t n = 0, i, j = 0;
	pid_t pid;
	int rc, status;

	while (environ[n])
		n++;
	envp = xcalloc(n + 2, sizeof(*envp));
	for (i = 0; i < n; i++)
		if (!password || strncmp(environ[i], "PGPASSWORD=", 11))
			envp[j++] = environ[i];
	if (password) {
		struct strbuf sb = STRBUF_INIT;

		strbuf_addf(&sb, "PGPASSWORD=%s", password);
		pwvar = strbuf_detach(&sb, NULL);
		envp[j++] = pwvar;
	}
	envp[j] = NULL;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, envp);
	posix_spawn_file_actions_destroy(&fa);
	free(envp);
	if (pwvar) {
		explicit_bzero(pwvar, strlen(pwvar));
		free(pwvar);
	}
	if (rc != 0) {
		log_error("postgres: cannot run %s: %s", argv[0], strerror(rc));
		return -1;
	}
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			log_error("postgres: waiting for %s: %s", argv[0], strerror(errno));
			return -1;
		}
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		log_error("postgres: %s failed (%s %d)", argv[0],
		          WIFEXITED(status) ? "exit status" : "signal",
		          WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
		return -1;
	}
	return 0;
}

static void free_secret(char *s)
{
	if (s) {
		explicit_bzero(s, strlen(s));
		free(s);
	}
}

/*
 * pg_dump takes one snapshot, so the copy is consistent while the server
 * keeps running.  It writes FILE.part (mode 0600: it holds every password
 * hash) and renames it over FILE only when complete.
 */
int store_pg_backup(struct store *s, const char *file, struct error *e)
{
	struct strbuf part = STRBUF_INIT, filearg = STRBUF_INIT;
	char *password = NULL, *dbarg;
	int fd, rc = 0;

	dbarg = dbname_arg(s->target, &password);
	if (!dbarg)
		return error_set(e, ERR_INTERNAL, NULL, "备份失败");
	strbuf_addf(&part, "%s.part", file);
	strbuf_addf(&filearg, "--file=%s", part.buf);
	fd = open(part.buf, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		log_error("postgres: backup: cannot create %s: %s", part.buf, strerror(errno));
		rc = error_set(e, ERR_INTERNAL, NULL, "备份失败：无法创建备份文件");
		goto out;
	}
	close(fd);
	{
		char *argv[] = {
		    "pg_dump", "--format=custom", "--no-owner", "--no-password", filearg.buf, dbarg,
		    NULL};

		if (run_tool(argv, password) != 0) {
			unlink(part.buf);
			rc = error_set(e, ERR_INTERNAL, NULL, "备份失败");
			goto out;
		}
	}
	if (rename(part.buf, file) != 0) {
		log_error("postgres: backup: rename to %s: %s", file, strerror(errno));
		unlink(part.buf);
		rc = error_set(e, ERR_INTERNAL, NULL, "备份失败：无法写入备份文件");
	}
out:
	strbuf_release(&part);
	strbuf_release(&filearg);
	free_secret(dbarg);
	free_secret(password);
	return rc;
}

/*
 * pg_restore in one transaction: either the database holds exactly the
 * backup's tables and rows afterwards, or nothing changed.  The file is
 * checked first (its table of contents), so a wrong file is a clear 422.
 */
int store_pg_restore(struct store *s, const char *file, struct error *e)
{
	char *password = NULL, *dbarg;
	int rc = 0;

	if (access(file, R_OK) != 0)
		return error_set(e, ERR_INVALID, "file", "备份文件不存在或无法读取");
	{
		char *argv[] = {"pg_restore", "--list", (char *)file, NULL};

		if (run_tool(argv, NULL) != 0)
			return error_set(e, ERR_INVALID, "file", "备份文件已损坏或不是数据库备份");
	}
	dbarg = dbname_arg(s->target, &password);
	if (!dbarg)
		return error_set(e, ERR_INTERNAL, NULL, "恢复失败");
	{
		char *argv[] = {
		    "pg_restore",    "--clean", "--if-exists", "--no-owner", "--single-transaction",
		    "--no-password", dbarg,     (char *)file,  NULL};

		if (run_tool(argv, password) != 0)
			rc = error_set(e, ERR_INTERNAL, NULL, "恢复失败");
	}
	free_secret(dbarg);
	free_secret(password);
	return rc;
}

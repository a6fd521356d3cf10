/* config.c - defaults, file, environment. */
#include "core/config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/log.h"

enum key_type { K_STR, K_INT, K_SIZE, K_BOOL, K_SYNC, K_LEVEL };

struct key {
	const char *name;
	enum key_type type;
	size_t offset;
	size_t size; /* strings: buffer size */
	long min, max;
};

#define STR(n, f)                                                                                  \
	{                                                                                          \
		n, K_STR, offsetof(struct config, f), sizeof(((struct config *)0)->f), 0, 0        \
	}
#define INT(n, f, lo, hi)                                                                          \
	{                                                                                          \
		n, K_INT, offsetof(struct config, f), 0, lo, hi                                    \
	}

static const struct key config_keys[] = {
    STR("db", db),
    STR("listen", listen),
    STR("data", data_dir),
    STR("web", web_dir),
    INT("threads", threads, 0, 256),
    INT("db_pool", db_pool, 0, 512),
    INT("max_connections", max_connections, 1, 100000),
    INT("idle_timeout", idle_timeout, 1, 3600),
    {"max_body", K_SIZE, offsetof(struct config, max_body), 0, 1024, 64L << 20},
    {"max_upload", K_SIZE, offsetof(struct config, max_upload), 0, 1024, 1L << 30},
    {"sqlite_synchronous", K_SYNC, offsetof(struct config, sqlite_sync_full), 0, 0, 0},
    INT("shutdown_timeout", shutdown_timeout, 0, 3600),
    {"log_level", K_LEVEL, offsetof(struct config, log_level), 0, 0, 0},
    {"https", K_BOOL, offsetof(struct config, https), 0, 0, 1},
    INT("session_idle", session_idle, 60, 30 * 86400),
    INT("session_absolute", session_absolute, 60, 90 * 86400),
    {"trust_proxy", K_BOOL, offsetof(struct config, trust_proxy), 0, 0, 1},
    STR("map_tile_url", map_tile_url),
    STR("map_tile_attribution", map_tile_attribution),
};

#define NKEYS (sizeof(config_keys) / sizeof(config_keys[0]))

void config_defaults(struct config *c)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->db, sizeof(c->db), "sqlite:var/wenming.db");
	snprintf(c->listen, sizeof(c->listen), "127.0.0.1:8080");
	snprintf(c->data_dir, sizeof(c->data_dir), "var/data");
	c->threads = 0;
	c->db_pool = 0;
	c->max_connections = 2048;
	c->idle_timeout = 60;
	c->max_body = 1L << 20;
	c->max_upload = 64L << 20;
	c->sqlite_sync_full = 0;
	c->shutdown_timeout = 30;
	c->log_level = LOG_INFO;
	c->https = 0;
	c->session_idle = 2 * 3600;
	c->session_absolute = 12 * 3600;
	c->trust_proxy = 0;
}

int config_tile_source(const char *url, char *out, size_t size)
{
	const char *host, *end;
	size_t i;

	if (out && size)
		out[0] = '\0';
	if (!*url)
		return 0;
	for (i = 0; url[i]; i++)
		if ((unsigned char)url[i] <= ' ' || strchr("\"'\\;,<>`", url[i]))
			return -1;
	if (!strstr(url, "{z}") || !strstr(url, "{x}") || !strstr(url, "{y}"))
		return -1;
	if (url[0] == '/')
		return url[1] == '/' ? -1 : 0; /* "//host" is another origin in disguise */
	if (!strncmp(url, "https://", 8))
		host = url + 8;
	else if (!strncmp(url, "http://", 7))
		host = url + 7;
	else
		return -1;
	end = host + strcspn(host, "/?#");
	if (end == host || memchr(host, '@', (size_t)(end - host)) ||
	    memchr(host, '*', (size_t)(end - host)))
		return -1;
	/* Leaflet's {s} subdomain may only start the host: "{s}.tile.example" */
	if (!strncmp(host, "{s}.", 4)) {
		if (end - host <= 4 || memchr(host + 4, '{', (size_t)(end - host - 4)))
			return -1;
		if (out && (size_t)snprintf(out, size, "%.*s*%.*s", (int)(host - url), url,
		                            (int)(end - host - 3), host + 3) >= size)
			return -1;
		return 0;
	}
	if (memchr(host, '{', (size_t)(end - host)))
		return -1;
	if (out && (size_t)snprintf(out, size, "%.*s", (int)(end - url), url) >= size)
		return -1;
	return 0;
}

/* "64M", "512k", "1048576" -> bytes */
static int parse_size(const char *v, long *out)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(v, &end, 10);
	if (errno || end == v || n < 0)
		return -1;
	switch (tolower((unsigned char)*end)) {
	case '\0':
		break;
	case 'k':
		n <<= 10;
		end++;
		break;
	case 'm':
		n <<= 20;
		end++;
		break;
	case 'g':
		n <<= 30;
		end++;
		break;
	default:
		return -1;
	}
	if (*end)
		return -1;
	*out = n;
	return 0;
}

int config_set(struct config *c, const char *key, const char *value, struct error *e)
{
	const struct key *k = NULL;
	char *base = (char *)c, *end;
	long n;
	size_t i;

	for (i = 0; i < NKEYS; i++)
		if (!strcmp(config_keys[i].name, key))
			k = &config_keys[i];
	if (!k)
		return error_set(e, ERR_INVALID, key, "未知的配置项 %s", key);
	switch (k->type) {
	case K_STR:
		if (strlen(value) >= k->size)
			return error_set(e, ERR_INVALID, key, "配置项 %s 过长", key);
		if (!strcmp(key, "map_tile_url") && config_tile_source(value, NULL, 0) < 0)
			return error_set(
			    e, ERR_INVALID, key,
			    "配置项 %s 应为含 {z}、{x}、{y} 的 http(s) 地址或以 / 开头的路径", key);
		if (!strcmp(key, "map_tile_attribution") && strpbrk(value, "<>\r\n"))
			return error_set(e, ERR_INVALID, key, "配置项 %s 不能含 <、> 或换行", key);
		memcpy(base + k->offset, value, strlen(value) + 1);
		return 0;
	case K_INT:
	case K_BOOL:
		if (k->type == K_BOOL && (!strcmp(value, "true") || !strcmp(value, "on"))) {
			n = 1;
		} else if (k->type == K_BOOL &&
		           (!strcmp(value, "false") || !strcmp(value, "off"))) {
			n = 0;
		} else {
			errno = 0;
			n = strtol(value, &end, 10);
			if (errno || end == value || *end)
				return error_set(e, ERR_INVALID, key, "配置项 %s 应为整数", key);
		}
		if (n < k->min || n > k->max)
			return error_set(e, ERR_INVALID, key, "配置项 %s 超出范围 %ld..%ld", key,
			                 k->min, k->max);
		*(int *)(base + k->offset) = (int)n;
		return 0;
	case K_SIZE:
		if (parse_size(value, &n) || n < k->min || n > k->max)
			return error_set(e, ERR_INVALID, key,
			                 "配置项 %s 应为 %ld..%ld 字节（可用 k/M/G）", key, k->min,
			                 k->max);
		*(long *)(base + k->offset) = n;
		return 0;
	case K_SYNC:
		if (!strcasecmp(value, "normal"))
			c->sqlite_sync_full = 0;
		else if (!strcasecmp(value, "full"))
			c->sqlite_sync_full = 1;
		else
			return error_set(e, ERR_INVALID, key,
			                 "sqlite_synchronous 只能是 normal 或 full");
		return 0;
	case K_LEVEL:
		if (!strcasecmp(value, "debug"))
			c->log_level = LOG_DEBUG;
		else if (!strcasecmp(value, "info"))
			c->log_level = LOG_INFO;
		else if (!strcasecmp(value, "warn"))
			c->log_level = LOG_WARN;
		else if (!strcasecmp(value, "error"))
			c->log_level = LOG_ERROR;
		else
			return error_set(e, ERR_INVALID, key,
			                 "log_level 只能是 debug/info/warn/error");
		return 0;
	}
	return error_set(e, ERR_INTERNAL, key, NULL);
}

static char *trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

static int config_read_file(struct config *c, const char *file, struct error *e)
{
	char line[2048];
	int lineno = 0, rc = 0;
	FILE *f = fopen(file, "r");

	if (!f)
		return error_set(e, ERR_INVALID, "config", "无法读取配置文件 %s", file);
	while (rc == 0 && fgets(line, sizeof(line), f)) {
		char *s, *eq;

		lineno++;
		s = trim(line);
		if (!*s || *s == '#')
			continue;
		eq = strchr(s, '=');
		if (!eq) {
			rc = error_set(e, ERR_INVALID, "config", "配置文件 %s 第 %d 行缺少 =", file,
			               lineno);
			break;
		}
		*eq = '\0';
		rc = config_set(c, trim(s), trim(eq + 1), e);
	}
	fclose(f);
	return rc;
}

int config_load(struct config *c, const char *file, struct error *e)
{
	char env[64];
	size_t i, j;
	int rc;

	config_defaults(c);
	if (!file || !*file)
		file = getenv("WENMING_CONFIG");
	if (file && *file) {
		rc = config_read_file(c, file, e);
		if (rc)
			return rc;
	}
	for (i = 0; i < NKEYS; i++) {
		const char *v;

		snprintf(env, sizeof(env), "WENMING_%s", config_keys[i].name);
		for (j = 8; env[j]; j++)
			env[j] = (char)toupper((unsigned char)env[j]);
		v = getenv(env);
		if (v && *v) {
			rc = config_set(c, config_keys[i].name, v, e);
			if (rc)
				return rc;
		}
	}
	if (c->threads == 0) {
		long cores = sysconf(_SC_NPROCESSORS_ONLN);

		c->threads = cores > 2 ? (int)cores * 2 : 4;
	}
	if (c->db_pool == 0)
		c->db_pool = c->threads + 2;
	return 0;
}

/* webroot.c - static files from memory. */
#include "http/webroot.h"

#include <dirent.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/alloc.h"
#include "core/log.h"
#include "http/req.h"

struct webfile {
	char *path; /* "/assets/index-abc.js" */
	const char *type;
	char etag[36]; /* "\"<32 hex>\"" */
	unsigned char *data, *gz;
	size_t len, gzlen;
	int immutable; /* hashed asset name: cache for a year */
};

struct webroot {
	struct webfile *files;
	int n, cap;
	struct webfile *index;
	int borrowed; /* data and gz belong to a table in the binary */
};

static const struct {
	const char *ext, *type;
} mime_types[] = {
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".json", "application/json; charset=utf-8"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".jpg", "image/jpeg"},
    {".jpeg", "image/jpeg"},
    {".gif", "image/gif"},
    {".webp", "image/webp"},
    {".ico", "image/x-icon"},
    {".woff", "font/woff"},
    {".woff2", "font/woff2"},
    {".ttf", "font/ttf"},
    {".txt", "text/plain; charset=utf-8"},
    {".webmanifest", "application/manifest+json"},
    {".map", "application/json; charset=utf-8"},
};

static const char *mime_for(const char *path)
{
	const char *dot = strrchr(path, '.');
	size_t i;

	if (dot)
		for (i = 0; i < sizeof(mime_types) / sizeof(mime_types[0]); i++)
			if (!strcasecmp(dot, mime_types[i].ext))
				return mime_types[i].type;
	return "application/octet-stream";
}

static unsigned char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf;
	struct stat st;

	if (!f)
		return NULL;
	if (fstat(fileno(f), &st) || !S_ISREG(st.st_mode)) {
		fclose(f);
		return NULL;
	}
	buf = xmalloc((size_t)st.st_size + 1);
	*len = fread(buf, 1, (size_t)st.st_size, f);
	fclose(f);
	return buf;
}

static struct webfile *find(struct webroot *w, const char *path)
{
	int i;

	for (i = 0; i < w->n; i++)
		if (!strcmp(w->files[i].path, path))
			return &w->files[i];
	return NULL;
}

/* Append a file whose bytes the webroot now holds (or borrows). */
static void add_data(struct webroot *w, const char *urlpath, const unsigned char *data, size_t len,
                     const unsigned char *gz, size_t gzlen)
{
	struct webfile *f;
	unsigned char hash[16];
	int i;

	if (w->n == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 32;
		w->files = xrealloc(w->files, (size_t)w->cap * sizeof(*w->files));
	}
	f = &w->files[w->n];
	memset(f, 0, sizeof(*f));
	f->data = (unsigned char *)data;
	f->len = len;
	f->gz = (unsigned char *)gz;
	f->gzlen = gzlen;
	f->path = xstrdup(urlpath);
	f->type = mime_for(urlpath);
	f->immutable = !strncmp(urlpath, "/assets/", 8);
	crypto_generichash(hash, sizeof(hash), data, len, NULL, 0);
	f->etag[0] = '"';
	for (i = 0; i < 16; i++)
		snprintf(f->etag + 1 + i * 2, 3, "%02x", hash[i]);
	f->etag[33] = '"';
	f->etag[34] = '\0';
	w->n++;
}

static int is_gz(const char *path)
{
	size_t len = strlen(path);

	return len > 3 && !strcmp(path + len - 3, ".gz");
}

static void add_file(struct webroot *w, const char *fspath, const char *urlpath)
{
	unsigned char *data, *gz;
	size_t len = 0, gzlen = 0;
	char gzpath[4200];

	if (is_gz(urlpath))
		return; /* attached to its original below */
	data = read_file(fspath, &len);
	if (!data)
		return;
	snprintf(gzpath, sizeof(gzpath), "%s.gz", fspath);
	gz = read_file(gzpath, &gzlen);
	add_data(w, urlpath, data, len, gz, gzlen);
}

static void scan(struct webroot *w, const char *dir, const char *prefix, int depth)
{
	struct dirent *de;
	DIR *d;

	if (depth > 8 || !(d = opendir(dir)))
		return;
	while ((de = readdir(d))) {
		char fspath[4096], urlpath[2048];
		struct stat st;

		if (de->d_name[0] == '.')
			continue;
		snprintf(fspath, sizeof(fspath), "%s/%s", dir, de->d_name);
		snprintf(urlpath, sizeof(urlpath), "%s/%s", prefix, de->d_name);
		if (stat(fspath, &st))
			continue;
		if (S_ISDIR(st.st_mode))
			scan(w, fspath, urlpath, depth + 1);
		else if (S_ISREG(st.st_mode))
			add_file(w, fspath, urlpath);
	}
	closedir(d);
}

static struct webroot *with_index(struct webroot *w)
{
	w->index = find(w, "/index.html");
	if (!w->index) {
		webroot_free(w);
		return NULL;
	}
	return w;
}

struct webroot *webroot_load(const char *dir)
{
	struct webroot *w = xcalloc(1, sizeof(*w));

	scan(w, dir, "", 0);
	return with_index(w);
}

struct webroot *webroot_load_files(const struct webroot_file *files)
{
	struct webroot *w = xcalloc(1, sizeof(*w));
	const struct webroot_file *f, *g, *gz;
	size_t len;

	w->borrowed = 1;
	for (f = files; f->path; f++) {
		if (is_gz(f->path))
			continue;
		gz = NULL;
		len = strlen(f->path);
		for (g = files; g->path && !gz; g++)
			if (strlen(g->path) == len + 3 && !strncmp(g->path, f->path, len) &&
			    is_gz(g->path))
				gz = g;
		add_data(w, f->path, f->data, f->len, gz ? gz->data : NULL, gz ? gz->len : 0);
	}
	return with_index(w);
}

void webroot_free(struct webroot *w)
{
	int i;

	if (!w)
		return;
	for (i = 0; i < w->n; i++) {
		free(w->files[i].path);
		if (!w->borrowed) {
			free(w->files[i].data);
			free(w->files[i].gz);
		}
	}
	free(w->files);
	free(w);
}

int webroot_count(const struct webroot *w)
{
	return w ? w->n : 0;
}

static int accepts_gzip(struct req *r)
{
	const char *ae = req_header(r, "Accept-Encoding");

	return ae && strstr(ae, "gzip");
}

int webroot_serve(struct webroot *w, struct req *r)
{
	const char *inm;
	struct webfile *f;
	const char *last;

	f = strcmp(r->path, "/") ? find(w, r->path) : w->index;
	if (!f) {
		/* A missing asset is a 404; any other path is a page of the app. */
		last = strrchr(r->path, '/');
		if (last && strchr(last, '.'))
			return req_fail(r, ERR_NOT_FOUND, NULL, "文件不存在");
		f = w->index;
	}
	req_add_header(r, "ETag", f->etag);
	req_add_header(r, "Cache-Control",
	               f->immutable ? "public, max-age=31536000, immutable" : "no-cache");
	if (f->gz)
		req_add_header(r, "Vary", "Accept-Encoding");
	inm = req_header(r, "If-None-Match");
	if (inm && strstr(inm, f->etag))
		return req_reply_bytes(r, 304, f->type, "", 0, 0);
	if (f->gz && accepts_gzip(r)) {
		req_add_header(r, "Content-Encoding", "gzip");
		return req_reply_bytes(r, 200, f->type, f->gz, f->gzlen, 0);
	}
	return req_reply_bytes(r, 200, f->type, f->data, f->len, 0);
}

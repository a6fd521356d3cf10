/*
 * blob_fs.c - blobs as files under data_dir/files/ab/cd/<sha256>.
 *
 * The name is the content's hash, never anything the client sent, so no
 * upload can choose a path.  A blob is written to data_dir/tmp, fsync'd,
 * renamed into place and its directory fsync'd before put returns: the
 * caller commits the files row only after that, so an acknowledged upload
 * survives kill -9 or a power cut.  Equal contents share one file.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/log.h"
#include "files/blob.h"

/* A key is 64 lowercase hex digits; anything else never reaches the filesystem. */
static int key_ok(const char *key)
{
	size_t i;

	for (i = 0; key[i]; i++)
		if (!((key[i] >= '0' && key[i] <= '9') || (key[i] >= 'a' && key[i] <= 'f')))
			return 0;
	return i == 64;
}

static const char *blob_path(const struct blob_ctx *x, const char *key, struct arena *a)
{
	return arena_printf(a, "%s/files/%.2s/%.2s/%s", x->data_dir, key, key + 2, key);
}

static int mkdir_ok(const char *dir)
{
	return mkdir(dir, 0750) == 0 || errno == EEXIST;
}

/* 1: put leaves syncing to one blob_fs_sync (blob_fs_defer_sync). */
static int defer_sync;

void blob_fs_defer_sync(int on)
{
	defer_sync = on;
}

int blob_fs_sync(const char *data_dir, struct error *e)
{
	int fd = open(data_dir, O_RDONLY | O_DIRECTORY), rc;

	if (fd < 0)
		return error_set(e, ERR_INTERNAL, NULL, NULL);
	rc = syncfs(fd);
	close(fd);
	if (rc) {
		log_error("blob_fs: cannot sync %s: %s", data_dir, strerror(errno));
		return error_set(e, ERR_INTERNAL, NULL, NULL);
	}
	return 0;
}

static int fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	int rc;

	if (fd < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

static int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

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

/*
 * Write data to <root>/ab/cd/<key> through a temporary file in
 * data_dir/tmp and a rename, so a reader never sees half a file.  The
 * bytes are fsync'd before the rename; dir_sync also fsyncs the new name
 * and the directories made for it.  0, or -1 with errno.
 */
static int fs_write(const char *data_dir, const char *root, const char *key, const void *data,
                    size_t len, int dir_sync, struct arena *a)
{
	const char *d1 = arena_printf(a, "%s/%.2s", root, key);
	const char *d2 = arena_printf(a, "%s/%.2s", d1, key + 2);
	const char *path = arena_printf(a, "%s/%s", d2, key);
	const char *tmpdir = arena_printf(a, "%s/tmp", data_dir);
	const char *tmp;
	struct stat st;
	int fd;

	if (stat(path, &st) == 0 && st.st_size == (off_t)len)
		return 0; /* the same bytes are already stored */
	if (!mkdir_ok(root) || !mkdir_ok(d1) || !mkdir_ok(d2) || !mkdir_ok(tmpdir))
		return -1;
	tmp = arena_printf(a, "%s/upload-XXXXXX", tmpdir);
	fd = mkstemp((char *)tmp);
	if (fd < 0)
		return -1;
	if (write_all(fd, data, len) || (!defer_sync && fsync(fd))) {
		close(fd);
		unlink(tmp);
		return -1;
	}
	close(fd);
	chmod(tmp, 0640);
	if (rename(tmp, path)) {
		unlink(tmp);
		return -1;
	}
	if (dir_sync && !defer_sync && (fsync_dir(d2) || fsync_dir(d1) || fsync_dir(root)))
		return -1;
	return 0;
}

/* The whole file path into a, or -1 with errno (ENOENT: not there). */
static int fs_read(const char *path, struct arena *a, void **data, size_t *len)
{
	struct stat st;
	char *buf;
	size_t got = 0;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st)) {
		close(fd);
		return -1;
	}
	buf = arena_alloc(a, (size_t)st.st_size + 1);
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	if (got != (size_t)st.st_size) {
		errno = EIO;
		return -1;
	}
	*data = buf;
	*len = got;
	return 0;
}

static int fs_put(const struct blob_ctx *x, const char *sha256, const void *data, size_t len,
                  struct arena *a, const char **key, struct error *e)
{
	*key = NULL;
	if (!key_ok(sha256))
		return error_set(e, ERR_INTERNAL, NULL, NULL);
	/* the new name, and the directories made for it, must survive a crash */
	if (fs_write(x->data_dir, arena_printf(a, "%s/files", x->data_dir), sha256, data, len, 1,
	             a))
		goto failed;
	*key = arena_strdup(a, sha256);
	return 0;
failed:
	log_error("blob_fs: cannot store %s: %s", sha256, strerror(errno));
	return error_set(e, errno == ENOSPC ? ERR_UNAVAILABLE : ERR_INTERNAL, NULL,
	                 errno == ENOSPC ? "服务器磁盘空间不足，文件未保存" : NULL);
}

static int fs_get(const struct blob_ctx *x, const char *key, struct arena *a, void **data,
                  size_t *len, struct error *e)
{
	*data = NULL;
	*len = 0;
	if (!key_ok(key))
		return error_set(e, ERR_NOT_FOUND, NULL, "文件不存在");
	if (fs_read(blob_path(x, key, a), a, data, len)) {
		log_error("blob_fs: cannot read %s: %s", key, strerror(errno));
		return error_set(e, errno == ENOENT ? ERR_NOT_FOUND : ERR_INTERNAL, NULL,
		                 errno == ENOENT ? "文件不存在" : NULL);
	}
	return 0;
}

static int fs_del(const struct blob_ctx *x, const char *key, struct error *e)
{
	struct arena a;
	int rc = 0;

	if (!key_ok(key))
		return 0;
	arena_init(&a);
	if (unlink(blob_path(x, key, &a)) && errno != ENOENT)
		rc = error_set(e, ERR_INTERNAL, NULL, NULL);
	arena_release(&a);
	return rc;
}

const struct blob_methods blob_fs = {"fs", fs_put, fs_get, fs_del};

/* ---- rendered images ---- */

static const char *render_root(const char *data_dir, struct arena *a)
{
	return arena_printf(a, "%s/cache", data_dir);
}

int render_cache_get(const char *data_dir, const char *key, struct arena *a, void **data,
                     size_t *len)
{
	const char *root;

	if (!key_ok(key))
		return -1;
	root = render_root(data_dir, a);
	return fs_read(arena_printf(a, "%s/%.2s/%.2s/%s", root, key, key + 2, key), a, data, len);
}

void render_cache_put(const char *data_dir, const char *key, const void *data, size_t len)
{
	struct arena a;

	if (!key_ok(key))
		return;
	arena_init(&a);
	/* only a render is lost if the name is: no directory fsync */
	if (fs_write(data_dir, render_root(data_dir, &a), key, data, len, 0, &a))
		log_warn("blob_fs: cannot keep a rendered image: %s", strerror(errno));
	arena_release(&a);
}

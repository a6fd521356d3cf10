/*
 * blob.h - where the bytes of an uploaded file live, behind one small table
 * of functions (like sqlite3_io_methods), chosen once per store kind:
 *
 *   blob_fs  files under data_dir/files/ab/cd/<sha256>, written to a temp
 *            file, fsync'd and renamed, the directory fsync'd: for SQLite,
 *            where the server owns the disk.
 *   blob_db  rows of file_blobs in the database: for PostgreSQL, so several
 *            servers behind one balancer share the files.
 *
 * A key is the back end's name for a stored blob (the sha256 for blob_fs,
 * the file_blobs id for blob_db); the files table keeps it with the back
 * end's name.  put on blob_db must run inside the caller's write
 * transaction, so the blob and its files row commit together.
 */
#ifndef WENMING_BLOB_H
#define WENMING_BLOB_H

#include <stddef.h>

#include "core/err.h"

struct arena;
struct store_conn;

/* What a back end needs for one call. */
struct blob_ctx {
	const char *data_dir; /* blob_fs: the server's data directory */
	struct store_conn *c; /* blob_db: the request's connection */
};

struct blob_methods {
	const char *name; /* "fs" | "db", stored in files.storage */
	/*
	 * Store len bytes whose SHA-256 (hex) is sha256; *key (from a) names
	 * them afterwards.  Durable when it returns 0.
	 */
	int (*put)(const struct blob_ctx *x, const char *sha256, const void *data, size_t len,
	           struct arena *a, const char **key, struct error *e);
	/* The bytes of key, copied into a; ERR_NOT_FOUND when gone. */
	int (*get)(const struct blob_ctx *x, const char *key, struct arena *a, void **data,
	           size_t *len, struct error *e);
	/* Forget key; 0 when it was already gone. */
	int (*del)(const struct blob_ctx *x, const char *key, struct error *e);
};

extern const struct blob_methods blob_fs;
extern const struct blob_methods blob_db;

/*
 * A bulk writer's durability: after blob_fs_defer_sync(1) blob_fs's put
 * writes and renames without its fsyncs, and the writer calls
 * blob_fs_sync (one syncfs of the file system holding data_dir) before it
 * commits the rows that name the blobs.  Only `wenming demo` does, which
 * stores hundreds of generated photos in one transaction; the server never
 * defers.
 */
void blob_fs_defer_sync(int on);
int blob_fs_sync(const char *data_dir, struct error *e);

/* The back end for a store kind (enum store_kind): fs for SQLite, db for PostgreSQL. */
const struct blob_methods *blob_for_kind(int store_kind);

/* The back end called name ("fs" | "db"), or NULL: rows keep the back end that wrote them. */
const struct blob_methods *blob_by_name(const char *name);

/*
 * Rendered images (thumbnails, watermarked copies) kept under
 * data_dir/cache/ab/cd/<key>, key 64 hex digits naming the original and how
 * it was rendered.  They are derived data: a server keeps its own, a lost
 * or deleted one costs only a render, and backups leave them out.
 * render_cache_get: 0 and the bytes (from a), or -1 when there is none.
 */
int render_cache_get(const char *data_dir, const char *key, struct arena *a, void **data,
                     size_t *len);
void render_cache_put(const char *data_dir, const char *key, const void *data, size_t len);

#endif

/*
 * blob_db.c - blobs as rows of file_blobs, so every server of a PostgreSQL
 * deployment sees the same files.  put runs on the caller's connection, in
 * its write transaction: the bytes and the files row commit together.
 */
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "files/blob.h"
#include "store/store.h"

STORE_SQL(q_blob_insert, "INSERT INTO file_blobs (data) VALUES (?) RETURNING id");
STORE_SQL(q_blob_get, "SELECT data FROM file_blobs WHERE id = ?");
STORE_SQL(q_blob_delete, "DELETE FROM file_blobs WHERE id = ?");

static int64_t key_id(const char *key)
{
	char *end;
	long long id = strtoll(key, &end, 10);

	return *key && !*end && id > 0 ? (int64_t)id : 0;
}

static int db_put(const struct blob_ctx *x, const char *sha256, const void *data, size_t len,
                  struct arena *a, const char **key, struct error *e)
{
	struct store_val arg = sv_blob(data, len);
	int64_t id = 0;
	int rc;

	(void)sha256;
	*key = NULL;
	rc = store_query_int(x->c, &q_blob_insert, &arg, 1, &id, e);
	if (rc)
		return rc;
	*key = arena_printf(a, "%lld", (long long)id);
	return 0;
}

static int db_get(const struct blob_ctx *x, const char *key, struct arena *a, void **data,
                  size_t *len, struct error *e)
{
	struct store_val arg = sv_int(key_id(key));
	struct store_rows *rows;
	const void *p;
	int rc;

	*data = NULL;
	*len = 0;
	rc = store_query(x->c, &q_blob_get, &arg, 1, &rows, e);
	if (rc)
		return rc;
	rc = store_next(rows);
	if (rc == 1) {
		p = store_blob(rows, 0, len);
		*data = arena_alloc(a, *len + 1);
		if (*len)
			memcpy(*data, p, *len);
		rc = 0;
	} else if (rc == 0) {
		rc = error_set(e, ERR_NOT_FOUND, NULL, "文件不存在");
	} else {
		rc = error_set(e, rc, NULL, NULL);
	}
	store_finish(rows);
	return rc;
}

static int db_del(const struct blob_ctx *x, const char *key, struct error *e)
{
	struct store_val arg = sv_int(key_id(key));

	return store_exec(x->c, &q_blob_delete, &arg, 1, NULL, e);
}

const struct blob_methods blob_db = {"db", db_put, db_get, db_del};

const struct blob_methods *blob_for_kind(int kind)
{
	return kind == STORE_POSTGRES ? &blob_db : &blob_fs;
}

const struct blob_methods *blob_by_name(const char *name)
{
	if (name && !strcmp(name, "fs"))
		return &blob_fs;
	if (name && !strcmp(name, "db"))
		return &blob_db;
	return NULL;
}

/* file_db.c - rows of the files table. */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "core/arena.h"
#include "core/clock.h"
#include "files/blob.h"
#include "files/files.h"
#include "store/store.h"

#define FILE_COLS                                                                                  \
	"id, tenant_id, user_id, sha256, size, content_type, width, height, orientation, "         \
	"captured_at, gps_lat, gps_lng, storage, storage_key, original_name, created_at"

STORE_SQL(q_file_insert,
          "INSERT INTO files (tenant_id, user_id, sha256, size, content_type, width, height,"
          " orientation, captured_at, gps_lat, gps_lng, storage, storage_key, original_name,"
          " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
STORE_SQL(q_file_get, "SELECT " FILE_COLS " FROM files WHERE id = ? AND tenant_id = ?");
STORE_SQL(q_file_storage, "SELECT storage, storage_key FROM files"
                          " WHERE tenant_id = ? AND sha256 = ? ORDER BY id LIMIT 1");

int file_insert(struct store_conn *c, struct file_info *f, struct error *e)
{
	struct store_val args[15];

	f->created_at = time_now_ms();
	args[0] = sv_int(f->tenant_id);
	args[1] = f->user_id ? sv_int(f->user_id) : sv_null();
	args[2] = sv_text(f->sha256);
	args[3] = sv_int(f->size);
	args[4] = sv_text(f->content_type);
	args[5] = sv_int(f->width);
	args[6] = sv_int(f->height);
	args[7] = sv_int(f->orientation);
	args[8] = f->captured_at ? sv_int(f->captured_at) : sv_null();
	args[9] = f->has_gps ? sv_double(f->lat) : sv_null();
	args[10] = f->has_gps ? sv_double(f->lng) : sv_null();
	args[11] = sv_text(f->storage);
	args[12] = sv_text(f->storage_key);
	args[13] = sv_text(f->original_name);
	args[14] = sv_int(f->created_at);
	return store_query_int(c, &q_file_insert, args, 15, &f->id, e);
}

static const char *text_or_empty(struct store_rows *rows, int col, struct arena *a)
{
	const char *s = store_text(rows, col);

	return arena_strdup(a, s ? s : "");
}

int file_get(struct store_conn *c, int64_t tenant_id, int64_t id, struct arena *a,
             struct file_info *f, struct error *e)
{
	struct store_val args[2] = {sv_int(id), sv_int(tenant_id)};
	struct store_rows *rows;
	int rc;

	memset(f, 0, sizeof(*f));
	rc = store_query(c, &q_file_get, args, 2, &rows, e);
	if (rc)
		return rc;
	rc = store_next(rows);
	if (rc == 1) {
		f->id = store_int(rows, 0);
		f->tenant_id = store_int(rows, 1);
		f->user_id = store_isnull(rows, 2) ? 0 : store_int(rows, 2);
		snprintf(f->sha256, sizeof(f->sha256), "%s", store_text(rows, 3));
		f->size = store_int(rows, 4);
		f->content_type = text_or_empty(rows, 5, a);
		f->width = (int)store_int(rows, 6);
		f->height = (int)store_int(rows, 7);
		f->orientation = (int)store_int(rows, 8);
		f->captured_at = store_isnull(rows, 9) ? 0 : store_int(rows, 9);
		f->has_gps = !store_isnull(rows, 10) && !store_isnull(rows, 11);
		f->lat = f->has_gps ? store_double(rows, 10) : 0;
		f->lng = f->has_gps ? store_double(rows, 11) : 0;
		f->storage = text_or_empty(rows, 12, a);
		f->storage_key = text_or_empty(rows, 13, a);
		f->original_name = text_or_empty(rows, 14, a);
		f->created_at = store_int(rows, 15);
		rc = 0;
	} else if (rc == 0) {
		rc = error_set(e, ERR_NOT_FOUND, NULL, "文件不存在");
	} else {
		rc = error_set(e, rc, NULL, NULL);
	}
	store_finish(rows);
	return rc;
}

int file_find_storage(struct store_conn *c, int64_t tenant_id, const char *sha256, struct arena *a,
                      int *found, const char **storage, const char **key, struct error *e)
{
	struct store_val args[2] = {sv_int(tenant_id), sv_text(sha256)};
	struct store_rows *rows;
	int rc;

	*found = 0;
	rc = store_query(c, &q_file_storage, args, 2, &rows, e);
	if (rc)
		return rc;
	rc = store_next(rows);
	if (rc == 1) {
		*found = 1;
		*storage = text_or_empty(rows, 0, a);
		*key = text_or_empty(rows, 1, a);
		rc = 0;
	} else if (rc < 0) {
		rc = error_set(e, rc, NULL, NULL);
	}
	store_finish(rows);
	return rc;
}

int file_save(struct store_conn *c, const char *data_dir, int store_kind, const void *data,
              size_t len, struct file_info *f, struct arena *a, struct error *e)
{
	const struct blob_methods *bm = blob_for_kind(store_kind);
	struct blob_ctx bx = {data_dir, c};
	unsigned char h[crypto_hash_sha256_BYTES];
	const char *storage = NULL, *key = NULL;
	int found = 0, rc;

	crypto_hash_sha256(h, data, len);
	sodium_bin2hex(f->sha256, sizeof(f->sha256), h, sizeof(h));
	f->size = (int64_t)len;
	if ((rc = file_find_storage(c, f->tenant_id, f->sha256, a, &found, &storage, &key, e)))
		return rc;
	if (found && blob_by_name(storage) == bm) {
		f->storage = storage; /* the same bytes again: share their storage */
		f->storage_key = key;
	} else {
		f->storage = bm->name;
		if ((rc = bm->put(&bx, f->sha256, data, len, a, &f->storage_key, e)))
			return rc;
	}
	return file_insert(c, f, e);
}

void *file_photo_jpeg(struct store_conn *c, const char *data_dir, int64_t tenant_id, int64_t id,
                      int max_px, struct arena *a, size_t *len)
{
	const struct blob_methods *bm;
	struct file_info f;
	struct blob_ctx bx;
	struct error e;
	void *data, *out;
	size_t dlen;

	error_init(&e);
	if (file_get(c, tenant_id, id, a, &f, &e))
		return NULL;
	bm = blob_by_name(f.storage);
	if (!bm)
		return NULL;
	bx.data_dir = data_dir;
	bx.c = c;
	if (bm->get(&bx, f.storage_key, a, &data, &dlen, &e))
		return NULL;
	if (image_render(data, dlen, max_px, NULL, a, &out, len, &e))
		return NULL;
	return out;
}

/*
 * files.h - uploaded photos: what we know about one (struct file_info), its
 * rows (file_db.c), the images made from it (image.c) and the routes
 * (api_files.c).
 *
 * Photos are evidence: the original is kept byte for byte, with its
 * capture time and GPS position from EXIF; what people look at is a
 * thumbnail or a watermarked copy made from it on demand.
 */
#ifndef WENMING_FILES_H
#define WENMING_FILES_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/err.h"

struct arena;
struct router;
struct store_conn;

/* Images bigger than this are refused with 413 whatever max_upload says. */
#define FILES_MAX_IMAGE (20L << 20)
/* Decoded size limit against decompression bombs (pixels). */
#define FILES_MAX_PIXELS (50L * 1000 * 1000)
/* original_name keeps at most this many characters. */
#define FILES_NAME_MAX 100

struct file_info {
	int64_t id;
	int64_t tenant_id;
	int64_t user_id;
	char sha256[65];
	int64_t size;
	const char *content_type; /* image/jpeg | image/png | image/webp | image/heic */
	int width, height;        /* as stored, before orientation */
	int orientation;          /* EXIF 1..8, 1 when absent */
	int64_t captured_at;      /* ms UTC, 0: unknown */
	int has_gps;
	double lat, lng;
	const char *storage; /* "fs" | "db" */
	const char *storage_key;
	const char *original_name;
	int64_t created_at;
};

/* ---- rows (file_db.c) ---- */

/* Insert f (id and created_at are filled in); inside the caller's write transaction. */
int file_insert(struct store_conn *c, struct file_info *f, struct error *e);

/* The file id of tenant into *f (strings from a); ERR_NOT_FOUND for another tenant's. */
int file_get(struct store_conn *c, int64_t tenant_id, int64_t id, struct arena *a,
             struct file_info *f, struct error *e);

/*
 * Storage of an earlier upload of the same bytes by the tenant: *found = 1
 * and *storage, *key (from a) when there is one.
 */
int file_find_storage(struct store_conn *c, int64_t tenant_id, const char *sha256, struct arena *a,
                      int *found, const char **storage, const char **key, struct error *e);

/* The JSON the API returns for f. */
json_t *file_json(const struct file_info *f);

/* Set j's "url" and "thumb_url" to file id's routes (the api layer's, not the store's). */
void files_urls_json(json_t *j, int64_t id);

/* ---- images (image.c, libvips) ---- */

/*
 * Decide the type of data by its magic bytes, then decode it fully with
 * libvips (fail on any error, at most FILES_MAX_PIXELS): fills content_type,
 * width, height, orientation, captured_at and GPS of f.  ERR_MEDIA_TYPE for
 * anything that is not a JPEG, PNG, WebP or HEIC image, ERR_TOO_LARGE for
 * too many pixels.
 */
int image_probe(const void *data, size_t len, struct file_info *f, struct error *e);

/*
 * A JPEG of data at most max_px on its longer side, turned upright by its
 * EXIF orientation.  With band_text (UTF-8, may contain Chinese) a
 * semi-transparent band at the bottom carries the text.  *out is from a;
 * ERR_INTERNAL when libvips fails.
 */
int image_render(const void *data, size_t len, int max_px, const char *band_text, struct arena *a,
                 void **out, size_t *outlen, struct error *e);

/* What image_compose_jpeg draws. */
struct image_spec {
	int width, height;
	unsigned char rgb[3]; /* the background; the shape is its inverse */
	int shape;            /* 0: a disc, 1..: a bar, lower as it grows */
	int64_t captured_at;  /* ms UTC, written as China time with its offset */
	int has_gps;
	double lat, lng;
};

/*
 * A small JPEG of spec with EXIF DateTimeOriginal (and OffsetTimeOriginal)
 * and, with has_gps, the GPS position, written by libvips itself: what a
 * phone's photo carries, for generated evidence (`wenming demo`).  *out is
 * from a; ERR_INTERNAL when libvips fails.
 */
int image_compose_jpeg(const struct image_spec *s, struct arena *a, void **out, size_t *outlen,
                       struct error *e);

/*
 * Keep the bytes of a file image_probe has filled (content type, size,
 * EXIF) for tenant and user: its SHA-256, the storage of the same bytes if
 * the tenant has them, else the blob back end of store_kind (enum
 * store_kind; blob_fs under data_dir), then the row (f->id set).  In the
 * caller's write transaction; the upload route does the same in two halves.
 */
int file_save(struct store_conn *c, const char *data_dir, int store_kind, const void *data,
              size_t len, struct file_info *f, struct arena *a, struct error *e);
/*
 * An upright JPEG of file id of the tenant reduced to max_px for print
 * (arena a), *len its size; NULL when it cannot be read or decoded (file_db.c).
 */
void *file_photo_jpeg(struct store_conn *c, const char *data_dir, int64_t tenant_id, int64_t id,
                      int max_px, struct arena *a, size_t *len);

/* ---- who may read a file (file_access.c, docs/files.md) ---- */

struct principal;
struct arena;

/*
 * A kind of object files are attached to (problem photos, inspection
 * record photos; later materials, surveys, tasks).  readable sets *ok = 1
 * when who can read some object of that kind that file_id is attached to,
 * within who's tenant and data scope.  Registered once at start-up, before
 * the server takes requests.
 */
struct file_owner_kind {
	const char *name; /* "problem", "inspection_record" */
	int (*readable)(struct store_conn *c, const struct principal *who, int64_t file_id,
	                struct arena *a, int *ok, struct error *e);
};

/* Add a kind (at most FILES_MAX_OWNER_KINDS; kind is borrowed for good). */
#define FILES_MAX_OWNER_KINDS 16
void files_register_owner(const struct file_owner_kind *kind);

/*
 * May who read f (already of who's tenant)?  Its uploader may; anyone else
 * when a registered kind says so.  *ok = 0 otherwise (the API answers 404).
 */
int file_readable(struct store_conn *c, const struct principal *who, const struct file_info *f,
                  struct arena *a, int *ok, struct error *e);

/* ---- routes ---- */

void files_routes(struct router *rt);

#endif

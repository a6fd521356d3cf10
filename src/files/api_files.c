/*
 * api_files.c - /files: upload a photo, and read it back as the original,
 * a thumbnail, a watermarked display copy or its metadata.
 *
 * The client's file name is kept for display only; the bytes are stored
 * under their SHA-256 by the blob back end of the store (blob.h).  A file
 * is read by its uploader or by whoever can read an object it is attached
 * to (file_access.c); for anyone else, as for another tenant, it is 404.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "auth/auth.h"
#include "files/blob.h"
#include "files/files.h"
#include "http/multipart.h"
#include "http/req.h"
#include "store/store.h"

/* multipart framing around the file: boundaries, headers, a few small fields */
#define UPLOAD_OVERHEAD (64L << 10)
#define THUMB_PX        320
#define DISPLAY_PX      1600
#define POINT_MAX       100
/* renders are made from immutable originals: the browser may keep them */
#define CACHE_CONTROL "private, max-age=86400"

/* Length of the valid UTF-8 prefix of s that holds at most max characters (0 if invalid). */

void files_urls_json(json_t *j, int64_t id)
{
	json_object_set_new(j, "url", json_sprintf("/api/v1/files/%lld", (long long)id));
	json_object_set_new(j, "thumb_url",
	                    json_sprintf("/api/v1/files/%lld/thumb", (long long)id));
}

json_t *file_json(const struct file_info *f)
{
	json_t *j = json_pack("{s:I, s:s, s:s, s:I, s:i, s:i, s:i, s:s, s:I}", "id",
	                      (json_int_t)f->id, "sha256", f->sha256, "content_type",
	                      f->content_type, "size", (json_int_t)f->size, "width", f->width,
	                      "height", f->height, "orientation", f->orientation, "original_name",
	                      f->original_name, "created_at", (json_int_t)f->created_at);

	json_object_set_new(j, "captured_at",
	                    f->captured_at ? json_integer(f->captured_at) : json_null());
	json_object_set_new(j, "lat", f->has_gps ? json_real(f->lat) : json_null());
	json_object_set_new(j, "lng", f->has_gps ? json_real(f->lng) : json_null());
	files_urls_json(j, f->id);
	json_object_set_new(j, "watermarked_url",
	                    json_sprintf("/api/v1/files/%lld/watermarked", (long long)f->id));
	return j;
}

static size_t utf8_prefix(const char *s, size_t max, int *valid)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t chars = 0, i = 0;

	*valid = 1;
	while (p[i] && chars < max) {
		int n = p[i] < 0x80             ? 1
		        : (p[i] & 0xe0) == 0xc0 ? 2
		        : (p[i] & 0xf0) == 0xe0 ? 3
		        : (p[i] & 0xf8) == 0xf0 ? 4
		                                : 0;
		int k;

		if (!n || (n == 2 && p[i] < 0xc2) || (n == 4 && p[i] > 0xf4)) {
			*valid = 0;
			return 0;
		}
		for (k = 1; k < n; k++)
			if ((p[i + k] & 0xc0) != 0x80) {
				*valid = 0;
				return 0;
			}
		i += (size_t)n;
		chars++;
	}
	return i;
}

/* The client's name as display text: valid UTF-8, no control characters, <= max chars. */
static const char *display_text(struct req *r, const char *in, size_t max)
{
	size_t n, i, j = 0;
	int valid;
	char *out;

	n = utf8_prefix(in ? in : "", max, &valid);
	if (!valid)
		return "";
	out = arena_alloc(&r->arena, n + 1);
	for (i = 0; i < n; i++)
		if ((unsigned char)in[i] >= 0x20 && in[i] != 0x7f)
			out[j++] = in[i];
	out[j] = '\0';
	return out;
}

static void sha256_hex(const void *data, size_t len, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, data, len);
	sodium_bin2hex(out, 65, h, sizeof(h));
}

/* POST /files (multipart, field "file") */
static int files_upload(struct req *r)
{
	const struct blob_methods *bm;
	struct blob_ctx bx;
	struct file_info f;
	struct store_conn *c;
	struct error e;
	const void *data;
	const char *name, *storage = NULL, *key = NULL;
	size_t len;
	long limit = r->app->cfg.max_upload;
	int found, rc;

	error_init(&e);
	if ((long)r->body.len > limit)
		return req_fail(r, ERR_TOO_LARGE, "file", "上传内容超过 %ld 字节的限制", limit);
	if (req_multipart_file(r, "file", &data, &len, &name, &e))
		return req_fail_error(r, &e);
	if ((long)len > FILES_MAX_IMAGE)
		return req_fail(r, ERR_TOO_LARGE, "file", "照片不能超过 %ld MB",
		                FILES_MAX_IMAGE >> 20);
	memset(&f, 0, sizeof(f));
	if (image_probe(data, len, &f, &e))
		return req_fail_error(r, &e);
	sha256_hex(data, len, f.sha256);
	f.tenant_id = r->who->tenant_id;
	f.user_id = r->who->user_id;
	f.size = (int64_t)len;
	f.original_name = display_text(r, name, FILES_NAME_MAX);
	if (!(c = req_db(r)))
		return r->err.code;
	bm = blob_for_kind(store_kind(r->app->store));
	bx.data_dir = r->app->cfg.data_dir;
	bx.c = c;
	if (file_find_storage(c, f.tenant_id, f.sha256, &r->arena, &found, &storage, &key, &e))
		return req_fail_error(r, &e);
	if (found && blob_by_name(storage) == bm) {
		f.storage = storage; /* the same bytes again: share their storage */
		f.storage_key = key;
	} else {
		f.storage = bm->name;
		f.storage_key = NULL;
	}
	/* on disk: durable before the row commits; in the database: in the same transaction */
	if (!f.storage_key && bm == &blob_fs &&
	    bm->put(&bx, f.sha256, data, len, &r->arena, &f.storage_key, &e))
		return req_fail_error(r, &e);
	rc = store_begin(c, 1, &e);
	if (!rc && !f.storage_key)
		rc = bm->put(&bx, f.sha256, data, len, &r->arena, &f.storage_key, &e);
	if (!rc)
		rc = file_insert(c, &f, &e);
	if (!rc)
		rc = req_audit(r, c, "file.upload", "file", f.id,
		               json_pack("{s:s, s:s, s:I, s:s}", "sha256", f.sha256, "content_type",
		                         f.content_type, "size", (json_int_t)f.size,
		                         "original_name", f.original_name));
	if ((rc = req_tx_end(r, c, rc, &e)))
		return rc;
	return req_reply_json(r, 201, file_json(&f));
}

/* The bytes of f from its back end, into the request's arena. */
static int load_bytes(struct req *r, const struct file_info *f, void **data, size_t *len)
{
	const struct blob_methods *bm = blob_by_name(f->storage);
	struct blob_ctx bx;
	struct error e;

	if (!bm)
		return req_fail(r, ERR_INTERNAL, NULL, NULL);
	error_init(&e);
	bx.data_dir = r->app->cfg.data_dir;
	bx.c = r->db;
	if (bm->get(&bx, f->storage_key, &r->arena, data, len, &e))
		return req_fail_error(r, &e);
	return 0;
}

/* The row of {id} if the caller may read it (file_readable), and optionally its bytes. */
static int load_file(struct req *r, struct file_info *f, void **data, size_t *len)
{
	struct error e;
	int64_t id;
	int ok = 0;

	if (req_param_id(r, "id", &id) || !req_db(r))
		return r->err.code;
	error_init(&e);
	if (file_get(r->db, r->who->tenant_id, id, &r->arena, f, &e) ||
	    file_readable(r->db, r->who, f, &r->arena, &ok, &e))
		return req_fail_error(r, &e);
	if (!ok) /* like another tenant's: ids cannot be probed */
		return req_fail(r, ERR_NOT_FOUND, NULL, NULL);
	return data ? load_bytes(r, f, data, len) : 0;
}

/* GET /files/{id}/meta */
static int files_meta(struct req *r)
{
	struct file_info f;

	if (load_file(r, &f, NULL, NULL))
		return r->err.code;
	return req_reply_json(r, 200, file_json(&f));
}

/* Content-Disposition: inline with the display name per RFC 5987. */
static const char *inline_disposition(struct req *r, const struct file_info *f)
{
	static const char hex[] = "0123456789ABCDEF";
	const char *ext = strchr(f->content_type, '/') + 1;
	struct strbuf cd = STRBUF_INIT;
	const unsigned char *p;
	const char *out;

	strbuf_addf(&cd, "inline; filename=\"photo-%lld.%s\"", (long long)f->id, ext);
	if (*f->original_name) {
		strbuf_adds(&cd, "; filename*=UTF-8''");
		for (p = (const unsigned char *)f->original_name; *p; p++) {
			if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
			    (*p >= '0' && *p <= '9') || strchr("!#$&+-.^_`|~", *p)) {
				strbuf_addch(&cd, (char)*p);
			} else {
				strbuf_addch(&cd, '%');
				strbuf_addch(&cd, hex[*p >> 4]);
				strbuf_addch(&cd, hex[*p & 15]);
			}
		}
	}
	out = arena_strdup(&r->arena, cd.buf);
	strbuf_release(&cd);
	return out;
}

/* GET /files/{id}: the original bytes, as the type decided at upload. */
static int files_original(struct req *r)
{
	struct file_info f;
	void *data;
	size_t len;

	if (load_file(r, &f, &data, &len))
		return r->err.code;
	req_add_header(r, "Content-Disposition", inline_disposition(r, &f));
	req_add_header(r, "Cache-Control", CACHE_CONTROL);
	return req_reply_bytes(r, 200, f.content_type, data, len, 1);
}

/*
 * A rendered copy of {id}: from the render cache when this server made it
 * before (the original never changes, so its hash, the size and the band
 * name the result), else rendered by libvips and kept.
 */
static int reply_render(struct req *r, int px, const char *text)
{
	struct file_info f;
	struct error e;
	struct strbuf what = STRBUF_INIT;
	char key[65];
	void *data, *out;
	size_t len, outlen;
	int hit;

	if (load_file(r, &f, NULL, NULL))
		return r->err.code;
	strbuf_addf(&what, "render-1\n%s\n%d\n%s", f.sha256, px, text ? text : "");
	sha256_hex(what.buf, what.len, key);
	strbuf_release(&what);
	hit = !render_cache_get(r->app->cfg.data_dir, key, &r->arena, &out, &outlen);
	if (!hit) {
		if (load_bytes(r, &f, &data, &len))
			return r->err.code;
		error_init(&e);
		if (image_render(data, len, px, text, &r->arena, &out, &outlen, &e))
			return req_fail_error(r, &e);
		render_cache_put(r->app->cfg.data_dir, key, out, outlen);
	}
	req_add_header(r, "Cache-Control", CACHE_CONTROL);
	return req_reply_bytes(r, 200, "image/jpeg", out, outlen, 1);
}

/* GET /files/{id}/thumb: at most 320 px, upright, JPEG. */
static int files_thumb(struct req *r)
{
	return reply_render(r, THUMB_PX, NULL);
}

static const char *china_time(struct arena *a, int64_t ms)
{
	time_t t = (time_t)(ms / 1000) + 8 * 3600;
	struct tm tm;

	gmtime_r(&t, &tm);
	return arena_printf(a, "%04d-%02d-%02d %02d:%02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1,
	                    tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/*
 * GET /files/{id}/watermarked?point=...: at most 1600 px, upright, with
 * the capture (or upload) time, the position and the point on a band.
 */
static int files_watermarked(struct req *r)
{
	const char *point = req_query(r, "point");
	struct strbuf text = STRBUF_INIT;
	struct file_info f;
	const char *band;
	int valid;

	if (point) {
		if (utf8_prefix(point, POINT_MAX, &valid) != strlen(point) || !valid)
			return req_fail(r, ERR_INVALID, "point", "点位名称应为不超过 %d 个字的文字",
			                POINT_MAX);
		point = display_text(r, point, POINT_MAX);
	}
	if (load_file(r, &f, NULL, NULL))
		return r->err.code;
	if (f.captured_at)
		strbuf_addf(&text, "拍摄时间 %s", china_time(&r->arena, f.captured_at));
	else
		strbuf_addf(&text, "上传时间 %s", china_time(&r->arena, f.created_at));
	if (f.has_gps)
		strbuf_addf(&text, "\n%s %.5f°  %s %.5f°", f.lat < 0 ? "南纬" : "北纬",
		            f.lat < 0 ? -f.lat : f.lat, f.lng < 0 ? "西经" : "东经",
		            f.lng < 0 ? -f.lng : f.lng);
	else
		strbuf_adds(&text, "\n位置 未知");
	if (point && *point)
		strbuf_addf(&text, "\n点位 %s", point);
	band = arena_strdup(&r->arena, text.buf);
	strbuf_release(&text);
	return reply_render(r, DISPLAY_PX, band);
}

void files_routes(struct router *rt)
{
	router_add_stream(rt, "POST", "/api/v1/files", files_upload, "file:upload",
	                  FILES_MAX_IMAGE + UPLOAD_OVERHEAD);
	router_add(rt, "GET", "/api/v1/files/{id}", files_original, "file:view", 0);
	router_add(rt, "GET", "/api/v1/files/{id}/meta", files_meta, "file:view", 0);
	router_add(rt, "GET", "/api/v1/files/{id}/thumb", files_thumb, "file:view", 0);
	router_add(rt, "GET", "/api/v1/files/{id}/watermarked", files_watermarked, "file:view", 0);
}

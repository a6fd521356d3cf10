/*
 * image.c - what libvips does for us: decide and check the type of an
 * upload, read its EXIF, and make the JPEGs people look at.
 *
 * Each type is loaded by its own loader, chosen from the magic bytes, so
 * libvips never guesses (no SVG, PDF or ImageMagick loader can be reached
 * whatever the bytes say).  Loads fail on any warning, and the pixel count
 * is checked from the header before anything is decoded.  The operation
 * cache is off: it keys loads by buffer address, and request arenas reuse
 * addresses.
 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <vips/vips.h>

#include "core/arena.h"
#include "core/log.h"
#include "files/files.h"

/* UTC+8: the tenants' zone, taken for EXIF times that carry no offset. */
#define DEFAULT_OFFSET_S (8 * 3600)
#define WATERMARK_FONT   "Noto Sans CJK SC"

#if defined(__SANITIZE_ADDRESS__)
/*
 * The sanitizer build: fontconfig (under pango, under vips_text) keeps a
 * config it never frees; that is the library's cache, not our leak.  LSan
 * asks the program for default suppressions through this hook.
 */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libfontconfig.so\n";
}
#endif

static pthread_once_t vips_once = PTHREAD_ONCE_INIT;
static int vips_ok;

static void vips_down(void)
{
	vips_shutdown();
}

/*
 * GLib's messages (libvips warnings quote text from the upload: a broken
 * JPEG's marker names, an EXIF string) go through our logger, escaped and
 * with the request they came from, never raw to stderr.  libvips says a
 * lot at MESSAGE and INFO (every load and save): that is debug chatter, so
 * only warnings and worse reach the default INFO log.
 */
static void glib_to_log(const gchar *domain, GLogLevelFlags level, const gchar *message,
                        gpointer data)
{
	(void)data;
	log_msg(level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL) ? LOG_ERROR
	        : level & G_LOG_LEVEL_WARNING                      ? LOG_WARN
	                                                           : LOG_DEBUG,
	        "req %s: %s: %s", *log_request() ? log_request() : "-", domain ? domain : "glib",
	        message ? message : "");
}

static void vips_start(void)
{
	g_log_set_default_handler(glib_to_log, NULL);
	g_log_set_handler("VIPS", G_LOG_LEVEL_MASK | G_LOG_FLAG_FATAL | G_LOG_FLAG_RECURSION,
	                  glib_to_log, NULL);
	if (VIPS_INIT("wenming")) {
		log_error("libvips: %s", vips_error_buffer());
		return;
	}
	vips_cache_set_max(0);
	atexit(vips_down);
	vips_ok = 1;
}

static int vips_ready(struct error *e)
{
	pthread_once(&vips_once, vips_start);
	return vips_ok ? 0 : error_set(e, ERR_INTERNAL, NULL, NULL);
}

/* ---- type ------------------------------------------------------------- */

enum image_type { IMG_NONE, IMG_JPEG, IMG_PNG, IMG_WEBP, IMG_HEIC };

static enum image_type sniff(const unsigned char *p, size_t n)
{
	static const char *const heic_brands[] = {"heic", "heix", "hevc", "hevx",
	                                          "mif1", "msf1", NULL};
	int i;

	if (n >= 3 && p[0] == 0xff && p[1] == 0xd8 && p[2] == 0xff)
		return IMG_JPEG;
	if (n >= 8 && !memcmp(p, "\x89PNG\r\n\x1a\n", 8))
		return IMG_PNG;
	if (n >= 12 && !memcmp(p, "RIFF", 4) && !memcmp(p + 8, "WEBP", 4))
		return IMG_WEBP;
	if (n >= 12 && !memcmp(p + 4, "ftyp", 4))
		for (i = 0; heic_brands[i]; i++)
			if (!memcmp(p + 8, heic_brands[i], 4))
				return IMG_HEIC;
	return IMG_NONE;
}

static const char *type_name(enum image_type t)
{
	switch (t) {
	case IMG_JPEG:
		return "image/jpeg";
	case IMG_PNG:
		return "image/png";
	case IMG_WEBP:
		return "image/webp";
	case IMG_HEIC:
		return "image/heic";
	default:
		return NULL;
	}
}

/* Load with the loader of type t only; fail on any warning. */
static VipsImage *load(enum image_type t, const void *data, size_t len, int sequential)
{
	VipsAccess access = sequential ? VIPS_ACCESS_SEQUENTIAL : VIPS_ACCESS_RANDOM;
	VipsImage *img = NULL;
	int rc = -1;

	switch (t) {
	case IMG_JPEG:
		rc = vips_jpegload_buffer((void *)data, len, &img, "fail", TRUE, "access", access,
		                          NULL);
		break;
	case IMG_PNG:
		rc = vips_pngload_buffer((void *)data, len, &img, "fail", TRUE, "access", access,
		                         NULL);
		break;
	case IMG_WEBP:
		rc = vips_webpload_buffer((void *)data, len, &img, "fail", TRUE, "access", access,
		                          NULL);
		break;
	case IMG_HEIC:
		rc = vips_heifload_buffer((void *)data, len, &img, "fail", TRUE, "access", access,
		                          NULL);
		break;
	default:
		break;
	}
	return rc ? NULL : img;
}

/* ---- EXIF ------------------------------------------------------------- */

/* libvips renders EXIF fields as "value (value, Type, n components, m bytes)". */
static int exif_string(VipsImage *img, const char *name, char *buf, size_t size)
{
	const char *s;
	const char *paren;

	if (vips_image_get_typeof(img, name) == 0 || vips_image_get_string(img, name, &s))
		return -1;
	paren = strstr(s, " (");
	snprintf(buf, size, "%.*s", (int)(paren ? paren - s : (long)strlen(s)), s);
	return buf[0] ? 0 : -1;
}

/* "2024:05:01 10:20:30" with an optional offset "+08:00" -> ms UTC; 0 if unreadable. */
static int64_t exif_time(VipsImage *img)
{
	char dt[64], off[32];
	int Y, M, D, h, m, s, oh, om;
	char sign;
	struct tm tm;
	long offset = DEFAULT_OFFSET_S;
	time_t t;

	if (exif_string(img, "exif-ifd2-DateTimeOriginal", dt, sizeof(dt)) &&
	    exif_string(img, "exif-ifd0-DateTime", dt, sizeof(dt)))
		return 0;
	if (sscanf(dt, "%4d:%2d:%2d %2d:%2d:%2d", &Y, &M, &D, &h, &m, &s) != 6 || Y < 1970 ||
	    Y > 9999 || M < 1 || M > 12 || D < 1 || D > 31 || h > 23 || m > 59 || s > 60)
		return 0;
	if (!exif_string(img, "exif-ifd2-OffsetTimeOriginal", off, sizeof(off)) &&
	    sscanf(off, "%c%2d:%2d", &sign, &oh, &om) == 3 && (sign == '+' || sign == '-') &&
	    oh <= 14 && om < 60)
		offset = (sign == '-' ? -1 : 1) * (oh * 3600L + om * 60L);
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = Y - 1900;
	tm.tm_mon = M - 1;
	tm.tm_mday = D;
	tm.tm_hour = h;
	tm.tm_min = m;
	tm.tm_sec = s;
	t = timegm(&tm);
	return ((int64_t)t - offset) * 1000;
}

/* "30/1 15/1 3000/100" (degrees, minutes, seconds) with ref "N"/"S" -> signed degrees. */
static int exif_coord(VipsImage *img, const char *name, const char *ref_name, double max,
                      double *out)
{
	char v[128], ref[16];
	double part[3] = {0, 0, 0};
	const char *p;
	int i;

	if (exif_string(img, name, v, sizeof(v)) || exif_string(img, ref_name, ref, sizeof(ref)))
		return -1;
	p = v;
	for (i = 0; i < 3; i++) {
		long long num, den;
		int used;

		if (sscanf(p, " %lld/%lld%n", &num, &den, &used) != 2 || den == 0)
			return -1;
		part[i] = (double)num / (double)den;
		p += used;
	}
	*out = part[0] + part[1] / 60 + part[2] / 3600;
	if (ref[0] == 'S' || ref[0] == 'W')
		*out = -*out;
	return isfinite(*out) && fabs(*out) <= max ? 0 : -1;
}

/* ---- probe ------------------------------------------------------------ */

int image_probe(const void *data, size_t len, struct file_info *f, struct error *e)
{
	enum image_type t = sniff(data, len);
	VipsImage *img = NULL;
	double avg;
	int rc;

	if (t == IMG_NONE)
		return error_set(e, ERR_MEDIA_TYPE, "file",
		                 "只能上传 JPEG、PNG、WebP 或 HEIC 格式的照片（按文件内容判断）");
	if ((rc = vips_ready(e)))
		return rc;
	img = load(t, data, len, 0);
	if (!img) {
		log_debug("req %s: image: %s refused: %s", *log_request() ? log_request() : "-",
		          type_name(t), vips_error_buffer());
		vips_error_clear();
		return error_set(e, ERR_MEDIA_TYPE, "file", "照片文件已损坏或格式不正确，无法读取");
	}
	if ((long)vips_image_get_width(img) * vips_image_get_height(img) > FILES_MAX_PIXELS) {
		g_object_unref(img);
		return error_set(e, ERR_TOO_LARGE, "file", "照片像素过多（上限 %ld 万像素）",
		                 FILES_MAX_PIXELS / 10000);
	}
	f->content_type = type_name(t);
	f->width = vips_image_get_width(img);
	f->height = vips_image_get_height(img);
	f->orientation = vips_image_get_orientation(img);
	if (f->orientation < 1 || f->orientation > 8)
		f->orientation = 1;
	f->captured_at = exif_time(img);
	f->has_gps =
	    !exif_coord(img, "exif-ifd3-GPSLatitude", "exif-ifd3-GPSLatitudeRef", 90, &f->lat) &&
	    !exif_coord(img, "exif-ifd3-GPSLongitude", "exif-ifd3-GPSLongitudeRef", 180, &f->lng);
	g_object_unref(img);

	/* The header was fine; now decode every pixel, so a broken body is refused too. */
	img = load(t, data, len, 1);
	rc = img ? vips_avg(img, &avg, NULL) : -1;
	if (img)
		g_object_unref(img);
	if (rc) {
		log_debug("req %s: image: %s does not decode: %s",
		          *log_request() ? log_request() : "-", type_name(t), vips_error_buffer());
		vips_error_clear();
		return error_set(e, ERR_MEDIA_TYPE, "file", "照片文件已损坏或格式不正确，无法读取");
	}
	return 0;
}

/* ---- render ----------------------------------------------------------- */

/*
 * Darken the bottom of img and write text on it in white.  t is scratch
 * space (at least 10 images) owned by the caller's context object.
 */
static int add_band(VipsImage *img, const char *text, VipsImage **t, VipsImage **out)
{
	int w = vips_image_get_width(img), h = vips_image_get_height(img);
	int size = w / 45 > 12 ? w / 45 : 12, pad = size / 2 + 2, bh;
	char *markup = g_markup_escape_text(text, -1);
	char font[64];
	int rc;

	snprintf(font, sizeof(font), WATERMARK_FONT " %d", size);
	rc = vips_text(&t[0], markup, "font", font, "width", w - 2 * pad > 16 ? w - 2 * pad : 16,
	               "dpi", 72, NULL);
	g_free(markup);
	if (rc)
		return -1;
	bh = vips_image_get_height(t[0]) + 2 * pad;
	/* a small photo grows downwards rather than disappearing behind its band */
	if (bh > h / 2) {
		if (vips_embed(img, &t[1], 0, 0, w, h + bh, "extend", VIPS_EXTEND_BLACK, NULL))
			return -1;
		img = t[1];
		h += bh;
	}
	if (vips_extract_area(img, &t[2], 0, h - bh, w, bh, NULL) ||
	    vips_linear1(t[2], &t[3], 0.45, 0, NULL) ||       /* darkened band */
	    vips_embed(t[0], &t[4], pad, pad, w, bh, NULL) || /* text mask, 0..255 */
	    vips_linear1(t[3], &t[5], -1, 255, NULL) ||       /* 255 - band */
	    vips_multiply(t[5], t[4], &t[6], NULL) ||
	    vips_linear1(t[6], &t[7], 1.0 / 255, 0, NULL) ||
	    vips_add(t[3], t[7], &t[8], NULL) || /* blend to white */
	    vips_cast(t[8], &t[9], VIPS_FORMAT_UCHAR, NULL) ||
	    vips_insert(img, t[9], out, 0, h - bh, NULL))
		return -1;
	return 0;
}

int image_render(const void *data, size_t len, int max_px, const char *band_text, struct arena *a,
                 void **out, size_t *outlen, struct error *e)
{
	VipsObject *ctx;
	VipsImage **t;
	VipsImage *img;
	void *buf = NULL;
	size_t n = 0;
	int rc;

	*out = NULL;
	*outlen = 0;
	if ((rc = vips_ready(e)))
		return rc;
	if (sniff(data, len) == IMG_NONE) /* checked at upload; never hand libvips anything else */
		return error_set(e, ERR_MEDIA_TYPE, NULL, NULL);
	ctx = VIPS_OBJECT(vips_image_new());
	t = (VipsImage **)vips_object_local_array(ctx, 16);
	/* shrink-on-load, EXIF orientation applied (thumbnail autorotates) */
	rc = vips_thumbnail_buffer((void *)data, len, &t[0], max_px, "height", max_px, "size",
	                           VIPS_SIZE_DOWN, NULL);
	img = t[0];
	if (!rc && vips_image_hasalpha(img)) {
		VipsArrayDouble *white = vips_array_double_newv(1, 255.0);

		rc = vips_flatten(img, &t[1], "background", white, NULL);
		vips_area_unref(VIPS_AREA(white));
		img = t[1];
	}
	if (!rc && vips_image_get_interpretation(img) != VIPS_INTERPRETATION_sRGB) {
		rc = vips_colourspace(img, &t[2], VIPS_INTERPRETATION_sRGB, NULL);
		img = t[2];
	}
	if (!rc && vips_image_get_format(img) != VIPS_FORMAT_UCHAR) {
		rc = vips_cast(img, &t[3], VIPS_FORMAT_UCHAR, NULL);
		img = t[3];
	}
	if (!rc && band_text && *band_text) {
		rc = add_band(img, band_text, t + 5, &t[4]);
		img = t[4];
	}
	if (!rc)
		rc = vips_jpegsave_buffer(img, &buf, &n, "Q", 82, "strip", TRUE, NULL);
	g_object_unref(ctx);
	if (rc) {
		log_error("image: render failed: %s", vips_error_buffer());
		vips_error_clear();
		return error_set(e, ERR_INTERNAL, NULL, NULL);
	}
	*out = arena_alloc(a, n);
	memcpy(*out, buf, n);
	*outlen = n;
	g_free(buf);
	return 0;
}

/* ---- a composed photo ------------------------------------------------- */

/* "d/1 m/1 s*100/100" of a coordinate's absolute value, as libvips writes EXIF rationals. */
static void exif_dms(double v, char *buf, size_t size)
{
	long hundredths = lround(fabs(v) * 360000.0); /* of a second */

	snprintf(buf, size, "%ld/1 %ld/1 %ld/100", hundredths / 360000, hundredths / 6000 % 60,
	         hundredths % 6000);
}

int image_compose_jpeg(const struct image_spec *s, struct arena *a, void **out, size_t *outlen,
                       struct error *e)
{
	VipsObject *ctx;
	VipsImage **t;
	double bg[3] = {s->rgb[0], s->rgb[1], s->rgb[2]};
	double ink[3] = {255 - s->rgb[0], 255 - s->rgb[1], 255 - s->rgb[2]};
	char when[32], lat[48], lng[48];
	time_t secs =
	    (time_t)(s->captured_at / 1000) + 8 * 3600; /* China time, as a phone writes it */
	struct tm tm;
	void *buf = NULL;
	size_t n = 0;
	int rc;

	*out = NULL;
	*outlen = 0;
	if ((rc = vips_ready(e)))
		return rc;
	ctx = VIPS_OBJECT(vips_image_new());
	t = (VipsImage **)vips_object_local_array(ctx, 4);
	/* a plain field of the colour, then a copy so the drawing below owns its pixels */
	rc = vips_black(&t[0], s->width, s->height, "bands", 3, NULL) ||
	     vips_linear(t[0], &t[1], (double[]){1, 1, 1}, bg, 3, NULL) ||
	     vips_cast(t[1], &t[2], VIPS_FORMAT_UCHAR, NULL) || vips_copy(t[2], &t[3], NULL) ||
	     vips_image_wio_input(t[3]);
	if (!rc && s->shape == 0)
		rc = vips_draw_circle(t[3], ink, 3, s->width / 2, s->height / 2, s->height / 4,
		                      "fill", TRUE, NULL);
	else if (!rc)
		rc = vips_draw_rect(t[3], ink, 3, s->width / 4, s->height / 4 + s->shape * 8,
		                    s->width / 2, s->height / 3, "fill", TRUE, NULL);
	if (!rc) {
		gmtime_r(&secs, &tm);
		strftime(when, sizeof(when), "%Y:%m:%d %H:%M:%S", &tm);
		vips_image_set_string(t[3], "exif-ifd2-DateTimeOriginal", when);
		vips_image_set_string(t[3], "exif-ifd2-OffsetTimeOriginal", "+08:00");
		if (s->has_gps) {
			exif_dms(s->lat, lat, sizeof(lat));
			exif_dms(s->lng, lng, sizeof(lng));
			vips_image_set_string(t[3], "exif-ifd3-GPSLatitudeRef",
			                      s->lat < 0 ? "S" : "N");
			vips_image_set_string(t[3], "exif-ifd3-GPSLatitude", lat);
			vips_image_set_string(t[3], "exif-ifd3-GPSLongitudeRef",
			                      s->lng < 0 ? "W" : "E");
			vips_image_set_string(t[3], "exif-ifd3-GPSLongitude", lng);
		}
		rc = vips_jpegsave_buffer(t[3], &buf, &n, "Q", 70, NULL);
	}
	g_object_unref(ctx);
	if (rc) {
		log_error("image: compose failed: %s", vips_error_buffer());
		vips_error_clear();
		return error_set(e, ERR_INTERNAL, NULL, NULL);
	}
	*out = arena_alloc(a, n);
	memcpy(*out, buf, n);
	*outlen = n;
	g_free(buf);
	return 0;
}

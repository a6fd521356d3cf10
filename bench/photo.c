/*
 * photo.c - the limit for photos: the libvips work the server does, without
 * HTTP, the database or the disk, on every core.
 *
 *   photo probe|thumb FILE SECONDS THREADS
 *
 * probe: what an upload costs (src/files/image.c, image_probe): read the
 * header and EXIF, decode every pixel (vips_avg), hash with SHA-256.
 * thumb: what GET /files/{id}/thumb costs (image_render at 320 px):
 * shrink-on-load thumbnail, sRGB, JPEG Q 82.  Prints one JSON line with
 * operations per second.
 */
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <vips/vips.h>

static void *data;
static size_t len;
static int thumb;
static double seconds;
static long done_total;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int probe_once(void)
{
	unsigned char hash[crypto_hash_sha256_BYTES];
	VipsImage *img = vips_image_new_from_buffer(data, len, "", NULL);
	double avg;
	int rc;

	if (!img)
		return -1;
	(void)vips_image_get_width(img);
	g_object_unref(img);
	img = vips_image_new_from_buffer(data, len, "", "access", VIPS_ACCESS_SEQUENTIAL, NULL);
	rc = img ? vips_avg(img, &avg, NULL) : -1;
	if (img)
		g_object_unref(img);
	crypto_hash_sha256(hash, data, len);
	return rc;
}

static int thumb_once(void)
{
	VipsImage *img = NULL, *rgb = NULL;
	void *buf = NULL;
	size_t n = 0;
	int rc = vips_thumbnail_buffer(data, len, &img, 320, "height", 320, "size", VIPS_SIZE_DOWN,
	                               NULL);

	if (!rc)
		rc = vips_colourspace(img, &rgb, VIPS_INTERPRETATION_sRGB, NULL);
	if (!rc)
		rc = vips_jpegsave_buffer(rgb, &buf, &n, "Q", 82, "strip", TRUE, NULL);
	if (img)
		g_object_unref(img);
	if (rgb)
		g_object_unref(rgb);
	g_free(buf);
	return rc;
}

static void *worker(void *arg)
{
	double end = now_s() + seconds;
	long n = 0;

	while (now_s() < end) {
		if (thumb ? thumb_once() : probe_once()) {
			fprintf(stderr, "photo: %s\n", vips_error_buffer());
			exit(1);
		}
		n++;
	}
	pthread_mutex_lock(&lock);
	done_total += n;
	pthread_mutex_unlock(&lock);
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t th[64];
	gchar *contents = NULL;
	gsize size = 0;
	int threads, i;
	double t0;

	if (argc != 5 || (strcmp(argv[1], "probe") && strcmp(argv[1], "thumb"))) {
		fprintf(stderr, "usage: photo probe|thumb FILE SECONDS THREADS\n");
		return 2;
	}
	if (VIPS_INIT(argv[0]) || sodium_init() < 0)
		return 1;
	thumb = !strcmp(argv[1], "thumb");
	seconds = atof(argv[3]);
	threads = atoi(argv[4]);
	if (threads < 1 || threads > 64 || seconds <= 0)
		return 2;
	if (!g_file_get_contents(argv[2], &contents, &size, NULL))
		return 1;
	data = contents;
	len = size;
	t0 = now_s();
	for (i = 0; i < threads; i++)
		pthread_create(&th[i], NULL, worker, NULL);
	for (i = 0; i < threads; i++)
		pthread_join(th[i], NULL);
	printf("{\"rate\":%.2f}\n", (double)done_total / (now_s() - t0));
	g_free(contents);
	return 0;
}

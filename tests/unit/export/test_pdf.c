/*
 * test_pdf.c - the PDF builder and QR codes, checked through poppler's own
 * tools (pdftotext, pdfinfo) so that "the Chinese is really in the file"
 * is what passes, not "cairo returned success".
 *
 * Set WENMING_PDF_KEEP=/some/file.pdf to keep the 3-page document for a look.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include <cairo.h>
#include <pthread.h>
#include <qrencode.h>

#include "core/err.h"
#include "core/strbuf.h"
#include "export/pdf.h"
#include "export/qr.h"

/*
 * A 96 x 64 baseline JPEG (a colour gradient), written once with
 * `vips jpegsave --Q 75 --strip`; kept as bytes so the test needs no encoder.
 */
static const unsigned char fixture_jpeg[] = {
    0xff, 0xd8, 0xff, 0xdb, 0x00, 0x43, 0x00, 0x08, 0x06, 0x06, 0x07, 0x06, 0x05, 0x08, 0x07, 0x07,
    0x07, 0x09, 0x09, 0x08, 0x0a, 0x0c, 0x14, 0x0d, 0x0c, 0x0b, 0x0b, 0x0c, 0x19, 0x12, 0x13, 0x0f,
    0x14, 0x1d, 0x1a, 0x1f, 0x1e, 0x1d, 0x1a, 0x1c, 0x1c, 0x20, 0x24, 0x2e, 0x27, 0x20, 0x22, 0x2c,
    0x23, 0x1c, 0x1c, 0x28, 0x37, 0x29, 0x2c, 0x30, 0x31, 0x34, 0x34, 0x34, 0x1f, 0x27, 0x39, 0x3d,
    0x38, 0x32, 0x3c, 0x2e, 0x33, 0x34, 0x32, 0xff, 0xdb, 0x00, 0x43, 0x01, 0x09, 0x09, 0x09, 0x0c,
    0x0b, 0x0c, 0x18, 0x0d, 0x0d, 0x18, 0x32, 0x21, 0x1c, 0x21, 0x32, 0x32, 0x32, 0x32, 0x32, 0x32,
    0x32, 0x32, 0x32, 0x32, 0x32, 0x32, 0x32, 0x32, 0x32, 0x32, 0x32, 0x32, 0x32, 0x32, 0x32, 0x32,
    0x32, 0x32, 0x32, 0x32, 0x32, 0x32, 0x32, 0x32, 0x32, 0x32, 0x32, 0x32, 0x32, 0x32, 0x32, 0x32,
    0x32, 0x32, 0x32, 0x32, 0x32, 0x32, 0x32, 0x32, 0x32, 0x32, 0x32, 0x32, 0xff, 0xc0, 0x00, 0x11,
    0x08, 0x00, 0x40, 0x00, 0x60, 0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01, 0xff,
    0xc4, 0x00, 0x1f, 0x00, 0x00, 0x01, 0x05, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b,
    0xff, 0xc4, 0x00, 0xb5, 0x10, 0x00, 0x02, 0x01, 0x03, 0x03, 0x02, 0x04, 0x03, 0x05, 0x05, 0x04,
    0x04, 0x00, 0x00, 0x01, 0x7d, 0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41,
    0x06, 0x13, 0x51, 0x61, 0x07, 0x22, 0x71, 0x14, 0x32, 0x81, 0x91, 0xa1, 0x08, 0x23, 0x42, 0xb1,
    0xc1, 0x15, 0x52, 0xd1, 0xf0, 0x24, 0x33, 0x62, 0x72, 0x82, 0x09, 0x0a, 0x16, 0x17, 0x18, 0x19,
    0x1a, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2a, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44,
    0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64,
    0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x83, 0x84,
    0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2,
    0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9,
    0xba, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7,
    0xd8, 0xd9, 0xda, 0xe1, 0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf1, 0xf2, 0xf3,
    0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0xfa, 0xff, 0xc4, 0x00, 0x1f, 0x01, 0x00, 0x03, 0x01, 0x01,
    0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x02, 0x03,
    0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0xff, 0xc4, 0x00, 0xb5, 0x11, 0x00, 0x02, 0x01,
    0x02, 0x04, 0x04, 0x03, 0x04, 0x07, 0x05, 0x04, 0x04, 0x00, 0x01, 0x02, 0x77, 0x00, 0x01, 0x02,
    0x03, 0x11, 0x04, 0x05, 0x21, 0x31, 0x06, 0x12, 0x41, 0x51, 0x07, 0x61, 0x71, 0x13, 0x22, 0x32,
    0x81, 0x08, 0x14, 0x42, 0x91, 0xa1, 0xb1, 0xc1, 0x09, 0x23, 0x33, 0x52, 0xf0, 0x15, 0x62, 0x72,
    0xd1, 0x0a, 0x16, 0x24, 0x34, 0xe1, 0x25, 0xf1, 0x17, 0x18, 0x19, 0x1a, 0x26, 0x27, 0x28, 0x29,
    0x2a, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x53,
    0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x73,
    0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a,
    0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8,
    0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6,
    0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xe2, 0xe3, 0xe4,
    0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0xfa, 0xff,
    0xda, 0x00, 0x0c, 0x03, 0x01, 0x00, 0x02, 0x11, 0x03, 0x11, 0x00, 0x3f, 0x00, 0xf2, 0x84, 0x8a,
    0xac, 0xa4, 0x55, 0x2a, 0x45, 0x56, 0x52, 0x2f, 0x6a, 0xc2, 0x15, 0x0e, 0x6a, 0x75, 0x48, 0x52,
    0x2f, 0x6a, 0xb0, 0x91, 0x7b, 0x54, 0xc9, 0x17, 0xb5, 0x58, 0x48, 0xab, 0xb2, 0x15, 0x0e, 0xfa,
    0x75, 0x48, 0x52, 0x2a, 0xb2, 0x91, 0x54, 0xc9, 0x15, 0x58, 0x48, 0xbd, 0xab, 0xb2, 0x15, 0x0e,
    0xfa, 0x75, 0x48, 0x52, 0x2f, 0x6a, 0xb0, 0x91, 0x7b, 0x54, 0xc9, 0x17, 0xb5, 0x58, 0x48, 0xab,
    0xae, 0x15, 0x0e, 0xfa, 0x75, 0x48, 0x52, 0x2a, 0xb2, 0x91, 0x54, 0xc9, 0x15, 0x58, 0x48, 0xbd,
    0xab, 0xb2, 0x15, 0x0e, 0xfa, 0x75, 0x48, 0x52, 0x2f, 0x6a, 0xb0, 0x91, 0x54, 0xc9, 0x17, 0xb5,
    0x58, 0x48, 0xab, 0xb2, 0x15, 0x0e, 0xfa, 0x75, 0x4f, 0x33, 0x48, 0xaa, 0xc2, 0x45, 0xed, 0x53,
    0x24, 0x55, 0x61, 0x22, 0xf6, 0xaf, 0xcd, 0xa1, 0x50, 0xfc, 0x8a, 0x9d, 0x52, 0x14, 0x8b, 0xda,
    0xac, 0x24, 0x55, 0x32, 0x45, 0xed, 0x56, 0x12, 0x2a, 0xeb, 0x85, 0x43, 0xbe, 0x9d, 0x52, 0x24,
    0x8a, 0xac, 0x24, 0x5e, 0xd5, 0x32, 0x45, 0x56, 0x12, 0x2f, 0x6a, 0xec, 0x85, 0x43, 0xbe, 0x9d,
    0x52, 0x14, 0x8b, 0xda, 0xac, 0x24, 0x55, 0x32, 0x45, 0xed, 0x56, 0x52, 0x2a, 0xec, 0x85, 0x43,
    0xbe, 0x9d, 0x52, 0x14, 0x8a, 0xac, 0x24, 0x5e, 0xd5, 0x32, 0x45, 0x56, 0x12, 0x2f, 0x6a, 0xec,
    0x85, 0x43, 0xbe, 0x9d, 0x52, 0x14, 0x8b, 0xda, 0xac, 0x24, 0x55, 0x32, 0x45, 0x56, 0x12, 0x2a,
    0xec, 0x85, 0x43, 0xbe, 0x9d, 0x53, 0xcc, 0xd2, 0x2f, 0x6a, 0xb0, 0x91, 0x7b, 0x54, 0xc9, 0x17,
    0xb5, 0x58, 0x48, 0xbd, 0xab, 0xf3, 0x68, 0x54, 0x3f, 0x22, 0xa7, 0x54, 0x85, 0x22, 0xab, 0x29,
    0x15, 0x4a, 0x91, 0x55, 0x94, 0x8a, 0xba, 0xe1, 0x50, 0xef, 0xa7, 0x54, 0x85, 0x22, 0xf6, 0xab,
    0x09, 0x17, 0xb5, 0x4c, 0x91, 0x7b, 0x55, 0x84, 0x8b, 0xda, 0xbb, 0x21, 0x50, 0xef, 0xa7, 0x54,
    0x85, 0x22, 0xab, 0x29, 0x15, 0x4a, 0x91, 0x55, 0x94, 0x8a, 0xbb, 0x21, 0x50, 0xef, 0xa7, 0x54,
    0x85, 0x22, 0xf6, 0xab, 0x09, 0x17, 0xb5, 0x4c, 0x91, 0x7b, 0x55, 0x84, 0x8b, 0xda, 0xbb, 0x21,
    0x50, 0xef, 0xa7, 0x54, 0x85, 0x22, 0xab, 0x29, 0x15, 0x4a, 0x91, 0x55, 0x94, 0x8a, 0xbb, 0x21,
    0x50, 0xef, 0xa7, 0x54, 0xf3, 0x24, 0x8b, 0xda, 0xac, 0x24, 0x5e, 0xd5, 0x32, 0x45, 0xed, 0x56,
    0x12, 0x2a, 0xfc, 0xd6, 0x15, 0x0f, 0xc8, 0xa9, 0xd5, 0x21, 0x48, 0xaa, 0xca, 0x45, 0x53, 0x24,
    0x55, 0x61, 0x22, 0xf6, 0xae, 0xc8, 0x54, 0x3b, 0xe9, 0xd5, 0x21, 0x48, 0xbd, 0xaa, 0xc2, 0x45,
    0x53, 0x24, 0x5e, 0xd5, 0x61, 0x22, 0xae, 0xc8, 0x54, 0x3b, 0xe9, 0xd5, 0x22, 0x48, 0xaa, 0xc2,
    0x45, 0xed, 0x53, 0x24, 0x55, 0x61, 0x22, 0xf6, 0xae, 0xc8, 0x54, 0x3b, 0xe9, 0xd5, 0x21, 0x48,
    0xbd, 0xaa, 0xc2, 0x45, 0x53, 0x24, 0x5e, 0xd5, 0x61, 0x22, 0xae, 0xc8, 0x54, 0x3b, 0xe9, 0xd5,
    0x22, 0x48, 0xaa, 0xc2, 0x45, 0xed, 0x53, 0x24, 0x55, 0x61, 0x22, 0xf6, 0xae, 0xc8, 0x54, 0x3b,
    0xe9, 0xd5, 0x3f, 0xff, 0xd9};
static const size_t fixture_jpeg_len = 1045;

/* ---- helpers ------------------------------------------------------------- */

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Run a shell command and return its standard output; fails the test on error. */
static void run_capture(const char *cmd, struct strbuf *out)
{
	char buf[4096];
	size_t n;
	FILE *p = popen(cmd, "r");

	assert_non_null(p);
	strbuf_reset(out);
	while ((n = fread(buf, 1, sizeof(buf), p)) > 0)
		strbuf_add(out, buf, n);
	assert_int_equal(pclose(p), 0);
}

static void write_temp(const void *data, size_t len, char *path, size_t path_size)
{
	FILE *f;
	int fd;

	snprintf(path, path_size, "/tmp/wenming-test-pdf-XXXXXX.pdf");
	fd = mkstemps(path, 4);
	assert_true(fd >= 0);
	f = fdopen(fd, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static int pdf_pages(const char *path)
{
	struct strbuf out = STRBUF_INIT;
	char cmd[512];
	const char *p;
	int pages = -1;

	snprintf(cmd, sizeof(cmd), "pdfinfo '%s'", path);
	run_capture(cmd, &out);
	p = strstr(strbuf_str(&out), "Pages:");
	assert_non_null(p);
	pages = atoi(p + 6);
	strbuf_release(&out);
	return pages;
}

static void pdf_text(const char *path, struct strbuf *out)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "pdftotext -layout '%s' -", path);
	run_capture(cmd, out);
}

/* pdftotext drops or adds spaces around CJK; compare text without any whitespace. */
static void squeeze(struct strbuf *sb)
{
	size_t i, j = 0;

	for (i = 0; i < sb->len; i++)
		if (!strchr(" \t\r\n\f", sb->buf[i]))
			sb->buf[j++] = sb->buf[i];
	sb->len = j;
	sb->buf[j] = '\0';
}

/* Remove every occurrence of needle from sb. */
static void remove_all(struct strbuf *sb, const char *needle)
{
	size_t n = strlen(needle);
	char *p;

	while ((p = strstr(sb->buf, needle)) != NULL) {
		memmove(p, p + n, sb->len - (size_t)(p - sb->buf) - n + 1);
		sb->len -= n;
	}
}

static int count(const char *hay, const char *needle)
{
	int n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay++;
	}
	return n;
}

static cairo_status_t sb_write(void *closure, const unsigned char *data, unsigned int length)
{
	strbuf_add(closure, data, length);
	return CAIRO_STATUS_SUCCESS;
}

struct reader {
	const unsigned char *p;
	size_t left;
};

static cairo_status_t mem_read(void *closure, unsigned char *data, unsigned int length)
{
	struct reader *r = closure;

	if (length > r->left)
		return CAIRO_STATUS_READ_ERROR;
	memcpy(data, r->p, length);
	r->p += length;
	r->left -= length;
	return CAIRO_STATUS_SUCCESS;
}

/* A 320 x 240 PNG "after" photo: sky, a green verge, a clean white kerb. */
static void make_png(struct strbuf *png)
{
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 320, 240);
	cairo_t *cr = cairo_create(s);
	cairo_pattern_t *sky = cairo_pattern_create_linear(0, 0, 0, 150);

	cairo_pattern_add_color_stop_rgb(sky, 0, 0.45, 0.65, 0.95);
	cairo_pattern_add_color_stop_rgb(sky, 1, 0.85, 0.92, 1.0);
	cairo_set_source(cr, sky);
	cairo_paint(cr);
	cairo_pattern_destroy(sky);
	cairo_rectangle(cr, 0, 150, 320, 90);
	cairo_set_source_rgb(cr, 0.3, 0.6, 0.3);
	cairo_fill(cr);
	cairo_rectangle(cr, 0, 180, 320, 12);
	cairo_set_source_rgb(cr, 0.95, 0.95, 0.95);
	cairo_fill(cr);
	cairo_arc(cr, 250, 60, 28, 0, 6.2832);
	cairo_set_source_rgb(cr, 1.0, 0.85, 0.2);
	cairo_fill(cr);
	cairo_destroy(cr);
	strbuf_reset(png);
	assert_int_equal(cairo_surface_write_to_png_stream(s, sb_write, png), CAIRO_STATUS_SUCCESS);
	cairo_surface_destroy(s);
}

#define NROWS 60
#define NCOLS 5

static const char long_paragraph[] =
    "根据《全国文明城市测评体系》和县创城办第三季度实地督查安排，督查组于二〇二六年三月十二日"
    "对城区主次干道、背街小巷、农贸市场及公共广场开展了暗访检查。检查发现，部分路段存在乱扔"
    "垃圾、占道经营、非机动车乱停乱放等问题，个别农贸市场内外环境卫生较差，公益广告设施破损"
    "未及时修复。现将问题清单交办你单位，请于规定时限内完成整改，并通过系统上传整改前后对比"
    "照片和整改说明。逾期未整改或整改不到位的，将纳入月度考核并在全县通报。A long Latin "
    "phrase, https://wenming.example.gov.cn/sheets/2026-000123?from=pdf&x=<b>&amp;, must "
    "wrap and print literally, not as markup.";

/* The assignment sheet the test renders: three pages and more. */
static void build_sheet(struct pdf_doc *d, const struct strbuf *png)
{
	static const char *const headers[NCOLS] = {"序号", "问题编号", "问题类别", "地点",
	                                           "责任单位"};
	static const double widths[NCOLS] = {12, 28, 44, 56, 30};
	static const char *const categories[] = {"市容环境 › 乱扔垃圾/烟头", "交通秩序 › 乱停乱放",
	                                         "占道经营", "设施破损", "餐饮油烟"};
	static const char *const units[] = {"城管执法局", "住建局", "交警大队", "市场监管局"};
	static char text[NROWS * NCOLS][96];
	const char *cells[NROWS * NCOLS];
	struct error e;
	int r;

	error_init(&e);
	for (r = 0; r < NROWS; r++) {
		snprintf(text[r * NCOLS + 0], 96, "%d", r + 1);
		snprintf(text[r * NCOLS + 1], 96, "2026-%06d", 200 + r);
		snprintf(text[r * NCOLS + 2], 96, "%s", categories[r % 5]);
		snprintf(text[r * NCOLS + 3], 96, "%s路与建设街交叉口东北角第%d号商铺门前",
		         r % 2 ? "人民" : "解放", r + 1);
		snprintf(text[r * NCOLS + 4], 96, "%s", units[r % 4]);
	}
	for (r = 0; r < NROWS * NCOLS; r++)
		cells[r] = text[r];

	pdf_heading(d, 1, "交办单 编号 2026-000123");
	pdf_paragraph(d,
	              "交办单位：县创建文明城市工作指挥部办公室\n承办单位：县城市管理综合执法局");
	pdf_heading(d, 2, "一、交办事项");
	pdf_paragraph(d, long_paragraph);
	assert_int_equal(pdf_image_pair(d, fixture_jpeg, fixture_jpeg_len, "整改前（JPEG）",
	                                png->buf, png->len, "整改后（PNG）", 55, &e),
	                 0);
	assert_int_equal(
	    pdf_qr(d, "https://wenming.example.gov.cn/s/2026-000123", 30, "扫码查看交办单", &e), 0);
	pdf_heading(d, 2, "二、问题清单");
	assert_int_equal(pdf_table(d, NCOLS, headers, widths, NROWS, cells, &e), 0);
	pdf_heading(d, 2, "三、现场照片");
	assert_int_equal(
	    pdf_image(d, fixture_jpeg, fixture_jpeg_len, 80, 60, "问题 2026-000123 现场", &e), 0);
	pdf_paragraph(d, "签收人：__________    签收时间：______年____月____日");
}

/* ---- tests --------------------------------------------------------------- */

static void sheet_renders_chinese_over_three_pages(void **state)
{
	struct pdf_doc d = PDF_DOC_INIT;
	struct strbuf png = STRBUF_INIT, text = STRBUF_INIT;
	struct error e;
	char path[64], footer[64];
	const char *keep = getenv("WENMING_PDF_KEEP");
	void *pdf;
	size_t len;
	double t0, t1, t2;
	int pages;

	(void)state;
	error_init(&e);
	make_png(&png);
	t0 = now_ms();
	assert_int_equal(pdf_init(&d, "县创城办 · 交办单 2026-000123", &e), 0);
	build_sheet(&d, &png);
	t1 = now_ms();
	assert_int_equal(pdf_finish(&d, &pdf, &len, &e), 0);
	t2 = now_ms();
	{
		void *again;
		size_t again_len;

		assert_int_equal(pdf_finish(&d, &again, &again_len, &e), ERR_INTERNAL); /* once */
		assert_null(again);
	}
	pdf_release(&d);
	pdf_release(&d); /* harmless twice */
	print_message("3-page sheet: build %.1f ms, finish %.1f ms, %zu bytes\n", t1 - t0, t2 - t1,
	              len);

	assert_true(len > 1000);
	assert_memory_equal(pdf, "%PDF-", 5);
	/* The JPEG went in as its own bytes, not re-encoded. */
	assert_non_null(memmem(pdf, len, fixture_jpeg, fixture_jpeg_len));

	write_temp(pdf, len, path, sizeof(path));
	if (keep) {
		FILE *f = fopen(keep, "wb");

		assert_non_null(f);
		assert_int_equal(fwrite(pdf, 1, len, f), len);
		fclose(f);
	}
	free(pdf);

	pages = pdf_pages(path);
	assert_true(pages >= 3);
	pdf_text(path, &text);
	assert_non_null(strstr(text.buf, "交办单"));
	assert_non_null(strstr(text.buf, "2026-000123"));
	assert_non_null(strstr(text.buf, "城管执法局"));
	assert_non_null(strstr(text.buf, "2026-000259")); /* the last table row */
	assert_non_null(strstr(text.buf, "扫码查看交办单"));
	assert_non_null(strstr(text.buf, "整改后（PNG）"));
	/* User text is never markup. */
	assert_non_null(strstr(text.buf, "<b>&amp;"));
	/* Header on every page, footer knows the page count. */
	assert_true(count(text.buf, "县创城办 · 交办单 2026-000123") >= pages);
	/* The table header repeats after a page break. */
	assert_true(count(text.buf, "责任单位") >= 2);
	squeeze(&text);
	snprintf(footer, sizeof(footer), "第1页/共%d页", pages);
	assert_non_null(strstr(text.buf, footer));
	snprintf(footer, sizeof(footer), "第%d页/共%d页", pages, pages);
	assert_non_null(strstr(text.buf, footer));
	unlink(path);
	strbuf_release(&text);
	strbuf_release(&png);
}

static void tall_row_splits_across_pages(void **state)
{
	static const char *const headers[2] = {"项目", "说明"};
	struct pdf_doc d = PDF_DOC_INIT;
	struct strbuf body = STRBUF_INIT, text = STRBUF_INIT;
	const char *cells[2];
	struct error e;
	char path[64];
	void *pdf;
	size_t len;
	int i, pages;

	(void)state;
	error_init(&e);
	for (i = 0; i < 400; i++)
		strbuf_addf(&body, "第%d条整改要求：清理占道经营摊点。", i + 1);
	strbuf_adds(&body, "全文结束");
	cells[0] = "超长单元格";
	cells[1] = body.buf;
	assert_int_equal(pdf_init(&d, "长表格", &e), 0);
	assert_int_equal(pdf_table(&d, 2, headers, (const double[]){30, 140}, 1, cells, &e), 0);
	assert_int_equal(pdf_finish(&d, &pdf, &len, &e), 0);
	pdf_release(&d);
	write_temp(pdf, len, path, sizeof(path));
	free(pdf);
	pages = pdf_pages(path);
	assert_true(pages >= 3);
	pdf_text(path, &text);
	/*
	 * Drop what each page adds (header, footer, repeated table header);
	 * what is left must be the cell's text, every line exactly once.
	 */
	squeeze(&text);
	remove_all(&text, "长表格");
	remove_all(&text, "项目说明");
	for (i = 1; i <= pages; i++) {
		char footer[64];

		snprintf(footer, sizeof(footer), "第%d页/共%d页", i, pages);
		remove_all(&text, footer);
	}
	assert_int_equal(count(text.buf, "清理占道经营摊点"), 400);
	assert_non_null(strstr(text.buf, "超长单元格第1条整改要求"));
	assert_non_null(strstr(text.buf, "第400条整改要求：清理占道经营摊点。全文结束"));
	unlink(path);
	strbuf_release(&text);
	strbuf_release(&body);
}

static void qr_png_decodes_at_expected_size(void **state)
{
	const char *url = "https://wenming.example.gov.cn/s/2026-000123";
	QRcode *ref = QRcode_encodeString(url, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	struct reader r;
	cairo_surface_t *s;
	unsigned char *px;
	void *png;
	size_t len;
	int side, stride;

	(void)state;
	assert_non_null(ref);
	assert_int_equal(qr_png(url, 5, &png, &len, NULL), 0);
	r.p = png;
	r.left = len;
	s = cairo_image_surface_create_from_png_stream(mem_read, &r);
	assert_int_equal(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
	side = (ref->width + 8) * 5;
	assert_int_equal(cairo_image_surface_get_width(s), side);
	assert_int_equal(cairo_image_surface_get_height(s), side);
	/* Quiet zone white, then the finder pattern's dark corner at module (0, 0). */
	cairo_surface_flush(s);
	px = cairo_image_surface_get_data(s);
	stride = cairo_image_surface_get_stride(s);
	assert_int_equal(((uint32_t *)(void *)px)[0] & 0xffffff, 0xffffff);
	assert_int_equal(((uint32_t *)(void *)(px + (size_t)(4 * 5) * stride))[4 * 5] & 0xffffff,
	                 0);
	/* And the last quiet-zone pixel, bottom right. */
	assert_int_equal(((uint32_t *)(void *)(px + (size_t)(side - 1) * stride))[side - 1] &
	                     0xffffff,
	                 0xffffff);
	cairo_surface_destroy(s);
	QRcode_free(ref);
	free(png);
}

static void bad_input_is_refused(void **state)
{
	static const unsigned char junk[] = "GIF89a not an image at all";
	/* A lossless (SOF3) JPEG frame: cairo cannot embed it. */
	static const unsigned char lossless[] = {0xFF, 0xD8, 0xFF, 0xC3, 0x00, 0x0B,
	                                         0x08, 0x00, 0x10, 0x00, 0x10, 0x01,
	                                         0x01, 0x11, 0x00, 0xFF, 0xD9};
	/* A PNG header claiming 100000 x 100000 pixels. */
	static const unsigned char huge_png[33] = {
	    0x89, 'P',  'N',  'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R', 0,
	    1,    0x86, 0xA0, 0,   1,    0x86, 0xA0, 8,    2, 0, 0, 0,  0,   0,   0,   0};
	struct pdf_doc d = PDF_DOC_INIT;
	struct strbuf big = STRBUF_INIT;
	struct error e;
	void *png = NULL;
	size_t len = 7;
	int i;

	(void)state;
	error_init(&e);
	assert_int_equal(pdf_init(&d, "错误输入", &e), 0);
	assert_int_equal(pdf_image(&d, junk, sizeof(junk), 50, 50, NULL, &e), ERR_MEDIA_TYPE);
	assert_string_equal(e.field, "image");
	assert_int_equal(pdf_image(&d, fixture_jpeg, 20, 50, 50, NULL, &e), ERR_MEDIA_TYPE);
	assert_int_equal(pdf_image(&d, lossless, sizeof(lossless), 50, 50, NULL, &e),
	                 ERR_MEDIA_TYPE);
	assert_int_equal(pdf_image(&d, huge_png, sizeof(huge_png), 50, 50, NULL, &e),
	                 ERR_TOO_LARGE);
	assert_int_equal(pdf_image(&d, NULL, 0, 50, 50, NULL, &e), ERR_MEDIA_TYPE);
	assert_int_equal(pdf_image_pair(&d, fixture_jpeg, fixture_jpeg_len, "前", junk,
	                                sizeof(junk), "后", 50, &e),
	                 ERR_MEDIA_TYPE);
	assert_int_equal(pdf_table(&d, 0, NULL, NULL, 0, NULL, &e), ERR_INVALID);
	assert_int_equal(pdf_table(&d, 2, NULL, (const double[]){100, 100}, 0, NULL, &e),
	                 ERR_INVALID);
	assert_int_equal(pdf_qr(&d, "", 30, NULL, &e), ERR_INVALID);
	assert_int_equal(pdf_qr(&d, "x", 2, NULL, &e), ERR_INVALID);
	for (i = 0; i < 3000; i++)
		strbuf_addch(&big, 'a' + i % 26);
	assert_int_equal(pdf_qr(&d, big.buf, 30, NULL, &e), ERR_INVALID);
	assert_int_equal(qr_png("x", 0, &png, &len, &e), ERR_INVALID);
	assert_null(png);
	assert_int_equal(len, 0);
	assert_int_equal(qr_png(big.buf, 4, &png, &len, &e), ERR_INVALID);
	/* Invalid UTF-8 is repaired, the document still renders. */
	pdf_paragraph(&d, "坏字节\xff\xfe之后");
	pdf_heading(&d, 7, NULL);
	assert_int_equal(pdf_finish(&d, &png, &len, &e), 0);
	assert_true(len > 0);
	free(png);
	pdf_release(&d);
	strbuf_release(&big);
}

static void *render_in_thread(void *arg)
{
	static const char *const headers[2] = {"单位", "结案率"};
	static const char *const cells[4] = {"城管执法局", "92.5%", "住建局", "81.0%"};
	struct pdf_doc d = PDF_DOC_INIT;
	struct strbuf *png = arg;
	void *pdf = NULL;
	size_t len = 0;
	int i, ok = 1;

	for (i = 0; i < 3 && ok; i++) {
		ok = pdf_init(&d, "通报", NULL) == 0;
		pdf_heading(&d, 1, "第十二周创城工作通报");
		pdf_paragraph(&d, long_paragraph);
		ok = ok && pdf_table(&d, 2, headers, NULL, 2, cells, NULL) == 0;
		ok = ok && pdf_image(&d, png->buf, png->len, 60, 40, "典型问题", NULL) == 0;
		ok = ok && pdf_finish(&d, &pdf, &len, NULL) == 0;
		ok = ok && len > 1000 && !memcmp(pdf, "%PDF-", 5);
		free(pdf);
		pdf = NULL;
		pdf_release(&d);
	}
	return ok ? arg : NULL;
}

static void documents_render_in_parallel_threads(void **state)
{
	struct strbuf png = STRBUF_INIT;
	pthread_t t[4];
	void *res;
	int i;

	(void)state;
	make_png(&png);
	for (i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&t[i], NULL, render_in_thread, &png), 0);
	for (i = 0; i < 4; i++) {
		assert_int_equal(pthread_join(t[i], &res), 0);
		assert_ptr_equal(res, &png);
	}
	strbuf_release(&png);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(sheet_renders_chinese_over_three_pages),
	    cmocka_unit_test(tall_row_splits_across_pages),
	    cmocka_unit_test(qr_png_decodes_at_expected_size),
	    cmocka_unit_test(bad_input_is_refused),
	    cmocka_unit_test(documents_render_in_parallel_threads),
	};

	return cmocka_run_group_tests_name("pdf", tests, NULL, NULL);
}

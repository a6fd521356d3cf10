/* qr.c - QR codes through libqrencode; PNG output through cairo. */
#include "export/qr.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cairo.h>
#include <qrencode.h>

#include "core/alloc.h"
#include "core/strbuf.h"

int qr_encode(const char *text, struct qr_code *out, struct error *e)
{
	QRcode *q;
	size_t n, i;

	out->width = 0;
	out->modules = NULL;
	if (!text || !*text)
		return error_set(e, ERR_INVALID, "text", "二维码内容不能为空");
	if (strlen(text) > QR_MAX_TEXT)
		return error_set(e, ERR_INVALID, "text", "二维码内容过长（最多 %d 字节）",
		                 QR_MAX_TEXT);
	/*
	 * 8-bit mode keeps URLs case-sensitive (the "hint" modes would upper-case
	 * them into alphanumeric mode); level M survives a creased printout.
	 */
	q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (!q) {
		if (errno == ENOMEM)
			abort(); /* same policy as xmalloc */
		return error_set(e, ERR_INVALID, "text", "二维码内容过长");
	}
	n = (size_t)q->width * (size_t)q->width;
	out->width = q->width;
	out->modules = xmalloc(n);
	/* Bit 0 of each libqrencode byte is "dark"; the other bits are its bookkeeping. */
	for (i = 0; i < n; i++)
		out->modules[i] = q->data[i] & 1;
	QRcode_free(q);
	return 0;
}

void qr_code_release(struct qr_code *qr)
{
	free(qr->modules);
	qr->modules = NULL;
	qr->width = 0;
}

static cairo_status_t qr_write_png(void *closure, const unsigned char *data, unsigned int length)
{
	strbuf_add(closure, data, length);
	return CAIRO_STATUS_SUCCESS;
}

int qr_png(const char *text, int module_px, void **png, size_t *len, struct error *e)
{
	struct qr_code qr = QR_CODE_INIT;
	struct strbuf sb = STRBUF_INIT;
	cairo_surface_t *s = NULL;
	unsigned char *data;
	int rc, side, stride, x, y, row, col;

	*png = NULL;
	*len = 0;
	if (module_px < 1 || module_px > QR_MAX_MODULE_PX)
		return error_set(e, ERR_INVALID, "module_px", "二维码模块尺寸应在 1 到 %d 像素之间",
		                 QR_MAX_MODULE_PX);
	rc = qr_encode(text, &qr, e);
	if (rc)
		goto out;

	side = (qr.width + 2 * QR_QUIET_ZONE) * module_px;
	s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, side, side);
	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
		rc = error_set(e, ERR_INTERNAL, NULL, "二维码生成失败");
		goto out;
	}
	/* Set pixels directly: anti-aliased rectangles would blur module edges. */
	cairo_surface_flush(s);
	data = cairo_image_surface_get_data(s);
	stride = cairo_image_surface_get_stride(s);
	for (y = 0; y < side; y++) {
		uint32_t *p = (uint32_t *)(void *)(data + (size_t)y * (size_t)stride);

		row = y / module_px - QR_QUIET_ZONE;
		for (x = 0; x < side; x++) {
			col = x / module_px - QR_QUIET_ZONE;
			p[x] = 0xffffffu;
			if (row >= 0 && row < qr.width && col >= 0 && col < qr.width &&
			    qr.modules[row * qr.width + col])
				p[x] = 0;
		}
	}
	cairo_surface_mark_dirty(s);
	if (cairo_surface_write_to_png_stream(s, qr_write_png, &sb) != CAIRO_STATUS_SUCCESS) {
		rc = error_set(e, ERR_INTERNAL, NULL, "二维码生成失败");
		goto out;
	}
	*png = strbuf_detach(&sb, len);
out:
	if (s)
		cairo_surface_destroy(s);
	strbuf_release(&sb);
	qr_code_release(&qr);
	return rc;
}

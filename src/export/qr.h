/*
 * qr.h - QR codes for printed sheets: the link that opens a 交办单 on a phone,
 * a volunteer check-in code, a questionnaire link.
 *
 * Encoding is libqrencode's (8-bit mode, error correction level M, the lowest
 * version that fits).  qr_encode gives the bare module matrix so the PDF
 * builder can draw it as vector squares; qr_png renders it for the web.
 * Both are safe to call from several threads at once.
 */
#ifndef WENMING_QR_H
#define WENMING_QR_H

#include <stddef.h>

#include "core/err.h"

/* Modules of blank margin on each side; the standard asks for four. */
#define QR_QUIET_ZONE 4

/* Longest text accepted; a version-40 code at level M holds 2331 bytes. */
#define QR_MAX_TEXT 2048

/* Largest module size qr_png draws, so a request cannot ask for a huge image. */
#define QR_MAX_MODULE_PX 64

struct qr_code {
	int width;              /* modules per side, 21..177, quiet zone excluded */
	unsigned char *modules; /* width * width, row-major, 1 = dark; owned */
};

#define QR_CODE_INIT                                                                               \
	{                                                                                          \
		0, NULL                                                                            \
	}

/*
 * Encode text (UTF-8, taken as bytes) into out, which the caller releases with
 * qr_code_release (also safe after a failure).  Returns 0, or ERR_INVALID for
 * empty or over-long text.
 */
int qr_encode(const char *text, struct qr_code *out, struct error *e);

/* Free what the code holds; it is left empty. */
void qr_code_release(struct qr_code *qr);

/*
 * Render text as a black-on-white PNG with the quiet zone: the image is
 * (width + 2 * QR_QUIET_ZONE) * module_px pixels square.  On success *png is a
 * malloc'd buffer the caller frees and *len its size; on failure both are left
 * NULL / 0.  Returns 0, ERR_INVALID (text, or module_px outside
 * 1..QR_MAX_MODULE_PX) or ERR_INTERNAL.
 */
int qr_png(const char *text, int module_px, void **png, size_t *len, struct error *e);

#endif

/*
 * pdf.h - a small document builder for the printed exports: the 交办单
 * (assignment sheet), 通报 (bulletins) and inspection reports.
 *
 * Content flows top to bottom on A4 portrait pages with 20 mm side margins;
 * the builder wraps text and starts new pages by itself.  Every page carries
 * the document title as a header line and "第 N 页 / 共 M 页" as a footer; M is
 * known because page bodies are recorded first and only composed into the PDF
 * by pdf_finish (so the whole document stays in memory until then).
 *
 * Text is UTF-8 and always taken as plain text (never Pango markup), so user
 * input needs no escaping; invalid UTF-8 is repaired, not rejected.  Chinese is
 * set in "Noto Sans CJK SC", falling back to "WenQuanYi Micro Hei", then sans.
 *
 * Lengths in this interface are millimetres.  One pdf_doc belongs to one
 * thread at a time; different documents may be built in parallel threads
 * (each has its own font map, see pdf.c).
 */
#ifndef WENMING_PDF_H
#define WENMING_PDF_H

#include <stddef.h>

#include "core/err.h"

#define PDF_PAGE_W_MM 210.0
#define PDF_PAGE_H_MM 297.0
#define PDF_BODY_W_MM 170.0 /* width between the margins */

#define PDF_TABLE_MAX_COLS   32
#define PDF_IMAGE_MAX_PIXELS (50L * 1000 * 1000) /* per image; beyond it ERR_TOO_LARGE */

struct pdf_state;

struct pdf_doc {
	struct pdf_state *st; /* private to pdf.c; NULL before init and after release */
};

#define PDF_DOC_INIT                                                                               \
	{                                                                                          \
		NULL                                                                               \
	}

/*
 * Start an empty document; title goes in every page header and the PDF's
 * metadata.  Returns 0 or ERR_INTERNAL (no usable fonts).  Call pdf_release
 * afterwards in every case.
 */
int pdf_init(struct pdf_doc *d, const char *title, struct error *e);

/* Free everything the document holds; d is left released (safe to repeat). */
void pdf_release(struct pdf_doc *d);

/* A heading: level 1 (centred title), 2 (section) or 3 (subsection); other
 * levels are clamped.  A heading is never left alone at the foot of a page. */
void pdf_heading(struct pdf_doc *d, int level, const char *text);

/*
 * A 红头 (red-letterhead) masthead as official documents open: title in
 * large red type centred, then the line under it (the document number and
 * date, may be NULL) centred, and a red rule across the body.  Meant first
 * on a page.
 */
void pdf_masthead(struct pdf_doc *d, const char *title, const char *line);

/* A body paragraph: justified, first line indented two characters as Chinese
 * documents are; "\n" starts a new line inside it. */
void pdf_paragraph(struct pdf_doc *d, const char *text);

/* Vertical space, and a forced page break. */
void pdf_space(struct pdf_doc *d, double mm);
void pdf_page_break(struct pdf_doc *d);

/*
 * A grid table of ncols columns (1..PDF_TABLE_MAX_COLS).  headers holds ncols
 * strings, or is NULL for no header row; the header row is repeated at the top
 * of every page the table runs onto.  widths_mm holds ncols widths summing to
 * at most PDF_BODY_W_MM (the table is centred), or is NULL for equal columns.
 * cells holds nrows * ncols strings, row by row; NULL cells print empty.
 * Cells wrap; a row moves to the next page whole unless it is taller than a
 * page, in which case it is split between pages.
 * Returns 0 or ERR_INVALID (and adds nothing).
 */
int pdf_table(struct pdf_doc *d, int ncols, const char *const *headers, const double *widths_mm,
              int nrows, const char *const *cells, struct error *e);

/*
 * A photo, scaled to fit max_w_mm x max_h_mm (<= 0: the body's width or
 * height) keeping its aspect, centred, with an optional caption below.
 * JPEG is embedded as the original bytes (the PDF viewer decodes it); PNG is
 * decoded and stored losslessly.  The bytes are copied.
 * Returns 0, ERR_MEDIA_TYPE (not a JPEG or PNG the builder can embed:
 * lossless, arithmetic-coded or 12-bit JPEG, damaged data) or ERR_TOO_LARGE
 * (over PDF_IMAGE_MAX_PIXELS); nothing is added on failure.
 */
int pdf_image(struct pdf_doc *d, const void *jpeg_or_png, size_t len, double max_w_mm,
              double max_h_mm, const char *caption, struct error *e);

/*
 * Two photos side by side, each in half the body width and at most max_h_mm
 * high, for 整改前 / 整改后.  Either may be NULL (len 0) to leave its half
 * blank with the caption (a problem not yet rectified has no "after" photo).
 * Returns as pdf_image; if either image is refused nothing is added.
 */
int pdf_image_pair(struct pdf_doc *d, const void *before, size_t before_len,
                   const char *before_caption, const void *after, size_t after_len,
                   const char *after_caption, double max_h_mm, struct error *e);

#define PDF_CHART_MAX_BARS 30

/*
 * A horizontal bar chart drawn with cairo: one row per bar, its label on the
 * left (cut with "…" when too long), a bar of length values[i] / max of the
 * plot width (quarter lines behind), and value_texts[i] (may be NULL) at its
 * end; optional caption below.  n is 1..PDF_CHART_MAX_BARS, values >= 0
 * (clamped to max).  Returns 0 or ERR_INVALID (and adds nothing).
 */
int pdf_bar_chart(struct pdf_doc *d, int n, const char *const *labels, const double *values,
                  double max, const char *const *value_texts, const char *caption, struct error *e);

/*
 * A QR code for text (typically the URL that opens the sheet), size_mm square
 * including its quiet zone, centred, drawn as vector squares so it stays sharp
 * at any printer resolution; optional caption below.
 * Returns 0 or ERR_INVALID (empty or over-long text, size under 10 mm).
 */
/*
 * A sign-off block at the right of the body: lines (the issuing office, the
 * date; centred, one per line) under a dashed circle 38 mm across, the place
 * of the seal, captioned seal_caption (e.g. "盖章处") at its top.  Kept on
 * one page.
 */
void pdf_signoff(struct pdf_doc *d, const char *lines, const char *seal_caption);

int pdf_qr(struct pdf_doc *d, const char *text, double size_mm, const char *caption,
           struct error *e);

/*
 * Compose the pages and hand over the PDF: *data is malloc'd (the caller
 * frees it) and *len its size.  Call at most once; the document must still be
 * released.  Returns 0, or ERR_INTERNAL (cairo failed; *data stays NULL).
 */
int pdf_finish(struct pdf_doc *d, void **data, size_t *len, struct error *e);

#endif

/*
 * pdf.c - the document builder: Pango lays out, cairo draws.
 *
 * Two passes.  Each page body is drawn into its own cairo recording surface
 * while the caller adds content; pdf_finish then replays the recordings onto a
 * PDF surface and adds the header and the footer, now that the page count is
 * known.  Replaying keeps text as text and JPEGs as their original bytes.
 *
 * Units: the PDF surface works in points, so everything inside this file is
 * points (pt) with y growing down the page; the interface takes millimetres.
 *
 * Threads: Pango's default cairo font map is per thread and lives as long as
 * the thread, and a shared one would need a lock around every layout.  Each
 * document therefore creates its own PangoFontMap and drops it in
 * pdf_release; a one-paragraph document costs 20-40 ms end to end, paid
 * partly for isolation and for no font caches pinned in long-lived worker
 * threads.  The process-wide fontconfig set-up is done once under pthread_once, so two
 * first documents in two threads do not race to load the configuration.
 */
#include "export/pdf.h"

#include <pthread.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include "core/alloc.h"
#include "core/strbuf.h"
#include "export/qr.h"

#define PT_PER_MM (72.0 / 25.4)
#define MM(x)     ((x)*PT_PER_MM)

#define PAGE_W      MM(PDF_PAGE_W_MM)
#define PAGE_H      MM(PDF_PAGE_H_MM)
#define BODY_X      MM(20.0)
#define BODY_W      MM(PDF_BODY_W_MM)
#define BODY_TOP    MM(24.0)
#define BODY_BOTTOM MM(280.0)
#define HEADER_TOP  MM(11.0)
#define HEADER_RULE MM(17.5)
#define FOOTER_TOP  MM(285.0)

#define CELL_PAD            MM(1.5)
#define GAP_AFTER_PARAGRAPH MM(2.5)
#define GAP_AFTER_BLOCK     MM(4.0)
#define EPS                 0.01

/* Local helpers rather than fmin/fmax: the builder then needs no -lm. */
static double min_d(double a, double b)
{
	return a < b ? a : b;
}

static double max_d(double a, double b)
{
	return a > b ? a : b;
}

/* Family list in fallback order; Pango tries each for every missing glyph. */
#define FONT_FAMILIES "Noto Sans CJK SC,WenQuanYi Micro Hei,sans"

/* Chinese document sizes: 小二 18, 四号 14, 小四 12, 五号 10.5, 小五 9 pt. */
enum font_role { FONT_H1, FONT_H2, FONT_H3, FONT_BODY, FONT_SMALL, FONT_SMALL_BOLD, FONT_COUNT };

static const struct {
	double size;
	PangoWeight weight;
} font_spec[FONT_COUNT] = {
    [FONT_H1] = {18, PANGO_WEIGHT_BOLD},     [FONT_H2] = {14, PANGO_WEIGHT_BOLD},
    [FONT_H3] = {12, PANGO_WEIGHT_BOLD},     [FONT_BODY] = {10.5, PANGO_WEIGHT_NORMAL},
    [FONT_SMALL] = {9, PANGO_WEIGHT_NORMAL}, [FONT_SMALL_BOLD] = {9, PANGO_WEIGHT_BOLD},
};

struct pdf_state {
	char *title;
	PangoFontMap *fontmap;
	PangoContext *pango;
	PangoFontDescription *font[FONT_COUNT];

	cairo_surface_t **pages; /* recording surfaces, one per page body */
	int npages, alloc;
	cairo_t *cr;          /* drawing into pages[npages - 1] */
	double y;             /* next free y on the current page, pt */
	PangoLayout *heading; /* a heading waiting for the block it belongs to */
	double heading_after; /* space below it, pt */
	int finished;
};

/* Line positions of a laid-out block, relative to the layout's top-left, pt. */
struct pdf_lines {
	int n;
	double *top, *bottom, *baseline, *x;
};

/* ---- set-up ------------------------------------------------------------- */

static pthread_once_t fonts_once = PTHREAD_ONCE_INIT;

/* Make fontconfig read its configuration and cache once, in one thread. */
static void fonts_warm_up(void)
{
	PangoFontMap *fm = pango_cairo_font_map_new();
	PangoContext *ctx = pango_font_map_create_context(fm);
	PangoFontDescription *fd = pango_font_description_from_string(FONT_FAMILIES " 10");
	PangoFont *f = pango_context_load_font(ctx, fd);

	if (f)
		g_object_unref(f);
	pango_font_description_free(fd);
	g_object_unref(ctx);
	g_object_unref(fm);
}

/* Plain text for Pango: NULL prints as nothing, invalid UTF-8 is repaired. */
static const char *text_valid(const char *s, char **tmp)
{
	*tmp = NULL;
	if (!s)
		return "";
	if (g_utf8_validate(s, -1, NULL))
		return s;
	*tmp = g_utf8_make_valid(s, -1);
	return *tmp;
}

static PangoLayout *layout_new(struct pdf_state *st, enum font_role role, const char *text,
                               double width)
{
	PangoLayout *l = pango_layout_new(st->pango);
	char *tmp;

	pango_layout_set_font_description(l, st->font[role]);
	pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR); /* long URLs and numbers break too */
	if (width > 0)
		pango_layout_set_width(l, (int)(width * PANGO_SCALE));
	pango_layout_set_text(l, text_valid(text, &tmp), -1);
	g_free(tmp);
	return l;
}

int pdf_init(struct pdf_doc *d, const char *title, struct error *e)
{
	struct pdf_state *st;
	cairo_font_options_t *fo;
	PangoFont *probe;
	char *tmp;
	int i;

	d->st = NULL;
	pthread_once(&fonts_once, fonts_warm_up);

	st = xcalloc(1, sizeof(*st));
	st->title = xstrdup(text_valid(title, &tmp));
	g_free(tmp);
	st->fontmap = pango_cairo_font_map_new();
	st->pango = pango_font_map_create_context(st->fontmap);
	/* Font sizes in points = user units on the PDF surface. */
	pango_cairo_context_set_resolution(st->pango, 72.0);
	/* Han characters differ between zh-CN, zh-TW and ja: ask for the mainland forms. */
	pango_context_set_language(st->pango, pango_language_from_string("zh-cn"));
	/* Hinted metrics are for screens; on paper they make spacing uneven. */
	pango_context_set_round_glyph_positions(st->pango, FALSE);
	fo = cairo_font_options_create();
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	pango_cairo_context_set_font_options(st->pango, fo);
	cairo_font_options_destroy(fo);

	for (i = 0; i < FONT_COUNT; i++) {
		st->font[i] = pango_font_description_from_string(FONT_FAMILIES);
		pango_font_description_set_size(st->font[i],
		                                (int)(font_spec[i].size * PANGO_SCALE));
		pango_font_description_set_weight(st->font[i], font_spec[i].weight);
	}
	d->st = st;
	probe = pango_context_load_font(st->pango, st->font[FONT_BODY]);
	if (!probe)
		return error_set(e, ERR_INTERNAL, NULL, "PDF 生成失败：系统中没有可用的字体");
	g_object_unref(probe);
	return 0;
}

void pdf_release(struct pdf_doc *d)
{
	struct pdf_state *st = d->st;
	int i;

	if (!st)
		return;
	if (st->heading)
		g_object_unref(st->heading);
	if (st->cr)
		cairo_destroy(st->cr);
	for (i = 0; i < st->npages; i++)
		cairo_surface_destroy(st->pages[i]);
	free(st->pages);
	for (i = 0; i < FONT_COUNT; i++)
		pango_font_description_free(st->font[i]);
	g_object_unref(st->pango);
	g_object_unref(st->fontmap);
	free(st->title);
	free(st);
	d->st = NULL;
}

/* ---- pages and flow ------------------------------------------------------ */

static void page_new(struct pdf_state *st)
{
	cairo_rectangle_t extents = {0, 0, PAGE_W, PAGE_H};

	if (st->cr)
		cairo_destroy(st->cr);
	if (st->npages == st->alloc) {
		st->alloc = st->alloc ? st->alloc * 2 : 8;
		st->pages = xrealloc(st->pages, (size_t)st->alloc * sizeof(*st->pages));
	}
	st->pages[st->npages] = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &extents);
	st->cr = cairo_create(st->pages[st->npages]);
	st->npages++;
	st->y = BODY_TOP;
}

/* The first page is opened lazily so that an early pdf_page_break is a no-op. */
static void page_ensure_open(struct pdf_state *st)
{
	if (!st->cr)
		page_new(st);
}

static int page_is_fresh(const struct pdf_state *st)
{
	return st->y <= BODY_TOP + EPS;
}

/* Start a new page unless h more points fit (or the page is still empty). */
static void page_need(struct pdf_state *st, double h)
{
	page_ensure_open(st);
	if (st->y + h > BODY_BOTTOM + EPS && !page_is_fresh(st))
		page_new(st);
}

static void lines_collect(PangoLayout *l, struct pdf_lines *ls)
{
	PangoLayoutIter *it;
	PangoRectangle r, lr;
	int i = 0, n = pango_layout_get_line_count(l);

	ls->n = n;
	ls->top = xmalloc(4 * (size_t)n * sizeof(double));
	ls->bottom = ls->top + n;
	ls->baseline = ls->bottom + n;
	ls->x = ls->baseline + n;
	it = pango_layout_get_iter(l);
	do {
		pango_layout_iter_get_line_extents(it, NULL, &r);
		pango_layout_line_get_extents(pango_layout_iter_get_line_readonly(it), NULL, &lr);
		ls->top[i] = (double)r.y / PANGO_SCALE;
		ls->bottom[i] = (double)(r.y + r.height) / PANGO_SCALE;
		/* The line's origin: its logical box minus the box's own offset. */
		ls->x[i] = (double)(r.x - lr.x) / PANGO_SCALE;
		ls->baseline[i] = (double)pango_layout_iter_get_baseline(it) / PANGO_SCALE;
		i++;
	} while (i < n && pango_layout_iter_next_line(it));
	ls->n = i;
	pango_layout_iter_free(it);
}

static void lines_release(struct pdf_lines *ls)
{
	free(ls->top);
	ls->top = NULL;
	ls->n = 0;
}

static void line_show(cairo_t *cr, PangoLayout *l, const struct pdf_lines *ls, int i, double x,
                      double y)
{
	cairo_move_to(cr, x + ls->x[i], y + ls->baseline[i]);
	pango_cairo_show_layout_line(cr, pango_layout_get_line_readonly(l, i));
}

/*
 * Draw a laid-out block at the cursor line by line, moving to a new page
 * whenever the next line would cross the bottom margin.
 */
static void flow_layout(struct pdf_state *st, PangoLayout *l, double x)
{
	struct pdf_lines ls;
	double origin; /* where the layout's top would be on the current page */
	int i;

	page_ensure_open(st);
	lines_collect(l, &ls);
	origin = st->y;
	for (i = 0; i < ls.n; i++) {
		if (origin + ls.bottom[i] > BODY_BOTTOM + EPS &&
		    origin + ls.top[i] > BODY_TOP + EPS) {
			page_new(st);
			origin = BODY_TOP - ls.top[i];
		}
		cairo_set_source_rgb(st->cr, 0, 0, 0);
		line_show(st->cr, l, &ls, i, x, origin);
	}
	st->y = origin + ls.bottom[ls.n - 1];
	lines_release(&ls);
}

/* ---- text ---------------------------------------------------------------- */

/*
 * Draw the pending heading, if any, on a page that also has room for the
 * first need points of the block that follows it, so that a heading never
 * ends a page.  Every block calls this before placing itself.
 */
static void heading_flush(struct pdf_state *st, double need)
{
	PangoLayout *l = st->heading;
	int w, h;

	if (!l)
		return;
	st->heading = NULL;
	pango_layout_get_size(l, &w, &h);
	page_need(st, (double)h / PANGO_SCALE + st->heading_after + need);
	flow_layout(st, l, BODY_X);
	st->y += st->heading_after;
	g_object_unref(l);
}

void pdf_heading(struct pdf_doc *d, int level, const char *text)
{
	struct pdf_state *st = d->st;
	enum font_role role = level <= 1 ? FONT_H1 : level == 2 ? FONT_H2 : FONT_H3;

	heading_flush(st, MM(10));
	page_ensure_open(st);
	if (!page_is_fresh(st))
		st->y += role == FONT_H1 ? MM(4) : MM(3);
	st->heading = layout_new(st, role, text, BODY_W);
	if (role == FONT_H1)
		pango_layout_set_alignment(st->heading, PANGO_ALIGN_CENTER);
	st->heading_after = role == FONT_H1 ? MM(4) : MM(2);
}

void pdf_masthead(struct pdf_doc *d, const char *title, const char *line)
{
	struct pdf_state *st = d->st;
	PangoFontDescription *fd = pango_font_description_copy(st->font[FONT_H1]);
	PangoLayout *t = layout_new(st, FONT_H1, title, BODY_W), *l = NULL;
	int w, h, lh = 0;

	pango_font_description_set_size(fd, 26 * PANGO_SCALE);
	pango_layout_set_font_description(t, fd);
	pango_font_description_free(fd);
	pango_layout_set_alignment(t, PANGO_ALIGN_CENTER);
	pango_layout_get_size(t, &w, &h);
	if (line && *line) {
		l = layout_new(st, FONT_BODY, line, BODY_W);
		pango_layout_set_alignment(l, PANGO_ALIGN_CENTER);
		pango_layout_get_size(l, &w, &lh);
	}
	heading_flush(st, 0);
	page_need(st, (double)(h + lh) / PANGO_SCALE + MM(16));
	st->y += MM(4);
	cairo_set_source_rgb(st->cr, 0.80, 0.0, 0.0);
	cairo_move_to(st->cr, BODY_X, st->y);
	pango_cairo_show_layout(st->cr, t);
	st->y += (double)h / PANGO_SCALE + MM(5);
	if (l) {
		cairo_set_source_rgb(st->cr, 0, 0, 0);
		cairo_move_to(st->cr, BODY_X, st->y);
		pango_cairo_show_layout(st->cr, l);
		st->y += (double)lh / PANGO_SCALE + MM(2);
		g_object_unref(l);
	}
	/* the red rule: a thick line over a thin one */
	cairo_save(st->cr);
	cairo_set_source_rgb(st->cr, 0.80, 0.0, 0.0);
	cairo_new_path(st->cr);
	cairo_set_line_width(st->cr, 2.0);
	cairo_move_to(st->cr, BODY_X, st->y);
	cairo_line_to(st->cr, BODY_X + BODY_W, st->y);
	cairo_stroke(st->cr);
	cairo_set_line_width(st->cr, 0.6);
	cairo_move_to(st->cr, BODY_X, st->y + MM(1.2));
	cairo_line_to(st->cr, BODY_X + BODY_W, st->y + MM(1.2));
	cairo_stroke(st->cr);
	cairo_restore(st->cr);
	st->y += MM(8);
	g_object_unref(t);
}

void pdf_paragraph(struct pdf_doc *d, const char *text)
{
	struct pdf_state *st = d->st;
	PangoLayout *l = layout_new(st, FONT_BODY, text, BODY_W);

	pango_layout_set_justify(l, TRUE);
	pango_layout_set_line_spacing(l, 1.35f);
	pango_layout_set_indent(l, (int)(2 * font_spec[FONT_BODY].size * PANGO_SCALE));
	heading_flush(st, MM(10)); /* about two lines of the paragraph */
	flow_layout(st, l, BODY_X);
	st->y += GAP_AFTER_PARAGRAPH;
	g_object_unref(l);
}

void pdf_space(struct pdf_doc *d, double mm)
{
	struct pdf_state *st = d->st;

	heading_flush(st, 0);
	page_ensure_open(st);
	if (mm > 0 && !page_is_fresh(st))
		st->y = min_d(st->y + MM(mm), BODY_BOTTOM);
}

void pdf_page_break(struct pdf_doc *d)
{
	struct pdf_state *st = d->st;

	heading_flush(st, 0);
	if (st->cr && !page_is_fresh(st))
		page_new(st);
}

/* ---- tables -------------------------------------------------------------- */

struct table {
	int ncols;
	double x[PDF_TABLE_MAX_COLS + 1]; /* column edges, pt */
	PangoLayout **head;               /* ncols layouts, or NULL */
	double head_h;
};

static void row_layouts(struct pdf_state *st, const struct table *t, const char *const *texts,
                        enum font_role role, PangoLayout **out)
{
	int c;

	for (c = 0; c < t->ncols; c++)
		out[c] = layout_new(st, role, texts ? texts[c] : NULL,
		                    t->x[c + 1] - t->x[c] - 2 * CELL_PAD);
}

/* Background (header rows only), cell borders, for one slice of a row. */
static void row_frame(struct pdf_state *st, const struct table *t, double y, double h, int header)
{
	cairo_t *cr = st->cr;
	int c;

	if (header) {
		cairo_rectangle(cr, t->x[0], y, t->x[t->ncols] - t->x[0], h);
		cairo_set_source_rgb(cr, 0.90, 0.92, 0.95);
		cairo_fill(cr);
	}
	cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
	cairo_set_line_width(cr, 0.5);
	for (c = 0; c < t->ncols; c++)
		cairo_rectangle(cr, t->x[c], y, t->x[c + 1] - t->x[c], h);
	cairo_stroke(cr);
}

static void table_header(struct pdf_state *st, const struct table *t)
{
	struct pdf_lines ls;
	int c, i;

	if (!t->head)
		return;
	row_frame(st, t, st->y, t->head_h, 1);
	cairo_set_source_rgb(st->cr, 0, 0, 0);
	for (c = 0; c < t->ncols; c++) {
		lines_collect(t->head[c], &ls);
		for (i = 0; i < ls.n; i++)
			line_show(st->cr, t->head[c], &ls, i, t->x[c] + CELL_PAD, st->y + CELL_PAD);
		lines_release(&ls);
	}
	st->y += t->head_h;
}

static void table_page_new(struct pdf_state *st, const struct table *t)
{
	page_new(st);
	table_header(st, t);
}

/*
 * One body row.  It moves to the next page whole when it fits on a fresh
 * one; a row taller than a page is cut between lines, each cell continuing
 * where it stopped, under a repeated header.
 */
static void table_row(struct pdf_state *st, const struct table *t, PangoLayout **cells)
{
	struct pdf_lines ls[PDF_TABLE_MAX_COLS];
	int next[PDF_TABLE_MAX_COLS], end[PDF_TABLE_MAX_COLS];
	double shift[PDF_TABLE_MAX_COLS];
	double need = 0, h, avail, fresh_top = BODY_TOP + t->head_h;
	int c, i, done, took;

	for (c = 0; c < t->ncols; c++) {
		lines_collect(cells[c], &ls[c]);
		need = max_d(need, ls[c].bottom[ls[c].n - 1] + 2 * CELL_PAD);
		next[c] = 0;
	}
	if (st->y + need > BODY_BOTTOM + EPS && need <= BODY_BOTTOM - fresh_top)
		table_page_new(st, t);

	for (;;) {
		int at_top = st->y <= fresh_top + EPS;

		avail = BODY_BOTTOM - st->y - 2 * CELL_PAD;
		h = 0;
		took = 0;
		for (c = 0; c < t->ncols; c++) {
			end[c] = next[c];
			if (next[c] >= ls[c].n)
				continue;
			shift[c] = ls[c].top[next[c]];
			while (end[c] < ls[c].n && ls[c].bottom[end[c]] - shift[c] <= avail + EPS)
				end[c]++;
			if (end[c] == next[c] && at_top)
				end[c]++; /* a line taller than a page: draw it clipped, keep going
				           */
			if (end[c] > next[c]) {
				h = max_d(h, ls[c].bottom[end[c] - 1] - shift[c]);
				took = 1;
			}
		}
		if (!took) {
			table_page_new(st, t);
			continue;
		}
		row_frame(st, t, st->y, h + 2 * CELL_PAD, 0);
		cairo_set_source_rgb(st->cr, 0, 0, 0);
		for (c = 0; c < t->ncols; c++)
			for (i = next[c]; i < end[c]; i++)
				line_show(st->cr, cells[c], &ls[c], i, t->x[c] + CELL_PAD,
				          st->y + CELL_PAD - shift[c]);
		st->y += h + 2 * CELL_PAD;
		done = 1;
		for (c = 0; c < t->ncols; c++) {
			next[c] = end[c];
			if (next[c] < ls[c].n)
				done = 0;
		}
		if (done)
			break;
		table_page_new(st, t);
	}
	for (c = 0; c < t->ncols; c++)
		lines_release(&ls[c]);
}

int pdf_table(struct pdf_doc *d, int ncols, const char *const *headers, const double *widths_mm,
              int nrows, const char *const *cells, struct error *e)
{
	struct pdf_state *st = d->st;
	PangoLayout *head[PDF_TABLE_MAX_COLS], *row[PDF_TABLE_MAX_COLS];
	struct table t;
	double total = 0;
	int c, r;

	if (ncols < 1 || ncols > PDF_TABLE_MAX_COLS)
		return error_set(e, ERR_INVALID, "ncols", "表格列数应在 1 到 %d 之间",
		                 PDF_TABLE_MAX_COLS);
	if (nrows < 0 || (nrows > 0 && !cells))
		return error_set(e, ERR_INVALID, "cells", "表格内容无效");
	for (c = 0; c < ncols; c++) {
		double w = widths_mm ? widths_mm[c] : PDF_BODY_W_MM / ncols;

		/* Narrower than one character plus padding cannot hold text. */
		if (!(w >= 6.0))
			return error_set(e, ERR_INVALID, "widths_mm", "表格第 %d 列过窄", c + 1);
		total += w;
	}
	if (total > PDF_BODY_W_MM + 0.01)
		return error_set(e, ERR_INVALID, "widths_mm", "表格总宽度超过版心（%.0f 毫米）",
		                 PDF_BODY_W_MM);

	t.ncols = ncols;
	t.x[0] = BODY_X + MM(PDF_BODY_W_MM - total) / 2;
	for (c = 0; c < ncols; c++)
		t.x[c + 1] = t.x[c] + MM(widths_mm ? widths_mm[c] : PDF_BODY_W_MM / ncols);
	t.head = NULL;
	t.head_h = 0;
	if (headers) {
		row_layouts(st, &t, headers, FONT_SMALL_BOLD, head);
		for (c = 0; c < ncols; c++) {
			int w, h;

			pango_layout_get_size(head[c], &w, &h);
			t.head_h = max_d(t.head_h, (double)h / PANGO_SCALE + 2 * CELL_PAD);
		}
		t.head = head;
	}

	/* The header never stands alone: it needs room for itself and a line. */
	heading_flush(st, t.head_h + MM(8));
	page_need(st, t.head_h + MM(8));
	table_header(st, &t);
	for (r = 0; r < nrows; r++) {
		row_layouts(st, &t, cells + (size_t)r * (size_t)ncols, FONT_SMALL, row);
		table_row(st, &t, row);
		for (c = 0; c < ncols; c++)
			g_object_unref(row[c]);
	}
	st->y += GAP_AFTER_BLOCK;
	if (headers)
		for (c = 0; c < ncols; c++)
			g_object_unref(head[c]);
	return 0;
}

/* ---- images -------------------------------------------------------------- */

struct mem_reader {
	const unsigned char *p;
	size_t left;
};

static cairo_status_t mem_read(void *closure, unsigned char *data, unsigned int length)
{
	struct mem_reader *r = closure;

	if (length > r->left)
		return CAIRO_STATUS_READ_ERROR;
	memcpy(data, r->p, length);
	r->p += length;
	r->left -= length;
	return CAIRO_STATUS_SUCCESS;
}

static unsigned be16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/*
 * Width and height from a JPEG's frame header, for the surface that carries
 * the JPEG to cairo.  Only baseline, extended and progressive Huffman 8-bit
 * frames are accepted: they are what cairo embeds and PDF readers decode;
 * anything else would print as a blank box.
 */
static int jpeg_size(const unsigned char *p, size_t len, int *w, int *h, struct error *e)
{
	size_t i = 2, seg;
	unsigned m;

	while (i + 4 <= len) {
		if (p[i] != 0xFF)
			break;
		m = p[i + 1];
		if (m == 0xFF) { /* fill byte */
			i++;
			continue;
		}
		if (m == 0x01 || (m >= 0xD0 && m <= 0xD7)) { /* no length field */
			i += 2;
			continue;
		}
		seg = be16(p + i + 2);
		if (seg < 2 || i + 2 + seg > len)
			break;
		if (m == 0xC0 || m == 0xC1 || m == 0xC2) {
			unsigned ncomp;

			if (seg < 8)
				break;
			ncomp = p[i + 9];
			*h = (int)be16(p + i + 5);
			*w = (int)be16(p + i + 7);
			if (p[i + 4] != 8 || *w == 0 || *h == 0 ||
			    (ncomp != 1 && ncomp != 3 && ncomp != 4))
				break;
			return 0;
		}
		if ((m >= 0xC3 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC) || m == 0xDA ||
		    m == 0xD9)
			break; /* another kind of frame, or image data before any frame */
		i += 2 + seg;
	}
	return error_set(e, ERR_MEDIA_TYPE, "image",
	                 "图片格式不受支持（仅支持常见的 JPEG 和 PNG）");
}

/* Decode or wrap an image; *out is a cairo surface the caller destroys. */
static int image_load(const void *data, size_t len, cairo_surface_t **out, struct error *e)
{
	static const unsigned char png_sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
	const unsigned char *p = data;
	cairo_surface_t *s;
	int w = 0, h = 0, rc;

	*out = NULL;
	if (p && len >= 24 && !memcmp(p, png_sig, 8)) {
		struct mem_reader r = {p, len};

		/* IHDR first, so a 100000 x 100000 "photo" is refused before decoding. */
		if ((double)be32(p + 16) * (double)be32(p + 20) > (double)PDF_IMAGE_MAX_PIXELS)
			return error_set(e, ERR_TOO_LARGE, "image", "图片像素过大");
		s = cairo_image_surface_create_from_png_stream(mem_read, &r);
		if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
			cairo_surface_destroy(s);
			return error_set(e, ERR_MEDIA_TYPE, "image", "PNG 图片已损坏");
		}
		*out = s;
		return 0;
	}
	if (p && len >= 4 && p[0] == 0xFF && p[1] == 0xD8) {
		unsigned char *copy;

		rc = jpeg_size(p, len, &w, &h, e);
		if (rc)
			return rc;
		if ((double)w * (double)h > (double)PDF_IMAGE_MAX_PIXELS)
			return error_set(e, ERR_TOO_LARGE, "image", "图片像素过大");
		/*
		 * The pixels stay unused (never touched, so the large calloc
		 * costs address space, not memory): the PDF surface embeds the
		 * JPEG bytes attached below instead.
		 */
		s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
		copy = xmalloc(len);
		memcpy(copy, p, len);
		if (cairo_surface_set_mime_data(s, CAIRO_MIME_TYPE_JPEG, copy, len, free, copy) !=
		    CAIRO_STATUS_SUCCESS) {
			free(copy);
			cairo_surface_destroy(s);
			return error_set(e, ERR_INTERNAL, "image", "图片处理失败");
		}
		*out = s;
		return 0;
	}
	return error_set(e, ERR_MEDIA_TYPE, "image",
	                 "图片格式不受支持（仅支持常见的 JPEG 和 PNG）");
}

/* Image scaled into the box (w, h) at (x, y), centred horizontally. */
static void image_draw(struct pdf_state *st, cairo_surface_t *s, double x, double y, double w,
                       double h)
{
	cairo_t *cr = st->cr;
	double iw = cairo_image_surface_get_width(s), ih = cairo_image_surface_get_height(s);

	cairo_save(cr);
	cairo_translate(cr, x, y);
	cairo_scale(cr, w / iw, h / ih);
	cairo_set_source_surface(cr, s, 0, 0);
	cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD);
	cairo_paint(cr);
	cairo_restore(cr);
	cairo_rectangle(cr, x, y, w, h);
	cairo_set_source_rgb(cr, 0.6, 0.6, 0.6);
	cairo_set_line_width(cr, 0.4);
	cairo_stroke(cr);
}

static void image_fit(cairo_surface_t *s, double box_w, double box_h, double *w, double *h)
{
	double iw = cairo_image_surface_get_width(s), ih = cairo_image_surface_get_height(s);
	double k = min_d(box_w / iw, box_h / ih);

	*w = iw * k;
	*h = ih * k;
}

static double caption_height(PangoLayout *l)
{
	int w, h;

	if (!l)
		return 0;
	pango_layout_get_size(l, &w, &h);
	return MM(1.5) + (double)h / PANGO_SCALE;
}

static PangoLayout *caption_layout(struct pdf_state *st, const char *caption, double width)
{
	PangoLayout *l;

	if (!caption || !*caption)
		return NULL;
	l = layout_new(st, FONT_SMALL, caption, width);
	pango_layout_set_alignment(l, PANGO_ALIGN_CENTER);
	return l;
}

static void caption_draw(struct pdf_state *st, PangoLayout *l, double x, double y)
{
	if (!l)
		return;
	cairo_set_source_rgb(st->cr, 0.2, 0.2, 0.2);
	cairo_move_to(st->cr, x, y + MM(1.5));
	pango_cairo_show_layout(st->cr, l);
}

static double box_w_pt(double mm)
{
	return mm > 0 ? min_d(MM(mm), BODY_W) : BODY_W;
}

static double box_h_pt(double mm)
{
	/* Leave room for a caption even on an otherwise empty page. */
	double most = BODY_BOTTOM - BODY_TOP - MM(15);

	return mm > 0 ? min_d(MM(mm), most) : most;
}

int pdf_bar_chart(struct pdf_doc *d, int n, const char *const *labels, const double *values,
                  double max, const char *const *value_texts, const char *caption, struct error *e)
{
	struct pdf_state *st = d->st;
	double label_w = MM(48), value_w = MM(18), bar_x = BODY_X + label_w + MM(2);
	double bar_w = BODY_W - label_w - value_w - MM(4), row_h = MM(7), top, h, ch;
	PangoLayout *cap;
	int i, k;

	if (n < 1 || n > PDF_CHART_MAX_BARS || !(max > 0))
		return error_set(e, ERR_INVALID, NULL, "图表数据不正确");
	for (i = 0; i < n; i++)
		if (!(values[i] >= 0))
			return error_set(e, ERR_INVALID, NULL, "图表数据不正确");
	cap = caption_layout(st, caption, BODY_W);
	ch = caption_height(cap);
	h = n * row_h + MM(4);
	heading_flush(st, h + ch);
	page_need(st, h + ch);
	top = st->y;
	/* quarter lines behind the bars */
	cairo_set_line_width(st->cr, 0.4);
	for (k = 0; k <= 4; k++) {
		double x = bar_x + bar_w * k / 4;

		cairo_set_source_rgb(st->cr, k ? 0.85 : 0.4, k ? 0.85 : 0.4, k ? 0.85 : 0.4);
		cairo_move_to(st->cr, x, top);
		cairo_line_to(st->cr, x, top + n * row_h);
		cairo_stroke(st->cr);
	}
	for (i = 0; i < n; i++) {
		double y = top + i * row_h, v = values[i] > max ? max : values[i];
		PangoLayout *l = layout_new(st, FONT_SMALL, labels[i] ? labels[i] : "", label_w);
		int lw, lh;

		pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
		pango_layout_set_alignment(l, PANGO_ALIGN_RIGHT);
		pango_layout_get_size(l, &lw, &lh);
		cairo_set_source_rgb(st->cr, 0, 0, 0);
		cairo_move_to(st->cr, BODY_X, y + (row_h - (double)lh / PANGO_SCALE) / 2);
		pango_cairo_show_layout(st->cr, l);
		g_object_unref(l);
		cairo_set_source_rgb(st->cr, 0.16, 0.45, 0.78);
		cairo_rectangle(st->cr, bar_x, y + row_h * 0.18, bar_w * v / max, row_h * 0.64);
		cairo_fill(st->cr);
		if (value_texts && value_texts[i]) {
			l = layout_new(st, FONT_SMALL, value_texts[i], value_w);
			pango_layout_get_size(l, &lw, &lh);
			cairo_set_source_rgb(st->cr, 0, 0, 0);
			cairo_move_to(st->cr, bar_x + bar_w * v / max + MM(1.5),
			              y + (row_h - (double)lh / PANGO_SCALE) / 2);
			pango_cairo_show_layout(st->cr, l);
			g_object_unref(l);
		}
	}
	caption_draw(st, cap, BODY_X, top + n * row_h + MM(2));
	st->y = top + h + ch + GAP_AFTER_BLOCK;
	if (cap)
		g_object_unref(cap);
	return 0;
}

int pdf_image(struct pdf_doc *d, const void *jpeg_or_png, size_t len, double max_w_mm,
              double max_h_mm, const char *caption, struct error *e)
{
	struct pdf_state *st = d->st;
	cairo_surface_t *s;
	PangoLayout *cap;
	double w, h, ch;
	int rc;

	rc = image_load(jpeg_or_png, len, &s, e);
	if (rc)
		return rc;
	image_fit(s, box_w_pt(max_w_mm), box_h_pt(max_h_mm), &w, &h);
	cap = caption_layout(st, caption, BODY_W);
	ch = caption_height(cap);
	heading_flush(st, h + ch);
	page_need(st, h + ch);
	image_draw(st, s, BODY_X + (BODY_W - w) / 2, st->y, w, h);
	caption_draw(st, cap, BODY_X, st->y + h);
	st->y += h + ch + GAP_AFTER_BLOCK;
	if (cap)
		g_object_unref(cap);
	cairo_surface_destroy(s); /* the recording keeps its own reference */
	return 0;
}

int pdf_image_pair(struct pdf_doc *d, const void *before, size_t before_len,
                   const char *before_caption, const void *after, size_t after_len,
                   const char *after_caption, double max_h_mm, struct error *e)
{
	struct pdf_state *st = d->st;
	const void *data[2] = {before, after};
	size_t len[2] = {before_len, after_len};
	const char *caption[2] = {before_caption, after_caption};
	cairo_surface_t *s[2] = {NULL, NULL};
	PangoLayout *cap[2] = {NULL, NULL};
	double gap = MM(6), half = (BODY_W - gap) / 2, box_h = box_h_pt(max_h_mm);
	double w[2] = {0, 0}, h[2] = {0, 0}, row_h = 0, cap_h = 0, x;
	int i, rc = 0;

	for (i = 0; i < 2; i++) {
		if (!data[i] || !len[i])
			continue;
		rc = image_load(data[i], len[i], &s[i], e);
		if (rc)
			goto out;
		image_fit(s[i], half, box_h, &w[i], &h[i]);
		row_h = max_d(row_h, h[i]);
	}
	if (!s[0] && !s[1])
		row_h = min_d(box_h, half * 0.75); /* two empty frames keep the layout */
	for (i = 0; i < 2; i++) {
		cap[i] = caption_layout(st, caption[i], half);
		cap_h = max_d(cap_h, caption_height(cap[i]));
	}
	heading_flush(st, row_h + cap_h);
	page_need(st, row_h + cap_h);
	for (i = 0; i < 2; i++) {
		x = BODY_X + i * (half + gap);
		if (s[i]) {
			/* Bottom-align so both captions sit on one line. */
			image_draw(st, s[i], x + (half - w[i]) / 2, st->y + row_h - h[i], w[i],
			           h[i]);
		} else {
			cairo_rectangle(st->cr, x, st->y, half, row_h);
			cairo_set_source_rgb(st->cr, 0.75, 0.75, 0.75);
			cairo_set_line_width(st->cr, 0.4);
			cairo_set_dash(st->cr, (double[]){3, 2}, 2, 0);
			cairo_stroke(st->cr);
			cairo_set_dash(st->cr, NULL, 0, 0);
		}
		caption_draw(st, cap[i], x, st->y + row_h);
	}
	st->y += row_h + cap_h + GAP_AFTER_BLOCK;
out:
	for (i = 0; i < 2; i++) {
		if (s[i])
			cairo_surface_destroy(s[i]);
		if (cap[i])
			g_object_unref(cap[i]);
	}
	return rc;
}

/* ---- QR codes ------------------------------------------------------------ */

void pdf_signoff(struct pdf_doc *d, const char *lines, const char *seal_caption)
{
	struct pdf_state *st = d->st;
	const double diameter = MM(38), width = MM(70);
	PangoLayout *l = layout_new(st, FONT_BODY, lines, width), *cap = NULL;
	double x = BODY_X + BODY_W - width, y, h, cx, cy;
	int lw, lh;

	pango_layout_set_alignment(l, PANGO_ALIGN_CENTER);
	pango_layout_set_line_spacing(l, 1.5f);
	pango_layout_get_size(l, &lw, &lh);
	h = max_d(diameter, (double)lh / PANGO_SCALE);
	heading_flush(st, h);
	page_need(st, h);
	y = st->y;
	cx = x + width / 2;
	cy = y + h / 2;
	/* the seal goes over the issuing office's name, as on paper */
	cairo_save(st->cr);
	cairo_set_source_rgb(st->cr, 0.55, 0.55, 0.55);
	cairo_set_line_width(st->cr, 0.8);
	cairo_set_dash(st->cr, (const double[]){3, 2}, 2, 0);
	cairo_new_path(st->cr); /* no line from wherever the last text ended */
	cairo_arc(st->cr, cx, cy, diameter / 2, 0, 2 * G_PI);
	cairo_stroke(st->cr);
	cairo_restore(st->cr);
	if (seal_caption && *seal_caption) {
		int cw, chh;

		cap = layout_new(st, FONT_SMALL, seal_caption, diameter);
		pango_layout_get_size(cap, &cw, &chh);
		cairo_set_source_rgb(st->cr, 0.55, 0.55, 0.55);
		cairo_move_to(st->cr, cx - (double)cw / PANGO_SCALE / 2, cy - diameter / 2 + MM(4));
		pango_cairo_show_layout(st->cr, cap);
		g_object_unref(cap);
	}
	cairo_set_source_rgb(st->cr, 0, 0, 0);
	cairo_move_to(st->cr, x, cy - (double)lh / PANGO_SCALE / 2);
	pango_cairo_show_layout(st->cr, l);
	g_object_unref(l);
	st->y += h + GAP_AFTER_BLOCK;
}

int pdf_qr(struct pdf_doc *d, const char *text, double size_mm, const char *caption,
           struct error *e)
{
	struct pdf_state *st = d->st;
	struct qr_code qr = QR_CODE_INIT;
	PangoLayout *cap;
	double size, m, x, y, ch;
	int rc, r, c, run;

	if (!(size_mm >= 10.0))
		return error_set(e, ERR_INVALID, "size_mm", "二维码尺寸至少 10 毫米");
	rc = qr_encode(text, &qr, e);
	if (rc)
		return rc;
	size = min_d(MM(size_mm), box_h_pt(0));
	size = min_d(size, BODY_W);
	m = size / (qr.width + 2 * QR_QUIET_ZONE);
	cap = caption_layout(st, caption, BODY_W);
	ch = caption_height(cap);
	heading_flush(st, size + ch);
	page_need(st, size + ch);
	x = BODY_X + (BODY_W - size) / 2;
	y = st->y;

	cairo_rectangle(st->cr, x, y, size, size);
	cairo_set_source_rgb(st->cr, 1, 1, 1);
	cairo_fill(st->cr);
	/* One path of horizontal runs: no hairline seams between modules. */
	for (r = 0; r < qr.width; r++) {
		for (c = 0; c < qr.width; c += run) {
			run = 1;
			if (!qr.modules[r * qr.width + c])
				continue;
			while (c + run < qr.width && qr.modules[r * qr.width + c + run])
				run++;
			cairo_rectangle(st->cr, x + (c + QR_QUIET_ZONE) * m,
			                y + (r + QR_QUIET_ZONE) * m, run * m, m);
		}
	}
	cairo_set_source_rgb(st->cr, 0, 0, 0);
	cairo_fill(st->cr);
	caption_draw(st, cap, BODY_X, y + size);
	st->y += size + ch + GAP_AFTER_BLOCK;
	if (cap)
		g_object_unref(cap);
	qr_code_release(&qr);
	return 0;
}

/* ---- output -------------------------------------------------------------- */

static cairo_status_t pdf_write(void *closure, const unsigned char *data, unsigned int length)
{
	strbuf_add(closure, data, length);
	return CAIRO_STATUS_SUCCESS;
}

static void page_decorate(struct pdf_state *st, cairo_t *cr, int page, int npages)
{
	PangoLayout *l;
	char footer[64];

	l = layout_new(st, FONT_SMALL, st->title, BODY_W);
	pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
	pango_layout_set_height(l, 0); /* one line: a long title ends in "…" */
	cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
	cairo_move_to(cr, BODY_X, HEADER_TOP);
	pango_cairo_show_layout(cr, l);
	g_object_unref(l);

	cairo_move_to(cr, BODY_X, HEADER_RULE);
	cairo_line_to(cr, BODY_X + BODY_W, HEADER_RULE);
	cairo_set_line_width(cr, 0.6);
	cairo_stroke(cr);

	snprintf(footer, sizeof(footer), "第 %d 页 / 共 %d 页", page, npages);
	l = layout_new(st, FONT_SMALL, footer, BODY_W);
	pango_layout_set_alignment(l, PANGO_ALIGN_CENTER);
	cairo_move_to(cr, BODY_X, FOOTER_TOP);
	pango_cairo_show_layout(cr, l);
	g_object_unref(l);
}

int pdf_finish(struct pdf_doc *d, void **data, size_t *len, struct error *e)
{
	struct pdf_state *st = d->st;
	struct strbuf sb = STRBUF_INIT;
	cairo_surface_t *pdf;
	cairo_status_t status;
	cairo_t *cr;
	int i;

	*data = NULL;
	*len = 0;
	if (st->finished)
		return error_set(e, ERR_INTERNAL, NULL, "PDF 已经生成");
	st->finished = 1;
	heading_flush(st, 0);
	page_ensure_open(st);
	cairo_destroy(st->cr);
	st->cr = NULL;

	pdf = cairo_pdf_surface_create_for_stream(pdf_write, &sb, PAGE_W, PAGE_H);
	cairo_pdf_surface_set_metadata(pdf, CAIRO_PDF_METADATA_TITLE, st->title);
	cairo_pdf_surface_set_metadata(pdf, CAIRO_PDF_METADATA_CREATOR, "wenming");
	cr = cairo_create(pdf);
	for (i = 0; i < st->npages; i++) {
		status = cairo_surface_status(st->pages[i]);
		if (status != CAIRO_STATUS_SUCCESS)
			break;
		cairo_set_source_surface(cr, st->pages[i], 0, 0);
		cairo_paint(cr);
		page_decorate(st, cr, i + 1, st->npages);
		cairo_show_page(cr);
	}
	status = cairo_status(cr);
	if (status == CAIRO_STATUS_SUCCESS && i < st->npages)
		status = cairo_surface_status(st->pages[i]);
	cairo_destroy(cr);
	cairo_surface_finish(pdf);
	if (status == CAIRO_STATUS_SUCCESS)
		status = cairo_surface_status(pdf);
	cairo_surface_destroy(pdf);
	if (status != CAIRO_STATUS_SUCCESS) {
		strbuf_release(&sb);
		return error_set(e, ERR_INTERNAL, NULL, "PDF 生成失败：%s",
		                 cairo_status_to_string(status));
	}
	*data = strbuf_detach(&sb, len);
	return 0;
}

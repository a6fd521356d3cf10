/*
 * sheet_xlsx.c - the worksheets of an uploaded .xlsx into rows (the first,
 * or all of them with their names and merged ranges).
 *
 * An .xlsx is a zip of XML parts.  Four of them matter: workbook.xml names
 * the first sheet and the date system, its relationships say which part
 * that sheet is and where the shared strings are, and then the strings and
 * the sheet itself.  Each part is inflated a chunk at a time (libzip)
 * straight into a streaming parser (expat) and counted against
 * SHEET_MAX_PART_BYTES, because the sizes a zip declares can lie; no part
 * is ever inflated whole into memory, and a DTD is refused outright.
 */
#include "spreadsheet/spreadsheet.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <expat.h>
#include <zip.h>

#include "core/alloc.h"
#include "core/strbuf.h"
#include "spreadsheet/sheet_int.h"

#define NS_MAIN        "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#define NS_MAIN_STRICT "http://purl.oclc.org/ooxml/spreadsheetml/main"
#define NS_REL         "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define NS_REL_STRICT  "http://purl.oclc.org/ooxml/officeDocument/relationships"
#define NS_PKG_REL     "http://schemas.openxmlformats.org/package/2006/relationships"

/* ---- text helpers -------------------------------------------------------- */

static void add_utf8(struct strbuf *sb, uint32_t cp)
{
	char u[4];

	if (cp < 0x80) {
		strbuf_addch(sb, (char)cp);
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3F));
		strbuf_add(sb, u, 2);
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		strbuf_add(sb, u, 3);
	} else {
		u[0] = (char)(0xF0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[3] = (char)(0x80 | (cp & 0x3F));
		strbuf_add(sb, u, 4);
	}
}

/* "_xHHHH_" at s (n bytes available): the code unit, or -1. */
static long xescape_at(const char *s, size_t n)
{
	long v = 0;
	int i;

	if (n < 7 || s[0] != '_' || s[1] != 'x' || s[6] != '_')
		return -1;
	for (i = 2; i < 6; i++) {
		char c = s[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	return v;
}

/*
 * Undo OOXML's string escaping: characters XML cannot carry (a carriage
 * return, control codes) are stored as "_x000D_", and a literal "_x" that
 * would look like one as "_x005F_x".  NULs are dropped, since cells are C
 * strings; a lone surrogate stays as the literal text.
 */
static void xstring_decode(const char *s, size_t n, struct strbuf *out)
{
	size_t i = 0;

	while (i < n) {
		long v = s[i] == '_' ? xescape_at(s + i, n - i) : -1;

		if (v < 0) {
			strbuf_addch(out, s[i++]);
			continue;
		}
		if (v >= 0xD800 && v <= 0xDBFF) {
			long lo = xescape_at(s + i + 7, n - i - 7);

			if (lo >= 0xDC00 && lo <= 0xDFFF) {
				add_utf8(out, 0x10000 + (((uint32_t)v - 0xD800) << 10) +
				                  ((uint32_t)lo - 0xDC00));
				i += 14;
				continue;
			}
		}
		if (v >= 0xD800 && v <= 0xDFFF) {
			strbuf_add(out, s + i, 7);
		} else if (v != 0) {
			add_utf8(out, (uint32_t)v);
		}
		i += 7;
	}
}

/*
 * An xlsx number as people read it: integers without ".0", others as the
 * shortest text that gives the same double back, but at most the 15
 * significant digits Excel itself shows, so a cached 0.1+0.2 reads "0.3"
 * like on screen rather than "0.30000000000000004".  Text that is not a
 * plain number is kept as it is.
 */
static void number_format(const char *raw, struct strbuf *out)
{
	const char *p;
	char buf[40], *end;
	double d;
	int prec;

	for (p = raw; *p; p++)
		if (!strchr("0123456789.eE+-", *p))
			break;
	d = *raw ? strtod(raw, &end) : 0;
	if (*p || !*raw || *end || !isfinite(d)) {
		strbuf_adds(out, raw);
		return;
	}
	if (d == 0) {
		strbuf_addch(out, '0');
		return;
	}
	if (d == floor(d) && fabs(d) < 9007199254740992.0) { /* 2^53: exact as %.0f */
		strbuf_addf(out, "%.0f", d);
		return;
	}
	for (prec = 1; prec < 15; prec++) {
		snprintf(buf, sizeof(buf), "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			break;
	}
	if (prec == 15)
		snprintf(buf, sizeof(buf), "%.15g", d);
	strbuf_adds(out, buf);
}

/* ---- xlsx ---------------------------------------------------------------- */

struct xlsx {
	zip_t *zip;
	struct error *e;
	int date1904;

	char *sheet_rid;    /* r:id of the first <sheet> in workbook.xml */
	char *sheet_path;   /* its part, from the workbook's relationships */
	char *strings_path; /* the shared strings part */

	/* every <sheet> (sheet_xlsx_read_book): names, r:ids, parts */
	int all, nsheets;
	char *names[SHEET_MAX_SHEETS], *rids[SHEET_MAX_SHEETS], *paths[SHEET_MAX_SHEETS];
	int merges_alloc;

	/* shared strings, NUL-separated in one buffer no bigger than a part */
	struct strbuf sst;
	uint32_t *sst_off;
	int sst_count, sst_alloc;
};

/* What the expat callbacks share; rc records why a handler stopped the parse. */
struct xml_ctx {
	XML_Parser parser;
	struct xlsx *x;
	int rc;

	/* shared strings */
	int in_si, in_t, in_rph;
	struct strbuf text;

	/* worksheet */
	struct sheet_builder *b;
	int in_sheet_data, in_row, in_cell, in_v, in_is;
	int row, last_row, col, last_col;
	char type[12];
	int has_value;
};

/* name is "namespace|local" (expat's NS mode) or a bare "local". */
static int is_el(const char *name, const char *local)
{
	const char *bar = strrchr(name, '|');
	size_t nl;

	if (!bar)
		return !strcmp(name, local);
	if (strcmp(bar + 1, local))
		return 0;
	nl = (size_t)(bar - name);
	return (nl == strlen(NS_MAIN) && !strncmp(name, NS_MAIN, nl)) ||
	       (nl == strlen(NS_MAIN_STRICT) && !strncmp(name, NS_MAIN_STRICT, nl)) ||
	       (nl == strlen(NS_PKG_REL) && !strncmp(name, NS_PKG_REL, nl));
}

static const char *attr(const char **atts, const char *name)
{
	for (; *atts; atts += 2)
		if (!strcmp(atts[0], name))
			return atts[1];
	return NULL;
}

/* The r:id attribute, in either relationships namespace. */
static const char *attr_rid(const char **atts)
{
	const char *v = attr(atts, NS_REL "|id");

	return v ? v : attr(atts, NS_REL_STRICT "|id");
}

static void xml_stop(struct xml_ctx *c, int rc)
{
	if (!c->rc)
		c->rc = rc;
	XML_StopParser(c->parser, XML_FALSE);
}

/* OOXML never carries a DTD; refusing one closes off entity tricks entirely. */
static void XMLCALL on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
                               const XML_Char *pubid, int has_internal_subset)
{
	struct xml_ctx *c = ud;

	xml_stop(c, error_set(c->x->e, ERR_MEDIA_TYPE, "file", MSG_NOT_SHEET));
}

/*
 * Inflate the part `name` a chunk at a time into c's parser, counting the
 * bytes against the part limit (the sizes a zip declares can lie).  Returns
 * ERR_NOT_FOUND, recording no error, when the zip has no such part.
 */
static int xlsx_parse_part(struct xlsx *x, const char *name, struct xml_ctx *c)
{
	zip_int64_t idx;
	zip_file_t *f;
	zip_int64_t n;
	size_t total = 0;
	char *buf;
	int rc = 0;

	idx = zip_name_locate(x->zip, name, ZIP_FL_NOCASE);
	if (idx < 0)
		return ERR_NOT_FOUND;
	f = zip_fopen_index(x->zip, (zip_uint64_t)idx, 0);
	if (!f)
		return error_set(x->e, ERR_MEDIA_TYPE, "file", MSG_NOT_SHEET);
	buf = xmalloc(64 * 1024);
	XML_SetStartDoctypeDeclHandler(c->parser, on_doctype);
	for (;;) {
		n = zip_fread(f, buf, 64 * 1024);
		if (n < 0) {
			rc = error_set(x->e, ERR_MEDIA_TYPE, "file", MSG_NOT_SHEET);
			break;
		}
		total += (size_t)n;
		if (total > SHEET_MAX_PART_BYTES) {
			rc = error_set(x->e, ERR_TOO_LARGE, "file", "文件解压后超过 %d MB 的上限",
			               SHEET_MAX_PART_BYTES / (1024 * 1024));
			break;
		}
		if (XML_Parse(c->parser, buf, (int)n, n == 0) != XML_STATUS_OK) {
			rc = c->rc ? c->rc : error_set(x->e, ERR_MEDIA_TYPE, "file", MSG_NOT_SHEET);
			break;
		}
		if (n == 0)
			break;
	}
	free(buf);
	zip_fclose(f);
	return rc;
}

static void xml_ctx_init(struct xml_ctx *c, struct xlsx *x, XML_StartElementHandler start,
                         XML_EndElementHandler end, XML_CharacterDataHandler chars)
{
	memset(c, 0, sizeof(*c));
	c->x = x;
	strbuf_init(&c->text);
	c->parser = XML_ParserCreateNS(NULL, '|');
	if (!c->parser) {
		fprintf(stderr, "wenming: out of memory creating an XML parser\n");
		abort();
	}
	XML_SetUserData(c->parser, c);
	XML_SetElementHandler(c->parser, start, end);
	if (chars)
		XML_SetCharacterDataHandler(c->parser, chars);
}

static void xml_ctx_release(struct xml_ctx *c)
{
	XML_ParserFree(c->parser);
	strbuf_release(&c->text);
}

/* -- workbook.xml: the first sheet's relationship id, the date system -- */

static void XMLCALL workbook_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct xml_ctx *c = ud;
	const char *v;

	if (is_el(name, "workbookPr")) {
		v = attr(atts, "date1904");
		c->x->date1904 = v && (!strcmp(v, "1") || !strcmp(v, "true"));
	} else if (is_el(name, "sheet") && !c->x->sheet_rid) {
		v = attr_rid(atts);
		if (v)
			c->x->sheet_rid = xstrdup(v);
	}
	if (is_el(name, "sheet") && c->x->all && c->x->nsheets < SHEET_MAX_SHEETS) {
		const char *nm = attr(atts, "name");

		v = attr_rid(atts);
		if (v) {
			c->x->names[c->x->nsheets] = xstrdup(nm ? nm : "");
			c->x->rids[c->x->nsheets++] = xstrdup(v);
		}
	}
}

/* Handlers for parts where only start tags matter. */
static void XMLCALL ignore_end(void *ud, const XML_Char *name)
{
}

/* -- xl/_rels/workbook.xml.rels: where that sheet and the strings live -- */

/* "xl/" + target with "." and ".." resolved; a leading "/" is the zip root. */
static char *part_resolve(const char *target)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p = target, *seg;
	size_t n;

	if (*p == '/')
		p++;
	else
		strbuf_adds(&sb, "xl/");
	while (*p) {
		seg = p;
		while (*p && *p != '/')
			p++;
		n = (size_t)(p - seg);
		if (n == 2 && !strncmp(seg, "..", 2)) {
			/* drop the last directory: "xl/" -> "" */
			if (sb.len) {
				sb.len--;
				while (sb.len && sb.buf[sb.len - 1] != '/')
					sb.len--;
				sb.buf[sb.len] = '\0';
			}
		} else if (n && !(n == 1 && *seg == '.')) {
			strbuf_add(&sb, seg, n);
			if (*p)
				strbuf_addch(&sb, '/');
		}
		if (*p)
			p++;
	}
	return strbuf_detach(&sb, NULL);
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

static void XMLCALL rels_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct xml_ctx *c = ud;
	const char *id, *type, *target, *mode;

	if (!is_el(name, "Relationship"))
		return;
	id = attr(atts, "Id");
	type = attr(atts, "Type");
	target = attr(atts, "Target");
	mode = attr(atts, "TargetMode");
	if (!id || !type || !target || (mode && !strcmp(mode, "External")))
		return;
	if (c->x->sheet_rid && !c->x->sheet_path && !strcmp(id, c->x->sheet_rid) &&
	    ends_with(type, "/worksheet"))
		c->x->sheet_path = part_resolve(target);
	else if (!c->x->strings_path && ends_with(type, "/sharedStrings"))
		c->x->strings_path = part_resolve(target);
	for (int i = 0; i < c->x->nsheets; i++) {
		if (!c->x->paths[i] && !strcmp(id, c->x->rids[i]) && ends_with(type, "/worksheet"))
			c->x->paths[i] = part_resolve(target);
	}
}

/* -- sharedStrings.xml: <si> is a plain <t> or rich-text runs <r><t>; the
 * phonetic guides in <rPh> are not part of the text -- */

static void XMLCALL sst_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct xml_ctx *c = ud;

	if (is_el(name, "si")) {
		c->in_si = 1;
		strbuf_reset(&c->text);
	} else if (is_el(name, "rPh")) {
		c->in_rph++;
	} else if (is_el(name, "t")) {
		c->in_t = 1;
	}
}

static void XMLCALL sst_end(void *ud, const XML_Char *name)
{
	struct xml_ctx *c = ud;
	struct xlsx *x = c->x;

	if (is_el(name, "t")) {
		c->in_t = 0;
	} else if (is_el(name, "rPh")) {
		c->in_rph--;
	} else if (is_el(name, "si") && c->in_si) {
		c->in_si = 0;
		if (x->sst_count == x->sst_alloc) {
			x->sst_alloc = x->sst_alloc ? x->sst_alloc * 2 : 256;
			x->sst_off = xrealloc(x->sst_off, (size_t)x->sst_alloc * sizeof(uint32_t));
		}
		x->sst_off[x->sst_count++] = (uint32_t)x->sst.len;
		xstring_decode(strbuf_str(&c->text), c->text.len, &x->sst);
		strbuf_addch(&x->sst, '\0');
	}
}

static void XMLCALL sst_chars(void *ud, const XML_Char *s, int len)
{
	struct xml_ctx *c = ud;

	if (c->in_si && c->in_t && !c->in_rph)
		strbuf_add(&c->text, s, (size_t)len);
}

/* -- the worksheet -- */

/* "C7" -> 2 (0-based column); -1 when ref is not a cell reference. */
static int cell_ref_col(const char *ref)
{
	int col = 0, letters = 0;

	for (; *ref >= 'A' && *ref <= 'Z'; ref++, letters++)
		col = col * 26 + (*ref - 'A' + 1);
	if (!letters || letters > 3 || col > 16384)
		return -1;
	for (; *ref; ref++)
		if (*ref < '0' || *ref > '9')
			return -1;
	return col - 1;
}

/* "A2:B5" -> rows 2..5, columns 0..1; 0 when it is not a range. */
static int merge_ref(const char *ref, struct sheet_merge *m)
{
	char a[16], b[16], ca[8], cb[8];
	const char *colon = ref ? strchr(ref, ':') : NULL;
	size_t i;

	if (!colon || (size_t)(colon - ref) >= sizeof(a) || strlen(colon + 1) >= sizeof(b))
		return 0;
	memcpy(a, ref, (size_t)(colon - ref));
	a[colon - ref] = 0;
	strcpy(b, colon + 1);
	m->col1 = cell_ref_col(a);
	m->col2 = cell_ref_col(b);
	if (m->col1 < 0 || m->col2 < 0)
		return 0;
	for (i = 0; a[i] >= 'A' && a[i] <= 'Z' && i < sizeof(ca) - 1; i++)
		ca[i] = a[i];
	m->row1 = atoi(a + i);
	for (i = 0; b[i] >= 'A' && b[i] <= 'Z' && i < sizeof(cb) - 1; i++)
		cb[i] = b[i];
	m->row2 = atoi(b + i);
	return m->row1 >= 1 && m->row2 >= m->row1 && m->col2 >= m->col1 &&
	       m->row2 <= SHEET_EXCEL_MAX_ROWS;
}

/* Keep the merged range ref of the worksheet being read. */
static void ws_merge(struct xml_ctx *c, const char *ref)
{
	struct sheet *s = c->b ? c->b->out : NULL;
	struct sheet_merge m;

	if (!s || !merge_ref(ref, &m) || s->nmerges >= SHEET_MAX_MERGES)
		return;
	if (s->nmerges == c->x->merges_alloc) {
		c->x->merges_alloc = c->x->merges_alloc ? c->x->merges_alloc * 2 : 16;
		s->merges = xrealloc(s->merges, (size_t)c->x->merges_alloc * sizeof(m));
	}
	s->merges[s->nmerges++] = m;
}

static void XMLCALL ws_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct xml_ctx *c = ud;
	const char *v;
	char *end;
	long n;

	if (!c->in_sheet_data) {
		if (is_el(name, "sheetData"))
			c->in_sheet_data = 1;
		else if (is_el(name, "mergeCell"))
			ws_merge(c, attr(atts, "ref"));
		return;
	}
	if (is_el(name, "row")) {
		v = attr(atts, "r");
		n = c->last_row + 1;
		if (v) {
			errno = 0;
			n = strtol(v, &end, 10);
			if (*end || end == v || errno)
				n = -1;
		}
		/* Excel writes rows once each, in order; anything else is not a workbook */
		if (n <= c->last_row || n > SHEET_EXCEL_MAX_ROWS) {
			xml_stop(c, error_set(c->x->e, ERR_MEDIA_TYPE, "file", MSG_NOT_SHEET));
			return;
		}
		c->row = c->last_row = (int)n;
		c->last_col = -1;
		c->in_row = 1;
		sheet_builder_begin_row(c->b, c->row);
	} else if (c->in_row && is_el(name, "c")) {
		v = attr(atts, "r");
		c->col = v ? cell_ref_col(v) : c->last_col + 1;
		if (c->col < 0) {
			xml_stop(c, error_set(c->x->e, ERR_MEDIA_TYPE, "file", MSG_NOT_SHEET));
			return;
		}
		c->last_col = c->col;
		v = attr(atts, "t");
		snprintf(c->type, sizeof(c->type), "%s", v ? v : "n");
		c->in_cell = 1;
		c->has_value = 0;
		strbuf_reset(&c->text);
	} else if (c->in_cell && is_el(name, "v")) {
		c->in_v = 1;
		c->has_value = 1;
	} else if (c->in_cell && is_el(name, "is")) {
		c->in_is = 1;
		c->has_value = 1;
	} else if (c->in_is && is_el(name, "rPh")) {
		c->in_rph++;
	} else if (c->in_is && is_el(name, "t")) {
		c->in_t = 1;
	}
}

/* The finished cell's text, by its type, into the current row. */
static int ws_cell_end(struct xml_ctx *c)
{
	struct xlsx *x = c->x;
	struct strbuf val = STRBUF_INIT;
	const char *raw = strbuf_str(&c->text), *t = c->type;
	char *end;
	long idx;
	int rc;

	if (!c->has_value)
		return 0;
	if (!strcmp(t, "s")) {
		errno = 0;
		idx = strtol(raw, &end, 10);
		if (end == raw || *end || errno || idx < 0 || idx >= x->sst_count)
			return error_set(x->e, ERR_MEDIA_TYPE, "file", MSG_NOT_SHEET);
		rc = sheet_builder_cell(c->b, c->col, x->sst.buf + x->sst_off[idx],
		                        strlen(x->sst.buf + x->sst_off[idx]));
		return rc;
	}
	if (!strcmp(t, "inlineStr") || !strcmp(t, "str"))
		xstring_decode(raw, c->text.len, &val);
	else if (!strcmp(t, "b"))
		strbuf_adds(&val, !strcmp(raw, "1") || !strcmp(raw, "true") ? "TRUE" : "FALSE");
	else if (!strcmp(t, "n"))
		number_format(raw, &val);
	else /* "e" (#N/A and friends), "d" (ISO 8601 dates): as written */
		strbuf_add(&val, raw, c->text.len);
	rc = sheet_builder_cell(c->b, c->col, strbuf_str(&val), val.len);
	strbuf_release(&val);
	return rc;
}

static void XMLCALL ws_end(void *ud, const XML_Char *name)
{
	struct xml_ctx *c = ud;
	int rc;

	if (!c->in_sheet_data)
		return;
	if (c->in_cell && is_el(name, "v")) {
		c->in_v = 0;
	} else if (c->in_is && is_el(name, "t")) {
		c->in_t = 0;
	} else if (c->in_is && is_el(name, "rPh")) {
		c->in_rph--;
	} else if (c->in_is && is_el(name, "is")) {
		c->in_is = 0;
	} else if (c->in_cell && is_el(name, "c")) {
		c->in_cell = 0;
		rc = ws_cell_end(c);
		if (rc)
			xml_stop(c, rc);
	} else if (c->in_row && is_el(name, "row")) {
		c->in_row = 0;
		rc = sheet_builder_end_row(c->b);
		if (rc)
			xml_stop(c, rc);
	} else if (is_el(name, "sheetData")) {
		c->in_sheet_data = 0;
	}
}

static void XMLCALL ws_chars(void *ud, const XML_Char *s, int len)
{
	struct xml_ctx *c = ud;

	if (c->in_v || (c->in_is && c->in_t && !c->in_rph)) {
		/* bounded anyway by the part limit; stop early on an absurd cell */
		if (c->text.len + (size_t)len > 4 * (size_t)SHEET_MAX_CELL_BYTES + 64) {
			char col[8];

			xml_stop(c, error_set(c->x->e, ERR_TOO_LARGE, "file",
			                      "第 %d 行 %s 列的内容超过 %d KB 的上限", c->row,
			                      sheet_column_name(c->col, col),
			                      SHEET_MAX_CELL_BYTES / 1024));
			return;
		}
		strbuf_add(&c->text, s, (size_t)len);
	}
}

/* Parse one part with a fresh parser; ERR_NOT_FOUND when it is absent. */
static int xlsx_run(struct xlsx *x, const char *part, XML_StartElementHandler start,
                    XML_EndElementHandler end, XML_CharacterDataHandler chars,
                    struct sheet_builder *b)
{
	struct xml_ctx c;
	int rc;

	xml_ctx_init(&c, x, start, end, chars);
	c.b = b;
	rc = xlsx_parse_part(x, part, &c);
	xml_ctx_release(&c);
	return rc;
}

/*
 * The workbook's sheets into book (all: every sheet, *nbook of them, else the
 * first into book[0]).  book has room for SHEET_MAX_SHEETS.
 */
static int xlsx_read(const void *data, size_t len, int all, struct sheet *book, int *nbook,
                     struct error *e)
{
	struct xlsx x;
	struct sheet_builder b;
	struct sheet *out = book;
	zip_error_t zerr;
	zip_source_t *src;
	int rc, i;

	memset(&x, 0, sizeof(x));
	x.e = e;
	x.all = all;
	strbuf_init(&x.sst);
	sheet_builder_init(&b, out, e);

	zip_error_init(&zerr);
	src = zip_source_buffer_create(data, len, 0, &zerr);
	if (src)
		x.zip = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &zerr);
	zip_error_fini(&zerr);
	if (!x.zip) {
		zip_source_free(src);
		rc = error_set(e, ERR_MEDIA_TYPE, "file", MSG_NOT_SHEET);
		goto out;
	}

	/* Find the first sheet through the workbook; without one, sheet1.xml. */
	rc = xlsx_run(&x, "xl/workbook.xml", workbook_start, ignore_end, NULL, NULL);
	if (rc == 0)
		rc = xlsx_run(&x, "xl/_rels/workbook.xml.rels", rels_start, ignore_end, NULL, NULL);
	if (rc && rc != ERR_NOT_FOUND)
		goto out;
	if (!x.sheet_path)
		x.sheet_path = xstrdup("xl/worksheets/sheet1.xml");
	if (!x.strings_path)
		x.strings_path = xstrdup("xl/sharedStrings.xml");
	out->date1904 = x.date1904;

	rc = xlsx_run(&x, x.strings_path, sst_start, sst_end, sst_chars, NULL);
	if (rc && rc != ERR_NOT_FOUND)
		goto out;
	if (!all || !x.nsheets) {
		rc = xlsx_run(&x, x.sheet_path, ws_start, ws_end, ws_chars, &b);
		if (nbook)
			*nbook = 1;
		if (all)
			book[0].name = xstrdup("");
	}
	for (i = 0; all && i < x.nsheets; i++) {
		/* a fresh builder per sheet: the limits hold per worksheet */
		sheet_builder_release(&b);
		sheet_builder_init(&b, &book[i], e);
		x.merges_alloc = 0;
		book[i].date1904 = x.date1904;
		book[i].name = xstrdup(x.names[i]);
		*nbook = i + 1;
		rc = x.paths[i] ? xlsx_run(&x, x.paths[i], ws_start, ws_end, ws_chars, &b)
		                : ERR_NOT_FOUND;
		if (rc)
			break;
	}
	if (rc == ERR_NOT_FOUND) /* a zip, but not a workbook */
		rc = error_set(e, ERR_MEDIA_TYPE, "file", MSG_NOT_SHEET);
out:
	for (i = 0; i < x.nsheets; i++) {
		free(x.names[i]);
		free(x.rids[i]);
		free(x.paths[i]);
	}
	if (x.zip)
		zip_discard(x.zip);
	free(x.sheet_rid);
	free(x.sheet_path);
	free(x.strings_path);
	free(x.sst_off);
	strbuf_release(&x.sst);
	sheet_builder_release(&b);
	return rc;
}

int sheet_xlsx_read(const void *data, size_t len, struct sheet *out, struct error *e)
{
	return xlsx_read(data, len, 0, out, NULL, e);
}

int sheet_xlsx_read_book(const void *data, size_t len, struct sheet **out, int *n, struct error *e)
{
	*out = xcalloc(SHEET_MAX_SHEETS, sizeof(**out));
	*n = 0;
	return xlsx_read(data, len, 1, *out, n, e);
}

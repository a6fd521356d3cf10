/*
 * sheet_csv.c - uploaded CSV and tab-separated text into rows.
 *
 * Chinese Excel saves CSV as GB18030 and "Unicode text" as tab-separated
 * UTF-16; only the UTF-16 carries a mark (its BOM), so the encoding is
 * worked out from the bytes here (text_decode) and the upload turned into
 * UTF-8 with iconv before it is parsed.  Binary data, and markup such as
 * an HTML table saved as .csv, are refused at that point, so the parser
 * only ever sees text.
 */
#include "spreadsheet/spreadsheet.h"

#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "core/strbuf.h"
#include "core/utf8.h"
#include "spreadsheet/sheet_int.h"

/* Convert n bytes from charset `from` to UTF-8 with glibc's iconv. */
static int text_convert(const char *from, const char *in, size_t n, struct strbuf *out,
                        struct error *e)
{
	iconv_t cd = iconv_open("UTF-8", from);
	char *ip = (char *)in, *op;
	size_t il = n, ol, r;

	if (cd == (iconv_t)-1)
		return error_set(e, ERR_INTERNAL, "file", "服务器缺少 %s 字符集支持", from);
	strbuf_grow(out, n + n / 2 + 16);
	for (;;) {
		op = out->buf + out->len;
		ol = out->alloc - out->len - 1;
		r = iconv(cd, &ip, &il, &op, &ol);
		out->len = (size_t)(op - out->buf);
		if (r != (size_t)-1)
			break;
		if (errno != E2BIG) {
			iconv_close(cd);
			return error_set(e, ERR_MEDIA_TYPE, "file", MSG_NOT_SHEET);
		}
		strbuf_grow(out, il * 2 + 16);
	}
	out->buf[out->len] = '\0';
	iconv_close(cd);
	return 0;
}

/*
 * The upload as UTF-8 text in out: UTF-16 when it says so with a BOM (Excel's
 * "Unicode text" save), UTF-8 when it is valid UTF-8, else GB18030.  Text has
 * no NULs or control codes besides tab and line breaks; bytes that do are a
 * binary file, not a spreadsheet.
 */
static int text_decode(const unsigned char *d, size_t n, struct strbuf *out, struct error *e)
{
	size_t i;
	int rc = 0;

	if (n >= 2 && d[0] == 0xFF && d[1] == 0xFE)
		rc = text_convert("UTF-16LE", (const char *)d + 2, n - 2, out, e);
	else if (n >= 2 && d[0] == 0xFE && d[1] == 0xFF)
		rc = text_convert("UTF-16BE", (const char *)d + 2, n - 2, out, e);
	else if (n >= 3 && d[0] == 0xEF && d[1] == 0xBB && d[2] == 0xBF)
		strbuf_add(out, d + 3, n - 3);
	else if (utf8_valid(d, n))
		strbuf_add(out, d, n);
	else
		rc = text_convert("GB18030", (const char *)d, n, out, e);
	if (rc)
		return rc;
	if (out->len >= 3 && !memcmp(out->buf, "\xEF\xBB\xBF", 3)) { /* BOM after UTF-16 */
		memmove(out->buf, out->buf + 3, out->len - 2);
		out->len -= 3;
	}
	/* a UTF-8 BOM was taken at its word; the bytes after it may still lie */
	if (!utf8_valid((const unsigned char *)strbuf_str(out), out->len))
		return error_set(e, ERR_MEDIA_TYPE, "file", MSG_NOT_SHEET);
	for (i = 0; i < out->len; i++) {
		unsigned char c = (unsigned char)out->buf[i];

		if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F)
			return error_set(e, ERR_MEDIA_TYPE, "file", MSG_NOT_SHEET);
	}
	/* markup saved as .csv (an HTML table, Excel's XML spreadsheet) is not CSV */
	for (i = 0; i < out->len && strchr(" \t\r\n", out->buf[i]); i++)
		;
	if (!strncasecmp(out->buf + i, "<?xml", 5) || !strncasecmp(out->buf + i, "<html", 5) ||
	    !strncasecmp(out->buf + i, "<!doctype", 9))
		return error_set(e, ERR_MEDIA_TYPE, "file", MSG_NOT_SHEET);
	return 0;
}

/*
 * RFC 4180 with Excel's leniency: a quote opens a quoted field only at the
 * start of a field (spaces before it allowed), text after the closing quote
 * is kept, and a lone CR ends a line too.  Row numbers count records, as
 * Excel does when it opens the file, so a quoted line break stays in its row.
 */
static int csv_parse(const char *s, size_t n, struct sheet_builder *b, struct error *e)
{
	struct strbuf f = STRBUF_INIT;
	char sep = ',';
	size_t i = 0, j;
	int row = 1, col = 0, rc = 0;

	/* tab-separated when the first line has tabs and no commas */
	for (j = 0; j < n && s[j] != '\n' && s[j] != '\r' && s[j] != ','; j++)
		if (s[j] == '\t')
			sep = '\t';
	if (j < n && s[j] == ',')
		sep = ',';

	sheet_builder_begin_row(b, row);
	while (i < n) {
		/* at the start of a field */
		j = i;
		while (j < n && (s[j] == ' ' || (s[j] == '\t' && sep != '\t')))
			j++;
		if (j < n && s[j] == '"') {
			int start_row = row;

			i = j + 1;
			for (;;) {
				if (i >= n) {
					rc = error_set(e, ERR_INVALID, "file",
					               "第 %d 行的引号没有配对（缺少结尾的 \"）",
					               start_row);
					goto out;
				}
				if (s[i] == '"') {
					if (i + 1 < n && s[i + 1] == '"') {
						strbuf_addch(&f, '"');
						i += 2;
						continue;
					}
					i++;
					break;
				}
				if (s[i] == '\r' && i + 1 < n && s[i + 1] == '\n')
					i++; /* CRLF inside a cell is one line break */
				strbuf_addch(&f, s[i++]);
			}
		}
		while (i < n && s[i] != sep && s[i] != '\n' && s[i] != '\r')
			strbuf_addch(&f, s[i++]);
		if ((rc = sheet_builder_cell(b, col, strbuf_str(&f), f.len)) != 0)
			goto out;
		strbuf_reset(&f);
		if (i >= n)
			break;
		if (s[i] == sep) {
			i++;
			col++;
			continue;
		}
		/* end of the line */
		if (s[i] == '\r' && i + 1 < n && s[i + 1] == '\n')
			i++;
		i++;
		if ((rc = sheet_builder_end_row(b)) != 0)
			goto out;
		sheet_builder_begin_row(b, ++row);
		col = 0;
	}
	rc = sheet_builder_end_row(b);
out:
	strbuf_release(&f);
	return rc;
}

int sheet_csv_read(const void *data, size_t len, struct sheet *out, struct error *e)
{
	struct strbuf text = STRBUF_INIT;
	struct sheet_builder b;
	int rc;

	sheet_builder_init(&b, out, e);
	rc = text_decode(data, len, &text, e);
	if (rc == 0)
		rc = csv_parse(strbuf_str(&text), text.len, &b, e);
	sheet_builder_release(&b);
	strbuf_release(&text);
	return rc;
}

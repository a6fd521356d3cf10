/* multipart.c - one uploaded file out of a buffered body, and attachments. */
#include "http/multipart.h"

#include <microhttpd.h>
#include <stdint.h>
#include <stdio.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <strings.h>

#include "core/strbuf.h"
#include "http/req.h"

struct upload {
	const char *field;
	struct strbuf bytes;
	char name[256];
	int seen;     /* the field's first part has started */
	int finished; /* a later part with the same name began: ignore it */
};

/* Keep the last path component, without control characters, cut on a UTF-8 boundary. */
static void bare_name(const char *in, char *out, size_t size)
{
	const char *p, *base = in;
	size_t n = 0;
	int cut = 0;

	for (p = in; *p; p++)
		if (*p == '/' || *p == '\\')
			base = p + 1;
	for (p = base; *p; p++) {
		unsigned char ch = (unsigned char)*p;

		if (ch < 0x20 || ch == 0x7f)
			continue;
		if (n + 1 >= size) {
			cut = 1;
			break;
		}
		out[n++] = (char)ch;
	}
	if (cut) { /* drop the last, possibly partial, character */
		while (n > 0 && ((unsigned char)out[n - 1] & 0xc0) == 0x80)
			n--;
		if (n > 0 && ((unsigned char)out[n - 1] & 0x80))
			n--;
	}
	out[n] = '\0';
	if (!strcmp(out, ".") || !strcmp(out, ".."))
		out[0] = '\0';
}

static enum MHD_Result on_part(void *cls, enum MHD_ValueKind kind, const char *key,
                               const char *filename, const char *content_type,
                               const char *transfer_encoding, const char *data, uint64_t off,
                               size_t size)
{
	struct upload *u = cls;

	(void)kind;
	(void)content_type;
	(void)transfer_encoding;
	if (!key || strcmp(key, u->field) || u->finished)
		return MHD_YES;
	if (off == 0 && u->seen && u->bytes.len > 0) {
		u->finished = 1; /* only the first file of that name counts */
		return MHD_YES;
	}
	if (!u->seen) {
		u->seen = 1;
		if (filename)
			bare_name(filename, u->name, sizeof(u->name));
	}
	if (size)
		strbuf_add(&u->bytes, data, size);
	return MHD_YES;
}

static int is_multipart(const char *ct)
{
	return ct && !strncasecmp(ct, "multipart/form-data", 19) &&
	       (ct[19] == '\0' || ct[19] == ';' || ct[19] == ' ');
}

int req_multipart_file(struct req *r, const char *field, const void **data, size_t *len,
                       const char **filename, struct error *e)
{
	struct MHD_PostProcessor *pp;
	struct upload u;
	char *copy;
	int ok;

	*data = NULL;
	*len = 0;
	if (filename)
		*filename = "";
	if (!is_multipart(req_header(r, MHD_HTTP_HEADER_CONTENT_TYPE)))
		return error_set(e, ERR_MEDIA_TYPE, NULL,
		                 "请以 multipart/form-data 方式上传文件（字段 %s）", field);
	memset(&u, 0, sizeof(u));
	u.field = field;
	strbuf_init(&u.bytes);
	/* It reads the boundary from the connection's Content-Type header itself. */
	pp = MHD_create_post_processor(r->conn, 64 * 1024, on_part, &u);
	if (!pp)
		return error_set(e, ERR_BAD_REQUEST, NULL,
		                 "上传内容格式错误（缺少分隔符 boundary）");
	if (r->body_fd >= 0) {
		/* a streamed body: feed the parser from the temp file in pieces */
		char chunk[64 * 1024];
		ssize_t n;

		ok = r->body_size > 0 && lseek(r->body_fd, 0, SEEK_SET) == 0;
		while (ok && (n = read(r->body_fd, chunk, sizeof(chunk))) != 0) {
			if (n < 0 && errno == EINTR)
				continue;
			ok = n > 0 && MHD_post_process(pp, chunk, (size_t)n) == MHD_YES;
		}
	} else {
		ok = r->body.len > 0 && MHD_post_process(pp, r->body.buf, r->body.len) == MHD_YES;
	}
	/* a body cut short (no closing boundary) must not pass as a shorter file */
	if (MHD_destroy_post_processor(pp) != MHD_YES)
		ok = 0;
	if (!ok) {
		strbuf_release(&u.bytes);
		return error_set(e, ERR_BAD_REQUEST, NULL, "上传内容格式错误，无法读取文件");
	}
	if (!u.seen || u.bytes.len == 0) {
		strbuf_release(&u.bytes);
		return error_set(e, ERR_INVALID, field,
		                 u.seen ? "上传的文件是空的" : "请选择要上传的文件（字段 %s）",
		                 field);
	}
	copy = arena_alloc(&r->arena, u.bytes.len + 1);
	memcpy(copy, u.bytes.buf, u.bytes.len);
	copy[u.bytes.len] = '\0';
	*data = copy;
	*len = u.bytes.len;
	if (filename)
		*filename = arena_strdup(&r->arena, u.name);
	strbuf_release(&u.bytes);
	return 0;
}

int req_reply_attachment(struct req *r, const char *content_type, const void *data, size_t len,
                         const char *ascii_name, const char *utf8_name)
{
	static const char hex[] = "0123456789ABCDEF";
	struct strbuf cd = STRBUF_INIT;
	const unsigned char *p;
	int rc;

	strbuf_addf(&cd, "attachment; filename=\"%s\"; filename*=UTF-8''", ascii_name);
	for (p = (const unsigned char *)utf8_name; *p; p++) {
		/* RFC 5987 attr-char; everything else is percent-encoded */
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || strchr("!#$&+-.^_`|~", *p)) {
			strbuf_addch(&cd, (char)*p);
		} else {
			strbuf_addch(&cd, '%');
			strbuf_addch(&cd, hex[*p >> 4]);
			strbuf_addch(&cd, hex[*p & 15]);
		}
	}
	req_add_header(r, MHD_HTTP_HEADER_CONTENT_DISPOSITION, arena_strdup(&r->arena, cd.buf));
	strbuf_release(&cd);
	rc = req_reply_bytes(r, 200, content_type, data, len, 1);
	return rc;
}

struct parts_ctx {
	struct req *r;
	long max_part;
	struct strbuf bytes[MULTIPART_MAX_PARTS];
	char names[MULTIPART_MAX_PARTS][64];
	char files[MULTIPART_MAX_PARTS][256];
	int is_file[MULTIPART_MAX_PARTS];
	int n;
	int too_large, too_many;
	char big[64];
};

static enum MHD_Result on_any_part(void *cls, enum MHD_ValueKind kind, const char *key,
                                   const char *filename, const char *content_type,
                                   const char *transfer_encoding, const char *data, uint64_t off,
                                   size_t size)
{
	struct parts_ctx *p = cls;
	int i;

	(void)kind;
	(void)content_type;
	(void)transfer_encoding;
	if (!key)
		return MHD_YES;
	/* a new part starts at offset 0 unless the current one of that name is still empty */
	if (off == 0 && (p->n == 0 || strcmp(p->names[p->n - 1], key) ||
	                 p->bytes[p->n - 1].len > 0 || (filename && !p->is_file[p->n - 1]))) {
		if (p->n == MULTIPART_MAX_PARTS) {
			p->too_many = 1;
			return MHD_YES;
		}
		i = p->n++;
		strbuf_init(&p->bytes[i]);
		snprintf(p->names[i], sizeof(p->names[i]), "%s", key);
		p->is_file[i] = filename != NULL;
		p->files[i][0] = '\0';
		if (filename)
			bare_name(filename, p->files[i], sizeof(p->files[i]));
	}
	if (p->n == 0 || p->too_many)
		return MHD_YES;
	i = p->n - 1;
	if ((long)(p->bytes[i].len + size) > p->max_part) {
		if (!p->too_large)
			snprintf(p->big, sizeof(p->big), "%s", key);
		p->too_large = 1;
		return MHD_YES;
	}
	if (size)
		strbuf_add(&p->bytes[i], data, size);
	return MHD_YES;
}

int req_multipart_parts(struct req *r, long max_part, struct multipart_part **parts, int *n,
                        struct error *e)
{
	struct MHD_PostProcessor *pp;
	struct parts_ctx *p;
	int ok, i, rc = 0;

	*parts = NULL;
	*n = 0;
	if (!is_multipart(req_header(r, MHD_HTTP_HEADER_CONTENT_TYPE)))
		return error_set(e, ERR_MEDIA_TYPE, NULL, "请以 multipart/form-data 方式上传文件");
	p = arena_alloc(&r->arena, sizeof(*p));
	memset(p, 0, sizeof(*p));
	p->r = r;
	p->max_part = max_part;
	pp = MHD_create_post_processor(r->conn, 64 * 1024, on_any_part, p);
	if (!pp)
		return error_set(e, ERR_BAD_REQUEST, NULL,
		                 "上传内容格式错误（缺少分隔符 boundary）");
	if (r->body_fd >= 0) {
		char chunk[64 * 1024];
		ssize_t got;

		ok = r->body_size > 0 && lseek(r->body_fd, 0, SEEK_SET) == 0;
		while (ok && (got = read(r->body_fd, chunk, sizeof(chunk))) != 0) {
			if (got < 0 && errno == EINTR)
				continue;
			ok = got > 0 && MHD_post_process(pp, chunk, (size_t)got) == MHD_YES;
		}
	} else {
		ok = r->body.len > 0 && MHD_post_process(pp, r->body.buf, r->body.len) == MHD_YES;
	}
	if (MHD_destroy_post_processor(pp) != MHD_YES)
		ok = 0;
	if (!ok)
		rc = error_set(e, ERR_BAD_REQUEST, NULL, "上传内容格式错误，无法读取文件");
	else if (p->too_many)
		rc = error_set(e, ERR_TOO_LARGE, NULL, "一次最多上传 %d 个部分",
		               MULTIPART_MAX_PARTS);
	else if (p->too_large)
		rc = error_set(e, ERR_TOO_LARGE, p->big, "单个文件不能超过 %ld MB", max_part >> 20);
	if (!rc) {
		*parts = arena_alloc(&r->arena, sizeof(**parts) * (size_t)(p->n + 1));
		for (i = 0; i < p->n; i++) {
			struct multipart_part *x = &(*parts)[i];
			char *copy = arena_alloc(&r->arena, p->bytes[i].len + 1);

			if (p->bytes[i].len)
				memcpy(copy, p->bytes[i].buf, p->bytes[i].len);
			copy[p->bytes[i].len] = '\0';
			x->name = arena_strdup(&r->arena, p->names[i]);
			x->filename = p->is_file[i] ? arena_strdup(&r->arena, p->files[i]) : NULL;
			x->data = copy;
			x->len = p->bytes[i].len;
		}
		*n = p->n;
	}
	for (i = 0; i < p->n; i++)
		strbuf_release(&p->bytes[i]);
	return rc;
}

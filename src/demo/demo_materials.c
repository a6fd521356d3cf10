/*
 * demo_materials.c - the demo county's online materials: a catalogue of 189
 * items (98 说明报告, 54 图片资料, 2 数据表格, 32 部门评价, 3 其他) on the
 * materials standards of the active framework, across its 7 projects, with
 * progress over every status, a few overdue, and small generated files:
 * PDFs made with cairo (export/pdf.h), Word files built with libzip from a
 * minimal template (three parts), photos as PNGs drawn with cairo, the data
 * tables as .xlsx (sheet.h).  Deterministic: the same county every run.
 * The bytes go to the database blob store (blob_db) on both back ends, so
 * the generator needs no data directory.
 */
#include <cairo.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zip.h>

#include "core/strbuf.h"
#include "demo/demo.h"
#include "export/pdf.h"
#include "files/blob.h"
#include "files/files.h"
#include "inspect/inspect.h"
#include "materials/materials.h"
#include "core/utf8.h"
#include "http/reply.h"
#include "org/org.h"
#include "core/clock.h"
#include "org/org_db.h"
#include "spreadsheet/spreadsheet.h"
#include "store/store.h"

#define DEMO_ITEMS    189
#define MAT_DEMO_PDFS 8

STORE_SQL(q_demo_mat_user, "SELECT id FROM users WHERE tenant_id = ? AND unit_id = ?"
                           " ORDER BY id LIMIT 1");

struct mat_ctx {
	struct store_conn *c;
	struct error *e;
	int64_t tenant_id, office_user;
	struct arena *a;
	void *pdf[MAT_DEMO_PDFS]; /* malloc'd */
	size_t pdf_len[MAT_DEMO_PDFS];
};

/* The county's mix: 98 说明报告, 54 图片资料, 2 数据表格, 32 部门评价, 3 其他. */
static const char *const type_keys[] = {"report", "photos", "table", "evaluation", "other"};
static const int type_targets[] = {98, 54, 2, 32, 3};

/* Spread the types evenly over the items: the type furthest behind its share next. */
static const char *next_type(int i, int done[5])
{
	int t, best = 0;
	double lag, best_lag = -1e9;

	for (t = 0; t < 5; t++) {
		lag = (double)type_targets[t] * (i + 1) / DEMO_ITEMS - done[t];
		if (lag > best_lag) {
			best_lag = lag;
			best = t;
		}
	}
	done[best]++;
	return type_keys[best];
}

/* The first max characters of UTF-8 text s, from a. */
static const char *first_chars(struct arena *a, const char *s, int max)
{
	const unsigned char *p = (const unsigned char *)s;
	int chars = 0;

	while (*p && chars < max) {
		p++;
		while ((*p & 0xc0) == 0x80)
			p++;
		chars++;
	}
	return arena_strndup(a, s, (size_t)(p - (const unsigned char *)s));
}

static const char *requirement_of(const char *type)
{
	if (!strcmp(type, "photos"))
		return "2024年1月以来的工作照片不少于6张，JPG或PNG，每张注明时间、地点、事由";
	if (!strcmp(type, "table"))
		return "按模板填写2024年度数据，Excel格式，加盖公章扫描件另附PDF";
	if (!strcmp(type, "evaluation"))
		return "由牵头部门出具评价意见，PDF格式，加盖公章";
	if (!strcmp(type, "other"))
		return "相关佐证材料，PDF格式";
	return "2024年1月以来工作情况的说明报告，不超过5页，Word或PDF格式";
}

/* A file row for data stored in the database blob store; *id set. */
static int demo_file(struct mat_ctx *m, int64_t user_id, const void *data, size_t len,
                     const char *type, const char *name, int64_t *id)
{
	struct blob_ctx bx = {NULL, m->c};
	struct file_info f;
	unsigned char h[crypto_hash_sha256_BYTES];
	int rc;

	memset(&f, 0, sizeof(f));
	crypto_hash_sha256(h, data, len);
	sodium_bin2hex(f.sha256, sizeof(f.sha256), h, sizeof(h));
	f.tenant_id = m->tenant_id;
	f.user_id = user_id;
	f.size = (int64_t)len;
	f.content_type = type;
	f.original_name = name;
	f.storage = blob_db.name;
	rc = blob_db.put(&bx, f.sha256, data, len, m->a, &f.storage_key, m->e);
	if (!rc)
		rc = file_insert(m->c, &f, m->e);
	*id = f.id;
	return rc;
}

static int make_pdf(const char *title, const char *body, void **data, size_t *len, struct error *e)
{
	struct pdf_doc d = PDF_DOC_INIT;
	int rc = pdf_init(&d, title, e);

	if (!rc) {
		pdf_heading(&d, 1, title);
		pdf_paragraph(&d, body);
		rc = pdf_finish(&d, data, len, e);
	}
	pdf_release(&d);
	return rc;
}

/* Read back everything a closed-over source holds (malloc'd). */
static int source_bytes(zip_source_t *src, void **data, size_t *len)
{
	zip_stat_t st;

	if (zip_source_stat(src, &st) < 0 || zip_source_open(src) < 0)
		return -1;
	*data = malloc(st.size ? st.size : 1);
	*len = (size_t)zip_source_read(src, *data, st.size);
	zip_source_close(src);
	return *len == st.size ? 0 : -1;
}

static const char docx_types[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
    "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package."
    "relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/>"
    "<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd."
    "openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>";
static const char docx_rels[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>";

/* A Word document of a bold title and paragraphs (text without XML specials). */
static int make_docx(const char *title, const char *const *paras, int n, void **data, size_t *len)
{
	struct strbuf doc = STRBUF_INIT;
	zip_source_t *src;
	zip_error_t ze;
	zip_t *z;
	int i, rc = -1;

	strbuf_adds(&doc, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
	                  "<w:document xmlns:w=\"http://schemas.openxmlformats.org/"
	                  "wordprocessingml/2006/main\"><w:body>");
	strbuf_addf(&doc,
	            "<w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr><w:r><w:rPr><w:b/>"
	            "<w:sz w:val=\"36\"/></w:rPr><w:t>%s</w:t></w:r></w:p>",
	            title);
	for (i = 0; i < n; i++)
		strbuf_addf(&doc, "<w:p><w:r><w:t xml:space=\"preserve\">%s</w:t></w:r></w:p>",
		            paras[i]);
	strbuf_adds(&doc, "<w:sectPr/></w:body></w:document>");
	zip_error_init(&ze);
	src = zip_source_buffer_create(NULL, 0, 0, &ze);
	z = src ? zip_open_from_source(src, ZIP_TRUNCATE, &ze) : NULL;
	if (z) {
		zip_source_keep(src);
		if (zip_file_add(z, "[Content_Types].xml",
		                 zip_source_buffer(z, docx_types, strlen(docx_types), 0), 0) >= 0 &&
		    zip_file_add(z, "_rels/.rels",
		                 zip_source_buffer(z, docx_rels, strlen(docx_rels), 0), 0) >= 0 &&
		    zip_file_add(z, "word/document.xml", zip_source_buffer(z, doc.buf, doc.len, 0),
		                 0) >= 0 &&
		    zip_close(z) == 0)
			rc = source_bytes(src, data, len);
		else
			zip_discard(z);
		zip_source_free(src);
	} else if (src) {
		zip_source_free(src);
	}
	zip_error_fini(&ze);
	strbuf_release(&doc);
	return rc;
}

static cairo_status_t png_write(void *closure, const unsigned char *data, unsigned int length)
{
	strbuf_add(closure, data, length);
	return CAIRO_STATUS_SUCCESS;
}

/* A small photo-like PNG: a coloured field, a band and a number. */
static int make_png(int i, void **data, size_t *len)
{
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 320, 200);
	cairo_t *cr = cairo_create(s);
	struct strbuf out = STRBUF_INIT;
	char label[32];

	cairo_set_source_rgb(cr, 0.35 + (i % 5) * 0.1, 0.55, 0.45 + (i % 3) * 0.15);
	cairo_paint(cr);
	cairo_set_source_rgb(cr, 0.95, 0.95, 0.9);
	cairo_rectangle(cr, 20, 60, 280, 70);
	cairo_fill(cr);
	cairo_set_source_rgb(cr, 0.2, 0.2, 0.25);
	cairo_select_font_face(cr, "sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
	cairo_set_font_size(cr, 30);
	snprintf(label, sizeof(label), "PHOTO %03d", i + 1);
	cairo_move_to(cr, 60, 105);
	cairo_show_text(cr, label);
	cairo_destroy(cr);
	cairo_surface_write_to_png_stream(s, png_write, &out);
	cairo_surface_destroy(s);
	*data = strbuf_detach(&out, len);
	return *len ? 0 : -1;
}

static int make_xlsx(const char *title, void **data, size_t *len, struct error *e)
{
	static const char *const headers[] = {"指标", "2023年", "2024年", "说明"};
	static const char *const rows[][4] = {
	    {"志愿服务时长（万小时）", "12.5", "15.8", "全国志愿服务信息系统"},
	    {"注册志愿者占常住人口比例（%）", "14.2", "16.9", "统计公报"},
	    {"新时代文明实践站覆盖率（%）", "96", "100", "实践中心台账"},
	};
	struct sheet_writer w;
	int i, rc;

	memset(&w, 0, sizeof(w));
	rc = sheet_writer_init(&w, "数据表", headers, 4, e);
	if (!rc)
		rc = sheet_writer_title(&w, title, e);
	for (i = 0; !rc && i < 3; i++)
		rc = sheet_writer_row_typed(&w, "snns", rows[i], e);
	if (!rc)
		rc = sheet_writer_finish(&w, data, len, e);
	sheet_writer_release(&w);
	return rc;
}

/* The files of one version of item it (number n), inserted; ids into ids, count *nf. */
static int version_files(struct mat_ctx *m, const struct material_item *it, int i, int n,
                         int64_t user, int64_t *ids, int *nf, int64_t *size)
{
	const char *xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	const char *docx =
	    "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
	void *data = NULL;
	size_t len = 0;
	int rc = 0, k;

	*nf = 0;
	*size = 0;
	if (!strcmp(it->type, "photos")) {
		for (k = 0; !rc && k < 3; k++) {
			rc = make_png(i * 3 + k, &data, &len)
			         ? error_set(m->e, ERR_INTERNAL, NULL, "png")
			         : 0;
			if (!rc)
				rc = demo_file(m, user, data, len, "image/png",
				               arena_printf(m->a, "现场照片%d.png", k + 1),
				               &ids[(*nf)++]);
			*size += (int64_t)len;
			free(data);
		}
		return rc;
	}
	if (!strcmp(it->type, "table")) {
		rc = make_xlsx(it->title, &data, &len, m->e);
		if (!rc)
			rc = demo_file(m, user, data, len, xlsx,
			               arena_printf(m->a, "%s.xlsx", it->title), &ids[(*nf)++]);
		*size += (int64_t)len;
		free(data);
		return rc;
	}
	if (!strcmp(it->type, "report") && i % 2 == 0) {
		const char *paras[] = {
		    arena_printf(m->a, "材料编号：%s；测评标准：%s。", it->code, it->standard_code),
		    "一、基本情况：2024年1月以来，我单位按照创建工作部署，建立工作台账，定期调度推"
		    "进。",
		    "二、主要做法：明确责任分工，落实经费保障，开展专项整治和宣传教育活动。",
		    arena_printf(m->a, "三、下一步打算：持续巩固提升（第%d稿）。", n)};

		if (make_docx(it->title, paras, 4, &data, &len))
			return error_set(m->e, ERR_INTERNAL, NULL, "docx");
		rc = demo_file(m, user, data, len, docx, arena_printf(m->a, "%s.docx", it->title),
		               &ids[(*nf)++]);
		*size += (int64_t)len;
		free(data);
		return rc;
	}
	/* a handful of PDFs, made once: pango's layout is the slow part of the demo */
	k = (i % (MAT_DEMO_PDFS / 2)) * 2 + (n > 1);
	if (!m->pdf[k]) {
		rc = make_pdf(
		    arena_printf(m->a, "%s示例材料", material_type_title(it->type)),
		    arena_printf(m->a,
		                 "2024年1月以来，我单位围绕测评标准开展工作，建立工作台账，"
		                 "定期调度推进，现将有关情况报告如下。\n示例文本 %d（第%d稿）。",
		                 k / 2 + 1, n),
		    &m->pdf[k], &m->pdf_len[k], m->e);
		if (rc)
			return rc;
	}
	rc = demo_file(m, user, m->pdf[k], m->pdf_len[k], "application/pdf",
	               arena_printf(m->a, "%s.pdf", it->title), &ids[(*nf)++]);
	*size += (int64_t)m->pdf_len[k];
	return rc;
}

static int64_t user_of_unit(struct mat_ctx *m, int64_t unit_id)
{
	struct store_val args[2] = {sv_int(m->tenant_id), sv_int(unit_id)};
	struct error e;
	int64_t id = 0;

	error_init(&e);
	return store_query_int(m->c, &q_demo_mat_user, args, 2, &id, &e) ? 0 : id;
}

/* Upload version n of it by its lead unit's user (through the same rows as the API). */
static int upload(struct mat_ctx *m, struct material_item *it, int i, int n,
                  struct material_version *v)
{
	int64_t ids[4], size, user = user_of_unit(m, it->lead_unit_id);
	int nf, rc;

	rc = version_files(m, it, i, n, user, ids, &nf, &size);
	memset(v, 0, sizeof(*v));
	v->item_id = it->id;
	v->unit_id = it->lead_unit_id;
	v->note = n == 1 ? "初稿" : "按审核意见修改";
	v->size = size;
	if (!rc)
		rc = material_version_insert(m->c, m->tenant_id, user, v, ids, nf, m->e);
	if (!rc)
		rc = material_set_status(m->c, it->id, "drafting", NULL, 0, m->e);
	if (!rc)
		rc = material_event_add(m->c, m->tenant_id, it->id, v->id, "upload", user,
		                        it->lead_unit_id,
		                        arena_printf(m->a, "第 %lld 版，%d 个文件：%s",
		                                     (long long)v->number, nf, v->note),
		                        m->e);
	return rc;
}

static int submit(struct mat_ctx *m, struct material_item *it, const struct material_version *v)
{
	int64_t user = user_of_unit(m, it->lead_unit_id);
	int rc = material_version_set(m->c, v->id, "submitted", "", "", 0, m->e);

	if (!rc)
		rc = material_set_status(m->c, it->id, "submitted", NULL, 0, m->e);
	if (!rc)
		rc = material_event_add(
		    m->c, m->tenant_id, it->id, v->id, "submit", user, it->lead_unit_id,
		    arena_printf(m->a, "提交第 %lld 版", (long long)v->number), m->e);
	return rc;
}

static int review(struct mat_ctx *m, struct material_item *it, const struct material_version *v,
                  const char *rating, const char *comment)
{
	int approve = rating != NULL;
	int rc = material_version_set(m->c, v->id, approve ? "approved" : "returned",
	                              rating ? rating : "", comment, m->office_user, m->e);

	if (!rc)
		rc = material_set_status(m->c, it->id, approve ? "approved" : "returned", rating,
		                         approve ? v->id : 0, m->e);
	if (!rc)
		rc = material_event_add(
		    m->c, m->tenant_id, it->id, v->id, approve ? "approve" : "return",
		    m->office_user, 0,
		    approve
		        ? arena_printf(m->a, "第 %lld 版通过，评定%s", (long long)v->number,
		                       material_rating_title(rating))
		        : arena_printf(m->a, "第 %lld 版退回：%s", (long long)v->number, comment),
		    m->e);
	return rc;
}

static void add_days(const char *today, int days, char out[11])
{
	struct tm tm;
	time_t t;

	memset(&tm, 0, sizeof(tm));
	sscanf(today, "%d-%d-%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday);
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	tm.tm_hour = 12;
	t = timegm(&tm) + (time_t)days * 86400;
	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

static const char *const returns[] = {
    "缺少2024年以来的工作数据，请补充",
    "照片未注明时间地点，请重新整理",
    "超过5页篇幅限制，请精简",
};

int demo_materials_fill(struct store_conn *c, int64_t tenant_id, int *items, struct error *e)
{
	struct material_weight *w;
	struct unit *units;
	int64_t fw, depts[64], towns[16];
	struct mat_ctx m;
	struct arena a;
	char today[11];
	int nw, nunits, ndepts = 0, ntowns = 0, i, rc, done[5] = {0};

	*items = 0;
	arena_init(&a);
	memset(&m, 0, sizeof(m));
	m.c = c;
	m.e = e;
	m.tenant_id = tenant_id;
	m.a = &a;
	material_today(today);
	rc = framework_active(c, tenant_id, &fw, e);
	if (!rc)
		rc = materials_standard_weights(c, fw, &a, &w, &nw, e);
	if (!rc)
		rc = unit_all(c, tenant_id, &a, &units, &nunits, e);
	if (!rc)
		rc = user_id_by_username(c, "office01", &m.office_user, e);
	if (rc || !nw)
		goto out;
	for (i = 0; i < nunits; i++) {
		if (!strcmp(units[i].kind, "department") && ndepts < 64)
			depts[ndepts++] = units[i].id;
		if (!strcmp(units[i].kind, "town") && ntowns < 16)
			towns[ntowns++] = units[i].id;
	}
	if (!ndepts)
		goto out;
	for (i = 0; !rc && i < DEMO_ITEMS; i++) {
		const struct material_weight *s = &w[(i * 7) % nw]; /* spread over all projects */
		struct material_item it;
		struct material_version v;
		char deadline[11];
		int stage = i % 10;

		memset(&it, 0, sizeof(it));
		it.framework_id = fw;
		it.standard_id = s->standard_id;
		it.type = next_type(i, done);
		it.code = arena_printf(&a, "%s-%d", s->code, i / nw + 1);
		it.title = arena_printf(&a, "%s%s", first_chars(&a, s->title, 10),
		                        !strcmp(it.type, "photos")       ? "工作照片"
		                        : !strcmp(it.type, "table")      ? "数据统计表"
		                        : !strcmp(it.type, "evaluation") ? "部门评价意见"
		                        : !strcmp(it.type, "other")      ? "佐证材料"
		                                                         : "工作情况说明");
		it.requirement = requirement_of(it.type);
		it.lead_unit_id = s->lead_unit_id ? s->lead_unit_id : depts[i % ndepts];
		it.lead_unit_name = s->lead_unit_name ? s->lead_unit_name : "";
		it.standard_code = s->code;
		it.unit_ids[it.nunits++] = depts[(i * 5 + 3) % ndepts];
		if (ntowns && i % 3 == 0)
			it.unit_ids[it.nunits++] = towns[i % ntowns];
		if (it.unit_ids[0] == it.lead_unit_id)
			it.unit_ids[0] = depts[(i * 5 + 4) % ndepts];
		/* not started and drafting items: some already past due */
		add_days(today, (stage < 4 && i % 7 == 0) ? -(i % 9 + 2) : 10 + (i * 13) % 80,
		         deadline);
		it.deadline = deadline;
		it.sort = i + 1;
		rc = material_insert(c, tenant_id, m.office_user, &it, e);
		if (!rc)
			rc = material_event_add(c, tenant_id, it.id, 0, "create", m.office_user, 0,
			                        "", e);
		if (rc || stage < 2)
			continue; /* not_started */
		rc = upload(&m, &it, i, 1, &v);
		if (rc || stage < 4)
			continue; /* drafting */
		rc = submit(&m, &it, &v);
		if (rc || stage == 5 || stage == 6)
			continue; /* submitted */
		if (stage == 4) { /* returned */
			rc = review(&m, &it, &v, NULL, returns[i % 3]);
			continue;
		}
		if (stage == 9 && i % 20 == 9) { /* returned once, then approved */
			rc = review(&m, &it, &v, NULL, returns[(i + 1) % 3]);
			if (!rc)
				rc = upload(&m, &it, i, 2, &v);
			if (!rc)
				rc = submit(&m, &it, &v);
		}
		if (!rc)
			rc = review(&m, &it, &v,
			            stage == 8 && i % 4 == 0   ? "partial"
			            : stage == 8 && i % 4 == 2 ? "none"
			                                       : "full",
			            NULL);
	}
	if (!rc)
		*items = DEMO_ITEMS;
out:
	for (i = 0; i < MAT_DEMO_PDFS; i++)
		free(m.pdf[i]);
	arena_release(&a);
	return rc;
}

/*
 * test_materials.c - the rules of online materials without a database:
 * deciding a file's type by its bytes (never its name), what a rating is
 * worth, type names, and days left to a deadline.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <zip.h>

#include "materials/materials.h"

/* A zip in memory holding one entry called name (malloc'd). */
static void *zip_with(const char *name, size_t *len)
{
	zip_error_t ze;
	zip_source_t *src, *entry;
	zip_stat_t st;
	zip_t *z;
	void *out;

	zip_error_init(&ze);
	src = zip_source_buffer_create(NULL, 0, 0, &ze);
	assert_non_null(src);
	z = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
	assert_non_null(z);
	zip_source_keep(src);
	entry = zip_source_buffer(z, "<x/>", 4, 0);
	assert_true(zip_file_add(z, name, entry, 0) >= 0);
	assert_int_equal(zip_close(z), 0);
	assert_int_equal(zip_source_stat(src, &st), 0);
	assert_int_equal(zip_source_open(src), 0);
	out = malloc(st.size);
	*len = (size_t)zip_source_read(src, out, st.size);
	zip_source_close(src);
	zip_source_free(src);
	zip_error_fini(&ze);
	return out;
}

static void sniff_by_content(void **state)
{
	const char *ct, *ext;
	struct error e;
	size_t len;
	void *docx, *xlsx, *other;

	(void)state;
	error_init(&e);
	assert_int_equal(material_sniff("%PDF-1.4\n", 9, &ct, &ext, &e), 0);
	assert_string_equal(ct, "application/pdf");
	assert_int_equal(material_sniff("\x89PNG\r\n\x1a\n....", 12, &ct, &ext, &e), 0);
	assert_string_equal(ext, "png");
	assert_int_equal(material_sniff("\xff\xd8\xff\xe0....", 8, &ct, &ext, &e), 0);
	assert_string_equal(ext, "jpg");
	docx = zip_with("word/document.xml", &len);
	assert_int_equal(material_sniff(docx, len, &ct, &ext, &e), 0);
	assert_string_equal(ext, "docx");
	xlsx = zip_with("xl/workbook.xml", &len);
	assert_int_equal(material_sniff(xlsx, len, &ct, &ext, &e), 0);
	assert_string_equal(ext, "xlsx");
	/* a zip that is neither, an SVG, HTML, a truncated zip: refused */
	other = zip_with("a.txt", &len);
	assert_int_equal(material_sniff(other, len, &ct, &ext, &e), ERR_MEDIA_TYPE);
	assert_int_equal(material_sniff(docx, 40, &ct, &ext, &e), ERR_MEDIA_TYPE);
	assert_int_equal(
	    material_sniff("<svg xmlns='http://www.w3.org/2000/svg'/>", 40, &ct, &ext, &e),
	    ERR_MEDIA_TYPE);
	assert_int_equal(material_sniff("<html>", 6, &ct, &ext, &e), ERR_MEDIA_TYPE);
	assert_int_equal(material_sniff("", 0, &ct, &ext, &e), ERR_MEDIA_TYPE);
	free(docx);
	free(xlsx);
	free(other);
}

static void ratings_and_names(void **state)
{
	(void)state;
	assert_true(material_rating_value("full") == 1.0);
	assert_true(material_rating_value("partial") == MAT_PARTIAL_SHARE);
	assert_true(material_rating_value("none") == 0.0);
	assert_true(material_rating_value("") == 0.0);
	assert_true(material_rating_value(NULL) == 0.0);
	assert_string_equal(material_type_key("说明报告"), "report");
	assert_string_equal(material_type_key("photos"), "photos");
	assert_null(material_type_key("视频"));
	assert_string_equal(material_status_title("returned"), "已退回");
	assert_null(material_status_title("bogus"));
	assert_string_equal(material_rating_title("partial"), "基本符合");
}

static void days_left(void **state)
{
	(void)state;
	assert_int_equal(material_days_left("2026-12-06", "2026-12-06"), 0);
	assert_int_equal(material_days_left("2026-12-06", "2026-12-31"), 25);
	assert_int_equal(material_days_left("2026-12-31", "2027-01-01"), 1);
	assert_int_equal(material_days_left("2026-03-01", "2026-02-27"), -2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(sniff_by_content),
	    cmocka_unit_test(ratings_and_names),
	    cmocka_unit_test(days_left),
	};

	return cmocka_run_group_tests_name("materials", tests, NULL, NULL);
}

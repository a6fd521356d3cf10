/*
 * materials.c - the rules of online materials without SQL or HTTP: names of
 * types, statuses and ratings, what a rating is worth, the JSON the API
 * answers with, and deciding a file's type by its bytes.
 */
#include <string.h>
#include <time.h>
#include <zip.h>

#include "materials/materials.h"

static const char *const types[][2] = {
    {"report", "说明报告"},     {"photos", "图片资料"}, {"table", "数据表格"},
    {"evaluation", "部门评价"}, {"other", "其他"},
};
static const char *const statuses[][2] = {
    {"not_started", "未开始"}, {"drafting", "编写中"}, {"submitted", "已提交"},
    {"returned", "已退回"},    {"approved", "已通过"},
};
static const char *const ratings[][2] = {
    {"full", "完全符合"},
    {"partial", "基本符合"},
    {"none", "不符合"},
};

#define LOOKUP(table, key)                                                                         \
	do {                                                                                       \
		size_t i_;                                                                         \
		for (i_ = 0; key && i_ < sizeof(table) / sizeof(table[0]); i_++)                   \
			if (!strcmp(table[i_][0], key))                                            \
				return table[i_][1];                                               \
		return NULL;                                                                       \
	} while (0)

const char *material_type_title(const char *key)
{
	LOOKUP(types, key);
}

const char *material_status_title(const char *key)
{
	LOOKUP(statuses, key);
}

const char *material_rating_title(const char *key)
{
	LOOKUP(ratings, key);
}

const char *material_type_key(const char *text)
{
	size_t i;

	for (i = 0; text && i < sizeof(types) / sizeof(types[0]); i++)
		if (!strcmp(types[i][0], text) || !strcmp(types[i][1], text))
			return types[i][0];
	return NULL;
}

double material_rating_value(const char *rating)
{
	if (rating && !strcmp(rating, "full"))
		return 1.0;
	if (rating && !strcmp(rating, "partial"))
		return MAT_PARTIAL_SHARE;
	return 0.0;
}

/* 1 when the zip in data holds an entry called name. */
static int zip_has(const void *data, size_t len, const char *name, const char *other)
{
	zip_error_t ze;
	zip_source_t *src;
	zip_t *z;
	int found = 0;

	zip_error_init(&ze);
	src = zip_source_buffer_create(data, len, 0, &ze);
	if (!src) {
		zip_error_fini(&ze);
		return -1;
	}
	z = zip_open_from_source(src, ZIP_RDONLY, &ze);
	if (!z) {
		zip_source_free(src);
		zip_error_fini(&ze);
		return -1;
	}
	if (zip_name_locate(z, name, 0) >= 0)
		found = 1;
	else if (other && zip_name_locate(z, other, 0) >= 0)
		found = 2;
	zip_discard(z);
	zip_error_fini(&ze);
	return found;
}

int material_sniff(const void *data, size_t len, const char **content_type, const char **ext,
                   struct error *e)
{
	const unsigned char *p = data;

	if (len >= 5 && !memcmp(p, "%PDF-", 5)) {
		*content_type = "application/pdf";
		*ext = "pdf";
		return 0;
	}
	if (len >= 8 && !memcmp(p, "\x89PNG\r\n\x1a\n", 8)) {
		*content_type = "image/png";
		*ext = "png";
		return 0;
	}
	if (len >= 3 && p[0] == 0xff && p[1] == 0xd8 && p[2] == 0xff) {
		*content_type = "image/jpeg";
		*ext = "jpg";
		return 0;
	}
	if (len >= 4 && !memcmp(p, "PK\x03\x04", 4)) {
		int kind = zip_has(data, len, "word/document.xml", "xl/workbook.xml");

		if (kind == 1) {
			*content_type = "application/vnd.openxmlformats-officedocument."
			                "wordprocessingml.document";
			*ext = "docx";
			return 0;
		}
		if (kind == 2) {
			*content_type = "application/vnd.openxmlformats-officedocument."
			                "spreadsheetml.sheet";
			*ext = "xlsx";
			return 0;
		}
	}
	return error_set(
	    e, ERR_MEDIA_TYPE, "file",
	    "只接受 Word（docx）、Excel（xlsx）、PDF、JPG 或 PNG 文件（按文件内容判断）");
}

void material_today(char buf[11])
{
	time_t t = time(NULL) + 8 * 3600;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, 11, "%Y-%m-%d", &tm);
}

static time_t day_of(const char *ymd)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	if (!ymd || strlen(ymd) < 10)
		return 0;
	tm.tm_year = (ymd[0] - '0') * 1000 + (ymd[1] - '0') * 100 + (ymd[2] - '0') * 10 +
	             (ymd[3] - '0') - 1900;
	tm.tm_mon = (ymd[5] - '0') * 10 + (ymd[6] - '0') - 1;
	tm.tm_mday = (ymd[8] - '0') * 10 + (ymd[9] - '0');
	tm.tm_hour = 12;
	return timegm(&tm);
}

int material_days_left(const char *today, const char *deadline)
{
	return (int)((day_of(deadline) - day_of(today)) / 86400);
}

static int is_done(const char *status)
{
	return !strcmp(status, "submitted") || !strcmp(status, "approved");
}

json_t *material_item_json(const struct material_item *it, const char *today)
{
	json_t *units = json_array();
	json_t *j;
	int i, days = material_days_left(today, it->deadline);

	for (i = 0; i < it->nunits; i++)
		json_array_append_new(units, json_integer(it->unit_ids[i]));
	j = json_pack("{s:I, s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:o, s:s,"
	              " s:s, s:s, s:s, s:I, s:i, s:b, s:I, s:I}",
	              "id", (json_int_t)it->id, "framework_id", (json_int_t)it->framework_id,
	              "standard_id", (json_int_t)it->standard_id, "standard_code",
	              it->standard_code, "standard_title", it->standard_title, "code", it->code,
	              "title", it->title, "type", it->type, "type_title",
	              material_type_title(it->type), "requirement", it->requirement, "lead_unit_id",
	              (json_int_t)it->lead_unit_id, "lead_unit_name", it->lead_unit_name,
	              "unit_ids", units, "deadline", it->deadline, "status", it->status,
	              "status_title", material_status_title(it->status), "rating", it->rating,
	              "versions", (json_int_t)it->versions, "days_left", days, "overdue",
	              days < 0 && !is_done(it->status), "created_at", (json_int_t)it->created_at,
	              "updated_at", (json_int_t)it->updated_at);
	json_object_set_new(j, "approved_version_id",
	                    it->approved_version_id ? json_integer(it->approved_version_id)
	                                            : json_null());
	json_object_set_new(j, "template_file_id",
	                    it->template_file_id ? json_integer(it->template_file_id)
	                                         : json_null());
	return j;
}

json_t *material_version_json(const struct material_version *v, const struct material_file *f,
                              int nf)
{
	json_t *files = json_array();
	int i;

	for (i = 0; i < nf; i++) {
		if (f[i].version_id != v->id)
			continue;
		json_array_append_new(
		    files, json_pack("{s:I, s:s, s:s, s:I, s:o}", "id", (json_int_t)f[i].file_id,
		                     "name", f[i].name, "content_type", f[i].content_type, "size",
		                     (json_int_t)f[i].size, "url",
		                     json_sprintf("/api/v1/materials/versions/%lld/files/%lld",
		                                  (long long)v->id, (long long)f[i].file_id)));
	}
	return json_pack(
	    "{s:I, s:I, s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:I, s:s, s:o,"
	    " s:o}",
	    "id", (json_int_t)v->id, "item_id", (json_int_t)v->item_id, "number",
	    (json_int_t)v->number, "unit_id", (json_int_t)v->unit_id, "unit_name", v->unit_name,
	    "note", v->note, "status", v->status, "rating", v->rating, "comment", v->comment,
	    "size", (json_int_t)v->size, "created_by_name", v->created_by_name, "created_at",
	    (json_int_t)v->created_at, "reviewed_by_name", v->reviewed_by_name, "reviewed_at",
	    v->reviewed_at ? json_integer(v->reviewed_at) : json_null(), "files", files);
}

json_t *material_event_json(const struct material_event *ev)
{
	return json_pack("{s:I, s:o, s:s, s:s, s:s, s:s, s:I}", "id", (json_int_t)ev->id,
	                 "version_id", ev->version_id ? json_integer(ev->version_id) : json_null(),
	                 "action", ev->action, "note", ev->note, "user_name", ev->user_name,
	                 "unit_name", ev->unit_name, "created_at", (json_int_t)ev->created_at);
}

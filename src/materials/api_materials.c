/*
 * api_materials.c - /materials/items: the catalogue, a unit's versions
 * (multipart upload, several files), submitting, the office's review, and
 * reading a version's files within the item's scope.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "core/utf8.h"
#include "auth/auth.h"
#include "files/blob.h"
#include "files/files.h"
#include "http/json_io.h"
#include "http/multipart.h"
#include "http/req.h"
#include "http/router.h"
#include "inspect/inspect.h"
#include "materials/materials.h"
#include "materials/materials_api.h"
#include "core/utf8.h"
#include "http/reply.h"
#include "org/org.h"
#include "store/store.h"

void materials_scope(struct req *r, const char *perm, struct scope *s)
{
	principal_scope(r->who, perm, &r->arena, s);
}

int materials_framework_param(struct req *r, int64_t *framework_id)
{
	struct framework fw;
	struct error e;

	if (http_query_id(r, "framework_id", framework_id) || !req_db(r))
		return r->err.code;
	error_init(&e);
	if (!*framework_id) {
		if (framework_active(r->db, r->who->tenant_id, framework_id, &e))
			return req_fail(r, ERR_NOT_FOUND, "framework_id", "没有启用的测评体系");
		return 0;
	}
	if (framework_get(r->db, r->who->tenant_id, *framework_id, &r->arena, &fw, &e))
		return req_fail_error(r, &e);
	return 0;
}

/* The item {id} as scope perm sees it. */
static int item_param(struct req *r, const char *perm, struct scope *s, struct material_item *it)
{
	struct error e;
	int64_t id;

	if (req_param_id(r, "id", &id) || !req_db(r))
		return r->err.code;
	materials_scope(r, perm, s);
	error_init(&e);
	if (material_get(r->db, r->who->tenant_id, s, id, &r->arena, it, &e))
		return req_fail_error(r, &e);
	return 0;
}

/* ---- the catalogue ---------------------------------------------------------- */

static int valid_date(const char *s)
{
	int i;

	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return 0;
	return s[5] <= '1' && (s[5] == '0' || s[6] <= '2') && !(s[5] == '0' && s[6] == '0') &&
	       s[8] <= '3' && !(s[8] == '0' && s[9] == '0');
}

static int items_list(struct req *r)
{
	struct material_filter f;
	struct material_item *list;
	struct scope s;
	struct error e;
	char today[11];
	int64_t total;
	json_t *items;
	int i, n, overdue = 0;

	memset(&f, 0, sizeof(f));
	f.status = req_query(r, "status");
	f.type = req_query(r, "type");
	f.keyword = req_query(r, "keyword");
	if (f.status && *f.status && !material_status_title(f.status))
		return req_fail(r, ERR_INVALID, "status",
		                "状态应为 not_started、drafting、submitted、returned 或 approved");
	if (f.type && *f.type && !material_type_title(f.type))
		return req_fail(r, ERR_INVALID, "type",
		                "类型应为 report、photos、table、evaluation 或 other");
	if (f.keyword && strlen(f.keyword) > 200)
		return req_fail(r, ERR_INVALID, "keyword", "关键字过长");
	if (http_query_bool(r, "overdue", &overdue) || req_page(r, &f.offset, &f.limit) ||
	    http_query_id(r, "framework_id", &f.framework_id) ||
	    http_query_id(r, "unit_id", &f.unit_id) ||
	    http_query_id(r, "standard_id", &f.standard_id) || !req_db(r))
		return r->err.code;
	material_today(today);
	if (overdue == 1)
		f.overdue_before = today;
	materials_scope(r, "material:view", &s);
	f.scope = &s;
	error_init(&e);
	if (material_list(r->db, r->who->tenant_id, &f, &r->arena, &list, &n, &total, &e))
		return req_fail_error(r, &e);
	items = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(items, material_item_json(&list[i], today));
	return req_reply_json(r, 200,
	                      json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)total));
}

/*
 * Fill it from body (all fields on create; those present on update) and
 * check them against the tenant: the standard is a level-3 indicator of the
 * framework, the units exist.
 */
static int item_from_body(struct req *r, json_t *body, struct material_item *it, int create)
{
	static const char *const keys[] = {"framework_id",
	                                   "standard_id",
	                                   "code",
	                                   "title",
	                                   "type",
	                                   "requirement",
	                                   "lead_unit_id",
	                                   "unit_ids",
	                                   "deadline",
	                                   "sort",
	                                   "template_file_id",
	                                   NULL};
	int req_flag = create ? JF_REQUIRED : 0;
	struct indicator ind;
	struct unit u;
	struct error e;
	const char *type = NULL;
	json_t *units;
	size_t i;
	int64_t sort = it->sort;

	error_init(&e);
	if (json_only_keys(body, keys, &e) ||
	    (create && json_get_int(body, "framework_id", JF_REQUIRED, 1, INT64_MAX,
	                            &it->framework_id, &e)) ||
	    json_get_int(body, "standard_id", req_flag, 1, INT64_MAX, &it->standard_id, &e) ||
	    json_get_string(body, "code", req_flag, 1, MAT_CODE_MAX, &it->code, &e) ||
	    json_get_string(body, "title", req_flag, 1, MAT_TITLE_MAX, &it->title, &e) ||
	    json_get_string(body, "type", req_flag, 1, 20, &type, &e) ||
	    json_get_string(body, "requirement", JF_NULLABLE, 0, MAT_REQUIREMENT_MAX,
	                    &it->requirement, &e) ||
	    json_get_int(body, "lead_unit_id", req_flag, 1, INT64_MAX, &it->lead_unit_id, &e) ||
	    json_get_string(body, "deadline", req_flag, 10, 10, &it->deadline, &e) ||
	    json_get_int(body, "sort", JF_NULLABLE, 0, 1000000, &sort, &e) ||
	    json_get_int(body, "template_file_id", JF_NULLABLE, 1, INT64_MAX, &it->template_file_id,
	                 &e))
		return req_fail_error(r, &e);
	it->sort = sort;
	if (!it->requirement)
		it->requirement = "";
	if (type && !(it->type = material_type_key(type)))
		return req_fail(
		    r, ERR_INVALID, "type",
		    "类型应为 report（说明报告）、photos（图片资料）、table（数据表格）、"
		    "evaluation（部门评价）或 other（其他）");
	if (!valid_date(it->deadline))
		return req_fail(r, ERR_INVALID, "deadline", "截止日期应为 YYYY-MM-DD");
	if (indicator_get(r->db, it->framework_id, it->standard_id, &r->arena, &ind, &e) ||
	    ind.level != 3)
		return req_fail(r, ERR_INVALID, "standard_id",
		                "测评标准不存在（须为该体系的第三级指标）");
	if (unit_get(r->db, r->who->tenant_id, NULL, it->lead_unit_id, &r->arena, &u, &e))
		return req_fail(r, ERR_INVALID, "lead_unit_id", "牵头单位不存在");
	if (it->template_file_id) {
		struct file_info fi;

		if (file_get(r->db, r->who->tenant_id, it->template_file_id, &r->arena, &fi, &e))
			return req_fail(r, ERR_INVALID, "template_file_id", "模板文件不存在");
	}
	units = json_object_get(body, "unit_ids");
	if (units && !json_is_null(units)) {
		if (!json_is_array(units) || json_array_size(units) > MAT_MAX_UNITS)
			return req_fail(r, ERR_INVALID, "unit_ids",
			                "责任单位应为不超过 %d 个单位编号的数组", MAT_MAX_UNITS);
		it->nunits = 0;
		for (i = 0; i < json_array_size(units); i++) {
			json_t *v = json_array_get(units, i);
			int64_t id = json_is_integer(v) ? json_integer_value(v) : 0;
			int k, dup = 0;

			if (id <= 0 ||
			    unit_get(r->db, r->who->tenant_id, NULL, id, &r->arena, &u, &e))
				return req_fail(r, ERR_INVALID, "unit_ids", "责任单位不存在");
			for (k = 0; k < it->nunits; k++)
				dup |= it->unit_ids[k] == id;
			if (!dup)
				it->unit_ids[it->nunits++] = id;
		}
	}
	return 0;
}

static int item_reply(struct req *r, int64_t id, int status);

static int items_create(struct req *r)
{
	struct material_item it;
	struct error e;
	json_t *body;
	int rc;

	if (req_body_json(r, &body) || !req_db(r))
		return r->err.code;
	memset(&it, 0, sizeof(it));
	if (item_from_body(r, body, &it, 1))
		return r->err.code;
	error_init(&e);
	rc = store_begin(r->db, 1, &e);
	if (!rc)
		rc = material_insert(r->db, r->who->tenant_id, r->who->user_id, &it, &e);
	if (!rc)
		rc = material_event_add(r->db, r->who->tenant_id, it.id, 0, "create",
		                        r->who->user_id, r->who->unit_id, "", &e);
	if (!rc)
		rc = req_audit(r, r->db, "material.create", "material_item", it.id,
		               json_pack("{s:s, s:s, s:s}", "code", it.code, "title", it.title,
		                         "type", it.type));
	if ((rc = req_tx_end(r, r->db, rc, &e)))
		return rc;
	return item_reply(r, it.id, 201);
}

static int items_update(struct req *r)
{
	struct material_item it;
	struct scope s;
	struct error e;
	json_t *body;
	int rc;

	if (item_param(r, "material:edit", &s, &it) || req_body_json(r, &body))
		return r->err.code;
	if (json_object_get(body, "framework_id"))
		return req_fail(r, ERR_INVALID, "framework_id", "不能修改所属测评体系");
	if (item_from_body(r, body, &it, 0))
		return r->err.code;
	error_init(&e);
	rc = store_begin(r->db, 1, &e);
	if (!rc)
		rc = material_update(r->db, r->who->tenant_id, &it, &e);
	if (!rc)
		rc = material_event_add(r->db, r->who->tenant_id, it.id, 0, "update",
		                        r->who->user_id, r->who->unit_id, "", &e);
	if (!rc)
		rc = req_audit(r, r->db, "material.update", "material_item", it.id,
		               json_pack("{s:s, s:s}", "code", it.code, "title", it.title));
	if ((rc = req_tx_end(r, r->db, rc, &e)))
		return rc;
	return item_reply(r, it.id, 200);
}

static int items_delete(struct req *r)
{
	struct material_item it;
	struct scope s;
	struct error e;
	int rc;

	if (item_param(r, "material:edit", &s, &it))
		return r->err.code;
	if (it.versions > 0)
		return req_fail(r, ERR_CONFLICT, NULL, "已有上传版本的材料不能删除");
	error_init(&e);
	rc = store_begin(r->db, 1, &e);
	if (!rc)
		rc = material_delete(r->db, r->who->tenant_id, it.id, &e);
	if (!rc)
		rc = req_audit(r, r->db, "material.delete", "material_item", it.id,
		               json_pack("{s:s, s:s}", "code", it.code, "title", it.title));
	if ((rc = req_tx_end(r, r->db, rc, &e)))
		return rc;
	return req_reply_empty(r);
}

/* The item with its versions (newest first) and timeline. */
static int item_reply(struct req *r, int64_t id, int status)
{
	struct material_item it;
	struct material_version *v;
	struct material_file *f;
	struct material_event *ev;
	struct error e;
	char today[11];
	json_t *j, *vs, *tl;
	int nv, nf, nev, i;

	error_init(&e);
	material_today(today);
	if (material_get(r->db, r->who->tenant_id, NULL, id, &r->arena, &it, &e) ||
	    material_versions(r->db, id, &r->arena, &v, &nv, &f, &nf, &e) ||
	    material_events(r->db, id, &r->arena, &ev, &nev, &e))
		return req_fail_error(r, &e);
	j = material_item_json(&it, today);
	vs = json_array();
	for (i = 0; i < nv; i++)
		json_array_append_new(vs, material_version_json(&v[i], f, nf));
	tl = json_array();
	for (i = 0; i < nev; i++)
		json_array_append_new(tl, material_event_json(&ev[i]));
	json_object_set_new(j, "standard_title", json_string(it.standard_title));
	json_object_set_new(j, "version_list", vs);
	json_object_set_new(j, "timeline", tl);
	return req_reply_json(r, status, j);
}

static int items_get(struct req *r)
{
	struct material_item it;
	struct scope s;

	if (item_param(r, "material:view", &s, &it))
		return r->err.code;
	return item_reply(r, it.id, 200);
}

/* ---- versions ------------------------------------------------------------- */

/* The client's name as display text: valid UTF-8, no control characters, at most max bytes. */
static const char *display_name(struct req *r, const char *in)
{
	char *out = arena_strdup(&r->arena, in ? in : "");
	size_t i, j = 0, n;

	if (!utf8_valid(out, strlen(out)))
		return "";
	for (i = 0; out[i]; i++)
		if ((unsigned char)out[i] >= 0x20 && out[i] != 0x7f)
			out[j++] = out[i];
	out[j] = '\0';
	n = strlen(out);
	if (n > 300) { /* cut on a character boundary */
		n = 300;
		while (n > 0 && ((unsigned char)out[n] & 0xc0) == 0x80)
			n--;
		out[n] = '\0';
	}
	return out;
}

/* Store the bytes of one file like POST /files does: shared by hash, durable before commit. */
static int store_file(struct req *r, struct file_info *f, const void *data, size_t len, int in_tx,
                      struct error *e)
{
	const struct blob_methods *bm = blob_for_kind(store_kind(r->app->store));
	struct blob_ctx bx = {r->app->cfg.data_dir, r->db};
	const char *storage = NULL, *key = NULL;
	unsigned char h[crypto_hash_sha256_BYTES];
	int found = 0;

	if (!in_tx) {
		crypto_hash_sha256(h, data, len);
		sodium_bin2hex(f->sha256, sizeof(f->sha256), h, sizeof(h));
		if (file_find_storage(r->db, f->tenant_id, f->sha256, &r->arena, &found, &storage,
		                      &key, e))
			return e->code;
		if (found && blob_by_name(storage) == bm) {
			f->storage = storage;
			f->storage_key = key;
		} else {
			f->storage = bm->name;
			f->storage_key = NULL;
		}
		/* on disk: durable before the row commits */
		if (!f->storage_key && bm == &blob_fs)
			return bm->put(&bx, f->sha256, data, len, &r->arena, &f->storage_key, e);
		return 0;
	}
	/* in the database: in the same transaction */
	if (!f->storage_key && bm->put(&bx, f->sha256, data, len, &r->arena, &f->storage_key, e))
		return e->code;
	return file_insert(r->db, f, e);
}

static int in_item_units(const struct principal *p, const struct material_item *it)
{
	int i;

	if (p->unit_id == it->lead_unit_id)
		return 1;
	for (i = 0; i < it->nunits; i++)
		if (p->unit_id == it->unit_ids[i])
			return 1;
	return 0;
}

static int versions_upload(struct req *r)
{
	struct multipart_part *parts;
	struct material_item it;
	struct material_version v;
	struct file_info *files;
	struct scope s;
	struct error e;
	const char *note = "";
	int64_t *ids, used = 0, total = 0;
	int n, i, nfiles = 0, rc;

	if (item_param(r, "material:upload", &s, &it))
		return r->err.code;
	if (!strcmp(it.status, "submitted") || !strcmp(it.status, "approved"))
		return req_fail(r, ERR_CONFLICT, NULL, "材料%s，不能再上传新版本",
		                material_status_title(it.status));
	error_init(&e);
	if (req_multipart_parts(r, MAT_FILE_MAX, &parts, &n, &e))
		return req_fail_error(r, &e);
	files = arena_alloc(&r->arena, sizeof(*files) * (size_t)(n + 1));
	ids = arena_alloc(&r->arena, sizeof(*ids) * (size_t)(n + 1));
	for (i = 0; i < n; i++) {
		const char *ext;
		struct file_info *f;

		if (!strcmp(parts[i].name, "note") && !parts[i].filename) {
			if (!utf8_valid(parts[i].data, parts[i].len) ||
			    strlen(parts[i].data) != parts[i].len)
				return req_fail(r, ERR_INVALID, "note", "说明应为文字");
			if (parts[i].len > MAT_NOTE_MAX * 3)
				return req_fail(r, ERR_INVALID, "note", "说明不能超过 %d 个字",
				                MAT_NOTE_MAX);
			note = parts[i].data;
			continue;
		}
		if (strcmp(parts[i].name, "file"))
			continue;
		if (parts[i].len == 0)
			return req_fail(r, ERR_INVALID, "file", "上传的文件是空的");
		if (nfiles == MAT_MAX_FILES)
			return req_fail(r, ERR_INVALID, "file", "一个版本最多 %d 个文件",
			                MAT_MAX_FILES);
		f = &files[nfiles++];
		memset(f, 0, sizeof(*f));
		if (material_sniff(parts[i].data, parts[i].len, &f->content_type, &ext, &e))
			return req_fail_error(r, &e);
		f->tenant_id = r->who->tenant_id;
		f->user_id = r->who->user_id;
		f->size = (int64_t)parts[i].len;
		f->original_name = display_name(r, parts[i].filename);
		if (!*f->original_name)
			f->original_name = arena_printf(&r->arena, "材料%d.%s", nfiles, ext);
		total += f->size;
		parts[i].name = NULL; /* mark: a file part, in order */
	}
	if (!nfiles)
		return req_fail(r, ERR_INVALID, "file", "请选择要上传的文件（字段 file）");
	if (total > MAT_VERSION_MAX)
		return req_fail(r, ERR_TOO_LARGE, "file", "一个版本的文件合计不能超过 %ld MB",
		                MAT_VERSION_MAX >> 20);
	if (material_bytes(r->db, it.id, &used, &e))
		return req_fail_error(r, &e);
	if (used + total > MAT_ITEM_MAX)
		return req_fail(r, ERR_TOO_LARGE, "file", "该材料各版本合计不能超过 %ld MB",
		                MAT_ITEM_MAX >> 20);
	for (i = 0, nfiles = 0; i < n; i++)
		if (!parts[i].name &&
		    store_file(r, &files[nfiles++], parts[i].data, parts[i].len, 0, &e))
			return req_fail_error(r, &e);
	rc = store_begin(r->db, 1, &e);
	for (i = 0, nfiles = 0; !rc && i < n; i++)
		if (!parts[i].name) {
			rc = store_file(r, &files[nfiles], parts[i].data, parts[i].len, 1, &e);
			ids[nfiles] = files[nfiles].id;
			nfiles++;
		}
	memset(&v, 0, sizeof(v));
	v.item_id = it.id;
	v.unit_id = r->who->unit_id;
	v.note = note;
	v.size = total;
	if (!rc)
		rc = material_version_insert(r->db, r->who->tenant_id, r->who->user_id, &v, ids,
		                             nfiles, &e);
	if (!rc)
		rc = material_set_status(r->db, it.id, "drafting", NULL, 0, &e);
	if (!rc)
		rc = material_event_add(r->db, r->who->tenant_id, it.id, v.id, "upload",
		                        r->who->user_id, r->who->unit_id,
		                        arena_printf(&r->arena, "第 %lld 版，%d 个文件%s%s",
		                                     (long long)v.number, nfiles, *note ? "：" : "",
		                                     note),
		                        &e);
	if (!rc)
		rc = req_audit(r, r->db, "material.upload", "material_item", it.id,
		               json_pack("{s:I, s:I, s:i, s:I}", "version_id", (json_int_t)v.id,
		                         "number", (json_int_t)v.number, "files", nfiles, "size",
		                         (json_int_t)total));
	if ((rc = req_tx_end(r, r->db, rc, &e)))
		return rc;
	return req_reply_json(r, 201,
	                      json_pack("{s:I, s:I, s:I, s:i, s:I}", "id", (json_int_t)v.id,
	                                "item_id", (json_int_t)it.id, "number",
	                                (json_int_t)v.number, "files", nfiles, "size",
	                                (json_int_t)total));
}

static int items_submit(struct req *r)
{
	struct material_item it;
	struct material_version v;
	struct scope s;
	struct error e;
	int rc;

	if (item_param(r, "material:upload", &s, &it))
		return r->err.code;
	if (strcmp(it.status, "drafting"))
		return req_fail(r, ERR_CONFLICT, NULL, "只有编写中的材料可以提交（当前：%s）",
		                material_status_title(it.status));
	/* the lead unit gathers the responsible units' parts and submits; the office may too */
	if (!s.all && r->who->unit_id != it.lead_unit_id && in_item_units(r->who, &it))
		return req_fail(r, ERR_FORBIDDEN, NULL, "只有牵头单位可以提交材料");
	error_init(&e);
	if (material_version_latest(r->db, it.id, &r->arena, &v, &e))
		return req_fail_error(r, &e);
	rc = store_begin(r->db, 1, &e);
	if (!rc)
		rc = material_version_set(r->db, v.id, "submitted", "", "", 0, &e);
	if (!rc)
		rc = material_set_status(r->db, it.id, "submitted", NULL, 0, &e);
	if (!rc)
		rc = material_event_add(
		    r->db, r->who->tenant_id, it.id, v.id, "submit", r->who->user_id,
		    r->who->unit_id, arena_printf(&r->arena, "提交第 %lld 版", (long long)v.number),
		    &e);
	if (!rc)
		rc = req_audit(r, r->db, "material.submit", "material_item", it.id,
		               json_pack("{s:I, s:I}", "version_id", (json_int_t)v.id, "number",
		                         (json_int_t)v.number));
	if ((rc = req_tx_end(r, r->db, rc, &e)))
		return rc;
	return item_reply(r, it.id, 200);
}

static int items_review(struct req *r)
{
	static const char *const keys[] = {"version_id", "decision", "rating", "comment", NULL};
	struct material_item it;
	struct material_version v;
	struct scope s;
	struct error e;
	const char *decision = NULL, *rating = NULL, *comment = "";
	int64_t version_id = 0;
	json_t *body;
	int approve, rc;

	if (item_param(r, "material:review", &s, &it) || req_body_json(r, &body))
		return r->err.code;
	error_init(&e);
	if (json_only_keys(body, keys, &e) ||
	    json_get_int(body, "version_id", JF_REQUIRED, 1, INT64_MAX, &version_id, &e) ||
	    json_get_string(body, "decision", JF_REQUIRED, 1, 10, &decision, &e) ||
	    json_get_string(body, "rating", JF_NULLABLE, 1, 10, &rating, &e) ||
	    json_get_string(body, "comment", JF_NULLABLE, 0, MAT_NOTE_MAX, &comment, &e))
		return req_fail_error(r, &e);
	if (!comment)
		comment = "";
	if (strcmp(decision, "approve") && strcmp(decision, "return"))
		return req_fail(r, ERR_INVALID, "decision",
		                "审核结论应为 approve（通过）或 return（退回）");
	approve = !strcmp(decision, "approve");
	if (approve && (!rating || !material_rating_title(rating)))
		return req_fail(
		    r, ERR_INVALID, "rating",
		    "通过时须评定 full（完全符合）、partial（基本符合）或 none（不符合）");
	if (!approve && !*comment)
		return req_fail(r, ERR_INVALID, "comment", "退回时请填写意见");
	if (!approve)
		rating = "";
	if (strcmp(it.status, "submitted"))
		return req_fail(r, ERR_CONFLICT, NULL, "只有已提交的材料可以审核（当前：%s）",
		                material_status_title(it.status));
	if (material_version_latest(r->db, it.id, &r->arena, &v, &e))
		return req_fail_error(r, &e);
	if (v.id != version_id)
		return req_fail(r, ERR_CONFLICT, "version_id",
		                "只能审核最新提交的版本（第 %lld 版）", (long long)v.number);
	rc = store_begin(r->db, 1, &e);
	if (!rc)
		rc = material_version_set(r->db, v.id, approve ? "approved" : "returned", rating,
		                          comment, r->who->user_id, &e);
	if (!rc)
		rc = material_set_status(r->db, it.id, approve ? "approved" : "returned", rating,
		                         approve ? v.id : 0, &e);
	if (!rc)
		rc = material_event_add(
		    r->db, r->who->tenant_id, it.id, v.id, approve ? "approve" : "return",
		    r->who->user_id, r->who->unit_id,
		    approve
		        ? arena_printf(&r->arena, "第 %lld 版通过，评定%s%s%s", (long long)v.number,
		                       material_rating_title(rating), *comment ? "：" : "", comment)
		        : arena_printf(&r->arena, "第 %lld 版退回：%s", (long long)v.number,
		                       comment),
		    &e);
	if (!rc)
		rc = req_audit(r, r->db, approve ? "material.approve" : "material.return",
		               "material_item", it.id,
		               json_pack("{s:I, s:I, s:s, s:s}", "version_id", (json_int_t)v.id,
		                         "number", (json_int_t)v.number, "rating", rating,
		                         "comment", comment));
	if ((rc = req_tx_end(r, r->db, rc, &e)))
		return rc;
	return item_reply(r, it.id, 200);
}

/*
 * GET /materials/versions/{id}/files/{fid}: one file of a version, only
 * within the item's scope (404 otherwise), with a fixed type decided at
 * upload.  ?download=1 answers it as an attachment, else inline (preview).
 */
static int version_file(struct req *r)
{
	struct material_item it;
	struct file_info f;
	struct scope s;
	struct error e;
	const struct blob_methods *bm;
	struct blob_ctx bx;
	const char *dl = req_query(r, "download");
	int64_t vid, fid, item_id;
	void *data;
	size_t len;

	if (req_param_id(r, "id", &vid) || req_param_id(r, "fid", &fid) || !req_db(r))
		return r->err.code;
	materials_scope(r, "material:view", &s);
	error_init(&e);
	if (material_version_item(r->db, r->who->tenant_id, vid, fid, &item_id, &e) ||
	    material_get(r->db, r->who->tenant_id, &s, item_id, &r->arena, &it, &e) ||
	    file_get(r->db, r->who->tenant_id, fid, &r->arena, &f, &e))
		return req_fail_error(r, &e);
	bm = blob_by_name(f.storage);
	if (!bm)
		return req_fail(r, ERR_INTERNAL, NULL, NULL);
	bx.data_dir = r->app->cfg.data_dir;
	bx.c = r->db;
	if (bm->get(&bx, f.storage_key, &r->arena, &data, &len, &e))
		return req_fail_error(r, &e);
	req_add_header(r, "Cache-Control", "private, max-age=3600");
	if (dl && !strcmp(dl, "1"))
		return req_reply_attachment(
		    r, f.content_type, data, len,
		    arena_printf(&r->arena, "material-%lld", (long long)fid), f.original_name);
	req_add_header(r, "Content-Disposition", "inline");
	return req_reply_bytes(r, 200, f.content_type, data, len, 1);
}

/* POST /materials/items/{id}/template (multipart `file`): the template units fill in. */
static int template_upload(struct req *r)
{
	struct material_item it;
	struct file_info f;
	struct scope s;
	struct error e;
	const void *data;
	const char *name, *ext;
	size_t len;
	int rc;

	if (item_param(r, "material:edit", &s, &it))
		return r->err.code;
	error_init(&e);
	if (req_multipart_file(r, "file", &data, &len, &name, &e))
		return req_fail_error(r, &e);
	if ((long)len > MAT_FILE_MAX)
		return req_fail(r, ERR_TOO_LARGE, "file", "单个文件不能超过 %ld MB",
		                MAT_FILE_MAX >> 20);
	memset(&f, 0, sizeof(f));
	if (material_sniff(data, len, &f.content_type, &ext, &e))
		return req_fail_error(r, &e);
	f.tenant_id = r->who->tenant_id;
	f.user_id = r->who->user_id;
	f.size = (int64_t)len;
	f.original_name = display_name(r, name);
	if (!*f.original_name)
		f.original_name = arena_printf(&r->arena, "模板.%s", ext);
	if (store_file(r, &f, data, len, 0, &e))
		return req_fail_error(r, &e);
	rc = store_begin(r->db, 1, &e);
	if (!rc)
		rc = store_file(r, &f, data, len, 1, &e);
	if (!rc) {
		it.template_file_id = f.id;
		rc = material_update(r->db, r->who->tenant_id, &it, &e);
	}
	if (!rc)
		rc = material_event_add(
		    r->db, r->who->tenant_id, it.id, 0, "update", r->who->user_id, r->who->unit_id,
		    arena_printf(&r->arena, "上传模板：%s", f.original_name), &e);
	if (!rc)
		rc = req_audit(
		    r, r->db, "material.template", "material_item", it.id,
		    json_pack("{s:I, s:s}", "file_id", (json_int_t)f.id, "name", f.original_name));
	if ((rc = req_tx_end(r, r->db, rc, &e)))
		return rc;
	return item_reply(r, it.id, 200);
}

/* GET /materials/items/{id}/template: the item's template, within its scope. */
static int template_download(struct req *r)
{
	struct material_item it;
	struct file_info f;
	struct scope s;
	struct error e;
	const struct blob_methods *bm;
	struct blob_ctx bx;
	void *data;
	size_t len;

	if (item_param(r, "material:view", &s, &it))
		return r->err.code;
	if (!it.template_file_id)
		return req_fail(r, ERR_NOT_FOUND, NULL, "该材料没有模板");
	error_init(&e);
	if (file_get(r->db, r->who->tenant_id, it.template_file_id, &r->arena, &f, &e))
		return req_fail_error(r, &e);
	if (!(bm = blob_by_name(f.storage)))
		return req_fail(r, ERR_INTERNAL, NULL, NULL);
	bx.data_dir = r->app->cfg.data_dir;
	bx.c = r->db;
	if (bm->get(&bx, f.storage_key, &r->arena, &data, &len, &e))
		return req_fail_error(r, &e);
	return req_reply_attachment(r, f.content_type, data, len,
	                            arena_printf(&r->arena, "template-%lld", (long long)it.id),
	                            f.original_name);
}

/* POST /materials/copy {from_framework_id, to_framework_id} */
static int materials_copy(struct req *r)
{
	static const char *const keys[] = {"from_framework_id", "to_framework_id", NULL};
	struct framework fw;
	struct error e;
	int64_t from = 0, to = 0;
	int copied = 0, skipped = 0, rc;
	json_t *body;

	if (req_body_json(r, &body) || !req_db(r))
		return r->err.code;
	error_init(&e);
	if (json_only_keys(body, keys, &e) ||
	    json_get_int(body, "from_framework_id", JF_REQUIRED, 1, INT64_MAX, &from, &e) ||
	    json_get_int(body, "to_framework_id", JF_REQUIRED, 1, INT64_MAX, &to, &e))
		return req_fail_error(r, &e);
	if (from == to)
		return req_fail(r, ERR_INVALID, "to_framework_id", "请选择另一个测评体系版本");
	if (framework_get(r->db, r->who->tenant_id, from, &r->arena, &fw, &e) ||
	    framework_get(r->db, r->who->tenant_id, to, &r->arena, &fw, &e))
		return req_fail_error(r, &e);
	rc = store_begin(r->db, 1, &e);
	if (!rc)
		rc = material_copy(r->db, r->who->tenant_id, r->who->user_id, from, to, &copied,
		                   &skipped, &e);
	if (!rc)
		rc = req_audit(r, r->db, "material.copy", "framework", to,
		               json_pack("{s:I, s:i, s:i}", "from", (json_int_t)from, "copied",
		                         copied, "skipped", skipped));
	if ((rc = req_tx_end(r, r->db, rc, &e)))
		return rc;
	return req_reply_json(r, 200,
	                      json_pack("{s:i, s:i}", "copied", copied, "skipped", skipped));
}

/* Multipart framing around the files: boundaries, headers, the note. */
#define UPLOAD_OVERHEAD (256L << 10)

/* Version files and templates: readable within material:view's scope (the office, reviewers, the
 * item's units). */
static int material_file_kind_readable(struct store_conn *c, const struct principal *who,
                                       int64_t file_id, struct arena *a, int *ok, struct error *e)
{
	struct scope s;

	*ok = 0;
	if (!principal_has(who, "material:view"))
		return 0;
	principal_scope(who, "material:view", a, &s);
	return material_file_readable(c, who->tenant_id, &s, file_id, ok, e);
}

static const struct file_owner_kind material_file_kind = {"material", material_file_kind_readable};

void materials_routes(struct router *rt)
{
	files_register_owner(&material_file_kind);
	router_add(rt, "GET", "/api/v1/materials/items", items_list, "material:view", 0);
	router_add(rt, "POST", "/api/v1/materials/items", items_create, "material:edit", 0);
	router_add(rt, "GET", "/api/v1/materials/items/{id}", items_get, "material:view", 0);
	router_add(rt, "PUT", "/api/v1/materials/items/{id}", items_update, "material:edit", 0);
	router_add(rt, "DELETE", "/api/v1/materials/items/{id}", items_delete, "material:edit", 0);
	router_add_stream(rt, "POST", "/api/v1/materials/items/{id}/versions", versions_upload,
	                  "material:upload", MAT_VERSION_MAX + UPLOAD_OVERHEAD);
	router_add(rt, "POST", "/api/v1/materials/items/{id}/submit", items_submit,
	           "material:upload", 0);
	router_add(rt, "POST", "/api/v1/materials/items/{id}/review", items_review,
	           "material:review", 0);
	router_add(rt, "GET", "/api/v1/materials/versions/{id}/files/{fid}", version_file,
	           "material:view", 0);
	router_add_stream(rt, "POST", "/api/v1/materials/items/{id}/template", template_upload,
	                  "material:edit", MAT_FILE_MAX + UPLOAD_OVERHEAD);
	router_add(rt, "GET", "/api/v1/materials/items/{id}/template", template_download,
	           "material:view", 0);
	router_add(rt, "POST", "/api/v1/materials/copy", materials_copy, "material:edit", 0);
	materials_report_routes(rt);
	materials_import_routes(rt);
}

/*
 * announcement_db.c - notices (通知公告), their addressed units with each
 * unit's reading and 回执, users' readings and attachments in the store.
 */
#include <string.h>

#include "announcement/announcement.h"
#include "auth/auth.h"
#include "core/clock.h"
#include "core/utf8.h"
#include "store/store.h"

#define ANN_COLS                                                                                   \
	"a.id, a.tenant_id, a.title, a.body, a.source_kind, a.source_id, a.audience, a.kinds,"     \
	" a.status, a.reply_due, COALESCE(a.author_id, 0), COALESCE(us.name, ''), a.created_at,"   \
	" a.updated_at, a.published_at,"                                                           \
	" (SELECT COUNT(*) FROM announcement_units x WHERE x.announcement_id = a.id),"             \
	" (SELECT COUNT(*) FROM announcement_units x WHERE x.announcement_id = a.id"               \
	" AND x.read_at > 0),"                                                                     \
	" (SELECT COUNT(*) FROM announcement_units x WHERE x.announcement_id = a.id"               \
	" AND x.replied_at > 0),"                                                                  \
	" COALESCE(me.unit_id, 0), COALESCE(me.read_at, 0), COALESCE(me.replied_at, 0)"
#define ANN_FROM                                                                                   \
	" FROM announcements a LEFT JOIN users us ON us.id = a.author_id"                          \
	" LEFT JOIN announcement_units me ON me.announcement_id = a.id AND me.unit_id = ?"
/*
 * The office (全部) sees every notice; anyone else the published ones
 * addressed to a unit in scope (id or subtree), and what they wrote.
 */
#define ANN_SCOPE                                                                                  \
	"(? = 1 OR (a.status = 'published' AND EXISTS (SELECT 1 FROM announcement_units au"        \
	" JOIN units un ON un.id = au.unit_id WHERE au.announcement_id = a.id"                     \
	" AND (au.unit_id IN_IDS(?) OR un.ancestors LIKE ?))) OR a.author_id = ?)"

STORE_SQL(q_ann_insert,
          "INSERT INTO announcements (tenant_id, title, body, source_kind, source_id, audience,"
          " kinds, status, reply_due, author_id, created_at, updated_at, published_at)"
          " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
STORE_SQL(q_ann_update, "UPDATE announcements SET title = ?, body = ?, audience = ?, kinds = ?,"
                        " reply_due = ?, updated_at = ? WHERE tenant_id = ? AND id = ?"
                        " AND status = 'draft'");
STORE_SQL(q_ann_status, "SELECT status FROM announcements WHERE tenant_id = ? AND id = ?");
STORE_SQL(q_ann_delete,
          "DELETE FROM announcements WHERE tenant_id = ? AND id = ? AND status = 'draft'");
STORE_SQL(q_ann_publish, "UPDATE announcements SET status = 'published', published_at = ?,"
                         " updated_at = ? WHERE tenant_id = ? AND id = ? AND status = 'draft'");
STORE_SQL(q_ann_unit, "INSERT INTO announcement_units (announcement_id, unit_id) VALUES (?, ?)");
STORE_SQL(q_ann_units_clear, "DELETE FROM announcement_units WHERE announcement_id = ?");
STORE_SQL(q_ann_file, "INSERT INTO announcement_files (announcement_id, unit_id, file_id, sort)"
                      " VALUES (?, ?, ?, ?)");
STORE_SQL(q_ann_files_clear,
          "DELETE FROM announcement_files WHERE announcement_id = ? AND unit_id IS NULL");
STORE_SQL(q_ann_reply_files_clear,
          "DELETE FROM announcement_files WHERE announcement_id = ? AND unit_id = ?");
STORE_SQL(q_ann_get,
          "SELECT " ANN_COLS ANN_FROM " WHERE a.tenant_id = ? AND a.id = ? AND " ANN_SCOPE);
STORE_SQL(q_ann_list, "SELECT " ANN_COLS ANN_FROM " WHERE a.tenant_id = ? AND " ANN_SCOPE
                      " AND (? = '' OR a.status = ?)"
                      " AND (? = '' OR a.title LIKE ? ESCAPE '\\')"
                      " AND (? = 0 OR (me.unit_id IS NOT NULL AND a.status = 'published'"
                      " AND (me.read_at = 0 OR (a.reply_due > 0 AND me.replied_at = 0))))"
                      " ORDER BY CASE WHEN a.status = 'draft' THEN 0 ELSE 1 END,"
                      " a.published_at DESC, a.id DESC LIMIT ? OFFSET ?");
STORE_SQL(q_ann_count, "SELECT COUNT(*)" ANN_FROM " WHERE a.tenant_id = ? AND " ANN_SCOPE
                       " AND (? = '' OR a.status = ?)"
                       " AND (? = '' OR a.title LIKE ? ESCAPE '\\')"
                       " AND (? = 0 OR (me.unit_id IS NOT NULL AND a.status = 'published'"
                       " AND (me.read_at = 0 OR (a.reply_due > 0 AND me.replied_at = 0))))");
STORE_SQL(q_ann_files, "SELECT file_id FROM announcement_files WHERE announcement_id = ?"
                       " AND unit_id IS NULL ORDER BY sort, file_id");
STORE_SQL(q_ann_unit_ids, "SELECT au.unit_id FROM announcement_units au JOIN units u"
                          " ON u.id = au.unit_id WHERE au.announcement_id = ?"
                          " ORDER BY u.sort, u.id");
STORE_SQL(q_ann_read_user,
          "INSERT INTO announcement_reads (announcement_id, user_id, unit_id, read_at)"
          " VALUES (?, ?, ?, ?) ON CONFLICT (announcement_id, user_id) DO NOTHING");
STORE_SQL(q_ann_read_unit, "UPDATE announcement_units SET read_at = ?, read_by = ?"
                           " WHERE announcement_id = ? AND unit_id = ? AND read_at = 0");
STORE_SQL(q_ann_reply, "UPDATE announcement_units SET replied_at = ?, replied_by = ?, reply = ?"
                       " WHERE announcement_id = ? AND unit_id = ?");
STORE_SQL(q_ann_receipts,
          "SELECT au.unit_id, u.name, u.kind, au.read_at, au.replied_at, au.reminded_at,"
          " COALESCE(ru.name, ''), COALESCE(pu.name, ''), au.reply,"
          " (SELECT COUNT(*) FROM announcement_reads r WHERE r.announcement_id = au.announcement_id"
          " AND r.unit_id = au.unit_id)"
          " FROM announcement_units au JOIN units u ON u.id = au.unit_id"
          " LEFT JOIN users ru ON ru.id = au.read_by LEFT JOIN users pu ON pu.id = au.replied_by"
          " WHERE au.announcement_id = ? ORDER BY u.sort, u.id");
STORE_SQL(q_ann_reply_files, "SELECT unit_id, file_id FROM announcement_files"
                             " WHERE announcement_id = ? AND unit_id IS NOT NULL"
                             " ORDER BY unit_id, sort, file_id");
STORE_SQL(q_ann_remind,
          "UPDATE announcement_units SET reminded_at = ? WHERE announcement_id = ?"
          " AND (read_at = 0 OR (replied_at = 0 AND (SELECT reply_due FROM announcements"
          " WHERE id = ?) > 0))");
STORE_SQL(q_ann_pending,
          "SELECT COALESCE(SUM(CASE WHEN au.read_at = 0 THEN 1 ELSE 0 END), 0),"
          " COALESCE(SUM(CASE WHEN a.reply_due > 0 AND au.replied_at = 0 THEN 1 ELSE 0 END), 0)"
          " FROM announcement_units au JOIN announcements a ON a.id = au.announcement_id"
          " WHERE a.tenant_id = ? AND a.status = 'published' AND au.unit_id = ?");
/* A file of a notice or 回执 (announcement.h), or one a unit filed in its archive. */
STORE_SQL(q_ann_file_readable,
          "SELECT (SELECT COUNT(*) FROM announcement_files f JOIN announcements a"
          " ON a.id = f.announcement_id WHERE f.file_id = ? AND a.tenant_id = ? AND (? = 1"
          " OR (a.status = 'published' AND EXISTS (SELECT 1 FROM announcement_units au"
          " JOIN units un ON un.id = au.unit_id WHERE au.announcement_id = a.id"
          " AND (f.unit_id IS NULL OR au.unit_id = f.unit_id)"
          " AND (au.unit_id IN_IDS(?) OR un.ancestors LIKE ?))) OR a.author_id = ?))"
          " + (SELECT COUNT(*) FROM archive_documents d JOIN units u ON u.id = d.unit_id"
          " WHERE d.file_id = ? AND d.tenant_id = ?"
          " AND (? = 1 OR d.unit_id IN_IDS(?) OR u.ancestors LIKE ? OR d.user_id = ?))");
STORE_SQL(q_unit_in_tenant, "SELECT COUNT(*) FROM units WHERE tenant_id = ? AND id = ?");
STORE_SQL(q_file_in_tenant, "SELECT COUNT(*) FROM files WHERE tenant_id = ? AND id = ?");

static const struct scope everything = SCOPE_EVERYTHING;

int announcement_units_ok(struct store_conn *c, int64_t tenant_id, const int64_t *ids, int n,
                          const char *field, struct error *e)
{
	int i, rc;

	for (i = 0; i < n; i++) {
		struct store_val args[] = {sv_int(tenant_id), sv_int(ids[i])};
		int64_t k = 0;

		if ((rc = store_query_int(c, &q_unit_in_tenant, args, 2, &k, e)) != 0)
			return rc;
		if (!k)
			return error_set(e, ERR_INVALID, field, "单位 %lld 不存在",
			                 (long long)ids[i]);
	}
	return 0;
}

int announcement_files_ok(struct store_conn *c, int64_t tenant_id, const int64_t *ids, int n,
                          const char *field, struct error *e)
{
	int i, rc;

	for (i = 0; i < n; i++) {
		struct store_val args[] = {sv_int(tenant_id), sv_int(ids[i])};
		int64_t k = 0;

		if ((rc = store_query_int(c, &q_file_in_tenant, args, 2, &k, e)) != 0)
			return rc;
		if (!k)
			return error_set(e, ERR_INVALID, field, "附件 %lld 不存在",
			                 (long long)ids[i]);
	}
	return 0;
}

/* The fields of a every writer checks. */
static int check_new(struct store_conn *c, int64_t tenant_id, const struct announcement_new *a,
                     struct error *e)
{
	int i, k, rc;

	if (!a->title || !*a->title || utf8_chars(a->title) > ANN_TITLE_MAX)
		return error_set(e, ERR_INVALID, "title", "标题应为 1 到 %d 个字", ANN_TITLE_MAX);
	if (a->body && utf8_chars(a->body) > ANN_BODY_MAX)
		return error_set(e, ERR_INVALID, "body", "正文不能超过 %d 个字", ANN_BODY_MAX);
	if (a->nunits < 1 || a->nunits > ANN_MAX_UNITS)
		return error_set(e, ERR_INVALID, "unit_ids", "请选择 1 到 %d 个接收单位",
		                 ANN_MAX_UNITS);
	if (a->nfiles < 0 || a->nfiles > ANN_MAX_FILES)
		return error_set(e, ERR_INVALID, "file_ids", "附件最多 %d 个", ANN_MAX_FILES);
	if (a->reply_due_ms < 0)
		return error_set(e, ERR_INVALID, "reply_due", "回执截止时间无效");
	for (i = 0; i < a->nunits; i++)
		for (k = 0; k < i; k++)
			if (a->unit_ids[i] == a->unit_ids[k])
				return error_set(e, ERR_INVALID, "unit_ids", "接收单位有重复");
	if ((rc = announcement_units_ok(c, tenant_id, a->unit_ids, a->nunits, "unit_ids", e)))
		return rc;
	return announcement_files_ok(c, tenant_id, a->file_ids, a->nfiles, "file_ids", e);
}

/* Units and files of notice id (the notice's own files, unit_id NULL). */
static int write_parts(struct store_conn *c, int64_t id, const struct announcement_new *a,
                       struct error *e)
{
	int i, rc = 0;

	for (i = 0; !rc && i < a->nunits; i++) {
		struct store_val args[] = {sv_int(id), sv_int(a->unit_ids[i])};

		rc = store_exec(c, &q_ann_unit, args, 2, NULL, e);
	}
	for (i = 0; !rc && i < a->nfiles; i++) {
		struct store_val args[] = {sv_int(id), sv_null(), sv_int(a->file_ids[i]),
		                           sv_int(i)};

		rc = store_exec(c, &q_ann_file, args, 4, NULL, e);
	}
	return rc;
}

int announcement_insert(struct store_conn *c, int64_t tenant_id, const struct announcement_new *a,
                        const struct announcement_audience *aud, int publish, int64_t now,
                        int64_t *id, struct error *e)
{
	int rc = check_new(c, tenant_id, a, e);

	if (!rc) {
		struct store_val args[] = {sv_int(tenant_id),
		                           sv_text(a->title),
		                           sv_text(a->body ? a->body : ""),
		                           sv_text(a->source_kind ? a->source_kind : ""),
		                           sv_int(a->source_id),
		                           sv_text(aud && aud->kind ? aud->kind : "units"),
		                           sv_text(aud && aud->kinds ? aud->kinds : "[]"),
		                           sv_text(publish ? "published" : "draft"),
		                           sv_int(a->reply_due_ms),
		                           a->author_id ? sv_int(a->author_id) : sv_null(),
		                           sv_int(now),
		                           sv_int(now),
		                           sv_int(publish ? now : 0)};

		rc = store_query_int(c, &q_ann_insert, args, 13, id, e);
	}
	if (!rc)
		rc = write_parts(c, *id, a, e);
	return rc;
}

int announcement_create(struct store_conn *c, int64_t tenant_id, const struct announcement_new *a,
                        int64_t *id, struct error *e)
{
	static const struct announcement_audience units = {"units", "[]"};

	return announcement_insert(c, tenant_id, a, &units, 1, time_now_ms(), id, e);
}

/* ERR_NOT_FOUND when notice id is not the tenant's, ERR_CONFLICT when it is no draft. */
static int draft_only(struct store_conn *c, int64_t tenant_id, int64_t id, struct error *e)
{
	struct store_val args[] = {sv_int(tenant_id), sv_int(id)};
	struct store_rows *r;
	int rc = store_query_one(c, &q_ann_status, args, 2, &r, "通知不存在", e), draft;

	if (rc)
		return rc;
	draft = !strcmp(store_text(r, 0), "draft");
	store_finish(r);
	return draft ? 0 : error_set(e, ERR_CONFLICT, NULL, "通知已发布，不能修改或删除");
}

int announcement_update(struct store_conn *c, int64_t tenant_id, int64_t id,
                        const struct announcement_new *a, const struct announcement_audience *aud,
                        int64_t now, struct error *e)
{
	struct store_val clear[] = {sv_int(id)};
	int rc = draft_only(c, tenant_id, id, e);

	if (!rc)
		rc = check_new(c, tenant_id, a, e);
	if (!rc) {
		struct store_val args[] = {sv_text(a->title),
		                           sv_text(a->body ? a->body : ""),
		                           sv_text(aud && aud->kind ? aud->kind : "units"),
		                           sv_text(aud && aud->kinds ? aud->kinds : "[]"),
		                           sv_int(a->reply_due_ms),
		                           sv_int(now),
		                           sv_int(tenant_id),
		                           sv_int(id)};

		rc = store_exec(c, &q_ann_update, args, 8, NULL, e);
	}
	if (!rc)
		rc = store_exec(c, &q_ann_units_clear, clear, 1, NULL, e);
	if (!rc)
		rc = store_exec(c, &q_ann_files_clear, clear, 1, NULL, e);
	if (!rc)
		rc = write_parts(c, id, a, e);
	return rc;
}

int announcement_delete(struct store_conn *c, int64_t tenant_id, int64_t id, struct error *e)
{
	struct store_val args[] = {sv_int(tenant_id), sv_int(id)};
	int rc = draft_only(c, tenant_id, id, e);

	return rc ? rc : store_exec(c, &q_ann_delete, args, 2, NULL, e);
}

int announcement_publish(struct store_conn *c, int64_t tenant_id, int64_t id, int64_t now,
                         struct error *e)
{
	struct store_val args[] = {sv_int(now), sv_int(now), sv_int(tenant_id), sv_int(id)};
	int rc = draft_only(c, tenant_id, id, e);

	if (rc == ERR_CONFLICT)
		return error_set(e, ERR_CONFLICT, NULL, "通知已发布");
	return rc ? rc : store_exec(c, &q_ann_publish, args, 4, NULL, e);
}

static void read_row(struct store_rows *r, struct arena *a, struct announcement *n)
{
	memset(n, 0, sizeof(*n));
	n->id = store_int(r, 0);
	n->tenant_id = store_int(r, 1);
	n->title = arena_strdup(a, store_text(r, 2));
	n->body = arena_strdup(a, store_text(r, 3));
	n->source_kind = arena_strdup(a, store_text(r, 4));
	n->source_id = store_int(r, 5);
	n->audience = arena_strdup(a, store_text(r, 6));
	n->kinds = arena_strdup(a, store_text(r, 7));
	n->status = arena_strdup(a, store_text(r, 8));
	n->reply_due = store_int(r, 9);
	n->author_id = store_int(r, 10);
	n->author_name = arena_strdup(a, store_text(r, 11));
	n->created_at = store_int(r, 12);
	n->updated_at = store_int(r, 13);
	n->published_at = store_int(r, 14);
	n->nunits = store_int(r, 15);
	n->nread = store_int(r, 16);
	n->nreplied = store_int(r, 17);
	n->my_unit = store_int(r, 18);
	n->my_read_at = store_int(r, 19);
	n->my_replied_at = store_int(r, 20);
}

/* The notice's own files (at most ANN_MAX_FILES) into n. */
static int read_files(struct store_conn *c, struct announcement *n, struct arena *a,
                      struct error *e)
{
	struct store_val args[] = {sv_int(n->id)};
	struct store_rows *r;
	int rc;

	n->file_ids = arena_alloc(a, ANN_MAX_FILES * sizeof(*n->file_ids));
	n->nfiles = 0;
	if ((rc = store_query(c, &q_ann_files, args, 1, &r, e)) != 0)
		return rc;
	while ((rc = store_next(r)) > 0)
		if (n->nfiles < ANN_MAX_FILES)
			n->file_ids[n->nfiles++] = store_int(r, 0);
	store_finish(r);
	return rc < 0 ? error_set(e, rc, NULL, NULL) : 0;
}

int announcement_get(struct store_conn *c, int64_t tenant_id, const struct scope *s,
                     int64_t my_unit, int64_t id, struct arena *a, struct announcement *out,
                     struct error *e)
{
	struct store_val args[7], uargs[1];
	struct store_rows *r;
	int rc;

	args[0] = sv_int(my_unit);
	args[1] = sv_int(tenant_id);
	args[2] = sv_int(id);
	scope_args(s ? s : &everything, args + 3);
	if ((rc = store_query_one(c, &q_ann_get, args, 7, &r, "通知不存在", e)) != 0)
		return rc;
	read_row(r, a, out);
	store_finish(r);
	if ((rc = read_files(c, out, a, e)) != 0)
		return rc;
	uargs[0] = sv_int(id);
	out->unit_ids = arena_alloc(a, ANN_MAX_UNITS * sizeof(*out->unit_ids));
	out->nunit_ids = 0;
	if ((rc = store_query(c, &q_ann_unit_ids, uargs, 1, &r, e)) != 0)
		return rc;
	while ((rc = store_next(r)) > 0)
		if (out->nunit_ids < ANN_MAX_UNITS)
			out->unit_ids[out->nunit_ids++] = store_int(r, 0);
	store_finish(r);
	return rc < 0 ? error_set(e, rc, NULL, NULL) : 0;
}

int announcement_list(struct store_conn *c, int64_t tenant_id, const struct announcement_filter *f,
                      struct arena *a, struct announcement **out, int *n, int64_t *total,
                      struct error *e)
{
	const char *status = f->status ? f->status : "";
	const char *q = f->q && *f->q ? store_like_pattern(a, f->q, 1) : "";
	struct store_val args[14];
	struct store_rows *r;
	struct announcement *list = NULL;
	int cap = 0, rc, i;

	*out = NULL;
	*n = 0;
	args[0] = sv_int(f->my_unit);
	args[1] = sv_int(tenant_id);
	scope_args(f->scope ? f->scope : &everything, args + 2);
	args[6] = sv_text(status);
	args[7] = sv_text(status);
	args[8] = sv_text(q);
	args[9] = sv_text(q);
	args[10] = sv_int(f->pending);
	args[11] = sv_int(f->limit);
	args[12] = sv_int(f->offset);
	if ((rc = store_query_int(c, &q_ann_count, args, 11, total, e)) != 0)
		return rc;
	if ((rc = store_query(c, &q_ann_list, args, 13, &r, e)) != 0)
		return rc;
	while ((rc = store_next(r)) > 0) {
		list = arena_grow(a, list, *n, &cap, sizeof(*list));
		read_row(r, a, &list[(*n)++]);
	}
	store_finish(r);
	if (rc < 0)
		return error_set(e, rc, NULL, NULL);
	for (i = 0; i < *n; i++)
		if ((rc = read_files(c, &list[i], a, e)) != 0)
			return rc;
	*out = list;
	return 0;
}

int announcement_mark_read(struct store_conn *c, int64_t id, int64_t unit_id, int64_t user_id,
                           int64_t now, int *first, struct error *e)
{
	struct store_val ua[] = {sv_int(id), sv_int(user_id), unit_id ? sv_int(unit_id) : sv_null(),
	                         sv_int(now)};
	struct store_val na[] = {sv_int(now), sv_int(user_id), sv_int(id), sv_int(unit_id)};
	int64_t users = 0, units = 0;
	int rc = store_exec(c, &q_ann_read_user, ua, 4, &users, e);

	if (!rc && unit_id)
		rc = store_exec(c, &q_ann_read_unit, na, 4, &units, e);
	*first = users > 0 || units > 0;
	return rc;
}

int announcement_reply(struct store_conn *c, const struct announcement *n, int64_t unit_id,
                       int64_t user_id, const char *reply, const int64_t *file_ids, int nfiles,
                       int64_t now, struct error *e)
{
	struct store_val clear[] = {sv_int(n->id), sv_int(unit_id)};
	struct store_val args[] = {sv_int(now), sv_int(user_id), sv_text(reply), sv_int(n->id),
	                           sv_int(unit_id)};
	int64_t hit = 0;
	int i, first, rc;

	if (strcmp(n->status, "published"))
		return error_set(e, ERR_CONFLICT, NULL, "通知尚未发布");
	if (!n->reply_due)
		return error_set(e, ERR_CONFLICT, NULL, "该通知不要求回执");
	if (!reply || !*reply || utf8_chars(reply) > ANN_REPLY_MAX)
		return error_set(e, ERR_INVALID, "reply", "回执内容应为 1 到 %d 个字",
		                 ANN_REPLY_MAX);
	if (nfiles < 0 || nfiles > ANN_MAX_FILES)
		return error_set(e, ERR_INVALID, "file_ids", "附件最多 %d 个", ANN_MAX_FILES);
	if ((rc = announcement_files_ok(c, n->tenant_id, file_ids, nfiles, "file_ids", e)) != 0)
		return rc;
	if ((rc = store_exec(c, &q_ann_reply, args, 5, &hit, e)) != 0)
		return rc;
	if (!hit)
		return error_set(e, ERR_NOT_FOUND, NULL, "本单位不在该通知的接收单位中");
	if ((rc = store_exec(c, &q_ann_reply_files_clear, clear, 2, NULL, e)) != 0)
		return rc;
	for (i = 0; !rc && i < nfiles; i++) {
		struct store_val fa[] = {sv_int(n->id), sv_int(unit_id), sv_int(file_ids[i]),
		                         sv_int(i)};

		rc = store_exec(c, &q_ann_file, fa, 4, NULL, e);
	}
	return rc ? rc : announcement_mark_read(c, n->id, unit_id, user_id, now, &first, e);
}

int announcement_receipts(struct store_conn *c, int64_t id, struct arena *a,
                          struct announcement_receipt **out, int *n, struct error *e)
{
	struct store_val args[] = {sv_int(id)};
	struct announcement_receipt *list = NULL;
	struct store_rows *r;
	int cap = 0, rc, i;

	*n = 0;
	if ((rc = store_query(c, &q_ann_receipts, args, 1, &r, e)) != 0)
		return rc;
	while ((rc = store_next(r)) > 0) {
		struct announcement_receipt *x;

		list = arena_grow(a, list, *n, &cap, sizeof(*list));
		x = &list[(*n)++];
		memset(x, 0, sizeof(*x));
		x->unit_id = store_int(r, 0);
		x->unit_name = arena_strdup(a, store_text(r, 1));
		x->unit_kind = arena_strdup(a, store_text(r, 2));
		x->read_at = store_int(r, 3);
		x->replied_at = store_int(r, 4);
		x->reminded_at = store_int(r, 5);
		x->read_by_name = arena_strdup(a, store_text(r, 6));
		x->replied_by_name = arena_strdup(a, store_text(r, 7));
		x->reply = arena_strdup(a, store_text(r, 8));
		x->nreaders = (int)store_int(r, 9);
		x->file_ids = arena_alloc(a, ANN_MAX_FILES * sizeof(*x->file_ids));
	}
	store_finish(r);
	if (rc < 0)
		return error_set(e, rc, NULL, NULL);
	if ((rc = store_query(c, &q_ann_reply_files, args, 1, &r, e)) != 0)
		return rc;
	while ((rc = store_next(r)) > 0)
		for (i = 0; i < *n; i++)
			if (list[i].unit_id == store_int(r, 0) && list[i].nfiles < ANN_MAX_FILES)
				list[i].file_ids[list[i].nfiles++] = store_int(r, 1);
	store_finish(r);
	*out = list;
	return rc < 0 ? error_set(e, rc, NULL, NULL) : 0;
}

int announcement_remind(struct store_conn *c, int64_t id, int64_t now, int64_t *reminded,
                        struct error *e)
{
	struct store_val args[] = {sv_int(now), sv_int(id), sv_int(id)};

	return store_exec(c, &q_ann_remind, args, 3, reminded, e);
}

int announcement_pending(struct store_conn *c, int64_t tenant_id, int64_t unit_id, int64_t *unread,
                         int64_t *unanswered, struct error *e)
{
	struct store_val args[] = {sv_int(tenant_id), sv_int(unit_id)};
	struct store_rows *r;
	int rc = store_query_one(c, &q_ann_pending, args, 2, &r, NULL, e);

	*unread = *unanswered = 0;
	if (rc)
		return rc;
	*unread = store_int(r, 0);
	*unanswered = store_int(r, 1);
	store_finish(r);
	return 0;
}

int announcement_file_readable(struct store_conn *c, int64_t tenant_id, const struct scope *s,
                               int64_t file_id, int *ok, struct error *e)
{
	struct store_val args[12];
	int64_t n = 0;
	int rc;

	args[0] = args[6] = sv_int(file_id);
	args[1] = args[7] = sv_int(tenant_id);
	scope_args(s, args + 2);
	scope_args(s, args + 8);
	rc = store_query_int(c, &q_ann_file_readable, args, 12, &n, e);
	*ok = n > 0;
	return rc;
}

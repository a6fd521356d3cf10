/*
 * archive_db.c - 资料归档 in the store: the documents the office requires of
 * each unit kind and the files units filed against them (every upload kept).
 */
#include <string.h>

#include "announcement/announcement.h"
#include "auth/auth.h"
#include "core/utf8.h"
#include "store/store.h"

STORE_SQL(q_req_insert, "INSERT INTO archive_requirements (tenant_id, unit_kind, title, note,"
                        " sort, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id");
STORE_SQL(q_req_delete, "DELETE FROM archive_requirements WHERE tenant_id = ? AND id = ?");
STORE_SQL(q_req_get, "SELECT id, tenant_id, unit_kind, title, note, sort, created_at"
                     " FROM archive_requirements WHERE tenant_id = ? AND id = ?");
STORE_SQL(q_req_list, "SELECT id, tenant_id, unit_kind, title, note, sort, created_at"
                      " FROM archive_requirements WHERE tenant_id = ? AND (? = '' OR unit_kind = ?)"
                      " ORDER BY unit_kind, sort, id");
STORE_SQL(q_doc_insert, "INSERT INTO archive_documents (tenant_id, requirement_id, unit_id,"
                        " file_id, note, user_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
                        " RETURNING id");
STORE_SQL(q_doc_list,
          "SELECT d.id, d.requirement_id, d.unit_id, d.file_id, COALESCE(d.user_id, 0),"
          " d.created_at, d.note, COALESCE(u.name, '') FROM archive_documents d"
          " LEFT JOIN users u ON u.id = d.user_id"
          " WHERE d.tenant_id = ? AND d.unit_id = ? ORDER BY d.created_at DESC, d.id DESC");
STORE_SQL(q_doc_delete,
          "DELETE FROM archive_documents WHERE tenant_id = ? AND unit_id = ? AND id = ?");
STORE_SQL(q_unit_kind, "SELECT kind FROM units WHERE tenant_id = ? AND id = ?");
STORE_SQL(q_matrix, "SELECT d.unit_id, d.requirement_id, COUNT(*) FROM archive_documents d"
                    " JOIN archive_requirements q ON q.id = d.requirement_id"
                    " JOIN units u ON u.id = d.unit_id AND u.kind = q.unit_kind"
                    " WHERE d.tenant_id = ? GROUP BY d.unit_id, d.requirement_id");

int archive_requirement_insert(struct store_conn *c, struct archive_requirement *r, struct error *e)
{
	struct store_val args[] = {sv_int(r->tenant_id), sv_text(r->unit_kind),
	                           sv_text(r->title),    sv_text(r->note ? r->note : ""),
	                           sv_int(r->sort),      sv_int(r->created_at)};

	return store_query_int(c, &q_req_insert, args, 6, &r->id, e);
}

int archive_requirement_delete(struct store_conn *c, int64_t tenant_id, int64_t id, struct error *e)
{
	struct store_val args[] = {sv_int(tenant_id), sv_int(id)};
	int64_t hit = 0;
	int rc = store_exec(c, &q_req_delete, args, 2, &hit, e);

	return rc ? rc : hit ? 0 : error_set(e, ERR_NOT_FOUND, NULL, "归档要求不存在");
}

static void read_req(struct store_rows *r, struct arena *a, struct archive_requirement *q)
{
	q->id = store_int(r, 0);
	q->tenant_id = store_int(r, 1);
	q->unit_kind = arena_strdup(a, store_text(r, 2));
	q->title = arena_strdup(a, store_text(r, 3));
	q->note = arena_strdup(a, store_text(r, 4));
	q->sort = store_int(r, 5);
	q->created_at = store_int(r, 6);
}

int archive_requirement_get(struct store_conn *c, int64_t tenant_id, int64_t id, struct arena *a,
                            struct archive_requirement *out, struct error *e)
{
	struct store_val args[] = {sv_int(tenant_id), sv_int(id)};
	struct store_rows *r;
	int rc = store_query_one(c, &q_req_get, args, 2, &r, "归档要求不存在", e);

	if (rc)
		return rc;
	read_req(r, a, out);
	store_finish(r);
	return 0;
}

int archive_requirements(struct store_conn *c, int64_t tenant_id, const char *kind, struct arena *a,
                         struct archive_requirement **out, int *n, struct error *e)
{
	struct store_val args[] = {sv_int(tenant_id), sv_text(kind ? kind : ""),
	                           sv_text(kind ? kind : "")};
	struct archive_requirement *list = NULL;
	struct store_rows *r;
	int cap = 0, rc;

	*n = 0;
	if ((rc = store_query(c, &q_req_list, args, 3, &r, e)) != 0)
		return rc;
	while ((rc = store_next(r)) > 0) {
		list = arena_grow(a, list, *n, &cap, sizeof(*list));
		read_req(r, a, &list[(*n)++]);
	}
	store_finish(r);
	*out = list;
	return rc < 0 ? error_set(e, rc, NULL, NULL) : 0;
}

int archive_file(struct store_conn *c, int64_t tenant_id, struct archive_document *d,
                 struct error *e)
{
	struct archive_requirement q;
	struct store_val ka[] = {sv_int(tenant_id), sv_int(d->unit_id)};
	struct store_rows *r;
	struct arena a;
	int rc, same;

	arena_init(&a);
	rc = archive_requirement_get(c, tenant_id, d->requirement_id, &a, &q, e);
	if (rc == ERR_NOT_FOUND)
		rc = error_set(e, ERR_INVALID, "requirement_id", "归档要求不存在");
	if (!rc && (rc = store_query_one(c, &q_unit_kind, ka, 2, &r, "单位不存在", e)) == 0) {
		same = !strcmp(store_text(r, 0), q.unit_kind);
		store_finish(r);
		if (!same)
			rc = error_set(e, ERR_INVALID, "requirement_id",
			               "该归档要求不适用于本单位类型");
	}
	if (!rc && (!d->note || utf8_chars(d->note) > ARCHIVE_NOTE_MAX))
		rc = error_set(e, ERR_INVALID, "note", "说明不能超过 %d 个字", ARCHIVE_NOTE_MAX);
	if (!rc)
		rc = announcement_files_ok(c, tenant_id, &d->file_id, 1, "file_id", e);
	if (!rc) {
		struct store_val args[] = {
		    sv_int(tenant_id),    sv_int(d->requirement_id),
		    sv_int(d->unit_id),   sv_int(d->file_id),
		    sv_text(d->note),     d->user_id ? sv_int(d->user_id) : sv_null(),
		    sv_int(d->created_at)};

		rc = store_query_int(c, &q_doc_insert, args, 7, &d->id, e);
	}
	arena_release(&a);
	return rc;
}

int archive_documents(struct store_conn *c, int64_t tenant_id, int64_t unit_id, struct arena *a,
                      struct archive_document **out, int *n, struct error *e)
{
	struct store_val args[] = {sv_int(tenant_id), sv_int(unit_id)};
	struct archive_document *list = NULL;
	struct store_rows *r;
	int cap = 0, rc;

	*n = 0;
	if ((rc = store_query(c, &q_doc_list, args, 2, &r, e)) != 0)
		return rc;
	while ((rc = store_next(r)) > 0) {
		struct archive_document *d;

		list = arena_grow(a, list, *n, &cap, sizeof(*list));
		d = &list[(*n)++];
		d->id = store_int(r, 0);
		d->requirement_id = store_int(r, 1);
		d->unit_id = store_int(r, 2);
		d->file_id = store_int(r, 3);
		d->user_id = store_int(r, 4);
		d->created_at = store_int(r, 5);
		d->note = arena_strdup(a, store_text(r, 6));
		d->user_name = arena_strdup(a, store_text(r, 7));
	}
	store_finish(r);
	*out = list;
	return rc < 0 ? error_set(e, rc, NULL, NULL) : 0;
}

int archive_document_delete(struct store_conn *c, int64_t tenant_id, int64_t unit_id, int64_t id,
                            struct error *e)
{
	struct store_val args[] = {sv_int(tenant_id), sv_int(unit_id), sv_int(id)};
	int64_t hit = 0;
	int rc = store_exec(c, &q_doc_delete, args, 3, &hit, e);

	return rc ? rc : hit ? 0 : error_set(e, ERR_NOT_FOUND, NULL, "归档资料不存在");
}

int archive_matrix(struct store_conn *c, int64_t tenant_id, struct arena *a,
                   struct archive_cell **out, int *n, struct error *e)
{
	struct store_val args[] = {sv_int(tenant_id)};
	struct archive_cell *list = NULL;
	struct store_rows *r;
	int cap = 0, rc;

	*n = 0;
	if ((rc = store_query(c, &q_matrix, args, 1, &r, e)) != 0)
		return rc;
	while ((rc = store_next(r)) > 0) {
		list = arena_grow(a, list, *n, &cap, sizeof(*list));
		list[*n].unit_id = store_int(r, 0);
		list[*n].requirement_id = store_int(r, 1);
		list[(*n)++].count = store_int(r, 2);
	}
	store_finish(r);
	*out = list;
	return rc < 0 ? error_set(e, rc, NULL, NULL) : 0;
}

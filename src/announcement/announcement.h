/*
 * announcement.h - 通知公告 (notices the office sends to all units, chosen
 * units or unit kinds, with attachments, each unit's and user's reading and
 * an optional 回执 due by a date), 资料归档 (the documents the campaign
 * requires of each unit kind and what units filed) and 责任书 (a unit's
 * yearly target responsibility list, confirmed online).  docs/ledger.md says
 * what a user must know; docs/openapi/announcements.yaml is the API.
 *
 * Storage announcement_db.c, archive_db.c, pledge_db.c; endpoints
 * api_announcements.c, api_archives.c, api_pledges.c.  Reads take the
 * caller's plan:view scope: the office (全部) sees everything, a unit only
 * the notices addressed to a unit within its scope (published ones), its own
 * archive and its own 责任书; anything else is ERR_NOT_FOUND.  Writers expect
 * the caller's write transaction and write no audit row (the caller does).
 * Strings and arrays of returned structs come from the arena passed in.
 */
#ifndef WENMING_ANNOUNCEMENT_H
#define WENMING_ANNOUNCEMENT_H

#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"

struct store_conn;
struct router;
struct scope;

#define ANN_TITLE_MAX 200
#define ANN_BODY_MAX  20000
#define ANN_REPLY_MAX 2000
#define ANN_MAX_UNITS 500
#define ANN_MAX_FILES 9

struct announcement_new {
	const char *title, *body; /* body: plain text, paragraphs split by \n */
	const char *source_kind;  /* "" or e.g. "bulletin" */
	int64_t source_id;        /* 0 when none */
	const int64_t *unit_ids;
	int nunits; /* addressees (already resolved) */
	const int64_t *file_ids;
	int nfiles;           /* attachments already stored */
	int64_t reply_due_ms; /* 0: no 回执 asked */
	int64_t author_id;
};

/*
 * Create a published notice addressed to a->unit_ids (checked: title and
 * body length, at least one unit, units and files of the tenant).  Inside
 * the caller's transaction; writes no audit row (the caller does).
 *
 * The brief asked for `struct store *db`; a transaction lives on a borrowed
 * connection (store.h), so the caller's transaction can only be joined
 * through its struct store_conn (req_db(r) in a handler).
 */
int announcement_create(struct store_conn *c, int64_t tenant_id, const struct announcement_new *a,
                        int64_t *id, struct error *e);

/* How a notice was addressed (kept for the compose page; units are resolved). */
struct announcement_audience {
	const char *kind;  /* "all" | "units" | "kinds" */
	const char *kinds; /* JSON array of unit kind keys, "[]" unless kind = kinds */
};

/*
 * Create a notice as a draft (publish 0) or published, with its audience;
 * announcement_create is this with publish 1 and audience "units".
 */
int announcement_insert(struct store_conn *c, int64_t tenant_id, const struct announcement_new *a,
                        const struct announcement_audience *aud, int publish, int64_t now,
                        int64_t *id, struct error *e);

/* Replace a draft's title, body, due date, audience, units and files; ERR_CONFLICT once published.
 */
int announcement_update(struct store_conn *c, int64_t tenant_id, int64_t id,
                        const struct announcement_new *a, const struct announcement_audience *aud,
                        int64_t now, struct error *e);

/* Delete a draft; ERR_CONFLICT once published. */
int announcement_delete(struct store_conn *c, int64_t tenant_id, int64_t id, struct error *e);

/* Publish a draft at now; ERR_CONFLICT when it already is. */
int announcement_publish(struct store_conn *c, int64_t tenant_id, int64_t id, int64_t now,
                         struct error *e);

struct announcement {
	int64_t id, tenant_id;
	const char *title, *body, *source_kind, *status, *audience, *kinds;
	int64_t source_id, reply_due, author_id, created_at, updated_at, published_at;
	const char *author_name;
	int64_t nunits, nread, nreplied; /* addressed units, those that read, that replied */
	/* the caller's unit among the addressees (my_unit 0: not addressed) */
	int64_t my_unit, my_read_at, my_replied_at;
	int nfiles;
	int64_t *file_ids;
	int64_t *unit_ids; /* filled by announcement_get */
	int nunit_ids;
};

struct announcement_filter {
	const struct scope *scope;
	int64_t my_unit;    /* the caller's unit (0: none) for my_* and pending */
	const char *status; /* NULL: any; "draft" | "published" */
	const char *q;      /* title substring, or NULL */
	int pending;        /* 1: only those my_unit has not read or not answered */
	int64_t offset, limit;
};

/* Notices within f->scope, newest first, and how many match. */
int announcement_list(struct store_conn *c, int64_t tenant_id, const struct announcement_filter *f,
                      struct arena *a, struct announcement **out, int *n, int64_t *total,
                      struct error *e);

/* One notice within scope s (NULL: the tenant), my_* for my_unit; ERR_NOT_FOUND otherwise. */
int announcement_get(struct store_conn *c, int64_t tenant_id, const struct scope *s,
                     int64_t my_unit, int64_t id, struct arena *a, struct announcement *out,
                     struct error *e);

/*
 * Record that user_id of unit_id read notice id at now: the user's first
 * reading, and the unit's when unit_id is an addressee.  *first = 1 when
 * anything was new.
 */
int announcement_mark_read(struct store_conn *c, int64_t id, int64_t unit_id, int64_t user_id,
                           int64_t now, int *first, struct error *e);

/*
 * The 回执 of unit_id on notice n (published, asking for one, unit_id an
 * addressee): reply text (1..ANN_REPLY_MAX) and files of the tenant; a new
 * reply replaces the unit's earlier one.  Also counts as reading it.
 */
int announcement_reply(struct store_conn *c, const struct announcement *n, int64_t unit_id,
                       int64_t user_id, const char *reply, const int64_t *file_ids, int nfiles,
                       int64_t now, struct error *e);

struct announcement_receipt {
	int64_t unit_id;
	const char *unit_name, *unit_kind;
	int64_t read_at, replied_at, reminded_at;
	const char *read_by_name, *replied_by_name, *reply;
	int nfiles;
	int64_t *file_ids;
	int nreaders; /* users of the unit who opened it */
};

/* Per addressed unit of notice id, in unit order. */
int announcement_receipts(struct store_conn *c, int64_t id, struct arena *a,
                          struct announcement_receipt **out, int *n, struct error *e);

/* Mark the addressees of notice id that have not read it (or not replied, when asked) reminded. */
int announcement_remind(struct store_conn *c, int64_t id, int64_t now, int64_t *reminded,
                        struct error *e);

/* How many published notices addressed to unit_id it has not read / not answered when asked. */
int announcement_pending(struct store_conn *c, int64_t tenant_id, int64_t unit_id, int64_t *unread,
                         int64_t *unanswered, struct error *e);

/*
 * *ok = 1 when file_id belongs to a notice (or a 回执 of a unit) or to an
 * archive document of a unit within scope s.
 */
int announcement_file_readable(struct store_conn *c, int64_t tenant_id, const struct scope *s,
                               int64_t file_id, int *ok, struct error *e);

/* 1 when the unit ids are units of the tenant; else ERR_INVALID naming field. */
int announcement_units_ok(struct store_conn *c, int64_t tenant_id, const int64_t *ids, int n,
                          const char *field, struct error *e);
/* 1 when the file ids are files of the tenant; else ERR_INVALID naming field. */
int announcement_files_ok(struct store_conn *c, int64_t tenant_id, const int64_t *ids, int n,
                          const char *field, struct error *e);

/* ---- 资料归档 (archive_db.c) --------------------------------------------- */

#define ARCHIVE_TITLE_MAX 100
#define ARCHIVE_NOTE_MAX  500

struct archive_requirement {
	int64_t id, tenant_id;
	const char *unit_kind, *title, *note;
	int64_t sort, created_at;
};

struct archive_document {
	int64_t id, requirement_id, unit_id, file_id, user_id, created_at;
	const char *note, *user_name;
};

/* Insert r (r->id set); the kind must be a unit kind key. */
int archive_requirement_insert(struct store_conn *c, struct archive_requirement *r,
                               struct error *e);
/* Delete requirement id of the tenant and what was filed against it. */
int archive_requirement_delete(struct store_conn *c, int64_t tenant_id, int64_t id,
                               struct error *e);
/* One requirement of the tenant; ERR_NOT_FOUND otherwise. */
int archive_requirement_get(struct store_conn *c, int64_t tenant_id, int64_t id, struct arena *a,
                            struct archive_requirement *out, struct error *e);
/* The requirements of the tenant (kind NULL: every kind), by kind, sort and id. */
int archive_requirements(struct store_conn *c, int64_t tenant_id, const char *kind, struct arena *a,
                         struct archive_requirement **out, int *n, struct error *e);

/* File a document of unit_id against requirement (which must be of the unit's kind). */
int archive_file(struct store_conn *c, int64_t tenant_id, struct archive_document *d,
                 struct error *e);
/* The documents unit_id filed, newest first. */
int archive_documents(struct store_conn *c, int64_t tenant_id, int64_t unit_id, struct arena *a,
                      struct archive_document **out, int *n, struct error *e);
/* Delete document id of unit_id; ERR_NOT_FOUND when it is not the unit's. */
int archive_document_delete(struct store_conn *c, int64_t tenant_id, int64_t unit_id, int64_t id,
                            struct error *e);

/* For each (unit, requirement of its kind): 1 when the unit filed something. */
struct archive_cell {
	int64_t unit_id, requirement_id, count;
};
int archive_matrix(struct store_conn *c, int64_t tenant_id, struct arena *a,
                   struct archive_cell **out, int *n, struct error *e);


/* ---- 责任书 (pledge_db.c) -------------------------------------------------- */

#define PLEDGE_ITEMS_MAX 5000

struct pledge {
	int64_t id, tenant_id, unit_id;
	int year;
	const char *unit_name, *unit_kind, *items, *confirmed_by_name;
	int64_t created_by, created_at, confirmed_at, confirmed_by;
};

/*
 * Write the target list of unit_id for year (a new one, or replacing an
 * unconfirmed one; ERR_CONFLICT once confirmed).  p->id set.
 */
int pledge_put(struct store_conn *c, struct pledge *p, struct error *e);
/* The 责任书 of a year for the units within scope s (NULL: all), by unit order. */
int pledge_list(struct store_conn *c, int64_t tenant_id, const struct scope *s, int year,
                struct arena *a, struct pledge **out, int *n, struct error *e);
/* One 责任书 within scope s; ERR_NOT_FOUND otherwise. */
int pledge_get(struct store_conn *c, int64_t tenant_id, const struct scope *s, int64_t id,
               struct arena *a, struct pledge *out, struct error *e);
/* The unit's leader confirms it at now; ERR_CONFLICT when already confirmed. */
int pledge_confirm(struct store_conn *c, int64_t tenant_id, int64_t id, int64_t user_id,
                   int64_t now, struct error *e);

/* The routes: what routes.c calls. */
void announcement_routes(struct router *rt);

#endif

/*
 * bulletin.h - 通报 (bulletins, issue 18 part 2).  The office drafts a
 * bulletin from a period of tenant calendar days; the draft holds its
 * sections as one JSON document (docs/bulletins.md):
 *
 *   figures        基本情况: problems found / closed / overdue, inspections,
 *                  materials, task progress of the period (computed)
 *   summary        基本情况 text (prefilled from the figures, the office edits)
 *   overdue_units  存在的问题: overdue problems by unit (computed)
 *   typical        typical problems the office picks (a new draft proposes
 *                  BULLETIN_PROPOSED), each with its first before and after photo
 *   units, red, black, basis, basis_note
 *                  the unit table and the red and black lists: the results
 *                  of the assessment period asked for, else of the published
 *                  one of exactly this period, else the ranking composite
 *                  of the period (basis says which)
 *   suggestions    下步工作建议 (office text)
 *   plan_id, plan_title
 *                  the plan whose 进展情况表 is attached
 *
 * Numbered per tenant and year in the office's format (settings:
 * bulletin_number_format).  A draft is edited and deleted; an issued one
 * never changes (ERR_CONFLICT).  bulletin.c composes and checks (no HTTP),
 * bulletin_db.c stores, bulletin_pdf.c and bulletin_docx.c render,
 * api_bulletins.c is the routes.  Strings come from the arena passed in.
 */
#ifndef WENMING_BULLETIN_H
#define WENMING_BULLETIN_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"

struct store_conn;
struct router;

#define BULLETIN_TITLE_MAX   200
#define BULLETIN_TEXT_MAX    5000
#define BULLETIN_COMMENT_MAX 500
#define BULLETIN_MAX_TYPICAL 10
#define BULLETIN_LIST_LEN    3   /* units on the red and on the black list */
#define BULLETIN_MAX_DAYS    366 /* longest period */
#define BULLETIN_PROPOSED    2   /* typical problems a new draft proposes */

struct bulletin {
	int64_t id, tenant_id;
	int year, seq;
	const char *number, *title;
	const char *from, *to; /* "YYYY-MM-DD", the last day included */
	int64_t assessment_id; /* 0: none */
	const char *status;    /* draft | issued */
	const char *content;   /* JSON text of the sections */
	int64_t announcement_id;
	int64_t created_by, created_at, updated_by, updated_at, issued_by, issued_at;
	const char *created_by_name, *issued_by_name;
};

/* ---- composing (bulletin.c) ------------------------------------------------ */

struct bulletin_new {
	int64_t tenant_id, user_id;
	const char *from, *to; /* "YYYY-MM-DD" */
	int64_t assessment_id; /* 0: none */
	int minutes;           /* the tenant's offset east of UTC */
	int64_t now;
};

/*
 * Draft a bulletin in the caller's write transaction: check the period,
 * compute the sections, number it and insert it; *id the new bulletin.
 * ERR_INVALID naming from / to / assessment_id.
 */
int bulletin_create(struct store_conn *c, const struct bulletin_new *in, struct arena *a,
                    int64_t *id, struct error *e);

/*
 * Apply an edit (title, summary, suggestions, typical [{problem_id,
 * comment}], plan_id; every key optional, others refused) to draft b in the
 * caller's write transaction; the typical problems are looked up in the
 * tenant (ERR_INVALID when not found).  ERR_CONFLICT when b is issued.
 */
int bulletin_edit(struct store_conn *c, const struct bulletin *b, json_t *body, int64_t user_id,
                  int64_t now, struct arena *a, struct error *e);

/* A rendered file issued with a bulletin (the PDF, the 进展情况表). */
struct bulletin_file {
	const void *data;
	size_t len;
	const char *content_type, *name;
};

struct bulletin_issue_in {
	int64_t user_id, now;
	const int64_t *unit_ids; /* addressees; nunits 0: every enabled 部门, 乡镇 and 社区 */
	int nunits;
	int64_t reply_due_ms; /* 0: no 回执 asked */
	const struct bulletin_file *files;
	int nfiles;
	const char *data_dir; /* where the files' blobs go (files/file_save) */
	int store_kind;
};

/*
 * Issue draft b in the caller's write transaction: keep the files, send the
 * bulletin to the units as a published announcement (announcement_create,
 * source "bulletin") with them attached, and mark b issued with the
 * announcement's id in *announcement_id.  ERR_CONFLICT when b is issued.
 */
int bulletin_issue(struct store_conn *c, const struct bulletin *b,
                   const struct bulletin_issue_in *in, struct arena *a, int64_t *announcement_id,
                   struct error *e);

/* The content of b parsed (new reference), never NULL. */
json_t *bulletin_content(const struct bulletin *b);

/* The 基本情况 text the figures (content's "figures") say, in Chinese. */
const char *bulletin_figures_text(json_t *figures, struct arena *a);

/* "2026年12月6日" of "2026-12-06" (with_year 0: "12月6日"). */
const char *bulletin_date_text(const char *ymd, int with_year, struct arena *a);

/* "2026年11月1日至11月30日" of the period. */
const char *bulletin_period_text(const struct bulletin *b, struct arena *a);

/* ---- rendering (bulletin_pdf.c, bulletin_docx.c) --------------------------- */

/* A photo of file_id as JPEG bytes (ctx's arena), or NULL when it cannot be had. */
typedef void *(*bulletin_photo_fn)(void *ctx, int64_t file_id, size_t *len);

/*
 * What the renderers print besides the bulletin: the issuing office, the
 * date line (2026年12月6日) and where photos come from.
 */
struct bulletin_print {
	const char *issuer, *date;
	bulletin_photo_fn photo;
	void *ctx;
};

/* The A4 PDF: *data malloc'd (the caller frees it). */
int bulletin_pdf(const struct bulletin *b, const struct bulletin_print *pr, struct arena *a,
                 void **data, size_t *len, struct error *e);

/*
 * The editable Word document through pandoc (HTML in, .docx out), with the
 * photos as images; every temporary file is removed.  *data malloc'd.
 * ERR_UNAVAILABLE when pandoc is missing or fails.
 */
int bulletin_docx(const struct bulletin *b, const struct bulletin_print *pr, struct arena *a,
                  void **data, size_t *len, struct error *e);

/*
 * The HTML the .docx is made from (text escaped); a typical problem's photos
 * as img-<file id>.jpg when has_photo(ctx, file id) says they were written.
 */
const char *bulletin_html(const struct bulletin *b, const struct bulletin_print *pr,
                          json_t *content, int (*has_photo)(void *, int64_t), void *hctx,
                          struct arena *a);

/* ---- storage (bulletin_db.c) ------------------------------------------------ */

/* The next sequence of tenant's year. */
int bulletin_db_next_seq(struct store_conn *c, int64_t tenant_id, int year, int *seq,
                         struct error *e);
int bulletin_db_insert(struct store_conn *c, struct bulletin *b, struct error *e);
/* Write title and content of a draft; ERR_CONFLICT when issued. */
int bulletin_db_update(struct store_conn *c, const struct bulletin *b, struct error *e);
/* Delete a draft; ERR_CONFLICT when issued. */
int bulletin_db_delete(struct store_conn *c, int64_t tenant_id, int64_t id, struct error *e);
/* Mark issued; ERR_CONFLICT when it already is. */
int bulletin_db_issue(struct store_conn *c, int64_t tenant_id, int64_t id, int64_t user_id,
                      int64_t at, int64_t announcement_id, struct error *e);
int bulletin_db_get(struct store_conn *c, int64_t tenant_id, int64_t id, struct arena *a,
                    struct bulletin *out, struct error *e);
/* Newest first; status NULL: any. */
int bulletin_db_list(struct store_conn *c, int64_t tenant_id, const char *status, int64_t offset,
                     int64_t limit, struct arena *a, struct bulletin **out, int *n, int64_t *total,
                     struct error *e);

/* The figures of [start, end) (ms), overdue at cut, tasks as of day "YYYY-MM-DD". */
int bulletin_db_figures(struct store_conn *c, int64_t tenant_id, int64_t start, int64_t end,
                        int64_t cut, const char *day, json_t **out, struct error *e);

/* [{unit_id, unit_name, count}] of problems overdue at cut, most first. */
int bulletin_db_overdue_units(struct store_conn *c, int64_t tenant_id, int64_t cut, json_t **out,
                              struct error *e);

/*
 * Up to limit problems closed as fixed in [start, end) with a before and an
 * after photo (the most severe, latest closed first): the typical problems
 * a new draft proposes.
 */
int bulletin_db_typical_candidates(struct store_conn *c, int64_t tenant_id, int64_t start,
                                   int64_t end, int limit, int64_t *ids, int *n, struct error *e);

/* The newest published assessment period of exactly [from, to] (days), or *id 0. */
int bulletin_db_assessment_of(struct store_conn *c, int64_t tenant_id, const char *from,
                              const char *to, int64_t *id, struct error *e);

/* /bulletins. */
void bulletin_routes(struct router *rt);

#endif

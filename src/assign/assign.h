/*
 * assign.h - assignment sheets (交办单): problems of one unit batched into a
 * numbered sheet (交办〔2026〕001, per tenant and year), printed as a PDF with
 * the before-photos and a QR code that opens the sheet, and signed for online
 * by the unit.  Storage is assign_db.c, routes api_assign.c.
 *
 * Reads take the caller's problem:view scope matched against the sheet's
 * unit (its id or subtree) or its creator; outside it a sheet is
 * ERR_NOT_FOUND.  Writers expect the caller's write transaction.  Strings of
 * returned structs come from the arena the caller passes.
 */
#ifndef WENMING_ASSIGN_H
#define WENMING_ASSIGN_H

#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"

struct store_conn;
struct router;
struct scope;

#define ASSIGN_MAX_PROBLEMS 100
#define ASSIGN_NOTE_MAX     500

struct assign_sheet {
	int64_t id, tenant_id;
	const char *number; /* 交办〔2026〕001 */
	int64_t unit_id;
	const char *unit_name, *unit_ancestors;
	int64_t created_by;
	const char *created_by_name;
	int64_t created_at;
	int64_t signed_by; /* 0 until signed */
	const char *signed_by_name;
	int64_t signed_at;
	const char *note;
	int64_t problem_count;
};

/* The next sheet number of tenant's year, in the caller's write transaction. */
int assign_db_next_number(struct store_conn *c, int64_t tenant_id, int year, int64_t *no,
                          struct error *e);

/* Insert s (s->id is set). */
int assign_db_insert(struct store_conn *c, struct assign_sheet *s, struct error *e);

/* Put problem_id on the sheet at position sort. */
int assign_db_add_problem(struct store_conn *c, int64_t sheet_id, int64_t problem_id, int sort,
                          struct error *e);

/* One sheet within scope s (NULL: the whole tenant); ERR_NOT_FOUND otherwise. */
int assign_db_get(struct store_conn *c, int64_t tenant_id, const struct scope *s, int64_t id,
                  struct arena *a, struct assign_sheet *out, struct error *e);

struct assign_filter {
	const struct scope *scope;
	int64_t unit_id; /* 0: any */
	int signed_;     /* -1: any, 0: not signed, 1: signed */
	int64_t offset, limit;
};

/* Newest first. */
int assign_db_list(struct store_conn *c, int64_t tenant_id, const struct assign_filter *f,
                   struct arena *a, struct assign_sheet **out, int *n, int64_t *total,
                   struct error *e);

/* The problem ids of a sheet in their order (*ids from a). */
int assign_db_problem_ids(struct store_conn *c, int64_t sheet_id, struct arena *a, int64_t **ids,
                          int *n, struct error *e);

/* Mark the sheet signed; ERR_CONFLICT when it already was. */
int assign_db_sign(struct store_conn *c, int64_t id, int64_t user_id, int64_t at, struct error *e);

/* The routes: what routes.c calls. */
void assign_routes(struct router *rt);

#endif

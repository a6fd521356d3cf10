/*
 * problem.h - problems of the closed loop (docs/domain.md, "The closed
 * loop"): the record, its storage (problem_db.c) and the routes
 * (api_problems.c: report, list, detail; api_problem_actions.c: the
 * transitions).  The transitions themselves are problem_fsm.h's; this layer
 * stores what they decide.
 *
 * Every query takes the tenant; reads take the caller's problem:view scope
 * (auth.h, scope_args) matched against the lead unit, the co-units (their
 * ids and subtrees) and the reporter, so a problem outside it is
 * ERR_NOT_FOUND.  Writers expect the caller's write transaction, which also
 * holds the timeline event and the audit row.  Strings of returned structs
 * come from the arena the caller passes.
 */
#ifndef WENMING_PROBLEM_H
#define WENMING_PROBLEM_H

#include <jansson.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "problem/problem_fsm.h"

struct store_conn;
struct router;
struct scope;
struct geo_box;

#define PROBLEM_DESC_MAX    1000
#define PROBLEM_ADDRESS_MAX 128
#define PROBLEM_NOTE_MAX    500
#define PROBLEM_MAX_PHOTOS  9
#define PROBLEM_MAX_COUNITS 20
/*
 * Recurrence (反弹) and near-duplicates (same category, this close, closed
 * this recently) follow the tenant's settings (settings/settings.h).
 */

struct problem {
	int64_t id, tenant_id;
	const char *code; /* "2026-000123" */
	int64_t category_id;
	const char *category_name;
	int64_t point_id, grid_id; /* 0: none */
	const char *point_name, *grid_name;
	int has_location;
	double lat, lng;
	const char *address, *description;
	int severity;       /* 1..3 */
	const char *source; /* inspection | supervision | covert | grid | leader | citizen | media,
	                       or a round's kind: mock | daily | special (covert) */
	enum problem_status status;
	int64_t reporter_id;
	const char *reporter_name;
	int64_t suggested_unit_id, suggested_hours; /* master_route's pick */
	const char *suggested_unit_name;
	int64_t lead_unit_id; /* 0 until assigned */
	const char *lead_unit_name, *lead_unit_ancestors;
	int64_t deadline;          /* ms, 0: none */
	int64_t first_assigned_at; /* after-photos taken earlier prove nothing */
	int64_t assigned_at;       /* the latest assignment */
	int has_parked_from;
	enum problem_status parked_from;
	int extension_pending;
	int64_t extension_deadline;
	const char *extension_reason;
	int64_t extension_count, rework_count;
	const char *outcome; /* "" unless closed */
	int64_t closed_at, recurrence_of;
	int64_t created_at, updated_at;
};

/*
 * The source of a problem an inspection round of kind made: the kind
 * itself (mock 模拟测评, daily 日常督查, covert 暗访, special 专项督查),
 * "inspection" for an unknown one.
 */
const char *problem_source_of_round(const char *kind);

/* 1 when source / outcome is one of the names above. */
int problem_source_ok(const char *s);
int problem_outcome_ok(const char *s);

/* Overdue (超期) at now: a deadline passed while the unit still owes work. */
int problem_overdue(const struct problem *p, int64_t now);

/* Great-circle distance in metres (haversine). */
double problem_distance_m(double lat1, double lng1, double lat2, double lng2);

/* The problem as the API shows it (no events, photos or co-units). */
json_t *problem_json(const struct problem *p, int64_t now);

/* ---- storage (problem_db.c) ---------------------------------------------- */

struct problem_filter {
	const struct scope *scope;
	const char *statuses;     /* ",reported,accepted," or "" */
	const char *category_ids; /* JSON array (a category and its descendants) or NULL */
	int64_t unit_id, grid_id, point_id; /* 0: any */
	const char *source;                 /* or NULL */
	int64_t from, to;                   /* created_at, 0: open */
	int overdue;                        /* 1: only overdue */
	int64_t now;
	const char *keyword;       /* substring of code or description, or NULL */
	const struct geo_box *box; /* NULL: anywhere; else only located problems inside it */
	int64_t inspection_id, standard_id; /* created by observations of these, 0: any */
	int64_t offset, limit;
};

int problem_list(struct store_conn *c, int64_t tenant_id, const struct problem_filter *f,
                 struct arena *a, struct problem **out, int *n, int64_t *total, struct error *e);

/* A place in the list's order (created_at DESC, id DESC). */
struct problem_key {
	int64_t created_at, id;
};

/*
 * Up to f->limit rows of the list (f->offset ignored, nothing counted) that
 * come after the key in the list's order, from the first when after is NULL,
 * brief: only what an export shows is filled (id, code, status,
 * category_name, point_id and _name, lead_unit_id and _name, address,
 * description, source, reporter_name, deadline, created_at); the other
 * fields are 0 or "".
 */
int problem_list_brief(struct store_conn *c, int64_t tenant_id, const struct problem_filter *f,
                       const struct problem_key *after, struct arena *a, struct problem **out,
                       int *n, struct error *e);

/* One problem within scope s (NULL: the whole tenant); ERR_NOT_FOUND otherwise. */
int problem_get(struct store_conn *c, int64_t tenant_id, const struct scope *s, int64_t id,
                struct arena *a, struct problem *out, struct error *e);

/* The next number of tenant's year, counted in the caller's write transaction. */
int problem_next_number(struct store_conn *c, int64_t tenant_id, int year, int64_t *no,
                        struct error *e);

/* Insert p (p->id is set). */
int problem_insert(struct store_conn *c, struct problem *p, struct error *e);

/* Write the fields the loop changes: status, assignment, deadline, extension, outcome. */
int problem_update_state(struct store_conn *c, const struct problem *p, int64_t now,
                         struct error *e);

/* Replace the co-units by ids[0..n). */
int problem_set_co_units(struct store_conn *c, int64_t problem_id, const int64_t *ids, int n,
                         struct error *e);

struct problem_event {
	int64_t problem_id;
	const char *action; /* "report" or an action name */
	int has_from;
	enum problem_status from, to;
	int64_t user_id, unit_id;
	const char *note;
	json_t *detail; /* borrowed, may be NULL */
	int64_t at;
	int proxy; /* 1: the office acted for the unit (代办) */
};

int problem_event_add(struct store_conn *c, const struct problem_event *ev, int64_t *id,
                      struct error *e);

/* Problem photos as an owner kind of files (files.h): registered by problem_routes. */
extern const struct file_owner_kind problem_file_kind;

/* Link a file as a "before" or "after" photo (event_id 0: none); a repeat is ignored. */
int problem_photo_add(struct store_conn *c, int64_t problem_id, int64_t file_id, const char *kind,
                      int64_t event_id, int sort, struct error *e);

/*
 * What a detail shows beside the problem, in one batch of statements: the
 * timeline (oldest first, each event with its attachments' file ids), the
 * photos, the co-units [{"id","name"}] and the links scope s shows (as
 * problem_links_json).  The caller owns the four; all NULL on failure.
 */
int problem_detail_json(struct store_conn *c, const struct problem *p, const struct scope *s,
                        json_t **events, json_t **photos, json_t **co_units, json_t **links,
                        struct error *e);

/* The same with the problem: id within scope s into *p first, in the same batch (ERR_NOT_FOUND
 * outside it). */
int problem_get_detail(struct store_conn *c, int64_t tenant_id, const struct scope *s, int64_t id,
                       struct arena *a, struct problem *p, json_t **events, json_t **photos,
                       json_t **co_units, json_t **links, struct error *e);

/* The photos with capture time and the taken_before_assignment flag. */
int problem_photos_json(struct store_conn *c, const struct problem *p, json_t **out,
                        struct error *e);

struct problem_near {
	int64_t id;
	const char *code;
	enum problem_status status;
	int64_t closed_at;
	double distance_m;
};

/*
 * Problems of the category within meters of (lat, lng) that can still
 * matter to a new report: open ones, and closed ones closed at or after
 * closed_since (the recurrence window); invalid, voided and long-closed
 * ones are left out.  Candidates by a bounding box in SQL, then the
 * haversine distance; nearest first.
 */
int problem_nearby(struct store_conn *c, int64_t tenant_id, int64_t category_id, double lat,
                   double lng, double meters, int64_t closed_since, struct arena *a,
                   struct problem_near **out, int *n, struct error *e);

/* ---- links between problems (problem_link_db.c) ----------------------------- */

/* 1 for a kind of link: duplicate (重复) or related (相关). */
int problem_link_kind_ok(const char *kind);

/* Link problems a and b (in either order); ERR_CONFLICT when they already are. */
int problem_link_add(struct store_conn *c, int64_t tenant_id, int64_t a, int64_t b,
                     const char *kind, int64_t user_id, int64_t now, struct error *e);

/* Remove the link of a and b, its kind into *kind (from ar); ERR_NOT_FOUND when none. */
int problem_link_remove(struct store_conn *c, int64_t tenant_id, int64_t a, int64_t b,
                        struct arena *ar, const char **kind, struct error *e);

/*
 * [{"id","code","status","status_title","kind","created_at","created_by_name"}]:
 * the problems linked to id that scope s shows, oldest link first.
 */
int problem_links_json(struct store_conn *c, int64_t tenant_id, int64_t id, const struct scope *s,
                       json_t **out, struct error *e);
/* ---- a new problem (problem_report.c) ------------------------------------ */

/*
 * Each photo must be a file of the tenant that reader (NULL: anyone) may
 * read (files.h, file_readable): ERR_INVALID naming photo_ids otherwise.
 */
struct principal;
int problem_check_photos(struct store_conn *c, int64_t tenant_id, const struct principal *reader,
                         const int64_t *ids, int n, struct arena *a, struct error *e);

struct problem_report {
	/*
	 * In: tenant_id, category_id, point_id and/or location, address ("" for
	 * the point's), description, severity (0: the category's), source,
	 * reporter_id.  Out: everything the loop sets, id and code included.
	 */
	struct problem *p;
	int64_t actor_unit_id;          /* the reporter's unit, for the event */
	const int64_t *photos;          /* before-photos */
	const struct principal *reader; /* who attaches them (NULL: checked already) */
	int nphotos;
	json_t *event_detail; /* borrowed, may be NULL: the report event's detail */
	int64_t now;
	int tz_minutes;  /* the tenant's zone, for the number's year */
	json_t *similar; /* may be NULL: open problems nearby are appended */
};

/*
 * Put a new problem into the loop in the caller's write transaction: check
 * its category, point and photos, route it (master_route), link a
 * recurrence, number it, insert it with its "report" event and photos.
 * Errors name the body field at fault.
 */
int problem_report(struct store_conn *c, struct problem_report *rep, struct arena *a,
                   struct error *e);

/*
 * problem_report in two halves: the reads (check and route the place, the
 * photos, recurrence and near-duplicates), which POST /problems runs before
 * its write transaction so that writers do not queue behind them
 * (docs/benchmarks.md), and the writes (number, row, event, photos).  A
 * point or photo removed in between fails the insert's foreign keys.
 */
/* The year of ms (UTC) in a zone minutes east of UTC: the year of a problem's or sheet's number. */
int problem_year(int64_t ms, int minutes);

int problem_report_prepare(struct store_conn *c, struct problem_report *rep, struct arena *a,
                           struct error *e);
int problem_report_insert(struct store_conn *c, struct problem_report *rep, struct arena *a,
                          struct error *e);

/* ---- routes ---------------------------------------------------------------- */

/* The helpers api_problems.c shares with api_problem_actions.c. */
struct req;
int problem_api_time(json_t *v, const char *field, int64_t *out, struct error *e);
int problem_api_photo_ids(struct req *r, json_t *body, int min, int64_t *ids, int *n);
int problem_api_check_photos(struct req *r, const int64_t *ids, int n);
int problem_api_detail(struct req *r, int64_t id, int status);
int problem_api_load(struct req *r, struct problem *p);
void problem_view_scope(struct req *r, struct scope *s);
int problem_api_minutes(struct req *r);
int problem_api_filter(struct req *r, const char *perm, struct problem_filter *f);
void problem_export_routes(struct router *rt);
void problem_link_routes(struct router *rt);

/* An upright JPEG of photo file_id reduced for print (arena), or NULL (api_sheets.c). */
void *problem_api_photo_jpeg(struct req *r, int64_t file_id, size_t *len);

void problem_action_routes(struct router *rt);
/* POST /problems/batch (api_problem_batch.c). */
void problem_batch_routes(struct router *rt);

/* Everything: what routes.c calls. */
void problem_routes(struct router *rt);

#endif

/*
 * materials.h - online reporting materials (网上申报材料): the catalogue of
 * items per framework version tied to standards, the units' versions with
 * their files, the office's review, progress, the predicted score and the
 * package.  docs/materials.md is the API contract.
 *
 * Storage in materials_db.c, the rules without SQL or HTTP (status names,
 * ratings, content sniffing, the score) in materials.c, the package zip in
 * package.c, the endpoints in api_materials.c and api_materials_report.c.
 *
 * Every read takes the tenant and the caller's material:view scope (struct
 * scope): a unit reaches the items it leads or is responsible for (or whose
 * units lie under it), so anything else is ERR_NOT_FOUND.  Writers expect
 * the caller's write transaction (which also holds the audit row).  Strings
 * of returned structs come from the arena the caller passes.
 */
#ifndef WENMING_MATERIALS_H
#define WENMING_MATERIALS_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"

struct store_conn;
struct router;
struct scope;

#define MAT_CODE_MAX        40
#define MAT_TITLE_MAX       200
#define MAT_REQUIREMENT_MAX 2000
#define MAT_NOTE_MAX        500
#define MAT_MAX_UNITS       100
#define MAT_MAX_FILES       20            /* files in one version */
#define MAT_FILE_MAX        (50L << 20)   /* one file */
#define MAT_VERSION_MAX     (200L << 20)  /* one upload, all files */
#define MAT_ITEM_MAX        (1024L << 20) /* all versions of an item */
/* 基本符合 counts this share of a standard's materials weight. */
#define MAT_PARTIAL_SHARE 0.6

/* ---- rules (materials.c) --------------------------------------------------- */

/* The Chinese title of a type / status / rating key, NULL when unknown. */
const char *material_type_title(const char *key);
const char *material_status_title(const char *key);
const char *material_rating_title(const char *key);
/* A type from its key or its Chinese title ("说明报告"); NULL when unknown. */
const char *material_type_key(const char *text);
/* What a rating is worth: full 1, partial MAT_PARTIAL_SHARE, else 0. */
double material_rating_value(const char *rating);

/*
 * The type of an uploaded material decided from its bytes: application/pdf,
 * the docx and xlsx types (a zip holding word/document.xml or
 * xl/workbook.xml), image/jpeg or image/png.  *ext gets "pdf", "docx",
 * "xlsx", "jpg" or "png".  ERR_MEDIA_TYPE for anything else.
 */
int material_sniff(const void *data, size_t len, const char **content_type, const char **ext,
                   struct error *e);

/* ---- rows (materials_db.c) ------------------------------------------------- */

struct material_item {
	int64_t id, framework_id, standard_id;
	const char *standard_code, *standard_title;
	const char *code, *title, *type, *requirement;
	int64_t lead_unit_id;
	const char *lead_unit_name;
	const char *deadline; /* YYYY-MM-DD */
	const char *status, *rating;
	int64_t approved_version_id, template_file_id;
	int64_t versions;
	int64_t unit_ids[MAT_MAX_UNITS];
	int nunits;
	int64_t sort, created_at, updated_at;
};

struct material_filter {
	const struct scope *scope;
	int64_t framework_id, unit_id, standard_id;
	const char *status, *type, *keyword;
	const char *overdue_before; /* "YYYY-MM-DD": only items past due then; NULL: any */
	int64_t offset, limit;      /* limit 0: every row */
};

struct material_version {
	int64_t id, item_id, number, unit_id;
	const char *unit_name, *note, *status, *rating, *comment;
	const char *created_by_name, *reviewed_by_name;
	int64_t size, created_at, reviewed_at;
};

struct material_file {
	int64_t version_id, file_id, size;
	const char *name, *content_type;
};

struct material_event {
	int64_t id, version_id;
	const char *action, *note, *user_name, *unit_name;
	int64_t created_at;
};

int material_list(struct store_conn *c, int64_t tenant_id, const struct material_filter *f,
                  struct arena *a, struct material_item **out, int *n, int64_t *total,
                  struct error *e);
/* One item within scope s (NULL: the whole tenant); ERR_NOT_FOUND otherwise. */
int material_get(struct store_conn *c, int64_t tenant_id, const struct scope *s, int64_t id,
                 struct arena *a, struct material_item *out, struct error *e);
/* Insert it (id set); ERR_CONFLICT on a code taken in the framework. */
int material_insert(struct store_conn *c, int64_t tenant_id, int64_t user_id,
                    struct material_item *it, struct error *e);
int material_update(struct store_conn *c, int64_t tenant_id, const struct material_item *it,
                    struct error *e);
int material_delete(struct store_conn *c, int64_t tenant_id, int64_t id, struct error *e);
/* Set status (and rating, approved version when not NULL / 0). */
int material_set_status(struct store_conn *c, int64_t id, const char *status, const char *rating,
                        int64_t approved_version_id, struct error *e);
/* Bytes stored over all versions of the item. */
int material_bytes(struct store_conn *c, int64_t item_id, int64_t *bytes, struct error *e);

/* A new version numbered after the last (v->id, v->number set), with its files. */
int material_version_insert(struct store_conn *c, int64_t tenant_id, int64_t user_id,
                            struct material_version *v, const int64_t *file_ids, int nfiles,
                            struct error *e);
int material_versions(struct store_conn *c, int64_t item_id, struct arena *a,
                      struct material_version **out, int *n, struct material_file **files,
                      int *nfiles, struct error *e);
/* The newest version of the item; ERR_NOT_FOUND when none. */
int material_version_latest(struct store_conn *c, int64_t item_id, struct arena *a,
                            struct material_version *out, struct error *e);
int material_version_set(struct store_conn *c, int64_t version_id, const char *status,
                         const char *rating, const char *comment, int64_t reviewer,
                         struct error *e);
/*
 * The item a version belongs to (tenant checked) and, when file_id is not 0,
 * that the file is one of the version's; ERR_NOT_FOUND otherwise.
 */
int material_version_item(struct store_conn *c, int64_t tenant_id, int64_t version_id,
                          int64_t file_id, int64_t *item_id, struct error *e);

/*
 * *ok = 1 when file_id is a version file or the template of an item of
 * tenant within s (files/file_access.c asks through the owner kind).
 */
int material_file_readable(struct store_conn *c, int64_t tenant_id, const struct scope *s,
                           int64_t file_id, int *ok, struct error *e);

/*
 * Items of framework_id within s that wait: with review, for the office's
 * review (submitted); else for their units to upload or submit (not
 * started, drafting, returned).  The count into *n.
 */
int material_count_waiting(struct store_conn *c, int64_t tenant_id, int64_t framework_id,
                           const struct scope *s, int review, int64_t *n, struct error *e);

int material_event_add(struct store_conn *c, int64_t tenant_id, int64_t item_id, int64_t version_id,
                       const char *action, int64_t user_id, int64_t unit_id, const char *note,
                       struct error *e);
int material_events(struct store_conn *c, int64_t item_id, struct arena *a,
                    struct material_event **out, int *n, struct error *e);

/* Copy a framework's catalogue into another by standard code; *copied, *skipped. */
int material_copy(struct store_conn *c, int64_t tenant_id, int64_t user_id, int64_t from,
                  int64_t to, int *copied, int *skipped, struct error *e);

/* One (unit, item) pair of the progress matrix. */
struct material_cell {
	int64_t item_id, unit_id;
	const char *unit_name, *role; /* lead | responsible */
	int64_t uploads;              /* versions the unit uploaded */
};
int material_cells(struct store_conn *c, int64_t tenant_id, int64_t framework_id,
                   const struct scope *s, struct arena *a, struct material_cell **out, int *n,
                   struct error *e);

/* One file of an approved item's approved version, for the package. */
struct material_pkg_file {
	int64_t item_id, version_number, file_id;
	const char *name, *storage, *storage_key;
};
/* Every such file of the framework, in item order (metadata only, never bytes). */
int material_package_files(struct store_conn *c, int64_t tenant_id, int64_t framework_id,
                           struct arena *a, struct material_pkg_file **out, int *n,
                           struct error *e);

/* ---- the score ------------------------------------------------------------- */

struct material_weight {
	int64_t standard_id;
	const char *code, *title;
	double weight; /* the standard's materials part */
	int64_t lead_unit_id;
	const char *lead_unit_name;
};

/*
 * Each standard of the framework with its materials weight (only those with
 * one).  The one place that knows how the framework splits a standard's
 * weight among the score's parts: switch it when the framework's methods
 * change.
 */
int materials_standard_weights(struct store_conn *c, int64_t framework_id, struct arena *a,
                               struct material_weight **out, int *n, struct error *e);

/* {framework_id, total, predicted, approved, at_risk, standards, lead_units}. */
int materials_score(struct store_conn *c, int64_t tenant_id, int64_t framework_id, struct arena *a,
                    json_t **out, struct error *e);

/*
 * What approving each item as 完全符合 would add to materials_score's
 * predicted total: its standard's materials weight / the standard's items x
 * (1 - the worth it counts now).  Only items that would gain; strings in a.
 */
struct material_gain {
	int64_t item_id, standard_id, lead_unit_id;
	const char *code, *title, *status, *standard_code, *lead_unit_name;
	double gain;
};

int materials_item_gains(struct store_conn *c, int64_t tenant_id, int64_t framework_id,
                         struct arena *a, struct material_gain **out, int *n, struct error *e);

/* ---- JSON ------------------------------------------------------------------ */

json_t *material_item_json(const struct material_item *it, const char *today);
json_t *material_version_json(const struct material_version *v, const struct material_file *f,
                              int nf);
json_t *material_event_json(const struct material_event *ev);

/* Today's date in China ("YYYY-MM-DD") into buf. */
void material_today(char buf[11]);
/* Days from today to deadline (negative: overdue). */
int material_days_left(const char *today, const char *deadline);

void materials_routes(struct router *rt);

#endif

/*
 * tenants.h - tenants (创建主体) for platform administrators: storage
 * (tenant_db.c), the /tenants endpoints (api_tenants.c), and the tenant's
 * time zone arithmetic other endpoints need ("2026-05-01" in the tenant's
 * calendar, times in exports).
 *
 * Time zones: a tenant's zone is one of a fixed list of zones without
 * daylight saving time (China's, plus UTC), so converting is one offset and
 * needs neither the process-wide TZ variable nor the zoneinfo files.
 */
#ifndef WENMING_TENANTS_H
#define WENMING_TENANTS_H

#include <jansson.h>
#include <stdint.h>

#include "auth/login.h"
#include "core/err.h"

struct store_conn;
struct router;

struct tenant_new {
	const char *name;
	const char *region_code;
	const char *level; /* city | county_city | county | district */
};

/* Insert a tenant; *id = its id. */
int tenant_insert(struct store_conn *c, const struct tenant_new *t, int64_t *id, struct error *e);

/* Number of tenants. */
int tenant_count(struct store_conn *c, int64_t *n, struct error *e);

/* Id of the first tenant created (the one `wenming init` made); ERR_NOT_FOUND when none. */
int tenant_first(struct store_conn *c, int64_t *id, struct error *e);

#define TENANT_DEFAULT_TZ "Asia/Shanghai"

struct tenant_filter {
	const char *name; /* substring of name or region code, or NULL */
	int64_t offset, limit;
};

/* One page of tenants as a JSON array, and the total matching. */
int tenant_list_json(struct store_conn *c, const struct tenant_filter *f, json_t **items,
                     int64_t *total, struct error *e);

/*
 * One tenant as {id, name, region_code, level, eval_date, timezone, enabled,
 * user_count, created_at, updated_at}; ERR_NOT_FOUND.
 */
int tenant_detail_json(struct store_conn *c, int64_t id, json_t **out, struct error *e);

struct tenant_fields {
	const char *name;
	const char *region_code; /* 6 digits */
	const char *level;       /* city | county_city | county | district */
	const char *eval_date;   /* YYYY-MM-DD or NULL */
	const char *timezone;
	int enabled;
};

/* Insert a tenant and seed its built-in roles; ERR_CONFLICT (region_code) when taken. */
int tenant_create(struct store_conn *c, const struct tenant_fields *f, int64_t *id,
                  struct error *e);

/*
 * Update a tenant; disabling it also ends its users' sessions (*revoked = how
 * many).  ERR_NOT_FOUND, ERR_CONFLICT (region_code).
 */
int tenant_update(struct store_conn *c, int64_t id, const struct tenant_fields *f, int64_t *revoked,
                  struct error *e);

/* The time zone name of a tenant into out; ERR_NOT_FOUND. */
/* The tenant's 测评日期 "YYYY-MM-DD" into out, "" when none is set. */
int tenant_eval_date(struct store_conn *c, int64_t id, char out[16], struct error *e);

/* Set (date "YYYY-MM-DD", checked by the caller) or clear (NULL) the 测评日期. */
int tenant_eval_date_set(struct store_conn *c, int64_t id, const char *date, struct error *e);

/* GET/POST /tenants, GET/PUT /tenants/{id}. */
void tenant_routes(struct router *rt);

#endif

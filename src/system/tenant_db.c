/* tenant_db.c - tenants in the store. */
#include "system/tenants.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/strbuf.h"
#include "org/org_db.h"
#include "store/store.h"

/* ---- tenants ------------------------------------------------------------ */

STORE_SQL(q_tenant_insert, "INSERT INTO tenants (name, region_code, level, created_at, updated_at)"
                           " VALUES (?, ?, ?, ?, ?) RETURNING id");
STORE_SQL(q_tenant_total, "SELECT COUNT(*) FROM tenants");
STORE_SQL(q_tenant_first, "SELECT id FROM tenants ORDER BY id LIMIT 1");

int tenant_insert(struct store_conn *c, const struct tenant_new *t, int64_t *id, struct error *e)
{
	int64_t now = time_now_ms();
	struct store_val args[] = {
	    sv_text(t->name),
	    sv_text(t->region_code ? t->region_code : ""),
	    sv_text(t->level ? t->level : "county"),
	    sv_int(now),
	    sv_int(now),
	};

	return store_query_int(c, &q_tenant_insert, args, 5, id, e);
}

int tenant_count(struct store_conn *c, int64_t *n, struct error *e)
{
	return store_query_int(c, &q_tenant_total, NULL, 0, n, e);
}

int tenant_first(struct store_conn *c, int64_t *id, struct error *e)
{
	return store_query_int(c, &q_tenant_first, NULL, 0, id, e);
}

#define TENANT_COLS                                                                                \
	"t.id, t.name, t.region_code, t.level, t.eval_date, t.timezone, t.enabled, t.created_at,"  \
	" t.updated_at, (SELECT COUNT(*) FROM users u WHERE u.tenant_id = t.id)"
#define TENANT_WHERE                                                                               \
	" WHERE (? = '' OR t.name LIKE ? ESCAPE '\\' OR t.region_code LIKE ? ESCAPE '\\')"

STORE_SQL(q_tenant_count, "SELECT COUNT(*) FROM tenants t" TENANT_WHERE);
STORE_SQL(q_tenant_page,
          "SELECT " TENANT_COLS " FROM tenants t" TENANT_WHERE " ORDER BY t.id LIMIT ? OFFSET ?");
STORE_SQL(q_tenant_one, "SELECT " TENANT_COLS " FROM tenants t WHERE t.id = ?");

static json_t *tenant_row_json(struct store_rows *r)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:o, s:s, s:b, s:I, s:I, s:I}", "id",
	                 (json_int_t)store_int(r, 0), "name", store_text(r, 1), "region_code",
	                 store_text(r, 2), "level", store_text(r, 3), "eval_date",
	                 store_isnull(r, 4) ? json_null() : json_string(store_text(r, 4)),
	                 "timezone", store_text(r, 5), "enabled", (int)store_int(r, 6),
	                 "created_at", (json_int_t)store_int(r, 7), "updated_at",
	                 (json_int_t)store_int(r, 8), "user_count", (json_int_t)store_int(r, 9));
}

int tenant_list_json(struct store_conn *c, const struct tenant_filter *f, json_t **items,
                     int64_t *total, struct error *e)
{
	char *like = store_like_pattern(NULL, f->name, 1);
	struct store_val args[] = {sv_text(f->name ? f->name : ""), sv_text(like), sv_text(like),
	                           sv_int(f->limit), sv_int(f->offset)};
	struct store_rows *r;
	int rc;

	*items = NULL;
	rc = store_query_int(c, &q_tenant_count, args, 3, total, e);
	if (rc == 0)
		rc = store_query(c, &q_tenant_page, args, 5, &r, e);
	free(like);
	if (rc)
		return rc;
	*items = json_array();
	while ((rc = store_next(r)) > 0)
		json_array_append_new(*items, tenant_row_json(r));
	store_finish(r);
	if (rc < 0) {
		json_decref(*items);
		*items = NULL;
		return error_set(e, rc, NULL, NULL);
	}
	return 0;
}

int tenant_detail_json(struct store_conn *c, int64_t id, json_t **out, struct error *e)
{
	struct store_val args[] = {sv_int(id)};
	struct store_rows *r;
	int rc;

	*out = NULL;
	rc = store_query_one(c, &q_tenant_one, args, 1, &r, "创建主体不存在", e);
	if (rc)
		return rc;
	*out = tenant_row_json(r);
	store_finish(r);
	return 0;
}

STORE_SQL(q_region_taken, "SELECT COUNT(*) FROM tenants WHERE region_code = ? AND id <> ?");
STORE_SQL(q_tenant_create,
          "INSERT INTO tenants (name, region_code, level, eval_date, timezone, enabled, created_at,"
          " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
STORE_SQL(q_tenant_update,
          "UPDATE tenants SET name = ?, region_code = ?, level = ?, eval_date = ?, timezone = ?,"
          " enabled = ?, updated_at = ? WHERE id = ?");
STORE_SQL(q_tenant_sessions_end,
          "UPDATE sessions SET revoked_at = ?, revoked_why = 'tenant disabled'"
          " WHERE tenant_id = ? AND revoked_at IS NULL");

/* One region, one tenant: a second tenant for the same code is a mistake. */
static int region_free(struct store_conn *c, const char *code, int64_t self, struct error *e)
{
	struct store_val args[] = {sv_text(code), sv_int(self)};
	int64_t n = 0;
	int rc;

	if (!code || !*code)
		return 0; /* the tenant `wenming init` made may have none yet */
	rc = store_query_int(c, &q_region_taken, args, 2, &n, e);

	if (rc == 0 && n)
		return error_set(e, ERR_CONFLICT, "region_code",
		                 "行政区划代码 %s 已被其他创建主体使用", code);
	return rc;
}

int tenant_create(struct store_conn *c, const struct tenant_fields *f, int64_t *id, struct error *e)
{
	int64_t now = time_now_ms();
	int rc = region_free(c, f->region_code, 0, e);

	if (rc)
		return rc;
	{
		struct store_val args[] = {
		    sv_text(f->name),     sv_text(f->region_code),
		    sv_text(f->level),    sv_text(f->eval_date),
		    sv_text(f->timezone), sv_int(f->enabled ? 1 : 0),
		    sv_int(now),          sv_int(now),
		};

		rc = store_query_int(c, &q_tenant_create, args, 8, id, e);
	}
	if (rc == 0)
		rc = roles_seed_builtin(c, *id, e);
	return rc;
}

int tenant_update(struct store_conn *c, int64_t id, const struct tenant_fields *f, int64_t *revoked,
                  struct error *e)
{
	int64_t now = time_now_ms(), changes = 0;
	int rc = region_free(c, f->region_code, id, e);

	*revoked = 0;
	if (rc)
		return rc;
	{
		struct store_val args[] = {
		    sv_text(f->name),     sv_text(f->region_code),
		    sv_text(f->level),    sv_text(f->eval_date),
		    sv_text(f->timezone), sv_int(f->enabled ? 1 : 0),
		    sv_int(now),          sv_int(id),
		};

		rc = store_exec(c, &q_tenant_update, args, 8, &changes, e);
	}
	if (rc)
		return rc;
	if (!changes)
		return error_set(e, ERR_NOT_FOUND, NULL, "创建主体不存在");
	/*
	 * Logins of a disabled tenant are refused at the door; sessions already
	 * open end here, in the same transaction.
	 */
	if (!f->enabled) {
		struct store_val args[] = {sv_int(now), sv_int(id)};

		rc = store_exec(c, &q_tenant_sessions_end, args, 2, revoked, e);
	}
	return rc;
}

STORE_SQL(q_tenant_eval_get, "SELECT eval_date FROM tenants WHERE id = ?");
STORE_SQL(q_tenant_eval_set, "UPDATE tenants SET eval_date = ?, updated_at = ? WHERE id = ?");

int tenant_eval_date(struct store_conn *c, int64_t id, char out[16], struct error *e)
{
	struct store_val args[] = {sv_int(id)};
	struct store_rows *r;
	int rc;

	out[0] = '\0';
	rc = store_query_one(c, &q_tenant_eval_get, args, 1, &r, "创建主体不存在", e);
	if (rc)
		return rc;
	snprintf(out, 16, "%s", store_isnull(r, 0) ? "" : store_text(r, 0));
	store_finish(r);
	return 0;
}

int tenant_eval_date_set(struct store_conn *c, int64_t id, const char *date, struct error *e)
{
	struct store_val args[] = {sv_text(date), sv_int(time_now_ms()), sv_int(id)};
	int64_t changes = 0;
	int rc = store_exec(c, &q_tenant_eval_set, args, 3, &changes, e);

	if (rc == 0 && !changes)
		return error_set(e, ERR_NOT_FOUND, NULL, "创建主体不存在");
	return rc;
}

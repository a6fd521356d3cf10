/*
 * pledge_db.c - 责任书 in the store: a unit's target responsibility list of a
 * year, written by the office and confirmed online by the unit.
 */
#include <string.h>

#include "announcement/announcement.h"
#include "auth/auth.h"
#include "core/utf8.h"
#include "store/store.h"

#define PLEDGE_COLS                                                                                \
	"p.id, p.tenant_id, p.unit_id, p.year, u.name, u.kind, p.items, COALESCE(cu.name, ''),"    \
	" COALESCE(p.created_by, 0), p.created_at, p.confirmed_at, COALESCE(p.confirmed_by, 0)"
#define PLEDGE_FROM                                                                                \
	" FROM pledges p JOIN units u ON u.id = p.unit_id"                                         \
	" LEFT JOIN users cu ON cu.id = p.confirmed_by"
#define PLEDGE_SCOPE "(? = 1 OR p.unit_id IN_IDS(?) OR u.ancestors LIKE ? OR p.created_by = ?)"

STORE_SQL(q_pledge_find, "SELECT id, confirmed_at FROM pledges WHERE tenant_id = ? AND year = ?"
                         " AND unit_id = ?");
STORE_SQL(q_pledge_insert, "INSERT INTO pledges (tenant_id, year, unit_id, items, created_by,"
                           " created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id");
STORE_SQL(q_pledge_update, "UPDATE pledges SET items = ?, created_by = ?, created_at = ?"
                           " WHERE id = ? AND confirmed_at = 0");
STORE_SQL(q_pledge_list, "SELECT " PLEDGE_COLS PLEDGE_FROM " WHERE p.tenant_id = ? AND p.year = ?"
                         " AND " PLEDGE_SCOPE " ORDER BY u.sort, u.id");
STORE_SQL(q_pledge_get, "SELECT " PLEDGE_COLS PLEDGE_FROM
                        " WHERE p.tenant_id = ? AND p.id = ? AND " PLEDGE_SCOPE);
STORE_SQL(q_pledge_confirm, "UPDATE pledges SET confirmed_at = ?, confirmed_by = ?"
                            " WHERE tenant_id = ? AND id = ? AND confirmed_at = 0");

static const struct scope everything = {1, 0, "[]", ""};

int pledge_put(struct store_conn *c, struct pledge *p, struct error *e)
{
	struct store_val fa[] = {sv_int(p->tenant_id), sv_int(p->year), sv_int(p->unit_id)};
	struct store_rows *r;
	int64_t confirmed = 0;
	int rc;

	if (!p->items || !*p->items || utf8_chars(p->items) > PLEDGE_ITEMS_MAX)
		return error_set(e, ERR_INVALID, "items", "责任目标应为 1 到 %d 个字",
		                 PLEDGE_ITEMS_MAX);
	if (p->year < 2000 || p->year > 2100)
		return error_set(e, ERR_INVALID, "year", "年度应在 2000 到 2100 之间");
	if ((rc = announcement_units_ok(c, p->tenant_id, &p->unit_id, 1, "unit_ids", e)) != 0)
		return rc;
	rc = store_query_one(c, &q_pledge_find, fa, 3, &r, NULL, e);
	if (rc == ERR_NOT_FOUND) {
		struct store_val args[] = {sv_int(p->tenant_id),
		                           sv_int(p->year),
		                           sv_int(p->unit_id),
		                           sv_text(p->items),
		                           p->created_by ? sv_int(p->created_by) : sv_null(),
		                           sv_int(p->created_at)};

		error_init(e);
		return store_query_int(c, &q_pledge_insert, args, 6, &p->id, e);
	}
	if (rc)
		return rc;
	p->id = store_int(r, 0);
	confirmed = store_int(r, 1);
	store_finish(r);
	if (confirmed)
		return error_set(e, ERR_CONFLICT, "unit_ids",
		                 "单位已确认 %d 年度责任书，不能再修改", p->year);
	{
		struct store_val args[] = {sv_text(p->items),
		                           p->created_by ? sv_int(p->created_by) : sv_null(),
		                           sv_int(p->created_at), sv_int(p->id)};

		return store_exec(c, &q_pledge_update, args, 4, NULL, e);
	}
}

static int pledges_query(struct store_conn *c, const struct store_sql *q, struct store_val *args,
                         int nargs, struct arena *a, struct pledge **out, int *n, struct error *e)
{
	struct pledge *list = NULL;
	struct store_rows *r;
	int cap = 0, rc;

	*n = 0;
	if ((rc = store_query(c, q, args, nargs, &r, e)) != 0)
		return rc;
	while ((rc = store_next(r)) > 0) {
		struct pledge *p;

		list = arena_grow(a, list, *n, &cap, sizeof(*list));
		p = &list[(*n)++];
		p->id = store_int(r, 0);
		p->tenant_id = store_int(r, 1);
		p->unit_id = store_int(r, 2);
		p->year = (int)store_int(r, 3);
		p->unit_name = arena_strdup(a, store_text(r, 4));
		p->unit_kind = arena_strdup(a, store_text(r, 5));
		p->items = arena_strdup(a, store_text(r, 6));
		p->confirmed_by_name = arena_strdup(a, store_text(r, 7));
		p->created_by = store_int(r, 8);
		p->created_at = store_int(r, 9);
		p->confirmed_at = store_int(r, 10);
		p->confirmed_by = store_int(r, 11);
	}
	store_finish(r);
	*out = list;
	return rc < 0 ? error_set(e, rc, NULL, NULL) : 0;
}

int pledge_list(struct store_conn *c, int64_t tenant_id, const struct scope *s, int year,
                struct arena *a, struct pledge **out, int *n, struct error *e)
{
	struct store_val args[6];

	args[0] = sv_int(tenant_id);
	args[1] = sv_int(year);
	scope_args(s ? s : &everything, args + 2);
	return pledges_query(c, &q_pledge_list, args, 6, a, out, n, e);
}

int pledge_get(struct store_conn *c, int64_t tenant_id, const struct scope *s, int64_t id,
               struct arena *a, struct pledge *out, struct error *e)
{
	struct store_val args[6];
	struct pledge *list;
	int n, rc;

	args[0] = sv_int(tenant_id);
	args[1] = sv_int(id);
	scope_args(s ? s : &everything, args + 2);
	if ((rc = pledges_query(c, &q_pledge_get, args, 6, a, &list, &n, e)) != 0)
		return rc;
	if (!n)
		return error_set(e, ERR_NOT_FOUND, NULL, "责任书不存在");
	*out = list[0];
	return 0;
}

int pledge_confirm(struct store_conn *c, int64_t tenant_id, int64_t id, int64_t user_id,
                   int64_t now, struct error *e)
{
	struct store_val args[] = {sv_int(now), sv_int(user_id), sv_int(tenant_id), sv_int(id)};
	int64_t hit = 0;
	int rc = store_exec(c, &q_pledge_confirm, args, 4, &hit, e);

	return rc ? rc : hit ? 0 : error_set(e, ERR_CONFLICT, NULL, "责任书已确认");
}

/* method_db.c - the method names an office adds to the built-in vocabulary. */
#include <string.h>

#include "inspect/inspect.h"
#include "inspect/inspect_int.h"
#include "core/clock.h"
#include "org/org_db.h"
#include "store/store.h"

STORE_SQL(q_methods, "SELECT id, name, part FROM framework_methods WHERE tenant_id = ?"
                     " ORDER BY id");
STORE_SQL(q_method_insert, "INSERT INTO framework_methods (tenant_id, name, part, created_at)"
                           " VALUES (?, ?, ?, ?) RETURNING id");
STORE_SQL(q_method_delete, "DELETE FROM framework_methods WHERE tenant_id = ? AND id = ?");

int method_vocab_list(struct store_conn *c, int64_t tenant_id, struct arena *a,
                      struct method_name **out, int *n, struct error *e)
{
	struct store_val args[] = {sv_int(tenant_id)};
	struct method_name *list = NULL;
	struct store_rows *r;
	int cap = 0, rc;

	*out = NULL;
	*n = 0;
	if ((rc = store_query(c, &q_methods, args, 1, &r, e)))
		return rc;
	while ((rc = store_next(r)) > 0) {
		int bit = method_part_bit(store_text(r, 2));

		list = inspect_grow(a, list, *n, &cap, sizeof(*list));
		list[*n].id = store_int(r, 0);
		list[*n].name = arena_strdup(a, store_text(r, 1));
		list[*n].bit = bit < 0 ? 0 : bit;
		(*n)++;
	}
	store_finish(r);
	*out = list;
	return rc < 0 ? error_set(e, rc, NULL, NULL) : 0;
}

int method_vocab_add(struct store_conn *c, int64_t tenant_id, const char *name, int bit,
                     int64_t *id, struct error *e)
{
	struct store_val args[] = {sv_int(tenant_id), sv_text(name), sv_text(method_part_name(bit)),
	                           sv_int(time_now_ms())};
	int nb, i, rc;
	const struct method_name *b = method_builtins(&nb);

	for (i = 0; i < nb; i++)
		if (!strcmp(b[i].name, name))
			return error_set(e, ERR_CONFLICT, "name", "“%s”已在内置的测评方法中", name);
	rc = store_query_int(c, &q_method_insert, args, 4, id, e);
	if (rc == ERR_CONFLICT)
		return error_set(e, ERR_CONFLICT, "name", "测评方法“%s”已存在", name);
	return rc;
}

int method_vocab_delete(struct store_conn *c, int64_t tenant_id, int64_t id, struct error *e)
{
	struct store_val args[] = {sv_int(tenant_id), sv_int(id)};
	int64_t changes = 0;
	int rc = store_exec(c, &q_method_delete, args, 2, &changes, e);

	if (!rc && !changes)
		return error_set(e, ERR_NOT_FOUND, NULL, "测评方法不存在");
	return rc;
}

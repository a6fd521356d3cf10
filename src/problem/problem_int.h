/*
 * problem_int.h - what the storage files of problem/ share (problem_db.c,
 * problem_link_db.c): SQL text and statement helpers, never seen outside them.
 */
#ifndef WENMING_PROBLEM_INT_H
#define WENMING_PROBLEM_INT_H

/*
 * The view scope (auth.h scope_args order): the lead unit or a co-unit by
 * id or subtree, or the reporter.  A unit's ancestors are never empty, so
 * the empty pattern of a caller without a subtree matches nothing.
 */
/*
 * The lead unit and the co-units are looked up by primary key: written as
 * "units su WHERE su.id = lead OR su.id IN (co-units)" both back ends
 * walked every unit of the tenant with a LIKE each, a fifth of a detail
 * page's time (callgrind, docs/benchmarks.md).
 */
#define PROBLEM_SCOPE                                                                              \
	"(? = 1 OR EXISTS (SELECT 1 FROM (SELECT p.lead_unit_id AS unit_id UNION ALL"              \
	" SELECT pu.unit_id FROM problem_units pu WHERE pu.problem_id = p.id) pv"                  \
	" JOIN units su ON su.id = pv.unit_id WHERE su.tenant_id = p.tenant_id"                    \
	" AND (su.id IN_IDS(?) OR su.ancestors LIKE ?))"                                           \
	" OR p.reporter_id = ?)"

#include <jansson.h>

#include "auth/auth.h"
#include "store/store.h"

/* The links statement of problem id within scope s into b (args: 8 values, the caller's). */
void problem_links_batch(struct store_batch *b, struct store_val args[8], int64_t tenant_id,
                         int64_t id, const struct scope *s);
/* Its rows as problem_links_json answers them; finishes r. */
int problem_links_read(struct store_rows *r, json_t **out, struct error *e);

#endif

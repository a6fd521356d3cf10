/* inspect_int.h - helpers shared by the inspect module's files only. */
#ifndef WENMING_INSPECT_INT_H
#define WENMING_INSPECT_INT_H

#include <string.h>

#include "auth/auth.h"
#include "core/arena.h"
#include "store/store.h"

/*
 * The bound values of ROUND_POINT_SCOPE (round_db.c) for scope s, in the
 * order: all, inspector (self), unit ids, subtree.
 */
static inline void round_scope_args(const struct scope *s, struct store_val out[4])
{
	out[0] = sv_int(s && !s->all ? 0 : 1);
	out[1] = sv_int(s && s->self_user_id ? s->self_user_id : -1);
	out[2] = sv_ids(s ? s->unit_ids : NULL, s && s->unit_ids ? (size_t)s->nunits : 0);
	out[3] = sv_prefix(s ? s->subtree : NULL);
}

/*
 * A point of round ip (inspection_points) with its point p is in scope: the
 * whole tenant, the inspector it is assigned to, or its responsible unit by
 * id or subtree.  Four values: round_scope_args.
 */
#define ROUND_POINT_SCOPE                                                                          \
	"(? = 1 OR ip.inspector_id = ? OR EXISTS (SELECT 1 FROM units su WHERE su.id = p.unit_id"  \
	" AND (su.id IN_IDS(?) OR su.ancestors LIKE ?)))"

#endif

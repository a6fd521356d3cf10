/*
 * problem_int.h - what the storage files of problem/ share (problem_db.c,
 * problem_link_db.c): SQL text, never seen outside them.
 */
#ifndef WENMING_PROBLEM_INT_H
#define WENMING_PROBLEM_INT_H

/*
 * The view scope (auth.h scope_args order): the lead unit or a co-unit by
 * id or subtree, or the reporter.  A unit's ancestors are never empty, so
 * the empty pattern of a caller without a subtree matches nothing.
 */
#define PROBLEM_SCOPE                                                                              \
	"(? = 1 OR EXISTS (SELECT 1 FROM units su WHERE su.tenant_id = p.tenant_id"                \
	" AND (su.id = p.lead_unit_id OR su.id IN (SELECT pu.unit_id FROM problem_units pu"        \
	" WHERE pu.problem_id = p.id)) AND (su.id IN_IDS(?) OR su.ancestors LIKE ?))"              \
	" OR p.reporter_id = ?)"
#endif

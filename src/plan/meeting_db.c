/* meeting_db.c - meetings, their attending units, files and decisions in the store. */
#include <string.h>

#include "auth/auth.h"
#include "plan/plan.h"
#include "store/store.h"

#define MEETING_COLS                                                                               \
	"m.id, m.tenant_id, m.kind, m.title, m.held_on, m.minutes, COALESCE(m.chair_id, 0),"       \
	" COALESCE(cu.name, ''), COALESCE(m.created_by, 0), m.created_at"
#define MEETING_FROM " FROM meetings m LEFT JOIN users cu ON cu.id = m.chair_id"
/* A meeting is seen through an attending unit (id or subtree) or by whoever created it. */
#define MEETING_SCOPE                                                                              \
	"(? = 1 OR EXISTS (SELECT 1 FROM meeting_units mu JOIN units mun ON mun.id = mu.unit_id"   \
	" WHERE mu.meeting_id = m.id AND (mu.unit_id IN_IDS(?) OR mun.ancestors LIKE ?))"          \
	" OR m.created_by = ?)"

STORE_SQL(q_meeting_insert, "INSERT INTO meetings (tenant_id, kind, title, held_on, chair_id,"
                            " minutes, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                            " RETURNING id");
STORE_SQL(q_meeting_unit, "INSERT INTO meeting_units (meeting_id, unit_id) VALUES (?, ?)");
STORE_SQL(q_meeting_file, "INSERT INTO meeting_files (meeting_id, file_id) VALUES (?, ?)");
STORE_SQL(q_decision_insert, "INSERT INTO meeting_decisions (meeting_id, seq, text)"
                             " VALUES (?, ?, ?) RETURNING id");
STORE_SQL(q_meeting_get, "SELECT " MEETING_COLS MEETING_FROM
                         " WHERE m.tenant_id = ? AND m.id = ? AND " MEETING_SCOPE);
STORE_SQL(q_meeting_list,
          "SELECT " MEETING_COLS MEETING_FROM " WHERE m.tenant_id = ? AND " MEETING_SCOPE
          " ORDER BY m.held_on DESC, m.id DESC LIMIT 500");
STORE_SQL(q_meeting_units, "SELECT mu.unit_id, u.name FROM meeting_units mu"
                           " JOIN units u ON u.id = mu.unit_id WHERE mu.meeting_id = ?"
                           " ORDER BY u.sort, u.id");
STORE_SQL(q_meeting_files,
          "SELECT file_id FROM meeting_files WHERE meeting_id = ? ORDER BY file_id");
STORE_SQL(q_meeting_decisions,
          "SELECT d.id, d.seq, d.text, COALESCE(d.task_id, 0), COALESCE(t.title, ''),"
          " COALESCE(u.name, ''), COALESCE(t.deadline, ''), COALESCE(t.status, ''),"
          " COALESCE((SELECT r.percent FROM task_reports r WHERE r.task_id = t.id"
          " ORDER BY r.created_at DESC, r.id DESC LIMIT 1), -1)"
          " FROM meeting_decisions d LEFT JOIN plan_nodes t ON t.id = d.task_id"
          " LEFT JOIN units u ON u.id = t.lead_unit_id WHERE d.meeting_id = ? ORDER BY d.seq");
STORE_SQL(q_decision_task, "UPDATE meeting_decisions SET task_id = ? WHERE id = ?"
                           " AND task_id IS NULL");
STORE_SQL(q_find_child, "SELECT COALESCE(MIN(id), 0) FROM plan_nodes WHERE tenant_id = ?"
                        " AND parent_id = ? AND level = ? AND title = ?");

int meeting_db_insert(struct store_conn *c, struct meeting *m, struct error *e)
{
	struct store_val args[] = {sv_int(m->tenant_id),
	                           sv_text(m->kind),
	                           sv_text(m->title),
	                           sv_text(m->held_on),
	                           m->chair_id ? sv_int(m->chair_id) : sv_null(),
	                           sv_text(m->minutes),
	                           m->created_by ? sv_int(m->created_by) : sv_null(),
	                           sv_int(m->created_at)};
	int i, rc = store_query_int(c, &q_meeting_insert, args, 8, &m->id, e);

	for (i = 0; !rc && i < m->nunits; i++) {
		struct store_val ua[] = {sv_int(m->id), sv_int(m->unit_ids[i])};

		rc = store_exec(c, &q_meeting_unit, ua, 2, NULL, e);
	}
	for (i = 0; !rc && i < m->nfiles; i++) {
		struct store_val fa[] = {sv_int(m->id), sv_int(m->file_ids[i])};

		rc = store_exec(c, &q_meeting_file, fa, 2, NULL, e);
	}
	for (i = 0; !rc && i < m->ndecisions; i++) {
		struct store_val da[] = {sv_int(m->id), sv_int(i + 1),
		                         sv_text(m->decisions[i].text)};

		m->decisions[i].seq = i + 1;
		rc = store_query_int(c, &q_decision_insert, da, 3, &m->decisions[i].id, e);
	}
	return rc;
}

/* Units, files and decisions of m. */
static int meeting_parts(struct store_conn *c, struct meeting *m, struct arena *a, struct error *e)
{
	struct store_val args[] = {sv_int(m->id)};
	struct store_rows *r;
	int rc;

	m->unit_ids = arena_alloc(a, 200 * sizeof(*m->unit_ids));
	m->unit_names = arena_alloc(a, 200 * sizeof(*m->unit_names));
	m->file_ids = arena_alloc(a, PLAN_MAX_FILES * sizeof(*m->file_ids));
	m->decisions = arena_alloc(a, MEETING_MAX_DECISIONS * sizeof(*m->decisions));
	m->nunits = m->nfiles = m->ndecisions = 0;
	if ((rc = store_query(c, &q_meeting_units, args, 1, &r, e)) != 0)
		return rc;
	while ((rc = store_next(r)) > 0)
		if (m->nunits < 200) {
			m->unit_ids[m->nunits] = store_int(r, 0);
			m->unit_names[m->nunits++] = arena_strdup(a, store_text(r, 1));
		}
	store_finish(r);
	if (rc < 0 || (rc = store_query(c, &q_meeting_files, args, 1, &r, e)) != 0)
		return rc < 0 ? error_set(e, rc, NULL, NULL) : rc;
	while ((rc = store_next(r)) > 0)
		if (m->nfiles < PLAN_MAX_FILES)
			m->file_ids[m->nfiles++] = store_int(r, 0);
	store_finish(r);
	if (rc < 0 || (rc = store_query(c, &q_meeting_decisions, args, 1, &r, e)) != 0)
		return rc < 0 ? error_set(e, rc, NULL, NULL) : rc;
	while ((rc = store_next(r)) > 0)
		if (m->ndecisions < MEETING_MAX_DECISIONS) {
			struct meeting_decision *d = &m->decisions[m->ndecisions++];

			d->id = store_int(r, 0);
			d->seq = (int)store_int(r, 1);
			d->text = arena_strdup(a, store_text(r, 2));
			d->task_id = store_int(r, 3);
			d->task_title = arena_strdup(a, store_text(r, 4));
			d->task_unit_name = arena_strdup(a, store_text(r, 5));
			d->task_deadline = arena_strdup(a, store_text(r, 6));
			d->task_status = arena_strdup(a, store_text(r, 7));
			d->task_percent = (int)store_int(r, 8);
		}
	store_finish(r);
	return rc < 0 ? error_set(e, rc, NULL, NULL) : 0;
}

static int meetings_query(struct store_conn *c, const struct store_sql *q, struct store_val *args,
                          int nargs, struct arena *a, struct meeting **out, int *n, struct error *e)
{
	struct store_rows *r;
	struct meeting *list = NULL;
	int cap = 0, rc, i;

	*out = NULL;
	*n = 0;
	if ((rc = store_query(c, q, args, nargs, &r, e)) != 0)
		return rc;
	while ((rc = store_next(r)) > 0) {
		struct meeting *m;

		if (*n == cap) {
			struct meeting *bigger;

			cap = cap ? cap * 2 : 16;
			bigger = arena_alloc(a, (size_t)cap * sizeof(*bigger));
			if (*n)
				memcpy(bigger, list, (size_t)*n * sizeof(*bigger));
			list = bigger;
		}
		m = &list[(*n)++];
		memset(m, 0, sizeof(*m));
		m->id = store_int(r, 0);
		m->tenant_id = store_int(r, 1);
		m->kind = arena_strdup(a, store_text(r, 2));
		m->title = arena_strdup(a, store_text(r, 3));
		m->held_on = arena_strdup(a, store_text(r, 4));
		m->minutes = arena_strdup(a, store_text(r, 5));
		m->chair_id = store_int(r, 6);
		m->chair_name = arena_strdup(a, store_text(r, 7));
		m->created_by = store_int(r, 8);
		m->created_at = store_int(r, 9);
	}
	store_finish(r);
	if (rc < 0)
		return error_set(e, rc, NULL, NULL);
	for (i = 0; i < *n; i++)
		if ((rc = meeting_parts(c, &list[i], a, e)) != 0)
			return rc;
	*out = list;
	return 0;
}

static const struct scope everything = SCOPE_EVERYTHING;

int meeting_db_get(struct store_conn *c, int64_t tenant_id, const struct scope *s, int64_t id,
                   struct arena *a, struct meeting *out, struct error *e)
{
	struct store_val args[6];
	struct meeting *list;
	int n, rc;

	args[0] = sv_int(tenant_id);
	args[1] = sv_int(id);
	scope_args(s ? s : &everything, args + 2);
	if ((rc = meetings_query(c, &q_meeting_get, args, 6, a, &list, &n, e)) != 0)
		return rc;
	if (!n)
		return error_set(e, ERR_NOT_FOUND, NULL, "会议不存在");
	*out = list[0];
	return 0;
}

int meeting_db_list(struct store_conn *c, int64_t tenant_id, const struct scope *s, struct arena *a,
                    struct meeting **out, int *n, struct error *e)
{
	struct store_val args[5];

	args[0] = sv_int(tenant_id);
	scope_args(s ? s : &everything, args + 1);
	return meetings_query(c, &q_meeting_list, args, 5, a, out, n, e);
}

int meeting_db_decision_task(struct store_conn *c, int64_t id, int64_t task_id, struct error *e)
{
	struct store_val args[] = {sv_int(task_id), sv_int(id)};
	int64_t changes = 0;
	int rc = store_exec(c, &q_decision_task, args, 2, &changes, e);

	if (rc)
		return rc;
	return changes ? 0 : error_set(e, ERR_CONFLICT, NULL, "该议定事项已转为任务");
}

int plan_db_find_child(struct store_conn *c, int64_t tenant_id, int64_t parent_id,
                       enum plan_level level, const char *title, int64_t *id, struct error *e)
{
	struct store_val args[] = {sv_int(tenant_id), sv_int(parent_id),
	                           sv_text(plan_level_key(level)), sv_text(title)};

	return store_query_int(c, &q_find_child, args, 4, id, e);
}

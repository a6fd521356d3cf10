/*
 * plan_progress.c - the 进展情况表 (工作责任目标管理任务进展情况表) of a plan
 * as a printable workbook: one row per task and unit (the lead unit first)
 * with its newest report and its status.  GET /plans/{id}/progress.xlsx
 * answers it and a 通报 attaches it (bulletin/), so it is built here once.
 */
#include <string.h>

#include "plan/plan.h"
#include "spreadsheet/spreadsheet.h"

/* The newest report of (task, unit) among latest[0..n), or NULL. */
static const struct task_report *latest_of(const struct task_report *latest, int n, int64_t task_id,
                                           int64_t unit_id)
{
	int i;

	for (i = 0; i < n; i++)
		if (latest[i].task_id == task_id && latest[i].unit_id == unit_id)
			return &latest[i];
	return NULL;
}

#define PROGRESS_COLS 9

int plan_progress_xlsx(struct store_conn *c, const struct plan_node *nodes, int n,
                       const char *today, struct arena *a, void **data, size_t *len, int *nrows,
                       struct error *e)
{
	static const struct sheet_print_col cols[PROGRESS_COLS] = {
	    {"序号", 6, 'n'},      {"工程/行动", 22, 's'}, {"任务", 34, 's'},
	    {"包抓领导", 10, 's'}, {"牵头单位", 16, 's'},  {"责任单位", 16, 's'},
	    {"完成时限", 12, 'd'}, {"最新进展", 44, 's'},  {"状态", 11, 's'}};
	struct task_report *latest;
	const char **cells;
	const char *project = "", *action = "";
	int i, j, nlatest, rows = 0, cap = 0, rc;

	*data = NULL;
	*len = 0;
	if ((rc = report_db_latest(c, nodes[0].id, a, &latest, &nlatest, e)))
		return rc;
	for (i = 0; i < n; i++)
		if (nodes[i].level == PL_TASK)
			cap += 1 + nodes[i].nunits;
	cells = arena_calloc(a, (size_t)(cap ? cap : 1) * PROGRESS_COLS * sizeof(*cells));
	for (i = 1; i < n; i++) {
		const struct plan_node *t = &nodes[i];

		if (t->level == PL_PROJECT) {
			project = t->title;
			action = "";
		} else if (t->level == PL_ACTION) {
			action = t->title;
		}
		if (t->level != PL_TASK)
			continue;
		/* one row for the lead unit, then one per responsible unit */
		for (j = -1; j < t->nunits; j++) {
			int64_t unit = j < 0 ? t->lead_unit_id : t->unit_ids[j];
			const struct task_report *rep;
			const char **cl = &cells[(size_t)rows * PROGRESS_COLS];
			enum plan_progress st;

			if (!unit)
				continue;
			rep = latest_of(latest, nlatest, t->id, unit);
			st = plan_progress_of(rep ? rep->percent : -1, !strcmp(t->status, "done"),
			                      t->starts_on, t->deadline, today);
			cl[0] = arena_printf(a, "%d", rows + 1);
			cl[1] = *action ? arena_printf(a, "%s／%s", project, action) : project;
			cl[2] = t->title;
			cl[3] = t->leader_name;
			cl[4] = t->lead_unit_name;
			cl[5] = j < 0 ? "（牵头）" : t->unit_names[j];
			cl[6] = t->deadline;
			cl[7] =
			    rep ? arena_printf(a, "%d%%：%s", rep->percent, rep->text) : "未报送";
			cl[8] = plan_progress_title(st);
			rows++;
		}
	}
	if (nrows)
		*nrows = rows;
	return sheet_print_table("进展情况表", "工作责任目标管理任务进展情况表",
	                         arena_printf(a, "%s　　统计日期：%s", nodes[0].title, today), cols,
	                         PROGRESS_COLS, cells, rows, data, len, e);
}

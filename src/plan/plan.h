/*
 * plan.h - the task ledger (工作台账): action plans as a tree plan ->
 * project (工程) -> action (行动) -> task, each node with its 包抓领导 (a
 * user holding the leader role), lead unit, responsible units, start and
 * deadline; units' progress reports on tasks (every one kept) and the
 * 进展情况表 status of a task for a unit.  docs/plans.md says what a user
 * must know.
 *
 * Dates are calendar days "YYYY-MM-DD" of the tenant's calendar; "today"
 * comes from the caller (plan_today).  Storage is plan_db.c, the pure rules
 * plan.c, the endpoints api_plans.c and api_tasks.c.
 *
 * Task reads take the caller's plan:view scope matched against the task's
 * lead and responsible units (id or subtree) or its leader; outside it a
 * task is ERR_NOT_FOUND.  Writers expect the caller's write transaction.
 * Strings and arrays of returned structs come from the arena passed in.
 */
#ifndef WENMING_PLAN_H
#define WENMING_PLAN_H

#include <stdint.h>

#include <jansson.h>

#include "core/arena.h"
#include "core/err.h"

struct store_conn;
struct router;
struct scope;

#define PLAN_TITLE_MAX 200
#define PLAN_TEXT_MAX  2000
#define PLAN_MAX_UNITS 50
#define PLAN_MAX_NODES 2000
#define PLAN_MAX_FILES 9

enum plan_level { PL_PLAN, PL_PROJECT, PL_ACTION, PL_TASK };

/* "plan", "project", "action", "task". */
const char *plan_level_key(enum plan_level l);
/* 方案, 工程, 行动, 任务. */
const char *plan_level_title(enum plan_level l);
/* The level of a key; -1 when unknown. */
int plan_level_of(const char *key);

struct plan_node {
	int64_t id, tenant_id, plan_id, parent_id; /* plan_id, parent_id 0 on a plan */
	enum plan_level level;
	const char *title;
	int64_t leader_id; /* 0: none */
	const char *leader_name;
	int64_t lead_unit_id;
	const char *lead_unit_name;
	int nunits; /* responsible units, the lead unit not among them */
	int64_t *unit_ids;
	const char **unit_names;
	const char *starts_on, *deadline; /* "YYYY-MM-DD" or "" */
	const char *status;               /* active | done */
	const char *milestones, *expected;
	const char *rhythm; /* plan: weekly | monthly */
	int64_t sort;
	int64_t created_by, created_at, updated_at;
	/* tasks, filled by list reads: the newest report */
	int64_t last_report_at;
	int last_percent;
};

/* ---- rules (plan.c) ------------------------------------------------------- */

/* 1 when s is a real calendar date "YYYY-MM-DD". */
int plan_date_ok(const char *s);

/*
 * A date cell of an imported sheet as "YYYY-MM-DD" into out: an Excel serial
 * number (date1904: the workbook counts from 1904), "2026-03-31",
 * "2026/3/31", "2026.3.31" or "2026年3月31日".  Returns 0 or -1.
 */
int plan_date_cell(const char *cell, int date1904, char out[11]);

/* Today in the tenant's calendar (minutes east of UTC) as "YYYY-MM-DD". */
void plan_today(int64_t now_ms, int minutes, char out[11]);

/* Days from a to b (both "YYYY-MM-DD"): b - a. */
int plan_days_between(const char *a, const char *b);

/* 1 when task t is past its deadline on today and not done. */
int plan_overdue(const struct plan_node *t, const char *today);

enum plan_progress { PP_DONE, PP_ON_SCHEDULE, PP_BEHIND, PP_NOT_STARTED };

/* 已完成, 按进度推进, 滞后, 未启动. */
const char *plan_progress_title(enum plan_progress p);
const char *plan_progress_key(enum plan_progress p);

/*
 * The 进展情况表 status of a task for one unit (docs/plans.md): percent is
 * that unit's latest reported percent (-1: never reported); done: the task
 * is marked done.  Against the share of time elapsed between starts_on and
 * deadline, a unit is on schedule while percent >= elapsed share - 10 points.
 */
enum plan_progress plan_progress_of(int percent, int done, const char *starts_on,
                                    const char *deadline, const char *today);

/* "weekly" -> 7, "monthly" -> 31 days between reports; 0 otherwise. */
int plan_rhythm_days(const char *rhythm);

/*
 * 1 when task t is due a report at now (today its day): started, not done,
 * and its newest report (or its start, without one) more than one period
 * of rhythm ago.
 */
int plan_report_missing(const struct plan_node *t, const char *rhythm, const char *today,
                        int64_t now);

/* ---- storage (plan_db.c) -------------------------------------------------- */

/* Insert n (n->id set) and its lead and responsible units. */
int plan_db_insert(struct store_conn *c, struct plan_node *n, struct error *e);

/* Write title, leader, units, dates, status, milestones, expected, rhythm of n. */
int plan_db_update(struct store_conn *c, const struct plan_node *n, struct error *e);

/* Delete node id of the tenant and everything below it. */
int plan_db_delete(struct store_conn *c, int64_t tenant_id, int64_t id, struct error *e);

/* One node; a task must lie within scope s (NULL: the whole tenant). */
int plan_db_get(struct store_conn *c, int64_t tenant_id, const struct scope *s, int64_t id,
                struct arena *a, struct plan_node *out, struct error *e);

/*
 * The plan id and every node of it in tree order (parents first, siblings by
 * sort and id); tasks outside scope s (NULL: every one) are left out.
 */
int plan_db_tree(struct store_conn *c, int64_t tenant_id, const struct scope *s, int64_t plan_id,
                 struct arena *a, struct plan_node **out, int *n, struct error *e);

/* The plans of the tenant, newest first (only their own fields). */
int plan_db_plans(struct store_conn *c, int64_t tenant_id, struct arena *a, struct plan_node **out,
                  int *n, struct error *e);

struct plan_task_filter {
	const struct scope *scope;
	int64_t plan_id;            /* 0: any */
	int64_t unit_id;            /* 0: any; else tasks it leads or is responsible for */
	int64_t leader_id;          /* 0: any */
	const char *overdue_before; /* non-NULL: deadline before this day and not done */
	int64_t offset, limit;
};

/* Tasks by deadline, with their newest report, and how many match. */
int plan_db_tasks(struct store_conn *c, int64_t tenant_id, const struct plan_task_filter *f,
                  struct arena *a, struct plan_node **out, int *n, int64_t *total, struct error *e);

/*
 * How many tasks within s are due a report at now (plan_report_missing,
 * with the rhythm of each task's plan) into *n.
 */
int plan_tasks_report_missing(struct store_conn *c, int64_t tenant_id, const struct scope *s,
                              const char *today, int64_t now, int64_t *n, struct error *e);

/* *ok = 1 when user_id of the tenant is enabled and holds the leader role. */
int plan_db_is_leader(struct store_conn *c, int64_t tenant_id, int64_t user_id, int *ok,
                      struct error *e);

struct plan_leader {
	int64_t id;
	const char *username, *name;
};

/* The enabled users holding the leader role in the tenant. */
int plan_db_leaders(struct store_conn *c, int64_t tenant_id, struct arena *a,
                    struct plan_leader **out, int *n, struct error *e);

/* ---- progress reports ---------------------------------------------------- */

#define REPORT_TEXT_MAX 2000

struct task_report {
	int64_t id, tenant_id, task_id, unit_id, user_id;
	const char *unit_name, *user_name;
	int percent;
	const char *text, *problems;
	const char *comment, *comment_by_name;
	int64_t comment_by, comment_at, created_at;
	int nfiles;
	int64_t *file_ids;
};

/* Insert r (r->id set) with its files. */
int report_db_insert(struct store_conn *c, struct task_report *r, struct error *e);

/* The reports of a task, newest first. */
int report_db_list(struct store_conn *c, int64_t task_id, struct arena *a, struct task_report **out,
                   int *n, struct error *e);

/* One report of task_id; ERR_NOT_FOUND otherwise. */
int report_db_get(struct store_conn *c, int64_t task_id, int64_t id, struct arena *a,
                  struct task_report *out, struct error *e);

/* Set the office's comment on a report. */
int report_db_comment(struct store_conn *c, int64_t id, const char *comment, int64_t by, int64_t at,
                      struct error *e);

/* The newest report of each (task, unit) of a plan: *out[i] with task_id and unit_id. */
int report_db_latest(struct store_conn *c, int64_t plan_id, struct arena *a,
                     struct task_report **out, int *n, struct error *e);

/*
 * The 进展情况表 of a plan (nodes[0..n) as plan_db_tree gives them) on day
 * today as a printable .xlsx: *data malloc'd (the caller frees it), *len,
 * *nrows (may be NULL) the rows written (plan_progress.c).
 */
int plan_progress_xlsx(struct store_conn *c, const struct plan_node *nodes, int n,
                       const char *today, struct arena *a, void **data, size_t *len, int *nrows,
                       struct error *e);

/* ---- the domain functions other modules and the demo call (plan_ops.c) ---- */

/*
 * Check n's fields against the tenant (leader role, units exist, dates,
 * level under its parent); messages name the field.
 */
int plan_node_check(struct store_conn *c, const struct plan_node *n, struct error *e);

/*
 * Record a unit's progress on task (checked: percent 0..100, text, the unit
 * is the task's lead or responsible unit, files are the tenant's).
 */
int plan_report_add(struct store_conn *c, const struct plan_node *task, struct task_report *r,
                    struct error *e);

/* ---- meetings (meeting_db.c, api_meetings.c) ------------------------------ */

#define MEETING_MAX_DECISIONS 50

/* weekly 周例会, joint 联席会议, dispatch 调度会, onsite 现场推进会; NULL when unknown. */
const char *meeting_kind_title(const char *kind);

struct meeting_decision {
	int64_t id;
	int seq;
	const char *text;
	int64_t task_id; /* 0 until it became a task */
	const char *task_title, *task_unit_name, *task_deadline, *task_status;
	int task_percent; /* -1: no report yet */
};

struct meeting {
	int64_t id, tenant_id;
	const char *kind, *title, *held_on, *minutes;
	int64_t chair_id;
	const char *chair_name;
	int64_t created_by, created_at;
	int nunits;
	int64_t *unit_ids;
	const char **unit_names;
	int nfiles;
	int64_t *file_ids;
	int ndecisions;
	struct meeting_decision *decisions;
};

/* Insert m with its attending units, files and decisions (ids set). */
int meeting_db_insert(struct store_conn *c, struct meeting *m, struct error *e);

/* One meeting within scope s (attending unit or creator; NULL: all), with everything. */
int meeting_db_get(struct store_conn *c, int64_t tenant_id, const struct scope *s, int64_t id,
                   struct arena *a, struct meeting *out, struct error *e);

/* The meetings within scope s, newest first (units and decisions included). */
int meeting_db_list(struct store_conn *c, int64_t tenant_id, const struct scope *s, struct arena *a,
                    struct meeting **out, int *n, struct error *e);

/* Record that decision id became task_id; ERR_CONFLICT when it already had one. */
int meeting_db_decision_task(struct store_conn *c, int64_t id, int64_t task_id, struct error *e);

/* The child of parent_id with this level and title (*id 0 when none). */
int plan_db_find_child(struct store_conn *c, int64_t tenant_id, int64_t parent_id,
                       enum plan_level level, const char *title, int64_t *id, struct error *e);

/*
 * Make decision d of meeting m a task of plan_id owned by unit_id with
 * deadline (and leader_id, 0: none): under the project and action
 * "会议议定事项" of the plan (made when missing); task->id set.
 */
int meeting_decision_to_task(struct store_conn *c, const struct meeting *m,
                             const struct meeting_decision *d, int64_t plan_id, int64_t unit_id,
                             const char *deadline, int64_t leader_id, int64_t by, int64_t now,
                             struct plan_node *task, struct error *e);

/* *ok = 1 when file_id is attached to a report of a task or to a meeting within scope s. */
int plan_db_file_readable(struct store_conn *c, int64_t tenant_id, const struct scope *s,
                          int64_t file_id, int *ok, struct error *e);

/* The routes: what routes.c calls. */
void plan_routes(struct router *rt);

#endif

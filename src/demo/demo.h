/* demo.h - the demo county generator (`wenming demo`). */
#ifndef WENMING_DEMO_H
#define WENMING_DEMO_H

#include <stdio.h>

#include "core/err.h"

struct store_conn;

/*
 * Fill the first tenant as 示例县 unless it already has units, and print the
 * generated demo password to out.  One transaction: all or nothing.
 */
int demo_run(struct store_conn *c, FILE *out, struct error *e);

struct demo_eval_counts {
	int projects, contents, standards, checklist_items;
};

/*
 * The demo county's evaluation framework (7 projects, 58 contents, 118
 * standards, parts 40 / 20 / 40; a 负面清单, the minors' part and local
 * features) and a checklist for every point type, activated; in the
 * caller's transaction, after the master data (demo_eval.c).
 */
#include <stdint.h>
int demo_eval_fill(struct store_conn *c, int64_t tenant_id, struct demo_eval_counts *counts,
                   struct error *e);

struct demo_plan_counts {
	int projects, actions, tasks, reports, meetings;
};

/*
 * The demo county's action plan (5 projects, 12 actions, 60 tasks), three
 * months of progress reports before now and two meetings; in the caller's transaction, after
 * the units and leader accounts (demo_plan.c).
 */
int demo_plan_fill(struct store_conn *c, int64_t tenant_id, int64_t now,
                   struct demo_plan_counts *counts, struct error *e);

/*
 * The demo county's resident questionnaire: a 16-item survey in two waves
 * with about 1,500 responses across the communities, a few of them weak;
 * in the caller's transaction, after the framework (demo_survey.c).
 */
struct store_conn;
int demo_survey_fill(struct store_conn *c, int64_t tenant_id, int *responses, struct error *e);

#endif

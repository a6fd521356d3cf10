/* demo.h - the demo county generator (`wenming demo`). */
#ifndef WENMING_DEMO_H
#define WENMING_DEMO_H

#include <stdio.h>

#include "core/err.h"

struct store_conn;

#include <stdint.h>

/* How `wenming demo` runs. */
struct demo_options {
	int empty;            /* 1: units and accounts only, nothing played (--empty) */
	uint64_t seed;        /* drives every choice of the played months */
	const char *data_dir; /* where SQLite's photos go (blob_fs) */
	int store_kind;       /* enum store_kind: where photos go */
};

/*
 * Fill the first tenant as 示例县 unless it already has units, play its
 * last ninety days unless o->empty, and print the generated demo password
 * to out.  One transaction: all or nothing.
 */
int demo_run(struct store_conn *c, const struct demo_options *o, FILE *out, struct error *e);

struct demo_play_counts {
	int problems, photos, sheets, sheets_signed, rounds, records, steps;
};

/*
 * Play the campaign's ninety days up to end (ms) on the filled tenant
 * (demo_play.c): problems from every source through the whole loop, weekly
 * 交办单, two 模拟测评 a month apart and a 日常督查 in progress, each step as
 * the user who takes it.  In the caller's transaction.
 */
int demo_play_run(struct store_conn *c, int64_t tenant_id, const struct demo_options *o,
                  int64_t end, struct demo_play_counts *out, struct error *e);

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

struct demo_announcement_counts {
	int notices, reads, replies, documents, pledges, confirmed;
};

/*
 * The demo county's notices with readings and 回执, archive requirements
 * partly filed and this year's 责任书 mostly confirmed; in the caller's
 * transaction, after the units and users (demo_announcement.c).
 */
int demo_announcement_fill(struct store_conn *c, int64_t tenant_id, int64_t now,
                           struct demo_announcement_counts *counts, struct error *e);

/*
 * The demo county's online materials: 189 items on the active framework's
 * materials standards with versions, reviews and files (demo_materials.c);
 * in the caller's transaction, after the framework.  *items = how many.
 */
int demo_materials_fill(struct store_conn *c, int64_t tenant_id, int *items, struct error *e);

/*
 * The demo county's resident questionnaire: a 16-item survey in two waves
 * with about 1,500 responses across the communities, a few of them weak;
 * in the caller's transaction, after the framework (demo_survey.c).
 */
struct store_conn;
int demo_survey_fill(struct store_conn *c, int64_t tenant_id, int *responses, struct error *e);

/*
 * Three published monthly assessments (the months before the current one)
 * with adjustments, and a 问责 record, in the caller's transaction, after the
 * ninety days are played (demo_assess.c).
 */
int demo_assess_fill(struct store_conn *c, int64_t tenant_id, int64_t now, struct error *e);

/*
 * The 通报 for last month, drafted by office01 through the bulletin module
 * and issued to the departments, towns and communities as an announcement
 * (demo_bulletin.c); in the caller's transaction, after the assessments.
 */
int demo_bulletin_fill(struct store_conn *c, int64_t tenant_id, const struct demo_options *o,
                       int64_t now, struct error *e);

/*
 * The demo county's 驾驶舱: keeps the current week's predicted figures for
 * the trend (demo_dashboard.c); in the caller's transaction, after the play.
 */
int demo_dashboard_fill(struct store_conn *c, int64_t tenant_id, int64_t now, struct error *e);

#endif

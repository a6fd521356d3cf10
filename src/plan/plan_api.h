/*
 * plan_api.h - what the plan endpoints (api_plans.c, api_plan_sheets.c,
 * api_tasks.c) share: the node's JSON, the caller's scope and calendar.
 */
#ifndef WENMING_PLAN_API_H
#define WENMING_PLAN_API_H

#include <jansson.h>

#include "plan/plan.h"

struct req;
struct scope;

#define PLAN_IMPORT_MAX_BODY (10L << 20)

/* The node as the API shows it, with overdue and days_left against today. */
json_t *plan_node_json(const struct plan_node *n, const char *today);

/* The nodes (tree order, nodes[0] the plan) nested as projects -> actions -> tasks. */
json_t *plan_tree_json(const struct plan_node *nodes, int n, const char *today);

/* Today in the caller's tenant calendar. */
void plan_api_today(struct req *r, char out[11]);

/* The caller's plan:view scope. */
void plan_api_scope(struct req *r, struct scope *s);

void plan_sheet_routes(struct router *rt);
void plan_task_routes(struct router *rt);
void plan_meeting_routes(struct router *rt);

#endif

/*
 * api_plan_sheets.c - plans in and out of Excel: the import of the office's
 * 实施方案 sheet (one row per project, action or task; every row checked, all
 * or nothing, leaders and units matched by name or login in the tenant), its
 * template, the export back in the same layout, and the 进展情况表
 * (progress.xlsx: one row per unit and task, ready to print).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "auth/auth.h"
#include "core/clock.h"
#include "core/utf8.h"
#include "http/multipart.h"
#include "http/reply.h"
#include "http/req.h"
#include "http/router.h"
#include "org/org.h"
#include "plan/plan.h"
#include "plan/plan_api.h"
#include "spreadsheet/spreadsheet.h"
#include "store/store.h"

enum {
	PC_PROJECT,
	PC_ACTION,
	PC_TASK,
	PC_LEADER,
	PC_LEAD_UNIT,
	PC_UNITS,
	PC_STARTS,
	PC_DEADLINE,
	PC_MILESTONES,
	PC_EXPECTED,
	PC_NCOLS
};

static const struct sheet_column plan_columns[PC_NCOLS] = {
    {"工程", 1, 's', "所属工程；与上一行相同时可留空"},
    {"行动", 0, 's', "所属行动；与上一行相同时可留空；只填工程的行描述工程本身"},
    {"任务", 0, 's', "具体任务；留空时本行描述工程或行动本身"},
    {"包抓领导", 0, 's', "具有领导角色的用户姓名或登录账号"},
    {"牵头单位", 0, 's', "单位名称或完整路径"},
    {"责任单位", 0, 's', "多个单位用“、”分隔"},
    {"开始日期", 0, 's', "如 2026-03-01"},
    {"完成时限", 0, 's', "如 2026-06-30；任务必填"},
    {"阶段目标", 0, 's', NULL},
    {"预期成效", 0, 's', NULL},
};

/* ---- import ------------------------------------------------------------------------ */

struct import_ctx {
	struct req *r;
	json_t *errors;
	struct unit *units;
	int nunits;
	struct plan_leader *leaders;
	int nleaders;
	int date1904;
};

static int64_t match_leader(struct import_ctx *x, int row, const char *text)
{
	int64_t id = 0;
	int i, hits = 0;

	if (!*text)
		return 0;
	for (i = 0; i < x->nleaders; i++)
		if (!strcmp(x->leaders[i].username, text) || !strcmp(x->leaders[i].name, text)) {
			if (id != x->leaders[i].id)
				hits++;
			id = x->leaders[i].id;
		}
	if (hits == 1)
		return id;
	if (hits > 1)
		org_import_error(x->errors, row, "包抓领导", "有多位领导名为“%s”，请填写登录账号",
		                 text);
	else
		org_import_error(x->errors, row, "包抓领导",
		                 "找不到包抓领导“%s”（须为具有领导角色的用户姓名或登录账号）",
		                 text);
	return 0;
}

static int64_t match_unit(struct import_ctx *x, int row, const char *field, const char *text)
{
	int matches = 0, i;

	if (!*text)
		return 0;
	i = unit_find(x->units, x->nunits, text, &matches, &x->r->arena);
	if (matches == 1)
		return x->units[i].id;
	org_import_error(x->errors, row, field,
	                 matches ? "有多个单位名为“%s”，请写完整路径" : "找不到单位“%s”", text);
	return 0;
}

/* Split "A、B，C" into units of n; 、，；,; separate. */
static void match_units(struct import_ctx *x, int row, const char *text, struct plan_node *n)
{
	char *copy = arena_strdup(&x->r->arena, text), *p = copy, *start = copy;

	n->nunits = 0;
	n->unit_ids = arena_alloc(&x->r->arena, PLAN_MAX_UNITS * sizeof(*n->unit_ids));
	for (;;) {
		size_t sep = 0;

		if (!*p || *p == ',' || *p == ';')
			sep = *p ? 1 : 0;
		else if (!strncmp(p, "、", 3) || !strncmp(p, "，", 3) || !strncmp(p, "；", 3))
			sep = 3;
		if (sep || !*p) {
			int end = !*p, j, dup = 0;
			int64_t id;

			*p = '\0';
			while (*start == ' ')
				start++;
			if (*start && (id = match_unit(x, row, "责任单位", start)) != 0) {
				for (j = 0; j < n->nunits; j++)
					dup |= n->unit_ids[j] == id;
				if (!dup && n->nunits < PLAN_MAX_UNITS)
					n->unit_ids[n->nunits++] = id;
			}
			if (end)
				break;
			p += sep;
			start = p;
		} else {
			p++;
		}
	}
}

static const char *date_of(struct import_ctx *x, int row, const char *field, const char *text)
{
	char ymd[11];

	if (!*text)
		return "";
	if (plan_date_cell(text, x->date1904, ymd)) {
		org_import_error(x->errors, row, field, "“%s”不是日期（如 2026-06-30）", text);
		return "";
	}
	return arena_strdup(&x->r->arena, ymd);
}

struct import_row {
	int number;
	struct plan_node node;
	int parent; /* index into rows, -1: the plan */
};

/* POST /plans/import?title=&rhythm= (multipart "file"): the whole plan or nothing. */
static int plans_import(struct req *r)
{
	const char *title = req_query(r, "title"), *rhythm = req_query(r, "rhythm");
	const char *names[PC_NCOLS], *filename = "", *cur_project = "", *cur_action = "";
	struct import_ctx x;
	struct import_row *rows;
	struct plan_node plan;
	struct sheet sh = SHEET_INIT;
	struct error e;
	const void *data;
	size_t len;
	int col[PC_NCOLS], i, k, nrows = 0, projects = 0, actions = 0, tasks = 0, rc;
	int proj_at = -1, act_at = -1;
	int64_t now = time_now_ms();

	memset(&x, 0, sizeof(x));
	x.r = r;
	error_init(&e);
	if (!title || !*title)
		title = "导入的行动方案";
	if (!rhythm || !*rhythm)
		rhythm = "monthly";
	if (utf8_chars(title) > PLAN_TITLE_MAX)
		return req_fail(r, ERR_INVALID, "title", "方案名称不能超过 %d 个字",
		                PLAN_TITLE_MAX);
	if (req_multipart_file(r, "file", &data, &len, &filename, &e) ||
	    sheet_read(data, len, filename, &sh, &e)) {
		sheet_release(&sh);
		return req_fail_error(r, &e);
	}
	if (!req_db(r)) {
		sheet_release(&sh);
		return r->err.code;
	}
	x.date1904 = sh.date1904;
	x.errors = json_array();
	for (i = 0; i < PC_NCOLS; i++)
		names[i] = plan_columns[i].header;
	if (org_import_header(&sh, names, PC_NCOLS, 1, col, x.errors)) {
		sheet_release(&sh);
		return http_reply_import_errors(r, x.errors);
	}
	if (unit_all(r->db, r->who->tenant_id, &r->arena, &x.units, &x.nunits, &e) ||
	    plan_db_leaders(r->db, r->who->tenant_id, &r->arena, &x.leaders, &x.nleaders, &e)) {
		sheet_release(&sh);
		json_decref(x.errors);
		return req_fail_error(r, &e);
	}
	rows = arena_calloc(&r->arena, (size_t)sh.nrows * sizeof(*rows));
	for (i = 1; i < sh.nrows; i++) {
		const struct sheet_row *row = &sh.rows[i];
		const char *cell[PC_NCOLS];
		struct import_row *ir;

		for (k = 0; k < PC_NCOLS; k++)
			cell[k] = col[k] >= 0 ? sheet_cell(row, col[k]) : "";
		if (*cell[PC_PROJECT] && strcmp(cell[PC_PROJECT], cur_project)) {
			/* a new project: a row of its own or the first row of its actions */
			cur_project = cell[PC_PROJECT];
			cur_action = "";
			act_at = -1;
			proj_at = -1;
		}
		if (!*cur_project) {
			org_import_error(x.errors, row->number, "工程", "第一行数据须填写所属工程");
			continue;
		}
		if (*cell[PC_ACTION] && strcmp(cell[PC_ACTION], cur_action)) {
			cur_action = cell[PC_ACTION];
			act_at = -1;
		}
		if (proj_at < 0) { /* the project node */
			ir = &rows[nrows];
			ir->number = row->number;
			ir->parent = -1;
			ir->node.level = PL_PROJECT;
			ir->node.title = cur_project;
			proj_at = nrows++;
			projects++;
		}
		if (*cur_action && act_at < 0) {
			ir = &rows[nrows];
			ir->number = row->number;
			ir->parent = proj_at;
			ir->node.level = PL_ACTION;
			ir->node.title = cur_action;
			act_at = nrows++;
			actions++;
		}
		if (*cell[PC_TASK]) {
			if (act_at < 0) {
				org_import_error(x.errors, row->number, "行动",
				                 "任务须属于一个行动");
				continue;
			}
			if (!*cell[PC_DEADLINE])
				org_import_error(x.errors, row->number, "完成时限",
				                 "任务须填写完成时限");
			ir = &rows[nrows];
			ir->number = row->number;
			ir->parent = act_at;
			ir->node.level = PL_TASK;
			ir->node.title = cell[PC_TASK];
			nrows++;
			tasks++;
		} else {
			if (*cell[PC_ACTION])
				ir = &rows[act_at];
			else if (*cell[PC_PROJECT])
				ir = &rows[proj_at];
			else
				ir = &rows[act_at >= 0 ? act_at : proj_at];
		}
		/* this row's attributes go to the node it describes */
		ir->node.leader_id = match_leader(&x, row->number, cell[PC_LEADER]);
		ir->node.lead_unit_id = match_unit(&x, row->number, "牵头单位", cell[PC_LEAD_UNIT]);
		match_units(&x, row->number, cell[PC_UNITS], &ir->node);
		ir->node.starts_on = date_of(&x, row->number, "开始日期", cell[PC_STARTS]);
		ir->node.deadline = date_of(&x, row->number, "完成时限", cell[PC_DEADLINE]);
		ir->node.milestones = cell[PC_MILESTONES];
		ir->node.expected = cell[PC_EXPECTED];
		ir->node.status = "active";
		ir->node.rhythm = "";
		ir->number = row->number;
	}
	for (i = 0; i < nrows; i++) /* nodes only named by later rows have no attributes */
		if (!rows[i].node.starts_on) {
			rows[i].node.starts_on = rows[i].node.deadline = "";
			rows[i].node.milestones = rows[i].node.expected = "";
			rows[i].node.status = "active";
			rows[i].node.rhythm = "";
			rows[i].node.unit_ids = arena_alloc(&r->arena, sizeof(int64_t));
		}
	if (json_array_size(x.errors)) {
		sheet_release(&sh);
		return http_reply_import_errors(r, x.errors);
	}
	memset(&plan, 0, sizeof(plan));
	plan.level = PL_PLAN;
	plan.tenant_id = r->who->tenant_id;
	plan.title = title;
	plan.starts_on = plan.deadline = plan.milestones = plan.expected = "";
	plan.status = "active";
	plan.rhythm = rhythm;
	plan.unit_ids = arena_alloc(&r->arena, sizeof(int64_t));
	plan.created_by = r->who->user_id;
	plan.created_at = plan.updated_at = now;
	if (store_begin(r->db, 1, &e)) {
		sheet_release(&sh);
		json_decref(x.errors);
		return req_fail_error(r, &e);
	}
	rc = plan_node_check(r->db, &plan, &e);
	if (!rc)
		rc = plan_db_insert(r->db, &plan, &e);
	for (i = 0; !rc && i < nrows; i++) {
		struct plan_node *n = &rows[i].node;
		struct error ne;

		n->tenant_id = plan.tenant_id;
		n->plan_id = plan.id;
		n->parent_id = rows[i].parent < 0 ? plan.id : rows[i].node.parent_id;
		if (rows[i].parent >= 0)
			n->parent_id = rows[rows[i].parent].node.id;
		n->sort = i;
		n->created_by = r->who->user_id;
		n->created_at = n->updated_at = now;
		error_init(&ne);
		if (plan_node_check(r->db, n, &ne)) {
			if (ne.code != ERR_INVALID) {
				rc = error_set(&e, ne.code, NULL, "%s", ne.message);
				break;
			}
			org_import_error(x.errors, rows[i].number, plan_level_title(n->level),
			                 "%s：%s", n->title, ne.message);
			continue;
		}
		rc = plan_db_insert(r->db, n, &e);
	}
	sheet_release(&sh);
	if (!rc && json_array_size(x.errors)) {
		store_rollback(r->db);
		return http_reply_import_errors(r, x.errors);
	}
	json_decref(x.errors);
	if (!rc)
		rc = req_audit(r, r->db, "plan.import", "plan", plan.id,
		               json_pack("{s:s, s:s, s:i, s:i, s:i}", "title", title, "file",
		                         filename, "projects", projects, "actions", actions,
		                         "tasks", tasks));
	if (req_tx_end(r, r->db, rc, &e))
		return r->err.code;
	return req_reply_json(r, 200,
	                      json_pack("{s:I, s:i, s:i, s:i, s:i, s:[]}", "plan_id",
	                                (json_int_t)plan.id, "imported", nrows, "projects",
	                                projects, "actions", actions, "tasks", tasks, "errors"));
}

/* GET /plans/import/template */
static int plans_template(struct req *r)
{
	static const char *const example[PC_NCOLS] = {
	    "城市环境提升工程", "背街小巷整治行动", "完成 20 条背街小巷路面硬化",
	    "leader01",         "县住建局",         "城关街道、东城街道",
	    "2026-03-01",       "2026-06-30",       "4 月底完成 10 条",
	    "路面平整、无积水"};
	struct error e;
	void *data;
	size_t len;

	error_init(&e);
	if (sheet_template("行动方案", plan_columns, PC_NCOLS, example, &data, &len, &e))
		return req_fail_error(r, &e);
	return http_reply_xlsx(r, data, len, "plan-template", "行动方案导入模板");
}

/* The plan {id} as the whole tenant sees it (exports are for plan:view at tenant level). */
static int load_tree(struct req *r, struct plan_node **nodes, int *n)
{
	struct scope s;
	struct error e;
	int64_t id;

	if (req_param_id(r, "id", &id) || !req_db(r))
		return r->err.code;
	plan_api_scope(r, &s);
	error_init(&e);
	if (plan_db_tree(r->db, r->who->tenant_id, &s, id, &r->arena, nodes, n, &e))
		return req_fail_error(r, &e);
	return 0;
}

static const char *units_text(struct req *r, const struct plan_node *n)
{
	struct strbuf sb = STRBUF_INIT;
	const char *out;
	int i;

	for (i = 0; i < n->nunits; i++)
		strbuf_addf(&sb, "%s%s", i ? "、" : "", n->unit_names[i]);
	out = arena_strdup(&r->arena, sb.buf ? sb.buf : "");
	strbuf_release(&sb);
	return out;
}

/* GET /plans/{id}/export: the plan in the import layout. */
static int plans_export(struct req *r)
{
	const char *headers[PC_NCOLS];
	char types[PC_NCOLS + 1];
	struct plan_node *nodes;
	struct sheet_writer w;
	struct error e;
	const char *project = "", *action = "";
	int i, n, rc;

	if (load_tree(r, &nodes, &n))
		return r->err.code;
	for (i = 0; i < PC_NCOLS; i++)
		headers[i] = plan_columns[i].header;
	error_init(&e);
	/* dates are Excel dates; the import reads them back (plan_date_cell) */
	memset(types, 's', PC_NCOLS);
	types[PC_NCOLS] = '\0';
	types[PC_STARTS] = types[PC_DEADLINE] = 'd';
	rc = sheet_writer_init(&w, "行动方案", headers, PC_NCOLS, &e);
	for (i = 1; !rc && i < n; i++) {
		const struct plan_node *p = &nodes[i];
		const char *cells[PC_NCOLS];

		if (p->level == PL_PROJECT) {
			project = p->title;
			action = "";
		} else if (p->level == PL_ACTION) {
			action = p->title;
		}
		cells[PC_PROJECT] = project;
		cells[PC_ACTION] = p->level >= PL_ACTION ? action : "";
		cells[PC_TASK] = p->level == PL_TASK ? p->title : "";
		cells[PC_LEADER] = p->leader_name;
		cells[PC_LEAD_UNIT] = p->lead_unit_name;
		cells[PC_UNITS] = units_text(r, p);
		cells[PC_STARTS] = p->starts_on;
		cells[PC_DEADLINE] = p->deadline;
		cells[PC_MILESTONES] = p->milestones;
		cells[PC_EXPECTED] = p->expected;
		rc = sheet_writer_row_typed(&w, types, cells, &e);
	}
	return http_reply_export(
	    r, &w, rc, &e, "plan.export", "plan",
	    json_pack("{s:I, s:i}", "plan_id", (json_int_t)nodes[0].id, "rows", n - 1), "plan",
	    nodes[0].title);
}

/* ---- the 进展情况表 --------------------------------------------------------------- */

/* GET /plans/{id}/progress.xlsx (plan_progress.c builds it) */
static int plans_progress(struct req *r)
{
	struct plan_node *nodes;
	struct error e;
	char today[11];
	void *data;
	size_t len;
	int n, rows = 0;

	if (load_tree(r, &nodes, &n))
		return r->err.code;
	error_init(&e);
	plan_api_today(r, today);
	if (plan_progress_xlsx(r->db, nodes, n, today, &r->arena, &data, &len, &rows, &e))
		return req_fail_error(r, &e);
	if (http_audit_alone(
	        r, "plan.progress.export", "plan",
	        json_pack("{s:I, s:i}", "plan_id", (json_int_t)nodes[0].id, "rows", rows))) {
		free(data);
		return r->err.code;
	}
	return http_reply_xlsx(r, data, len, "progress", "进展情况表");
}

void plan_sheet_routes(struct router *rt)
{
	router_add(rt, "POST", "/api/v1/plans/import", plans_import, "plan:edit",
	           PLAN_IMPORT_MAX_BODY);
	router_add(rt, "GET", "/api/v1/plans/import/template", plans_template, "plan:edit", 0);
	router_add(rt, "GET", "/api/v1/plans/{id}/export", plans_export, "plan:view", 0);
	router_add(rt, "GET", "/api/v1/plans/{id}/progress.xlsx", plans_progress, "plan:view", 0);
}

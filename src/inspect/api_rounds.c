/*
 * api_rounds.c - /inspections: rounds of field inspection (日常督查, 暗访,
 * 模拟测评, 专项督查), choosing their points (all, chosen, or a seeded sample
 * per point type), sharing them among inspectors, progress, and the
 * checklists a phone caches before going out.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "core/clock.h"
#include "http/json_io.h"
#include "http/reply.h"
#include "http/req.h"
#include "http/router.h"
#include "inspect/inspect.h"
#include "inspect/inspect_api.h"
#include "master/master.h"
#include "org/org.h"
#include "store/store.h"

/* ---- reading a round ---------------------------------------------------------- */

int inspect_round_param(struct req *r, struct scope *s, struct round *x)
{
	struct error e;
	int64_t id;

	if (req_param_id(r, "id", &id) || !req_db(r))
		return r->err.code;
	inspect_round_scope(r, s);
	error_init(&e);
	if (round_get(r->db, r->who->tenant_id, s, id, &r->arena, x, &e))
		return req_fail_error(r, &e);
	return 0;
}

/* Reply with round x as scope s sees it. */
static int round_reply(struct req *r, const struct scope *s, int64_t id, int status)
{
	struct round x;
	struct round_inspector *ins;
	struct error e;
	int64_t done = 0, total = 0;
	int n;

	error_init(&e);
	if (round_get(r->db, r->who->tenant_id, NULL, id, &r->arena, &x, &e) ||
	    round_inspectors(r->db, id, s, &r->arena, &ins, &n, &e) ||
	    round_progress(r->db, id, s, &done, &total, &e))
		return req_fail_error(r, &e);
	return req_reply_json(r, status, round_json(&x, ins, n, done, total));
}

static int rounds_list(struct req *r)
{
	struct round_filter f;
	struct round *list;
	struct scope s;
	struct error e;
	int64_t total = 0;
	json_t *items;
	int i, n;

	memset(&f, 0, sizeof(f));
	f.keyword = req_query(r, "keyword");
	f.kind = req_query(r, "kind");
	f.status = req_query(r, "status");
	if (f.keyword && strlen(f.keyword) > 200)
		return req_fail(r, ERR_INVALID, "keyword", "关键字过长");
	if (f.kind && *f.kind && !round_kind_title(f.kind))
		return req_fail(r, ERR_INVALID, "kind", "类型应为 daily、covert、mock 或 special");
	if (f.status && *f.status && strcmp(f.status, "open") && strcmp(f.status, "closed"))
		return req_fail(r, ERR_INVALID, "status", "状态应为 open 或 closed");
	if (req_page(r, &f.offset, &f.limit) || http_query_id(r, "framework_id", &f.framework_id) ||
	    !req_db(r))
		return r->err.code;
	inspect_round_scope(r, &s);
	f.scope = &s;
	error_init(&e);
	if (round_list(r->db, r->who->tenant_id, &f, &r->arena, &list, &n, &total, &e))
		return req_fail_error(r, &e);
	items = json_array();
	for (i = 0; i < n; i++) {
		struct round_inspector *ins;
		int64_t done = 0, all = 0;
		int nins;

		if (round_inspectors(r->db, list[i].id, &s, &r->arena, &ins, &nins, &e) ||
		    round_progress(r->db, list[i].id, &s, &done, &all, &e)) {
			json_decref(items);
			return req_fail_error(r, &e);
		}
		json_array_append_new(items, round_json(&list[i], ins, nins, done, all));
	}
	return req_reply_json(r, 200,
	                      json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)total));
}

static int rounds_get(struct req *r)
{
	struct round x;
	struct scope s;

	if (inspect_round_param(r, &s, &x))
		return r->err.code;
	return round_reply(r, &s, x.id, 200);
}

/* ---- creating a round ------------------------------------------------------------ */

/* A "YYYY-MM-DD" date that exists. */
static int date_ok(const char *s)
{
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int y, m, d, n = 0;

	if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10 ||
	    y < 2000 || y > 2100 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return 0;
	return !(m == 2 && d == 29 && (y % 4 || (y % 100 == 0 && y % 400)));
}

/* title, starts_on, ends_on, note of body into x (required when create). */
static int round_text_fields(struct req *r, json_t *body, struct round *x, int create)
{
	struct error e;
	int req = create ? JF_REQUIRED : 0;

	error_init(&e);
	if (json_get_string(body, "title", req, 1, ROUND_TITLE_MAX, &x->title, &e) ||
	    json_get_string(body, "starts_on", req, 10, 10, &x->starts_on, &e) ||
	    json_get_string(body, "ends_on", req, 10, 10, &x->ends_on, &e) ||
	    json_get_string(body, "note", JF_NULLABLE, 0, RECORD_NOTE_MAX, &x->note, &e))
		return req_fail_error(r, &e);
	if (org_has_control(x->title))
		return req_fail(r, ERR_INVALID, "title", "名称不能包含换行等控制字符");
	if (!date_ok(x->starts_on))
		return req_fail(r, ERR_INVALID, "starts_on", "开始日期应为 YYYY-MM-DD");
	if (!date_ok(x->ends_on))
		return req_fail(r, ERR_INVALID, "ends_on", "结束日期应为 YYYY-MM-DD");
	if (strcmp(x->ends_on, x->starts_on) < 0)
		return req_fail(r, ERR_INVALID, "ends_on", "结束日期不能早于开始日期");
	return 0;
}

struct plan {
	struct round x;
	int64_t *inspectors;
	int ninspectors;
	struct point *points; /* the chosen points in visiting order */
	int npoints;
	int *inspector_of; /* index into inspectors per point */
	json_t *type_ids;
};

/* Grid code of a point for ordering: "" sorts last. */
struct order_ctx {
	const struct point *p;
	const char *grid_code, *type_code;
};

static int by_visit(const void *a, const void *b)
{
	const struct order_ctx *x = a, *y = b;
	int c;

	if (!*x->grid_code != !*y->grid_code)
		return *x->grid_code ? -1 : 1;
	if ((c = strcmp(x->grid_code, y->grid_code)) || (c = strcmp(x->type_code, y->type_code)))
		return c;
	return strcmp(x->p->code, y->p->code);
}

static int id_cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* Put the chosen points in visiting order and share them in blocks. */
static int plan_order(struct req *r, struct plan *p)
{
	struct grid_filter gf;
	struct type_filter tf = {NULL, -1, 0, 0};
	struct grid *grids;
	struct point_type *types;
	struct order_ctx *ctx;
	struct error e;
	int64_t total;
	int ng, nt, i, k;

	memset(&gf, 0, sizeof(gf));
	gf.enabled = -1;
	gf.limit = 100000;
	error_init(&e);
	if (grid_list(r->db, r->who->tenant_id, &gf, &r->arena, &grids, &ng, &total, &e) ||
	    point_type_list(r->db, r->who->tenant_id, &tf, &r->arena, &types, &nt, &total, &e))
		return req_fail_error(r, &e);
	ctx = arena_calloc(&r->arena, (size_t)(p->npoints + 1) * sizeof(*ctx));
	for (i = 0; i < p->npoints; i++) {
		ctx[i].p = &p->points[i];
		ctx[i].grid_code = ctx[i].type_code = "";
		for (k = 0; k < ng; k++)
			if (grids[k].id == p->points[i].grid_id)
				ctx[i].grid_code = grids[k].code;
		for (k = 0; k < nt; k++)
			if (types[k].id == p->points[i].type_id)
				ctx[i].type_code = types[k].code;
	}
	qsort(ctx, (size_t)p->npoints, sizeof(*ctx), by_visit);
	{
		struct point *ordered =
		    arena_calloc(&r->arena, (size_t)(p->npoints + 1) * sizeof(*ordered));

		for (i = 0; i < p->npoints; i++)
			ordered[i] = *ctx[i].p;
		p->points = ordered;
	}
	p->inspector_of = arena_calloc(&r->arena, (size_t)(p->npoints + 1) * sizeof(int));
	for (i = 0; i < p->npoints; i++)
		p->inspector_of[i] = share_block(i, p->npoints, p->ninspectors);
	return 0;
}

/*
 * per_type points of each point type (of type_ids when any) drawn from all
 * with the seed, type by type: the candidates of a type are its points by id.
 */
static void plan_sample(struct req *r, const struct point *all, int nall, const int64_t *type_ids,
                        int ntypes, struct plan *p)
{
	uint64_t seed = (uint64_t)p->x.seed;
	int64_t *ids = arena_calloc(&r->arena, (size_t)(nall + 1) * sizeof(int64_t));
	int64_t *drawn = arena_calloc(&r->arena, (size_t)(nall + 1) * sizeof(int64_t));
	int64_t *seen = arena_calloc(&r->arena, (size_t)(nall + 1) * sizeof(int64_t));
	int nseen = 0, j, k;

	for (k = 0; k < nall; k++) {
		int64_t type = all[k].type_id;
		int nids_type = 0, ndrawn;

		for (j = 0; j < nseen && seen[j] != type; j++)
			;
		if (j < nseen)
			continue;
		seen[nseen++] = type;
		if (ntypes && !bsearch(&type, type_ids, (size_t)ntypes, sizeof(int64_t), id_cmp))
			continue;
		for (j = k; j < nall; j++)
			if (all[j].type_id == type)
				ids[nids_type++] = all[j].id;
		qsort(ids, (size_t)nids_type, sizeof(int64_t), id_cmp);
		ndrawn =
		    sample_draw(ids, nids_type, (int)p->x.per_type, seed, (uint64_t)type, drawn);
		for (j = 0; j < ndrawn; j++) {
			int m;

			for (m = 0; all[m].id != drawn[j]; m++)
				;
			p->points[p->npoints++] = all[m];
		}
	}
}

/* The points of selection: all, chosen or a seeded sample per point type. */
static int plan_points(struct req *r, json_t *sel, struct plan *p)
{
	static const char *const keys[] = {"mode",     "point_ids", "point_type_ids",
	                                   "per_type", "seed",      NULL};
	struct point_filter pf;
	struct point *all;
	struct error e;
	int64_t *point_ids, *type_ids, total, seed = -1;
	int nall, nids, ntypes, i, k;

	if (!json_is_object(sel))
		return req_fail(r, ERR_INVALID, "selection", "请说明如何选择点位（selection）");
	error_init(&e);
	if (json_only_keys(sel, keys, &e) ||
	    json_get_string(sel, "mode", JF_REQUIRED, 1, 10, &p->x.mode, &e) ||
	    json_get_int(sel, "per_type", JF_NULLABLE, 1, 1000, &p->x.per_type, &e) ||
	    json_get_int(sel, "seed", JF_NULLABLE, 0, SEED_MAX, &seed, &e)) {
		return req_fail(r, e.code, arena_printf(&r->arena, "selection.%s", e.field), "%s",
		                e.message);
	}
	if (inspect_json_ids(r, sel, "point_ids", ROUND_MAX_POINTS, &point_ids, &nids) ||
	    inspect_json_ids(r, sel, "point_type_ids", 200, &type_ids, &ntypes))
		return r->err.code;
	if (strcmp(p->x.mode, "all") && strcmp(p->x.mode, "chosen") && strcmp(p->x.mode, "sample"))
		return req_fail(r, ERR_INVALID, "selection.mode",
		                "选择方式应为 all、chosen 或 sample");
	memset(&pf, 0, sizeof(pf));
	pf.enabled = 1;
	if (point_list(r->db, r->who->tenant_id, &pf, &r->arena, &all, &nall, &total, &e))
		return req_fail_error(r, &e);
	p->points = arena_calloc(&r->arena, (size_t)(nall + 1) * sizeof(*p->points));
	p->npoints = 0;
	if (ntypes)
		qsort(type_ids, (size_t)ntypes, sizeof(int64_t), id_cmp);
	p->type_ids = json_array();
	for (i = 0; i < ntypes; i++)
		json_array_append_new(p->type_ids, json_integer(type_ids[i]));
	p->x.point_type_ids = json_dumps(p->type_ids, JSON_COMPACT);
	{
		char *copy = arena_strdup(&r->arena, p->x.point_type_ids);

		free((char *)p->x.point_type_ids);
		p->x.point_type_ids = copy;
	}
	json_decref(p->type_ids);
	if (!strcmp(p->x.mode, "chosen")) {
		if (!nids)
			return req_fail(r, ERR_INVALID, "selection.point_ids", "请选择点位");
		for (i = 0; i < nids; i++) {
			for (k = 0; k < nall && all[k].id != point_ids[i]; k++)
				;
			if (k == nall)
				return req_fail(r, ERR_INVALID, "selection.point_ids",
				                "点位 %lld 不存在或已停用",
				                (long long)point_ids[i]);
			p->points[p->npoints++] = all[k];
		}
		p->x.per_type = 0;
		p->x.seed = 0;
		return 0;
	}
	for (i = 0; i < ntypes; i++) {
		struct point_type t;

		if (point_type_get(r->db, r->who->tenant_id, type_ids[i], &r->arena, &t, &e))
			return req_fail(r, ERR_INVALID, "selection.point_type_ids",
			                "点位类型 %lld 不存在", (long long)type_ids[i]);
	}
	if (!strcmp(p->x.mode, "all")) {
		for (k = 0; k < nall; k++)
			if (!ntypes || bsearch(&all[k].type_id, type_ids, (size_t)ntypes,
			                       sizeof(int64_t), id_cmp))
				p->points[p->npoints++] = all[k];
		p->x.per_type = 0;
		p->x.seed = 0;
		return 0;
	}
	if (!p->x.per_type)
		return req_fail(r, ERR_INVALID, "selection.per_type", "请填写每类点位抽取的数量");
	if (seed < 0) {
		uint64_t raw;

		randombytes_buf(&raw, sizeof(raw));
		seed = (int64_t)(raw & (uint64_t)SEED_MAX);
	}
	p->x.seed = seed;
	plan_sample(r, all, nall, type_ids, ntypes, p);
	return 0;
}

/* The whole body of POST /inspections (and /preview) into p. */
static int plan_read(struct req *r, json_t *body, struct plan *p)
{
	static const char *const keys[] = {"title",         "kind",      "framework_id",
	                                   "starts_on",     "ends_on",   "note",
	                                   "inspector_ids", "selection", NULL};
	struct framework f;
	struct error e;
	int i;

	memset(p, 0, sizeof(*p));
	p->x.note = "";
	error_init(&e);
	if (json_only_keys(body, keys, &e) ||
	    json_get_string(body, "kind", JF_REQUIRED, 1, 16, &p->x.kind, &e) ||
	    json_get_int(body, "framework_id", JF_NULLABLE, 1, INT64_MAX, &p->x.framework_id, &e))
		return req_fail_error(r, &e);
	if (!round_kind_title(p->x.kind))
		return req_fail(r, ERR_INVALID, "kind", "类型应为 daily、covert、mock 或 special");
	if (round_text_fields(r, body, &p->x, 1) ||
	    inspect_json_ids(r, body, "inspector_ids", ROUND_MAX_INSPECTORS, &p->inspectors,
	                     &p->ninspectors))
		return r->err.code;
	if (!p->ninspectors)
		return req_fail(r, ERR_INVALID, "inspector_ids", "请选择督查员");
	if (!req_db(r))
		return r->err.code;
	if (!p->x.framework_id &&
	    framework_active(r->db, r->who->tenant_id, &p->x.framework_id, &e))
		return req_fail(r, ERR_INVALID, "framework_id",
		                "还没有启用的测评体系，请选择测评体系");
	if (framework_get(r->db, r->who->tenant_id, p->x.framework_id, &r->arena, &f, &e))
		return req_fail(r, ERR_INVALID, "framework_id", "测评体系不存在");
	p->x.framework_name = f.name;
	for (i = 0; i < p->ninspectors; i++) {
		struct user u;

		if (user_get(r->db, r->who->tenant_id, NULL, p->inspectors[i], &r->arena, &u, &e) ||
		    !u.enabled)
			return req_fail(r, ERR_INVALID, "inspector_ids",
			                "督查员 %lld 不存在或已停用", (long long)p->inspectors[i]);
	}
	if (plan_points(r, json_object_get(body, "selection"), p))
		return r->err.code;
	if (!p->npoints)
		return req_fail(r, ERR_INVALID, "selection", "没有符合条件的点位");
	if (p->npoints > ROUND_MAX_POINTS)
		return req_fail(r, ERR_INVALID, "selection", "一个轮次最多 %d 个点位",
		                ROUND_MAX_POINTS);
	return plan_order(r, p);
}

static int rounds_preview(struct req *r)
{
	struct plan p;
	json_t *body, *points;
	int i;

	if (req_body_json(r, &body) || plan_read(r, body, &p))
		return r->err.code;
	r->audited = 1; /* a preview stores nothing: no audit row is owed */
	points = json_array();
	for (i = 0; i < p.npoints; i++) {
		const struct point *pt = &p.points[i];
		struct round_point rp;
		struct user u;
		struct error e;

		memset(&rp, 0, sizeof(rp));
		rp.point_id = pt->id;
		rp.code = pt->code;
		rp.name = pt->name;
		rp.type_id = pt->type_id;
		rp.type_name = pt->type_name;
		rp.grid_id = pt->grid_id;
		rp.grid_name = pt->grid_name;
		rp.unit_id = pt->unit_id;
		rp.unit_name = pt->unit_name;
		rp.has_location = pt->has_location;
		rp.lat = pt->lat;
		rp.lng = pt->lng;
		rp.address = pt->address;
		rp.inspector_id = p.inspectors[p.inspector_of[i]];
		error_init(&e);
		rp.inspector_name =
		    user_get(r->db, r->who->tenant_id, NULL, rp.inspector_id, &r->arena, &u, &e)
		        ? ""
		        : u.name;
		rp.sort = i + 1;
		json_array_append_new(points, round_point_json(&rp));
	}
	return req_reply_json(r, 200,
	                      json_pack("{s:I, s:i, s:o}", "seed", (json_int_t)p.x.seed, "total",
	                                p.npoints, "points", points));
}

static int rounds_create(struct req *r)
{
	struct plan p;
	struct scope s;
	struct error e;
	json_t *body;
	int rc, i;

	if (req_body_json(r, &body) || plan_read(r, body, &p))
		return r->err.code;
	p.x.created_by = r->who->user_id;
	error_init(&e);
	rc = store_begin(r->db, 1, &e);
	if (!rc)
		rc = round_insert(r->db, r->who->tenant_id, &p.x, &e);
	for (i = 0; !rc && i < p.ninspectors; i++)
		rc = round_add_inspector(r->db, p.x.id, p.inspectors[i], i, &e);
	for (i = 0; !rc && i < p.npoints; i++)
		rc = round_add_point(r->db, p.x.id, p.points[i].id, p.inspectors[p.inspector_of[i]],
		                     i + 1, &e);
	if (!rc)
		rc =
		    req_audit(r, r->db, "inspection.create", "inspection", p.x.id,
		              json_pack("{s:s, s:s, s:s, s:i, s:i, s:I}", "title", p.x.title,
		                        "kind", p.x.kind, "mode", p.x.mode, "points", p.npoints,
		                        "inspectors", p.ninspectors, "seed", (json_int_t)p.x.seed));
	if (req_tx_end(r, r->db, rc, &e))
		return r->err.code;
	inspect_round_scope(r, &s);
	return round_reply(r, &s, p.x.id, 201);
}

/* ---- changing a round ------------------------------------------------------------ */

static int rounds_update(struct req *r)
{
	static const char *const keys[] = {"title", "starts_on", "ends_on", "note", NULL};
	struct round x;
	struct scope s;
	struct error e;
	json_t *body;
	int rc;

	if (inspect_round_param(r, &s, &x) || req_body_json(r, &body))
		return r->err.code;
	error_init(&e);
	if (json_only_keys(body, keys, &e))
		return req_fail_error(r, &e);
	if (round_text_fields(r, body, &x, 0))
		return r->err.code;
	rc = store_begin(r->db, 1, &e);
	if (!rc)
		rc = round_update(r->db, &x, &e);
	if (!rc)
		rc = req_audit(r, r->db, "inspection.update", "inspection", x.id,
		               json_pack("{s:s, s:s, s:s}", "title", x.title, "starts_on",
		                         x.starts_on, "ends_on", x.ends_on));
	if (req_tx_end(r, r->db, rc, &e))
		return r->err.code;
	return round_reply(r, &s, x.id, 200);
}

static int rounds_delete(struct req *r)
{
	struct round x;
	struct scope s;
	struct error e;
	int rc;

	if (inspect_round_param(r, &s, &x))
		return r->err.code;
	error_init(&e);
	rc = store_begin(r->db, 1, &e);
	if (!rc)
		rc = round_delete(r->db, x.id, &e);
	if (!rc)
		rc = req_audit(r, r->db, "inspection.delete", "inspection", x.id,
		               json_pack("{s:s}", "title", x.title));
	if (req_tx_end(r, r->db, rc, &e))
		return r->err.code;
	return req_reply_empty(r);
}

static int rounds_set_status(struct req *r, const char *to)
{
	struct round x;
	struct scope s;
	struct error e;
	int rc;

	if (inspect_round_param(r, &s, &x))
		return r->err.code;
	if (!strcmp(x.status, to))
		return req_fail(r, ERR_CONFLICT, "status",
		                strcmp(to, "closed") ? "测评轮次正在进行" : "测评轮次已结束");
	error_init(&e);
	rc = store_begin(r->db, 1, &e);
	if (!rc)
		rc = round_set_status(r->db, x.id, to, time_now_ms(), &e);
	if (!rc)
		rc = req_audit(r, r->db,
		               strcmp(to, "closed") ? "inspection.reopen" : "inspection.close",
		               "inspection", x.id, json_pack("{s:s}", "title", x.title));
	if (req_tx_end(r, r->db, rc, &e))
		return r->err.code;
	return round_reply(r, &s, x.id, 200);
}

static int rounds_close(struct req *r)
{
	return rounds_set_status(r, "closed");
}

static int rounds_reopen(struct req *r)
{
	return rounds_set_status(r, "open");
}

/* ---- points --------------------------------------------------------------------- */

static int rounds_points(struct req *r)
{
	const char *done = req_query(r, "done");
	struct round_point_filter f;
	struct round_point *list;
	struct round x;
	struct scope s;
	struct error e;
	int64_t total = 0;
	json_t *items;
	int i, n;

	memset(&f, 0, sizeof(f));
	f.done = -1;
	f.keyword = req_query(r, "keyword");
	if (inspect_round_param(r, &s, &x) || req_page(r, &f.offset, &f.limit) ||
	    http_query_id(r, "inspector_id", &f.inspector_id) ||
	    http_query_id(r, "type_id", &f.type_id) || http_query_id(r, "grid_id", &f.grid_id) ||
	    http_query_bool(r, "done", &f.done))
		return r->err.code;
	(void)done;
	if (f.keyword && strlen(f.keyword) > 200)
		return req_fail(r, ERR_INVALID, "keyword", "关键字过长");
	f.scope = &s;
	error_init(&e);
	if (round_points(r->db, x.id, &f, &r->arena, &list, &n, &total, &e))
		return req_fail_error(r, &e);
	items = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(items, round_point_json(&list[i]));
	return req_reply_json(r, 200,
	                      json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)total));
}

static int rounds_assign(struct req *r)
{
	static const char *const keys[] = {"inspector_id", NULL};
	struct round_point_filter f;
	struct round_inspector *ins;
	struct round_point *pts;
	struct round x;
	struct scope s;
	struct error e;
	json_t *body;
	int64_t point_id, inspector = 0, total;
	int n, nins, i, found = 0, rc;

	if (inspect_round_param(r, &s, &x) || req_param_id(r, "point_id", &point_id) ||
	    req_body_json(r, &body))
		return r->err.code;
	error_init(&e);
	if (json_only_keys(body, keys, &e) ||
	    json_get_int(body, "inspector_id", JF_REQUIRED, 1, INT64_MAX, &inspector, &e))
		return req_fail_error(r, &e);
	memset(&f, 0, sizeof(f));
	f.scope = &s;
	f.done = -1;
	f.point_id = point_id;
	if (round_points(r->db, x.id, &f, &r->arena, &pts, &n, &total, &e) ||
	    round_inspectors(r->db, x.id, &s, &r->arena, &ins, &nins, &e))
		return req_fail_error(r, &e);
	if (!n)
		return req_fail(r, ERR_NOT_FOUND, NULL, "该轮次没有这个点位");
	for (i = 0; i < nins; i++)
		found |= ins[i].id == inspector;
	if (!found)
		return req_fail(r, ERR_INVALID, "inspector_id", "督查员不在本轮次中");
	rc = store_begin(r->db, 1, &e);
	if (!rc)
		rc = round_assign_point(r->db, x.id, point_id, inspector, &e);
	if (!rc)
		rc = req_audit(r, r->db, "inspection.assign", "inspection", x.id,
		               json_pack("{s:I, s:I}", "point_id", (json_int_t)point_id,
		                         "inspector_id", (json_int_t)inspector));
	if (req_tx_end(r, r->db, rc, &e) ||
	    round_points(r->db, x.id, &f, &r->arena, &pts, &n, &total, &e))
		return r->err.code ? r->err.code : req_fail_error(r, &e);
	return req_reply_json(r, 200, round_point_json(&pts[0]));
}

/* Every checklist the caller's points need, for the phone to keep offline. */
static int rounds_checklists(struct req *r)
{
	struct round_point_filter f;
	struct round_point *pts;
	struct checklist_item *items;
	struct point_type t;
	struct credit_table d;
	struct framework fw;
	struct round x;
	struct scope s;
	struct error e;
	json_t *types;
	int64_t total, *seen;
	int n, nitems, i, j, nseen = 0;

	if (inspect_round_param(r, &s, &x))
		return r->err.code;
	memset(&f, 0, sizeof(f));
	f.scope = &s;
	f.done = -1;
	error_init(&e);
	if (round_points(r->db, x.id, &f, &r->arena, &pts, &n, &total, &e) ||
	    framework_get(r->db, r->who->tenant_id, x.framework_id, &r->arena, &fw, &e) ||
	    inspection_settings_get(r->db, r->who->tenant_id, &d, &e) ||
	    checklist_list(r->db, x.framework_id, 0, &r->arena, &items, &nitems, &e))
		return req_fail_error(r, &e);
	seen = arena_calloc(&r->arena, (size_t)(n + 1) * sizeof(int64_t));
	types = json_array();
	for (i = 0; i < n; i++) {
		json_t *arr;

		for (j = 0; j < nseen && seen[j] != pts[i].type_id; j++)
			;
		if (j < nseen)
			continue;
		seen[nseen++] = pts[i].type_id;
		if (point_type_get(r->db, r->who->tenant_id, pts[i].type_id, &r->arena, &t, &e)) {
			json_decref(types);
			return req_fail_error(r, &e);
		}
		arr = json_array();
		for (j = 0; j < nitems; j++)
			if (items[j].point_type_id == t.id)
				json_array_append_new(arr, checklist_item_json(&items[j], &d));
		json_array_append_new(types,
		                      json_pack("{s:I, s:s, s:s, s:o}", "id", (json_int_t)t.id,
		                                "code", t.code, "name", t.name, "items", arr));
	}
	return req_reply_json(r, 200,
	                      json_pack("{s:{s:I, s:s}, s:o, s:o}", "framework", "id",
	                                (json_int_t)fw.id, "name", fw.name, "defaults",
	                                credit_table_json(&d), "point_types", types));
}

void round_routes(struct router *rt)
{
	router_add(rt, "GET", "/api/v1/inspections", rounds_list, "inspection:round:view", 0);
	router_add(rt, "POST", "/api/v1/inspections", rounds_create, "inspection:round:edit", 0);
	router_add(rt, "POST", "/api/v1/inspections/preview", rounds_preview,
	           "inspection:round:edit", 0);
	router_add(rt, "GET", "/api/v1/inspections/{id}", rounds_get, "inspection:round:view", 0);
	router_add(rt, "PUT", "/api/v1/inspections/{id}", rounds_update, "inspection:round:edit",
	           0);
	router_add(rt, "DELETE", "/api/v1/inspections/{id}", rounds_delete, "inspection:round:edit",
	           0);
	router_add(rt, "POST", "/api/v1/inspections/{id}/close", rounds_close,
	           "inspection:round:edit", 0);
	router_add(rt, "POST", "/api/v1/inspections/{id}/reopen", rounds_reopen,
	           "inspection:round:edit", 0);
	router_add(rt, "GET", "/api/v1/inspections/{id}/points", rounds_points,
	           "inspection:round:view", 0);
	router_add(rt, "PUT", "/api/v1/inspections/{id}/points/{point_id}", rounds_assign,
	           "inspection:round:edit", 0);
	router_add(rt, "GET", "/api/v1/inspections/{id}/checklists", rounds_checklists,
	           "inspection:round:view", 0);
}

/*
 * demo_master.c - the demo county's master data: a problem category tree, 9
 * grids in a 3 x 3 block around an invented county seat (30.00 N, 120.00 E),
 * the point types of docs/domain.md ("Places"), 12 main roads, 20 back alleys and other
 * points up to 300.  Every name, address and coordinate is invented.
 */
#include <stdio.h>
#include <string.h>

#include "master/master.h"
#include "store/store.h"

STORE_SQL(q_demo_unit_by_name, "SELECT id FROM units WHERE tenant_id = ? AND name = ? LIMIT 1");

/* The id of the tenant's unit with this name, 0 when none. */
static int64_t unit_id(struct store_conn *c, int64_t tenant_id, const char *name)
{
	struct store_val args[] = {sv_int(tenant_id), sv_text(name)};
	struct error e;
	int64_t id = 0;

	error_init(&e);
	return store_query_int(c, &q_demo_unit_by_name, args, 2, &id, &e) ? 0 : id;
}

static const struct {
	const char *code, *parent, *name, *unit;
	int hours, severity;
} categories[] = {
    {"SR", NULL, "市容环境", "县城管执法局", 72, 1},
    {"SR01", "SR", "乱扔垃圾/烟头", "县环卫中心", 24, 1},
    {"SR02", "SR", "垃圾满溢", "县环卫中心", 24, 1},
    {"SR03", "SR", "乱贴乱画", "县城管执法局", 48, 1},
    {"JT", NULL, "交通秩序", "县交警大队", 48, 2},
    {"JT01", "JT", "乱停乱放", "县交警大队", 24, 1},
    {"JT02", "JT", "行人闯红灯", "县交警大队", 24, 1},
    {"JT03", "JT", "非机动车未上牌", "县公安局", 72, 1},
    {"ZD", NULL, "占道经营", "县城管执法局", 24, 2},
    {"CY", NULL, "餐饮油烟", "县生态环境分局", 72, 2},
    {"LQ", NULL, "流浪犬", "县农业农村局", 48, 1},
    {"XF", NULL, "消防通道", "县消防救援大队", 24, 3},
    {"GY", NULL, "公益广告", "县委宣传部", 120, 1},
    {"SS", NULL, "设施破损", "县住建局", 168, 2},
    {"SS01", "SS", "道路破损", "县住建局", 168, 2},
    {"SS02", "SS", "井盖缺失", "县住建局", 24, 3},
    {"SS03", "SS", "路灯不亮", "县住建局", 72, 1},
};

static const char *const point_types[] = {"主次干道",     "背街小巷", "新时代文明实践中心(站)",
                                          "政务服务大厅", "银行网点", "窗口单位",
                                          "公交站点",     "公交车",   "出租车",
                                          "公共厕所",     "公共广场", "宾馆酒店",
                                          "公园",         "社区",     "住宅小区",
                                          "建筑工地",     "景区景点", "中小学校周边",
                                          "商场超市",     "医院",     "公共文化设施",
                                          "主要交通路口", "商业大街", "城乡结合部",
                                          "农贸市场",     "乡镇"};
#define NTYPES ((int)(sizeof(point_types) / sizeof(point_types[0])))

/* The department answering for points of a type; NULL: the grid's community. */
static const char *const type_units[NTYPES] = {
    "县城管执法局",   NULL,         "县文明办",     "县行政审批局", "县商务局",       "县文明办",
    "县公交公司",     "县公交公司", "县交通运输局", "县环卫中心",   "县园林绿化中心", "县文旅局",
    "县园林绿化中心", NULL,         NULL,           "县住建局",     "县文旅局",       "县教育局",
    "县商务局",       "县卫健局",   "县文化馆",     "县交警大队",   "县商务局",       NULL,
    "县市场监管局",   NULL};

static const char *const grid_names[9] = {"城关一网格", "城关二网格", "城关三网格",
                                          "东城一网格", "东城二网格", "西城一网格",
                                          "西城二网格", "南湖一网格", "南湖二网格"};
static const char *const grid_units[9] = {"和平社区", "幸福社区", "朝阳社区",
                                          "团结社区", "康乐社区", "锦绣社区",
                                          "文昌社区", "滨河社区", "新华社区"};

static const char *const roads[] = {"人民路", "解放路", "中山路", "建设路", "文化路", "迎宾大道",
                                    "新华路", "滨江路", "青年路", "府前街", "长安路", "东风路"};
static const char *const alley_words[] = {"柳荫巷", "石板巷", "桂花巷", "井头巷", "花园弄",
                                          "学前巷", "南门弄", "仓前巷", "竹林巷", "后街弄"};

#define LAT0 29.985 /* south-west corner of the block of grids */
#define LNG0 119.985
#define CELL 0.01

static int demo_grids(struct store_conn *c, int64_t tenant_id, int64_t *grid_ids,
                      int64_t *grid_unit_ids, struct error *e)
{
	int i, rc = 0;

	for (i = 0; rc == 0 && i < 9; i++) {
		double s = LAT0 + (i / 3) * CELL, w = LNG0 + (i % 3) * CELL, n = s + CELL,
		       o = w + CELL;
		char text[512];
		json_t *geometry;
		struct grid g;

		/* a slightly irregular pentagon per cell, like a real boundary */
		snprintf(
		    text, sizeof(text),
		    "{\"type\":\"Polygon\",\"coordinates\":[[[%.6f,%.6f],[%.6f,%.6f],[%.6f,%.6f],"
		    "[%.6f,%.6f],[%.6f,%.6f],[%.6f,%.6f]]]}",
		    w, s, o, s, o, n, (w + o) / 2, n, w, n, w, s);
		geometry = json_loads(text, 0, NULL);
		memset(&g, 0, sizeof(g));
		geo_check(geometry, &g.geo, e);
		json_decref(geometry);
		{
			char code[16];

			snprintf(code, sizeof(code), "G%02d", i + 1);
			g.code = code;
			g.name = grid_names[i];
			g.geometry = text;
			g.unit_id = grid_unit_ids[i] = unit_id(c, tenant_id, grid_units[i]);
			g.sort = i + 1;
			g.enabled = 1;
			rc = grid_insert(c, tenant_id, &g, e);
		}
		grid_ids[i] = g.id;
	}
	return rc;
}

int demo_master_fill(struct store_conn *c, int64_t tenant_id, struct master_demo_counts *counts,
                     struct error *e)
{
	int64_t cat_ids[sizeof(categories) / sizeof(categories[0])], type_ids[NTYPES];
	int64_t grid_ids[9], grid_unit_ids[9];
	int i, k, rc = 0, seq = 0;

	memset(counts, 0, sizeof(*counts));
	for (i = 0; rc == 0 && i < (int)(sizeof(categories) / sizeof(categories[0])); i++) {
		struct category cat;

		memset(&cat, 0, sizeof(cat));
		cat.code = categories[i].code;
		cat.name = categories[i].name;
		for (k = 0; categories[i].parent && k < i; k++)
			if (!strcmp(categories[k].code, categories[i].parent))
				cat.parent_id = cat_ids[k];
		cat.default_unit_id = unit_id(c, tenant_id, categories[i].unit);
		cat.deadline_hours = categories[i].hours;
		cat.severity = categories[i].severity;
		cat.sort = i + 1;
		cat.enabled = 1;
		rc = category_insert(c, tenant_id, &cat, e);
		cat_ids[i] = cat.id;
		counts->categories++;
	}
	for (i = 0; rc == 0 && i < NTYPES; i++) {
		struct point_type t;
		char code[16];

		snprintf(code, sizeof(code), "T%02d", i + 1);
		memset(&t, 0, sizeof(t));
		t.code = code;
		t.name = point_types[i];
		t.sort = i + 1;
		t.enabled = 1;
		rc = point_type_insert(c, tenant_id, &t, e);
		type_ids[i] = t.id;
		counts->point_types++;
	}
	if (rc == 0)
		rc = demo_grids(c, tenant_id, grid_ids, grid_unit_ids, e);
	if (rc == 0)
		counts->grids = 9;
	/* 12 main roads, 20 back alleys, then 268 points over the other types */
	for (i = 0; rc == 0 && i < 300; i++) {
		int type = i < 12 ? 0 : i < 32 ? 1 : 2 + (i - 32) % (NTYPES - 2);
		/* spread over the block: a deterministic scatter inside the 3 x 3 cells */
		double fy = ((i * 37) % 97 + 0.5) / 97.0, fx = ((i * 61) % 89 + 0.5) / 89.0;
		int cell = (int)(fy * 3) * 3 + (int)(fx * 3);
		char code[16], name[96], address[128], person[32], phone[16];
		struct point p;

		seq++;
		snprintf(code, sizeof(code), "P%04d", seq);
		if (type == 0)
			snprintf(name, sizeof(name), "%s", roads[i]);
		else if (type == 1)
			snprintf(name, sizeof(name), "%s%s", roads[(i - 12) % 12],
			         alley_words[(i - 12) % 10]);
		else
			snprintf(name, sizeof(name), "%s%s%d号点", grid_names[cell],
			         point_types[type], (i - 32) / (NTYPES - 2) + 1);
		snprintf(address, sizeof(address), "示例县%s%d号", roads[(i * 5) % 12],
		         1 + (i * 7) % 300);
		snprintf(person, sizeof(person), "%s主任",
		         (const char *[]){"王", "李", "张", "刘", "陈", "杨"}[i % 6]);
		snprintf(phone, sizeof(phone), "139%08d", (i * 7919 + 24680) % 100000000);
		memset(&p, 0, sizeof(p));
		p.type_id = type_ids[type];
		p.code = code;
		p.name = name;
		p.has_location = 1;
		p.lat = LAT0 + fy * 3 * CELL;
		p.lng = LNG0 + fx * 3 * CELL;
		p.address = address;
		p.grid_id = grid_ids[cell];
		p.unit_id = type_units[type] ? unit_id(c, tenant_id, type_units[type])
		                             : grid_unit_ids[cell];
		p.person = person;
		p.phone = phone;
		p.enabled = 1;
		rc = point_insert(c, tenant_id, &p, e);
		counts->points++;
	}
	return rc;
}

/*
 * demo.c - `wenming demo`: fill the first tenant as 示例县, an invented county
 * at the scale of a real campaign ("1+4+10": one command, the office, four
 * working groups, ten sub-commands; 42 departments, 12 towns, 40
 * communities) with about 150 users across every role.
 *
 * Every name is invented.  There is no fixed password: one password is
 * generated for the demo accounts and printed once (it is hashed once and
 * shared by the demo accounts, which keeps `make run` fast; real accounts
 * each get their own salt).  Running it again on a filled tenant does nothing.
 */
#include "demo/demo.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "audit/audit.h"
#include "auth/password.h"
#include "core/clock.h"
#include "core/strbuf.h"
#include "master/master.h"
#include "org/org_db.h"
#include "store/store.h"
#include "system/tenants.h"

static const char *const groups[] = {"综合协调组", "宣传教育组", "督查考核组", "环境整治组"};

static const char *const subcommands[] = {
    "城区环境分指挥部", "交通秩序分指挥部",    "市场秩序分指挥部", "公共服务分指挥部",
    "社区治理分指挥部", "文明风尚分指挥部",    "窗口服务分指挥部", "校园周边分指挥部",
    "建设工地分指挥部", "农村人居环境分指挥部"};

static const char *const departments[] = {
    "县委宣传部",       "县文明办",       "县住建局",     "县公安局",     "县城管执法局",
    "县市场监管局",     "县交警大队",     "县交通运输局", "县教育局",     "县卫健局",
    "县民政局",         "县文旅局",       "县商务局",     "县自然资源局", "县生态环境分局",
    "县水利局",         "县农业农村局",   "县财政局",     "县人社局",     "县司法局",
    "县应急管理局",     "县消防救援大队", "县供电公司",   "县邮政分公司", "县税务局",
    "县融媒体中心",     "团县委",         "县妇联",       "县总工会",     "县科协",
    "县残联",           "县红十字会",     "县数据局",     "县行政审批局", "县医保局",
    "县退役军人事务局", "县体育中心",     "县图书馆",     "县文化馆",     "县公交公司",
    "县环卫中心",       "县园林绿化中心"};

static const char *const towns[] = {"城关街道", "东城街道", "西城街道", "南湖街道",
                                    "北山镇",   "青石镇",   "柳溪镇",   "桃源乡",
                                    "白沙镇",   "云岭乡",   "金水镇",   "石门镇"};

static const char *const community_names[] = {
    "和平社区", "幸福社区", "朝阳社区", "锦绣社区", "文昌社区", "滨河社区", "新华社区", "团结社区",
    "康乐社区", "振兴社区", "光明社区", "育才社区", "春晖社区", "翠苑社区", "长乐社区", "安居社区",
    "紫薇社区", "兴隆社区", "青云社区", "丰收村",   "柳塘村",   "杏花村",   "石桥村",   "枫林村",
    "荷塘村",   "松岗村",   "竹园村",   "梨园村",   "望江社区", "凤鸣社区", "玉泉社区", "金桂社区",
    "银杏社区", "东湖社区", "北苑社区", "南山村",   "清溪村",   "白鹭村",   "云峰村",   "双河村"};

static const char *const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周",
                                       "吴", "徐", "孙", "胡", "朱", "高", "林", "何", "郭",
                                       "马", "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯"};
static const char *const given[] = {"建华", "秀英", "志强", "丽娟", "国庆", "海燕", "晓东",
                                    "春梅", "文斌", "玉兰", "振宇", "慧敏", "立新", "桂芳",
                                    "俊杰", "静怡", "永平", "雪梅", "宏伟", "佳琪", "明辉",
                                    "淑贞", "子涵", "红霞", "德胜", "雨桐", "思远", "婷婷"};

/* A deterministic invented person and phone for index i. */
static void person(int i, char *name, size_t nsize, char *phone, size_t psize)
{
	snprintf(name, nsize, "%s%s", surnames[(i * 7) % 27], given[(i * 11 + i / 27) % 28]);
	snprintf(phone, psize, "1%d%d%08d", 3 + i % 6, i % 10, (i * 7919 + 1234567) % 100000000);
}

STORE_SQL(q_demo_units_count, "SELECT COUNT(*) FROM units WHERE tenant_id = ?");
STORE_SQL(q_demo_tenant,
          "UPDATE tenants SET name = ?, region_code = ?, level = 'county', eval_date = ?,"
          " updated_at = ? WHERE id = ?");
STORE_SQL(q_demo_unit,
          "INSERT INTO units (tenant_id, parent_id, name, kind, ancestors, leader, liaison, phone,"
          " sort, created_at, updated_at) VALUES (?, ?, ?, ?, '/', ?, ?, ?, ?, ?, ?) RETURNING id");
STORE_SQL(q_demo_unit_path, "UPDATE units SET ancestors = ? WHERE id = ?");
STORE_SQL(q_demo_user_unit, "UPDATE users SET unit_id = ? WHERE id = ?");

struct demo_ctx {
	int survey_responses;
	struct store_conn *c;
	struct error *e;
	int64_t tenant_id, now;
	const char *hash;
	int nunits, nusers, person_seq;
	int role_counts[8];
	struct master_demo_counts master;
	struct demo_eval_counts eval;
	struct demo_plan_counts plan;
	struct demo_announcement_counts notices;
	int materials;
};

/* Insert a unit under parent (0 for a root) with its ancestors path. */
static int add_unit(struct demo_ctx *d, int64_t parent, const char *parent_path, const char *name,
                    const char *kind, int sort, int64_t *id, char *path, size_t psize)
{
	char leader[32], liaison[32], phone[16], dummy[16];
	int rc;

	person(d->person_seq++, leader, sizeof(leader), dummy, sizeof(dummy));
	person(d->person_seq++, liaison, sizeof(liaison), phone, sizeof(phone));
	{
		struct store_val args[] = {
		    sv_int(d->tenant_id), parent ? sv_int(parent) : sv_null(),
		    sv_text(name),        sv_text(kind),
		    sv_text(leader),      sv_text(liaison),
		    sv_text(phone),       sv_int(sort),
		    sv_int(d->now),       sv_int(d->now),
		};

		rc = store_query_int(d->c, &q_demo_unit, args, 10, id, d->e);
	}
	if (rc)
		return rc;
	snprintf(path, psize, "%s%lld/", parent_path, (long long)*id);
	{
		struct store_val args[] = {sv_text(path), sv_int(*id)};

		rc = store_exec(d->c, &q_demo_unit_path, args, 2, NULL, d->e);
	}
	d->nunits++;
	return rc;
}

/* Insert a user with one role, in a unit (0: none). */
static int add_user(struct demo_ctx *d, const char *username, const char *role, int64_t unit_id)
{
	char name[32], phone[16];
	int64_t id = 0;
	int rc;

	person(d->person_seq++, name, sizeof(name), phone, sizeof(phone));
	{
		struct user_new u = {d->tenant_id, username, name, phone, d->hash, 0};

		rc = user_insert(d->c, &u, &id, d->e);
	}
	if (rc == 0 && unit_id) {
		struct store_val args[] = {sv_int(unit_id), sv_int(id)};

		rc = store_exec(d->c, &q_demo_user_unit, args, 2, NULL, d->e);
	}
	if (rc == 0)
		rc = user_add_role(d->c, d->tenant_id, id, role, d->e);
	d->nusers++;
	return rc;
}

static int fill(struct demo_ctx *d)
{
	char root_path[64], office_path[64], path[64], town_paths[12][64], username[32];
	int64_t root, office, id, town_ids[12], dept_ids[42];
	char eval_date[16];
	time_t later = time(NULL) + 180 * 86400;
	struct tm tm;
	int i, rc;

	gmtime_r(&later, &tm);
	strftime(eval_date, sizeof(eval_date), "%Y-%m-%d", &tm);
	{
		struct store_val args[] = {sv_text("示例县"), sv_text("990101"), sv_text(eval_date),
		                           sv_int(d->now), sv_int(d->tenant_id)};

		rc = store_exec(d->c, &q_demo_tenant, args, 5, NULL, d->e);
	}
	if (!rc)
		rc = add_unit(d, 0, "/", "示例县创建全国文明城市工作总指挥部", "command", 1, &root,
		              root_path, sizeof(root_path));
	if (!rc)
		rc = add_unit(d, root, root_path, "示例县创城办", "office", 1, &office, office_path,
		              sizeof(office_path));
	for (i = 0; !rc && i < 4; i++)
		rc = add_unit(d, root, root_path, groups[i], "group", 10 + i, &id, path,
		              sizeof(path));
	for (i = 0; !rc && i < 10; i++)
		rc = add_unit(d, root, root_path, subcommands[i], "subcommand", 20 + i, &id, path,
		              sizeof(path));
	for (i = 0; !rc && i < 42; i++)
		rc = add_unit(d, root, root_path, departments[i], "department", 100 + i,
		              &dept_ids[i], path, sizeof(path));
	for (i = 0; !rc && i < 12; i++)
		rc = add_unit(d, root, root_path, towns[i], "town", 200 + i, &town_ids[i],
		              town_paths[i], sizeof(town_paths[i]));
	/* 40 communities: the four urban sub-districts take four each, the towns three */
	{
		int t = 0, left = 4;

		for (i = 0; !rc && i < 40; i++) {
			int64_t cid;

			rc = add_unit(d, town_ids[t], town_paths[t], community_names[i],
			              "community", i + 1, &cid, path, sizeof(path));
			if (!rc && i < 20) {
				snprintf(username, sizeof(username), "comm%02d", i + 1);
				rc = add_user(d, username, "unit_staff", cid);
			}
			if (--left == 0 && t < 11) {
				t++;
				left = t < 4 ? 4 : 3;
			}
		}
	}
	for (i = 0; !rc && i < 5; i++) {
		snprintf(username, sizeof(username), "office%02d", i + 1);
		rc = add_user(d, username, "office", office);
	}
	for (i = 0; !rc && i < 4; i++) {
		snprintf(username, sizeof(username), "leader%02d", i + 1);
		rc = add_user(d, username, "leader", root);
	}
	for (i = 0; !rc && i < 12; i++) {
		snprintf(username, sizeof(username), "insp%02d", i + 1);
		rc = add_user(d, username, "inspector", office);
	}
	for (i = 0; !rc && i < 42; i++) {
		snprintf(username, sizeof(username), "dept%02d", i + 1);
		rc = add_user(d, username, "unit_admin", dept_ids[i]);
		if (!rc && i < 20) {
			snprintf(username, sizeof(username), "dept%02ds", i + 1);
			rc = add_user(d, username, "unit_staff", dept_ids[i]);
		}
	}
	for (i = 0; !rc && i < 12; i++) {
		snprintf(username, sizeof(username), "town%02d", i + 1);
		rc = add_user(d, username, "unit_admin", town_ids[i]);
	}
	for (i = 0; !rc && i < 18; i++) {
		snprintf(username, sizeof(username), "grid%02d", i + 1);
		rc = add_user(d, username, "grid_worker", town_ids[i % 4]);
	}
	for (i = 0; !rc && i < 12; i++) {
		snprintf(username, sizeof(username), "vol%02d", i + 1);
		rc = add_user(d, username, "volunteer", 0);
	}
	return rc;
}

int demo_run(struct store_conn *c, const struct demo_options *o, FILE *out, struct error *e)
{
	struct demo_play_counts played;
	struct demo_ctx d;
	char password[17], hash[PASSWORD_HASH_MAX], summary[128];
	int64_t units = 0;
	int rc;

	memset(&d, 0, sizeof(d));
	d.c = c;
	d.e = e;
	d.now = time_now_ms();
	rc = tenant_first(c, &d.tenant_id, e);
	if (rc == ERR_NOT_FOUND)
		return error_set(e, ERR_CONFLICT, NULL,
		                 "请先运行 wenming init / run wenming init first");
	if (rc)
		return rc;
	{
		struct store_val args[] = {sv_int(d.tenant_id)};

		rc = store_query_int(c, &q_demo_units_count, args, 1, &units, e);
	}
	if (rc)
		return rc;
	if (units > 0) {
		fprintf(out,
		        "示例数据已存在，未做改动 / the tenant already has units: demo skipped\n");
		return 0;
	}
	password_generate(password, 16);
	rc = password_hash(password, hash, e);
	if (rc)
		return rc;
	d.hash = hash;
	rc = store_begin(c, 1, e);
	if (rc)
		return rc;
	rc = fill(&d);
	if (!rc)
		rc = demo_master_fill(c, d.tenant_id, &d.master, e);
	if (!rc)
		rc = demo_eval_fill(c, d.tenant_id, &d.eval, e);
	if (!rc)
		rc = demo_plan_fill(c, d.tenant_id, d.now, &d.plan, e);
	if (!rc)
		rc = demo_materials_fill(c, d.tenant_id, &d.materials, e);
	if (!rc)
		rc = demo_survey_fill(c, d.tenant_id, &d.survey_responses, e);
	if (!rc)
		rc = demo_announcement_fill(c, d.tenant_id, d.now, &d.notices, e);
	memset(&played, 0, sizeof(played));
	if (!rc && !o->empty)
		rc = demo_play_run(c, d.tenant_id, o, d.now, &played, e);
	if (!rc && !o->empty)
		rc = demo_assess_fill(c, d.tenant_id, d.now, e);
	if (!rc && !o->empty)
		rc = demo_bulletin_fill(c, d.tenant_id, o, d.now, e);
	if (!rc && !o->empty)
		rc = demo_dashboard_fill(c, d.tenant_id, d.now, e);
	if (!rc) {
		struct req_audit_row a;

		snprintf(summary, sizeof(summary), "{\"units\":%d,\"users\":%d}", d.nunits,
		         d.nusers);
		memset(&a, 0, sizeof(a));
		a.tenant_id = d.tenant_id;
		a.username = "wenming demo";
		a.action = "demo.generate";
		a.object_type = "tenant";
		a.summary = summary;
		a.result = "ok";
		rc = audit_append(c, &a, e);
	}
	if (!rc)
		rc = store_commit(c, e);
	if (rc) {
		store_rollback(c);
		return rc;
	}
	fprintf(out,
	        "已生成示例县：%d 个单位，%d 个用户 / demo county created: %d units, %d users.\n"
	        "示例账号共用密码（只显示这一次）/ password of every demo account (shown once):\n"
	        "  %s\n"
	        "  创城办 office01..office05   领导 leader01..leader04   督查员 insp01..insp12\n"
	        "  部门管理员 dept01..dept42   部门联络员 dept01s..dept20s   乡镇 town01..town12\n"
	        "  社区联络员 comm01..comm20   网格员 grid01..grid18   志愿者 vol01..vol12\n"
	        "系统管理员 admin 的密码是 wenming init 打印的那一个 / admin keeps the password "
	        "wenming init printed.\n",
	        d.nunits, d.nusers, d.nunits, d.nusers, password);
	if (!o->empty)
		fprintf(out,
		        "近 90 天的创城工作已演示 / the last 90 days played: %d 个问题 problems, "
		        "%d 张照片 photos, %d 张交办单 sheets (%d 已签收 signed), %d 个测评轮次 "
		        "rounds, "
		        "%d 条测评记录 records.\n",
		        played.problems, played.photos, played.sheets, played.sheets_signed,
		        played.rounds, played.records);
	return 0;
}

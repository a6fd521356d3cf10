/*
 * demo_bulletin.c - the demo county's 通报 for last month: drafted by
 * office01 through bulletin_create (figures, overdue units, the unit table
 * and red / black lists of the month, the proposed typical problems with
 * their photos, the action plan's 进展情况表 attached), with the office's
 * suggestions written in through bulletin_edit.  Deterministic: the month
 * follows the demo's clock, everything else the played data.
 */
#include <stdio.h>
#include <string.h>

#include "auth/login.h"
#include "bulletin/bulletin.h"
#include "core/clock.h"
#include "demo/demo.h"

#define DEMO_TZ_MINUTES 480 /* 示例县 keeps Asia/Shanghai */

int demo_bulletin_fill(struct store_conn *c, int64_t tenant_id, int64_t now, struct error *e)
{
	struct bulletin_new in;
	struct login_user office;
	struct bulletin b;
	struct arena a;
	json_t *edit;
	char today[20], from[32], to[32];
	int y, m, rc;
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	tz_format(now, DEMO_TZ_MINUTES, today);
	if (sscanf(today, "%d-%d", &y, &m) != 2)
		return error_set(e, ERR_INTERNAL, NULL, "demo: bad date");
	/* last month: its first and last day */
	if (--m == 0) {
		m = 12;
		y--;
	}
	snprintf(from, sizeof(from), "%04d-%02d-01", y, m);
	snprintf(to, sizeof(to), "%04d-%02d-%02d", y, m,
	         mdays[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100) || y % 400 == 0)));
	if ((rc = user_login_lookup(c, "office01", &office, e)))
		return rc;
	memset(&in, 0, sizeof(in));
	in.tenant_id = tenant_id;
	in.user_id = office.id;
	in.from = from;
	in.to = to;
	in.minutes = DEMO_TZ_MINUTES;
	in.now = now;
	arena_init(&a);
	rc = bulletin_create(c, &in, &a, &b.id, e);
	if (rc == 0)
		rc = bulletin_db_get(c, tenant_id, b.id, &a, &b, e);
	if (rc == 0) {
		edit = json_pack(
		    "{s:s}", "suggestions",
		    "一是盯紧超期问题。各责任单位对本期通报的超期问题逐一建立台账，一周内整改到位并"
		    "在系统中反馈整改后照片。\n二是抓好常态长效。农贸市场、背街小巷等重点点位实行"
		    "包抓领导每周巡查，防止问题反弹。\n三是严格考核问责。黑榜单位主要负责人要专题"
		    "研究整改措施，连续两期上黑榜的按规定启动问责。");
		rc = bulletin_edit(c, &b, edit, office.id, now, &a, e);
		json_decref(edit);
	}
	arena_release(&a);
	return rc;
}

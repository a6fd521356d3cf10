/*
 * demo_bulletin.c - the demo county's 通报 for last month: drafted by
 * office01 through bulletin_create (figures, overdue units, the unit table
 * and red / black lists of the month, the proposed typical problems with
 * their photos, the action plan's 进展情况表 attached), the office's
 * suggestions written in through bulletin_edit, then issued through
 * bulletin_issue to every department, town and community as an
 * announcement with its PDF attached.  Deterministic: the month follows the
 * demo's clock, everything else the played data.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/login.h"
#include "bulletin/bulletin.h"
#include "core/clock.h"
#include "demo/demo.h"
#include "files/files.h"

#define DEMO_TZ_MINUTES 480 /* 示例县 keeps Asia/Shanghai */
#define DEMO_PHOTO_PX   640

struct photo_ctx {
	struct store_conn *c;
	const char *data_dir;
	int64_t tenant_id;
	struct arena *a;
};

static void *photo(void *ctx, int64_t file_id, size_t *len)
{
	struct photo_ctx *p = ctx;

	return file_photo_jpeg(p->c, p->data_dir, p->tenant_id, file_id, DEMO_PHOTO_PX, p->a, len);
}

/* Issue b as office on day (2026年12月6日) with its PDF attached. */
static int issue(struct store_conn *c, const struct bulletin *b, const struct demo_options *o,
                 int64_t office, int64_t now, struct arena *a, struct error *e)
{
	struct photo_ctx pc = {c, o->data_dir, b->tenant_id, a};
	struct bulletin_print pr = {"示例县创城办", NULL, photo, &pc};
	struct bulletin_issue_in in;
	struct bulletin_file file;
	char day[20];
	void *pdf = NULL;
	size_t len = 0;
	int64_t ann = 0;
	int rc;

	tz_format(now, DEMO_TZ_MINUTES, day);
	day[10] = '\0';
	pr.date = bulletin_date_text(day, 1, a);
	if ((rc = bulletin_pdf(b, &pr, a, &pdf, &len, e)))
		return rc;
	file = (struct bulletin_file){pdf, len, "application/pdf",
	                              arena_printf(a, "通报%s.pdf", b->number)};
	memset(&in, 0, sizeof(in));
	in.user_id = office;
	in.now = now;
	in.files = &file;
	in.nfiles = 1;
	in.reply_due_ms = now + 7 * 86400LL * 1000;
	in.data_dir = o->data_dir;
	in.store_kind = o->store_kind;
	rc = bulletin_issue(c, b, &in, a, &ann, e);
	free(pdf);
	return rc;
}

int demo_bulletin_fill(struct store_conn *c, int64_t tenant_id, const struct demo_options *o,
                       int64_t now, struct error *e)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	struct bulletin_new in;
	struct login_user office;
	struct bulletin b;
	struct arena a;
	json_t *edit;
	char today[20], from[32], to[32];
	int y, m, rc;

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
	if (rc == 0)
		rc = bulletin_db_get(c, tenant_id, b.id, &a, &b, e);
	if (rc == 0)
		rc = issue(c, &b, o, office.id, now, &a, e);
	arena_release(&a);
	return rc;
}

/*
 * demo_announcement.c - the demo county's notices (通知公告), archives
 * (资料归档) and this year's 责任书: four notices (one to every unit, one to the
 * towns asking for a 回执 already overdue, one to the action departments
 * with a 回执 due in three days, one draft), part of the units having read
 * them and some having replied; archive requirements for departments and
 * towns, partly filed; 责任书 for every department and town, most
 * confirmed.  Everything goes through the announcement module's domain
 * functions; no randomness, so the same day gives the same county.
 */
#include <stdio.h>
#include <string.h>

#include "announcement/announcement.h"
#include "auth/auth.h"
#include "demo/demo.h"
#include "files/files.h"
#include "org/org.h"
#include "plan/plan.h"
#include "store/store.h"

#define DAY (24LL * 3600 * 1000)

/* The first user of each unit (by unit index) who may act for it; 0 when none. */
static int unit_users(struct store_conn *c, int64_t tenant_id, const struct unit *units, int nunits,
                      struct arena *a, int64_t *out, int64_t *office, struct error *e)
{
	static const struct scope everyone = {1, 0, "[]", ""};
	struct user_filter f;
	struct user *users;
	int64_t total;
	int n, i, k, r, rc;

	memset(&f, 0, sizeof(f));
	f.scope = &everyone;
	f.enabled = 1;
	f.oldest_first = 1;
	if ((rc = user_list(c, tenant_id, &f, a, &users, &n, &total, e)) != 0)
		return rc;
	*office = 0;
	for (i = 0; i < n; i++) {
		if (!strcmp(users[i].username, "office01"))
			*office = users[i].id;
		for (r = 0; r < users[i].nroles; r++)
			if (!strcmp(users[i].roles[r], "unit_admin") ||
			    !strcmp(users[i].roles[r], "unit_staff"))
				for (k = 0; k < nunits; k++)
					if (units[k].id == users[i].unit_id && !out[k])
						out[k] = users[i].id;
	}
	return 0;
}

/* A small generated image stored in the database blob store (both back ends), *id set. */
static int demo_doc(struct store_conn *c, int64_t tenant_id, int64_t user_id, int seed,
                    const char *name, int64_t at, struct arena *a, int64_t *id, struct error *e)
{
	struct image_spec s;
	struct file_info f;
	void *jpeg;
	size_t len;
	int rc;

	memset(&s, 0, sizeof(s));
	s.width = 240;
	s.height = 320;
	s.rgb[0] = (unsigned char)(200 - seed * 7 % 90);
	s.rgb[1] = (unsigned char)(190 - seed * 5 % 80);
	s.rgb[2] = (unsigned char)(180 - seed * 3 % 70);
	s.shape = 1 + seed % 3;
	s.captured_at = at;
	if ((rc = image_compose_jpeg(&s, a, &jpeg, &len, e)) != 0)
		return rc;
	memset(&f, 0, sizeof(f));
	if ((rc = image_probe(jpeg, len, &f, e)) != 0)
		return rc;
	f.tenant_id = tenant_id;
	f.user_id = user_id;
	f.original_name = name;
	if ((rc = file_save(c, NULL, STORE_POSTGRES, jpeg, len, &f, a, e)) != 0)
		return rc;
	*id = f.id;
	return 0;
}

struct notice_plan {
	const char *title, *body;
	const char *kind; /* unit kind addressed, NULL: every unit, "actions": action departments */
	int published_days_ago;
	int due_days;                /* reply due relative to now (days), 0: no 回执 */
	int read_every, reply_every; /* the i-th addressee reads when i % read_every != 0 ... */
	int publish;
};

static const struct notice_plan notices[] = {
    {"关于开展创建全国文明城市集中攻坚行动的通知",
     "各乡镇（街道）、县直各部门：\n为加快推进全国文明城市创建工作，县创城指挥部决定开展集中攻坚"
     "行动，具体方案见附件。\n请各单位对照方案，细化任务分工，倒排时间节点，确保各项任务按期完成。",
     NULL, 20, 0, 4, 0, 1},
    {"关于报送背街小巷整治进展情况的通知",
     "各乡镇（街道）：\n请于规定时间前报送本辖区背街小巷整治进展情况，包括排查数量、已整改数量和"
     "下一步计划，并附整治前后对比照片。",
     "town", 12, -2, 5, 2, 1},
    {"关于召开创城工作调度会的通知",
     "各牵头单位：\n定于本周五下午三点在县政府三楼会议室召开创城工作调度会，请主要负责同志参加，"
     "并于会前报送本单位工作进展（不超过500字）。",
     "department", 2, 3, 2, 3, 1},
    {"关于做好文明城市测评迎检准备工作的通知（草稿）",
     "各单位：\n测评组近期将来我县开展实地测评，请各单位提前做好点位自查。", NULL, 0, 0, 0, 0, 0},
};

static const struct {
	const char *kind, *title, *note;
} requirements[] = {
    {"department", "工作方案", "本单位创城工作实施方案"},
    {"department", "会议记录", "研究部署创城工作的会议记录"},
    {"department", "宣传资料", "公益广告、宣传栏照片"},
    {"department", "承诺书", "单位主要负责同志签字的承诺书"},
    {"town", "工作方案", "乡镇（街道）创城工作实施方案"},
    {"town", "会议记录", "研究部署创城工作的会议记录"},
    {"town", "宣传资料", "公益广告、宣传栏照片"},
    {"town", "承诺书", "主要负责同志签字的承诺书"},
    {"town", "整改台账", "问题整改台账及整改前后照片"},
};

#define NREQS ((int)(sizeof(requirements) / sizeof(requirements[0])))

static const char pledge_text[] = "1. 按期完成集中攻坚行动中本单位牵头和参与的各项任务；\n"
                                  "2. 每月按时报送任务进展，问题整改按期办结率不低于95%；\n"
                                  "3. 落实门前三包责任，辖区公益广告覆盖率达到要求；\n"
                                  "4. 主要负责同志为第一责任人，每季度至少研究一次创城工作。";

int demo_announcement_fill(struct store_conn *c, int64_t tenant_id, int64_t now,
                           struct demo_announcement_counts *counts, struct error *e)
{
	struct arena a;
	struct unit *units;
	int64_t *users, *ids, office = 0, req_ids[NREQS], file_id;
	char today[11];
	int nunits, i, k, rc;

	memset(counts, 0, sizeof(*counts));
	arena_init(&a);
	if ((rc = unit_all(c, tenant_id, &a, &units, &nunits, e)) != 0)
		goto out;
	users = arena_calloc(&a, (size_t)(nunits ? nunits : 1) * sizeof(*users));
	ids = arena_calloc(&a, (size_t)(nunits ? nunits : 1) * sizeof(*ids));
	if ((rc = unit_users(c, tenant_id, units, nunits, &a, users, &office, e)) != 0)
		goto out;

	/* notices, each addressed, published, read and answered as planned */
	for (i = 0; i < (int)(sizeof(notices) / sizeof(notices[0])); i++) {
		const struct notice_plan *p = &notices[i];
		struct announcement_audience aud = {p->kind ? "kinds" : "all", "[]"};
		struct announcement_new n;
		struct announcement got;
		int64_t id, at = now - (int64_t)p->published_days_ago * DAY, fid = 0;
		int nids = 0, seen = 0;

		for (k = 0; k < nunits; k++)
			if (units[k].enabled && (!p->kind || !strcmp(units[k].kind, p->kind)))
				ids[nids++] = units[k].id;
		if (p->kind)
			aud.kinds = arena_printf(&a, "[\"%s\"]", p->kind);
		if (i == 0 && (rc = demo_doc(c, tenant_id, office, i, "集中攻坚行动实施方案.jpg",
		                             at, &a, &fid, e)))
			goto out;
		memset(&n, 0, sizeof(n));
		n.title = p->title;
		n.body = p->body;
		n.source_kind = "";
		n.unit_ids = ids;
		n.nunits = nids;
		n.file_ids = &fid;
		n.nfiles = fid ? 1 : 0;
		n.reply_due_ms = p->due_days ? now + (int64_t)p->due_days * DAY : 0;
		n.author_id = office;
		if ((rc = announcement_insert(c, tenant_id, &n, &aud, p->publish, at, &id, e)) != 0)
			goto out;
		counts->notices++;
		if (!p->publish)
			continue;
		if ((rc = announcement_get(c, tenant_id, NULL, 0, id, &a, &got, e)) != 0)
			goto out;
		for (k = 0; k < nids; k++) {
			int64_t user = 0;
			int u, first;

			for (u = 0; u < nunits; u++)
				if (units[u].id == ids[k])
					user = users[u];
			if (!user || k % p->read_every == 0)
				continue;
			seen++;
			if ((rc = announcement_mark_read(c, id, ids[k], user,
			                                 at + (k + 1) * DAY / 8, &first, e)) != 0)
				goto out;
			counts->reads++;
			if (p->due_days && p->reply_every && seen % p->reply_every == 0) {
				const char *reply = arena_printf(
				    &a,
				    "已收到通知，按要求落实。本单位已完成排查 %d 处，整改 %d 处。",
				    10 + k % 9, 6 + k % 5);

				if ((rc = announcement_reply(c, &got, ids[k], user, reply, NULL, 0,
				                             at + (k + 2) * DAY / 8, e)) != 0)
					goto out;
				counts->replies++;
			}
		}
	}

	/* archives: the requirements of departments and towns, filed in part */
	for (i = 0; i < NREQS; i++) {
		struct archive_requirement q;

		memset(&q, 0, sizeof(q));
		q.tenant_id = tenant_id;
		q.unit_kind = requirements[i].kind;
		q.title = requirements[i].title;
		q.note = requirements[i].note;
		q.sort = i;
		q.created_at = now - 60 * DAY;
		if ((rc = archive_requirement_insert(c, &q, e)) != 0)
			goto out;
		req_ids[i] = q.id;
	}
	for (k = 0; k < nunits; k++) {
		if (!users[k] || !units[k].enabled)
			continue;
		for (i = 0; i < NREQS; i++) {
			struct archive_document d;

			/* every unit keeps its 工作方案; the later ones are missing more often */
			if (strcmp(requirements[i].kind, units[k].kind) ||
			    (strcmp(requirements[i].title, "工作方案") &&
			     (k + i) % (2 + i % 3) == 1))
				continue;
			if ((rc = demo_doc(c, tenant_id, users[k], k * 10 + i,
			                   arena_printf(&a, "%s-%s.jpg", units[k].name,
			                                requirements[i].title),
			                   now - (30 - i) * DAY, &a, &file_id, e)) != 0)
				goto out;
			memset(&d, 0, sizeof(d));
			d.requirement_id = req_ids[i];
			d.unit_id = units[k].id;
			d.file_id = file_id;
			d.note = "";
			d.user_id = users[k];
			d.created_at = now - (30 - i) * DAY + k * 3600000LL;
			if ((rc = archive_file(c, tenant_id, &d, e)) != 0)
				goto out;
			counts->documents++;
		}
	}

	/* this year's 责任书: every department and town, most confirmed */
	plan_today(now, 480, today);
	for (k = 0; k < nunits; k++) {
		struct pledge p;

		if (!units[k].enabled ||
		    (strcmp(units[k].kind, "department") && strcmp(units[k].kind, "town")))
			continue;
		memset(&p, 0, sizeof(p));
		p.tenant_id = tenant_id;
		p.year = (today[0] - '0') * 1000 + (today[1] - '0') * 100 + (today[2] - '0') * 10 +
		         (today[3] - '0');
		p.unit_id = units[k].id;
		p.items = pledge_text;
		p.created_by = office;
		p.created_at = now - 40 * DAY;
		if ((rc = pledge_put(c, &p, e)) != 0)
			goto out;
		counts->pledges++;
		if (users[k] && k % 6 != 5) {
			if ((rc = pledge_confirm(c, tenant_id, p.id, users[k],
			                         now - (35 - k % 20) * DAY, e)) != 0)
				goto out;
			counts->confirmed++;
		}
	}
out:
	arena_release(&a);
	return rc;
}

/*
 * problem_report.c - a new problem entering the loop: its place and routing
 * (master_route), its photos checked, recurrence and near-duplicates, its
 * number, the row, the "report" event and the before-photos.  Shared by
 * POST /problems and by the inspection records whose failed items become
 * problems, inside the caller's write transaction.
 */
#include <math.h>
#include <string.h>
#include <time.h>

#include "files/files.h"
#include "master/master.h"
#include "problem/problem.h"
#include "settings/settings.h"

int problem_check_photos(struct store_conn *c, int64_t tenant_id, const struct principal *reader,
                         const int64_t *ids, int n, struct arena *a, struct error *e)
{
	struct file_info f;
	int i, rc, ok = 1;

	for (i = 0; i < n; i++) {
		rc = file_get(c, tenant_id, ids[i], a, &f, e);
		/* a file the caller may not read cannot be attached either: that would open it */
		if (!rc && reader)
			rc = file_readable(c, reader, &f, a, &ok, e);
		if (rc == ERR_NOT_FOUND || (!rc && !ok))
			return error_set(e, ERR_INVALID, "photo_ids", "照片 %lld 不存在",
			                 (long long)ids[i]);
		if (rc)
			return rc;
	}
	return 0;
}

/* Category, point, grid and the routed unit of p. */
static int report_place(struct store_conn *c, struct problem *p, struct arena *a, struct error *e)
{
	struct category k;
	struct point pt;
	int64_t unit = 0;
	int rc;

	rc = category_get(c, p->tenant_id, p->category_id, a, &k, e);
	if (rc == ERR_NOT_FOUND || (!rc && !k.enabled))
		return error_set(e, ERR_INVALID, "category_id", "问题分类不存在或已停用");
	if (rc)
		return rc;
	if (!p->severity)
		p->severity = k.severity >= 1 && k.severity <= 3 ? k.severity : 1;
	if (p->point_id) {
		rc = point_get(c, p->tenant_id, p->point_id, a, &pt, e);
		if (rc == ERR_NOT_FOUND)
			return error_set(e, ERR_INVALID, "point_id", "点位不存在");
		if (rc)
			return rc;
		p->grid_id = pt.grid_id;
		if (!p->has_location && pt.has_location) {
			p->has_location = 1;
			p->lat = pt.lat;
			p->lng = pt.lng;
		}
		if (!*p->address)
			p->address = pt.address;
	} else if ((rc = grid_locate(c, p->tenant_id, p->lat, p->lng, a, &p->grid_id, &unit, e))) {
		return rc;
	}
	return master_route(c, p->tenant_id, p->category_id, p->point_id,
	                    p->has_location ? p->lat : NAN, p->has_location ? p->lng : NAN,
	                    &p->suggested_unit_id, &p->suggested_hours, e);
}

/*
 * Recurrence (反弹): the nearest closed problem of the category within the
 * tenant's recurrence distance, closed inside its window (参数设置).  Open
 * ones nearby are offered as near-duplicates in similar (may be NULL).
 */
static int report_nearby(struct store_conn *c, struct problem *p, int64_t now, json_t *similar,
                         struct arena *a, struct error *e)
{
	struct tenant_settings set;
	struct problem_near *near;
	int64_t since;
	int i, n, rc;

	if (!p->has_location)
		return 0;
	if ((rc = settings_get(c, p->tenant_id, a, &set, e)))
		return rc;
	since = now - set.recur_window_days * 86400LL * 1000;
	if ((rc = problem_nearby(c, p->tenant_id, p->category_id, p->lat, p->lng,
	                         set.recur_distance_m, since, a, &near, &n, e)))
		return rc;
	for (i = 0; i < n; i++) {
		if (near[i].status == PS_CLOSED) {
			if (!p->recurrence_of && near[i].closed_at >= since)
				p->recurrence_of = near[i].id;
		} else if (similar && !problem_status_final(near[i].status)) {
			json_array_append_new(
			    similar,
			    json_pack("{s:I, s:s, s:s, s:i}", "id", (json_int_t)near[i].id, "code",
			              near[i].code, "status", problem_status_name(near[i].status),
			              "distance_m", (int)lround(near[i].distance_m)));
		}
	}
	return 0;
}

/* The year of ms in a zone minutes east of UTC. */
int problem_year(int64_t ms, int minutes)
{
	time_t t = (time_t)(ms / 1000) + minutes * 60;
	struct tm tm;

	gmtime_r(&t, &tm);
	return tm.tm_year + 1900;
}

int problem_report_prepare(struct store_conn *c, struct problem_report *rep, struct arena *a,
                           struct error *e)
{
	struct problem *p = rep->p;
	int rc;

	p->status = PS_REPORTED;
	p->created_at = p->updated_at = rep->now;
	if (!p->outcome)
		p->outcome = "";
	if ((rc = report_place(c, p, a, e)) ||
	    (rc = problem_check_photos(c, p->tenant_id, rep->reader, rep->photos, rep->nphotos, a,
	                               e)) ||
	    (rc = report_nearby(c, p, rep->now, rep->similar, a, e)))
		return rc;
	return 0;
}

int problem_report_insert(struct store_conn *c, struct problem_report *rep, struct arena *a,
                          struct error *e)
{
	struct problem *p = rep->p;
	struct problem_event ev;
	int64_t no = 0, event_id = 0;
	int i, rc, year;

	year = problem_year(rep->now, rep->tz_minutes);
	if ((rc = problem_next_number(c, p->tenant_id, year, &no, e)))
		return rc;
	p->code = arena_printf(a, "%d-%06lld", year, (long long)no);
	if ((rc = problem_insert(c, p, e)))
		return rc;
	memset(&ev, 0, sizeof(ev));
	ev.problem_id = p->id;
	ev.action = "report";
	ev.to = PS_REPORTED;
	ev.user_id = p->reporter_id;
	ev.unit_id = rep->actor_unit_id;
	ev.note = "";
	ev.detail = rep->event_detail;
	ev.at = rep->now;
	if ((rc = problem_event_add(c, &ev, &event_id, e)))
		return rc;
	for (i = 0; i < rep->nphotos; i++)
		if ((rc = problem_photo_add(c, p->id, rep->photos[i], "before", event_id, i, e)))
			return rc;
	return 0;
}

int problem_report(struct store_conn *c, struct problem_report *rep, struct arena *a,
                   struct error *e)
{
	int rc = problem_report_prepare(c, rep, a, e);

	return rc ? rc : problem_report_insert(c, rep, a, e);
}

/*
 * record_problem.c - the problem a failed observation becomes (实地测评:
 * "failed items become problems automatically, routed as above"), for
 * POST /inspections/{id}/records (api_records.c) and `wenming demo`.
 */
#include <string.h>

#include "inspect/inspect.h"
#include "inspect/score.h"
#include "problem/problem.h"

int record_observation_problem(struct store_conn *c, int64_t tenant_id, const struct round *x,
                               const struct record *rec, const struct round_point *pt,
                               struct observation *o, int64_t actor_unit_id, int tz_minutes,
                               struct arena *a, json_t **summary, struct error *e)
{
	const char *kind = round_kind_title(x->kind);
	struct problem_report rep;
	struct problem p;
	int rc;

	*summary = NULL;
	memset(&p, 0, sizeof(p));
	p.tenant_id = tenant_id;
	p.category_id = o->category_id;
	p.point_id = pt->point_id;
	p.has_location = rec->has_location;
	p.lat = rec->lat;
	p.lng = rec->lng;
	p.address = "";
	/*
	 * The finding first (the inspector's note, else the item), so the list's
	 * description column shows what is wrong; the round's kind is the source.
	 */
	p.description = *o->note ? arena_printf(a, "%s（%s，%s，数量 %lld；%s：%s）", o->note,
	                                        o->item_title, rating_title(o->rating),
	                                        (long long)o->count, kind ? kind : "督查", pt->name)
	                         : arena_printf(a, "%s（%s，数量 %lld；%s：%s）", o->item_title,
	                                        rating_title(o->rating), (long long)o->count,
	                                        kind ? kind : "督查", pt->name);
	p.severity = o->rating == RATING_SEVERE ? 3 : 0;
	p.source = problem_source_of_round(x->kind);
	p.reporter_id = rec->inspector_id;
	memset(&rep, 0, sizeof(rep));
	rep.p = &p;
	rep.actor_unit_id = actor_unit_id;
	rep.photos = o->photos;
	rep.nphotos = o->nphotos;
	rep.now = rec->updated_at;
	rep.tz_minutes = tz_minutes;
	rep.event_detail = json_pack("{s:I, s:I, s:I, s:I}", "inspection_id", (json_int_t)x->id,
	                             "record_id", (json_int_t)rec->id, "observation_id",
	                             (json_int_t)o->id, "standard_id", (json_int_t)o->standard_id);
	rc = problem_report(c, &rep, a, e);
	json_decref(rep.event_detail);
	if (!rc)
		rc = observation_set_problem(c, o->id, p.id, e);
	if (rc)
		return rc;
	o->problem_id = p.id;
	*summary = json_pack("{s:s, s:I, s:s, s:i, s:I}", "code", p.code, "category_id",
	                     (json_int_t)p.category_id, "source", p.source, "photos", o->nphotos,
	                     "inspection_id", (json_int_t)x->id);
	return 0;
}

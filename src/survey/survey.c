/*
 * survey.c - taking a response (the rules both channels share) and the JSON
 * of surveys and responses.
 */
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "http/reply.h"
#include "org/org.h"
#include "survey/survey.h"

/* Answers from the same public address before this one that raise a flag. */
#define ADDRESS_FLAG_AFTER 3

int survey_respond(struct store_conn *c, const struct survey *s, struct survey_response *r,
                   json_t *answers, struct arena *a, struct error *e)
{
	struct survey_extent x;
	struct survey_unit *units;
	int nunits, i, full = 0, listed = 1, rc;
	char *text;

	if (strcmp(s->status, "published"))
		return error_set(e, ERR_GONE, NULL, "问卷已结束，不再接收答卷");
	if ((rc = survey_answers_check(&s->d, answers, e)))
		return rc;
	if ((rc = survey_communities(c, s->tenant_id, s->id, a, &units, &nunits, e)))
		return rc;
	for (i = 0; i < nunits && units[i].id != r->unit_id; i++)
		;
	if (i == nunits)
		return error_set(e, ERR_INVALID, "community_id", "请选择本问卷调查范围内的社区");
	if ((rc = survey_quota_room(c, s->id, r->unit_id, r->age_group ? r->age_group : "",
	                            r->sex ? r->sex : "", &full, &listed, e)))
		return rc;
	if (!listed)
		return error_set(e, ERR_INVALID, "community_id", "请选择本问卷调查范围内的社区");
	if (full)
		return error_set(e, ERR_GONE, "community_id", "“%s”的样本已满，感谢您的参与",
		                 units[i].name);
	if (survey_flag_fast(r->duration_ms, s->min_seconds))
		r->flags |= FLAG_FAST;
	if (survey_flag_straight(&s->d, answers))
		r->flags |= FLAG_STRAIGHT;
	if (r->has_location) {
		if ((rc = survey_extent(c, s->tenant_id, &x, e)))
			return rc;
		if (survey_flag_gps(&x, r->lat, r->lng))
			r->flags |= FLAG_GPS;
	}
	if (!strcmp(r->channel, "public") && r->ip && *r->ip) {
		int64_t seen = 0;

		if ((rc = survey_address_count(c, s->id, r->ip, &seen, e)))
			return rc;
		if (seen >= ADDRESS_FLAG_AFTER)
			r->flags |= FLAG_ADDRESS;
	}
	text = json_dumps(answers, JSON_COMPACT | JSON_SORT_KEYS);
	if (!text)
		return error_set(e, ERR_INTERNAL, NULL, NULL);
	r->answers = arena_strdup(a, text);
	free(text);
	r->survey_id = s->id;
	r->tenant_id = s->tenant_id;
	return survey_response_insert(c, r, e);
}

json_t *survey_json(const struct survey *s, int with_design)
{
	json_t *j = json_pack(
	    "{s:I, s:o, s:s, s:s, s:s, s:s, s:I, s:o, s:s, s:I, s:I, s:I, s:I, s:o, s:o, s:i}",
	    "id", (json_int_t)s->id, "framework_id",
	    s->framework_id ? json_integer(s->framework_id) : json_null(), "title", s->title,
	    "intro", s->intro, "series", s->series, "wave", s->wave, "version",
	    (json_int_t)s->version, "previous_id",
	    s->previous_id ? json_integer(s->previous_id) : json_null(), "status", s->status,
	    "min_seconds", (json_int_t)s->min_seconds, "responses", (json_int_t)s->responses,
	    "created_at", (json_int_t)s->created_at, "updated_at", (json_int_t)s->updated_at,
	    "published_at", s->published_at ? json_integer(s->published_at) : json_null(),
	    "closed_at", s->closed_at ? json_integer(s->closed_at) : json_null(), "questions",
	    s->d.nquestions);

	json_object_set_new(j, "token", *s->token ? json_string(s->token) : json_null());
	if (with_design)
		json_object_set_new(j, "design", survey_design_json(&s->d, 1));
	return j;
}

json_t *survey_response_json(const struct survey_response *r)
{
	char masked[32];
	json_t *answers = json_loads(r->answers, 0, NULL);

	phone_mask(r->phone, masked);
	return json_pack("{s:I, s:I, s:s, s:s, s:o, s:s, s:s, s:s, s:o, s:o, s:I, s:o, s:o, s:s, "
	                 "s:s, s:o, s:I}",
	                 "id", (json_int_t)r->id, "unit_id", (json_int_t)r->unit_id, "unit_name",
	                 r->unit_name, "channel", r->channel, "surveyor_id",
	                 r->surveyor_id ? json_integer(r->surveyor_id) : json_null(), "phone",
	                 masked, "age_group", r->age_group, "sex", r->sex, "lat",
	                 r->has_location ? json_real(r->lat) : json_null(), "lng",
	                 r->has_location ? json_real(r->lng) : json_null(), "duration_ms",
	                 (json_int_t)r->duration_ms, "answers", answers ? answers : json_object(),
	                 "flags", survey_flags_json(r->flags), "review", r->review, "review_note",
	                 r->review_note, "reviewed_at",
	                 r->reviewed_at ? json_integer(r->reviewed_at) : json_null(),
	                 "submitted_at", (json_int_t)r->submitted_at);
}

/* survey_api.h - what the survey module's api_*.c files share (HTTP side). */
#ifndef WENMING_SURVEY_API_H
#define WENMING_SURVEY_API_H

#include <jansson.h>
#include <stdint.h>

#include "survey/survey.h"

struct req;

/* The survey of path {id} in the caller's tenant; 404 otherwise. */
int survey_param(struct req *r, struct survey *s);

/*
 * community_id, answers, phone, age_group, sex, lat/lng and duration_ms of
 * body into x; *answers borrowed from body (api_public_surveys.c).
 */
int survey_response_fields(struct req *r, json_t *body, struct survey_response *x,
                           json_t **answers);

/* The public link of s (and community unit_id when not 0), from the request's Host. */
const char *survey_public_url(struct req *r, const struct survey *s, int64_t unit_id);

#endif

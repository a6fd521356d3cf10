/* inspect_api.h - what the inspect module's api_*.c files share (HTTP side). */
#ifndef WENMING_INSPECT_API_H
#define WENMING_INSPECT_API_H

#include <jansson.h>
#include <stdint.h>

#include "inspect/inspect.h"

struct req;
struct scope;

/* The caller's inspection:round:view scope. */
int inspect_round_scope(struct req *r, struct scope *s);

/* An array of distinct positive ids in body[key] (absent: none), at most max. */
int inspect_json_ids(struct req *r, json_t *body, const char *key, int max, int64_t **ids, int *n);

/* A number in [lo, hi] in body[key]; *present says whether it was given (not null). */
int inspect_json_number(struct req *r, json_t *body, const char *key, double lo, double hi,
                        double *out, int *present);

/* The framework of path parameter param. */
int inspect_framework_param(struct req *r, const char *param, struct framework *f);

/* The round of path {id} as scope s (filled) sees it; 404 outside. */
struct round;
int inspect_round_param(struct req *r, struct scope *s, struct round *x);

/* api_framework_sheet.c */
int framework_template(struct req *r);
int framework_import(struct req *r);
int framework_export(struct req *r);

#endif

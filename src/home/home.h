/* home.h - GET /home, each role's first screen as cards (api_home.c). */
#ifndef WENMING_HOME_H
#define WENMING_HOME_H

#include <stdint.h>

#include <jansson.h>

#include "core/err.h"

struct router;
struct req;
struct principal;

/* GET /home: what routes.c calls. */
void home_routes(struct router *rt);

/*
 * The caller's work beyond problems (home_work.c): materials waiting for
 * its units (to upload or submit) or for its review, plan tasks due a
 * progress report.  For the home card "work" and GET /notices' bell.
 */
struct home_work {
	int64_t materials_to_submit; /* not started, drafting, returned (material:upload) */
	int64_t materials_to_review; /* submitted (material:review) */
	int64_t tasks_report_missing;
	int64_t total;
};

/* 1 when p does any of that work (uploads or reviews materials, reports or runs plans). */
int home_work_shown(const struct principal *p);

/* The counts for r's caller within its scopes (strings from r's arena). */
int home_work_counts(struct req *r, struct home_work *w, struct error *e);

/* The counts as the API gives them (a new reference). */
json_t *home_work_json(const struct home_work *w);

#endif

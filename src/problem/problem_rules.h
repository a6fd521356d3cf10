/*
 * problem_rules.h - the rules of one transition of the closed loop, apart
 * from HTTP: who may act (the lead unit's own users for a unit's step; the
 * office only as an explicit 代办 where the tenant allows it), what an
 * action's input must say, what it changes on the problem, and what the
 * after-photos of a submission must show before 复核 passes.
 *
 * Every function answers 0 or an ERR_* code with a Chinese message in e
 * (the field at fault named), so api_problem_actions.c only reads the body
 * and replies, and a batch (api_problem_batch.c) can report per row.
 */
#ifndef WENMING_PROBLEM_RULES_H
#define WENMING_PROBLEM_RULES_H

#include <jansson.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "problem/problem.h"

struct principal;
struct scope;
struct store_conn;

/* What the body of an action asked for. */
struct problem_input {
	const char *note;         /* note, or the reason where one is required */
	const char *reason;       /* verify: why flagged after-photos pass anyway */
	const char *proxy_reason; /* a unit action done by the office (代办) */
	int passed;               /* verify */
	const char *outcome;      /* verify passed */
	int approved;             /* decide-extension */
	int64_t unit_id;          /* assign; 0: the routed unit */
	int64_t co_units[PROBLEM_MAX_COUNITS];
	int nco;
	int64_t deadline; /* assign, extend, decide-extension, reopen; 0: none given */
	int64_t days;     /* extend */
	int64_t photos[PROBLEM_MAX_PHOTOS];
	int nphotos;
	const struct principal *reader; /* submit: who attaches the photos (NULL: anyone) */
};

/* Who acts. */
struct problem_caller {
	const struct principal *principal; /* for the photos it attaches */
	int64_t user_id, unit_id;
	const struct scope *rectify; /* the caller's problem:rectify scope */
	int office;                  /* holds problem:assign: the office, which may 代办 */
	int proxy_enabled;           /* the tenant allows 代办 (settings) */
};

/*
 * Read and check the body of action a into in (strings borrowed from body
 * or allocated from ar).  ERR_INVALID naming the field.
 */
int problem_input_read(enum problem_action a, json_t *body, struct arena *ar,
                       struct problem_input *in, struct error *e);

/* 1 when the caller is a user of unit_id (ancestors: its path "/1/3/"), as below. */
int problem_unit_actor(const struct problem_caller *who, int64_t unit_id, const char *ancestors);

/* 1 when the caller is a user of p's lead unit (its own unit, or a unit scope holding it). */
int problem_actor_is_lead(const struct problem_caller *who, const struct problem *p);

/*
 * May who perform a on p?  Office actions are the permission's business
 * (the router checked it).  A unit action (sign, return, submit, extend)
 * needs a user of the lead unit; anyone else gets ERR_FORBIDDEN, except
 * the office with in->proxy_reason where the tenant allows 代办: then
 * *proxy = 1.  A proxy_reason from the unit itself is ERR_INVALID.
 */
int problem_actor_check(enum problem_action a, const struct problem *p,
                        const struct problem_caller *who, const struct problem_input *in,
                        int *proxy, struct error *e);

/*
 * Apply action a to p, already allowed by problem_next to go to `to`:
 * assignment (the routed unit and the category's deadline by default),
 * deadlines, extension, outcome; what changed goes into detail.  Units
 * named are looked up in c (ERR_INVALID when not the tenant's).
 */
int problem_apply(struct store_conn *c, enum problem_action a, struct problem_input *in,
                  struct problem *p, enum problem_status to, int64_t now, json_t *detail,
                  struct arena *ar, struct error *e);

/* photo_ids of body: 1..PROBLEM_MAX_PHOTOS distinct ids, at least min. */
int problem_photo_ids(json_t *body, int min, int64_t *ids, int *n, struct error *e);

/*
 * One transition of p (read by the caller in its write transaction): who
 * may act, where a goes (problem_fsm.h), the 复核 photo check, the changes,
 * the timeline event (marked when a 代办) and the after-photos.  *summary
 * (the caller's) is what the audit row says.  Nothing is written on error.
 */
int problem_transition(struct store_conn *c, enum problem_action a, struct problem_input *in,
                       const struct problem_caller *who, struct problem *p, int64_t now,
                       struct arena *ar, json_t **summary, struct error *e);

/*
 * Fill who as principal acts (its problem:rectify scope in *rectify, which
 * must outlive who; the tenant's 代办 setting read from c).
 */
int problem_caller_init(struct store_conn *c, const struct principal *principal, struct arena *a,
                        struct scope *rectify, struct problem_caller *who, struct error *e);

/*
 * Action a on problem id as principal, in the caller's write transaction:
 * the problem as principal sees it (problem:view scope, ERR_NOT_FOUND
 * outside), then problem_transition.  *p is the problem after the move.
 * The API handler and `wenming demo` both act through this.
 */
int problem_act_as(struct store_conn *c, const struct principal *principal, int64_t id,
                   enum problem_action a, struct problem_input *in, int64_t now, struct arena *ar,
                   struct problem *p, json_t **summary, struct error *e);

/* ---- after-photos (复核) ----------------------------------------------------- */

/* What is doubtful about an after-photo (bits). */
enum {
	PHOTO_BEFORE_ASSIGNMENT = 1, /* captured before the problem was first assigned */
	PHOTO_NO_CAPTURE_TIME = 2,   /* no EXIF capture time */
	PHOTO_SAME_AS_BEFORE = 4,    /* the same bytes as a before-photo */
};

struct problem_photo_fact {
	int64_t file_id;
	int64_t captured_at; /* 0: unknown */
	int same_as_before;
};

/* The flags of an after-photo of p. */
int problem_photo_flags(const struct problem_photo_fact *f, const struct problem *p);

/* ["拍摄时间早于交办", ...] of flags. */
json_t *problem_photo_flag_titles(int flags);

/*
 * The warnings a 复核 of p shows for the after-photos of its latest
 * submission: [{"file_id", "flags": [...], "message"}], empty when none.
 */
json_t *problem_verify_warnings(const struct problem_photo_fact *f, int n, const struct problem *p);

/* The same warnings from a detail's photos (problem_photos_json, with "flags"). */
json_t *problem_photos_warnings(json_t *photos);

/*
 * Passing a 复核 with warnings needs in->reason: ERR_INVALID naming
 * "reason" with the warnings in the message otherwise.
 */
int problem_verify_check(const struct problem_input *in, json_t *warnings, struct error *e);

/* The after-photos of p's latest submission (storage, problem_db.c); *out from ar. */
int problem_after_photos(struct store_conn *c, int64_t problem_id, struct arena *ar,
                         struct problem_photo_fact **out, int *n, struct error *e);

#endif

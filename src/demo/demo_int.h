/*
 * demo_int.h - what the parts of the played demo share (demo_play.c runs
 * the clock; demo_loop.c plays problems and 交办单, demo_rounds.c the
 * inspection rounds).  Private to src/demo/.
 *
 * The play is a small discrete-event simulation: every actor (a problem,
 * a round, the weekly sheets) has the time of its next step; the earliest
 * step runs with the clock (time_set_now_ms) set to its time, through the
 * domain functions the API calls, as the user who would do it, and says
 * when its next step is.  Everything happens in the caller's transaction.
 */
#ifndef WENMING_DEMO_INT_H
#define WENMING_DEMO_INT_H

#include <jansson.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"

struct store_conn;
struct principal;

#define DEMO_HOUR       (3600LL * 1000)
#define DEMO_DAY        (24 * DEMO_HOUR)
#define DEMO_MAX_ACTORS 2048

struct demo_play;

/* One actor of the play: its step runs at next_at (0: finished). */
struct demo_actor {
	int64_t next_at;
	int (*step)(struct demo_play *d, struct demo_actor *x);
};

struct demo_play {
	struct store_conn *c;
	struct error *e;
	struct arena arena; /* lives as long as the play */
	int64_t tenant_id;
	int64_t end;   /* the real time the play catches up with */
	int64_t start; /* ninety days before */
	const char *data_dir;
	int store_kind;
	uint64_t rng;
	struct demo_actor *actors[DEMO_MAX_ACTORS];
	int nactors;
	/* the cast, by user id */
	int64_t office[5], leaders[4], inspectors[12], grid_workers[18];
	int64_t framework_id;
	/* what happened, for the summary */
	int problems, photos, sheets, sheets_signed, rounds, records, steps;
};

/* A number in [0, n) from the play's seeded generator. */
int demo_rand(struct demo_play *d, int n);

/* The principal of user id (cached for the play). */
const struct principal *demo_who(struct demo_play *d, int64_t user_id);

/* The user id of username; 0 when none. */
int64_t demo_user(struct demo_play *d, const char *username);

/* A user of unit_id who may act for it (problem:rectify), 0 when it has none. */
int64_t demo_unit_user(struct demo_play *d, int64_t unit_id);

/* Add an actor; ERR_INTERNAL when the play is full. */
int demo_add_actor(struct demo_play *d, struct demo_actor *x);

/* An audit row as who, at the play's clock (summary stolen, may be NULL). */
int demo_audit(struct demo_play *d, const struct principal *who, const char *action,
               const char *object_type, int64_t object_id, json_t *summary);

/*
 * A generated photo taken at `at` near (lat, lng), stored as who uploaded it
 * (file_save); *file_id is its id.  seed varies its colour and shape.
 */
int demo_photo(struct demo_play *d, int64_t user_id, int64_t at, double lat, double lng,
               uint64_t seed, const char *name, int64_t *file_id);

/*
 * A problem put into the loop by reporter at the clock's time
 * (problem_report, as POST /problems does) with one before-photo; *id is
 * its id.  point_id 0: at (lat, lng).
 */
struct demo_problem;
int demo_report(struct demo_play *d, struct demo_problem *dp);

/* ---- the loop (demo_loop.c) ----------------------------------------------------------- */

/* A problem of the play and where its story goes. */
struct demo_problem {
	struct demo_actor actor;
	int fate, step;
	int64_t id, reporter_id, category_id, point_id, route_unit_id, default_unit_id;
	int64_t lead_unit_id, deadline, suggested_hours;
	int status; /* enum problem_status */
	double lat, lng;
	const char *source, *description;
	int recur; /* 1: a recurrence follows its closure */
	uint64_t seed;
};

/* Plan the problems the office, inspectors, grid workers, leaders and citizens report, and the
 * sheets. */
int demo_loop_plan(struct demo_play *d);

/*
 * A problem an inspection record has just reported (id), handed to the
 * loop to play on: accepted, assigned and rectified like the others.
 */
int demo_loop_adopt(struct demo_play *d, int64_t id, int64_t reporter_id, int64_t category_id,
                    double lat, double lng);

/* ---- the rounds (demo_rounds.c) --------------------------------------------------------- */

/* Plan two finished 模拟测评 a month apart and a 日常督查 in progress. */
int demo_rounds_plan(struct demo_play *d);

#endif

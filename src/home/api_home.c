/*
 * api_home.c - GET /home: the caller's first screen as a list of cards, each
 * the work of one role computed from the caller's permissions and scope.
 *
 *   office     office_queue (待受理, 待复核, extensions, returned), today
 *              (deadlines falling today), overdue_units
 *   unit       unit_work (to sign, due soon, rework and returned, overdue),
 *              unit_rates (the page asks GET /rankings for the numbers)
 *   inspector  inspector_rounds (open rounds, points done / left)
 *   leader     prediction (the latest scored round's predicted score and its
 *              top lost points), overdue_units
 *   all who upload or review materials or report on plan tasks: work
 *              (materials to upload or submit / to review, tasks due a
 *              report; home_work.c, the same counts the bell adds)
 *
 * Adding a card is one entry in `cards` (a test of who sees it and a builder)
 * and one component in web/src/views/home/cards/.
 */
#include <string.h>

#include "auth/auth.h"
#include "core/clock.h"
#include "home/home.h"
#include "http/req.h"
#include "http/router.h"
#include "inspect/inspect.h"
#include "inspect/inspect_api.h"
#include "problem/home.h"
#include "problem/problem.h"

#define DAY_MS         (24LL * 3600 * 1000)
#define HOME_SOON_DAYS 3
#define HOME_ITEMS     6
#define HOME_UNITS     8
#define HOME_ROUNDS    6
#define HOME_LOSSES    5
#define HOME_SCAN      10 /* newest rounds looked at for one with records */

struct home {
	struct req *r;
	struct scope scope; /* problem:view */
	struct home_window w;
	struct home_counts counts;
	int counted;
};

/* The counts, taken once for all the cards that show them. */
static int home_need_counts(struct home *h, struct error *e)
{
	if (h->counted)
		return 0;
	h->counted = 1;
	return home_counts(h->r->db, h->r->who->tenant_id, &h->scope, &h->w, &h->counts, e);
}

static int items_into(struct home *h, json_t *card, const char *key, const char *kind,
                      struct error *e)
{
	json_t *items;
	int rc = home_items(h->r->db, h->r->who->tenant_id, &h->scope, kind, &h->w, HOME_ITEMS,
	                    &items, e);

	if (!rc)
		json_object_set_new(card, key, items);
	return rc;
}

/* ---- who sees which card ------------------------------------------------------ */

static int is_office(const struct principal *p)
{
	return principal_has(p, "problem:accept") || principal_has(p, "problem:verify") ||
	       principal_has(p, "problem:assign");
}

static int is_unit(const struct principal *p)
{
	return principal_has(p, "problem:rectify") && !is_office(p);
}

static int is_inspector(const struct principal *p)
{
	return principal_has(p, "inspection:record:submit") && !is_office(p);
}

/* Reads the whole county without working the loop: a leader. */
static int is_leader(const struct principal *p)
{
	return principal_has(p, "problem:view") && !is_office(p) && !is_unit(p) &&
	       !is_inspector(p) && !principal_has(p, "problem:report");
}

static int sees_overdue_units(const struct principal *p)
{
	return is_office(p) || is_leader(p);
}

static int sees_prediction(const struct principal *p)
{
	return is_leader(p) && principal_has(p, "inspection:round:view");
}

/* ---- the cards ------------------------------------------------------------------ */

static int card_office_queue(struct home *h, json_t *card, struct error *e)
{
	if (home_need_counts(h, e))
		return -1;
	json_object_set_new(card, "to_accept", json_integer(h->counts.to_accept));
	json_object_set_new(card, "to_verify", json_integer(h->counts.to_verify));
	json_object_set_new(card, "extension_pending", json_integer(h->counts.extension_pending));
	json_object_set_new(card, "returned", json_integer(h->counts.returned));
	if (items_into(h, card, "accept_items", "to_accept", e))
		return -1;
	return items_into(h, card, "verify_items", "to_verify", e);
}

static int card_today(struct home *h, json_t *card, struct error *e)
{
	if (home_need_counts(h, e))
		return -1;
	json_object_set_new(card, "due_today", json_integer(h->counts.due_today));
	json_object_set_new(card, "overdue", json_integer(h->counts.overdue));
	return items_into(h, card, "items", "today", e);
}

static int card_overdue_units(struct home *h, json_t *card, struct error *e)
{
	json_t *units;

	if (home_need_counts(h, e) ||
	    home_overdue_by_unit(h->r->db, h->r->who->tenant_id, &h->scope, h->w.now, HOME_UNITS,
	                         &units, e))
		return -1;
	json_object_set_new(card, "overdue", json_integer(h->counts.overdue));
	json_object_set_new(card, "units", units);
	return 0;
}

static int card_unit_work(struct home *h, json_t *card, struct error *e)
{
	if (home_need_counts(h, e))
		return -1;
	json_object_set_new(card, "to_sign", json_integer(h->counts.to_sign));
	json_object_set_new(card, "due_soon", json_integer(h->counts.due_soon));
	json_object_set_new(card, "rework", json_integer(h->counts.rework));
	json_object_set_new(card, "returned", json_integer(h->counts.returned));
	json_object_set_new(card, "overdue", json_integer(h->counts.overdue));
	json_object_set_new(card, "soon_days", json_integer(HOME_SOON_DAYS));
	if (items_into(h, card, "sign_items", "to_sign", e) ||
	    items_into(h, card, "soon_items", "due_soon", e))
		return -1;
	return items_into(h, card, "rework_items", "rework", e);
}

static int card_unit_rates(struct home *h, json_t *card, struct error *e)
{
	(void)e;
	json_object_set_new(card, "unit_id", json_integer(h->r->who->unit_id));
	return 0;
}

static int card_inspector_rounds(struct home *h, json_t *card, struct error *e)
{
	struct round_filter f;
	struct round *list;
	struct scope s;
	int64_t total = 0, left = 0;
	json_t *rounds = json_array();
	int i, n;

	memset(&f, 0, sizeof(f));
	inspect_round_scope(h->r, &s);
	f.scope = &s;
	f.status = "open";
	f.limit = HOME_ROUNDS;
	if (round_list(h->r->db, h->r->who->tenant_id, &f, &h->r->arena, &list, &n, &total, e))
		goto fail;
	for (i = 0; i < n; i++) {
		int64_t done = 0, all = 0;

		if (round_progress(h->r->db, list[i].id, &s, &done, &all, e))
			goto fail;
		left += all - done;
		json_array_append_new(
		    rounds,
		    json_pack("{s:I, s:s, s:s, s:s, s:s, s:I, s:I}", "id", (json_int_t)list[i].id,
		              "title", list[i].title, "kind", list[i].kind, "starts_on",
		              list[i].starts_on ? list[i].starts_on : "", "ends_on",
		              list[i].ends_on ? list[i].ends_on : "", "done", (json_int_t)done,
		              "total", (json_int_t)all));
	}
	json_object_set_new(card, "open_rounds", json_integer(total));
	json_object_set_new(card, "points_left", json_integer(left));
	json_object_set_new(card, "rounds", rounds);
	return 0;
fail:
	json_decref(rounds);
	return -1;
}

static int card_work(struct home *h, json_t *card, struct error *e)
{
	struct home_work w;

	if (home_work_counts(h->r, &w, e))
		return -1;
	json_object_update_new(card, home_work_json(&w));
	return 0;
}

/* The newest round with records: its predicted score and top lost standards. */
static int card_prediction(struct home *h, json_t *card, struct error *e)
{
	struct round_filter f;
	struct round *list;
	struct round_score rs;
	struct scope s;
	int64_t total = 0, pick = 0;
	json_t *score, *losses, *top;
	size_t k;
	int i, n;

	memset(&f, 0, sizeof(f));
	inspect_round_scope(h->r, &s);
	f.scope = &s;
	f.limit = HOME_SCAN;
	if (round_list(h->r->db, h->r->who->tenant_id, &f, &h->r->arena, &list, &n, &total, e))
		return -1;
	for (i = 0; i < n && !pick; i++) {
		int64_t done = 0, all = 0;

		if (round_progress(h->r->db, list[i].id, &s, &done, &all, e))
			return -1;
		if (done > 0)
			pick = list[i].id;
	}
	json_object_set_new(card, "rounds", json_integer(total));
	if (!pick) {
		json_object_set_new(card, "inspection", json_null());
		return 0;
	}
	if (round_score_load(h->r->db, h->r->who->tenant_id, &s, pick, &h->r->arena, &rs, e)) {
		round_score_release(&rs);
		return -1;
	}
	score = round_score_json(&rs, &h->r->arena);
	round_score_release(&rs);
	json_object_set(card, "inspection", json_object_get(score, "inspection"));
	json_object_set(card, "predicted", json_object_get(score, "predicted"));
	json_object_set(card, "score", json_object_get(score, "score"));
	json_object_set(card, "field_total", json_object_get(score, "field_total"));
	json_object_set(card, "coverage", json_object_get(score, "coverage"));
	json_object_set(card, "points", json_object_get(score, "points"));
	losses = json_object_get(score, "losses");
	top = json_array();
	for (k = 0; k < json_array_size(losses) && k < HOME_LOSSES; k++) {
		json_t *l = json_array_get(losses, k);

		json_array_append_new(top, json_pack("{s:O, s:O, s:O, s:O}", "standard_id",
		                                     json_object_get(l, "standard_id"), "code",
		                                     json_object_get(l, "code"), "title",
		                                     json_object_get(l, "title"), "lost",
		                                     json_object_get(l, "lost")));
	}
	json_object_set_new(card, "losses", top);
	json_decref(score);
	return 0;
}

static const struct home_card {
	const char *key;
	int (*shown)(const struct principal *p);
	int (*build)(struct home *h, json_t *card, struct error *e);
} cards[] = {
    {"office_queue", is_office, card_office_queue},
    {"today", is_office, card_today},
    {"unit_work", is_unit, card_unit_work},
    {"unit_rates", is_unit, card_unit_rates},
    {"work", home_work_shown, card_work},
    {"inspector_rounds", is_inspector, card_inspector_rounds},
    {"prediction", sees_prediction, card_prediction},
    {"overdue_units", sees_overdue_units, card_overdue_units},
};

/* GET /home */
static int home_get(struct req *r)
{
	struct home h;
	struct error e;
	char today[20], ymd[11];
	json_t *list;
	int minutes;
	size_t i;

	if (!req_db(r))
		return r->err.code;
	memset(&h, 0, sizeof(h));
	h.r = r;
	problem_view_scope(r, &h.scope);
	minutes = problem_api_minutes(r);
	h.w.now = time_now_ms();
	tz_format(h.w.now, minutes, today);
	snprintf(ymd, sizeof(ymd), "%.10s", today);
	tz_parse_date(ymd, minutes, &h.w.day_start);
	h.w.day_end = h.w.day_start + DAY_MS;
	h.w.soon_end = h.w.now + HOME_SOON_DAYS * DAY_MS;

	list = json_array();
	error_init(&e);
	for (i = 0; i < sizeof(cards) / sizeof(cards[0]); i++) {
		json_t *card;

		if (!cards[i].shown(r->who))
			continue;
		card = json_pack("{s:s}", "key", cards[i].key);
		if (cards[i].build(&h, card, &e)) {
			json_decref(card);
			json_decref(list);
			return req_fail_error(r, &e);
		}
		json_array_append_new(list, card);
	}
	return req_reply_json(
	    r, 200,
	    json_pack("{s:o, s:s, s:I}", "cards", list, "today", ymd, "now", (json_int_t)h.w.now));
}

void home_routes(struct router *rt)
{
	router_add(rt, "GET", "/api/v1/home", home_get, ROUTE_LOGIN, 0);
}

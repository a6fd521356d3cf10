/*
 * demo_play.c - ninety days of the demo county's campaign, played through
 * the domain functions the API calls, at the times they happen: the clock
 * of core time (time_set_now_ms) is set to each step's time, so events,
 * deadlines, photos' capture times, audit rows and rankings carry the
 * dates of the story.  Deterministic: one seed drives every choice, and the
 * story is laid out relative to the time it is played, so two back ends
 * played together hold the same problems in the same states.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "auth/auth.h"
#include "core/clock.h"
#include "demo/demo.h"
#include "demo/demo_int.h"
#include "files/blob.h"
#include "files/files.h"
#include "inspect/inspect.h"
#include "org/org_db.h"
#include "store/store.h"

int demo_rand(struct demo_play *d, int n)
{
	return n > 0 ? (int)(splitmix64(&d->rng) % (uint64_t)n) : 0;
}

/* Principals loaded so far: the cast is small. */
static struct {
	int64_t id;
	struct principal *p;
} cast[256];
static int ncast;

const struct principal *demo_who(struct demo_play *d, int64_t user_id)
{
	struct principal *p;
	struct error e;
	int i;

	for (i = 0; i < ncast; i++)
		if (cast[i].id == user_id)
			return cast[i].p;
	error_init(&e);
	if (auth_principal_of_user(d->c, d->tenant_id, user_id, &d->arena, &p, &e))
		return NULL;
	if (ncast < (int)(sizeof(cast) / sizeof(cast[0]))) {
		cast[ncast].id = user_id;
		cast[ncast++].p = p;
	}
	return p;
}

int64_t demo_user(struct demo_play *d, const char *username)
{
	struct error e;
	int64_t id = 0;

	error_init(&e);
	return user_id_by_username(d->c, username, &id, &e) ? 0 : id;
}

/* The first user of a unit holding a unit role (unit_admin before unit_staff). */
STORE_SQL(q_demo_unit_user,
          "SELECT u.id FROM users u JOIN user_roles ur ON ur.user_id = u.id"
          " JOIN roles r ON r.id = ur.role_id"
          " WHERE u.tenant_id = ? AND u.unit_id = ? AND u.enabled = 1"
          " AND r.key IN ('unit_admin', 'unit_staff') ORDER BY r.key, u.id LIMIT 1");

/* Units asked so far and their user (0: none); asked again on every beat otherwise. */
static struct {
	int64_t unit, user;
} unit_users[256];
static int nunit_users;

int64_t demo_unit_user(struct demo_play *d, int64_t unit_id)
{
	struct store_val args[] = {sv_int(d->tenant_id), sv_int(unit_id)};
	struct error e;
	int64_t id = 0;
	int i;

	for (i = 0; i < nunit_users; i++)
		if (unit_users[i].unit == unit_id)
			return unit_users[i].user;
	error_init(&e);
	if (store_query_int(d->c, &q_demo_unit_user, args, 2, &id, &e))
		id = 0;
	if (nunit_users < (int)(sizeof(unit_users) / sizeof(unit_users[0]))) {
		unit_users[nunit_users].unit = unit_id;
		unit_users[nunit_users++].user = id;
	}
	return id;
}

int demo_add_actor(struct demo_play *d, struct demo_actor *x)
{
	if (d->nactors == DEMO_MAX_ACTORS)
		return error_set(d->e, ERR_INTERNAL, NULL, "demo: too many actors");
	d->actors[d->nactors++] = x;
	return 0;
}

int demo_audit(struct demo_play *d, const struct principal *who, const char *action,
               const char *object_type, int64_t object_id, json_t *summary)
{
	struct req_audit_row a;
	char id[24];
	char *text = summary ? json_dumps(summary, JSON_COMPACT) : NULL;
	int rc;

	json_decref(summary);
	snprintf(id, sizeof(id), "%lld", (long long)object_id);
	memset(&a, 0, sizeof(a));
	a.tenant_id = d->tenant_id;
	a.user_id = who->user_id;
	a.username = who->username;
	a.ip = "";
	a.action = action;
	a.object_type = object_type;
	a.object_id = id;
	a.summary = text ? text : "{}";
	a.result = "ok";
	a.request_id = "wenming-demo";
	rc = audit_append(d->c, &a, d->e);
	free(text);
	return rc;
}

int demo_photo(struct demo_play *d, int64_t user_id, int64_t at, double lat, double lng,
               uint64_t seed, const char *name, int64_t *file_id)
{
	struct image_spec s;
	struct file_info f;
	void *jpeg;
	size_t len;
	int rc;

	memset(&s, 0, sizeof(s));
	s.width = 320;
	s.height = 240;
	s.rgb[0] = (unsigned char)(40 + seed % 170);
	s.rgb[1] = (unsigned char)(40 + (seed >> 8) % 170);
	s.rgb[2] = (unsigned char)(40 + (seed >> 16) % 170);
	s.shape = (int)((seed >> 24) % 4);
	s.captured_at = at;
	s.has_gps = 1;
	s.lat = lat;
	s.lng = lng;
	if ((rc = image_compose_jpeg(&s, &d->arena, &jpeg, &len, d->e)))
		return rc;
	memset(&f, 0, sizeof(f));
	if ((rc = image_probe(jpeg, len, &f, d->e)))
		return rc;
	f.tenant_id = d->tenant_id;
	f.user_id = user_id;
	f.original_name = name;
	if ((rc = file_save(d->c, d->data_dir, d->store_kind, jpeg, len, &f, &d->arena, d->e)))
		return rc;
	{
		const struct principal *who = demo_who(d, user_id);

		if (who && (rc = demo_audit(d, who, "file.upload", "file", f.id,
		                            json_pack("{s:s, s:s, s:I, s:s}", "sha256", f.sha256,
		                                      "content_type", f.content_type, "size",
		                                      (json_int_t)f.size, "original_name", name))))
			return rc;
	}
	d->photos++;
	*file_id = f.id;
	return 0;
}

/* The cast by username. */
static int find_cast(struct demo_play *d)
{
	char name[32];
	int i;

	for (i = 0; i < 5; i++) {
		snprintf(name, sizeof(name), "office%02d", i + 1);
		d->office[i] = demo_user(d, name);
	}
	for (i = 0; i < 4; i++) {
		snprintf(name, sizeof(name), "leader%02d", i + 1);
		d->leaders[i] = demo_user(d, name);
	}
	for (i = 0; i < 12; i++) {
		snprintf(name, sizeof(name), "insp%02d", i + 1);
		d->inspectors[i] = demo_user(d, name);
	}
	for (i = 0; i < 18; i++) {
		snprintf(name, sizeof(name), "grid%02d", i + 1);
		d->grid_workers[i] = demo_user(d, name);
	}
	if (!d->office[0] || !d->inspectors[11] || !d->grid_workers[17] || !d->leaders[3])
		return error_set(d->e, ERR_INTERNAL, NULL, "demo: the demo accounts are missing");
	return 0;
}

int demo_play_run(struct store_conn *c, int64_t tenant_id, const struct demo_options *o,
                  int64_t end, struct demo_play_counts *out, struct error *e)
{
	struct demo_play *d = calloc(1, sizeof(*d));
	int rc, i;

	memset(out, 0, sizeof(*out));
	d->c = c;
	d->e = e;
	arena_init(&d->arena);
	d->tenant_id = tenant_id;
	d->end = end;
	d->start = end - 90 * DEMO_DAY;
	d->data_dir = o->data_dir;
	d->store_kind = o->store_kind;
	d->rng = o->seed;
	ncast = nunit_users = 0;
	blob_fs_defer_sync(1); /* one syncfs below instead of four fsyncs a photo */
	rc = find_cast(d);
	if (!rc)
		rc = framework_active(c, tenant_id, &d->framework_id, e);
	if (!rc)
		rc = demo_loop_plan(d);
	if (!rc)
		rc = demo_rounds_plan(d);
	/* the earliest pending step next, the older actor first on a tie */
	while (!rc) {
		struct demo_actor *x = NULL;

		for (i = 0; i < d->nactors; i++) {
			struct demo_actor *y = d->actors[i];

			if (y->next_at && y->next_at <= end && (!x || y->next_at < x->next_at))
				x = y;
		}
		if (!x)
			break;
		time_set_now_ms(x->next_at);
		rc = x->step(d, x);
		d->steps++;
	}
	time_set_now_ms(0);
	blob_fs_defer_sync(0);
	if (!rc && d->store_kind == STORE_SQLITE)
		rc = blob_fs_sync(d->data_dir, e);
	out->problems = d->problems;
	out->photos = d->photos;
	out->sheets = d->sheets;
	out->sheets_signed = d->sheets_signed;
	out->rounds = d->rounds;
	out->records = d->records;
	out->steps = d->steps;
	arena_release(&d->arena);
	free(d);
	return rc;
}

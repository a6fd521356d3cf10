/* settings_db.c - the one tenant_settings row per tenant. */
#include <string.h>

#include "settings/settings.h"
#include "store/store.h"

STORE_SQL(q_settings_get,
          "SELECT s.recur_distance_m, s.recur_window_days, s.weight_closure, s.weight_on_time,"
          " s.weight_rework, s.weight_recurrence, s.weight_extension, s.grade_a, s.grade_b,"
          " s.grade_c, s.grade_d, COALESCE(s.updated_by, 0), COALESCE(u.name, ''), s.updated_at,"
          " s.proxy_enabled, s.sheet_number_format, s.bulletin_number_format"
          " FROM tenant_settings s LEFT JOIN users u ON u.id = s.updated_by"
          " WHERE s.tenant_id = ?");

STORE_SQL(q_settings_put,
          "INSERT INTO tenant_settings (tenant_id, recur_distance_m, recur_window_days,"
          " weight_closure, weight_on_time, weight_rework, weight_recurrence, weight_extension,"
          " grade_a, grade_b, grade_c, grade_d, updated_by, updated_at, proxy_enabled,"
          " sheet_number_format, bulletin_number_format)"
          " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant_id) DO "
          "UPDATE SET"
          " recur_distance_m = excluded.recur_distance_m,"
          " recur_window_days = excluded.recur_window_days,"
          " weight_closure = excluded.weight_closure, weight_on_time = excluded.weight_on_time,"
          " weight_rework = excluded.weight_rework,"
          " weight_recurrence = excluded.weight_recurrence,"
          " weight_extension = excluded.weight_extension, grade_a = excluded.grade_a,"
          " grade_b = excluded.grade_b, grade_c = excluded.grade_c, grade_d = excluded.grade_d,"
          " updated_by = excluded.updated_by, updated_at = excluded.updated_at,"
          " proxy_enabled = excluded.proxy_enabled,"
          " sheet_number_format = excluded.sheet_number_format,"
          " bulletin_number_format = excluded.bulletin_number_format");

int settings_get(struct store_conn *c, int64_t tenant_id, struct arena *a,
                 struct tenant_settings *out, struct error *e)
{
	struct store_val args[] = {sv_int(tenant_id)};
	struct store_rows *r;
	int rc, i;

	settings_defaults(out);
	if ((rc = store_query(c, &q_settings_get, args, 1, &r, e)))
		return rc;
	rc = store_next(r);
	if (rc > 0) {
		out->recur_distance_m = (int)store_int(r, 0);
		out->recur_window_days = (int)store_int(r, 1);
		for (i = 0; i < RATE_COUNT; i++)
			out->weights[i] = (int)store_int(r, 2 + i);
		for (i = 0; i < GRADE_BANDS; i++)
			out->grades[i] = (int)store_int(r, 2 + RATE_COUNT + i);
		out->updated_by = store_int(r, 11);
		out->updated_by_name = arena_strdup(a, store_text(r, 12) ? store_text(r, 12) : "");
		out->updated_at = store_int(r, 13);
		out->proxy_enabled = store_int(r, 14) != 0;
		snprintf(out->sheet_number_format, sizeof(out->sheet_number_format), "%s",
		         store_text(r, 15) ? store_text(r, 15) : SETTINGS_SHEET_FORMAT_DEFAULT);
		snprintf(out->bulletin_number_format, sizeof(out->bulletin_number_format), "%s",
		         store_text(r, 16) ? store_text(r, 16) : SETTINGS_BULLETIN_FORMAT_DEFAULT);
	}
	store_finish(r);
	return rc < 0 ? error_set(e, rc, NULL, NULL) : 0;
}

int settings_put(struct store_conn *c, int64_t tenant_id, const struct tenant_settings *s,
                 int64_t user_id, int64_t now, struct error *e)
{
	struct store_val args[17];
	int k = 0, i;

	args[k++] = sv_int(tenant_id);
	args[k++] = sv_int(s->recur_distance_m);
	args[k++] = sv_int(s->recur_window_days);
	for (i = 0; i < RATE_COUNT; i++)
		args[k++] = sv_int(s->weights[i]);
	for (i = 0; i < GRADE_BANDS; i++)
		args[k++] = sv_int(s->grades[i]);
	args[k++] = user_id ? sv_int(user_id) : sv_null();
	args[k++] = sv_int(now);
	args[k++] = sv_int(s->proxy_enabled);
	args[k++] = sv_text(s->sheet_number_format);
	args[k++] = sv_text(s->bulletin_number_format);
	return store_exec(c, &q_settings_put, args, k, NULL, e);
}

# refactor-renames.sed - the renames of the refactor (issue 12, phase 1), old -> new.
# Run on a file written against the tree before it:
#   sed -i -f scripts/refactor-renames.sed src/yourmodule/*.[ch] tests/unit/test_x.c
# Then build: a file that used a moved function may need one more include
# (the lines below add the new header next to the old one where they can).
# Run it once per file: the include lines are not idempotent.
#
# ---- include paths ----------------------------------------------------------
# time_now_ms() was in org/org_db.h; tz_* in system/tenants.h: both now core/clock.h.
# org/org_db.h still exists (users, roles) and system/tenants.h (tenants), so
# the clock header is added beside them; drop the old one if nothing else is used.
# Not added automatically (few files use them; include by hand):
#   auth/login.h     user_login_lookup, user_touch_login, user_password_hash,
#                    user_set_password_hash, user_update_profile, user_phone,
#                    login_tenant_json, login_unit_json, struct login_user
#   system/tenants.h tenant_insert, tenant_count, tenant_first, struct tenant_new
s#^\(\s*\)\#include "org/org_db.h"\(.*\)$#\1\#include "core/clock.h"\n\1\#include "org/org_db.h"\2#
s#^\(\s*\)\#include "system/tenants.h"\(.*\)$#\1\#include "core/clock.h"\n\1\#include "system/tenants.h"\2#
# utf8_chars() left auth/password.h for core/utf8.h
s#^\(\s*\)\#include "auth/password.h"\(.*\)$#\1\#include "auth/password.h"\2\n\1\#include "core/utf8.h"#
# the request helpers left org/org.h for http/reply.h (and org.h no longer brings utf8_chars)
s#^\(\s*\)\#include "org/org.h"\(.*\)$#\1\#include "core/utf8.h"\n\1\#include "http/reply.h"\n\1\#include "org/org.h"\2#
# the spreadsheet module: src/sheet/ -> src/spreadsheet/ (function names unchanged: sheet_read, sheet_writer_*)
s#"sheet/sheet\.h"#"spreadsheet/spreadsheet.h"#g
s#"sheet/sheet_int\.h"#"spreadsheet/sheet_int.h"#g
# assignment sheets (交办单): problem/ -> assign/
s#"problem/sheet\.h"#"assign/assign.h"#g
# rankings: problem/ -> ranking/; reminders (were notices) -> reminder/reminder.h
s#^\(\s*\)\#include "problem/ranking\.h"\(.*\)$#\1\#include "ranking/ranking.h"\2\n\1\#include "reminder/reminder.h"#
# the map: map_routes() left problem/problem.h for map/map.h (only routes.c calls it)
#
# ---- identifiers ------------------------------------------------------------
# http/reply.h (were in org/api_units.c)
s/\borg_query_id\b/http_query_id/g
s/\borg_query_bool\b/http_query_bool/g
s/\borg_query_summary\b/http_query_summary/g
s/\borg_reply_export\b/http_reply_export/g
s/\borg_reply_xlsx\b/http_reply_xlsx/g
s/\borg_reply_import_errors\b/http_reply_import_errors/g
s/\borg_format_time\b/http_format_time/g
s/\borg_audit_alone\b/http_audit_alone/g
# http/req.h: the layer's own method check and audit row type
s/\bauth_is_mutating\b/req_is_mutating/g
s/\bstruct audit_entry\b/struct req_audit_row/g
# auth/login.h (were org/org_db.h; the other login look-ups keep their names:
# user_login_lookup, user_touch_login, user_password_hash, user_set_password_hash,
# user_update_profile, user_phone, struct login_user)
s/\btenant_get_json\b/login_tenant_json/g
s/\bunit_brief_json\b/login_unit_json/g
# assign/assign.h (were problem/sheet.h)
s/\bsheet_db_\([a-z_]*\)\b/assign_db_\1/g
s/\bstruct sheet_filter\b/struct assign_filter/g
s/\bsheet_routes\b/assign_routes/g
s/\bSHEET_MAX_PROBLEMS\b/ASSIGN_MAX_PROBLEMS/g
s/\bSHEET_NOTE_MAX\b/ASSIGN_NOTE_MAX/g
# reminder/reminder.h (were the notices of problem/ranking.h); the HTTP path stays /api/v1/notices
s/\bnotice_list\b/reminder_list/g
s/\bstruct notice_counts\b/struct reminder_counts/g
s/\bNOTICE_SOON_MS\b/REMINDER_SOON_MS/g
s/\bNOTICE_MAX_ITEMS\b/REMINDER_MAX_ITEMS/g
s/\bnotice_routes\b/reminder_routes/g
# ---- phase 2 (refactor2) ------------------------------------------------------
# struct scope is data (auth.h): unit_ids is an int64_t array of nunits, subtree a
# path "/1/3/" (no "%"); the whole tenant is SCOPE_EVERYTHING ({.all = 1}).
# Bind a scope with scope_args (unchanged); an id list with sv_ids(ids, n), a
# "starts with" LIKE pattern with sv_prefix(path) (store.h).
s/{1, 0, "\[\]", ""}/SCOPE_EVERYTHING/g
# the idempotency key of a create (Idempotency-Key / client_key): http/reply.h
s/\bRECORD_KEY_MAX\b/HTTP_IDEMPOTENCY_KEY_MAX/g

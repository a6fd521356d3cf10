-- dashboard.sql - the SQL behind the home page's three counts (DashboardView.vue:
-- GET /units, /users and /sessions with size=1, office scope): each endpoint's
-- COUNT(*) and one-row page (src/org/unit_db.c, user_db.c, src/auth/session_db.c).
-- :now = ms now, :idle = ms of the oldest live session.
SELECT COUNT(*) FROM units u WHERE u.tenant_id = 1;
SELECT u.id, COALESCE(u.parent_id, 0), u.name, u.kind, u.ancestors, u.leader, u.liaison, u.phone, u.sort, u.enabled, u.created_at, u.updated_at
 FROM units u WHERE u.tenant_id = 1 ORDER BY u.sort, u.id LIMIT 1 OFFSET 0;
SELECT COUNT(*) FROM users u LEFT JOIN units un ON un.id = u.unit_id WHERE u.tenant_id = 1;
SELECT u.id, COALESCE(u.unit_id, 0), u.username, u.name, u.phone, COALESCE(un.name, ''), COALESCE(un.ancestors, ''), u.enabled, u.is_platform_admin, COALESCE(u.last_login_at, 0), u.created_at
 FROM users u LEFT JOIN units un ON un.id = u.unit_id WHERE u.tenant_id = 1 ORDER BY u.id DESC LIMIT 1 OFFSET 0;
SELECT COUNT(*) FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN units un ON un.id = u.unit_id
 WHERE s.tenant_id = 1 AND s.revoked_at IS NULL AND s.expires_at > :now AND s.last_seen_at >= :idle AND u.enabled = 1;
SELECT s.id, s.user_id, u.username, u.name, COALESCE(un.name, ''), s.ip, s.user_agent, s.created_at, s.last_seen_at, s.expires_at
 FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN units un ON un.id = u.unit_id
 WHERE s.tenant_id = 1 AND s.revoked_at IS NULL AND s.expires_at > :now AND s.last_seen_at >= :idle AND u.enabled = 1
 ORDER BY s.last_seen_at DESC, s.id DESC LIMIT 1 OFFSET 0;

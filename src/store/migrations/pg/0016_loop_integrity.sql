-- 0016_loop_integrity: the loop closed only by the unit (issue 13).
--
-- tenant_settings.proxy_enabled: the office may act for a unit (代办), each
-- time with a reason; off by default.  problem_events.proxy marks such an
-- event (the timeline shows 代办, the ranking counts closures it touched
-- apart).
ALTER TABLE tenant_settings ADD COLUMN proxy_enabled INTEGER NOT NULL DEFAULT 0;
ALTER TABLE problem_events ADD COLUMN proxy INTEGER NOT NULL DEFAULT 0;

-- Login attempts refused while a key is delayed or locked: counted here and
-- written to the audit log with the lock (and the unlock), not one row each.
ALTER TABLE login_throttle ADD COLUMN refused INTEGER NOT NULL DEFAULT 0;

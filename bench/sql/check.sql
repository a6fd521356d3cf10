-- check.sql - what make bench asserts about freshly generated data: every line
-- of the answer must end in 0.  Works on SQLite and PostgreSQL.
SELECT 'status is not the last event''s', COUNT(*) FROM problems p
 WHERE p.status <> (SELECT e.to_status FROM problem_events e WHERE e.problem_id = p.id ORDER BY e.id DESC LIMIT 1);
SELECT 'event does not start where the one before ended', COUNT(*) FROM problem_events e
 JOIN problem_events f ON f.problem_id = e.problem_id
 AND f.id = (SELECT MAX(g.id) FROM problem_events g WHERE g.problem_id = e.problem_id AND g.id < e.id)
 WHERE e.from_status <> f.to_status;
SELECT 'closed_at set exactly when closed', COUNT(*) FROM problems
 WHERE (status = 'closed' AND closed_at IS NULL) OR (status <> 'closed' AND closed_at IS NOT NULL);
SELECT 'updated_at is not the last event', COUNT(*) FROM problems p
 WHERE p.updated_at <> (SELECT MAX(e.at) FROM problem_events e WHERE e.problem_id = p.id);
SELECT 'open work without lead unit or deadline', COUNT(*) FROM problems
 WHERE status IN ('assigned', 'rectifying', 'submitted', 'rework') AND (lead_unit_id IS NULL OR deadline IS NULL);
SELECT 'numbers not unique', COUNT(*) - COUNT(DISTINCT code) FROM problems;
SELECT 'counter behind the numbers', COUNT(*) FROM problem_counters c
 WHERE c.last_no <> (SELECT COUNT(*) FROM problems p WHERE p.tenant_id = c.tenant_id AND p.code LIKE CAST(c.year AS TEXT) || '-%');
SELECT 'unit path wrong', COUNT(*) FROM units u LEFT JOIN units p ON p.id = u.parent_id
 WHERE u.ancestors <> COALESCE(p.ancestors, '/') || CAST(u.id AS TEXT) || '/';
SELECT 'photo of another problem''s event', COUNT(*) FROM problem_photos ph JOIN problem_events e ON e.id = ph.event_id
 WHERE e.problem_id <> ph.problem_id;

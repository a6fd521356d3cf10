-- ranking.sql - the SQL behind GET /api/v1/rankings for one month, office scope
-- (q_rank_counts and q_rank_recurrences of src/problem/ranking_db.c, the
-- relevance filter with the tenant in each branch; keep in step when it changes).
-- The server may answer from counts it computed before (ranking_db.c); this
-- is the cost of computing them.
-- :start, :end = the month [start, end) in ms; :cut = min(end, now).
SELECT u.id, u.name, u.ancestors, u.sort,
 SUM(CASE WHEN p.deadline >= :start AND p.deadline < :cut AND p.status NOT IN ('parked', 'returned') THEN 1 ELSE 0 END),
 SUM(CASE WHEN p.deadline >= :start AND p.deadline < :cut AND p.status NOT IN ('parked', 'returned') AND p.status = 'closed' AND p.outcome = 'fixed' AND p.closed_at < :end THEN 1 ELSE 0 END),
 SUM(CASE WHEN p.deadline >= :start AND p.deadline < :cut AND p.status NOT IN ('parked', 'returned') AND p.status = 'closed' AND p.outcome = 'fixed' AND p.closed_at < :end AND p.closed_at <= p.deadline THEN 1 ELSE 0 END),
 SUM(CASE WHEN p.deadline >= :start AND p.deadline < :cut AND p.status NOT IN ('parked', 'returned') AND p.status = 'closed' AND p.outcome = 'fixed' AND p.closed_at < :end AND p.rework_count > 0 THEN 1 ELSE 0 END),
 SUM(CASE WHEN p.assigned_at >= :start AND p.assigned_at < :end THEN 1 ELSE 0 END),
 SUM(CASE WHEN p.assigned_at >= :start AND p.assigned_at < :end AND p.extension_count > 0 THEN 1 ELSE 0 END),
 SUM(CASE WHEN p.deadline < :cut AND p.first_assigned_at <= :cut AND (p.status IN ('assigned', 'rectifying', 'rework', 'submitted') OR (p.status = 'closed' AND p.closed_at > :cut)) THEN 1 ELSE 0 END),
 SUM(CASE WHEN p.deadline >= :start AND p.deadline < :cut AND p.status NOT IN ('parked', 'returned') AND p.status = 'closed' AND p.outcome = 'fixed' AND p.closed_at < :end THEN p.closed_at - p.first_assigned_at ELSE 0 END)
 FROM problems p JOIN units u ON u.id = p.lead_unit_id
 WHERE 1 = 1 AND p.status NOT IN ('voided', 'invalid')
 AND ((p.tenant_id = 1 AND p.deadline >= :start AND p.deadline < :cut)
 OR (p.tenant_id = 1 AND p.assigned_at >= :start AND p.assigned_at < :end)
 OR (p.tenant_id = 1 AND p.status IN ('assigned', 'rectifying', 'rework', 'submitted') AND +p.deadline < :cut)
 OR (p.tenant_id = 1 AND p.status = 'closed' AND p.closed_at > :cut AND +p.deadline < :cut))
 GROUP BY u.id, u.name, u.ancestors, u.sort;
SELECT u.id, u.name, u.ancestors, u.sort, COUNT(*) FROM problems p
 JOIN problems q ON q.id = p.recurrence_of JOIN units u ON u.id = q.lead_unit_id
 WHERE p.tenant_id = 1 AND p.created_at >= :start AND p.created_at < :end
 AND p.status NOT IN ('voided', 'invalid') AND q.outcome = 'fixed'
 GROUP BY u.id, u.name, u.ancestors, u.sort;

-- export.sql - the raw rows behind an export of 100,000 problems: the list's
-- columns and joins (src/problem/problem_db.c), newest first; :from is the
-- creation time of the 100,000th newest, as the export is asked for.
SELECT p.id, p.code, COALESCE(k.name, ''), COALESCE(pt.name, ''), COALESCE(g.name, ''), p.lat, p.lng,
 p.address, p.description, p.severity, p.source, p.status, COALESCE(ru.name, ''), COALESCE(lu.name, ''),
 p.deadline, p.closed_at, p.outcome, p.created_at
 FROM problems p LEFT JOIN problem_categories k ON k.id = p.category_id
 LEFT JOIN points pt ON pt.id = p.point_id LEFT JOIN grids g ON g.id = p.grid_id
 LEFT JOIN users ru ON ru.id = p.reporter_id LEFT JOIN units lu ON lu.id = p.lead_unit_id
 WHERE p.tenant_id = 1 AND p.created_at >= :from ORDER BY p.created_at DESC, p.id DESC LIMIT 100000;

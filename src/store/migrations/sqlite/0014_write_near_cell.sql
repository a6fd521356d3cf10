-- 0014_write_near_cell: a report's recurrence lookup (problem_nearby) by
-- cell (0.001 x 0.001 degree, about 111 x 96 m here) and closing time,
-- instead of by closing time alone: on a busy category of a million-problem
-- city the problems closed within the 30-day window are 4,000-10,000 index
-- entries, each checked against the box, two thirds of a report's CPU; the
-- nine cells around a point hold about 120 (docs/benchmarks.md).  A cell is
-- trunc(lat * 1000) * 400000 + trunc(lng * 1000), as problem_nearby
-- computes it.  It replaces 0011's (tenant, category, closed_at, lat, lng).
DROP INDEX problems_closed_near;
CREATE INDEX problems_closed_cell ON problems(tenant_id, category_id,
    (CAST(lat * 1000 AS INTEGER) * 400000 + CAST(lng * 1000 AS INTEGER)), closed_at, lat, lng)
    WHERE closed_at IS NOT NULL;

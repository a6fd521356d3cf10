-- 0014_write_near_cell: a report's near-duplicates and recurrences
-- (problem_nearby) by cell of 0.001 x 0.001 degree (about 111 x 96 m here):
-- open problems by cell, closed ones by cell and closing time.  0011 read
-- the open ones of the category in a band of latitude and the closed ones
-- of the category within the 30-day window, 4,000-10,000 index entries on a
-- busy category of a million-problem city, each checked against the box:
-- two thirds of a report's CPU.  The nine cells around a point hold about
-- 120 (docs/benchmarks.md).  A cell is trunc(lat * 1000) * 400000 +
-- trunc(lng * 1000), as problem_nearby computes it.  They replace 0011's
-- problems_open_near and problems_closed_near.
DROP INDEX problems_open_near;
DROP INDEX problems_closed_near;
CREATE INDEX problems_open_cell ON problems(tenant_id, category_id,
    (CAST(lat * 1000 AS INTEGER) * 400000 + CAST(lng * 1000 AS INTEGER)), lat, lng)
    WHERE status NOT IN ('closed', 'invalid', 'voided');
CREATE INDEX problems_closed_cell ON problems(tenant_id, category_id,
    (CAST(lat * 1000 AS INTEGER) * 400000 + CAST(lng * 1000 AS INTEGER)), closed_at, lat, lng)
    WHERE closed_at IS NOT NULL;

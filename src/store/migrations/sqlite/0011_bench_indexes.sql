-- 0011_bench_indexes: indexes found missing by make bench on a million problems
-- (docs/benchmarks.md).

-- Near-duplicates and recurrences of a new report (problem_nearby): open
-- problems from a partial index of the open ones, closed ones by closing time,
-- so a report no longer walks every problem of its category in a band of
-- latitude.  They replace (tenant, category, lat).
DROP INDEX problems_tenant_category_lat;
CREATE INDEX problems_open_near ON problems(tenant_id, category_id, lat, lng)
    WHERE status NOT IN ('closed', 'invalid', 'voided');
CREATE INDEX problems_closed_near ON problems(tenant_id, category_id, closed_at, lat, lng);

-- A unit's list with a status filter (problem_list): the status from the
-- index, rows read only when they match.  It replaces (tenant, lead unit).
DROP INDEX problems_tenant_lead;
CREATE INDEX problems_tenant_lead_status ON problems(tenant_id, lead_unit_id, status);

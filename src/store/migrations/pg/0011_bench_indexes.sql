-- 0011_bench_indexes: indexes found missing by make bench on a million problems
-- (docs/benchmarks.md).

-- Near-duplicates and recurrences of a new report (problem_nearby): the box,
-- the status and the closing time all come from the index, so only rows that
-- can still matter are read.
DROP INDEX problems_tenant_category_lat;
CREATE INDEX problems_tenant_category_near ON problems(tenant_id, category_id, lat, lng, closed_at, status);

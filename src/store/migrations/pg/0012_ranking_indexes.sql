-- 0012_ranking_indexes: the unit ranking reads only the problems that can
-- count for its period (ranking_db.c): deadline in the period, assigned in
-- it, or open (or closed after the cut) with a deadline before the cut.
-- Each branch has its index; without them the ranking read every problem
-- of the tenant (make bench: under one request a second on a million).
CREATE INDEX problems_tenant_deadline ON problems(tenant_id, deadline);
CREATE INDEX problems_tenant_assigned ON problems(tenant_id, assigned_at);
CREATE INDEX problems_tenant_closed ON problems(tenant_id, closed_at);

-- 0027_dashboard_weeks: the 驾驶舱's weekly trend.  Each time the dashboard
-- is computed, the predicted total and its three parts are kept for the
-- tenant's current week (Monday, tenant calendar); the week's last
-- computation stands.  A part with no data is NULL, never 0.

CREATE TABLE dashboard_weeks (
    tenant_id     BIGINT  NOT NULL REFERENCES tenants(id),
    week          TEXT    NOT NULL,              -- YYYY-MM-DD, the Monday
    total         DOUBLE PRECISION NOT NULL,     -- sum of the parts present
    field         DOUBLE PRECISION,
    questionnaire DOUBLE PRECISION,
    materials     DOUBLE PRECISION,
    computed_at   BIGINT  NOT NULL,
    PRIMARY KEY (tenant_id, week)
);

-- 0006_sheets (PostgreSQL twin of sqlite/0006_sheets.sql): assignment sheets
-- (交办单), numbered per tenant and year (交办〔2026〕001), batching problems
-- of one unit; the unit signs online.

-- The last sheet number given per tenant and year (tenant's calendar).
CREATE TABLE sheet_counters (
    tenant_id   BIGINT  NOT NULL REFERENCES tenants(id),
    year        INTEGER NOT NULL,
    last_no     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, year)
);

CREATE TABLE sheets (
    id          BIGSERIAL PRIMARY KEY,
    tenant_id   BIGINT  NOT NULL REFERENCES tenants(id),
    number      TEXT    NOT NULL,              -- 交办〔2026〕001
    unit_id     BIGINT  NOT NULL REFERENCES units(id),
    created_by  BIGINT  REFERENCES users(id),
    created_at  BIGINT  NOT NULL,
    signed_by   BIGINT  REFERENCES users(id),  -- NULL until signed
    signed_at   BIGINT,
    note        TEXT    NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX sheets_tenant_number ON sheets(tenant_id, number);
CREATE INDEX sheets_tenant_unit ON sheets(tenant_id, unit_id);

CREATE TABLE sheet_problems (
    sheet_id    BIGINT  NOT NULL REFERENCES sheets(id) ON DELETE CASCADE,
    problem_id  BIGINT  NOT NULL REFERENCES problems(id),
    sort        INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (sheet_id, problem_id)
);
CREATE INDEX sheet_problems_problem ON sheet_problems(problem_id);

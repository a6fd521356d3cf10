-- 0005_problems: the closed loop (docs/domain.md, "The closed loop"):
-- problems, their co-units, photos, timeline and the yearly numbering.

-- The last number given per tenant and year (tenant's calendar): 2026-000123.
CREATE TABLE problem_counters (
    tenant_id   INTEGER NOT NULL REFERENCES tenants(id),
    year        INTEGER NOT NULL,
    last_no     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, year)
);

CREATE TABLE problems (
    id                  INTEGER PRIMARY KEY,
    tenant_id           INTEGER NOT NULL REFERENCES tenants(id),
    code                TEXT    NOT NULL,              -- 2026-000123
    category_id         INTEGER NOT NULL REFERENCES problem_categories(id),
    point_id            INTEGER REFERENCES points(id),
    grid_id             INTEGER REFERENCES grids(id),
    lat                 DOUBLE PRECISION,              -- WGS84; NULL when unknown
    lng                 DOUBLE PRECISION,
    address             TEXT    NOT NULL DEFAULT '',
    description         TEXT    NOT NULL,
    severity            INTEGER NOT NULL DEFAULT 1,    -- 1 一般, 2 较重, 3 严重
    source              TEXT    NOT NULL,              -- inspection | supervision | covert | grid | leader | citizen | media
    status              TEXT    NOT NULL,              -- problem_fsm.h status names
    reporter_id         INTEGER REFERENCES users(id),
    suggested_unit_id   INTEGER REFERENCES units(id),  -- master_route's pick, the office may change it
    suggested_hours     INTEGER NOT NULL DEFAULT 0,    -- master_route's deadline in hours, 0: none
    lead_unit_id        INTEGER REFERENCES units(id),  -- set by assign
    deadline            BIGINT,                        -- ms UTC; overdue is derived from it
    first_assigned_at   BIGINT,                        -- rectification photos must be later
    assigned_at         BIGINT,                        -- the latest assignment
    parked_from         TEXT,                          -- status to return to on unpark
    extension_pending   INTEGER NOT NULL DEFAULT 0,
    extension_deadline  BIGINT,                        -- the deadline a pending request asks for
    extension_reason    TEXT,
    extension_count     INTEGER NOT NULL DEFAULT 0,    -- approved extensions (延期率)
    rework_count        INTEGER NOT NULL DEFAULT 0,    -- failed verifications and reopens (返工率)
    outcome             TEXT,                          -- when closed: fixed | duplicate | not_responsible | parked_closed
    closed_at           BIGINT,
    recurrence_of       INTEGER REFERENCES problems(id), -- 反弹: the closed problem this repeats
    created_at          BIGINT  NOT NULL,
    updated_at          BIGINT  NOT NULL
);
CREATE UNIQUE INDEX problems_tenant_code ON problems(tenant_id, code);
CREATE INDEX problems_tenant_status ON problems(tenant_id, status);
CREATE INDEX problems_tenant_created ON problems(tenant_id, created_at);
CREATE INDEX problems_tenant_lead ON problems(tenant_id, lead_unit_id);
CREATE INDEX problems_tenant_reporter ON problems(tenant_id, reporter_id);
CREATE INDEX problems_tenant_category_lat ON problems(tenant_id, category_id, lat);
CREATE INDEX problems_point ON problems(point_id);
CREATE INDEX problems_grid ON problems(grid_id);
CREATE INDEX problems_recurrence ON problems(recurrence_of);

-- Co-units (协办单位) of an assignment.
CREATE TABLE problem_units (
    problem_id  INTEGER NOT NULL REFERENCES problems(id) ON DELETE CASCADE,
    unit_id     INTEGER NOT NULL REFERENCES units(id),
    PRIMARY KEY (problem_id, unit_id)
);
CREATE INDEX problem_units_unit ON problem_units(unit_id);

-- The timeline: one row per transition (and per extension request or decision).
CREATE TABLE problem_events (
    id          INTEGER PRIMARY KEY,
    problem_id  INTEGER NOT NULL REFERENCES problems(id) ON DELETE CASCADE,
    action      TEXT    NOT NULL,              -- report | problem_fsm.h action names
    from_status TEXT,
    to_status   TEXT    NOT NULL,
    user_id     INTEGER REFERENCES users(id),
    unit_id     INTEGER REFERENCES units(id),  -- the actor's unit at the time
    note        TEXT    NOT NULL DEFAULT '',
    detail      TEXT,                          -- JSON: assignment, outcome, extension ...
    at          BIGINT  NOT NULL
);
CREATE INDEX problem_events_problem ON problem_events(problem_id, id);

-- Photos: 'before' with the report, 'after' with a submission (event_id).
CREATE TABLE problem_photos (
    problem_id  INTEGER NOT NULL REFERENCES problems(id) ON DELETE CASCADE,
    file_id     INTEGER NOT NULL REFERENCES files(id),
    kind        TEXT    NOT NULL,              -- before | after
    event_id    INTEGER REFERENCES problem_events(id),
    sort        INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (problem_id, kind, file_id)
);
CREATE INDEX problem_photos_file ON problem_photos(file_id);

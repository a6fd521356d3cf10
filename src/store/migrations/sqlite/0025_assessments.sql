-- 0025_assessments: 考核 (assessment periods of units) and 问责 (accountability).
-- A tenant's scheme is a JSON document (components and weights, grade bands,
-- the red/black list rule, the overdue days of 问责); a period keeps the scheme
-- it was computed with.  Results are rows per unit, replaced while the period
-- is a draft and never touched once it is published.

CREATE TABLE assess_schemes (
    tenant_id   INTEGER PRIMARY KEY REFERENCES tenants(id),
    scheme      TEXT    NOT NULL,
    updated_by  INTEGER REFERENCES users(id),
    updated_at  BIGINT  NOT NULL
);

CREATE TABLE assessments (
    id           INTEGER PRIMARY KEY,
    tenant_id    INTEGER NOT NULL REFERENCES tenants(id),
    kind         TEXT    NOT NULL,                 -- week | month | year
    title        TEXT    NOT NULL,
    from_day     TEXT    NOT NULL,                 -- YYYY-MM-DD, tenant calendar
    to_day       TEXT    NOT NULL,                 -- the last day
    from_ms      BIGINT  NOT NULL,
    to_ms        BIGINT  NOT NULL,                 -- end, exclusive
    status       TEXT    NOT NULL DEFAULT 'draft', -- draft | published
    scheme       TEXT    NOT NULL,
    computed_at  BIGINT,
    published_at BIGINT,
    published_by INTEGER REFERENCES users(id),
    created_by   INTEGER REFERENCES users(id),
    created_at   BIGINT  NOT NULL
);
CREATE INDEX assessments_tenant ON assessments(tenant_id, kind, from_day);

CREATE TABLE assessment_results (
    assessment_id INTEGER NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
    unit_id       INTEGER NOT NULL REFERENCES units(id),
    unit_name     TEXT    NOT NULL,
    unit_kind     TEXT    NOT NULL,
    unit_sort     INTEGER NOT NULL DEFAULT 0,
    components    TEXT    NOT NULL,                -- JSON object per component
    base          DOUBLE PRECISION,                -- NULL: no component present
    adjust        DOUBLE PRECISION NOT NULL DEFAULT 0,
    total         DOUBLE PRECISION,
    rank          INTEGER NOT NULL DEFAULT 0,      -- within the kind, 0 unranked
    grade         TEXT    NOT NULL DEFAULT '',
    list          INTEGER NOT NULL DEFAULT 0,      -- 1 red, -1 black
    overdue_long  INTEGER NOT NULL DEFAULT 0,      -- problems overdue beyond the scheme's days
    PRIMARY KEY (assessment_id, unit_id)
);
CREATE INDEX assessment_results_unit ON assessment_results(unit_id);

CREATE TABLE assessment_adjustments (
    id            INTEGER PRIMARY KEY,
    tenant_id     INTEGER NOT NULL REFERENCES tenants(id),
    assessment_id INTEGER NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
    unit_id       INTEGER NOT NULL REFERENCES units(id),
    points        DOUBLE PRECISION NOT NULL,
    reason        TEXT    NOT NULL,
    file_ids      TEXT    NOT NULL DEFAULT '[]',   -- JSON array of evidence files
    approver_id   INTEGER REFERENCES users(id),
    created_at    BIGINT  NOT NULL
);
CREATE INDEX assessment_adjustments_period ON assessment_adjustments(assessment_id, unit_id);

CREATE TABLE accountability_actions (
    id          INTEGER PRIMARY KEY,
    tenant_id   INTEGER NOT NULL REFERENCES tenants(id),
    unit_id     INTEGER NOT NULL REFERENCES units(id),
    action      TEXT    NOT NULL,                  -- talk | criticize | rectify | other
    acted_on    TEXT    NOT NULL,                  -- YYYY-MM-DD
    text        TEXT    NOT NULL,
    basis       TEXT    NOT NULL DEFAULT '',       -- why: black-listed twice, overdue ...
    file_ids    TEXT    NOT NULL DEFAULT '[]',
    created_by  INTEGER REFERENCES users(id),
    created_at  BIGINT  NOT NULL
);
CREATE INDEX accountability_actions_unit ON accountability_actions(tenant_id, unit_id, acted_on);

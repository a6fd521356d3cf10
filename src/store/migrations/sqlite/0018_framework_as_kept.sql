-- The framework as offices keep it (issue 14): codes and text as written,
-- methods as the office names them, a grading scheme per standard, parts
-- with their own totals (main, 未成年人思想道德建设, 特色指标), the 负面清单
-- and its incidents, and graded observations.

-- What the sheet said, kept for the export: the methods cell ("问卷调查、实地考察")
-- and the grading cell; grading holds the scheme as JSON ('' : pass/fail credits).
-- section: main | minors | feature (set on every level).
ALTER TABLE indicators ADD COLUMN method_text  TEXT NOT NULL DEFAULT '';
ALTER TABLE indicators ADD COLUMN grading      TEXT NOT NULL DEFAULT '';
ALTER TABLE indicators ADD COLUMN grading_text TEXT NOT NULL DEFAULT '';
ALTER TABLE indicators ADD COLUMN section      TEXT NOT NULL DEFAULT 'main';

-- The minors' gate (score out of 100 it must reach) and the cap of 特色指标 points.
ALTER TABLE frameworks ADD COLUMN minors_gate DOUBLE PRECISION NOT NULL DEFAULT 85;
ALTER TABLE frameworks ADD COLUMN feature_cap DOUBLE PRECISION NOT NULL DEFAULT 5;

-- A checklist item's code as written (景点-01-01).
ALTER TABLE checklist_items ADD COLUMN code TEXT NOT NULL DEFAULT '';

-- What a graded observation answered: a level, a count of shortfalls or a
-- rate, and the credit (0..1) its standard's scheme gave; NULL: from rating.
ALTER TABLE inspection_observations ADD COLUMN level      TEXT NOT NULL DEFAULT '';
ALTER TABLE inspection_observations ADD COLUMN shortfalls INTEGER;
ALTER TABLE inspection_observations ADD COLUMN rate       DOUBLE PRECISION;
ALTER TABLE inspection_observations ADD COLUMN credit     DOUBLE PRECISION;

-- Methods an office adds to the built-in vocabulary, each feeding one part.
CREATE TABLE framework_methods (
    id         INTEGER PRIMARY KEY,
    tenant_id  INTEGER NOT NULL REFERENCES tenants(id),
    name       TEXT   NOT NULL,
    part       TEXT   NOT NULL,                          -- field | questionnaire | materials | data
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX framework_methods_name ON framework_methods(tenant_id, name);

-- The 负面清单 of a framework version: what deducts points or vetoes the title.
CREATE TABLE negative_items (
    id           INTEGER PRIMARY KEY,
    framework_id INTEGER NOT NULL REFERENCES frameworks(id) ON DELETE CASCADE,
    code         TEXT   NOT NULL,
    title        TEXT   NOT NULL,
    deduction    DOUBLE PRECISION NOT NULL DEFAULT 0,  -- points per incident
    veto         INTEGER NOT NULL DEFAULT 0,           -- 1: 一票否决
    sort         INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX negative_items_code ON negative_items(framework_id, code);

-- An incident the office recorded against the list, with its decision.
CREATE TABLE negative_incidents (
    id           INTEGER PRIMARY KEY,
    tenant_id    INTEGER NOT NULL REFERENCES tenants(id),
    framework_id INTEGER NOT NULL REFERENCES frameworks(id),
    item_id      INTEGER REFERENCES negative_items(id),
    standard_id  INTEGER REFERENCES indicators(id),
    occurred_on  TEXT   NOT NULL,                        -- YYYY-MM-DD
    place        TEXT   NOT NULL DEFAULT '',
    description  TEXT   NOT NULL,
    deduction    DOUBLE PRECISION NOT NULL DEFAULT 0,
    veto         INTEGER NOT NULL DEFAULT 0,
    created_by   INTEGER REFERENCES users(id),
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL
);
CREATE INDEX negative_incidents_framework ON negative_incidents(tenant_id, framework_id, occurred_on);

CREATE TABLE negative_incident_files (
    incident_id INTEGER NOT NULL REFERENCES negative_incidents(id) ON DELETE CASCADE,
    file_id     INTEGER NOT NULL REFERENCES files(id),
    sort        INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (incident_id, file_id)
);

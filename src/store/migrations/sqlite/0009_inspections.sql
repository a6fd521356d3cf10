-- 0009_inspections: inspection rounds (测评轮次: 日常督查, 暗访, 模拟测评, 专项督查),
-- their inspectors and points, and the records of each point visited with one
-- observation per checklist item (docs/domain.md "Field inspection and its score").

CREATE TABLE inspections (
    id             INTEGER PRIMARY KEY,
    tenant_id      INTEGER NOT NULL REFERENCES tenants(id),
    framework_id   INTEGER NOT NULL REFERENCES frameworks(id),
    title          TEXT    NOT NULL,
    kind           TEXT    NOT NULL,                     -- daily | covert | mock | special
    status         TEXT    NOT NULL DEFAULT 'open',      -- open | closed
    starts_on      TEXT    NOT NULL,                     -- YYYY-MM-DD, tenant's calendar
    ends_on        TEXT    NOT NULL,
    note           TEXT    NOT NULL DEFAULT '',
    mode           TEXT    NOT NULL,                     -- all | chosen | sample
    per_type       INTEGER NOT NULL DEFAULT 0,
    seed           BIGINT  NOT NULL DEFAULT 0,
    point_type_ids TEXT    NOT NULL DEFAULT '[]',        -- JSON array
    created_by     INTEGER REFERENCES users(id),
    created_at     BIGINT  NOT NULL,
    updated_at     BIGINT  NOT NULL,
    closed_at      BIGINT
);
CREATE INDEX inspections_tenant_created ON inspections(tenant_id, created_at);
CREATE INDEX inspections_framework ON inspections(framework_id);

CREATE TABLE inspection_inspectors (
    inspection_id INTEGER NOT NULL REFERENCES inspections(id) ON DELETE CASCADE,
    user_id       INTEGER NOT NULL REFERENCES users(id),
    sort          INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (inspection_id, user_id)
);
CREATE INDEX inspection_inspectors_user ON inspection_inspectors(user_id);

CREATE TABLE inspection_points (
    inspection_id INTEGER NOT NULL REFERENCES inspections(id) ON DELETE CASCADE,
    point_id      INTEGER NOT NULL REFERENCES points(id),
    inspector_id  INTEGER REFERENCES users(id),
    sort          INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (inspection_id, point_id)
);
CREATE INDEX inspection_points_inspector ON inspection_points(inspector_id);
CREATE INDEX inspection_points_point ON inspection_points(point_id);

-- One record per point visited; the client's key makes retries idempotent.
CREATE TABLE inspection_records (
    id            INTEGER PRIMARY KEY,
    inspection_id INTEGER NOT NULL REFERENCES inspections(id),
    point_id      INTEGER NOT NULL REFERENCES points(id),
    inspector_id  INTEGER NOT NULL REFERENCES users(id),
    client_key    TEXT    NOT NULL,
    lat           DOUBLE PRECISION,                      -- from the device; NULL when unknown
    lng           DOUBLE PRECISION,
    captured_at   BIGINT,                                -- device time
    submitted_at  BIGINT  NOT NULL,                      -- server time
    updated_at    BIGINT  NOT NULL,
    note          TEXT    NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX inspection_records_key ON inspection_records(inspection_id, client_key);
CREATE UNIQUE INDEX inspection_records_point ON inspection_records(inspection_id, point_id);

CREATE TABLE inspection_observations (
    id            INTEGER PRIMARY KEY,
    record_id     INTEGER NOT NULL REFERENCES inspection_records(id) ON DELETE CASCADE,
    inspection_id INTEGER NOT NULL REFERENCES inspections(id),
    item_id       INTEGER NOT NULL REFERENCES checklist_items(id),
    standard_id   INTEGER NOT NULL REFERENCES indicators(id),
    rating        TEXT    NOT NULL,                      -- pass | fail | severe | na
    count         INTEGER NOT NULL DEFAULT 1,
    note          TEXT    NOT NULL DEFAULT '',
    problem_id    INTEGER REFERENCES problems(id),       -- the problem a failure created
    sort          INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX inspection_observations_record ON inspection_observations(record_id, sort);
CREATE INDEX inspection_observations_standard ON inspection_observations(inspection_id, standard_id);
CREATE INDEX inspection_observations_problem ON inspection_observations(problem_id);

CREATE TABLE observation_photos (
    observation_id INTEGER NOT NULL REFERENCES inspection_observations(id) ON DELETE CASCADE,
    file_id        INTEGER NOT NULL REFERENCES files(id),
    sort           INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (observation_id, file_id)
);
CREATE INDEX observation_photos_file ON observation_photos(file_id);

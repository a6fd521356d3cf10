-- 0004_master: master data for problems and inspections: problem categories
-- (a tree), responsibility grids with their workers, point types and points.

CREATE TABLE problem_categories (
    id                      INTEGER PRIMARY KEY,
    tenant_id               INTEGER NOT NULL REFERENCES tenants(id),
    parent_id               INTEGER REFERENCES problem_categories(id),
    code                    TEXT    NOT NULL,
    name                    TEXT    NOT NULL,
    default_unit_id         INTEGER REFERENCES units(id),
    default_deadline_hours  INTEGER NOT NULL DEFAULT 0,  -- 0: inherit from the parent
    severity                INTEGER NOT NULL DEFAULT 1,  -- 1 一般, 2 较重, 3 严重
    sort                    INTEGER NOT NULL DEFAULT 0,
    enabled                 INTEGER NOT NULL DEFAULT 1,
    created_at              BIGINT  NOT NULL,
    updated_at              BIGINT  NOT NULL
);
CREATE UNIQUE INDEX problem_categories_tenant_code ON problem_categories(tenant_id, code);
CREATE UNIQUE INDEX problem_categories_tenant_parent_name
    ON problem_categories(tenant_id, COALESCE(parent_id, 0), name);
CREATE INDEX problem_categories_parent ON problem_categories(parent_id);
CREATE INDEX problem_categories_unit ON problem_categories(default_unit_id);

CREATE TABLE grids (
    id          INTEGER PRIMARY KEY,
    tenant_id   INTEGER NOT NULL REFERENCES tenants(id),
    code        TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    unit_id     INTEGER REFERENCES units(id),
    geometry    TEXT    NOT NULL,              -- GeoJSON Polygon or MultiPolygon (WGS84)
    min_lat     DOUBLE PRECISION NOT NULL,     -- bounding box, to pick candidate grids
    max_lat     DOUBLE PRECISION NOT NULL,
    min_lng     DOUBLE PRECISION NOT NULL,
    max_lng     DOUBLE PRECISION NOT NULL,
    vertices    INTEGER NOT NULL DEFAULT 0,    -- corners of every ring, for the list
    area_m2     DOUBLE PRECISION NOT NULL DEFAULT 0,
    sort        INTEGER NOT NULL DEFAULT 0,
    enabled     INTEGER NOT NULL DEFAULT 1,
    created_at  BIGINT  NOT NULL,
    updated_at  BIGINT  NOT NULL
);
CREATE UNIQUE INDEX grids_tenant_code ON grids(tenant_id, code);
CREATE UNIQUE INDEX grids_tenant_name ON grids(tenant_id, name);
CREATE INDEX grids_unit ON grids(unit_id);

CREATE TABLE grid_workers (
    grid_id     INTEGER NOT NULL REFERENCES grids(id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (grid_id, user_id)
);
CREATE INDEX grid_workers_user ON grid_workers(user_id);

CREATE TABLE point_types (
    id          INTEGER PRIMARY KEY,
    tenant_id   INTEGER NOT NULL REFERENCES tenants(id),
    code        TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    sort        INTEGER NOT NULL DEFAULT 0,
    enabled     INTEGER NOT NULL DEFAULT 1,
    created_at  BIGINT  NOT NULL,
    updated_at  BIGINT  NOT NULL
);
CREATE UNIQUE INDEX point_types_tenant_code ON point_types(tenant_id, code);
CREATE UNIQUE INDEX point_types_tenant_name ON point_types(tenant_id, name);

CREATE TABLE points (
    id          INTEGER PRIMARY KEY,
    tenant_id   INTEGER NOT NULL REFERENCES tenants(id),
    type_id     INTEGER NOT NULL REFERENCES point_types(id),
    code        TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    lat         DOUBLE PRECISION,              -- NULL: no location yet
    lng         DOUBLE PRECISION,
    address     TEXT    NOT NULL DEFAULT '',
    grid_id     INTEGER REFERENCES grids(id),
    unit_id     INTEGER REFERENCES units(id),  -- responsible unit
    person      TEXT    NOT NULL DEFAULT '',   -- responsible person
    phone       TEXT    NOT NULL DEFAULT '',
    enabled     INTEGER NOT NULL DEFAULT 1,
    created_at  BIGINT  NOT NULL,
    updated_at  BIGINT  NOT NULL
);
CREATE UNIQUE INDEX points_tenant_code ON points(tenant_id, code);
CREATE INDEX points_tenant_type ON points(tenant_id, type_id);
CREATE INDEX points_tenant_grid ON points(tenant_id, grid_id);
CREATE INDEX points_tenant_unit ON points(tenant_id, unit_id);

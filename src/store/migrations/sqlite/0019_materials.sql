-- 0019_materials: online reporting materials (网上申报材料): the catalogue of
-- items per framework version tied to standards, the units responsible for
-- each, every uploaded version with its files, and each item's timeline
-- (docs/materials.md).

CREATE TABLE material_items (
    id                  INTEGER PRIMARY KEY,
    tenant_id           INTEGER NOT NULL REFERENCES tenants(id),
    framework_id        INTEGER NOT NULL REFERENCES frameworks(id),
    standard_id         INTEGER NOT NULL REFERENCES indicators(id),
    code                TEXT    NOT NULL,                   -- "Ⅲ-26-1", unique per framework
    title               TEXT    NOT NULL,
    type                TEXT    NOT NULL,                   -- report | photos | table | evaluation | other
    requirement         TEXT    NOT NULL DEFAULT '',        -- time window, page limits, formats, photo count
    lead_unit_id        INTEGER NOT NULL REFERENCES units(id),
    deadline            TEXT    NOT NULL,                   -- YYYY-MM-DD, tenant's calendar
    status              TEXT    NOT NULL DEFAULT 'not_started', -- not_started | drafting | submitted | returned | approved
    rating              TEXT    NOT NULL DEFAULT '',        -- '' | full | partial | none (after review)
    approved_version_id INTEGER,
    template_file_id    INTEGER REFERENCES files(id),
    sort                INTEGER NOT NULL DEFAULT 0,
    created_by          INTEGER REFERENCES users(id),
    created_at          BIGINT  NOT NULL,
    updated_at          BIGINT  NOT NULL,
    UNIQUE (framework_id, code)
);
CREATE INDEX material_items_tenant ON material_items(tenant_id, framework_id, status);
CREATE INDEX material_items_lead ON material_items(lead_unit_id);
CREATE INDEX material_items_standard ON material_items(standard_id);

-- Responsible units (责任单位) beside the lead unit (牵头单位).
CREATE TABLE material_item_units (
    item_id INTEGER NOT NULL REFERENCES material_items(id) ON DELETE CASCADE,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    PRIMARY KEY (item_id, unit_id)
);
CREATE INDEX material_item_units_unit ON material_item_units(unit_id);

-- Every upload is a new version; none is overwritten.
CREATE TABLE material_versions (
    id           INTEGER PRIMARY KEY,
    tenant_id    INTEGER NOT NULL REFERENCES tenants(id),
    item_id      INTEGER NOT NULL REFERENCES material_items(id) ON DELETE CASCADE,
    number       INTEGER NOT NULL,
    unit_id      INTEGER REFERENCES units(id),              -- the uploader's unit
    note         TEXT    NOT NULL DEFAULT '',
    status       TEXT    NOT NULL DEFAULT 'draft',          -- draft | submitted | returned | approved
    rating       TEXT    NOT NULL DEFAULT '',
    comment      TEXT    NOT NULL DEFAULT '',               -- the office's review comment
    size         BIGINT  NOT NULL DEFAULT 0,
    reviewed_by  INTEGER REFERENCES users(id),
    reviewed_at  BIGINT,
    created_by   INTEGER REFERENCES users(id),
    created_at   BIGINT  NOT NULL,
    UNIQUE (item_id, number)
);

CREATE TABLE material_version_files (
    version_id INTEGER NOT NULL REFERENCES material_versions(id) ON DELETE CASCADE,
    file_id    INTEGER NOT NULL REFERENCES files(id),
    sort       INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (version_id, file_id)
);
CREATE INDEX material_version_files_file ON material_version_files(file_id);

-- The item's timeline: created, uploaded, submitted, returned, approved.
CREATE TABLE material_events (
    id         INTEGER PRIMARY KEY,
    tenant_id  INTEGER NOT NULL REFERENCES tenants(id),
    item_id    INTEGER NOT NULL REFERENCES material_items(id) ON DELETE CASCADE,
    version_id INTEGER,
    action     TEXT    NOT NULL,
    user_id    INTEGER REFERENCES users(id),
    unit_id    INTEGER REFERENCES units(id),
    note       TEXT    NOT NULL DEFAULT '',
    created_at BIGINT  NOT NULL
);
CREATE INDEX material_events_item ON material_events(item_id, id);

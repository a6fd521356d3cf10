-- 0008_frameworks (PostgreSQL twin of sqlite/0008_frameworks.sql): the evaluation framework (测评体系, docs/domain.md "The
-- evaluation framework"): versions, the indicator tree 测评项目 → 测评内容 →
-- 测评标准 with weights and methods, and the point types' checklists.

CREATE TABLE frameworks (
    id          BIGSERIAL PRIMARY KEY,
    tenant_id   BIGINT NOT NULL REFERENCES tenants(id),
    name        TEXT    NOT NULL,
    note        TEXT    NOT NULL DEFAULT '',
    active      INTEGER NOT NULL DEFAULT 0,              -- one active version per tenant
    copied_from BIGINT REFERENCES frameworks(id) ON DELETE SET NULL,
    created_at  BIGINT  NOT NULL,
    updated_at  BIGINT  NOT NULL
);
CREATE UNIQUE INDEX frameworks_tenant_name ON frameworks(tenant_id, name);
CREATE UNIQUE INDEX frameworks_tenant_active ON frameworks(tenant_id) WHERE active = 1;

-- Level 1 测评项目, 2 测评内容, 3 测评标准 (only standards carry weight and methods).
CREATE TABLE indicators (
    id           BIGSERIAL PRIMARY KEY,
    framework_id BIGINT NOT NULL REFERENCES frameworks(id) ON DELETE CASCADE,
    parent_id    BIGINT REFERENCES indicators(id) ON DELETE CASCADE,
    level        INTEGER NOT NULL,
    code         TEXT    NOT NULL,
    title        TEXT    NOT NULL,
    weight       DOUBLE PRECISION NOT NULL DEFAULT 0,
    methods      TEXT    NOT NULL DEFAULT '',            -- "field,materials": field | questionnaire | materials | data
    lead_unit_id BIGINT REFERENCES units(id) ON DELETE SET NULL,
    sort         INTEGER NOT NULL DEFAULT 0,
    created_at   BIGINT  NOT NULL,
    updated_at   BIGINT  NOT NULL
);
CREATE UNIQUE INDEX indicators_framework_code ON indicators(framework_id, code);
CREATE INDEX indicators_parent ON indicators(parent_id);

-- Responsible units (责任单位) of a standard.
CREATE TABLE indicator_units (
    indicator_id BIGINT NOT NULL REFERENCES indicators(id) ON DELETE CASCADE,
    unit_id      BIGINT NOT NULL REFERENCES units(id) ON DELETE CASCADE,
    PRIMARY KEY (indicator_id, unit_id)
);
CREATE INDEX indicator_units_unit ON indicator_units(unit_id);

-- The point types a field standard is checked at.
CREATE TABLE indicator_point_types (
    indicator_id  BIGINT NOT NULL REFERENCES indicators(id) ON DELETE CASCADE,
    point_type_id BIGINT NOT NULL REFERENCES point_types(id) ON DELETE CASCADE,
    PRIMARY KEY (indicator_id, point_type_id)
);
CREATE INDEX indicator_point_types_type ON indicator_point_types(point_type_id);

-- A point type's checklist (检查项) in one framework version.
CREATE TABLE checklist_items (
    id            BIGSERIAL PRIMARY KEY,
    framework_id  BIGINT NOT NULL REFERENCES frameworks(id) ON DELETE CASCADE,
    point_type_id BIGINT NOT NULL REFERENCES point_types(id),
    standard_id   BIGINT NOT NULL REFERENCES indicators(id),
    title         TEXT    NOT NULL,
    category_id   BIGINT NOT NULL REFERENCES problem_categories(id),
    credit_pass   DOUBLE PRECISION,                      -- NULL: the tenant's default
    credit_fail   DOUBLE PRECISION,
    credit_severe DOUBLE PRECISION,
    sort          INTEGER NOT NULL DEFAULT 0,
    created_at    BIGINT  NOT NULL
);
CREATE INDEX checklist_items_type ON checklist_items(framework_id, point_type_id, sort);
CREATE INDEX checklist_items_standard ON checklist_items(standard_id);
CREATE INDEX checklist_items_category ON checklist_items(category_id);

-- The tenant's default credit of each rating.
CREATE TABLE inspection_settings (
    tenant_id     BIGINT PRIMARY KEY REFERENCES tenants(id),
    credit_pass   DOUBLE PRECISION NOT NULL DEFAULT 1,
    credit_fail   DOUBLE PRECISION NOT NULL DEFAULT 0.5,
    credit_severe DOUBLE PRECISION NOT NULL DEFAULT 0,
    updated_at    BIGINT  NOT NULL
);

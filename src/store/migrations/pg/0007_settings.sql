-- 0007_settings (PostgreSQL twin of sqlite/0007_settings.sql): per-tenant
-- settings the office tunes (系统管理 › 参数设置): the recurrence (反弹) rule
-- of problem reporting and the unit ranking's composite weights and grade
-- bands.  One row per tenant; a tenant without a row uses the defaults
-- below (src/settings/settings.h says the same).

CREATE TABLE tenant_settings (
    tenant_id           BIGINT  PRIMARY KEY REFERENCES tenants(id),
    recur_distance_m    INTEGER NOT NULL DEFAULT 100,  -- same category this close ...
    recur_window_days   INTEGER NOT NULL DEFAULT 30,   -- ... closed this recently: a recurrence
    weight_closure      INTEGER NOT NULL DEFAULT 30,   -- 结案率
    weight_on_time      INTEGER NOT NULL DEFAULT 30,   -- 按期结案率
    weight_rework       INTEGER NOT NULL DEFAULT 15,   -- 返工率 (lower is better)
    weight_recurrence   INTEGER NOT NULL DEFAULT 15,   -- 反弹率 (lower is better)
    weight_extension    INTEGER NOT NULL DEFAULT 10,   -- 延期率 (lower is better)
    grade_a             INTEGER NOT NULL DEFAULT 90,   -- composite >= grade_a: A
    grade_b             INTEGER NOT NULL DEFAULT 75,
    grade_c             INTEGER NOT NULL DEFAULT 60,
    grade_d             INTEGER NOT NULL DEFAULT 40,   -- below grade_d: E
    updated_by          BIGINT  REFERENCES users(id),
    updated_at          BIGINT  NOT NULL
);

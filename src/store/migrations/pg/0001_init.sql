-- 0001_init: tenants and user accounts, the ground every later table stands on.
-- PostgreSQL twin of sqlite/0001_init.sql: same tables, columns and indexes;
-- ids are BIGSERIAL where SQLite has INTEGER PRIMARY KEY.
-- Times are BIGINT milliseconds since the epoch (UTC); booleans INTEGER 0/1.

CREATE TABLE tenants (
    id          BIGSERIAL PRIMARY KEY,
    name        TEXT    NOT NULL,
    region_code TEXT    NOT NULL DEFAULT '',
    level       TEXT    NOT NULL DEFAULT 'county',
    eval_date   TEXT,
    timezone    TEXT    NOT NULL DEFAULT 'Asia/Shanghai',
    enabled     INTEGER NOT NULL DEFAULT 1,
    created_at  BIGINT  NOT NULL,
    updated_at  BIGINT  NOT NULL
);

CREATE TABLE users (
    id             BIGSERIAL PRIMARY KEY,
    tenant_id      BIGINT  NOT NULL REFERENCES tenants(id),
    username       TEXT    NOT NULL,
    name           TEXT    NOT NULL DEFAULT '',
    phone          TEXT    NOT NULL DEFAULT '',
    password_hash  TEXT    NOT NULL,
    is_platform_admin INTEGER NOT NULL DEFAULT 0,
    enabled        INTEGER NOT NULL DEFAULT 1,
    password_changed_at BIGINT NOT NULL,
    last_login_at  BIGINT,
    created_at     BIGINT  NOT NULL,
    updated_at     BIGINT  NOT NULL
);
-- Usernames are unique across the deployment so login needs no tenant picker.
CREATE UNIQUE INDEX users_username ON users(username);
CREATE INDEX users_tenant ON users(tenant_id);

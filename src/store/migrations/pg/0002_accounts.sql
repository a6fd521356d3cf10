-- 0002_accounts (PostgreSQL twin of sqlite/0002_accounts.sql).

CREATE TABLE units (
    id          BIGSERIAL PRIMARY KEY,
    tenant_id   BIGINT  NOT NULL REFERENCES tenants(id),
    parent_id   BIGINT  REFERENCES units(id),
    name        TEXT    NOT NULL,
    kind        TEXT    NOT NULL,
    ancestors   TEXT    NOT NULL DEFAULT '/',   -- '/1/3/7/': root to self, for subtree queries
    leader      TEXT    NOT NULL DEFAULT '',    -- 包抓领导
    liaison     TEXT    NOT NULL DEFAULT '',    -- 联络员
    phone       TEXT    NOT NULL DEFAULT '',
    sort        INTEGER NOT NULL DEFAULT 0,
    enabled     INTEGER NOT NULL DEFAULT 1,
    created_at  BIGINT  NOT NULL,
    updated_at  BIGINT  NOT NULL
);
CREATE INDEX units_tenant_ancestors ON units(tenant_id, ancestors);
CREATE INDEX units_parent ON units(parent_id);
CREATE UNIQUE INDEX units_tenant_parent_name ON units(tenant_id, COALESCE(parent_id, 0), name);

ALTER TABLE users ADD COLUMN unit_id BIGINT REFERENCES units(id);
ALTER TABLE users ADD COLUMN last_login_ip TEXT NOT NULL DEFAULT '';
CREATE INDEX users_unit ON users(unit_id);

CREATE TABLE roles (
    id          BIGSERIAL PRIMARY KEY,
    tenant_id   BIGINT  NOT NULL REFERENCES tenants(id),
    key         TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    builtin     INTEGER NOT NULL DEFAULT 0,
    data_scope  TEXT    NOT NULL DEFAULT 'self',  -- all | custom | unit | unit_below | self
    sort        INTEGER NOT NULL DEFAULT 0,
    enabled     INTEGER NOT NULL DEFAULT 1,
    created_at  BIGINT  NOT NULL,
    updated_at  BIGINT  NOT NULL
);
CREATE UNIQUE INDEX roles_tenant_key ON roles(tenant_id, key);

-- Permissions of custom roles; built-in roles take theirs from the code.
CREATE TABLE role_permissions (
    role_id     BIGINT  NOT NULL REFERENCES roles(id) ON DELETE CASCADE,
    permission  TEXT    NOT NULL,
    PRIMARY KEY (role_id, permission)
);

-- Units of a role whose data scope is 'custom'.
CREATE TABLE role_units (
    role_id     BIGINT  NOT NULL REFERENCES roles(id) ON DELETE CASCADE,
    unit_id     BIGINT  NOT NULL REFERENCES units(id) ON DELETE CASCADE,
    PRIMARY KEY (role_id, unit_id)
);

CREATE TABLE user_roles (
    user_id     BIGINT  NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role_id     BIGINT  NOT NULL REFERENCES roles(id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, role_id)
);
CREATE INDEX user_roles_role ON user_roles(role_id);

CREATE TABLE sessions (
    id           BIGSERIAL PRIMARY KEY,
    tenant_id    BIGINT  NOT NULL REFERENCES tenants(id),
    user_id      BIGINT  NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    token_hash   TEXT    NOT NULL,        -- hex SHA-256 of the cookie value
    csrf_token   TEXT    NOT NULL,
    ip           TEXT    NOT NULL DEFAULT '',
    user_agent   TEXT    NOT NULL DEFAULT '',
    created_at   BIGINT  NOT NULL,
    last_seen_at BIGINT  NOT NULL,
    expires_at   BIGINT  NOT NULL,        -- absolute timeout
    revoked_at   BIGINT,
    revoked_why  TEXT
);
CREATE UNIQUE INDEX sessions_token ON sessions(token_hash);
CREATE INDEX sessions_user ON sessions(user_id);

-- Failed logins per account ('u:<username>') and per address ('ip:<addr>').
CREATE TABLE login_throttle (
    key          TEXT    PRIMARY KEY,
    failures     INTEGER NOT NULL,
    first_at     BIGINT  NOT NULL,
    last_at      BIGINT  NOT NULL,
    locked_until BIGINT  NOT NULL DEFAULT 0
);

CREATE TABLE audit_log (
    id           BIGINT  PRIMARY KEY,     -- = audit_head.seq when written
    tenant_id    BIGINT,
    at           BIGINT  NOT NULL,
    user_id      BIGINT,
    username     TEXT    NOT NULL DEFAULT '',
    ip           TEXT    NOT NULL DEFAULT '',
    action       TEXT    NOT NULL,
    object_type  TEXT    NOT NULL DEFAULT '',
    object_id    TEXT    NOT NULL DEFAULT '',
    summary      TEXT    NOT NULL DEFAULT '{}',
    result       TEXT    NOT NULL DEFAULT 'ok',
    request_id   TEXT    NOT NULL DEFAULT '',
    prev_hash    TEXT    NOT NULL,
    hash         TEXT    NOT NULL
);
CREATE INDEX audit_tenant_at ON audit_log(tenant_id, at);
CREATE INDEX audit_action ON audit_log(tenant_id, action);

-- One row: the chain's head.  Updating it first serializes writers of the chain.
CREATE TABLE audit_head (
    id        INTEGER PRIMARY KEY,
    seq       BIGINT  NOT NULL,
    last_hash TEXT    NOT NULL
);
INSERT INTO audit_head (id, seq, last_hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

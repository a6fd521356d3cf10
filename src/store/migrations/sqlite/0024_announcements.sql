-- 0024_announcements: 通知公告 with readings and 回执, 资料归档 (the documents
-- the campaign requires of each unit kind) and 责任书 (a unit's yearly target
-- responsibility list, confirmed online).

CREATE TABLE announcements (
    id           INTEGER PRIMARY KEY,
    tenant_id    INTEGER NOT NULL REFERENCES tenants(id),
    title        TEXT    NOT NULL,
    body         TEXT    NOT NULL DEFAULT '',
    source_kind  TEXT    NOT NULL DEFAULT '',  -- '' or 'bulletin', ...
    source_id    BIGINT  NOT NULL DEFAULT 0,
    audience     TEXT    NOT NULL DEFAULT 'units', -- all | units | kinds
    kinds        TEXT    NOT NULL DEFAULT '[]',    -- unit kind keys when audience = kinds
    status       TEXT    NOT NULL DEFAULT 'draft', -- draft | published
    reply_due    BIGINT  NOT NULL DEFAULT 0,       -- ms UTC; 0: no 回执 asked
    author_id    INTEGER REFERENCES users(id),
    created_at   BIGINT  NOT NULL,
    updated_at   BIGINT  NOT NULL,
    published_at BIGINT  NOT NULL DEFAULT 0
);
CREATE INDEX announcements_tenant ON announcements(tenant_id, status, published_at);

-- One row per addressed unit: its first reading and its 回执.
CREATE TABLE announcement_units (
    announcement_id INTEGER NOT NULL REFERENCES announcements(id) ON DELETE CASCADE,
    unit_id      INTEGER NOT NULL REFERENCES units(id),
    read_at      BIGINT  NOT NULL DEFAULT 0,
    read_by      INTEGER REFERENCES users(id),
    replied_at   BIGINT  NOT NULL DEFAULT 0,
    replied_by   INTEGER REFERENCES users(id),
    reply        TEXT    NOT NULL DEFAULT '',
    reminded_at  BIGINT  NOT NULL DEFAULT 0,     -- the office last reminded it
    PRIMARY KEY (announcement_id, unit_id)
);
CREATE INDEX announcement_units_unit ON announcement_units(unit_id);

-- Each user's first reading.
CREATE TABLE announcement_reads (
    announcement_id INTEGER NOT NULL REFERENCES announcements(id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL REFERENCES users(id),
    unit_id      INTEGER REFERENCES units(id),
    read_at      BIGINT  NOT NULL,
    PRIMARY KEY (announcement_id, user_id)
);

-- Attachments of the notice (unit_id NULL) and of a unit's 回执 (unit_id set).
CREATE TABLE announcement_files (
    announcement_id INTEGER NOT NULL REFERENCES announcements(id) ON DELETE CASCADE,
    unit_id      INTEGER REFERENCES units(id),
    file_id      INTEGER NOT NULL REFERENCES files(id),
    sort         INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX announcement_files_notice ON announcement_files(announcement_id, unit_id);
CREATE INDEX announcement_files_file ON announcement_files(file_id);

-- 资料归档: what the office requires of each unit kind ...
CREATE TABLE archive_requirements (
    id           INTEGER PRIMARY KEY,
    tenant_id    INTEGER NOT NULL REFERENCES tenants(id),
    unit_kind    TEXT    NOT NULL,
    title        TEXT    NOT NULL,
    note         TEXT    NOT NULL DEFAULT '',
    sort         INTEGER NOT NULL DEFAULT 0,
    created_at   BIGINT  NOT NULL
);
CREATE INDEX archive_requirements_tenant ON archive_requirements(tenant_id, unit_kind);

-- ... and what a unit filed against a requirement (every upload kept).
CREATE TABLE archive_documents (
    id             INTEGER PRIMARY KEY,
    tenant_id      INTEGER NOT NULL REFERENCES tenants(id),
    requirement_id INTEGER NOT NULL REFERENCES archive_requirements(id) ON DELETE CASCADE,
    unit_id        INTEGER NOT NULL REFERENCES units(id),
    file_id        INTEGER NOT NULL REFERENCES files(id),
    note           TEXT    NOT NULL DEFAULT '',
    user_id        INTEGER REFERENCES users(id),
    created_at     BIGINT  NOT NULL
);
CREATE INDEX archive_documents_unit ON archive_documents(tenant_id, unit_id, requirement_id);
CREATE INDEX archive_documents_file ON archive_documents(file_id);

-- 责任书: a unit's target responsibility list of a year and its confirmation.
CREATE TABLE pledges (
    id           INTEGER PRIMARY KEY,
    tenant_id    INTEGER NOT NULL REFERENCES tenants(id),
    year         INTEGER NOT NULL,
    unit_id      INTEGER NOT NULL REFERENCES units(id),
    items        TEXT    NOT NULL,              -- the targets, one per line
    created_by   INTEGER REFERENCES users(id),
    created_at   BIGINT  NOT NULL,
    confirmed_at BIGINT  NOT NULL DEFAULT 0,
    confirmed_by INTEGER REFERENCES users(id),
    UNIQUE (tenant_id, year, unit_id)
);

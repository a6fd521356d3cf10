-- 0003_files (PostgreSQL twin of sqlite/0003_files.sql).

-- One row per upload.  The bytes live in a blob back end (storage): 'fs' is
-- data_dir/files/ab/cd/<sha256> (SQLite), 'db' is file_blobs (PostgreSQL).
-- Rows of one tenant with the same sha256 share their storage.
CREATE TABLE files (
    id            BIGSERIAL PRIMARY KEY,
    tenant_id     BIGINT  NOT NULL REFERENCES tenants(id),
    user_id       BIGINT  REFERENCES users(id),        -- uploader
    sha256        TEXT    NOT NULL,                   -- 64 lowercase hex digits
    size          BIGINT  NOT NULL,
    content_type  TEXT    NOT NULL,                   -- decided from the content at upload
    width         INTEGER NOT NULL,
    height        INTEGER NOT NULL,                   -- as stored, before EXIF orientation
    orientation   INTEGER NOT NULL DEFAULT 1,         -- EXIF 1..8
    captured_at   BIGINT,                             -- EXIF DateTimeOriginal, ms UTC
    gps_lat       DOUBLE PRECISION,
    gps_lng       DOUBLE PRECISION,
    storage       TEXT    NOT NULL,                   -- fs | db
    storage_key   TEXT    NOT NULL,
    original_name TEXT    NOT NULL DEFAULT '',        -- the client's name, display only
    created_at    BIGINT  NOT NULL
);
CREATE INDEX files_tenant_sha256 ON files(tenant_id, sha256);

-- The bytes of files whose storage is 'db'.
CREATE TABLE file_blobs (
    id            BIGSERIAL PRIMARY KEY,
    data          BYTEA    NOT NULL
);

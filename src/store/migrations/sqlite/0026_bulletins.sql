-- 0026_bulletins: 通报 (issue 18 part 2).  A bulletin is drafted from a
-- period, edited by the office and issued; its sections (figures, overdue
-- problems by unit, typical problems, unit table, red and black lists,
-- suggestions, the attached 进展情况表's plan) are one JSON document
-- (content), frozen once issued.  Numbered per tenant and year in the
-- office's format (tenant_settings.bulletin_number_format).

CREATE TABLE bulletins (
    id              INTEGER PRIMARY KEY,
    tenant_id       INTEGER NOT NULL REFERENCES tenants(id),
    year            INTEGER NOT NULL,
    seq             INTEGER NOT NULL,              -- the year's sequence: 第16期
    number          TEXT    NOT NULL,              -- 督查情况〔2026〕第16期
    title           TEXT    NOT NULL,
    period_from     TEXT    NOT NULL,              -- YYYY-MM-DD, tenant calendar
    period_to       TEXT    NOT NULL,              -- YYYY-MM-DD, the last day
    assessment_id   INTEGER,                          -- the assessment period it draws on, or NULL
    status          TEXT    NOT NULL DEFAULT 'draft', -- draft | issued
    content         TEXT    NOT NULL,              -- JSON: the sections (docs/bulletins.md)
    announcement_id INTEGER,                          -- set on issue
    created_by      INTEGER REFERENCES users(id),
    created_at      BIGINT  NOT NULL,
    updated_by      INTEGER REFERENCES users(id),
    updated_at      BIGINT  NOT NULL,
    issued_by       INTEGER REFERENCES users(id),
    issued_at       BIGINT,
    UNIQUE (tenant_id, year, seq)
);
CREATE INDEX bulletins_tenant_created ON bulletins(tenant_id, created_at);

ALTER TABLE tenant_settings ADD COLUMN bulletin_number_format TEXT NOT NULL DEFAULT '督查情况〔{YYYY}〕第{N}期';

-- 0020_surveys (PostgreSQL twin of sqlite/0020_surveys.sql): resident questionnaires (问卷测评, docs/surveys.md): a survey
-- version with its design as JSON (sections, questions, options and scores,
-- each question tied to an indicator and one of the four rates), quotas per
-- community (optionally by age group and sex), and the responses, self-filled
-- by link or taken by a surveyor, with their quality flags and review.

CREATE TABLE surveys (
    id           BIGSERIAL PRIMARY KEY,
    tenant_id BIGINT NOT NULL REFERENCES tenants(id),
    framework_id BIGINT REFERENCES frameworks(id) ON DELETE SET NULL,
    title        TEXT    NOT NULL,
    intro        TEXT    NOT NULL DEFAULT '',
    series       TEXT    NOT NULL DEFAULT '',            -- waves of one series are compared
    wave         TEXT    NOT NULL DEFAULT '',
    version      INTEGER NOT NULL DEFAULT 1,
    previous_id BIGINT REFERENCES surveys(id) ON DELETE SET NULL,
    status       TEXT    NOT NULL DEFAULT 'draft',       -- draft | published | closed
    token        TEXT,                                   -- the public link's token, set on publish
    min_seconds  INTEGER NOT NULL DEFAULT 60,            -- faster answers are flagged
    design       TEXT    NOT NULL DEFAULT '{"sections":[]}',
    created_by BIGINT REFERENCES users(id),
    created_at   BIGINT  NOT NULL,
    updated_at   BIGINT  NOT NULL,
    published_at BIGINT,
    closed_at    BIGINT
);
CREATE INDEX surveys_tenant_created ON surveys(tenant_id, created_at);
CREATE UNIQUE INDEX surveys_token ON surveys(token);

CREATE TABLE survey_quotas (
    survey_id BIGINT NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    age_group TEXT    NOT NULL DEFAULT '',               -- '' any
    sex       TEXT    NOT NULL DEFAULT '',               -- '' any | male | female
    target    INTEGER NOT NULL,
    PRIMARY KEY (survey_id, unit_id, age_group, sex)
);

CREATE TABLE survey_responses (
    id           BIGSERIAL PRIMARY KEY,
    survey_id BIGINT NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
    tenant_id BIGINT NOT NULL REFERENCES tenants(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),  -- the respondent's community
    channel      TEXT    NOT NULL,                       -- public | surveyor
    device       TEXT,                                   -- hash of the public page's device token
    client_key   TEXT,                                   -- a surveyor's idempotency key
    surveyor_id BIGINT REFERENCES users(id),
    ip           TEXT    NOT NULL DEFAULT '',
    phone        TEXT    NOT NULL DEFAULT '',            -- optional; only ever shown masked
    age_group    TEXT    NOT NULL DEFAULT '',
    sex          TEXT    NOT NULL DEFAULT '',
    lat          DOUBLE PRECISION,
    lng          DOUBLE PRECISION,
    duration_ms  BIGINT  NOT NULL DEFAULT 0,
    answers      TEXT    NOT NULL,                       -- JSON {question key: answer}
    flags        TEXT    NOT NULL DEFAULT '',            -- "fast,straight,device,address,gps"
    review       TEXT    NOT NULL DEFAULT '',            -- '' | accepted | rejected
    review_note  TEXT    NOT NULL DEFAULT '',
    reviewed_by BIGINT REFERENCES users(id),
    reviewed_at  BIGINT,
    submitted_at BIGINT  NOT NULL
);
CREATE UNIQUE INDEX survey_responses_device ON survey_responses(survey_id, device);
CREATE UNIQUE INDEX survey_responses_key ON survey_responses(survey_id, client_key);
CREATE INDEX survey_responses_unit ON survey_responses(survey_id, unit_id);
CREATE INDEX survey_responses_ip ON survey_responses(survey_id, ip);

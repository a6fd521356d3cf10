-- 0028_survey_rate: the public survey endpoints' per-address limit, shared by
-- every server on the database (src/survey/survey_limit.c): a token bucket of
-- attempts and a count of accepted responses in the current hour.  Rows of
-- addresses idle for an hour are deleted as the limit runs.
CREATE TABLE survey_rate (
    ip          TEXT    PRIMARY KEY,
    tokens      REAL    NOT NULL,
    refilled_at INTEGER NOT NULL,
    hour_start  INTEGER NOT NULL,
    accepted    INTEGER NOT NULL DEFAULT 0,
    limited     INTEGER NOT NULL DEFAULT 0,
    last_at     INTEGER NOT NULL
);
CREATE INDEX survey_rate_last ON survey_rate (last_at);

-- 0010_problem_links (PostgreSQL twin of sqlite/0010_problem_links.sql):
-- problems linked to each other, e.g. a report that duplicates an open
-- problem close by.  A link has no direction: the pair is stored once, the
-- lower id first.

CREATE TABLE problem_links (
    id          BIGSERIAL PRIMARY KEY,
    tenant_id   BIGINT  NOT NULL REFERENCES tenants(id),
    problem_id  BIGINT  NOT NULL REFERENCES problems(id) ON DELETE CASCADE,
    other_id    BIGINT  NOT NULL REFERENCES problems(id) ON DELETE CASCADE,
    kind        TEXT    NOT NULL,              -- duplicate | related
    created_by  BIGINT  REFERENCES users(id),
    created_at  BIGINT  NOT NULL,
    CHECK (problem_id < other_id)
);
CREATE UNIQUE INDEX problem_links_pair ON problem_links(problem_id, other_id);
CREATE INDEX problem_links_other ON problem_links(other_id);

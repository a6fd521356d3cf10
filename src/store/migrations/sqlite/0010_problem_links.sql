-- 0010_problem_links: problems linked to each other, e.g. a report that
-- duplicates an open problem close by (docs/domain.md, "The closed loop":
-- near-duplicates "can be linked").  A link has no direction: the pair is stored once, the lower
-- id first.

CREATE TABLE problem_links (
    id          INTEGER PRIMARY KEY,
    tenant_id   INTEGER NOT NULL REFERENCES tenants(id),
    problem_id  INTEGER NOT NULL REFERENCES problems(id) ON DELETE CASCADE,
    other_id    INTEGER NOT NULL REFERENCES problems(id) ON DELETE CASCADE,
    kind        TEXT    NOT NULL,              -- duplicate | related
    created_by  INTEGER REFERENCES users(id),
    created_at  BIGINT  NOT NULL,
    CHECK (problem_id < other_id)
);
CREATE UNIQUE INDEX problem_links_pair ON problem_links(problem_id, other_id);
CREATE INDEX problem_links_other ON problem_links(other_id);

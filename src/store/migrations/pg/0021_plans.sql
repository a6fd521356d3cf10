-- 0021_plans (PostgreSQL twin of sqlite/0021_plans.sql): the task ledger (工作台账).  An action plan is a tree of nodes
-- plan -> project (工程) -> action (行动) -> task, each with its 包抓领导 (a
-- leader account), lead unit, responsible units, start and deadline; units
-- report progress on tasks, every report kept.

CREATE TABLE plan_nodes (
    id          BIGSERIAL PRIMARY KEY,
    tenant_id BIGINT NOT NULL REFERENCES tenants(id),
    plan_id BIGINT REFERENCES plan_nodes(id) ON DELETE CASCADE, -- NULL on the plan itself
    parent_id BIGINT REFERENCES plan_nodes(id) ON DELETE CASCADE,
    level       TEXT    NOT NULL,              -- plan | project | action | task
    title       TEXT    NOT NULL,
    leader_id BIGINT REFERENCES users(id),
    lead_unit_id BIGINT REFERENCES units(id),
    starts_on   TEXT    NOT NULL DEFAULT '',   -- YYYY-MM-DD, tenant calendar
    deadline    TEXT    NOT NULL DEFAULT '',   -- YYYY-MM-DD, the last day
    status      TEXT    NOT NULL DEFAULT 'active', -- active | done
    milestones  TEXT    NOT NULL DEFAULT '',
    expected    TEXT    NOT NULL DEFAULT '',   -- expected results
    rhythm      TEXT    NOT NULL DEFAULT '',   -- plan only: weekly | monthly
    sort        INTEGER NOT NULL DEFAULT 0,
    created_by BIGINT REFERENCES users(id),
    created_at  BIGINT  NOT NULL,
    updated_at  BIGINT  NOT NULL
);
CREATE INDEX plan_nodes_tenant_level ON plan_nodes(tenant_id, level, deadline);
CREATE INDEX plan_nodes_plan ON plan_nodes(plan_id);
CREATE INDEX plan_nodes_parent ON plan_nodes(parent_id);

-- The lead unit (is_lead = 1) and the responsible units of a node.
CREATE TABLE plan_node_units (
    node_id BIGINT NOT NULL REFERENCES plan_nodes(id) ON DELETE CASCADE,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    is_lead     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (node_id, unit_id)
);
CREATE INDEX plan_node_units_unit ON plan_node_units(unit_id);

-- Progress reports: never updated except for the office's comment.
CREATE TABLE task_reports (
    id          BIGSERIAL PRIMARY KEY,
    tenant_id BIGINT NOT NULL REFERENCES tenants(id),
    task_id BIGINT NOT NULL REFERENCES plan_nodes(id) ON DELETE CASCADE,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    user_id BIGINT REFERENCES users(id),
    percent     INTEGER NOT NULL,
    text        TEXT    NOT NULL,
    problems    TEXT    NOT NULL DEFAULT '',
    comment     TEXT    NOT NULL DEFAULT '',
    comment_by BIGINT REFERENCES users(id),
    comment_at  BIGINT,
    created_at  BIGINT  NOT NULL
);
CREATE INDEX task_reports_task ON task_reports(task_id, created_at);

CREATE TABLE task_report_files (
    report_id BIGINT NOT NULL REFERENCES task_reports(id) ON DELETE CASCADE,
    file_id BIGINT NOT NULL REFERENCES files(id),
    sort        INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (report_id, file_id)
);

-- Meetings (周例会, 联席会议, 调度会, 现场推进会) and their decisions; a decision
-- becomes a task (task_id) owned by a unit with a deadline.
CREATE TABLE meetings (
    id          BIGSERIAL PRIMARY KEY,
    tenant_id BIGINT NOT NULL REFERENCES tenants(id),
    kind        TEXT    NOT NULL,              -- weekly | joint | dispatch | onsite
    title       TEXT    NOT NULL,
    held_on     TEXT    NOT NULL,              -- YYYY-MM-DD
    chair_id BIGINT REFERENCES users(id),
    minutes     TEXT    NOT NULL DEFAULT '',
    created_by BIGINT REFERENCES users(id),
    created_at  BIGINT  NOT NULL
);
CREATE INDEX meetings_tenant_day ON meetings(tenant_id, held_on);

CREATE TABLE meeting_units (
    meeting_id BIGINT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    PRIMARY KEY (meeting_id, unit_id)
);

CREATE TABLE meeting_files (
    meeting_id BIGINT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    file_id BIGINT NOT NULL REFERENCES files(id),
    PRIMARY KEY (meeting_id, file_id)
);

CREATE TABLE meeting_decisions (
    id          BIGSERIAL PRIMARY KEY,
    meeting_id BIGINT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    text        TEXT    NOT NULL,
    task_id BIGINT REFERENCES plan_nodes(id) ON DELETE SET NULL
);
CREATE INDEX meeting_decisions_meeting ON meeting_decisions(meeting_id, seq);

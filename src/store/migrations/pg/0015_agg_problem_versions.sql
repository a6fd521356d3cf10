-- 0015_agg_problem_versions (PostgreSQL twin of sqlite/0015_agg_problem_versions.sql):
-- a per-tenant counter that every change of a problem or a unit moves, in the
-- writing transaction itself (triggers, so no write path can forget it).  A
-- computed unit ranking is cached with the version it was read at
-- (ranking_db.c) and used again only while the version is the same.
--
-- Statement triggers with transition tables, once per statement: a row
-- trigger updated the counter row once per row, and PostgreSQL follows the
-- chain of that row's versions written by the same transaction on every
-- update, so one statement over 100,000 problems took two minutes.
CREATE TABLE problem_versions (
    tenant_id   BIGINT  PRIMARY KEY,
    version     BIGINT  NOT NULL
);
INSERT INTO problem_versions (tenant_id, version) SELECT id, 1 FROM tenants;

CREATE FUNCTION problem_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO problem_versions AS v (tenant_id, version)
            SELECT DISTINCT tenant_id, 1 FROM changed_old
            ON CONFLICT (tenant_id) DO UPDATE SET version = v.version + 1;
    ELSE
        INSERT INTO problem_versions AS v (tenant_id, version)
            SELECT DISTINCT tenant_id, 1 FROM changed_new
            ON CONFLICT (tenant_id) DO UPDATE SET version = v.version + 1;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER problems_version_insert AFTER INSERT ON problems
    REFERENCING NEW TABLE AS changed_new FOR EACH STATEMENT EXECUTE FUNCTION problem_version_bump();
CREATE TRIGGER problems_version_update AFTER UPDATE ON problems
    REFERENCING NEW TABLE AS changed_new FOR EACH STATEMENT EXECUTE FUNCTION problem_version_bump();
CREATE TRIGGER problems_version_delete AFTER DELETE ON problems
    REFERENCING OLD TABLE AS changed_old FOR EACH STATEMENT EXECUTE FUNCTION problem_version_bump();
CREATE TRIGGER units_version_insert AFTER INSERT ON units
    REFERENCING NEW TABLE AS changed_new FOR EACH STATEMENT EXECUTE FUNCTION problem_version_bump();
CREATE TRIGGER units_version_update AFTER UPDATE ON units
    REFERENCING NEW TABLE AS changed_new FOR EACH STATEMENT EXECUTE FUNCTION problem_version_bump();
CREATE TRIGGER units_version_delete AFTER DELETE ON units
    REFERENCING OLD TABLE AS changed_old FOR EACH STATEMENT EXECUTE FUNCTION problem_version_bump();

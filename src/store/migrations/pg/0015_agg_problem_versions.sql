-- 0015_agg_problem_versions (PostgreSQL twin of sqlite/0015_agg_problem_versions.sql):
-- a per-tenant counter that every change of a problem or a unit moves, in the
-- writing transaction itself (triggers, so no write path can forget it).  A
-- computed unit ranking is cached with the version it was read at
-- (ranking_db.c) and used again only while the version is the same.
CREATE TABLE problem_versions (
    tenant_id   BIGINT  PRIMARY KEY,
    version     BIGINT  NOT NULL
);
INSERT INTO problem_versions (tenant_id, version) SELECT id, 1 FROM tenants;

CREATE FUNCTION problem_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    t BIGINT;
BEGIN
    IF TG_OP = 'DELETE' THEN
        t := OLD.tenant_id;
    ELSE
        t := NEW.tenant_id;
    END IF;
    INSERT INTO problem_versions AS v (tenant_id, version) VALUES (t, 1)
        ON CONFLICT (tenant_id) DO UPDATE SET version = v.version + 1;
    RETURN NULL;
END;
$$;

CREATE TRIGGER problems_version AFTER INSERT OR UPDATE OR DELETE ON problems
    FOR EACH ROW EXECUTE FUNCTION problem_version_bump();
CREATE TRIGGER units_version AFTER INSERT OR UPDATE OR DELETE ON units
    FOR EACH ROW EXECUTE FUNCTION problem_version_bump();

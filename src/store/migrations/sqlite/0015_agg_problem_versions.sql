-- 0015_agg_problem_versions: a per-tenant counter that every change of a
-- problem or a unit moves, in the writing transaction itself (triggers, so
-- no write path can forget it).  A computed unit ranking is cached with the
-- version it was read at (ranking_db.c) and used again only while the
-- version is the same: a ranking never shows a result older than the last
-- committed change, and with two servers on one database each sees the
-- other's writes through the counter.
CREATE TABLE problem_versions (
    tenant_id   INTEGER PRIMARY KEY,
    version     BIGINT  NOT NULL
);
INSERT INTO problem_versions (tenant_id, version) SELECT id, 1 FROM tenants;

CREATE TRIGGER problems_version_insert AFTER INSERT ON problems BEGIN
    INSERT INTO problem_versions (tenant_id, version) VALUES (NEW.tenant_id, 1)
        ON CONFLICT (tenant_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER problems_version_update AFTER UPDATE ON problems BEGIN
    INSERT INTO problem_versions (tenant_id, version) VALUES (NEW.tenant_id, 1)
        ON CONFLICT (tenant_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER problems_version_delete AFTER DELETE ON problems BEGIN
    INSERT INTO problem_versions (tenant_id, version) VALUES (OLD.tenant_id, 1)
        ON CONFLICT (tenant_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER units_version_insert AFTER INSERT ON units BEGIN
    INSERT INTO problem_versions (tenant_id, version) VALUES (NEW.tenant_id, 1)
        ON CONFLICT (tenant_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER units_version_update AFTER UPDATE ON units BEGIN
    INSERT INTO problem_versions (tenant_id, version) VALUES (NEW.tenant_id, 1)
        ON CONFLICT (tenant_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER units_version_delete AFTER DELETE ON units BEGIN
    INSERT INTO problem_versions (tenant_id, version) VALUES (OLD.tenant_id, 1)
        ON CONFLICT (tenant_id) DO UPDATE SET version = version + 1;
END;

-- roles.sql: the database roles of a cshq deployment on PostgreSQL.
--
--   cshq_owner  owns the schema and runs the migrations (`cshq migrate --pg ...`);
--               never used by the serving instances.
--   cshq_app    what every `cshq serve --pg ...` instance logs in as: reads and writes
--               the tables, but may only append to audit_log and only move the single
--               audit_log_head row, so that even a compromised instance cannot rewrite
--               the tamper-evident log.
--
-- Run as a superuser (or a role with CREATEROLE) connected to the cshq database:
--   psql -v ON_ERROR_STOP=1 -d cshq -f roles.sql
-- once before the first migration and again after every migration: it is idempotent,
-- and the grants on tables are only as complete as the schema at the time it runs.
-- Passwords are set separately (\password cshq_app) or replaced by certificate or peer
-- authentication in pg_hba.conf.

DO $$
BEGIN
	IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'cshq_owner') THEN
		CREATE ROLE cshq_owner LOGIN;
	END IF;
	IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'cshq_app') THEN
		CREATE ROLE cshq_app LOGIN;
	END IF;
END
$$;

-- The schema belongs to the owner; nobody else may create objects in it.
CREATE SCHEMA IF NOT EXISTS cshq AUTHORIZATION cshq_owner;
REVOKE ALL ON SCHEMA cshq FROM PUBLIC;
GRANT USAGE ON SCHEMA cshq TO cshq_app;
ALTER ROLE cshq_owner SET search_path = cshq;
ALTER ROLE cshq_app SET search_path = cshq;
-- The public schema is not used; keep the app role from creating anything anywhere.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;

-- Tables that later migrations create are usable by the app at once; the audit
-- restrictions below are re-applied by running this file again after migrating.
ALTER DEFAULT PRIVILEGES FOR ROLE cshq_owner IN SCHEMA cshq
	GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO cshq_app;
ALTER DEFAULT PRIVILEGES FOR ROLE cshq_owner IN SCHEMA cshq
	GRANT USAGE, SELECT ON SEQUENCES TO cshq_app;

GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA cshq TO cshq_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA cshq TO cshq_app;

-- The tamper-evident log: append and read only. The head row is moved forward with
-- each append (it serialises appends across instances), never inserted or deleted.
DO $$
BEGIN
	IF to_regclass('cshq.audit_log') IS NOT NULL THEN
		REVOKE ALL ON cshq.audit_log FROM cshq_app;
		GRANT SELECT, INSERT ON cshq.audit_log TO cshq_app;
	END IF;
	IF to_regclass('cshq.audit_log_head') IS NOT NULL THEN
		REVOKE ALL ON cshq.audit_log_head FROM cshq_app;
		GRANT SELECT, UPDATE ON cshq.audit_log_head TO cshq_app;
	END IF;
	-- Migrations are the owner's business.
	IF to_regclass('cshq.schema_migrations') IS NOT NULL THEN
		REVOKE ALL ON cshq.schema_migrations FROM cshq_app;
		GRANT SELECT ON cshq.schema_migrations TO cshq_app;
	END IF;
END
$$;

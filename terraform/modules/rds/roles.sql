-- BlockFleet's roles on the queue database (RDS PostgreSQL, or any PostgreSQL 13+): one login per
-- tier, each a member of a NOLOGIN group role that holds the privileges, so no component but the
-- migration Job uses the owner (the RDS master).
--
--   group role         login                    used by                         may
--   blockfleet_queue   blockfleet_queue_login   coordinator, workers, loaders   read and write the queue's rows
--   blockfleet_loader  blockfleet_loader_login  loaders (Postgres warehouse)    create and load the warehouse schema
--   blockfleet_model   blockfleet_model_login   the model stage                 read the loaded tables, write its own;
--                                                                               nothing of the queue
--   blockfleet_reader  grafana_reader           KEDA, Grafana                   read the queue and the warehouse
--
-- Run as the owner of the queue's tables (the login `coordinator migrate` runs as), after the first
-- migration and again after any migration or password rotation (it is idempotent), e.g. from the
-- bastion (docs/deploy.md, "Database roles"):
--   eval "$(terraform output -raw database_roles_env)"
--   psql "$BLOCKFLEET_RDS_MASTER_URL" -v ON_ERROR_STOP=1 -f terraform/modules/rds/roles.sql
-- The passwords come from the environment (psql 15+ \getenv), never from the command line:
-- BLOCKFLEET_QUEUE_PASSWORD, BLOCKFLEET_LOADER_PASSWORD, BLOCKFLEET_MODEL_PASSWORD,
-- BLOCKFLEET_READER_PASSWORD. Optional psql variables: queue_schema (default public) and
-- warehouse_schema (default ethereum, BLOCKFLEET_WAREHOUSE_SCHEMA).

\set ON_ERROR_STOP on
\if :{?queue_schema}
\else
\set queue_schema public
\endif
\if :{?warehouse_schema}
\else
\set warehouse_schema ethereum
\endif
\getenv queue_password BLOCKFLEET_QUEUE_PASSWORD
\getenv loader_password BLOCKFLEET_LOADER_PASSWORD
\getenv model_password BLOCKFLEET_MODEL_PASSWORD
\getenv reader_password BLOCKFLEET_READER_PASSWORD
\if :{?queue_password}
\else
DO $$ BEGIN RAISE EXCEPTION 'BLOCKFLEET_QUEUE_PASSWORD is not set (terraform output database_roles_env)'; END $$;
\endif
\if :{?loader_password}
\else
DO $$ BEGIN RAISE EXCEPTION 'BLOCKFLEET_LOADER_PASSWORD is not set (terraform output database_roles_env)'; END $$;
\endif
\if :{?model_password}
\else
DO $$ BEGIN RAISE EXCEPTION 'BLOCKFLEET_MODEL_PASSWORD is not set (terraform output database_roles_env)'; END $$;
\endif
\if :{?reader_password}
\else
DO $$ BEGIN RAISE EXCEPTION 'BLOCKFLEET_READER_PASSWORD is not set (terraform output database_roles_env)'; END $$;
\endif

SELECT current_user AS owner, current_database() AS database \gset

BEGIN;

-- The group roles (a migration may have made them already) and their logins.
SELECT format('CREATE ROLE %I NOLOGIN', name)
FROM unnest(ARRAY['blockfleet_queue', 'blockfleet_loader', 'blockfleet_model', 'blockfleet_reader']) AS name
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = name) \gexec
SELECT format('CREATE ROLE %I LOGIN', name)
FROM unnest(ARRAY['blockfleet_queue_login', 'blockfleet_loader_login', 'blockfleet_model_login', 'grafana_reader']) AS name
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = name) \gexec
ALTER ROLE blockfleet_queue_login WITH LOGIN INHERIT NOCREATEDB NOCREATEROLE PASSWORD :'queue_password';
ALTER ROLE blockfleet_loader_login WITH LOGIN INHERIT NOCREATEDB NOCREATEROLE PASSWORD :'loader_password';
ALTER ROLE blockfleet_model_login WITH LOGIN INHERIT NOCREATEDB NOCREATEROLE PASSWORD :'model_password';
ALTER ROLE grafana_reader WITH LOGIN INHERIT NOCREATEDB NOCREATEROLE PASSWORD :'reader_password';
GRANT blockfleet_queue TO blockfleet_queue_login;
GRANT blockfleet_loader TO blockfleet_loader_login;
GRANT blockfleet_model TO blockfleet_model_login;
GRANT blockfleet_reader TO grafana_reader;
-- The owner sets the default privileges of the loader's and the model's objects below, which
-- PostgreSQL allows members only.
GRANT blockfleet_loader, blockfleet_model TO :"owner";
-- The loader and model logins act as their group from the start of a session, so what they create
-- belongs to the group: a rotated or second login of the tier keeps owning it.
ALTER ROLE blockfleet_loader_login SET role = 'blockfleet_loader';
ALTER ROLE blockfleet_model_login SET role = 'blockfleet_model';
-- A dashboard or autoscaler query never runs long, nor writes.
ALTER ROLE grafana_reader SET default_transaction_read_only = on;
ALTER ROLE grafana_reader SET statement_timeout = '30s';

-- The database: every tier connects; loaders and the model stage run `CREATE SCHEMA IF NOT
-- EXISTS`, which PostgreSQL checks against the database's CREATE privilege even when it exists.
REVOKE ALL ON DATABASE :"database" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"database" TO blockfleet_queue, blockfleet_loader, blockfleet_model, blockfleet_reader;
GRANT CREATE ON DATABASE :"database" TO blockfleet_loader, blockfleet_model;

-- The queue: its rows to the queue role, reads to the reader, nothing to loader or model logins.
REVOKE ALL ON SCHEMA :"queue_schema" FROM PUBLIC;
GRANT USAGE ON SCHEMA :"queue_schema" TO blockfleet_queue, blockfleet_reader;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA :"queue_schema" TO blockfleet_queue;
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA :"queue_schema" TO blockfleet_queue;
GRANT SELECT ON ALL TABLES IN SCHEMA :"queue_schema" TO blockfleet_reader;
-- Tables of later migrations (run by the owner) get the same grants.
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA :"queue_schema" GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO blockfleet_queue;
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA :"queue_schema" GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO blockfleet_queue;
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA :"queue_schema" GRANT SELECT ON TABLES TO blockfleet_reader;

-- The Postgres warehouse (when Redshift is not the warehouse): loaders create and load its tables,
-- the model stage reads them and creates its own beside them, the reader reads both.
CREATE SCHEMA IF NOT EXISTS :"warehouse_schema";
REVOKE ALL ON SCHEMA :"warehouse_schema" FROM PUBLIC;
GRANT USAGE, CREATE ON SCHEMA :"warehouse_schema" TO blockfleet_loader, blockfleet_model;
GRANT USAGE ON SCHEMA :"warehouse_schema" TO blockfleet_reader;
ALTER DEFAULT PRIVILEGES FOR ROLE blockfleet_loader IN SCHEMA :"warehouse_schema" GRANT SELECT ON TABLES TO blockfleet_model, blockfleet_reader;
ALTER DEFAULT PRIVILEGES FOR ROLE blockfleet_model IN SCHEMA :"warehouse_schema" GRANT SELECT ON TABLES TO blockfleet_reader;
-- A reload forgets the range's model runs.
ALTER DEFAULT PRIVILEGES FOR ROLE blockfleet_model IN SCHEMA :"warehouse_schema" GRANT SELECT, DELETE ON TABLES TO blockfleet_loader;
-- Tables made before this file ran (by the owner or a tier).
SELECT format('GRANT SELECT ON ALL TABLES IN SCHEMA %I TO blockfleet_model, blockfleet_reader', :'warehouse_schema') \gexec
-- The model runs table: whichever tier prepares the warehouse first creates it; the model stage
-- records its runs there and a reload deletes them. Run this file again after the first load if
-- the table did not exist yet.
SELECT format('GRANT SELECT, INSERT, DELETE ON %I.blockfleet_model_runs TO blockfleet_model, blockfleet_loader', :'warehouse_schema')
WHERE to_regclass(format('%I.blockfleet_model_runs', :'warehouse_schema')) IS NOT NULL \gexec

COMMIT;

-- BlockFleet's users on the Redshift warehouse: one login per tier, each granted a role (Redshift
-- RBAC) that holds the privileges, so nothing but this file uses the master user.
--
--   role               user                     used by            may
--   blockfleet_loader  blockfleet_loader_login  loaders            create and load the warehouse schema, COPY
--                                                                  with the staging role
--   blockfleet_model   blockfleet_model_login   the model stage    read the loaded tables, write its own
--   blockfleet_reader  grafana_reader           Grafana            read the warehouse
--
-- Run as the master user, before the first load and again after it (the model runs table then
-- exists) or after a password rotation; it is idempotent. From the bastion (docs/deploy.md):
--   eval "$(terraform output -raw database_roles_env)"
--   psql "$BLOCKFLEET_REDSHIFT_MASTER_URL" -v ON_ERROR_STOP=1 -f terraform/modules/redshift/roles.sql
-- The passwords come from the environment (psql 15+ \getenv), never from the command line:
-- BLOCKFLEET_WAREHOUSE_LOADER_PASSWORD, BLOCKFLEET_WAREHOUSE_MODEL_PASSWORD,
-- BLOCKFLEET_WAREHOUSE_READER_PASSWORD, and the COPY role in BLOCKFLEET_REDSHIFT_COPY_ROLE.
-- Optional psql variable: warehouse_schema (default ethereum, BLOCKFLEET_WAREHOUSE_SCHEMA).
-- Not run here against a cluster (no Redshift on the build machine); the PostgreSQL twin,
-- terraform/modules/rds/roles.sql, is run by scripts/check-deploy.

\set ON_ERROR_STOP on
\if :{?warehouse_schema}
\else
\set warehouse_schema ethereum
\endif
\getenv loader_password BLOCKFLEET_WAREHOUSE_LOADER_PASSWORD
\getenv model_password BLOCKFLEET_WAREHOUSE_MODEL_PASSWORD
\getenv reader_password BLOCKFLEET_WAREHOUSE_READER_PASSWORD
\getenv copy_role BLOCKFLEET_REDSHIFT_COPY_ROLE
\if :{?loader_password}
\else
\echo 'BLOCKFLEET_WAREHOUSE_LOADER_PASSWORD is not set (terraform output database_roles_env)'
SELECT 1 / 0 AS missing_setting;
\endif
\if :{?model_password}
\else
\echo 'BLOCKFLEET_WAREHOUSE_MODEL_PASSWORD is not set (terraform output database_roles_env)'
SELECT 1 / 0 AS missing_setting;
\endif
\if :{?reader_password}
\else
\echo 'BLOCKFLEET_WAREHOUSE_READER_PASSWORD is not set (terraform output database_roles_env)'
SELECT 1 / 0 AS missing_setting;
\endif
\if :{?copy_role}
\else
\echo 'BLOCKFLEET_REDSHIFT_COPY_ROLE is not set (terraform output database_roles_env)'
SELECT 1 / 0 AS missing_setting;
\endif

SELECT current_database() AS database \gset

-- The roles and their users (Redshift has no IF NOT EXISTS for either).
SELECT 'CREATE ROLE ' || quote_ident(name) FROM (
    SELECT 'blockfleet_loader' AS name UNION ALL SELECT 'blockfleet_model' UNION ALL SELECT 'blockfleet_reader'
) AS wanted WHERE name NOT IN (SELECT role_name FROM svv_roles) \gexec
SELECT 'CREATE USER ' || quote_ident(name) || ' PASSWORD DISABLE' FROM (
    SELECT 'blockfleet_loader_login' AS name UNION ALL SELECT 'blockfleet_model_login' UNION ALL SELECT 'grafana_reader'
) AS wanted WHERE name NOT IN (SELECT usename FROM pg_user) \gexec
ALTER USER blockfleet_loader_login PASSWORD :'loader_password';
ALTER USER blockfleet_model_login PASSWORD :'model_password';
ALTER USER grafana_reader PASSWORD :'reader_password';
GRANT ROLE blockfleet_loader TO blockfleet_loader_login;
GRANT ROLE blockfleet_model TO blockfleet_model_login;
GRANT ROLE blockfleet_reader TO grafana_reader;
ALTER USER grafana_reader SET statement_timeout TO 30000;

-- COPY with the staging role: the loader only (by default every user may assume every role the
-- cluster has).
REVOKE ASSUMEROLE ON ALL FROM PUBLIC FOR ALL;
GRANT ASSUMEROLE ON :'copy_role' TO ROLE blockfleet_loader FOR COPY;

-- Loaders and the model stage run `CREATE SCHEMA IF NOT EXISTS`.
GRANT CREATE ON DATABASE :"database" TO ROLE blockfleet_loader;
GRANT CREATE ON DATABASE :"database" TO ROLE blockfleet_model;

CREATE SCHEMA IF NOT EXISTS :"warehouse_schema";
GRANT USAGE, CREATE ON SCHEMA :"warehouse_schema" TO ROLE blockfleet_loader;
GRANT USAGE, CREATE ON SCHEMA :"warehouse_schema" TO ROLE blockfleet_model;
GRANT USAGE ON SCHEMA :"warehouse_schema" TO ROLE blockfleet_reader;
-- What each tier creates (owned by its user): the model stage and Grafana read the loaded tables,
-- Grafana the models' too, and a reload forgets the range's model runs.
ALTER DEFAULT PRIVILEGES FOR USER blockfleet_loader_login IN SCHEMA :"warehouse_schema" GRANT SELECT ON TABLES TO ROLE blockfleet_model;
ALTER DEFAULT PRIVILEGES FOR USER blockfleet_loader_login IN SCHEMA :"warehouse_schema" GRANT SELECT ON TABLES TO ROLE blockfleet_reader;
ALTER DEFAULT PRIVILEGES FOR USER blockfleet_model_login IN SCHEMA :"warehouse_schema" GRANT SELECT ON TABLES TO ROLE blockfleet_reader;
ALTER DEFAULT PRIVILEGES FOR USER blockfleet_model_login IN SCHEMA :"warehouse_schema" GRANT SELECT, DELETE ON TABLES TO ROLE blockfleet_loader;
-- Tables made before this file ran.
GRANT SELECT ON ALL TABLES IN SCHEMA :"warehouse_schema" TO ROLE blockfleet_model;
GRANT SELECT ON ALL TABLES IN SCHEMA :"warehouse_schema" TO ROLE blockfleet_reader;
-- The model runs table, once the first load or model run made it.
SELECT 'GRANT SELECT, INSERT, DELETE ON ' || quote_ident(:'warehouse_schema') || '.blockfleet_model_runs TO ROLE blockfleet_model'
WHERE EXISTS (SELECT 1 FROM pg_tables WHERE schemaname = :'warehouse_schema' AND tablename = 'blockfleet_model_runs') \gexec
SELECT 'GRANT SELECT, INSERT, DELETE ON ' || quote_ident(:'warehouse_schema') || '.blockfleet_model_runs TO ROLE blockfleet_loader'
WHERE EXISTS (SELECT 1 FROM pg_tables WHERE schemaname = :'warehouse_schema' AND tablename = 'blockfleet_model_runs') \gexec

-- Applied by the self-test after terraform/modules/rds/roles.sql, as the superuser: each statement
-- breaks one guarantee of the tiers, and the role probes must notice every one.
GRANT USAGE ON SCHEMA public TO blockfleet_model;
GRANT SELECT, UPDATE ON ALL TABLES IN SCHEMA public TO blockfleet_model;
GRANT INSERT, DELETE ON ALL TABLES IN SCHEMA ethereum TO blockfleet_model;
ALTER ROLE grafana_reader RESET default_transaction_read_only;
GRANT DELETE ON ALL TABLES IN SCHEMA public TO blockfleet_reader;
GRANT CREATE ON SCHEMA public TO blockfleet_queue;

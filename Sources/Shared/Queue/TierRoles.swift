// The database roles per tier, and the queue's grants to them.

import Logging
import PostgresNIO

/// NOLOGIN group roles, one per tier, that deployments grant to their logins, so each component
/// holds only what it needs instead of one master login for everything:
///
/// - `blockfleet_queue`: coordinator and workers; reads and writes the queue tables.
/// - `blockfleet_loader`: loaders; writes the warehouse's ethereum-etl tables (granted by the warehouse's setup).
/// - `blockfleet_model`: the model stage; the warehouse schema only, no queue table at all, so
///   model SQL (user files) cannot touch `jobs` even when the warehouse is the queue database.
/// - `blockfleet_reader`: KEDA and Grafana; `SELECT` on `queue_depth` and the warehouse.
///
/// The migrator creates the roles when its user may (CREATEROLE or superuser), and grants on
/// every run (grants are idempotent); a user without CREATEROLE skips creation with a log line,
/// and the grants follow on the first migration after an administrator created the roles.
public enum TierRoles {
    public static let queue = "blockfleet_queue"
    public static let loader = "blockfleet_loader"
    public static let model = "blockfleet_model"
    public static let reader = "blockfleet_reader"
    public static let all = [queue, loader, model, reader]

    /// Creates the missing roles if the current user may; a role created meanwhile by another
    /// schema's migration (roles are cluster-wide) is not an error.
    static let create = """
        DO $$
        DECLARE
            tier TEXT;
        BEGIN
            IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = current_user AND (rolcreaterole OR rolsuper)) THEN
                RETURN;
            END IF;
            FOREACH tier IN ARRAY ARRAY['blockfleet_queue', 'blockfleet_loader', 'blockfleet_model', 'blockfleet_reader'] LOOP
                IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = tier) THEN
                    BEGIN
                        EXECUTE format('CREATE ROLE %I NOLOGIN', tier);
                    EXCEPTION WHEN duplicate_object OR unique_violation THEN
                        NULL;
                    END;
                END IF;
            END LOOP;
        END
        $$
        """

    /// The queue schema's grants: the queue tier reads and writes the queue, the reader sees
    /// `queue_depth` only (a view, so not the jobs' payloads and errors); nothing for the others.
    static let grantQueue = """
        DO $$
        BEGIN
            IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'blockfleet_queue') THEN
                EXECUTE format('GRANT USAGE ON SCHEMA %I TO blockfleet_queue', current_schema());
                GRANT SELECT, INSERT, UPDATE, DELETE ON jobs, workers, paused_kinds, reorgs, decoded_ranges, decoded_totals TO blockfleet_queue;
                GRANT SELECT ON blockfleet_migrations, queue_depth TO blockfleet_queue;
                GRANT USAGE, SELECT ON SEQUENCE jobs_id_seq, reorgs_id_seq TO blockfleet_queue;
            END IF;
            IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'blockfleet_reader') THEN
                EXECUTE format('GRANT USAGE ON SCHEMA %I TO blockfleet_reader', current_schema());
                GRANT SELECT ON queue_depth TO blockfleet_reader;
            END IF;
        END
        $$
        """

    static let missing: PostgresQuery = """
        SELECT string_agg(tier, ', ' ORDER BY tier) FROM unnest(ARRAY['blockfleet_queue', 'blockfleet_loader', 'blockfleet_model', 'blockfleet_reader']) AS tier
        WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = tier)
        """

    /// Creates the roles (when allowed) and grants the queue's privileges, on `connection`
    /// inside the migrator's transaction; logs which roles are missing.
    static func apply(on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.checkedQuery(PostgresQuery(unsafeSQL: create), logger: logger)
        try await connection.checkedQuery(PostgresQuery(unsafeSQL: grantQueue), logger: logger)
        for try await names in try await connection.checkedQuery(missing, logger: logger).decode(String?.self) {
            if let names {
                logger.warning("tier roles missing, their grants skipped: the migrating user lacks CREATEROLE; an administrator can create them (NOLOGIN) and migrate again",
                               metadata: ["roles": "\(names)"])
            }
        }
    }
}

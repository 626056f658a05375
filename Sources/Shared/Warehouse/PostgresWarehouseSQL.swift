// Every statement the Postgres loader runs, in one place. Values are bound; identifiers come
// from code and configuration (checked identifiers) and are quoted.

import PostgresNIO

/// The Postgres warehouse's SQL.
public enum PostgresWarehouseSQL {
    public static func type(_ type: WarehouseType) -> String {
        switch type {
        case .integer: return "BIGINT"
        case .wei, .uint256: return "NUMERIC(78,0)"
        case .text: return "TEXT"
        case .boolean: return "BOOLEAN"
        case .timestamp: return "TIMESTAMP"
        }
    }

    public static func createSchema(_ schema: String) -> String {
        "CREATE SCHEMA IF NOT EXISTS \(quoted(schema))"
    }

    public static func createTable(_ table: WarehouseTable, schema: String) -> String {
        let columns = table.columns.map { "    \(quoted($0.name)) \(type($0.type))" }.joined(separator: ",\n")
        return "CREATE TABLE IF NOT EXISTS \(qualified(table, schema)) (\n\(columns)\n)"
    }

    public static func createRangeIndex(_ table: WarehouseTable, schema: String) -> String {
        "CREATE INDEX IF NOT EXISTS \(quoted("\(table.name)_\(table.rangeColumn)_idx")) ON \(qualified(table, schema)) (\(quoted(table.rangeColumn)))"
    }

    /// Serialises loaders of the same table and range, and schema creation, within a transaction.
    static func lock(_ key: Int64) -> PostgresQuery {
        "SELECT pg_advisory_xact_lock(\(key))"
    }

    /// Grants the warehouse schema to the tier roles that exist (`TierRoles`, created by the
    /// queue's migrator): loaders write the ethereum-etl tables and forget model runs; the model
    /// stage reads them and creates and writes its own tables in the schema (and nothing of the
    /// queue: no grant names a queue table); readers select. Identifiers are ours and quoted.
    public static func grantTiers(schema: String) -> String {
        let tables = ExportEntity.allCases.map { qualified(WarehouseTable.of($0), schema) }.joined(separator: ", ")
        let runs = "\(quoted(schema)).\(quoted(ModelSQL.runsTable))"
        let name = quoted(schema)
        return """
            DO $$
            BEGIN
                IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'blockfleet_loader') THEN
                    GRANT USAGE ON SCHEMA \(name) TO blockfleet_loader;
                    GRANT SELECT, INSERT, UPDATE, DELETE ON \(tables) TO blockfleet_loader;
                    GRANT SELECT, DELETE ON \(runs) TO blockfleet_loader;
                END IF;
                IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'blockfleet_model') THEN
                    GRANT USAGE, CREATE ON SCHEMA \(name) TO blockfleet_model;
                    GRANT SELECT ON \(tables) TO blockfleet_model;
                    GRANT SELECT, INSERT, DELETE ON \(runs) TO blockfleet_model;
                END IF;
                IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'blockfleet_reader') THEN
                    GRANT USAGE ON SCHEMA \(name) TO blockfleet_reader;
                    GRANT SELECT ON \(tables), \(runs) TO blockfleet_reader;
                END IF;
            END
            $$
            """
    }

    /// The lock that keeps loads and model runs of one range apart, until the transaction ends.
    /// Loads take it shared (the tables of a range load side by side), a model run exclusive: a
    /// run never reads a range half reloaded, and a reload never lands between a run's reads and
    /// the record that says the range is modelled (it would delete the record before it exists,
    /// and the requeued model job would skip as up to date over stale rows).
    public static func rangeLock(schema: String, first: Int64, last: Int64, shared: Bool) -> PostgresQuery {
        let key = PostgresWarehouse.lockKey("range:\(schema):\(first)-\(last)")
        if shared { return "SELECT pg_advisory_xact_lock_shared(\(key))" }
        return "SELECT pg_advisory_xact_lock(\(key))"
    }

    /// The temporary table Redshift's COPY fills (`RedshiftSQL`).
    public static func stagingName(_ table: WarehouseTable) -> String { "blockfleet_load_\(table.name)" }

    /// Fills the table from the staging table (`RedshiftSQL`).
    static func insertFromStaging(_ table: WarehouseTable, schema: String) -> String {
        let columns = table.columnNames.map(quoted).joined(separator: ", ")
        return "INSERT INTO \(qualified(table, schema)) (\(columns)) SELECT \(columns) FROM \(quoted(stagingName(table)))"
    }

    /// Unqualified names (COPY's table) resolve in the warehouse schema until the transaction ends.
    static func searchPath(_ schema: String) -> String {
        "SET LOCAL search_path TO \(quoted(schema))"
    }

    /// The rows of the range, after the load's COPY: the rows it stored.
    static func countRange(_ table: WarehouseTable, schema: String, first: Int64, last: Int64) -> PostgresQuery {
        var bindings = PostgresBindings()
        bindings.append(first)
        bindings.append(last)
        return PostgresQuery(
            unsafeSQL: "SELECT count(*)::bigint FROM \(qualified(table, schema)) WHERE \(quoted(table.rangeColumn)) BETWEEN $1 AND $2",
            binds: bindings
        )
    }

    /// Deletes the range and returns how many rows it held.
    static func deleteRange(_ table: WarehouseTable, schema: String, first: Int64, last: Int64) -> PostgresQuery {
        var bindings = PostgresBindings()
        bindings.append(first)
        bindings.append(last)
        return PostgresQuery(
            unsafeSQL: "WITH deleted AS (DELETE FROM \(qualified(table, schema)) WHERE \(quoted(table.rangeColumn)) BETWEEN $1 AND $2 RETURNING 1) SELECT count(*)::bigint FROM deleted",
            binds: bindings
        )
    }

    static func qualified(_ table: WarehouseTable, _ schema: String) -> String {
        "\(quoted(schema)).\(quoted(table.name))"
    }

    /// Double-quotes an identifier, doubling any quote inside it.
    public static func quoted(_ identifier: String) -> String {
        "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

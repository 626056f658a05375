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

    /// The temporary table COPY fills; dropped at commit or rollback.
    public static func createStaging(_ table: WarehouseTable, schema: String) -> String {
        "CREATE TEMP TABLE \(quoted(stagingName(table))) (LIKE \(qualified(table, schema))) ON COMMIT DROP"
    }

    public static func stagingName(_ table: WarehouseTable) -> String { "blockfleet_load_\(table.name)" }

    static func countStaging(_ table: WarehouseTable) -> PostgresQuery {
        PostgresQuery(unsafeSQL: "SELECT count(*)::bigint FROM \(quoted(stagingName(table)))")
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

    static func insertFromStaging(_ table: WarehouseTable, schema: String) -> String {
        let columns = table.columnNames.map(quoted).joined(separator: ", ")
        return "INSERT INTO \(qualified(table, schema)) (\(columns)) SELECT \(columns) FROM \(quoted(stagingName(table)))"
    }

    static func qualified(_ table: WarehouseTable, _ schema: String) -> String {
        "\(quoted(schema)).\(quoted(table.name))"
    }

    /// Double-quotes an identifier, doubling any quote inside it.
    public static func quoted(_ identifier: String) -> String {
        "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

// Every statement the Redshift loader runs, in one place. Redshift cannot bind COPY's source or
// role, so those two literals are checked against a strict character set and quoted.

/// The Redshift warehouse's SQL.
public enum RedshiftSQL {
    public static func type(_ type: WarehouseType) -> String {
        switch type {
        case .integer: return "BIGINT"
        case .wei: return "NUMERIC(38,0)"
        case .uint256: return "VARCHAR(78)"
        case .text: return "VARCHAR(65535)"
        case .boolean: return "BOOLEAN"
        case .timestamp: return "TIMESTAMP"
        }
    }

    public static func createSchema(_ schema: String) -> String {
        "CREATE SCHEMA IF NOT EXISTS \(PostgresWarehouseSQL.quoted(schema))"
    }

    public static func createTable(_ table: WarehouseTable, schema: String) -> String {
        let columns = table.columns.map { "    \(PostgresWarehouseSQL.quoted($0.name)) \(type($0.type))" }.joined(separator: ",\n")
        let sortKey = table.sortKey.map(PostgresWarehouseSQL.quoted).joined(separator: ", ")
        return """
        CREATE TABLE IF NOT EXISTS \(PostgresWarehouseSQL.qualified(table, schema)) (
        \(columns)
        )
        DISTKEY (\(PostgresWarehouseSQL.quoted(table.distributionKey)))
        COMPOUND SORTKEY (\(sortKey))
        """
    }

    public static func createStaging(_ table: WarehouseTable, schema: String) -> String {
        "CREATE TEMP TABLE \(PostgresWarehouseSQL.quoted(PostgresWarehouseSQL.stagingName(table))) (LIKE \(PostgresWarehouseSQL.qualified(table, schema)))"
    }

    /// `COPY … FROM 's3://…manifest' IAM_ROLE '…' MANIFEST CSV GZIP IGNOREHEADER 1`: Redshift
    /// reads the staged object itself, exactly the one the COPY manifest lists (a bare object URL
    /// would be a prefix). EMPTYASNULL matches ethereum-etl's empty-for-None; TRUNCATECOLUMNS
    /// keeps rows whose calldata or bytecode exceeds VARCHAR's 65,535 bytes (the Postgres
    /// warehouse keeps them whole).
    public static func copy(_ table: WarehouseTable, manifest url: String, iamRole: String, region: String?) throws(LoadError) -> String {
        guard url.hasPrefix("s3://"), isSafeLiteral(url) else {
            throw LoadError(.invalidRequest, "Redshift COPY needs an s3:// manifest with plain characters, got '\(url)'")
        }
        guard isSafeLiteral(iamRole) else {
            throw LoadError(.invalidRequest, "the IAM role is not a plain ARN")
        }
        let columns = table.columnNames.map(PostgresWarehouseSQL.quoted).joined(separator: ", ")
        var text = "COPY \(PostgresWarehouseSQL.quoted(PostgresWarehouseSQL.stagingName(table))) (\(columns)) FROM '\(url)' IAM_ROLE '\(iamRole)' MANIFEST CSV GZIP IGNOREHEADER 1 EMPTYASNULL TRUNCATECOLUMNS COMPUPDATE OFF STATUPDATE OFF"
        if let region {
            guard isSafeLiteral(region) else { throw LoadError(.invalidRequest, "region '\(region)' is not a region name") }
            text += " REGION '\(region)'"
        }
        return text
    }

    /// Rows the last COPY of this session loaded.
    public static let lastCopyCount = "SELECT pg_last_copy_count()"

    public static func deleteRange(_ table: WarehouseTable, schema: String) -> String {
        "DELETE FROM \(PostgresWarehouseSQL.qualified(table, schema)) WHERE \(PostgresWarehouseSQL.quoted(table.rangeColumn)) BETWEEN $1 AND $2"
    }

    public static func insertFromStaging(_ table: WarehouseTable, schema: String) -> String {
        PostgresWarehouseSQL.insertFromStaging(table, schema: schema)
    }

    public static func dropStaging(_ table: WarehouseTable) -> String {
        "DROP TABLE IF EXISTS \(PostgresWarehouseSQL.quoted(PostgresWarehouseSQL.stagingName(table)))"
    }

    /// Letters, digits and `/ _ . : = + - @ ,`: enough for S3 keys we generate and role ARNs, and
    /// nothing that can end a quoted literal.
    public static func isSafeLiteral(_ text: String) -> Bool {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/_.:=+-@,")
        return !text.isEmpty && text.allSatisfy(allowed.contains)
    }
}

// DuckDB's views over the lake: read_parquet with Hive partitioning, block_date a DATE.

extension LakeCatalog {
    /// The type DuckDB gives a column read from the lake's files (TIMESTAMP columns are UTC
    /// instants, so DuckDB reads them as TIMESTAMP WITH TIME ZONE).
    public static func duckDBType(_ type: ParquetColumnType) -> String {
        switch type {
        case .boolean: "BOOLEAN"
        case .int64: "BIGINT"
        case .timestamp: "TIMESTAMP WITH TIME ZONE"
        case .string: "VARCHAR"
        case .bytes: "BLOB"
        case .decimal(let precision, let scale): "DECIMAL(\(precision),\(scale))"
        }
    }

    /// `CREATE SCHEMA`, then a view per entity naming every column: a file written before a column
    /// was added reads it as NULL (`union_by_name`) instead of failing the query.
    func duckDBStatements() throws(LakeCatalogError) -> [String] {
        guard let location else {
            throw LakeCatalogError(.missingLocation, "duckdb views need the lake's location: pass --location file:///path or s3://bucket/prefix, or set BLOCKFLEET_LAKE_URL")
        }
        let root: String
        switch location {
        case .file(let path): root = path
        case .s3(let bucket, let prefix): root = "s3://\(bucket)\(prefix.isEmpty ? "" : "/" + prefix)"
        }
        guard !root.contains("'"), !root.contains("*"), !root.contains("?"), !root.contains("[") else {
            throw LakeCatalogError(.invalidLocation, "the lake location '\(root)' has quote or glob characters, which read_parquet would misread")
        }
        var statements = ["CREATE SCHEMA IF NOT EXISTS \"\(database)\""]
        for entity in ExportEntity.allCases {
            let columns = (Self.columns(of: entity).map(\.name) + [Self.partitionColumn]).map { "\"\($0)\"" }.joined(separator: ", ")
            statements.append("""
            CREATE OR REPLACE VIEW "\(database)"."\(entity.rawValue)" AS SELECT \(columns) FROM read_parquet('\(root)/\(entity.rawValue)/\(Self.partitionColumn)=*/*.parquet', hive_partitioning = true, hive_types = {'\(Self.partitionColumn)': DATE}, union_by_name = true)
            """)
        }
        return statements
    }
}

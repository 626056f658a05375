// The catalogs `coordinator lake ddl` writes table definitions for.

/// Where the lake's tables are declared. Every dialect is made from `EntityParquetSchema`, so a
/// column added to the column table appears in each of them.
public enum LakeDialect: String, Sendable, CaseIterable {
    /// Athena (Hive DDL) with partition projection on `block_date`: no crawler, no partitions to add.
    case athena
    /// Redshift Spectrum external tables; partitions are added per day (Spectrum ignores projection).
    case spectrum
    /// DuckDB views over `read_parquet(…, hive_partitioning = true)`.
    case duckdb
    /// JSON of the Glue tables (column names and Glue types) that Terraform's lake module reads.
    case glue

    /// Whether the output is SQL (statements ending in `;`) rather than JSON.
    public var isSQL: Bool { self != .glue }
}

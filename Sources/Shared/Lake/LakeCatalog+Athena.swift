// Athena's tables over the lake: Hive DDL with partition projection on block_date.

extension LakeCatalog {
    /// Athena's (and Glue's) Hive type of a Parquet column.
    public static func hiveType(_ type: ParquetColumnType) -> String {
        switch type {
        case .boolean: "BOOLEAN"
        case .int64: "BIGINT"
        case .timestamp: "TIMESTAMP"
        case .string: "STRING"
        case .bytes: "BINARY"
        case .decimal(let precision, let scale): "DECIMAL(\(precision),\(scale))"
        }
    }

    /// `CREATE DATABASE`, then per entity `CREATE EXTERNAL TABLE … PARTITIONED BY (block_date
    /// DATE) STORED AS PARQUET` with projection: Athena computes each day's folder from
    /// `storage.location.template` instead of reading partitions from the catalog, so no crawler
    /// and no `MSCK REPAIR` is needed, and a new day is queryable as soon as its files land.
    func athenaStatements() throws(LakeCatalogError) -> [String] {
        var statements = ["CREATE DATABASE IF NOT EXISTS `\(database)`"]
        for entity in ExportEntity.allCases {
            let folder = try s3Folder(entity, flag: .athena)
            let columns = Self.columns(of: entity).map { "  `\($0.name)` \(Self.hiveType($0.type))" }.joined(separator: ",\n")
            statements.append("""
            CREATE EXTERNAL TABLE IF NOT EXISTS `\(database)`.`\(entity.rawValue)` (
            \(columns)
            )
            PARTITIONED BY (`\(Self.partitionColumn)` DATE)
            STORED AS PARQUET
            LOCATION '\(folder)'
            TBLPROPERTIES (
            \(Self.projectionProperties(folder: folder, start: projectionStart).map { "  '\($0.key)' = '\($0.value)'" }.joined(separator: ",\n"))
            )
            """)
        }
        return statements
    }

    /// Partition projection of `block_date` (one partition per UTC day, from `start` to today),
    /// shared by Athena's DDL and the Glue tables Terraform makes.
    public static func projectionProperties(folder: String, start: BlockDate) -> [(key: String, value: String)] {
        [
            ("projection.enabled", "true"),
            ("projection.\(partitionColumn).type", "date"),
            ("projection.\(partitionColumn).format", "yyyy-MM-dd"),
            ("projection.\(partitionColumn).range", "\(start),NOW"),
            ("projection.\(partitionColumn).interval", "1"),
            ("projection.\(partitionColumn).interval.unit", "DAYS"),
            ("storage.location.template", "\(folder)\(partitionColumn)=${\(partitionColumn)}/"),
        ]
    }
}

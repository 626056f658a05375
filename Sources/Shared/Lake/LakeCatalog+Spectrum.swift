// Redshift Spectrum's tables over the lake: an external schema on the Glue database, external
// tables, and a partition per day added explicitly.

extension LakeCatalog {
    /// Spectrum's type of a Parquet column. VARCHAR stops at 65,535 bytes, like the Redshift
    /// warehouse's columns; longer calldata is truncated (`surplus_char_handling`).
    public static func spectrumType(_ type: ParquetColumnType) -> String {
        switch type {
        case .boolean: "BOOLEAN"
        case .int64: "BIGINT"
        case .timestamp: "TIMESTAMP"
        case .string: "VARCHAR(65535)"
        case .bytes: "VARBYTE(65535)"
        case .decimal(let precision, let scale): "DECIMAL(\(precision),\(scale))"
        }
    }

    /// `CREATE EXTERNAL SCHEMA` on the Glue database (created if missing), one `CREATE EXTERNAL
    /// TABLE` per entity, then `ALTER TABLE … ADD IF NOT EXISTS PARTITION` for each day of
    /// `partitionDates`. Spectrum does not use Athena's partition projection: it reads the
    /// partitions registered in the catalog, so each day must be added once (again for new days,
    /// e.g. daily with `--from-date`/`--to-date`); adding a day twice is harmless. When Terraform
    /// made the Glue tables, the schema and the partitions are all that is needed
    /// (`glueTablesExist`): the external schema reads Terraform's tables.
    func spectrumStatements() throws(LakeCatalogError) -> [String] {
        let tables = !glueTablesExist
        let role = iamRole.map { "'\($0)'" } ?? "default"
        var statements = [
            "CREATE EXTERNAL SCHEMA IF NOT EXISTS \"\(database)\" FROM DATA CATALOG DATABASE '\(database)' IAM_ROLE \(role) CREATE EXTERNAL DATABASE IF NOT EXISTS",
        ]
        for entity in ExportEntity.allCases {
            let folder = try s3Folder(entity, flag: .spectrum)
            if tables {
                let columns = Self.columns(of: entity).map { "  \"\($0.name)\" \(Self.spectrumType($0.type))" }.joined(separator: ",\n")
                statements.append("""
                CREATE EXTERNAL TABLE "\(database)"."\(entity.rawValue)" (
                \(columns)
                )
                PARTITIONED BY ("\(Self.partitionColumn)" DATE)
                STORED AS PARQUET
                LOCATION '\(folder)'
                TABLE PROPERTIES ('surplus_char_handling' = 'TRUNCATE')
                """)
            }
            if let dates = partitionDates {
                var day = dates.lowerBound
                while day <= dates.upperBound {
                    statements.append(Self.spectrumAddPartition(schema: database, entity: entity, date: day, folder: "\(folder)\(Self.partitionColumn)=\(day)/"))
                    day = BlockDate(days: day.days + 1)
                }
            }
        }
        return statements
    }

    /// Registers one day of an entity in Spectrum's external table; harmless when it exists.
    /// The caller checks `schema` (an identifier) and `folder` (a plain s3:// literal).
    public static func spectrumAddPartition(schema: String, entity: ExportEntity, date: BlockDate, folder: String) -> String {
        "ALTER TABLE \"\(schema)\".\"\(entity.rawValue)\" ADD IF NOT EXISTS PARTITION (\"\(partitionColumn)\" = '\(date)') LOCATION '\(folder)'"
    }
}

// The Redshift load's statements when COPY reads the lake's Parquet files instead of the staged CSV.

/// `COPY … FORMAT AS PARQUET` maps the files' columns to the table's by position and cannot
/// convert, so the files go into a temp table shaped exactly like them (the Parquet columns in
/// file order, Spectrum's types, from `EntityParquetSchema`), and the INSERT into the entity's
/// table converts by name:
/// - columns only the files have (blocks' `block_timestamp`) are left out;
/// - a TIMESTAMP in the files where the table has ethereum-etl's integer (transactions'
///   `block_timestamp`) becomes unix seconds again;
/// - decimal text becomes the table's NUMERIC(38,0) (wei) with a CAST;
/// - an empty string becomes NULL, as the CSV COPY's EMPTYASNULL does, so both sources load
///   the same rows.
/// COPY from Parquet has no TRUNCATECOLUMNS: a text value longer than VARCHAR's 65,535 bytes (rare
/// calldata) fails the load, where the CSV COPY truncates it; such ranges load from staging.
extension RedshiftSQL {
    public static func parquetStagingName(_ table: WarehouseTable) -> String {
        "blockfleet_lake_load_\(table.name)"
    }

    public static func createParquetStaging(_ table: WarehouseTable) -> String {
        let columns = EntityParquetSchema.of(table.entity).schema.columns
            .map { "    \(PostgresWarehouseSQL.quoted($0.name)) \(LakeCatalog.spectrumType($0.type))" }.joined(separator: ",\n")
        return "CREATE TEMP TABLE \(PostgresWarehouseSQL.quoted(parquetStagingName(table))) (\n\(columns)\n)"
    }

    public static func dropParquetStaging(_ table: WarehouseTable) -> String {
        "DROP TABLE IF EXISTS \(PostgresWarehouseSQL.quoted(parquetStagingName(table)))"
    }

    /// `COPY … FROM 's3://…lake-copy-manifest.json' IAM_ROLE '…' MANIFEST FORMAT AS PARQUET`:
    /// exactly the range's lake files of the entity, each with its length.
    public static func copyParquet(_ table: WarehouseTable, manifest url: String, iamRole: String, region: String?) throws(LoadError) -> String {
        guard url.hasPrefix("s3://"), isSafeLiteral(url) else {
            throw LoadError(.invalidRequest, "Redshift COPY needs an s3:// manifest with plain characters, got '\(url)'")
        }
        guard isSafeLiteral(iamRole) else {
            throw LoadError(.invalidRequest, "the IAM role is not a plain ARN")
        }
        var text = "COPY \(PostgresWarehouseSQL.quoted(parquetStagingName(table))) FROM '\(url)' IAM_ROLE '\(iamRole)' MANIFEST FORMAT AS PARQUET"
        if let region {
            guard isSafeLiteral(region) else { throw LoadError(.invalidRequest, "region '\(region)' is not a region name") }
            text += " REGION '\(region)'"
        }
        return text
    }

    /// The value of a table column taken from the Parquet temp table's column of the same name.
    static func fromParquet(_ column: (name: String, type: WarehouseType), _ parquet: ParquetColumnType) -> String {
        let name = PostgresWarehouseSQL.quoted(column.name)
        switch (column.type, parquet) {
        case (.integer, .timestamp): return "CAST(EXTRACT(EPOCH FROM \(name)) AS BIGINT)"
        case (.wei, .string): return "CAST(NULLIF(\(name), '') AS \(type(.wei)))"
        case (.text, .string), (.uint256, .string): return "NULLIF(\(name), '')"
        default: return name
        }
    }

    /// Registers a lake partition in the Spectrum external schema (`LakeCatalog.spectrumAddPartition`):
    /// the date must be a `YYYY-MM-DD` day and the folder that day's plain s3:// folder of the
    /// entity, ending in `/block_date=YYYY-MM-DD/`; anything else is refused, since DDL binds nothing.
    public static func addLakePartition(_ table: WarehouseTable, spectrumSchema: String, partition: LoadRequest.LakePartition) throws(LoadError) -> String {
        guard let date = BlockDate(parsing: partition.blockDate), date.description == partition.blockDate else {
            throw LoadError(.invalidRequest, "lake partition date '\(partition.blockDate)' is not a YYYY-MM-DD day")
        }
        let suffix = "/\(table.entity.rawValue)/\(LakeCatalog.partitionColumn)=\(date)/"
        guard partition.folder.hasPrefix("s3://"), partition.folder.hasSuffix(suffix), isSafeLiteral(partition.folder) else {
            throw LoadError(.invalidRequest, "lake partition folder '\(partition.folder)' is not a plain s3:// folder ending in \(suffix)")
        }
        return LakeCatalog.spectrumAddPartition(schema: spectrumSchema, entity: table.entity, date: date, folder: partition.folder)
    }

    public static func insertFromParquetStaging(_ table: WarehouseTable, schema: String) -> String {
        let parquet = Dictionary(EntityParquetSchema.of(table.entity).schema.columns.map { ($0.name, $0.type) }, uniquingKeysWith: { first, _ in first })
        let names = table.columnNames.map(PostgresWarehouseSQL.quoted).joined(separator: ", ")
        let values = table.columns.map { column in parquet[column.name].map { fromParquet(column, $0) } ?? "NULL" }.joined(separator: ", ")
        return "INSERT INTO \(PostgresWarehouseSQL.qualified(table, schema)) (\(names)) SELECT \(values) FROM \(PostgresWarehouseSQL.quoted(parquetStagingName(table)))"
    }
}

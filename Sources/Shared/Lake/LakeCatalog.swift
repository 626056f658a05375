// The lake's tables as catalogs declare them: one table per entity, partitioned by block_date.

/// Writes the table definitions of the lake (`coordinator lake ddl`) from `EntityParquetSchema`,
/// the same schema the export writes, so the catalog and the files cannot disagree on a column.
/// Every table holds the entity's Parquet columns in file order, then the partition column
/// `block_date` (DATE), which lives in the path (`block_date=YYYY-MM-DD`), not in the files.
public struct LakeCatalog: Sendable {
    /// The lake root (`BLOCKFLEET_LAKE_URL`); entity folders are under it. Glue JSON needs none.
    public var location: StagingLocation?
    /// The Glue/Athena database, the Spectrum external schema and the DuckDB schema.
    public var database: String
    /// First day of Athena's `block_date` projection range (mainnet's genesis by default); the
    /// range ends at `NOW`, so new days need no change.
    public var projectionStart: BlockDate
    /// The role Spectrum's external schema uses; nil writes `IAM_ROLE default`.
    public var iamRole: String?
    /// Days whose Spectrum partitions to add (`ALTER TABLE … ADD PARTITION`); nil adds none.
    public var partitionDates: ClosedRange<BlockDate>?
    /// Spectrum: the Glue tables exist (Terraform's lake-catalog module made them), so only the
    /// external schema and the partitions are written. Default false.
    public var glueTablesExist = false

    /// The partition column every table has, in the path only.
    public static let partitionColumn = "block_date"
    /// Ethereum mainnet's first block day.
    public static let mainnetGenesis = BlockDate(days: 16_646)
    /// The default database name: Glue wants lower case, digits and underscores.
    public static let defaultDatabase = "blockfleet_lake"

    public init(location: StagingLocation?, database: String = LakeCatalog.defaultDatabase, projectionStart: BlockDate = LakeCatalog.mainnetGenesis,
                iamRole: String? = nil, partitionDates: ClosedRange<BlockDate>? = nil) throws(LakeCatalogError) {
        guard let first = database.first, first.isLetter || first == "_",
              database.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") }), database.count <= 255 else {
            throw LakeCatalogError(.invalidName, "--database '\(database)' must be lower-case letters, digits and '_' (Glue's rule), starting with a letter")
        }
        if let iamRole, !(iamRole.hasPrefix("arn:aws") && Self.isPlainLiteral(iamRole)) {
            throw LakeCatalogError(.invalidName, "--iam-role '\(iamRole)' is not an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME)")
        }
        self.location = location
        self.database = database
        self.projectionStart = projectionStart
        self.iamRole = iamRole
        self.partitionDates = partitionDates
    }

    /// The entity's columns as the files hold them, in file order.
    public static func columns(of entity: ExportEntity) -> [ParquetColumn] {
        EntityParquetSchema.of(entity).fields.map(\.column)
    }

    /// The catalog's definitions: SQL statements each ending in `;`, or Glue's JSON.
    public func ddl(_ dialect: LakeDialect) throws(LakeCatalogError) -> String {
        switch dialect {
        case .glue: return Self.glueTables()
        case .athena, .spectrum, .duckdb: return try statements(dialect).map { $0 + ";" }.joined(separator: "\n\n") + "\n"
        }
    }

    /// The SQL statements of a dialect, without `;`.
    public func statements(_ dialect: LakeDialect) throws(LakeCatalogError) -> [String] {
        switch dialect {
        case .athena: return try athenaStatements()
        case .spectrum: return try spectrumStatements()
        case .duckdb: return try duckDBStatements()
        case .glue: return []
        }
    }

    /// The S3 URL of an entity's folder, `s3://bucket/prefix/entity/`; Athena and Spectrum read S3 only.
    func s3Folder(_ entity: ExportEntity, flag dialect: LakeDialect) throws(LakeCatalogError) -> String {
        guard let location else {
            throw LakeCatalogError(.missingLocation, "\(dialect.rawValue) tables need the lake's S3 location: pass --location s3://bucket/prefix or set BLOCKFLEET_LAKE_URL")
        }
        guard case .s3(let bucket, let prefix) = location else {
            throw LakeCatalogError(.invalidLocation, "\(dialect.rawValue) reads the lake from S3; --location must be s3://bucket/prefix, got \(location)")
        }
        let url = "s3://\(bucket)/\(prefix.isEmpty ? "" : prefix + "/")\(entity.rawValue)/"
        guard Self.isPlainLiteral(url) else {
            throw LakeCatalogError(.invalidLocation, "the lake prefix '\(prefix)' has characters that cannot go in a SQL literal (use letters, digits, / _ . - =)")
        }
        return url
    }

    /// Letters, digits and `/ _ . : = + - @ ,`: enough for S3 URLs and role ARNs, and nothing
    /// that can end a quoted SQL literal (the same rule as the Redshift loader's).
    static func isPlainLiteral(_ text: String) -> Bool {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/_.:=+-@,")
        return !text.isEmpty && text.allSatisfy(allowed.contains)
    }
}

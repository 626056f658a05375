// Loading staged objects into Redshift: Redshift reads S3 itself, we orchestrate the transaction.

import Logging
import PostgresNIO

/// The statements of one Redshift load, in order, so they can be checked as text.
public struct RedshiftLoadPlan: Sendable, Equatable {
    /// Serialises loaders of the same table (Redshift has no advisory locks).
    public let lock: String
    public let dropStaging: String
    public let createStaging: String
    public let copy: String
    public let countCopied: String
    /// Binds the range as $1, $2.
    public let deleteRange: String
    public let insert: String
    /// Forgets the model runs of ranges touching this one (binds $1, $2).
    public let invalidateModels: String
    /// With a Spectrum schema: the lake partitions of the range to register, run after the
    /// load commits (Redshift refuses `ALTER TABLE` on an external table inside a transaction).
    public var addPartitions: [String] = []

    /// `manifestURL` is the request's COPY manifest as an s3:// URL: `LoadRequest.copyManifest`
    /// (the staged CSV) or, from the lake, `LoadRequest.lakeCopyManifest` (the Parquet files).
    public init(request: LoadRequest, table: WarehouseTable, schema: String, manifestURL: String, iamRole: String, region: String?,
                source: WarehouseConfiguration.CopySource = .staging, spectrumSchema: String? = nil) throws(LoadError) {
        lock = "LOCK \(PostgresWarehouseSQL.qualified(table, schema))"
        countCopied = RedshiftSQL.lastCopyCount
        deleteRange = RedshiftSQL.deleteRange(table, schema: schema)
        invalidateModels = ModelSQL.invalidate(schema: schema)
        switch source {
        case .staging:
            dropStaging = RedshiftSQL.dropStaging(table)
            createStaging = RedshiftSQL.createStaging(table, schema: schema)
            copy = try RedshiftSQL.copy(table, manifest: manifestURL, iamRole: iamRole, region: region)
            insert = RedshiftSQL.insertFromStaging(table, schema: schema)
        case .lake:
            dropStaging = RedshiftSQL.dropParquetStaging(table)
            createStaging = RedshiftSQL.createParquetStaging(table)
            copy = try RedshiftSQL.copyParquet(table, manifest: manifestURL, iamRole: iamRole, region: region)
            insert = RedshiftSQL.insertFromParquetStaging(table, schema: schema)
        }
        if let spectrumSchema {
            addPartitions = try (request.lakePartitions ?? []).map { (partition) throws(LoadError) in
                try RedshiftSQL.addLakePartition(table, spectrumSchema: spectrumSchema, partition: partition)
            }
        }
    }
}

/// Runs Redshift loads over the Postgres protocol: COPY from the staged S3 object into a temp
/// table, check the count against the manifest, delete the range and insert, in one transaction.
/// The COPY reads an exact COPY manifest written by the export attempt that completed, listing
/// only that attempt's object with its length. The object's size is checked with a HEAD first;
/// its checksum cannot be, since Redshift reads it.
public struct RedshiftWarehouse: Warehouse {
    public let client: PostgresClient
    public let configuration: WarehouseConfiguration
    public let store: any StagingStore
    public let logger: Logger

    public init(client: PostgresClient, configuration: WarehouseConfiguration, store: any StagingStore, logger: Logger) {
        self.client = client
        self.configuration = configuration
        self.store = store
        self.logger = logger
    }

    public func prepare() async throws {
        try await client.withConnection { connection in
            try await connection.checkedQuery(PostgresQuery(unsafeSQL: RedshiftSQL.createSchema(configuration.schema)), logger: logger)
            for entity in ExportEntity.allCases {
                try await connection.checkedQuery(PostgresQuery(unsafeSQL: RedshiftSQL.createTable(.of(entity), schema: configuration.schema)), logger: logger)
            }
            try await connection.checkedQuery(PostgresQuery(unsafeSQL: ModelSQL.createRuns(.redshift, schema: configuration.schema)), logger: logger)
        }
    }

    public func load(_ request: LoadRequest, into table: WarehouseTable, first: Int64, last: Int64) async throws -> LoadSummary {
        guard let iamRole = configuration.iamRole else {
            throw LoadError(.invalidRequest, "BLOCKFLEET_REDSHIFT_IAM_ROLE is not set")
        }
        guard request.file.format == RowFormat.csv.rawValue else {
            throw LoadError(.invalidRequest, "\(request.file.key) is \(request.file.format); Redshift loads csv")
        }
        let source = configuration.copyFrom
        guard let copyManifest = source == .lake ? request.lakeCopyManifest : request.copyManifest else {
            throw LoadError(.invalidRequest, source == .lake
                ? "\(request.file.key) was exported without a COPY manifest of lake files (no S3 lake, or an older worker); BLOCKFLEET_REDSHIFT_COPY_FROM=lake needs export workers with an s3:// BLOCKFLEET_LAKE_URL"
                : "\(request.file.key) was staged without a COPY manifest (by an older worker, or not on S3); export the range again")
        }
        let plan = try RedshiftLoadPlan(
            request: request, table: table, schema: configuration.schema,
            manifestURL: store.url(key: copyManifest), iamRole: iamRole, region: configuration.copyRegion, source: source,
            spectrumSchema: configuration.spectrumSchema
        )
        // From staging, the object's size is checked here; the lake's COPY manifest carries each
        // file's length, which Redshift checks itself. The row count is checked after the COPY
        // either way (the lake files of a range hold the staged file's rows).
        if source == .staging {
            let size = try await store.size(key: request.file.key)
            guard size == request.file.bytes else {
                throw LoadError(.checksumMismatch, "\(request.file.key) is \(size.map(String.init) ?? "missing"), the manifest says \(request.file.bytes) bytes")
            }
        }
        let summary = try await client.inTransaction(logger: logger) { connection in
            for statement in [plan.lock, plan.dropStaging, plan.createStaging, plan.copy] {
                try await connection.checkedQuery(PostgresQuery(unsafeSQL: statement), logger: logger)
            }
            let copied = try await PostgresWarehouse.single(try await connection.checkedQuery(PostgresQuery(unsafeSQL: plan.countCopied), logger: logger)) ?? -1
            guard copied == Int64(request.file.rows) else {
                throw LoadError(.rowCountMismatch, "\(request.file.key): COPY loaded \(copied) rows, the manifest says \(request.file.rows)")
            }
            var bindings = PostgresBindings()
            bindings.append(first)
            bindings.append(last)
            try await connection.checkedQuery(PostgresQuery(unsafeSQL: plan.deleteRange, binds: bindings), logger: logger)
            try await connection.checkedQuery(PostgresQuery(unsafeSQL: plan.insert), logger: logger)
            try await connection.checkedQuery(PostgresQuery(unsafeSQL: plan.invalidateModels, binds: bindings), logger: logger)
            return LoadSummary(table: "\(configuration.schema).\(table.name)", rowsLoaded: request.file.rows, rowsReplaced: 0, bytes: request.file.bytes)
        }
        // After the commit, each on its own (autocommit): `ADD IF NOT EXISTS` makes a retry, or
        // another range of the same day, harmless. A failure fails the job; its retry loads the
        // range again (delete + insert) and adds the partitions again.
        if !plan.addPartitions.isEmpty {
            try await client.withConnection { connection in
                for statement in plan.addPartitions {
                    try await connection.checkedQuery(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
            }
        }
        return summary
    }
}

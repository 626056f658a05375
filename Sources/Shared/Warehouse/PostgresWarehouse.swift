// Loading staged CSV into a Postgres warehouse with COPY, one range at a time.

import Crypto
import Logging
import NIOCore
import PostgresNIO

/// Deletes the range, then streams a staged gzip object through gunzip and a CSV check into
/// `COPY … FROM STDIN` of the table itself, verifying bytes, checksum and row count against the
/// manifest, in one transaction: a failure or a kill at any point leaves the table as it was.
/// (Not through a temporary table: that wrote every row twice, and the load of a range was the
/// pipeline's largest cost after its model jobs.) Loads and model runs of a range exclude each other
/// (`PostgresWarehouseSQL.rangeLock`).
public struct PostgresWarehouse: Warehouse {
    public let client: PostgresClient
    public let schema: String
    public let store: any StagingStore
    public let logger: Logger
    /// COPY data is sent in chunks of about this size. Default 256 KiB.
    public var copyChunkSize = 1 << 18

    public init(client: PostgresClient, schema: String, store: any StagingStore, logger: Logger) {
        self.client = client
        self.schema = schema
        self.store = store
        self.logger = logger
    }

    public func prepare() async throws {
        try await client.inTransaction(logger: logger) { connection in
            // Concurrent CREATE … IF NOT EXISTS can still collide in the catalog; one at a time.
            try await connection.checkedQuery(PostgresWarehouseSQL.lock(PostgresWarehouse.lockKey("schema:\(schema)")), logger: logger)
            try await connection.checkedQuery(PostgresQuery(unsafeSQL: PostgresWarehouseSQL.createSchema(schema)), logger: logger)
            for entity in ExportEntity.allCases {
                let table = WarehouseTable.of(entity)
                try await connection.checkedQuery(PostgresQuery(unsafeSQL: PostgresWarehouseSQL.createTable(table, schema: schema)), logger: logger)
                try await connection.checkedQuery(PostgresQuery(unsafeSQL: PostgresWarehouseSQL.createRangeIndex(table, schema: schema)), logger: logger)
            }
            try await connection.checkedQuery(PostgresQuery(unsafeSQL: ModelSQL.createRuns(.postgres, schema: schema)), logger: logger)
            try await connection.checkedQuery(PostgresQuery(unsafeSQL: PostgresWarehouseSQL.grantTiers(schema: schema)), logger: logger)
        }
    }

    public func load(_ request: LoadRequest, into table: WarehouseTable, first: Int64, last: Int64) async throws -> LoadSummary {
        guard request.file.format == RowFormat.csv.rawValue else {
            throw LoadError(.invalidRequest, "\(request.file.key) is \(request.file.format); the warehouse loads csv")
        }
        return try await client.inTransaction(logger: logger) { connection in
            // First, before any other lock: a model run of the range holds it exclusively.
            try await connection.checkedQuery(PostgresWarehouseSQL.rangeLock(schema: schema, first: first, last: last, shared: true), logger: logger)
            try await connection.checkedQuery(PostgresWarehouseSQL.lock(PostgresWarehouse.lockKey("\(schema).\(table.name):\(first)")), logger: logger)
            let replaced = try await PostgresWarehouse.single(try await connection.checkedQuery(PostgresWarehouseSQL.deleteRange(table, schema: schema, first: first, last: last), logger: logger)) ?? 0
            // COPY names its table unqualified: the warehouse schema, for this transaction only.
            try await connection.checkedQuery(PostgresQuery(unsafeSQL: PostgresWarehouseSQL.searchPath(schema)), logger: logger)

            var hasher = SHA256()
            var bytes = 0
            var transcoder = CSVCopyTranscoder(columns: table.columnNames)
            let gunzip = try GunzipStream()
            let chunkSize = copyChunkSize
            try connection.requireOpen()
            try await connection.copyFrom(
                table: table.name, columns: table.columnNames, logger: logger
            ) { writer in
                var output = ByteBuffer()
                output.reserveCapacity(chunkSize + (1 << 16))
                func transcode(_ plain: ByteBuffer) async throws {
                    do {
                        try transcoder.feed(plain, into: &output)
                    } catch let error as LoadError {
                        throw LoadError(error.code, "\(request.file.key): \(error.message)")
                    }
                    if output.readableBytes >= chunkSize {
                        try await writer.write(output)
                        output.clear()
                    }
                }
                try await store.read(key: request.file.key) { chunk in
                    hasher.update(data: chunk.readableBytesView)
                    bytes += chunk.readableBytes
                    try await gunzip.feed(chunk, key: request.file.key, transcode)
                }
                try await gunzip.finish(key: request.file.key, transcode)
                do {
                    try transcoder.finish(into: &output)
                } catch let error as LoadError {
                    throw LoadError(error.code, "\(request.file.key): \(error.message)")
                }
                // Checked before the last chunk goes, so bad data never completes a COPY.
                let sha256 = hasher.finalize().map { String(format: "%02x", $0) }.joined()
                guard bytes == request.file.bytes, sha256 == request.file.sha256 else {
                    throw LoadError(.checksumMismatch, "\(request.file.key): \(bytes) bytes with sha256 \(sha256), the manifest says \(request.file.bytes) bytes with sha256 \(request.file.sha256)")
                }
                guard transcoder.rows == request.file.rows else {
                    throw LoadError(.rowCountMismatch, "\(request.file.key): \(transcoder.rows) rows, the manifest says \(request.file.rows)")
                }
                if output.readableBytes > 0 { try await writer.write(output) }
            }

            let copied = try await PostgresWarehouse.single(try await connection.checkedQuery(PostgresWarehouseSQL.countRange(table, schema: schema, first: first, last: last), logger: logger)) ?? -1
            guard copied == Int64(request.file.rows) else {
                throw LoadError(.rowCountMismatch, "\(request.file.key): the table holds \(copied) rows of blocks \(first)-\(last) after COPY, the manifest says \(request.file.rows) (rows outside the job's range?)")
            }
            // The range changed under its models: they run again when its model job comes.
            try await connection.checkedQuery(PostgresQuery(unsafeSQL: ModelSQL.invalidate(schema: schema), binds: ModelSQL.bindings(first, last)), logger: logger)
            return LoadSummary(table: "\(schema).\(table.name)", rowsLoaded: request.file.rows, rowsReplaced: Int(replaced), bytes: bytes)
        }
    }

    /// The first row's single BIGINT.
    static func single(_ rows: PostgresRowSequence) async throws -> Int64? {
        for try await value in rows.decode(Int64.self) { return value }
        return nil
    }

    /// A stable 64-bit advisory lock key for a name (FNV-1a).
    static func lockKey(_ name: String) -> Int64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in "blockfleet.warehouse:\(name)".utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return Int64(bitPattern: hash)
    }
}

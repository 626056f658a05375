// Load speed: rows/s COPYed into the Postgres warehouse for transactions and logs of a devchain
// range, from gzip CSV staged in a local folder, through the same PostgresWarehouse the loaders use.

import ArgumentParser
import AsyncHTTPClient
import Foundation
import Logging
import PostgresNIO
import Shared

@main
struct LoadBenchmark: AsyncParsableCommand {
    @Option(name: .customLong("database-url")) var databaseURL: String
    @Option(name: .customLong("rpc-url")) var rpcURL: String
    @Option var blocks: UInt64 = 2_000
    @Option var runs: Int = 3

    func run() async throws {
        let logger = { var logger = Logger(label: "load-benchmark"); logger.logLevel = .warning; return logger }()
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("bf-load-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let store = FileStagingStore(root: root.appendingPathComponent("staging").path)

        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: HTTPClientService.defaultConfiguration)
        let pool = NodePool(configuration: NodePoolConfiguration(endpoints: [try RPCEndpoint(rpcURL)]), http: http, logger: logger)
        let summary = try await RangeExporter(fetcher: BlockFetcher(pool: pool))
            .export(0...(blocks - 1), entities: [.transactions, .logs], format: .csv, gzip: true, to: root.appendingPathComponent("export"))
        try await http.shutdown()
        var requests: [(ExportEntity, LoadRequest)] = []
        for file in summary.files {
            let entity = ExportEntity(rawValue: file.entity)!
            let key = StagingKeys(prefix: "").file(entity: entity, first: 0, last: blocks - 1, attempt: .init(job: 0, leaseToken: 0), format: .csv)
            try await store.put(file: file.path, key: key, contentType: "application/gzip")
            requests.append((entity, LoadRequest(staging: store.location.description, manifest: "", file: .init(
                entity: file.entity, key: key, rows: file.rows, bytes: file.compressedBytes!, sha256: file.sha256!, format: "csv"))))
        }

        var database = try DatabaseConfiguration(url: databaseURL)
        database.schema = nil
        let schema = "load_benchmark"
        let loads = requests
        try await QueueDatabase.withClient(database, logger: logger) { client in
            try await client.query(PostgresQuery(unsafeSQL: "DROP SCHEMA IF EXISTS \(schema) CASCADE"), logger: logger)
            let warehouse = PostgresWarehouse(client: client, schema: schema, store: store, logger: logger)
            try await warehouse.prepare()
            print("devchain blocks 0-\(blocks - 1); PostgreSQL 15 on 127.0.0.1; \(ProcessInfo.processInfo.activeProcessorCount) cores; release build")
            for (entity, request) in loads {
                var rates: [Double] = []
                for _ in 0..<runs {
                    let started = ContinuousClock.now
                    _ = try await warehouse.load(request, into: .of(entity), first: 0, last: Int64(blocks - 1))
                    rates.append(Double(request.file.rows) / (ContinuousClock.now - started).seconds)
                }
                rates.sort()
                print(String(format: "%@: %d rows, %.1f MB gzip; load (delete+COPY+insert, replacing the range) median %.0f rows/s (min %.0f, max %.0f) over %d runs",
                             entity.rawValue, request.file.rows, Double(request.file.bytes) / 1e6, rates[rates.count / 2], rates.first!, rates.last!, runs))
            }
            try await client.query(PostgresQuery(unsafeSQL: "DROP SCHEMA \(schema) CASCADE"), logger: logger)
        }
    }
}

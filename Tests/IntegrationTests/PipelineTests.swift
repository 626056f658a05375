// The whole pipeline on real parts: devchain over HTTP, worker processes exporting and loading
// through the queue and a staging folder, and the Postgres warehouse compared with an export.

import AsyncHTTPClient
import Foundation
import Logging
import PostgresNIO
import Shared
import Testing

@Suite("Export and load pipeline", .serialized)
struct PipelineTests {
    @Test("a range staged to a local folder ends in the warehouse exactly as the exporter writes it; the lake (DuckDB over block_date partitions) counts the warehouse's rows")
    func throughFileStaging() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("bf-pipeline-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let staging = root.appendingPathComponent("staging").path
        // With the Parquet readers at hand, the workers also fill a lake (BLOCKFLEET_LAKE_URL).
        let lake = ParquetExportReport.python == nil ? nil : root.appendingPathComponent("lake")
        try await plannedRangeReachesTheWarehouse(root: root, stagingURL: "file://\(staging)", store: FileStagingStore(root: staging), lake: lake)
    }

    @Test("a range staged to S3 (the local SeaweedFS, SigV4) ends in the warehouse exactly as the exporter writes it",
          .enabled(if: S3TestServer.isConfigured, S3TestServer.skipReason))
    func throughS3Staging() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("bf-pipeline-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try await S3TestServer.withClient { client in
            try await S3TestServer.withBucket(client) { bucket in
                let store = S3StagingStore(client: client, bucket: bucket, prefix: "eth/mainnet")
                try await plannedRangeReachesTheWarehouse(root: root, stagingURL: "s3://\(bucket)/eth/mainnet", store: store)
                #expect(try await store.list(prefix: "eth/mainnet/_manifests/").count == 3)
                // Every staged file has the Redshift COPY manifest naming exactly it, with its length.
                let keys = try await store.list(prefix: "eth/mainnet/")
                let files = keys.filter { $0.hasSuffix(".csv.gz") }
                #expect(!files.isEmpty && keys.filter { $0.hasSuffix(".copy-manifest.json") }.count == files.count)
                for key in files {
                    let manifest = try JSONDecoder().decode(RedshiftCopyManifest.self, from: Data(buffer: try await store.readAll(key: StagingKeys.copyManifest(file: key))))
                    let size = try await store.size(key: key)
                    #expect(manifest.entries.map(\.url) == [store.url(key: key)] && manifest.entries.first?.mandatory == true)
                    #expect(manifest.entries.first?.meta.contentLength == size)
                }
            }
        }
    }

    /// Plans blocks 0-119 of a devchain, runs two worker processes (export and load) staging to
    /// `stagingURL`, compares every table with a direct export, then loads every range again.
    func plannedRangeReachesTheWarehouse(root: URL, stagingURL: String, store: any StagingStore, lake: URL? = nil) async throws {
        let (node, url) = try await DifferentialTests().startDevChain(["--seed", "5", "--blocks", "120", "--txs-per-block", "15"])
        defer { node.signal(SIGKILL) }
        let entities = ExportEntity.allCases

        try await TestDatabase.with { db in
            try await db.queue.plan(try PlanRequest(from: 0, to: 119, chunkSize: 40, entities: entities))
            var environment = [
                "BLOCKFLEET_DATABASE_URL": db.url,
                "BLOCKFLEET_RPC_URLS": url,
                "BLOCKFLEET_STAGING_URL": stagingURL,
                "BLOCKFLEET_SCRATCH_DIR": root.appendingPathComponent("scratch").path,
                "BLOCKFLEET_WAREHOUSE_URL": ProcessInfo.processInfo.environment["BLOCKFLEET_TEST_DATABASE_URL"] ?? "",
                "BLOCKFLEET_WAREHOUSE_SCHEMA": db.schema,
                "BLOCKFLEET_POLL_SECONDS": "0.5",
            ]
            if let lake { environment["BLOCKFLEET_LAKE_URL"] = "file://\(lake.path)" }
            let workers = try (0..<2).map { _ in try FleetProcess("worker", ["--concurrency", "2"], environment: environment) }
            do {
                try await eventually("3 exports and a load per entity of each to succeed", timeout: .seconds(240)) {
                    let exported = try await db.count(kind: "export", state: "succeeded")
                    let loaded = try await db.count(kind: "load", state: "succeeded")
                    return exported == 3 && loaded == 3 * entities.count
                }
            } catch {
                throw TestSetupError("\(error)\n\(workers.map(\.log).joined(separator: "\n---\n"))")
            }
            for worker in workers { worker.signal(SIGTERM) }
            for worker in workers { #expect(try await worker.waitForExit() == 0) }

            let expected = root.appendingPathComponent("expected")
            try await DifferentialTests().exportRange(0...119, entities: entities, from: url, to: expected)
            var counts: [ExportEntity: Int] = [:]
            for entity in entities {
                let dump = try await WarehouseProbe.dump(db.client, schema: db.schema, entity: entity, logger: db.logger)
                let (summary, equal) = try await WarehouseProbe.compare(csv: expected.appendingPathComponent("\(entity.rawValue).csv"), dump: dump)
                #expect(equal, "\(entity.rawValue): \(summary)")
                counts[entity] = try await WarehouseProbe.count(db.client, schema: db.schema, entity: entity, logger: db.logger)
            }
            #expect(counts[.blocks] == 120)
            if let lake {
                // Blocks 0-119 all fall on 2024-03-13 (devchain's genesis date, 12 s apart).
                let lakeCounts = try await LakeExportTests.duckdbCounts(lake)
                for entity in entities {
                    #expect(lakeCounts[entity.rawValue] == ["2024-03-13": [counts[entity] ?? -1, 0]], "\(entity.rawValue): lake \(String(describing: lakeCounts[entity.rawValue])), warehouse \(counts[entity] ?? -1)")
                }
                #expect(FileManager.default.fileExists(atPath: lake.appendingPathComponent("_manifests/0000000080-0000000119.json").path))
            }
            #expect((counts[.transactions] ?? 0) > 1000 && counts[.receipts] == counts[.transactions])
            #expect((counts[.traces] ?? 0) > (counts[.transactions] ?? 0) && (counts[.contracts] ?? 0) > (counts[.tokens] ?? 0) && (counts[.tokens] ?? 0) > 0)

            // A second loader pass over every staged range (as after a re-export) leaves the same rows.
            let warehouse = PostgresWarehouse(client: db.client, schema: db.schema, store: store, logger: db.logger)
            let runner = LoadJobRunner(warehouse: warehouse, stagingLocation: store.location)
            for load in try await db.queue.jobs(JobFilter(kind: .load)) {
                let payload = try #require(try await db.payload(load.id))
                _ = try await runner.run(ClaimedJob(
                    id: load.id, kind: .load, firstBlock: load.firstBlock, lastBlock: load.lastBlock, entities: load.entities,
                    payload: payload, attempt: 1, maxAttempts: 1, leaseToken: 0, priority: 100
                ))
            }
            for entity in entities {
                #expect(try await WarehouseProbe.count(db.client, schema: db.schema, entity: entity, logger: db.logger) == counts[entity])
            }
        }
    }

    @Test("a re-exported range requeues its finished load jobs with the new payload, fencing any running loader")
    func reExportRequeuesLoads() async throws {
        try await TestDatabase.with { db in
            let load = { (sha: String) in
                NewJob(kind: .load, firstBlock: 0, lastBlock: 9, entities: "logs", payload: "{\"sha\":\"\(sha)\"}", onConflict: .requeue)
            }
            try await db.queue.enqueue([NewJob(kind: .noop, firstBlock: 0, lastBlock: 9)])
            let export = try #require(try await db.queue.claim(kinds: [.noop], limit: 1, owner: "w", lease: .seconds(30)).first)
            try await db.queue.complete(JobCompletion(lease: export.lease, followUps: [load("a")]))
            let first = try #require(try await db.queue.claim(kinds: [.load], limit: 1, owner: "loader", lease: .seconds(30)).first)
            #expect(first.payload.contains("\"a\""))
            try await db.queue.complete(JobCompletion(lease: first.lease))

            // Re-export: the succeeded load is pending again, with the new payload and no attempts.
            try await db.queue.enqueue([NewJob(kind: .noop, firstBlock: 10, lastBlock: 19)])
            let again = try #require(try await db.queue.claim(kinds: [.noop], limit: 1, owner: "w", lease: .seconds(30)).first)
            try await db.queue.complete(JobCompletion(lease: again.lease, followUps: [load("b")]))
            #expect(try await db.row(first.id).state == "pending")
            let second = try #require(try await db.queue.claim(kinds: [.load], limit: 1, owner: "loader", lease: .seconds(30)).first)
            #expect(second.id == first.id && second.payload.contains("\"b\"") && second.attempt == 1)

            // A third export while the load runs: the running loader's lease is fenced off.
            try await db.queue.enqueue([NewJob(kind: .noop, firstBlock: 20, lastBlock: 29)])
            let third = try #require(try await db.queue.claim(kinds: [.noop], limit: 1, owner: "w", lease: .seconds(30)).first)
            try await db.queue.complete(JobCompletion(lease: third.lease, followUps: [load("c")]))
            await #expect(throws: QueueError.self) { try await db.queue.complete(JobCompletion(lease: second.lease)) }
            let latest = try #require(try await db.queue.claim(kinds: [.load], limit: 1, owner: "loader", lease: .seconds(30)).first)
            #expect(latest.payload.contains("\"c\""))
            #expect(try await db.count(kind: "load") == 1)
        }
    }
}

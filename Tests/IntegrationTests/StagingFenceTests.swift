// Staged files are fenced by attempt: a zombie export cannot change what the load of a range reads.

import AsyncHTTPClient
import Foundation
import Logging
import PostgresNIO
import Shared
import Testing

@Suite("Staging fenced by attempt", .serialized)
struct StagingFenceTests {
    /// An export runner reading `node`, staging under `root`.
    func runner(_ node: ScriptedNode, http: HTTPClient, root: URL, logger: Logger) throws -> ExportJobRunner {
        var nodes = NodePoolConfiguration(endpoints: [try RPCEndpoint(node.url)], timeout: .seconds(5), attempts: 2)
        nodes.backoff = Backoff(base: .milliseconds(20), cap: .milliseconds(50))
        return ExportJobRunner(
            exporter: RangeExporter(fetcher: BlockFetcher(pool: NodePool(configuration: nodes, http: http, logger: logger))),
            store: FileStagingStore(root: root.path), keys: StagingKeys(prefix: "staged"),
            scratchRoot: root.appendingPathComponent("scratch")
        )
    }

    @Test("a zombie attempt that stages after the newer attempt completed changes nothing the load reads: the warehouse holds the newer attempt's rows")
    func zombieAfterCompletion() async throws {
        let current = try await ScriptedNode()
        defer { current.stop() }
        // The zombie's node answers another (valid) version of block 47219, so its files differ.
        let stale = try await ScriptedNode(.init(otherExtraData: true))
        defer { stale.stop() }
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("bf-fence-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: HTTPClientService.defaultConfiguration)
        do {
            try await TestDatabase.with { db in
                try await db.queue.plan(try PlanRequest(from: 47219, to: 47219, chunkSize: 1, entities: [.blocks]))
                // The zombie claims first; its lease runs out and the job is claimed again.
                let zombie = try #require(try await db.queue.claim(kinds: [.export], limit: 1, owner: "zombie", lease: .seconds(60)).first)
                try await db.expireLease(zombie.id)
                _ = try await db.queue.reapExpiredLeases()
                try await db.client.query("UPDATE jobs SET run_after = now() WHERE id = \(zombie.id)", logger: db.logger)
                let holder = try #require(try await db.queue.claim(kinds: [.export], limit: 1, owner: "holder", lease: .seconds(60)).first)
                #expect(holder.id == zombie.id && holder.leaseToken > zombie.leaseToken)

                let outcome = try await runner(current, http: http, root: root, logger: db.logger).run(holder)
                try await db.queue.complete(JobCompletion(lease: holder.lease, result: outcome.result, followUps: outcome.followUps))

                // Now the zombie runs to the end: it stages its version, and its completion is refused.
                let late = try await runner(stale, http: http, root: root, logger: db.logger).run(zombie)
                await #expect(throws: QueueError.self) {
                    try await db.queue.complete(JobCompletion(lease: zombie.lease, result: late.result, followUps: late.followUps))
                }

                // The load job names the holder's attempt, and loads exactly what it staged.
                let load = try #require(try await db.queue.claim(kinds: [.load], limit: 1, owner: "loader", lease: .seconds(60)).first)
                let request = try LoadRequest.decode(load.payload)
                #expect(request.attempt == holder.leaseToken)
                #expect(request.file.key == "staged/blocks/0000047219-0000047219/j\(holder.id)-a\(holder.leaseToken).csv.gz")
                #expect(request.manifest == "staged/_manifests/0000047219-0000047219/j\(holder.id)-a\(holder.leaseToken).json")
                let store = FileStagingStore(root: root.path)
                let manifest = try JSONDecoder().decode(StagingManifest.self, from: Data(buffer: try await store.readAll(key: request.manifest)))
                #expect(manifest.files == [request.file], "the manifest in the payload is the holder's")
                #expect(try await store.list(prefix: "staged/blocks/").count == 2, "the zombie's version lies beside it, unread")

                let warehouse = PostgresWarehouse(client: db.client, schema: db.schema, store: store, logger: db.logger)
                let loaded = try await LoadJobRunner(warehouse: warehouse, stagingLocation: store.location, enqueuesModels: false).run(load)
                try await db.queue.complete(JobCompletion(lease: load.lease, result: loaded.result))

                var extraData: [String] = []
                let rows = try await db.client.query(PostgresQuery(unsafeSQL: "SELECT extra_data FROM \"\(db.schema)\".blocks WHERE number = 47219"), logger: db.logger)
                for try await value in rows.decode(String.self) { extraData.append(value) }
                #expect(extraData.count == 1)
                #expect(extraData.first != "0x7a6f6d626965", "the zombie's version was loaded")
                #expect(extraData.first?.isEmpty == false)
            }
        } catch {
            try await http.shutdown()
            throw error
        }
        try await http.shutdown()
    }
}

// Lake writes fenced by attempt: a zombie export (lease taken over) cannot replace the lake
// files of the attempt that holds or completed the range, on a folder and on S3 (SeaweedFS).

import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import Shared
import Testing

@Suite("the lake fenced by attempt", .serialized)
struct LakeFenceTests {
    /// An export runner reading `node`, staging under `root`, writing `lake`, fenced by `fence`.
    func runner(_ node: ScriptedNode, http: HTTPClient, root: URL, lake: LakeDestination, fence: (any LeaseFence)?, logger: Logger) throws -> ExportJobRunner {
        var nodes = NodePoolConfiguration(endpoints: [try RPCEndpoint(node.url)], timeout: .seconds(5), attempts: 2)
        nodes.backoff = Backoff(base: .milliseconds(20), cap: .milliseconds(50))
        var runner = ExportJobRunner(
            exporter: RangeExporter(fetcher: BlockFetcher(pool: NodePool(configuration: nodes, http: http, logger: logger))),
            store: FileStagingStore(root: root.appendingPathComponent("staging").path), keys: StagingKeys(prefix: "staged"),
            scratchRoot: root.appendingPathComponent("scratch")
        )
        runner.lake = lake
        runner.fence = fence
        return runner
    }

    /// Every object of the lake, by key.
    static func contents(_ lake: LakeDestination) async throws -> [String: Data] {
        var all: [String: Data] = [:]
        for key in try await lake.store.list(prefix: lake.keys.prefix) {
            all[key] = Data(buffer: try await lake.store.readAll(key: key))
        }
        return all
    }

    /// The zombie claims block 47219's job first; its lease runs out and the holder claims it.
    /// Before the holder publishes, the zombie runs to the end: the lease check stops it before
    /// its first lake write. Then the holder publishes and completes; the zombie runs again (a
    /// late retry of its work) and is refused by the manifest's attempt and the lease alike.
    func zombieCannotReplace(_ lake: LakeDestination) async throws {
        let current = try await ScriptedNode()
        defer { current.stop() }
        // The zombie's node answers another (valid) version of block 47219, so its files differ.
        let stale = try await ScriptedNode(.init(otherExtraData: true))
        defer { stale.stop() }
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("bf-lake-fence-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: HTTPClientService.defaultConfiguration)
        do {
            try await TestDatabase.with { db in
                try await db.queue.plan(try PlanRequest(from: 47219, to: 47219, chunkSize: 1, entities: [.blocks, .transactions]))
                let zombie = try #require(try await db.queue.claim(kinds: [.export], limit: 1, owner: "zombie", lease: .seconds(60)).first)
                #expect(try await db.queue.remainingLease(zombie.lease).map { $0 > .seconds(50) } == true, "a fresh lease has about 60 s left")
                try await db.expireLease(zombie.id)
                #expect(try await db.queue.remainingLease(zombie.lease) == nil, "an expired lease is not held")
                _ = try await db.queue.reapExpiredLeases()
                try await db.client.query("UPDATE jobs SET run_after = now() WHERE id = \(zombie.id)", logger: db.logger)
                let holder = try #require(try await db.queue.claim(kinds: [.export], limit: 1, owner: "holder", lease: .seconds(60)).first)
                #expect(holder.leaseToken > zombie.leaseToken)

                // The zombie first: nothing of it reaches the lake.
                let zombieRunner = try runner(stale, http: http, root: root, lake: lake, fence: db.queue, logger: db.logger)
                await #expect { try await zombieRunner.run(zombie) } throws: { ($0 as? JobError)?.code == .leaseLost }
                #expect(try await Self.contents(lake).isEmpty, "the zombie wrote to the lake")

                let outcome = try await runner(current, http: http, root: root, lake: lake, fence: db.queue, logger: db.logger).run(holder)
                try await db.queue.complete(JobCompletion(lease: holder.lease, result: outcome.result, followUps: outcome.followUps))
                let published = try await Self.contents(lake)
                let manifestKey = lake.keys.manifest(first: 47219, last: 47219)
                let manifest = try JSONDecoder().decode(LakeManifest.self, from: try #require(published[manifestKey]))
                #expect(manifest.attempt == LakeManifest.Attempt(job: holder.id, leaseToken: holder.leaseToken))
                #expect(published.count == 3, "blocks, transactions and the manifest: \(published.keys.sorted())")

                // The zombie again, after the holder published: refused, the lake unchanged byte for byte.
                await #expect { try await zombieRunner.run(zombie) } throws: { ($0 as? JobError)?.code == .leaseLost }
                #expect(try await Self.contents(lake) == published, "the zombie replaced the holder's lake files")
                // Without the queue's check, the manifest's attempt alone still refuses it.
                let unfenced = try runner(stale, http: http, root: root, lake: lake, fence: nil, logger: db.logger)
                await #expect { try await unfenced.run(zombie) } throws: { ($0 as? JobError)?.code == .leaseLost }
                #expect(try await Self.contents(lake) == published)
                // The stale version is really different: had it landed, the comparison would have shown it.
                let other = root.appendingPathComponent("other")
                let stray = try runner(stale, http: http, root: root, lake: LakeDestination(store: FileStagingStore(root: other.path), keys: lake.keys), fence: nil, logger: db.logger)
                _ = try await stray.run(zombie)
                let blocksKey = try #require(manifest.files.first { $0.entity == "blocks" }?.key)
                #expect(try Data(contentsOf: other.appendingPathComponent(blocksKey)) != published[blocksKey], "the zombie's version equals the holder's: the test proves nothing")
            }
        } catch {
            try await http.shutdown()
            throw error
        }
        try await http.shutdown()
    }

    @Test("file:// lake: a zombie attempt writes nothing before the holder publishes and cannot replace its files after")
    func fileLake() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bf-lake-fence-files-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try await zombieCannotReplace(LakeDestination(store: FileStagingStore(root: folder.path), keys: LakeKeys(prefix: "")))
    }

    @Test("S3 lake (SeaweedFS): a zombie attempt writes nothing before the holder publishes and cannot replace its files after",
          .enabled(if: S3TestServer.isConfigured, S3TestServer.skipReason))
    func s3Lake() async throws {
        try await S3TestServer.withClient { client in
            try await S3TestServer.withBucket(client) { bucket in
                try await zombieCannotReplace(LakeDestination(store: S3StagingStore(client: client, bucket: bucket, prefix: "lake"), keys: LakeKeys(prefix: "lake")))
            }
        }
    }

    @Test("in a fleet the queue is the authority: a lake manifest left by another queue database (higher job id) does not block a re-export")
    func newQueueDatabase() async throws {
        let node = try await ScriptedNode()
        defer { node.stop() }
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("bf-lake-newdb-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let lake = LakeDestination(store: FileStagingStore(root: root.appendingPathComponent("lake").path), keys: LakeKeys(prefix: ""))
        let old = LakeManifest(firstBlock: 47219, lastBlock: 47219, files: [], attempt: .init(job: 999_999, leaseToken: 9))
        try FileManager.default.createDirectory(at: root.appendingPathComponent("lake/_manifests"), withIntermediateDirectories: true)
        try old.encoded().write(to: root.appendingPathComponent("lake/_manifests/0000047219-0000047219.json"))
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: HTTPClientService.defaultConfiguration)
        do {
            try await TestDatabase.with { db in
                try await db.queue.plan(try PlanRequest(from: 47219, to: 47219, chunkSize: 1, entities: [.blocks]))
                let job = try #require(try await db.queue.claim(kinds: [.export], limit: 1, owner: "w", lease: .seconds(60)).first)
                #expect(job.id < 999_999)
                _ = try await runner(node, http: http, root: root, lake: lake, fence: db.queue, logger: db.logger).run(job)
                let manifest = try JSONDecoder().decode(LakeManifest.self, from: Data(buffer: try await lake.store.readAll(key: "_manifests/0000047219-0000047219.json")))
                #expect(manifest.attempt == LakeManifest.Attempt(job: job.id, leaseToken: job.leaseToken) && manifest.files.count == 1)
                // Without the queue, the same manifest refuses the (older-looking) attempt.
                await #expect { try await runner(node, http: http, root: root, lake: lake, fence: nil, logger: db.logger).run(ClaimedJob(
                    id: 1, kind: .export, firstBlock: 47219, lastBlock: 47219, entities: "blocks", payload: "", attempt: 1, maxAttempts: 3, leaseToken: 0, priority: 0))
                } throws: { ($0 as? JobError)?.code == .leaseLost }
            }
        } catch {
            try await http.shutdown()
            throw error
        }
        try await http.shutdown()
    }
}

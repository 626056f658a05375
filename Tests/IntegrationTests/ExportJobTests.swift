// Export jobs through the queue: a worker exports ranges from nodes over HTTP, or dead-letters bad data.

import AsyncHTTPClient
import Foundation
import Logging
import Shared
import Testing

@Suite("Export jobs in the fleet", .serialized)
struct ExportJobTests {
    func withExportWorker(
        _ db: TestDatabase, node: ScriptedNode, output: URL,
        _ body: @Sendable (WorkerService) async throws -> Void
    ) async throws {
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: HTTPClientService.defaultConfiguration)
        var nodes = NodePoolConfiguration(endpoints: [try RPCEndpoint(node.url)], timeout: .seconds(5), attempts: 2)
        nodes.backoff = Backoff(base: .milliseconds(20), cap: .milliseconds(50))
        let pool = NodePool(configuration: nodes, http: http, logger: db.logger)
        let runner = ExportJobRunner(
            exporter: RangeExporter(fetcher: BlockFetcher(pool: pool)), store: FileStagingStore(root: output.path),
            keys: StagingKeys(prefix: "staged"), scratchRoot: output.appendingPathComponent("scratch")
        )
        let worker = WorkerService(
            queue: db.queue, registry: WorkerRegistry(client: db.client, logger: db.logger), runners: [.export: runner],
            configuration: WorkerConfiguration(id: "exporter", kinds: [.export], concurrency: 2, pollInterval: .milliseconds(200),
                                               backoff: Backoff(base: .milliseconds(100), cap: .milliseconds(100))),
            logger: db.logger
        )
        let running = Task { try await worker.run() }
        do {
            try await body(worker)
        } catch {
            worker.stop()
            _ = try? await running.value
            try await http.shutdown()
            throw error
        }
        worker.stop()
        try await running.value
        try await http.shutdown()
    }

    @Test("planned export jobs are exported and staged; the result keeps the edge hashes; one load job per entity follows")
    func exportJobsSucceed() async throws {
        let node = try await ScriptedNode()
        defer { node.stop() }
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("bf-jobs-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: output) }
        try await TestDatabase.with { (db: TestDatabase) async throws in
            try await db.queue.plan(try PlanRequest(from: 47218, to: 47219, chunkSize: 1, entities: [.blocks, .transactions, .receipts, .logs]))
            try await withExportWorker(db, node: node, output: output) { _ in
                try await eventually("both export jobs to succeed") { try await db.count(kind: "export", state: "succeeded") == 2 }
            }
            let jobs = try await db.queue.jobs(JobFilter(kind: .export))
            let second = try await db.row(try #require(jobs.last?.id))
            let summary = try JSONDecoder().decode(ExportJobResult.self, from: Data(try #require(second.result).utf8))
            let first = try await db.row(try #require(jobs.first?.id))
            let firstSummary = try JSONDecoder().decode(ExportJobResult.self, from: Data(try #require(first.result).utf8))
            #expect(summary.firstParentHash == firstSummary.lastHash, "ranges must chain")
            // The fleet's exports take the CSV transcoder (one window of one block each).
            #expect(summary.windows == 1 && summary.transcodedWindows == 1)
            // Keys name the attempt (job id and lease token) that staged them.
            let attempts = [first, second].map { "j\($0.id)-a\($0.leaseToken)" }
            #expect(summary.manifest == "staged/_manifests/0000047219-0000047219/\(attempts[1]).json")

            let store = FileStagingStore(root: output.path)
            var expected: [String] = []
            for folder in ["_manifests", "blocks", "logs", "receipts", "transactions"] {
                for (block, attempt) in zip(["0000047218-0000047218", "0000047219-0000047219"], attempts) {
                    expected.append("staged/\(folder)/\(block)/\(attempt)" + (folder == "_manifests" ? ".json" : ".csv.gz"))
                }
            }
            #expect(try await store.list(prefix: "staged/") == expected)
            let manifest = try JSONDecoder().decode(StagingManifest.self, from: Data(buffer: try await store.readAll(key: summary.manifest)))
            #expect(manifest.files.map(\.entity) == ["blocks", "transactions", "receipts", "logs"])
            #expect(manifest.lastHash == summary.lastHash)
            for file in manifest.files {
                #expect(try await store.size(key: file.key) == file.bytes)
            }
            // The outbox: one load job per entity and range, carrying the manifest's file entry.
            let loads = try await db.queue.jobs(JobFilter(kind: .load))
            #expect(loads.count == 8)
            #expect(Set(loads.map(\.entities)) == ["blocks", "transactions", "receipts", "logs"])
            let load = try #require(loads.first { $0.firstBlock == 47219 && $0.entities == "logs" })
            let request = try LoadRequest.decode(try #require(try await db.payload(load.id)))
            #expect(request.file == manifest.files.last)
            #expect(request.staging == store.location.description)
            // Nothing is left in the scratch folder.
            #expect(((try? FileManager.default.contentsOfDirectory(atPath: output.appendingPathComponent("scratch").path)) ?? []).filter { !$0.hasPrefix(".") }.isEmpty)
        }
    }

    @Test("a range the node answers inconsistently is retried, then dead with the block and field named")
    func inconsistentDataIsDeadLettered() async throws {
        let node = try await ScriptedNode(.init(forkedParent: true))
        defer { node.stop() }
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("bf-jobs-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: output) }
        try await TestDatabase.with { (db: TestDatabase) async throws in
            try await db.queue.plan(try PlanRequest(from: 47218, to: 47219, chunkSize: 2, entities: [.blocks], maxAttempts: 3))
            try await withExportWorker(db, node: node, output: output) { _ in
                try await eventually("the job to be dead") { try await db.count(kind: "export", state: "dead") == 1 }
            }
            let job = try #require(try await db.queue.jobs(JobFilter(kind: .export)).first)
            #expect(job.attempts == 3)
            #expect(job.lastError?.contains("47219") == true && job.lastError?.contains("parentHash") == true, "\(job.lastError ?? "")")
            // Nothing was staged for the failed range, and no load job exists.
            #expect(try await FileStagingStore(root: output.path).list(prefix: "").isEmpty)
            #expect(try await db.count(kind: "load") == 0)
        }
    }
}

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
        let runner = ExportJobRunner(exporter: RangeExporter(fetcher: BlockFetcher(pool: pool)), outputRoot: output)
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

    @Test("planned export jobs are exported by a worker; the result keeps the range's edge hashes")
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
            let summary = try JSONDecoder().decode(ExportSummary.self, from: Data(try #require(second.result).utf8))
            let first = try await db.row(try #require(jobs.first?.id))
            let firstSummary = try JSONDecoder().decode(ExportSummary.self, from: Data(try #require(first.result).utf8))
            #expect(summary.firstParentHash == firstSummary.lastHash, "ranges must chain")
            let folder = output.appendingPathComponent("0000047219-0000047219")
            #expect(Set(try FileManager.default.contentsOfDirectory(atPath: folder.path)) == ["blocks.csv", "transactions.csv", "receipts.csv", "logs.csv"])
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
            // Nothing was published for the failed range.
            let folder = output.appendingPathComponent("0000047218-0000047219")
            #expect(((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).isEmpty)
        }
    }
}

// The status read-out's rate and ETA from the first finished jobs, and a reason instead of an ETA
// when nothing moves (issue 21 item 5).

import Foundation
import PostgresNIO
import Shared
import Testing

@Suite("Status rate and ETA")
struct StatusRateTests {
    /// Plans 400 blocks in 4 jobs, claims them all as if the run had begun `age` seconds ago, and
    /// completes the first `finished` of them.
    static func run(_ db: TestDatabase, age: Double, finished: Int) async throws -> [ClaimedJob] {
        try await db.queue.plan(try PlanRequest(from: 0, to: 399, chunkSize: 100, maxAttempts: 1))
        let jobs = try await db.queue.claim(kinds: [.export], limit: 4, owner: "test", lease: .seconds(300))
        try await db.client.query("UPDATE jobs SET started_at = now() - make_interval(secs => \(age))", logger: db.logger)
        for job in jobs.prefix(finished) {
            try await db.queue.complete(JobCompletion(lease: job.lease, result: ReorgGuardTests.result(job.firstBlock, job.lastBlock)))
        }
        return jobs
    }

    static func registerLiveWorker(_ db: TestDatabase) async throws {
        let registry = WorkerRegistry(client: db.client, logger: db.logger)
        try await registry.register(id: "w1", host: "test", pid: 1, kinds: [.export], concurrency: 4)
    }

    @Test("a run younger than the 5-minute window is timed over its own age: rate and ETA right from the first jobs")
    func youngRunIsTimedOverItsAge() async throws {
        try await TestDatabase.with { (db: TestDatabase) async throws in
            try await Self.registerLiveWorker(db)
            _ = try await Self.run(db, age: 10, finished: 3)
            let report = try await StatusReport.load(from: db.queue)
            // 300 blocks in ~10 s: ~30 blocks/s (the old 300 s window said 1.0 and an ETA of 100 s).
            #expect(report.rate.blocks == 300)
            #expect(report.rate.windowSeconds >= 10 && report.rate.windowSeconds < 60, "window \(report.rate.windowSeconds)")
            #expect(report.blocksPerSecond > 5, "rate \(report.blocksPerSecond)")
            let eta = try #require(report.etaSeconds)
            #expect(eta > 0 && eta < 20, "100 blocks left at ~30 blocks/s, got ETA \(eta)")
            #expect(report.stalledReason == nil)
            #expect(report.render().contains("ETA"))
        }
    }

    @Test("a run older than the window keeps the window")
    func oldRunKeepsTheWindow() async throws {
        try await TestDatabase.with { (db: TestDatabase) async throws in
            try await Self.registerLiveWorker(db)
            _ = try await Self.run(db, age: 3600, finished: 3)
            let report = try await StatusReport.load(from: db.queue)
            #expect(report.rate.windowSeconds == 300)
            #expect(abs(report.blocksPerSecond - 1.0) < 0.01)
        }
    }

    @Test("no live worker: 'stalled: no live worker' instead of an ETA, in the table and on the page")
    func noLiveWorker() async throws {
        try await TestDatabase.with { (db: TestDatabase) async throws in
            _ = try await Self.run(db, age: 10, finished: 3)
            let registry = WorkerRegistry(client: db.client, logger: db.logger)
            try await registry.register(id: "gone", host: "test", pid: 1, kinds: [.export], concurrency: 1)
            try await registry.markStopped(id: "gone")
            let report = try await StatusReport.load(from: db.queue)
            #expect(report.liveWorkers == 0)
            #expect(report.stalledReason == "stalled: no live worker")
            #expect(report.etaSeconds == nil)
            #expect(report.render().contains("stalled: no live worker"))
            let page = StatusPage(report: report, segments: [], workers: [], chainTip: nil).render()
            #expect(page.contains("stalled: no live worker") && !page.contains("to the end of the planned span"))
        }
    }

    @Test("live workers but nothing finished for longer than the window: says since when; nothing finished yet: says so")
    func nothingFinishing() async throws {
        try await TestDatabase.with { (db: TestDatabase) async throws in
            try await Self.registerLiveWorker(db)
            let waiting = try await StatusReport.load(from: db.queue)
            #expect(waiting.etaSeconds == 0, "nothing planned: nothing remains")
            let jobs = try await Self.run(db, age: 900, finished: 0)
            #expect(try await StatusReport.load(from: db.queue).stalledReason == "waiting: no export has finished yet")
            let first = try #require(jobs.first)
            try await db.queue.complete(JobCompletion(lease: first.lease, result: ReorgGuardTests.result(first.firstBlock, first.lastBlock)))
            try await db.client.query("UPDATE jobs SET finished_at = now() - interval '10 minutes' WHERE state = 'succeeded'", logger: db.logger)
            let stalled = try await StatusReport.load(from: db.queue)
            // 10 minutes, plus however long this machine took since the update.
            #expect(stalled.stalledReason?.hasPrefix("stalled: no export finished in the last 10m0") == true, "\(stalled.stalledReason ?? "nil")")
            #expect(stalled.etaSeconds == nil)
        }
    }

    @Test("paused exports: 'paused' instead of an ETA")
    func pausedExports() async throws {
        try await TestDatabase.with { (db: TestDatabase) async throws in
            try await Self.registerLiveWorker(db)
            _ = try await Self.run(db, age: 10, finished: 3)
            try await db.queue.pause(.export, by: "test")
            let report = try await StatusReport.load(from: db.queue)
            #expect(report.stalledReason == "paused: export jobs are paused")
            #expect(report.etaSeconds == nil)
        }
    }
}

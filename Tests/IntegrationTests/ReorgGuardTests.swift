// The reorg guard: adjacent exported ranges must chain by hash, or both are exported again.

import Foundation
import Shared
import Testing

@Suite("Reorg guard", .serialized)
struct ReorgGuardTests {
    /// A stand-in block hash: the same number always gives the same hash; `fork` gives another.
    static func hash(_ block: Int64, fork: Bool = false) -> String {
        "0x" + String(repeating: fork ? "f" : "0", count: 48) + String(format: "%016llx", block)
    }

    /// An export job's result as the export runner writes it (edge hashes only matter here).
    static func result(_ first: Int64, _ last: Int64, forkedParent: Bool = false) -> String {
        """
        {"first_block":\(first),"last_block":\(last),"first_parent_hash":"\(hash(first - 1, fork: forkedParent))","last_hash":"\(hash(last))","files":[],"manifest":"","staging":""}
        """
    }

    @Test("a parent-hash mismatch flags both ranges for re-export and shows in status and metrics; matching ranges are left alone")
    func mismatchFlagsBothRanges() async throws {
        try await TestDatabase.with { (db: TestDatabase) async throws in
            try await db.queue.plan(try PlanRequest(from: 0, to: 299, chunkSize: 100))
            let jobs = try await db.queue.claim(kinds: [.export], limit: 3, owner: "test", lease: .seconds(30))
            for job in jobs {
                // Block 200's parent is not block 199 as the previous range saw it.
                try await db.queue.complete(JobCompletion(lease: job.lease, result: Self.result(job.firstBlock, job.lastBlock, forkedParent: job.firstBlock == 200)))
            }
            let leader = LeaderService(queue: db.queue, registry: WorkerRegistry(client: db.client, logger: db.logger), configuration: CoordinatorConfiguration(), logger: db.logger)
            FleetMetrics.bootstrap()
            let before = Ops.sample(FleetMetrics.exposition(), "blockfleet_reorg_mismatches_total") ?? 0

            let found = try await leader.checkReorgsOnce(window: .seconds(3600))
            #expect(found.count == 1)
            #expect(found.first?.boundaryBlock == 200)
            let earlier = try #require(jobs.first { $0.firstBlock == 100 }), later = try #require(jobs.first { $0.firstBlock == 200 })
            #expect(try await db.row(earlier.id).state == "pending")
            #expect(try await db.row(later.id).state == "pending")
            #expect(try await db.row(later.id).lastError?.contains("reorg guard") == true)
            #expect(try await db.row(jobs.first { $0.firstBlock == 0 }!.id).state == "succeeded", "the matching pair 0-99/100-199 was compared before 100-199 was flagged")

            let status = try await StatusReport.load(from: db.queue)
            #expect(status.reorgCount == 1)
            #expect(status.render().contains("reorg guard: 1 parent-hash mismatches"))
            #expect(Ops.sample(FleetMetrics.exposition(), "blockfleet_reorg_mismatches_total") == before + 1)

            // Re-exported with a consistent chain: nothing more is flagged.
            for job in try await db.queue.claim(kinds: [.export], limit: 3, owner: "test", lease: .seconds(30)) {
                try await db.queue.complete(JobCompletion(lease: job.lease, result: Self.result(job.firstBlock, job.lastBlock)))
            }
            #expect(try await leader.checkReorgsOnce(window: .seconds(3600)).isEmpty)
            #expect(try await db.count(kind: "export", state: "succeeded") == 3)
        }
    }

    @Test("a boundary that keeps mismatching is given up after three tries: the later range is dead, naming the block")
    func persistentMismatchGoesDead() async throws {
        try await TestDatabase.with { (db: TestDatabase) async throws in
            try await db.queue.plan(try PlanRequest(from: 0, to: 199, chunkSize: 100))
            let leader = LeaderService(queue: db.queue, registry: WorkerRegistry(client: db.client, logger: db.logger), configuration: CoordinatorConfiguration(), logger: db.logger)
            for round in 1...3 {
                for job in try await db.queue.claim(kinds: [.export], limit: 2, owner: "test", lease: .seconds(30)) {
                    try await db.queue.complete(JobCompletion(lease: job.lease, result: Self.result(job.firstBlock, job.lastBlock, forkedParent: job.firstBlock == 100)))
                }
                #expect(try await leader.checkReorgsOnce(window: .seconds(3600)).count == 1, "round \(round)")
            }
            #expect(try await db.count(kind: "export", state: "dead") == 1)
            let dead = try #require(try await db.queue.jobs(JobFilter(state: .dead, limit: 1)).first)
            #expect(dead.firstBlock == 100)
            #expect(dead.lastError?.contains("block 100's parent hash") == true && dead.lastError?.contains("3 times") == true, "\(dead.lastError ?? "")")
            #expect(try await db.count(kind: "export", state: "succeeded") == 1)
            #expect(try await leader.checkReorgsOnce(window: .seconds(3600)).isEmpty, "a dead range is not compared again")
        }
    }
}

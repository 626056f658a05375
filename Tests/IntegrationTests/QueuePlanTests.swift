// Planning and the completion outbox against a real PostgreSQL.

import Foundation
import Shared
import Testing

@Suite("Planning and follow-up jobs")
struct QueuePlanTests {
    @Test("planning the same span twice adds nothing; an overlapping span adds only what is missing")
    func planIsIdempotent() async throws {
        try await TestDatabase.with { (db: TestDatabase) async throws in
            let first = try await db.queue.plan(try PlanRequest(from: 0, to: 999, chunkSize: 100))
            #expect(first.inserted == 10)
            #expect(try await db.queue.plan(try PlanRequest(from: 0, to: 999, chunkSize: 100)).inserted == 0)

            let overlap = try await db.queue.plan(try PlanRequest(from: 950, to: 1249, chunkSize: 100))
            #expect(overlap.inserted == 3)
            #expect(overlap.alreadyPlannedBlocks == 50)
            // Another chunk size over planned blocks fills only the gap, on its own grid.
            let regrid = try await db.queue.plan(try PlanRequest(from: 1200, to: 1400, chunkSize: 64))
            #expect(regrid.inserted == 3)
            let ranges = try await db.ranges(kind: "export")
            #expect(ranges.count == 16)
            #expect(Array(ranges.suffix(4)) == [1200...1249, 1250...1279, 1280...1343, 1344...1400])
            // Coverage is complete and nothing overlaps.
            #expect(RangePlanner.uncovered(0...1400, by: ranges).isEmpty)
            for (a, b) in zip(ranges, ranges.dropFirst()) { #expect(a.upperBound < b.lowerBound) }
        }
    }

    @Test("concurrent plans of one span insert each range once")
    func concurrentPlans() async throws {
        try await TestDatabase.with { (db: TestDatabase) async throws in
            let inserted = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<4 {
                    group.addTask { try await db.queue.plan(try PlanRequest(from: 0, to: 9_999, chunkSize: 7)).inserted }
                }
                return try await group.reduce(0, +)
            }
            #expect(inserted == 1429)
            #expect(try await db.count(kind: "export") == 1429)
        }
    }

    @Test("different entity sets are planned separately")
    func entitySetsArePlannedSeparately() async throws {
        try await TestDatabase.with { (db: TestDatabase) async throws in
            #expect(try await db.queue.plan(try PlanRequest(from: 0, to: 99, chunkSize: 50, entities: [.blocks])).inserted == 2)
            #expect(try await db.queue.plan(try PlanRequest(from: 0, to: 99, chunkSize: 50, entities: [.logs, .blocks])).inserted == 2)
            #expect(try await db.queue.plan(try PlanRequest(from: 0, to: 99, chunkSize: 50, entities: [.blocks, .logs])).inserted == 0)
        }
    }

    @Test("completing a job inserts its follow-ups in the same transaction, once")
    func completionOutbox() async throws {
        try await TestDatabase.with { (db: TestDatabase) async throws in
            try await db.queue.enqueue([NewJob(kind: .export, firstBlock: 0, lastBlock: 99, entities: "blocks,logs")])
            let job = try #require(try await db.queue.claim(kinds: [.export], limit: 1, owner: "a", lease: .seconds(30)).first)
            let loads = [
                NewJob(kind: .load, firstBlock: 0, lastBlock: 99, entities: "blocks", payload: #"{"manifest":"m.json"}"#),
                NewJob(kind: .load, firstBlock: 0, lastBlock: 99, entities: "logs", payload: #"{"manifest":"m.json"}"#),
            ]
            try await db.queue.complete(JobCompletion(lease: job.lease, result: #"{"last_hash":"0xabc"}"#, followUps: loads))
            #expect(try await db.count(kind: "load", state: "pending") == 2)
            // A re-export of the range re-sends the same follow-ups: nothing is doubled.
            try await db.client.query("UPDATE jobs SET state = 'pending' WHERE id = \(job.id)", logger: db.logger)
            let again = try #require(try await db.queue.claim(kinds: [.export], limit: 1, owner: "b", lease: .seconds(30)).first)
            try await db.queue.complete(JobCompletion(lease: again.lease, followUps: loads))
            #expect(try await db.count(kind: "load") == 2)
        }
    }

    @Test("batched completion accepts held leases and rejects lost ones in one call")
    func batchedCompletion() async throws {
        try await TestDatabase.with { (db: TestDatabase) async throws in
            try await db.queue.plan(try PlanRequest(kind: .noop, from: 0, to: 15, chunkSize: 1))
            let jobs = try await db.queue.claim(kinds: [.noop], limit: 16, owner: "a", lease: .seconds(30))
            #expect(jobs.count == 16)
            let stale = JobLease(id: jobs[0].id, token: jobs[0].leaseToken - 1)
            let accepted = try await db.queue.complete([JobCompletion(lease: stale)] + jobs.dropFirst().map { JobCompletion(lease: $0.lease) })
            #expect(accepted == Set(jobs.dropFirst().map(\.id)))
            #expect(try await db.count(state: "succeeded") == 15)
        }
    }
}

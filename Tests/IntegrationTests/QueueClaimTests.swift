// Claiming against a real PostgreSQL: exactly-once under contention, order, kinds, pauses, fencing.

import Foundation
import Shared
import Testing

@Suite("Claiming jobs")
struct QueueClaimTests {
    @Test("8 concurrent claimers over 600 jobs: every job claimed exactly once, none left")
    func concurrentClaimersClaimEachJobOnce() async throws {
        try await TestDatabase.with { (db: TestDatabase) async throws in
            let plan = try PlanRequest(kind: .noop, from: 0, to: 599, chunkSize: 1)
            #expect(try await db.queue.plan(plan).inserted == 600)

            let claimed = try await withThrowingTaskGroup(of: [Int64].self) { group in
                for claimer in 0..<8 {
                    group.addTask {
                        var mine: [Int64] = []
                        while true {
                            let jobs = try await db.queue.claim(kinds: [.noop], limit: 1 + claimer % 4 * 5, owner: "claimer-\(claimer)", lease: .seconds(30))
                            if jobs.isEmpty { return mine }
                            mine += jobs.map(\.id)
                            let accepted = try await db.queue.complete(jobs.map { JobCompletion(lease: $0.lease) })
                            #expect(accepted == Set(jobs.map(\.id)))
                        }
                    }
                }
                var all: [Int64] = []
                for try await ids in group { all += ids }
                return all
            }
            #expect(claimed.count == 600)
            #expect(Set(claimed).count == 600, "a job was claimed twice")
            #expect(try await db.count(state: "succeeded") == 600)
            #expect(try await db.count(state: "pending") == 0)
        }
    }

    @Test("claims follow priority, then first block, and only the kinds asked for")
    func claimOrderAndKinds() async throws {
        try await TestDatabase.with { (db: TestDatabase) async throws in
            try await db.queue.enqueue([
                NewJob(kind: .noop, firstBlock: 300, lastBlock: 399, priority: 100),
                NewJob(kind: .noop, firstBlock: 100, lastBlock: 199, priority: 100),
                NewJob(kind: .noop, firstBlock: 900, lastBlock: 999, priority: 10),
                NewJob(kind: .sleep, firstBlock: 0, lastBlock: 99, priority: 1),
            ])
            let first = try await db.queue.claim(kinds: [.noop], limit: 2, owner: "w", lease: .seconds(30))
            #expect(first.map(\.firstBlock) == [900, 100])
            let second = try await db.queue.claim(kinds: [.noop], limit: 5, owner: "w", lease: .seconds(30))
            #expect(second.map(\.firstBlock) == [300])
            let sleepers = try await db.queue.claim(kinds: [.sleep, .load], limit: 5, owner: "w", lease: .seconds(30))
            #expect(sleepers.map(\.firstBlock) == [0])
        }
    }

    @Test("a paused kind is not claimed until resumed")
    func pausedKindsAreSkipped() async throws {
        try await TestDatabase.with { (db: TestDatabase) async throws in
            try await db.queue.enqueue([NewJob(kind: .noop, firstBlock: 0, lastBlock: 9)])
            try await db.queue.pause(.noop, by: "test")
            #expect(try await db.queue.claim(kinds: [.noop], limit: 1, owner: "w", lease: .seconds(30)).isEmpty)
            #expect(try await db.queue.pausedKinds() == [.noop])
            try await db.queue.resume(.noop)
            #expect(try await db.queue.claim(kinds: [.noop], limit: 1, owner: "w", lease: .seconds(30)).count == 1)
        }
    }

    @Test("every claim of a job increments its lease token")
    func claimIncrementsLeaseToken() async throws {
        try await TestDatabase.with { (db: TestDatabase) async throws in
            let id = try #require(try await db.queue.enqueue([NewJob(kind: .noop, firstBlock: 0, lastBlock: 0)]).first)
            let first = try #require(try await db.queue.claim(kinds: [.noop], limit: 1, owner: "a", lease: .seconds(30)).first)
            try await db.queue.release([first.lease], reason: "test")
            let second = try #require(try await db.queue.claim(kinds: [.noop], limit: 1, owner: "b", lease: .seconds(30)).first)
            #expect(first.id == id && second.id == id)
            #expect(second.leaseToken == first.leaseToken + 1)
            #expect(try await db.row(id).leaseOwner == "b")
        }
    }
}

// The model job is enqueued by the last load of a range, exactly once, on a real PostgreSQL.

import Foundation
import PostgresNIO
import Shared
import Testing

@Suite("Model jobs in the queue", .serialized)
struct ModelQueueTests {
    static let entities = ["blocks", "receipts", "transactions"]

    static func loads(ranges: Int) -> [NewJob] {
        (0..<ranges).flatMap { index in
            entities.map { NewJob(kind: .load, firstBlock: Int64(index * 10), lastBlock: Int64(index * 10 + 9), entities: $0) }
        }
    }

    static func followUp(_ job: ClaimedJob) -> RangeFollowUp {
        RangeFollowUp(after: .load, kind: .model, firstBlock: job.firstBlock, lastBlock: job.lastBlock)
    }

    static func modelJobs(_ db: TestDatabase) async throws -> [Int64: (token: Int64, state: String, payload: String)] {
        var found: [Int64: (Int64, String, String)] = [:]
        let rows = try await db.client.query(
            "SELECT first_block, lease_token, state, payload::text FROM jobs WHERE kind = 'model'", logger: db.logger
        )
        for try await (first, token, state, payload) in rows.decode((Int64, Int64, String, String).self) {
            found[first] = (token, state, payload)
        }
        return found
    }

    @Test("loads of a range finishing at the same moment enqueue its model job exactly once, listing their entities")
    func exactlyOnceUnderConcurrentCompletions() async throws {
        try await TestDatabase.with { db in
            let ranges = 40
            try await db.queue.enqueue(Self.loads(ranges: ranges))
            let claimed = try await db.queue.claim(kinds: [.load], limit: 1000, owner: "loader", lease: .seconds(60))
            #expect(claimed.count == ranges * Self.entities.count)
            // Every completion in its own transaction, all at once: siblings race each other.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for job in claimed.shuffled() {
                    group.addTask { try await db.queue.complete(JobCompletion(lease: job.lease, whenRangeDone: Self.followUp(job))) }
                }
                try await group.waitForAll()
            }
            let models = try await Self.modelJobs(db)
            #expect(models.count == ranges, "model jobs for \(models.count) of \(ranges) ranges")
            for (first, model) in models {
                // Token 0: inserted once, never requeued by a second sibling.
                #expect(model.token == 0 && model.state == "pending", "range \(first): \(model)")
                let request = try ModelRequest.decode(model.payload)
                #expect(request.entities == Self.entities)
            }
        }
    }

    @Test("no model job while a sibling load is unfinished; a re-loaded range requeues its finished model job")
    func waitsForEverySiblingAndRequeues() async throws {
        try await TestDatabase.with { db in
            try await db.queue.enqueue(Self.loads(ranges: 1))
            let claimed = try await db.queue.claim(kinds: [.load], limit: 10, owner: "loader", lease: .seconds(60))
            let (failing, others) = (claimed[0], claimed.dropFirst())
            for job in others {
                try await db.queue.complete(JobCompletion(lease: job.lease, whenRangeDone: Self.followUp(job)))
            }
            try await db.queue.fail(failing, error: JobError(.transient, "node down"), backoff: Backoff(base: .zero, cap: .zero))
            #expect(try await Self.modelJobs(db).isEmpty)

            let retried = try #require(try await db.queue.claim(kinds: [.load], limit: 1, owner: "loader", lease: .seconds(60)).first)
            try await db.queue.complete(JobCompletion(lease: retried.lease, whenRangeDone: Self.followUp(retried)))
            let model = try #require(try await db.queue.claim(kinds: [.model], limit: 1, owner: "modeller", lease: .seconds(60)).first)
            try await db.queue.complete(JobCompletion(lease: model.lease))

            // A re-export requeues one load; its completion requeues the finished model job.
            try await db.queue.enqueue([NewJob(kind: .load, firstBlock: 0, lastBlock: 9, entities: "receipts", payload: "{\"again\":1}", onConflict: .requeue)])
            #expect(try await db.row(model.id).state == "succeeded")
            let reload = try #require(try await db.queue.claim(kinds: [.load], limit: 1, owner: "loader", lease: .seconds(60)).first)
            try await db.queue.complete(JobCompletion(lease: reload.lease, whenRangeDone: Self.followUp(reload)))
            let again = try await db.row(model.id)
            #expect(again.state == "pending" && again.leaseToken == model.leaseToken + 1)
            #expect(try await db.count(kind: "model") == 1)
        }
    }
}

// Leases against a real PostgreSQL: zombies are fenced off, heartbeats extend, release and cancel.

import Foundation
import Shared
import Testing

@Suite("Leases and fencing")
struct QueueLeaseTests {
    @Test("a zombie's heartbeat, completion and failure are rejected; the job completes once")
    func zombieIsFencedOff() async throws {
        try await TestDatabase.with { (db: TestDatabase) async throws in
            let id = try #require(try await db.queue.enqueue([NewJob(kind: .noop, firstBlock: 0, lastBlock: 99)]).first)
            let zombie = try #require(try await db.queue.claim(kinds: [.noop], limit: 1, owner: "zombie", lease: .seconds(30)).first)

            // The zombie stalls past its lease; the reaper returns the job and another worker takes it.
            try await db.expireLease(id)
            let reaped = try await db.queue.reapExpiredLeases()
            #expect(reaped.map(\.id) == [id])
            #expect(reaped.first?.state == .pending)
            let successor = try #require(try await db.queue.claim(kinds: [.noop], limit: 1, owner: "successor", lease: .seconds(30)).first)
            #expect(successor.leaseToken == zombie.leaseToken + 1)

            // The zombie wakes up: it learns the lease is gone, and none of its writes land.
            #expect(try await db.queue.heartbeat([zombie.lease], lease: .seconds(30)) == [zombie.lease])
            await #expect(throws: QueueError.self) {
                try await db.queue.complete(JobCompletion(
                    lease: zombie.lease, result: #"{"by":"zombie"}"#,
                    followUps: [NewJob(kind: .load, firstBlock: 0, lastBlock: 99)]
                ))
            }
            await #expect(throws: QueueError.self) {
                try await db.queue.fail(zombie.lease, attempt: 1, message: "zombie failure", retryable: true)
            }
            #expect(try await db.row(id).state == "running")
            #expect(try await db.count(kind: "load") == 0, "the zombie's follow-up must not be inserted")

            try await db.queue.complete(JobCompletion(lease: successor.lease, result: #"{"by": "successor"}"#))
            let row = try await db.row(id)
            #expect(row.state == "succeeded")
            #expect(row.result == #"{"by": "successor"}"#)
            #expect(row.attempts == 2)
            // A late second completion by the successor is rejected too: the job is no longer running.
            await #expect(throws: QueueError.self) { try await db.queue.complete(JobCompletion(lease: successor.lease)) }
        }
    }

    @Test("a job whose lease expired is not claimable until reaped, and is not double-claimed")
    func expiredLeaseNeedsReaper() async throws {
        try await TestDatabase.with { (db: TestDatabase) async throws in
            let id = try #require(try await db.queue.enqueue([NewJob(kind: .noop, firstBlock: 0, lastBlock: 0)]).first)
            _ = try await db.queue.claim(kinds: [.noop], limit: 1, owner: "a", lease: .seconds(30))
            try await db.expireLease(id)
            #expect(try await db.queue.claim(kinds: [.noop], limit: 1, owner: "b", lease: .seconds(30)).isEmpty)
            #expect(try await db.queue.reapExpiredLeases().count == 1)
            #expect(try await db.queue.reapExpiredLeases().isEmpty, "reaping twice returns nothing new")
            #expect(try await db.queue.claim(kinds: [.noop], limit: 1, owner: "b", lease: .seconds(30)).count == 1)
        }
    }

    @Test("the reaper kills a job whose expired claim was its last attempt, keeping the reason")
    func reaperDeadLettersLastAttempt() async throws {
        try await TestDatabase.with { (db: TestDatabase) async throws in
            let id = try #require(try await db.queue.enqueue([NewJob(kind: .noop, firstBlock: 0, lastBlock: 0, maxAttempts: 1)]).first)
            _ = try await db.queue.claim(kinds: [.noop], limit: 1, owner: "crashy", lease: .seconds(30))
            try await db.expireLease(id)
            let reaped = try await db.queue.reapExpiredLeases()
            #expect(reaped.first?.state == .dead)
            let row = try await db.row(id)
            #expect(row.state == "dead")
            #expect(row.lastError?.contains("crashy") == true)
        }
    }

    @Test("a heartbeat extends the lease so the reaper leaves the job alone")
    func heartbeatExtendsLease() async throws {
        try await TestDatabase.with { (db: TestDatabase) async throws in
            try await db.queue.enqueue([NewJob(kind: .noop, firstBlock: 0, lastBlock: 0), NewJob(kind: .noop, firstBlock: 1, lastBlock: 1)])
            let jobs = try await db.queue.claim(kinds: [.noop], limit: 2, owner: "a", lease: .seconds(30))
            try #require(jobs.count == 2)
            let (beating, silent) = (jobs[0], jobs[1])
            // Both leases run out; only one job's worker beats before the reaper comes.
            try await db.expireLease(beating.id)
            try await db.expireLease(silent.id)
            #expect(try await db.queue.heartbeat([beating.lease], lease: .seconds(30)).isEmpty)
            let left = try #require(try await db.leaseSecondsLeft(beating.id))
            #expect(left > 25 && left <= 30, "the beat set the lease to now + 30 s, found \(left) s")
            #expect(try await db.queue.reapExpiredLeases().map(\.id) == [silent.id])
            try await db.queue.complete(JobCompletion(lease: beating.lease))
            #expect(try await db.row(beating.id).state == "succeeded")
        }
    }

    @Test("a released job is claimable at once and its attempt is not counted")
    func releaseReturnsJobImmediately() async throws {
        try await TestDatabase.with { (db: TestDatabase) async throws in
            let id = try #require(try await db.queue.enqueue([NewJob(kind: .noop, firstBlock: 0, lastBlock: 0)]).first)
            let job = try #require(try await db.queue.claim(kinds: [.noop], limit: 1, owner: "a", lease: .seconds(60)).first)
            #expect(try await db.queue.release([job.lease], reason: "shutting down") == [id])
            let row = try await db.row(id)
            #expect(row.state == "pending" && row.attempts == 0)
            #expect(try await db.queue.claim(kinds: [.noop], limit: 1, owner: "b", lease: .seconds(60)).first?.id == id)
            #expect(try await db.queue.release([job.lease], reason: "stale").isEmpty, "an old lease releases nothing")
        }
    }

    @Test("cancelling a running job makes its worker's heartbeat report the lease lost")
    func cancelStopsRunningJob() async throws {
        try await TestDatabase.with { (db: TestDatabase) async throws in
            let id = try #require(try await db.queue.enqueue([NewJob(kind: .noop, firstBlock: 0, lastBlock: 0)]).first)
            let job = try #require(try await db.queue.claim(kinds: [.noop], limit: 1, owner: "a", lease: .seconds(60)).first)
            #expect(try await db.queue.cancel(ids: [id]) == [id])
            #expect(try await db.queue.heartbeat([job.lease], lease: .seconds(60)) == [job.lease])
            await #expect(throws: QueueError.self) { try await db.queue.complete(JobCompletion(lease: job.lease)) }
            #expect(try await db.row(id).state == "cancelled")
        }
    }
}

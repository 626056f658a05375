// Failure handling against a real PostgreSQL: backoff, dead-lettering, permanent errors, retry.

import Foundation
import Shared
import Testing

@Suite("Failures, backoff and dead jobs")
struct QueueFailureTests {
    @Test("a retryable failure backs off: not claimable before run_after")
    func retryableFailureBacksOff() async throws {
        try await TestDatabase.with { (db: TestDatabase) async throws in
            let id = try #require(try await db.queue.enqueue([NewJob(kind: .noop, firstBlock: 0, lastBlock: 0)]).first)
            let job = try #require(try await db.queue.claim(kinds: [.noop], limit: 1, owner: "a", lease: .seconds(30)).first)
            let backoff = Backoff(base: .seconds(30), cap: .seconds(60), jitter: 0.5)
            let state = try await db.queue.fail(job, error: JobError(.transient, "node timed out"), backoff: backoff)
            #expect(state == .retrying)
            let row = try await db.row(id)
            #expect(row.state == "retrying")
            #expect(row.lastError == "transient: node timed out")
            // 30 s base with half of it random: between 15 and 30 s from now.
            #expect(row.secondsUntilRunnable > 14 && row.secondsUntilRunnable <= 30)
            #expect(try await db.queue.claim(kinds: [.noop], limit: 1, owner: "b", lease: .seconds(30)).isEmpty)
        }
    }

    @Test("after max_attempts retryable failures the job is dead with its last error")
    func deadAfterMaxAttempts() async throws {
        try await TestDatabase.with { (db: TestDatabase) async throws in
            let id = try #require(try await db.queue.enqueue([NewJob(kind: .noop, firstBlock: 0, lastBlock: 0, maxAttempts: 3)]).first)
            let immediate = Backoff(base: .zero, cap: .zero, jitter: 0)
            var states: [JobState] = []
            for attempt in 1...3 {
                let job = try #require(try await db.queue.claim(kinds: [.noop], limit: 1, owner: "a", lease: .seconds(30)).first)
                #expect(job.attempt == attempt)
                states.append(try await db.queue.fail(job, error: JobError(.transient, "failure \(attempt)"), backoff: immediate))
            }
            #expect(states == [.retrying, .retrying, .dead])
            let row = try await db.row(id)
            #expect(row.state == "dead" && row.lastError == "transient: failure 3")
            #expect(try await db.queue.claim(kinds: [.noop], limit: 1, owner: "a", lease: .seconds(30)).isEmpty)
        }
    }

    @Test("a permanent error kills the job on its first attempt; an unclassified error is retried")
    func permanentErrorsGoStraightToDead() async throws {
        try await TestDatabase.with { (db: TestDatabase) async throws in
            let ids = try await db.queue.enqueue([
                NewJob(kind: .noop, firstBlock: 0, lastBlock: 0),
                NewJob(kind: .noop, firstBlock: 1, lastBlock: 1),
            ])
            let jobs = try await db.queue.claim(kinds: [.noop], limit: 2, owner: "a", lease: .seconds(30))
            struct Unclassified: Error {}
            #expect(try await db.queue.fail(jobs[0], error: JobError(.invalidJob, "bad payload")) == .dead)
            #expect(try await db.queue.fail(jobs[1], error: Unclassified()) == .retrying)
            #expect(try await db.row(ids[0]).lastError == "permanent: invalid_job: bad payload")
        }
    }

    @Test("retry brings a dead job back with fresh attempts; --all-dead takes every dead job")
    func retryFromDead() async throws {
        try await TestDatabase.with { (db: TestDatabase) async throws in
            let ids = try await db.queue.enqueue([
                NewJob(kind: .noop, firstBlock: 0, lastBlock: 0, maxAttempts: 1),
                NewJob(kind: .noop, firstBlock: 1, lastBlock: 1, maxAttempts: 1),
            ])
            for job in try await db.queue.claim(kinds: [.noop], limit: 2, owner: "a", lease: .seconds(30)) {
                try await db.queue.fail(job, error: JobError(.transient, "boom"))
            }
            #expect(try await db.count(state: "dead") == 2)
            #expect(try await db.queue.retry(ids: [ids[0]]) == [ids[0]])
            #expect(try await db.row(ids[0]).state == "pending")
            #expect(try await db.row(ids[0]).attempts == 0)
            #expect(try await db.queue.retry(ids: [], allDead: true) == [ids[1]])
            #expect(try await db.queue.claim(kinds: [.noop], limit: 5, owner: "a", lease: .seconds(30)).count == 2)
            #expect(try await db.queue.retry(ids: [ids[0]]).isEmpty, "a running job is not retried")
        }
    }
}

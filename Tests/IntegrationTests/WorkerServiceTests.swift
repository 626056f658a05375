// The worker's claim loop in-process against a real PostgreSQL: wake-ups, follow-ups, failures, lease loss.

import Foundation
import Logging
import Shared
import Testing

/// A runner the test controls: records what ran and blocks until told to finish.
actor ScriptedRunner: JobRunner {
    var started: [Int64] = []
    var cancelled: [Int64] = []
    let hold: Duration

    init(hold: Duration) { self.hold = hold }

    nonisolated func run(_ job: ClaimedJob) async throws -> JobOutcome {
        await record(job.id)
        do {
            try await Task.sleep(for: hold)
        } catch {
            await recordCancel(job.id)
            throw error
        }
        return JobOutcome(result: #"{"ran":true}"#)
    }

    private func record(_ id: Int64) { started.append(id) }
    private func recordCancel(_ id: Int64) { cancelled.append(id) }
}

@Suite("Worker service")
struct WorkerServiceTests {
    func makeWorker(_ db: TestDatabase, runners: [JobKind: any JobRunner], configuration: WorkerConfiguration) -> WorkerService {
        WorkerService(
            queue: db.queue, registry: WorkerRegistry(client: db.client, logger: db.logger),
            runners: runners, configuration: configuration, logger: db.logger
        )
    }

    @Test("an idle worker is woken by NOTIFY, long before its poll timer")
    func notifyWakesIdleWorker() async throws {
        try await TestDatabase.with { (db: TestDatabase) async throws in
            let worker = makeWorker(db, runners: WorkerService.drillRunners, configuration: WorkerConfiguration(
                id: "notify-test", kinds: [.noop], concurrency: 2, pollInterval: .seconds(120)
            ))
            let running = Task { try await worker.run() }
            defer { worker.stop() }
            // Idle and listening: the first claim found nothing, and so did the claim the listener's
            // ring at connection caused. From here only a notification wakes it before 120 s.
            try await eventually("the worker to listen and go idle") { worker.isListening && worker.claimsMade >= 2 }
            let id = try #require(try await db.queue.enqueue([NewJob(kind: .noop, firstBlock: 0, lastBlock: 0)]).first)
            try await eventually("the job to succeed via NOTIFY", timeout: .seconds(10)) { try await db.row(id).state == "succeeded" }
            worker.stop()
            try await running.value
        }
    }

    @Test("with BLOCKFLEET_LISTEN off a worker polls only: no LISTEN backend, NOTIFY ignored, the job claimed on its poll")
    func pollingOnlyWorker() async throws {
        try await TestDatabase.with { (db: TestDatabase) async throws in
            let poll = Duration.seconds(3)
            let worker = makeWorker(db, runners: WorkerService.drillRunners, configuration: WorkerConfiguration(
                id: "poll-only-test", kinds: [.noop], concurrency: 2, pollInterval: poll, listens: false
            ))
            let running = Task { try await worker.run() }
            defer { worker.stop() }
            try await eventually("the worker's first claim") { worker.claimsMade >= 1 }
            let claimsBefore = worker.claimsMade
            let id = try #require(try await db.queue.enqueue([NewJob(kind: .noop, firstBlock: 0, lastBlock: 0)]).first)
            try await eventually("the job to succeed on the poll", timeout: .seconds(15)) { try await db.row(id).state == "succeeded" }
            // The NOTIFY of the insert woke nobody, and no listener ever.
            #expect(!worker.isListening)
            #expect(worker.claimsMade - claimsBefore <= 3, "claims: one per poll, not one per notification")
            // Other tests listen on their own schemas' channels; this schema's has no listener.
            let pattern = "LISTEN %\(db.schema)%"
            var listeners: Int64 = -1
            for try await count in try await db.client.query("SELECT count(*)::bigint FROM pg_stat_activity WHERE query ILIKE \(pattern)", logger: db.logger).decode(Int64.self) {
                listeners = count
            }
            #expect(listeners == 0)
            // No bound in seconds beyond the 15 s above: under a loaded suite the poll's timer
            // fired late (8.1 s for a 3 s poll); the claims counted bound it in polls instead.
            worker.stop()
            try await running.value
        }
    }

    @Test("follow-ups flow through the fleet, and runner errors are classified")
    func fleetRunsFollowUpsAndFailures() async throws {
        try await TestDatabase.with { (db: TestDatabase) async throws in
            try await db.queue.plan(try PlanRequest(kind: .noop, from: 0, to: 9, chunkSize: 1, payload: #"{"follow_up_kind":"sleep"}"#))
            let permanent = try #require(try await db.queue.enqueue([NewJob(kind: .noop, firstBlock: 100, lastBlock: 100, payload: #"{"fail":"permanent"}"#)]).first)
            let retryable = try #require(try await db.queue.enqueue([NewJob(kind: .noop, firstBlock: 101, lastBlock: 101, payload: #"{"fail":"retryable"}"#, maxAttempts: 2)]).first)
            let malformed = try #require(try await db.queue.enqueue([NewJob(kind: .sleep, firstBlock: 102, lastBlock: 102, payload: #"{"seconds":"soon"}"#)]).first)

            let worker = makeWorker(db, runners: WorkerService.drillRunners, configuration: WorkerConfiguration(
                id: "fleet-test", kinds: [.noop, .sleep], concurrency: 4, pollInterval: .milliseconds(200),
                backoff: Backoff(base: .milliseconds(100), cap: .milliseconds(100))
            ))
            let running = Task { try await worker.run() }
            try await eventually("10 noops and their 10 sleep follow-ups to succeed", timeout: .seconds(60)) {
                try await db.count(state: "succeeded") == 20
            }
            try await eventually("the failing jobs to be dead") { try await db.count(state: "dead") == 3 }
            #expect(try await db.row(permanent).attempts == 1)
            #expect(try await db.row(retryable).attempts == 2)
            #expect(try await db.row(malformed).lastError?.contains("payload") == true)
            worker.stop()
            try await running.value
            let record = try #require(try await WorkerRegistry(client: db.client, logger: db.logger).list().first)
            #expect(record.jobsDone == 20 && record.jobsFailed == 4)
            #expect(record.stoppedAt != nil)
        }
    }

    @Test("a worker whose lease is taken stops the job and writes nothing")
    func lostLeaseAbandonsJob() async throws {
        try await TestDatabase.with { (db: TestDatabase) async throws in
            let id = try #require(try await db.queue.enqueue([NewJob(kind: .sleep, firstBlock: 0, lastBlock: 0)]).first)
            let runner = ScriptedRunner(hold: .seconds(30))
            let worker = makeWorker(db, runners: [.sleep: runner], configuration: WorkerConfiguration(
                id: "loser", kinds: [.sleep], concurrency: 1, lease: .seconds(3), heartbeatInterval: .milliseconds(200)
            ))
            let running = Task { try await worker.run() }
            try await eventually("the job to start") { await runner.started == [id] }

            // An operator cancels it; the next heartbeat notices and the runner is cancelled.
            try await db.queue.cancel(ids: [id])
            try await eventually("the runner to be cancelled") { await runner.cancelled == [id] }
            try await eventually("the worker to let go of the job") { await worker.heldJobIDs().isEmpty }
            #expect(await worker.leaseLosses() == 1)
            let row = try await db.row(id)
            #expect(row.state == "cancelled")
            #expect(row.result == nil && row.lastError == nil, "the abandoned job wrote nothing")
            worker.stop()
            try await running.value
        }
    }

    @Test("at shutdown a worker finishes what fits in the grace period and releases the rest")
    func shutdownFinishesOrReleases() async throws {
        try await TestDatabase.with { (db: TestDatabase) async throws in
            let quick = try #require(try await db.queue.enqueue([NewJob(kind: .sleep, firstBlock: 0, lastBlock: 0, payload: #"{"seconds":0.3}"#)]).first)
            let slow = try #require(try await db.queue.enqueue([NewJob(kind: .sleep, firstBlock: 1, lastBlock: 1, payload: #"{"seconds":60}"#)]).first)
            let worker = makeWorker(db, runners: WorkerService.drillRunners, configuration: WorkerConfiguration(
                id: "graceful", kinds: [.sleep], concurrency: 2, shutdownGrace: .seconds(1.5)
            ))
            let running = Task { try await worker.run() }
            try await eventually("both jobs to be held") { await worker.heldJobIDs() == [quick, slow] }
            worker.stop()
            try await running.value
            #expect(try await db.row(quick).state == "succeeded")
            let released = try await db.row(slow)
            #expect(released.state == "pending" && released.attempts == 0)
            #expect(try await db.queue.claim(kinds: [.sleep], limit: 1, owner: "next", lease: .seconds(30)).first?.id == slow)
        }
    }
}

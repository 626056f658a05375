// The worker when its database connection goes silent or is cut, through a TCP proxy to a real PostgreSQL.

import Foundation
import Logging
import PostgresNIO
import Shared
import Synchronization
import Testing

/// A gate tasks wait on, ignoring cancellation, until the test opens it.
actor Gate {
    private var open = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func wait() async {
        if open { return }
        await withCheckedContinuation { waiters.append($0) }
    }

    func openGate() {
        open = true
        for waiter in waiters { waiter.resume() }
        waiters = []
    }
}

/// Set once the worker's `run()` has returned, so a test can wait for it with a deadline.
final class Finished: Sendable {
    private let flag = Atomic<Bool>(false)
    var value: Bool { flag.load(ordering: .relaxed) }
    func set() { flag.store(true, ordering: .relaxed) }
}

/// A runner that calls `atEnd` after its work and before the worker completes the job.
actor EndHookRunner: JobRunner {
    var runs = 0
    let atEnd: @Sendable () async -> Void

    init(atEnd: @escaping @Sendable () async -> Void) { self.atEnd = atEnd }

    nonisolated func run(_ job: ClaimedJob) async throws -> JobOutcome {
        await count()
        await atEnd()
        return JobOutcome(result: #"{"ran":true}"#, followUps: [NewJob(kind: .load, firstBlock: job.firstBlock, lastBlock: job.lastBlock)])
    }

    private func count() { runs += 1 }
}

/// First run: waits to be cancelled, then unwinds only when `unwind` opens. Later runs: wait for `finish`.
actor ReclaimRunner: JobRunner {
    var started: [Int64] = []
    var cancelled: [Int64] = []
    let unwind = Gate()
    let finish = Gate()

    nonisolated func run(_ job: ClaimedJob) async throws -> JobOutcome {
        if await record(job.leaseToken) {
            while !Task.isCancelled { try? await Task.sleep(for: .milliseconds(20)) }
            await recordCancel(job.leaseToken)
            await unwind.wait()
            throw CancellationError()
        }
        await finish.wait()
        return JobOutcome(result: #"{"run":"second"}"#)
    }

    private func record(_ token: Int64) -> Bool {
        started.append(token)
        return started.count == 1
    }

    private func recordCancel(_ token: Int64) { cancelled.append(token) }
}

@Suite("Worker with a failing database connection")
struct WorkerConnectionFaultTests {
    /// Runs `body` with a worker queue whose connections go through a proxy to the test's schema.
    func withProxy(_ db: TestDatabase, _ body: @Sendable (TCPProxy, JobQueue, WorkerRegistry) async throws -> Void) async throws {
        let proxy = try await TCPProxy(upstreamHost: db.configuration.host, upstreamPort: db.configuration.port)
        var configuration = db.configuration
        configuration.host = "127.0.0.1"
        configuration.port = proxy.port
        configuration.maximumConnections = 8
        do {
            try await withTaskExecutorPreference(Self.workerThread) {
                try await QueueDatabase.withClient(configuration, logger: db.logger) { client in
                    defer { proxy.cut() }
                    try await body(proxy, JobQueue(client: client, schema: db.schema, logger: db.logger), WorkerRegistry(client: client, logger: db.logger))
                }
            }
        } catch {
            await proxy.close()
            throw error
        }
        await proxy.close()
    }

    /// Runs the worker on a thread of its own: these tests time the worker's reactions, and the
    /// rest of the suite keeps the cooperative pool's threads busy with CPU-bound work.
    static let workerThread = DedicatedThreadExecutor(name: "fault-tests-worker")

    func start(_ worker: WorkerService) -> Finished {
        let finished = Finished()
        Task(executorPreference: Self.workerThread) {
            try? await worker.run()
            finished.set()
        }
        return finished
    }

    @Test("a worker whose database connection goes silent abandons its job before the lease can expire")
    func silentConnectionAbandonsJobBeforeLeaseExpiry() async throws {
        try await TestDatabase.with { (db: TestDatabase) async throws in
            let id = try #require(try await db.queue.enqueue([NewJob(kind: .sleep, firstBlock: 0, lastBlock: 0)]).first)
            try await withProxy(db) { proxy, queue, registry in
                let runner = ScriptedRunner(hold: .seconds(120))
                let worker = WorkerService(queue: queue, registry: registry, runners: [.sleep: runner], configuration: WorkerConfiguration(
                    id: "partitioned", kinds: [.sleep], concurrency: 1, lease: .seconds(12), heartbeatInterval: .milliseconds(500),
                    statementTimeout: .seconds(2)
                ), logger: db.logger)
                let finished = start(worker)
                try await eventually("the job to start", timeout: .seconds(60)) { await runner.started == [id] }
                let claimed = try #require(try await db.leaseExpiry(id))
                try await eventually("a heartbeat to extend the lease", timeout: .seconds(60)) { try await db.leaseExpiry(id).map { $0 > claimed } == true }

                // Packets now vanish both ways: no reset, no answer, every statement hangs.
                proxy.blackHole()
                let silenced = Date()
                try await eventually("the worker to stop the job", timeout: .seconds(60), every: .milliseconds(20)) { await runner.cancelled == [id] }
                // Timed by the worker's own record of giving the lease up (the instant from which
                // the job may write nothing), not by when this test got to look.
                let lost = try #require(await worker.leaseLossTimes()[id])
                // Checked on a direct connection: the lease had not run out when the worker gave it up.
                let expiry = try #require(try await db.leaseExpiry(id))
                #expect(lost < expiry, "the worker gave the lease up \(lost.timeIntervalSince(expiry)) s after it expired")
                // At most lease − margin (10 s) after the last confirmed beat, which preceded the silence.
                #expect(lost.timeIntervalSince(silenced) < 12, "gave the lease up \(lost.timeIntervalSince(silenced)) s after the connection went silent")
                try await eventually("the worker to let go of the job") { await worker.heldJobIDs().isEmpty }
                #expect(await worker.leaseLosses() == 1)
                let row = try await db.row(id)
                #expect(row.result == nil && row.lastError == nil, "the abandoned job wrote nothing")

                // A restart of the path: the worker reconnects and shuts down on time.
                proxy.cut()
                proxy.resume()
                worker.stop()
                try await eventually("the worker to stop", timeout: .seconds(15)) { finished.value }
            }
        }
    }

    @Test("a job whose connection is cut between its end and its completion completes once the database is back")
    func completionSurvivesConnectionCut() async throws {
        try await TestDatabase.with { (db: TestDatabase) async throws in
            let id = try #require(try await db.queue.enqueue([NewJob(kind: .export, firstBlock: 0, lastBlock: 9)]).first)
            try await withProxy(db) { proxy, queue, registry in
                let cutAt = Mutex<ContinuousClock.Instant?>(nil)
                // The database goes away as the work ends and comes back 5 s later, past the old
                // code's 3.5 s of completion retries.
                let runner = EndHookRunner {
                    proxy.cut()
                    proxy.resume(after: 5)
                    cutAt.withLock { $0 = .now }
                }
                let worker = WorkerService(queue: queue, registry: registry, runners: [.export: runner], configuration: WorkerConfiguration(
                    id: "restarted", kinds: [.export], concurrency: 1, lease: .seconds(30), heartbeatInterval: .seconds(1),
                    statementTimeout: .seconds(5)
                ), logger: db.logger)
                let finished = start(worker)
                try await eventually("the connection to be cut", timeout: .seconds(60)) { cutAt.withLock { $0 } != nil }
                try await eventually("the job to succeed", timeout: .seconds(60)) { try await db.row(id).state == "succeeded" }
                let row = try await db.row(id)
                #expect(row.attempts == 1 && row.lastError == nil, "the finished work was not recorded as a failed attempt")
                #expect(row.result == #"{"ran": true}"#)
                #expect(try await db.count(kind: "load") == 1, "the completion's follow-up was inserted once")
                #expect(await runner.runs == 1)
                #expect(await worker.leaseLosses() == 0)
                worker.stop()
                try await eventually("the worker to stop", timeout: .seconds(15)) { finished.value }
            }
        }
    }

    @Test("a job whose connection goes silent between its end and its completion completes once the network heals")
    func completionSurvivesSilentConnection() async throws {
        try await TestDatabase.with { (db: TestDatabase) async throws in
            let id = try #require(try await db.queue.enqueue([NewJob(kind: .export, firstBlock: 0, lastBlock: 9)]).first)
            try await withProxy(db) { proxy, queue, registry in
                let silencedAt = Mutex<ContinuousClock.Instant?>(nil)
                // Packets vanish as the work ends; 5 s later they flow again on new connections
                // (the silent ones stay silent: their bytes are lost, only closing them helps).
                let runner = EndHookRunner {
                    proxy.blackHole()
                    proxy.resume(after: 5)
                    silencedAt.withLock { $0 = .now }
                }
                let worker = WorkerService(queue: queue, registry: registry, runners: [.export: runner], configuration: WorkerConfiguration(
                    id: "healed", kinds: [.export], concurrency: 1, lease: .seconds(30), heartbeatInterval: .seconds(1),
                    statementTimeout: .seconds(5)
                ), logger: db.logger)
                let finished = start(worker)
                try await eventually("the connection to go silent", timeout: .seconds(60)) { silencedAt.withLock { $0 } != nil }
                try await eventually("the job to succeed", timeout: .seconds(60)) { try await db.row(id).state == "succeeded" }
                let row = try await db.row(id)
                #expect(row.attempts == 1 && row.lastError == nil, "the finished work was not recorded as a failed attempt")
                #expect(try await db.count(kind: "load") == 1, "the completion's follow-up was inserted once")
                #expect(await runner.runs == 1)
                worker.stop()
                try await eventually("the worker to stop", timeout: .seconds(15)) { finished.value }
            }
        }
    }

    @Test("a job re-claimed while its previous lease's task unwinds keeps its heartbeats")
    func reclaimedJobKeepsHeartbeats() async throws {
        try await TestDatabase.with { (db: TestDatabase) async throws in
            let id = try #require(try await db.queue.enqueue([NewJob(kind: .sleep, firstBlock: 0, lastBlock: 0)]).first)
            let runner = ReclaimRunner()
            let worker = WorkerService(
                queue: db.queue, registry: WorkerRegistry(client: db.client, logger: db.logger), runners: [.sleep: runner],
                configuration: WorkerConfiguration(id: "reclaimer", kinds: [.sleep], concurrency: 2, lease: .seconds(10), heartbeatInterval: .milliseconds(200), pollInterval: .milliseconds(100)),
                logger: db.logger
            )
            let finished = start(worker)
            try await eventually("the first lease's run to start") { await runner.started.count == 1 }
            let first = try await db.row(id).leaseToken

            // The lease runs out and the reaper returns the job; the same worker claims it again
            // while the first run is still unwinding.
            // (The worker's next beat may extend the lease between the two statements: try again.)
            try await eventually("the reaper to return the job") {
                try await db.expireLease(id)
                return try await db.queue.reapExpiredLeases().map(\.id) == [id]
            }
            try await eventually("the second lease's run to start and the first to be stopped") {
                let (started, cancelled) = (await runner.started, await runner.cancelled)
                return started.count == 2 && cancelled == [first]
            }
            let second = try await db.row(id).leaseToken
            #expect(second == first + 1)
            #expect(await worker.heldJobIDs() == [id, id], "both leases are held while the first unwinds")

            await runner.unwind.openGate()
            try await eventually("the first lease's task to end") { await worker.heldJobIDs() == [id] }
            // The second lease is still beaten: its expiry moves on.
            let before = try #require(try await db.leaseExpiry(id))
            try await eventually("a heartbeat of the second lease") { try await db.leaseExpiry(id).map { $0 > before } == true }
            #expect(await worker.leaseLosses() == 1)

            await runner.finish.openGate()
            try await eventually("the job to succeed under the second lease") { try await db.row(id).state == "succeeded" }
            let row = try await db.row(id)
            #expect(row.leaseToken == second && row.attempts == 2)
            worker.stop()
            try await eventually("the worker to stop") { finished.value }
        }
    }
}

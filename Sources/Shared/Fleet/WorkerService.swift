// The worker: claims jobs, runs them, keeps their leases alive, and shuts down gracefully.

import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// One worker process's job loop, as a `Service`.
///
/// - Claims up to its free slots in one statement whenever it is woken: by NOTIFY, by a finished
///   job, or by the jittered poll timer (the fallback when notifications are lost).
/// - Jobs, the LISTEN listener, heartbeats and the lease watchdog are child tasks of one task group
///   (as in swift-jobs' handler), so nothing outlives `run()`.
/// - Heartbeats all held leases in one statement; a job whose lease is gone is stopped and writes
///   nothing (its fencing token would be rejected anyway). The watchdog abandons a job before its
///   lease can have expired (the claim or last extending heartbeat's send time + lease − margin),
///   whatever the database connection does; every statement has a deadline. Both run on
///   `DedicatedThreadExecutor.leases`, so busy jobs cannot make them late.
/// - On graceful shutdown (SIGTERM): stops claiming, lets held jobs run for `shutdownGrace`, then
///   stops the rest and releases them so that other workers can claim them at once.
public final class WorkerService: Service, Sendable {
    public let configuration: WorkerConfiguration
    let queue: JobQueue
    let registry: WorkerRegistry
    let runners: [JobKind: any JobRunner]
    let logger: Logger
    /// Where the worker LISTENs: the queue's client, or one of its own that reaches PostgreSQL
    /// directly when the queue's goes through a transaction-pooling PgBouncer.
    let listenClient: PostgresClient

    private let held = HeldJobs()
    private let doorbell = Doorbell()
    private let stopping = Atomic<Bool>(false)
    private let registered = Atomic<Bool>(false)
    private let claims = Atomic<Int>(0)
    private let listening = Atomic<Bool>(false)

    /// Kinds claimed: the configured kinds this worker has a runner for.
    public var servedKinds: [JobKind] { configuration.kinds.filter { runners[$0] != nil } }

    public init(
        queue: JobQueue,
        registry: WorkerRegistry,
        runners: [JobKind: any JobRunner],
        configuration: WorkerConfiguration,
        logger: Logger,
        listenClient: PostgresClient? = nil
    ) {
        self.queue = queue.with(statementTimeout: configuration.statementTimeout)
        self.listenClient = listenClient ?? queue.client
        var registry = registry
        registry.statementTimeout = configuration.statementTimeout
        self.registry = registry
        self.runners = runners
        self.configuration = configuration
        var logger = logger
        logger[metadataKey: "worker"] = "\(configuration.id)"
        self.logger = logger
    }

    /// The drill runners every worker has; export and load runners are added by the executable.
    public static let drillRunners: [JobKind: any JobRunner] = [.noop: NoopRunner(), .sleep: SleepRunner()]

    public func run() async throws {
        let kinds = servedKinds
        guard !kinds.isEmpty else {
            throw ConfigurationError(.invalidValue, setting: "BLOCKFLEET_WORKER_KINDS", "none of \(configuration.kinds.map(\.rawValue)) has a runner in this worker")
        }
        // Start-up gives up after a while (and at SIGTERM) instead of waiting for the database forever.
        try await cancelWhenGracefulShutdown { [queue, registry, configuration, logger] in
            try await withDeadline(configuration.startupTimeout, "connecting to the queue database") {
                try await SchemaMigrator(client: queue.client, logger: logger).requireCurrent()
                try await registry.register(
                    id: configuration.id, host: ProcessInfo.processInfo.hostName,
                    pid: Int(ProcessInfo.processInfo.processIdentifier), kinds: kinds, concurrency: configuration.concurrency
                )
            }
        }
        registered.store(true, ordering: .relaxed)
        FleetMetrics.gauge(FleetMetrics.jobsRunning).set(Int64(0))
        FleetMetrics.gauge(FleetMetrics.workerReady).set(Int64(1))
        logger.info("worker started", metadata: [
            "kinds": "\(kinds.map(\.rawValue).joined(separator: ","))",
            "concurrency": "\(configuration.concurrency)",
            "lease_seconds": "\(configuration.lease.seconds)",
        ])
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                if configuration.listens { group.addTask { await self.listenForWakeUps(kinds: kinds) } }
                // Lease keeping runs and sleeps on a thread of its own: jobs that keep every core
                // busy must not make heartbeats or the watchdog late.
                group.addTask(executorPreference: DedicatedThreadExecutor.leases) { await self.heartbeatLoop() }
                group.addTask(executorPreference: DedicatedThreadExecutor.leases) { await self.leaseWatchdog() }
                await self.claimLoop(kinds: kinds, jobs: &group)
                // Heartbeats go on while held jobs finish; then the helpers stop with the group.
                await self.drain()
                group.cancelAll()
            }
        } onGracefulShutdown: {
            self.stop()
        }
        do {
            let counters = await held.takeCounters()
            try await registry.heartbeat(id: configuration.id, currentJobs: [], done: counters.succeeded, failed: counters.failed)
            try await registry.markStopped(id: configuration.id)
        } catch {
            logger.warning("could not mark the worker stopped", metadata: ["error": "\(error)"])
        }
        logger.info("worker stopped")
    }

    /// Stops claiming; `run()` then drains and returns. Safe to call from any thread.
    public func stop() {
        stopping.store(true, ordering: .relaxed)
        FleetMetrics.gauge(FleetMetrics.workerReady).set(Int64(0))
        doorbell.ring()
    }

    /// Registered and claiming: what `/readyz` reports (with the database reachable).
    public var isReady: Bool { registered.load(ordering: .relaxed) && !stopping.load(ordering: .relaxed) }

    /// Ids of the jobs held right now (for status and tests); a job re-claimed while its previous
    /// lease's task unwinds appears twice.
    public func heldJobIDs() async -> [Int64] { await held.ids }

    /// Claim statements answered since start (for tests that wait for the worker to go idle).
    public var claimsMade: Int { claims.load(ordering: .relaxed) }

    /// Whether the LISTEN connection is up, so NOTIFY wakes this worker.
    public var isListening: Bool { listening.load(ordering: .relaxed) }

    /// Leases lost (or abandoned before they could expire) since start.
    public func leaseLosses() async -> Int { await held.leaseLosses }

    /// When each job's lease was last given up as lost (wall clock, to compare with the queue's
    /// `lease_expires_at`): the instant from which the job may write nothing.
    public func leaseLossTimes() async -> [Int64: Date] { await held.lossTimes }

    // MARK: Claiming

    private var isStopping: Bool { stopping.load(ordering: .relaxed) || Task.isCancelled }

    private func claimLoop(kinds: [JobKind], jobs group: inout DiscardingTaskGroup) async {
        var failures = 0
        while !isStopping {
            let free = configuration.concurrency - (await held.count)
            if free > 0 {
                do {
                    // The lease surely runs until the claim was sent + its length.
                    let sent = ContinuousClock.now
                    let jobs = try await queue.claim(kinds: kinds, limit: free, owner: configuration.id, lease: configuration.lease)
                    failures = 0
                    claims.add(1, ordering: .relaxed)
                    for job in jobs { await start(job, leaseDeadline: sent + configuration.lease, in: &group) }
                    if jobs.count == free { continue }
                } catch {
                    failures += 1
                    logger.warning("claim failed", metadata: ["error": "\(String(reflecting: error))", "consecutive": "\(failures)"])
                    let pause = configuration.backoff.delay(afterAttempt: min(failures, 6))
                    await doorbell.wait(timeout: min(pause, configuration.pollInterval))
                    continue
                }
            }
            if isStopping { break }
            await doorbell.wait(timeout: jittered(configuration.pollInterval))
        }
    }

    private func jittered(_ interval: Duration) -> Duration {
        interval * Double.random(in: 0.8...1.2)
    }

    /// Runs the job as a child task that stops (is cancelled) when `HeldJobs` fires its signal.
    private func start(_ job: ClaimedJob, leaseDeadline: ContinuousClock.Instant, in group: inout DiscardingTaskGroup) async {
        let stop = await held.add(job, leaseDeadline: leaseDeadline)
        group.addTask {
            await withTaskGroup(of: Void.self) { work in
                work.addTask { await self.execute(job) }
                work.addTask { await stop.wait() }
                await work.next()
                work.cancelAll()
            }
        }
    }

    // MARK: Running

    private func execute(_ job: ClaimedJob) async {
        var logger = self.logger
        logger[metadataKey: "job"] = "\(job.id)"
        logger[metadataKey: "kind"] = "\(job.kind)"
        logger[metadataKey: "range"] = "\(job.firstBlock)-\(job.lastBlock)"
        logger[metadataKey: "lease_token"] = "\(job.leaseToken)"
        logger[metadataKey: "attempt"] = "\(job.attempt)"
        let started = ContinuousClock.now
        FleetMetrics.gauge(FleetMetrics.jobsRunning).set(Int64(await held.count))
        var succeeded: Bool? = nil
        var ending = "failed"
        do {
            guard let runner = runners[job.kind] else {
                throw JobError(.invalidJob, "this worker has no runner for kind \(job.kind)")
            }
            let outcome = try await runner.run(job)
            guard await held.fate(of: job.lease) == .running else {
                throw CancellationError()
            }
            try await complete(JobCompletion(lease: job.lease, result: outcome.result, followUps: outcome.followUps, whenRangeDone: outcome.whenRangeDone,
                                             deferral: outcome.deferral, modelBackfill: outcome.modelBackfill, decodedCounts: outcome.decodedCounts), logger: logger)
            // A deferred job comes again: neither done nor failed in the worker's counts.
            succeeded = outcome.deferral == nil ? true : nil
            ending = outcome.deferral == nil ? "succeeded" : "deferred"
            if let deferral = outcome.deferral { logger.info("job deferred", metadata: ["seconds": "\(deferral.seconds)", "reason": "\(deferral.reason)"]) }
            if job.kind == .export { FleetMetrics.counter(FleetMetrics.blocksExported).increment(by: job.lastBlock - job.firstBlock + 1) }
            logger.debug("job succeeded", metadata: ["seconds": "\((ContinuousClock.now - started).seconds)"])
        } catch {
            switch await held.fate(of: job.lease) {
            case .lost:
                ending = "lease_lost"
                FleetMetrics.counter(FleetMetrics.leaseLosses).increment()
                logger.warning("lease lost; job abandoned without writing its result")
            case .releasing:
                ending = "released"
                logger.info("job released at shutdown")
            case .running where Task.isCancelled:
                // The whole service was cancelled (not a graceful stop): not the job's failure;
                // `drain` releases it, or the reaper once its lease expires.
                ending = "released"
                logger.info("job stopped by cancellation")
            case .running:
                if let queueError = error as? QueueError, queueError.code == .leaseLost {
                    ending = "lease_lost"
                    FleetMetrics.counter(FleetMetrics.leaseLosses).increment()
                    logger.warning("lease lost before completion; result discarded")
                } else {
                    succeeded = false
                    await recordFailure(job, error: error, logger: logger)
                }
            }
        }
        let labels = [("kind", job.kind.rawValue), ("outcome", ending)]
        FleetMetrics.counter(FleetMetrics.jobsFinished, labels).increment()
        FleetMetrics.histogram(FleetMetrics.jobDuration, labels, buckets: FleetMetrics.jobBuckets).record(ContinuousClock.now - started)
        await held.finish(job.lease, succeeded: succeeded)
        FleetMetrics.gauge(FleetMetrics.jobsRunning).set(Int64(await held.count))
        doorbell.ring()
    }

    /// Completion outlives a database restart or a cut connection: the work is done and re-doing it
    /// is the costly path, and the lease token fences the write, so retrying is safe. It retries with
    /// backoff until it lands, the queue says the lease is gone, or the watchdog stops the job as its
    /// lease nears expiry.
    private func complete(_ completion: JobCompletion, logger: Logger) async throws {
        var attempt = 0
        while true {
            attempt += 1
            do {
                try await queue.complete(completion)
                return
            } catch let error as QueueError where error.code == .leaseLost && attempt > 1 {
                // An earlier attempt may have committed with its answer lost on the way back.
                if try await queue.wasCompleted(by: completion.lease) {
                    logger.info("an earlier completion attempt had landed", metadata: ["attempts": "\(attempt)"])
                    return
                }
                throw error
            } catch let error as QueueError {
                throw error
            } catch {
                try Task.checkCancellation()
                let pause = min(Duration.milliseconds(250) * (1 << min(attempt - 1, 5)), .seconds(5))
                logger.warning("completion failed; retrying", metadata: [
                    "attempt": "\(attempt)", "retry_in_seconds": "\(pause.seconds)", "error": "\(String(reflecting: error))",
                ])
                try await Task.sleep(for: pause)
            }
        }
    }

    private func recordFailure(_ job: ClaimedJob, error: any Error, logger: Logger) async {
        do {
            let state = try await queue.fail(job, error: error, backoff: configuration.backoff)
            FleetMetrics.counter(state == .dead ? FleetMetrics.deadLettered : FleetMetrics.retries, [("kind", job.kind.rawValue)]).increment()
            logger.warning("job failed", metadata: [
                "attempt": "\(job.attempt)/\(job.maxAttempts)", "now": "\(state.rawValue)",
                "retryable": "\(error.isRetryableJobError)", "error": "\(error)",
            ])
        } catch {
            // Not recorded: the lease expires and the reaper counts the attempt.
            logger.warning("could not record the job's failure", metadata: ["error": "\(String(reflecting: error))"])
        }
    }

    // MARK: Heartbeats

    /// Extends held leases every `heartbeatInterval`, at a fixed cadence (a slow beat does not
    /// push the next one back). A beat waits at most one period (but at least 2 s, so a busy
    /// machine can still open a connection, and at most `statementTimeout`): a black-holed
    /// connection is then closed and the next beat tries a fresh one.
    private func heartbeatLoop() async {
        let beatTimeout = min(configuration.statementTimeout, max(configuration.heartbeatInterval, .seconds(2)))
        let queue = self.queue.with(statementTimeout: beatTimeout)
        var registry = self.registry
        registry.statementTimeout = beatTimeout
        var next = ContinuousClock.now + configuration.heartbeatInterval
        while !Task.isCancelled {
            do {
                try await DedicatedThreadExecutor.leases.sleep(until: next)
            } catch {
                return
            }
            next = ContinuousClock.now + configuration.heartbeatInterval
            let leases = await held.runningLeases()
            let counters = await held.takeCounters()
            let sent = ContinuousClock.now
            do {
                let lost = try await queue.heartbeat(leases, lease: configuration.lease)
                await held.extend(Set(leases).subtracting(lost), sentAt: sent, lease: configuration.lease)
                for job in await held.markLost(lost) {
                    logger.warning("lease lost; stopping the job", metadata: ["job": "\(job.id)", "range": "\(job.firstBlock)-\(job.lastBlock)"])
                }
                try await registry.heartbeat(id: configuration.id, currentJobs: await held.ids, done: counters.succeeded, failed: counters.failed)
            } catch {
                await held.restoreCounters(succeeded: counters.succeeded, failed: counters.failed)
                if Task.isCancelled { return }
                logger.warning("heartbeat failed", metadata: ["error": "\(String(reflecting: error))"])
            }
        }
    }

    /// Abandons every job whose lease may expire within the margin. Only clocks, no database, so a
    /// hung connection cannot delay it.
    private func leaseWatchdog() async {
        let margin = configuration.effectiveLeaseMargin
        while !Task.isCancelled {
            let now = ContinuousClock.now
            let abandoned = await held.abandon(expiringBefore: now + margin)
            if !abandoned.isEmpty {
                logger.error("no confirmed heartbeat for the lease minus its margin; abandoning jobs before their leases can expire", metadata: [
                    "jobs": "\(abandoned.map(\.id))", "margin_seconds": "\(margin.seconds)",
                ])
            }
            // A job claimed later has a later deadline, so the earliest one held decides the wake-up.
            var wake = now + configuration.heartbeatInterval
            if let earliest = await held.earliestDeadline { wake = min(wake, earliest - margin) }
            do {
                try await DedicatedThreadExecutor.leases.sleep(until: max(wake, now + .milliseconds(10)))
            } catch {
                return
            }
        }
    }

    // MARK: Wake-ups

    private func listenForWakeUps(kinds: [JobKind]) async {
        let names = Set(kinds.map(\.rawValue))
        var delay = Duration.seconds(1)
        while !Task.isCancelled {
            do {
                try await listenClient.withConnection { connection in
                    // Cancellation ends the wait for notifications without a round trip (UNLISTEN is
                    // sent without waiting), so a silent connection cannot hold the shutdown.
                    try await connection.listen(on: queue.channel) { notifications in
                        // Jobs may have arrived while (re)connecting.
                        listening.store(true, ordering: .relaxed)
                        defer { listening.store(false, ordering: .relaxed) }
                        doorbell.ring()
                        for try await notification in notifications {
                            if notification.payload.isEmpty || names.contains(notification.payload) {
                                doorbell.ring()
                            }
                        }
                    }
                }
            } catch {
                if Task.isCancelled { return }
                logger.debug("LISTEN connection lost; polling until it is back", metadata: ["error": "\(String(reflecting: error))"])
            }
            try? await Task.sleep(for: delay)
            delay = min(delay * 2, .seconds(30))
        }
    }

    // MARK: Shutdown

    private func drain() async {
        let deadline = ContinuousClock.now + configuration.shutdownGrace
        var waiting = await held.count
        if waiting > 0 {
            logger.info("shutting down; waiting for held jobs", metadata: ["jobs": "\(waiting)", "grace_seconds": "\(configuration.shutdownGrace.seconds)"])
        }
        while waiting > 0, ContinuousClock.now < deadline, !Task.isCancelled {
            await doorbell.wait(timeout: min(deadline - ContinuousClock.now, .milliseconds(200)))
            waiting = await held.count
        }
        let releasing = await held.beginRelease()
        guard !releasing.isEmpty else { return }
        // Let stopped tasks unwind before the jobs are handed to someone else.
        while await held.holdsAny(releasing) {
            await doorbell.wait(timeout: .milliseconds(100))
            if Task.isCancelled { break }
        }
        do {
            let released = try await queue.release(releasing, reason: "released by worker \(configuration.id) at shutdown")
            logger.info("released held jobs", metadata: ["jobs": "\(released.sorted())"])
        } catch {
            logger.warning("could not release held jobs; the reaper will return them when their leases expire", metadata: ["error": "\(String(reflecting: error))"])
        }
    }
}

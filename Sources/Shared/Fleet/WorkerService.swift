// The worker: claims jobs, runs them, keeps their leases alive, and shuts down gracefully.

import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// One worker process's job loop, as a `Service`.
///
/// - Claims up to its free slots in one statement whenever it is woken: by NOTIFY, by a finished
///   job, or by the jittered poll timer (the fallback when notifications are lost).
/// - Heartbeats all held leases in one statement; a job whose lease is gone is cancelled and
///   writes nothing (its fencing token would be rejected anyway).
/// - On graceful shutdown (SIGTERM): stops claiming, lets held jobs run for `shutdownGrace`, then
///   cancels the rest and releases them so that other workers can claim them at once.
public final class WorkerService: Service, Sendable {
    public let configuration: WorkerConfiguration
    let queue: JobQueue
    let registry: WorkerRegistry
    let runners: [JobKind: any JobRunner]
    let logger: Logger

    private let held = HeldJobs()
    private let doorbell = Doorbell()
    private let stopping = Atomic<Bool>(false)
    private let registered = Atomic<Bool>(false)

    /// Kinds claimed: the configured kinds this worker has a runner for.
    public var servedKinds: [JobKind] { configuration.kinds.filter { runners[$0] != nil } }

    public init(
        queue: JobQueue,
        registry: WorkerRegistry,
        runners: [JobKind: any JobRunner],
        configuration: WorkerConfiguration,
        logger: Logger
    ) {
        self.queue = queue
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
        let listener = Task { await self.listenForWakeUps(kinds: kinds) }
        let heartbeater = Task { await self.heartbeatLoop() }

        await withGracefulShutdownHandler {
            await self.claimLoop(kinds: kinds)
        } onGracefulShutdown: {
            self.stop()
        }

        listener.cancel()
        await drain()
        heartbeater.cancel()
        await heartbeater.value
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
        Task { await doorbell.ring() }
    }

    /// Registered and claiming: what `/readyz` reports (with the database reachable).
    public var isReady: Bool { registered.load(ordering: .relaxed) && !stopping.load(ordering: .relaxed) }

    /// Ids of the jobs held right now (for status and tests).
    public func heldJobIDs() async -> [Int64] { await held.ids }

    /// Leases lost since start.
    public func leaseLosses() async -> Int { await held.leaseLosses }

    // MARK: Claiming

    private var isStopping: Bool { stopping.load(ordering: .relaxed) || Task.isCancelled }

    private func claimLoop(kinds: [JobKind]) async {
        var failures = 0
        while !isStopping {
            let free = configuration.concurrency - (await held.count)
            if free > 0 {
                do {
                    let jobs = try await queue.claim(kinds: kinds, limit: free, owner: configuration.id, lease: configuration.lease)
                    failures = 0
                    for job in jobs { await start(job) }
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

    private func start(_ job: ClaimedJob) async {
        await held.add(job)
        let task = Task { await self.execute(job) }
        await held.attach(task, to: job.id)
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
            guard await held.fate(of: job.id) == .running else {
                throw CancellationError()
            }
            try await completeWithRetries(JobCompletion(lease: job.lease, result: outcome.result, followUps: outcome.followUps, whenRangeDone: outcome.whenRangeDone))
            succeeded = true
            ending = "succeeded"
            if job.kind == .export { FleetMetrics.counter(FleetMetrics.blocksExported).increment(by: job.lastBlock - job.firstBlock + 1) }
            logger.debug("job succeeded", metadata: ["seconds": "\((ContinuousClock.now - started).seconds)"])
        } catch {
            switch await held.fate(of: job.id) {
            case .lost:
                ending = "lease_lost"
                FleetMetrics.counter(FleetMetrics.leaseLosses).increment()
                logger.warning("lease lost; job abandoned without writing its result")
            case .releasing:
                ending = "released"
                logger.info("job released at shutdown")
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
        await held.finish(job.id, succeeded: succeeded)
        FleetMetrics.gauge(FleetMetrics.jobsRunning).set(Int64(await held.count))
        await doorbell.ring()
    }

    /// Completion survives a short database hiccup: the work is done, re-doing it is the costly path.
    private func completeWithRetries(_ completion: JobCompletion) async throws {
        var attempt = 0
        while true {
            attempt += 1
            do {
                try await queue.complete(completion)
                return
            } catch let error as QueueError {
                throw error
            } catch {
                guard attempt < 4 else { throw error }
                logger.warning("completion failed; retrying", metadata: ["job": "\(completion.lease.id)", "error": "\(String(reflecting: error))"])
                try await Task.sleep(for: .milliseconds(250 * (1 << attempt)))
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

    private func heartbeatLoop() async {
        var lastSuccess = ContinuousClock.now
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: configuration.heartbeatInterval)
            } catch {
                return
            }
            let leases = await held.runningLeases()
            let counters = await held.takeCounters()
            do {
                let lost = try await queue.heartbeat(leases, lease: configuration.lease)
                lastSuccess = ContinuousClock.now
                for job in await held.markLost(Set(lost.map(\.id))) {
                    logger.warning("lease lost; stopping the job", metadata: ["job": "\(job.id)", "range": "\(job.firstBlock)-\(job.lastBlock)"])
                }
                try await registry.heartbeat(id: configuration.id, currentJobs: await held.ids, done: counters.succeeded, failed: counters.failed)
            } catch {
                await held.restoreCounters(succeeded: counters.succeeded, failed: counters.failed)
                logger.warning("heartbeat failed", metadata: ["error": "\(String(reflecting: error))"])
                if ContinuousClock.now - lastSuccess > configuration.lease {
                    // The leases have expired by now and may be re-claimed elsewhere.
                    let abandoned = await held.markLost(Set(leases.map(\.id)))
                    if !abandoned.isEmpty {
                        logger.error("no heartbeat for longer than the lease; abandoning held jobs", metadata: ["jobs": "\(abandoned.map(\.id))"])
                    }
                }
            }
        }
    }

    // MARK: Wake-ups

    private func listenForWakeUps(kinds: [JobKind]) async {
        let names = Set(kinds.map(\.rawValue))
        var delay = Duration.seconds(1)
        while !Task.isCancelled {
            do {
                try await queue.client.withConnection { connection in
                    try await connection.listen(on: queue.channel) { notifications in
                        // Jobs may have arrived while (re)connecting.
                        await doorbell.ring()
                        for try await notification in notifications {
                            if notification.payload.isEmpty || names.contains(notification.payload) {
                                await doorbell.ring()
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
        while waiting > 0, ContinuousClock.now < deadline {
            await doorbell.wait(timeout: min(deadline - ContinuousClock.now, .milliseconds(200)))
            waiting = await held.count
        }
        let releasing = await held.beginRelease()
        guard !releasing.isEmpty else { return }
        // Let cancelled tasks unwind before the jobs are handed to someone else.
        for (_, task) in releasing { await task?.value }
        do {
            let released = try await queue.release(releasing.map(\.0), reason: "released by worker \(configuration.id) at shutdown")
            logger.info("released held jobs", metadata: ["jobs": "\(released.sorted())"])
        } catch {
            logger.warning("could not release held jobs; the reaper will return them when their leases expire", metadata: ["error": "\(String(reflecting: error))"])
        }
    }
}

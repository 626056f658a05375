// The coordinator's leader duties — reaping and pruning — run by one replica at a time.

import Logging
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// Runs the reaper and pruner while this replica holds the leadership advisory lock.
///
/// The lock is a session lock on one connection kept for the whole term: if the leader's process
/// or connection dies, Postgres frees the lock and another replica takes over within
/// `electionInterval`. Every tick first checks the connection, so a leader that lost it stops.
public final class LeaderService: Service, Sendable {
    let queue: JobQueue
    let registry: WorkerRegistry
    let configuration: CoordinatorConfiguration
    let logger: Logger
    private let leading = Atomic<Bool>(false)

    public init(queue: JobQueue, registry: WorkerRegistry, configuration: CoordinatorConfiguration, logger: Logger) {
        self.queue = queue
        self.registry = registry
        self.configuration = configuration
        self.logger = logger
    }

    /// Whether this replica is the leader now.
    public var isLeader: Bool { leading.load(ordering: .relaxed) }

    public func run() async throws {
        try await cancelWhenGracefulShutdown { [queue, logger] in
            try await withDeadline(.seconds(30), "connecting to the queue database") {
                try await SchemaMigrator(client: queue.client, logger: logger).requireCurrent()
            }
        }
        await cancelWhenGracefulShutdown {
            await self.campaign()
        }
    }

    private func campaign() async {
        while !Task.isCancelled {
            do {
                try await queue.client.withConnection { connection in
                    try await self.leadIfElected(on: connection)
                }
            } catch where !Task.isCancelled {
                logger.warning("leader loop failed", metadata: ["error": "\(String(reflecting: error))"])
            } catch {
                return
            }
            try? await Task.sleep(for: configuration.electionInterval)
        }
    }

    private func leadIfElected(on connection: PostgresConnection) async throws {
        var elected = false
        for try await granted in try await connection.checkedQuery(QueueSQL.tryLeadership, logger: logger).decode(Bool.self) {
            elected = granted
        }
        guard elected else { return }
        leading.store(true, ordering: .relaxed)
        logger.info("became leader: reaping and pruning")
        defer { leading.store(false, ordering: .relaxed) }
        do {
            var lastPrune: ContinuousClock.Instant?
            while !Task.isCancelled {
                try await connection.checkedQuery("SELECT 1", logger: logger)
                try await reapOnce()
                if lastPrune.map({ ContinuousClock.now - $0 >= configuration.pruneInterval }) ?? true {
                    try await pruneOnce()
                    lastPrune = ContinuousClock.now
                }
                try await Task.sleep(for: configuration.reapInterval)
            }
        } catch {
            // Give the lock back before the connection returns to the pool (a closed connection
            // has lost it already).
            _ = try? await connection.checkedQuery(QueueSQL.releaseLeadership, logger: logger)
            if !(error is CancellationError) { throw error }
            logger.info("stepped down as leader")
            return
        }
        _ = try? await connection.checkedQuery(QueueSQL.releaseLeadership, logger: logger)
    }

    /// One reaper pass; returns what was reaped.
    @discardableResult
    public func reapOnce() async throws -> [ReapedJob] {
        let reaped = try await queue.reapExpiredLeases()
        for job in reaped {
            logger.warning("reaped an expired lease", metadata: ["job": "\(job.id)", "kind": "\(job.kind)", "owner": "\(job.owner)", "now": "\(job.state.rawValue)"])
        }
        return reaped
    }

    public func pruneOnce() async throws {
        let pruned = try await queue.pruneFinished(olderThan: configuration.jobRetention)
        try await registry.prune(olderThan: configuration.workerRetention)
        if pruned > 0 { logger.info("pruned finished jobs", metadata: ["count": "\(pruned)"]) }
    }
}

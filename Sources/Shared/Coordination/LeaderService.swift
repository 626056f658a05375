// The coordinator's leader duties — reaping, pruning, the reorg guard, follow mode — run by one replica at a time.

import Logging
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// Runs the reaper, the pruner, the reorg guard and (when configured) follow mode while this
/// replica holds the leadership advisory lock.
///
/// Follow mode runs as a child task of its own beside the reaper: reading the nodes can take up
/// to the RPC timeout per step, and a slow or stalled node must never hold up reaping or the reorg
/// guard for the whole fleet.
///
/// The lock is a session lock on one connection kept for the whole term: if the leader's process
/// or connection dies, Postgres frees the lock and another replica takes over within
/// `electionInterval`. Every tick first checks the connection, so a leader that lost it stops.
public final class LeaderService: Service, Sendable {
    let queue: JobQueue
    let registry: WorkerRegistry
    let configuration: CoordinatorConfiguration
    let logger: Logger
    let follow: FollowPlanner?
    private let leading = Atomic<Bool>(false)
    /// When the campaign or the reaper loop last went round: `/healthz` fails when it is older
    /// than `configuration.effectiveLivenessBound` (a query that never returns wedges the loop).
    private let lastBeat = Mutex<ContinuousClock.Instant>(.now)

    public init(queue: JobQueue, registry: WorkerRegistry, configuration: CoordinatorConfiguration, logger: Logger, follow: FollowPlanner? = nil) {
        self.queue = queue
        self.registry = registry
        self.configuration = configuration
        self.logger = logger
        self.follow = follow
    }

    /// Whether this replica is the leader now.
    public var isLeader: Bool { leading.load(ordering: .relaxed) }

    /// Nil while the leader loop goes round; otherwise why the process is not live (for `/healthz`).
    public func liveness() -> String? {
        let silent = ContinuousClock.now - lastBeat.withLock { $0 }
        let bound = configuration.effectiveLivenessBound
        guard silent > bound else { return nil }
        return "the leader loop has not gone round for \(Int(silent.seconds)) s (bound \(bound.seconds) s)"
    }

    private func beat() { lastBeat.withLock { $0 = .now } }

    private func setLeading(_ value: Bool) {
        leading.store(value, ordering: .relaxed)
        FleetMetrics.gauge(FleetMetrics.leader).set(Int64(value ? 1 : 0))
    }

    public func run() async throws {
        setLeading(false)
        beat()
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
            beat()
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
        setLeading(true)
        let chain = follow.map { $0.plans ? ", following the chain" : ", watching the chain head" } ?? ""
        logger.info("became leader: reaping, pruning, guarding against reorgs\(chain)")
        defer { setLeading(false) }
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await self.keepQueue(on: connection) }
                if let follow { group.addTask { try await self.followChain(follow) } }
                // Both loops run until cancelled; the first to fail ends the term for both.
                _ = try await group.next()
                group.cancelAll()
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

    /// Reaping, the reorg guard and pruning, on the connection that holds the lock.
    private func keepQueue(on connection: PostgresConnection) async throws {
        var lastPrune: ContinuousClock.Instant?
        // The first check of a term compares every pair; later ones only recently finished work.
        var reorgWindow = Duration.seconds(100 * 365 * 86_400)
        while !Task.isCancelled {
            beat()
            try await connection.checkedQuery("SELECT 1", logger: logger)
            try await reapOnce()
            try await checkReorgsOnce(window: reorgWindow)
            reorgWindow = configuration.reapInterval * 4 + .seconds(60)
            if lastPrune.map({ ContinuousClock.now - $0 >= configuration.pruneInterval }) ?? true {
                try await pruneOnce()
                lastPrune = ContinuousClock.now
            }
            try await Task.sleep(for: configuration.reapInterval)
        }
    }

    /// Follow mode's steps, one per interval. A queue error ends the term; the nodes being
    /// unreachable (or slow, up to the RPC timeout) is logged and tried again next interval.
    private func followChain(_ follow: FollowPlanner) async throws {
        while !Task.isCancelled {
            let started = ContinuousClock.now
            do {
                try await follow.step()
            } catch let error as QueueError {
                throw error
            } catch where !Task.isCancelled {
                logger.warning("follow: could not read the chain", metadata: ["error": "\(error)"])
            }
            try await Task.sleep(for: max(.milliseconds(10), follow.configuration.interval - (ContinuousClock.now - started)))
        }
    }

    /// One reaper pass; returns what was reaped.
    @discardableResult
    public func reapOnce() async throws -> [ReapedJob] {
        let reaped = try await queue.reapExpiredLeases()
        if !reaped.isEmpty { FleetMetrics.counter(FleetMetrics.reapedLeases).increment(by: Int64(reaped.count)) }
        for job in reaped {
            logger.warning("reaped an expired lease", metadata: ["job": "\(job.id)", "kind": "\(job.kind)", "owner": "\(job.owner)", "now": "\(job.state.rawValue)"])
        }
        return reaped
    }

    /// One reorg-guard pass over export pairs finished within `window`.
    @discardableResult
    public func checkReorgsOnce(window: Duration) async throws -> [ReorgRecord] {
        let found = try await queue.checkReorgs(finishedWithin: window)
        for reorg in found {
            FleetMetrics.counter(FleetMetrics.reorgMismatches).increment()
            logger.error("reorg guard: parent hash mismatch; both ranges flagged for re-export", metadata: [
                "block": "\(reorg.boundaryBlock)", "earlier_job": "\(reorg.earlierJob)", "later_job": "\(reorg.laterJob)",
                "expected_parent": "\(reorg.expectedParent)", "found_parent": "\(reorg.foundParent)",
            ])
        }
        return found
    }

    public func pruneOnce() async throws {
        let pruned = try await queue.pruneFinished(olderThan: configuration.jobRetention)
        try await registry.prune(olderThan: configuration.workerRetention)
        if pruned > 0 { logger.info("pruned finished jobs", metadata: ["count": "\(pruned)"]) }
    }
}

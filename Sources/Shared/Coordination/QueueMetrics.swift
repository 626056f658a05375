// The coordinator's gauges read from the database: queue depth, progress, workers, reorgs, lag.

import Foundation
import Logging
import Synchronization

/// Refreshes the database-backed gauges when `/metrics` is scraped, at most once a second so
/// several scrapers cost the database one round of queries.
public actor QueueMetrics {
    let queue: JobQueue
    let registry: WorkerRegistry
    let staleAfter: Double
    private var lastRefresh: ContinuousClock.Instant?
    private var seenKinds: Set<String> = []

    /// The chain's head and planning target as follow mode last read them (nil until then).
    public nonisolated let chainTip = Mutex<ChainTip?>(nil)

    public init(queue: JobQueue, registry: WorkerRegistry, staleAfterSeconds: Double = 120) {
        self.queue = queue
        self.registry = registry
        self.staleAfter = staleAfterSeconds
    }

    public func refresh() async {
        if let lastRefresh, ContinuousClock.now - lastRefresh < .seconds(1) { return }
        lastRefresh = ContinuousClock.now
        do {
            try await refreshNow()
        } catch {
            queue.logger.warning("could not read the queue for /metrics", metadata: ["error": "\(String(reflecting: error))"])
        }
    }

    func refreshNow() async throws {
        let depth = try await queue.depth()
        let paused = Set(try await queue.pausedKinds().map(\.rawValue))
        seenKinds.formUnion(depth.map(\.kind))
        seenKinds.formUnion(paused)
        for kind in seenKinds.sorted() {
            // Every state is set, so a state that empties drops to 0 instead of keeping its last value.
            for state in JobState.allCases {
                let count = depth.first { $0.kind == kind && $0.state == state.rawValue }?.count ?? 0
                FleetMetrics.gauge(FleetMetrics.queueJobs, [("kind", kind), ("state", state.rawValue)]).set(count)
            }
            let oldest = depth.filter { $0.kind == kind }.map(\.oldestReadySeconds).max() ?? 0
            FleetMetrics.gauge(FleetMetrics.queueOldestReadyAge, [("kind", kind)]).set(oldest)
            FleetMetrics.gauge(FleetMetrics.kindPaused, [("kind", kind)]).set(Int64(paused.contains(kind) ? 1 : 0))
        }
        let progress = try await queue.exportProgress()
        FleetMetrics.gauge(FleetMetrics.plannedLastBlock).set(progress.lastBlock)
        FleetMetrics.gauge(FleetMetrics.exportedBlocks).set(progress.exportedBlocks)
        FleetMetrics.gauge(FleetMetrics.plannedBlocks).set(progress.plannedBlocks)
        let lastExported = try await queue.lastContiguousExport()
        FleetMetrics.gauge(FleetMetrics.exportedLastBlock).set(lastExported)
        if let tip = chainTip.withLock({ $0 }) {
            FleetMetrics.gauge(FleetMetrics.chainHead).set(Int64(clamping: tip.head))
            FleetMetrics.gauge(FleetMetrics.chainFinalized).set(Int64(clamping: tip.target))
            FleetMetrics.gauge(FleetMetrics.exportLag).set(tip.lag(after: lastExported))
        }
        var states = ["live": 0, "stale": 0, "stopped": 0]
        for worker in try await registry.list() { states[worker.state(staleAfter: staleAfter), default: 0] += 1 }
        for (state, count) in states { FleetMetrics.gauge(FleetMetrics.workers, [("state", state)]).set(Int64(count)) }
        FleetMetrics.gauge(FleetMetrics.reorgEvents).set(try await queue.reorgCount())
    }
}

extension WorkerRecord {
    /// `stopped` (exited cleanly), `stale` (not seen for `staleAfter` seconds) or `live`.
    public func state(staleAfter: Double = 120) -> String {
        stoppedAt != nil ? "stopped" : (secondsSinceSeen > staleAfter ? "stale" : "live")
    }
}

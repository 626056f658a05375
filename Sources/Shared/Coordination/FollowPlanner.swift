// Follow mode: plan export ranges up to the chain's finalized block, resuming where planning stopped.

import Logging

/// One follow step reads the chain tip and plans `[highest planned + 1, target]`. The resume
/// point comes from the jobs table (export jobs are never pruned), so a restarted or newly elected
/// coordinator carries on where the last one stopped, and planning is idempotent anyway.
public struct FollowPlanner: Sendable {
    public let queue: JobQueue
    public let reader: ChainHeadReader
    public let configuration: FollowConfiguration
    let logger: Logger
    let onTip: @Sendable (ChainTip) -> Void
    /// False: only read the tip, for head and lag metrics without follow mode (`serve` with nodes
    /// configured but no `--follow`).
    public let plans: Bool

    public init(
        queue: JobQueue, reader: ChainHeadReader, configuration: FollowConfiguration, logger: Logger,
        plans: Bool = true, onTip: @escaping @Sendable (ChainTip) -> Void = { _ in }
    ) {
        self.queue = queue
        self.reader = reader
        self.configuration = configuration
        self.logger = logger
        self.plans = plans
        self.onTip = onTip
    }

    /// Reads the chain and plans what became safe; returns the plan made, or nil when there was nothing new.
    @discardableResult
    public func step() async throws -> PlanResult? {
        let tip = try await reader.read()
        onTip(tip)
        guard plans else { return nil }
        let entities = ExportEntity.listText(configuration.entities)
        let highest = try await queue.highestPlannedExport(entities: entities)
        let next = max(highest.map { $0 == .max ? $0 : $0 + 1 } ?? configuration.fromBlock, configuration.fromBlock)
        // Clamped, not converted: a node may answer any 64-bit number, and 2⁶³ or more would trap.
        let target = min(Int64(clamping: tip.target), configuration.lastBlockOfStep(from: next))
        guard target >= next, highest != .max else { return nil }
        let request = try PlanRequest(
            kind: .export, from: next, to: target, chunkSize: configuration.chunkSize,
            entities: configuration.entities, priority: configuration.priority
        )
        let result = try await queue.plan(request)
        FleetMetrics.counter(FleetMetrics.plannedJobs).increment(by: Int64(result.inserted))
        logger.info("follow: planned new blocks", metadata: [
            "range": "\(next)-\(target)", "capped": "\(target < Int64(clamping: tip.target))", "jobs": "\(result.inserted)", "head": "\(tip.head)",
            "finalized": "\(tip.finalized.map(String.init) ?? "none (head - \(reader.confirmations))")",
        ])
        return result
    }
}

// Settings of follow mode: planning new ranges as the chain advances; every field has a documented default.

/// Environment variables set them; `coordinator serve` flags override.
public struct FollowConfiguration: Sendable, Equatable {
    /// Whether `serve` follows the chain. Default false (`BLOCKFLEET_FOLLOW=true` or `--follow`).
    public var enabled: Bool
    /// First block to plan when nothing is planned yet. Default 0 (`BLOCKFLEET_FOLLOW_FROM`, `--follow-from`).
    public var fromBlock: Int64
    /// Blocks per export job. Default 100 (`BLOCKFLEET_CHUNK_SIZE`, `--chunk-size`).
    public var chunkSize: Int64
    /// Entities exported. Default blocks,transactions,receipts,logs,token_transfers (`BLOCKFLEET_ENTITIES`, `--entities`).
    public var entities: [ExportEntity]
    /// Blocks kept behind the head when the nodes have no `finalized` block. Default 64
    /// (`BLOCKFLEET_CONFIRMATIONS`, `--confirmations`): two epochs, as deep as finality on mainnet.
    public var confirmations: UInt64
    /// How often the chain is read. Default 12 s, one slot (`BLOCKFLEET_FOLLOW_SECONDS`, `--follow-seconds`).
    public var interval: Duration
    /// Priority of planned jobs. Default 100.
    public var priority: Int
    /// Export jobs one follow step may plan at most. Default 1000 (`BLOCKFLEET_FOLLOW_MAX_JOBS`):
    /// far ahead of what a fleet exports in one interval, so catching up is not slowed, while a
    /// head no replica should have reported cannot flood the queue in one step.
    public var maxJobsPerStep: Int64

    public init(
        enabled: Bool = false, fromBlock: Int64 = 0, chunkSize: Int64 = 100, entities: [ExportEntity] = ExportEntity.defaultSet,
        confirmations: UInt64 = 64, interval: Duration = .seconds(12), priority: Int = 100, maxJobsPerStep: Int64 = 1000
    ) {
        self.enabled = enabled
        self.fromBlock = fromBlock
        self.chunkSize = chunkSize
        self.entities = entities
        self.confirmations = confirmations
        self.interval = interval
        self.priority = priority
        self.maxJobsPerStep = maxJobsPerStep
    }

    /// The last block a step starting at `next` may plan: `maxJobsPerStep` chunks on (saturating).
    public func lastBlockOfStep(from next: Int64) -> Int64 {
        let (span, spanOverflow) = chunkSize.multipliedReportingOverflow(by: max(maxJobsPerStep, 1))
        let (last, lastOverflow) = next.addingReportingOverflow(spanOverflow ? .max : span - 1)
        return spanOverflow || lastOverflow ? .max : last
    }

    public init(environment: Environment) throws(ConfigurationError) {
        self.init()
        if let follow = try environment.bool("BLOCKFLEET_FOLLOW") { enabled = follow }
        if let from = try environment.int("BLOCKFLEET_FOLLOW_FROM", range: 0...Int(Int64.max)) { fromBlock = Int64(from) }
        if let chunk = try environment.int("BLOCKFLEET_CHUNK_SIZE", range: 1...10_000_000) { chunkSize = Int64(chunk) }
        if let text = environment.string("BLOCKFLEET_ENTITIES") {
            do {
                entities = try ExportEntity.parseList(text)
            } catch {
                throw ConfigurationError(.invalidValue, setting: environment.setting("BLOCKFLEET_ENTITIES"), "\(error)")
            }
        }
        if let confirmations = try environment.int("BLOCKFLEET_CONFIRMATIONS", range: 0...100_000) { self.confirmations = UInt64(confirmations) }
        if let interval = try environment.seconds("BLOCKFLEET_FOLLOW_SECONDS", range: 0.05...3600) { self.interval = interval }
        if let jobs = try environment.int("BLOCKFLEET_FOLLOW_MAX_JOBS", range: 1...1_000_000) { maxJobsPerStep = Int64(jobs) }
    }
}

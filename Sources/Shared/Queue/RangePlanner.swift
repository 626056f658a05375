// Splitting a block span into job ranges, skipping what is already planned.

/// Cuts `[from, to]` into ranges on a fixed grid of `chunkSize` blocks (boundaries at multiples of
/// the chunk size), leaving out blocks that existing jobs already cover.
///
/// The grid makes planning idempotent: planning `0…999` then `500…1499` with chunk 100 produces the
/// same `500…599` range both times, and the queue's unique key drops the duplicate. Blocks covered by
/// jobs of another grid (an earlier plan with another chunk size) are subtracted, so overlapping
/// plans add only what is missing.
public enum RangePlanner {
    public static func ranges(
        from first: Int64,
        to last: Int64,
        chunkSize: Int64,
        excluding covered: [ClosedRange<Int64>] = []
    ) -> [ClosedRange<Int64>] {
        precondition(first <= last && chunkSize > 0 && first >= 0, "validated by PlanRequest")
        var result: [ClosedRange<Int64>] = []
        for gap in uncovered(first...last, by: covered) {
            var start = gap.lowerBound
            while start <= gap.upperBound {
                let gridEnd = (start / chunkSize + 1) * chunkSize - 1
                let end = min(gridEnd, gap.upperBound)
                result.append(start...end)
                if end == Int64.max { break }
                start = end + 1
            }
        }
        return result
    }

    /// The parts of `span` that none of `covered` contains, in order.
    public static func uncovered(_ span: ClosedRange<Int64>, by covered: [ClosedRange<Int64>]) -> [ClosedRange<Int64>] {
        var gaps: [ClosedRange<Int64>] = []
        var cursor = span.lowerBound
        var done = false
        for range in covered.sorted(by: { $0.lowerBound < $1.lowerBound }) where !done {
            if range.upperBound < cursor { continue }
            if range.lowerBound > span.upperBound { break }
            if range.lowerBound > cursor {
                gaps.append(cursor...(range.lowerBound - 1))
            }
            if range.upperBound >= span.upperBound {
                done = true
            } else {
                cursor = max(cursor, range.upperBound + 1)
            }
        }
        if !done, cursor <= span.upperBound {
            gaps.append(cursor...span.upperBound)
        }
        return gaps
    }
}

/// A validated `coordinator plan` request.
public struct PlanRequest: Sendable, Equatable {
    public let kind: JobKind
    public let firstBlock: Int64
    public let lastBlock: Int64
    public let chunkSize: Int64
    public let entities: [ExportEntity]
    public let priority: Int
    public let maxAttempts: Int
    public let payload: String

    /// The largest range one plan call may cover; a typo like an extra zero should not insert 10⁸ jobs.
    public static let maximumJobsPerPlan: Int64 = 5_000_000

    public init(
        kind: JobKind = .export,
        from firstBlock: Int64,
        to lastBlock: Int64,
        chunkSize: Int64,
        entities: [ExportEntity] = ExportEntity.defaultSet,
        priority: Int = 100,
        maxAttempts: Int = 5,
        payload: String = "{}"
    ) throws(QueueError) {
        guard firstBlock >= 0 else {
            throw QueueError(.invalidArgument, "--from must be a block number ≥ 0, got \(firstBlock)")
        }
        guard firstBlock <= lastBlock else {
            throw QueueError(.invalidArgument, "--from (\(firstBlock)) must not be greater than --to (\(lastBlock))")
        }
        guard chunkSize > 0 else {
            throw QueueError(.invalidArgument, "--chunk-size must be greater than 0, got \(chunkSize)")
        }
        guard maxAttempts > 0 else {
            throw QueueError(.invalidArgument, "--max-attempts must be greater than 0, got \(maxAttempts)")
        }
        let (span, overflow) = (lastBlock - firstBlock).addingReportingOverflow(1)
        guard !overflow, span / chunkSize <= Self.maximumJobsPerPlan else {
            throw QueueError(.invalidArgument, "blocks \(firstBlock)…\(lastBlock) in chunks of \(chunkSize) would be more than \(Self.maximumJobsPerPlan) jobs; plan in parts or use a larger --chunk-size")
        }
        if kind == .export, entities.isEmpty {
            throw QueueError(.invalidArgument, "an export plan needs at least one entity")
        }
        self.kind = kind
        self.firstBlock = firstBlock
        self.lastBlock = lastBlock
        self.chunkSize = chunkSize
        self.entities = entities
        self.priority = priority
        self.maxAttempts = maxAttempts
        self.payload = payload
    }

    public var entitiesText: String { kind == .export ? ExportEntity.listText(entities) : "" }
}

// Planning: a block span cut into job ranges, adding only what is not planned yet.

import Logging
import PostgresNIO

/// What one plan call did.
public struct PlanResult: Sendable, Equatable, Codable {
    /// Jobs inserted by this call.
    public let inserted: Int
    /// Blocks in the span that were already covered by jobs.
    public let alreadyPlannedBlocks: Int64
    public let firstBlock: Int64
    public let lastBlock: Int64
}

extension JobQueue {
    /// Plans `request`'s span. Under the planning lock, it reads the ranges that already cover the
    /// span for the same kind and entity set, and inserts chunks for the rest only.
    @discardableResult
    public func plan(_ request: PlanRequest) async throws -> PlanResult {
        try await client.inTransaction(logger: logger) { connection in
            try await connection.checkedQuery(QueueSQL.lockForPlanning, logger: logger)
            var covered: [ClosedRange<Int64>] = []
            let rows = try await connection.checkedQuery(
                QueueSQL.coveredRanges(kind: request.kind.rawValue, entities: request.entitiesText, first: request.firstBlock, last: request.lastBlock),
                logger: logger
            )
            for try await (first, last) in rows.decode((Int64, Int64).self) { covered.append(first...last) }
            let ranges = RangePlanner.ranges(from: request.firstBlock, to: request.lastBlock, chunkSize: request.chunkSize, excluding: covered)
            let jobs = ranges.map {
                NewJob(
                    kind: request.kind, firstBlock: $0.lowerBound, lastBlock: $0.upperBound, entities: request.entitiesText,
                    payload: request.payload, priority: request.priority, maxAttempts: request.maxAttempts
                )
            }
            let inserted = try await JobQueue.insert(jobs, on: connection, channel: channel, logger: logger)
            let span = request.lastBlock - request.firstBlock + 1
            let planned = ranges.reduce(Int64(0)) { $0 + ($1.upperBound - $1.lowerBound + 1) }
            return PlanResult(inserted: inserted.count, alreadyPlannedBlocks: span - planned, firstBlock: request.firstBlock, lastBlock: request.lastBlock)
        }
    }
}

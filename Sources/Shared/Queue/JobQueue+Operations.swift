// Read-outs and actions for operators: throughput, gaps, forced re-export, follow mode, reorg guard.

import Foundation
import Logging
import PostgresNIO

/// A block span with something missing.
public struct BlockGap: Sendable, Codable, Equatable {
    public let firstBlock: Int64
    public let lastBlock: Int64
    /// For load gaps: the entity (table) and the load job's state.
    public let entity: String?
    public let state: String?

    public init(firstBlock: Int64, lastBlock: Int64, entity: String? = nil, state: String? = nil) {
        self.firstBlock = firstBlock
        self.lastBlock = lastBlock
        self.entity = entity
        self.state = state
    }

    public var blocks: Int64 { lastBlock - firstBlock + 1 }
}

/// Export throughput over a recent window.
public struct ExportRate: Sendable, Codable, Equatable {
    /// The span the rate is measured over: the configured window, or less when the work in it began
    /// later (a run 20 s old is timed over 20 s, not 5 minutes).
    public let windowSeconds: Double
    public let jobs: Int64
    public let blocks: Int64
    /// Seconds since an export job last finished; nil when none ever did.
    public let secondsSinceLastExport: Double?

    /// The shortest span a rate is measured over, so that one job finished a moment after it
    /// started does not read as thousands of blocks a second.
    public static let minimumSeconds = 1.0

    /// `window` seconds, shortened to `elapsed` (the age of the oldest job finished in it) when
    /// that is less.
    public init(window: Double, elapsed: Double? = nil, jobs: Int64, blocks: Int64, secondsSinceLastExport: Double? = nil) {
        windowSeconds = max(Self.minimumSeconds, min(window, elapsed ?? window))
        self.jobs = jobs
        self.blocks = blocks
        self.secondsSinceLastExport = secondsSinceLastExport
    }

    public init(windowSeconds: Double, jobs: Int64, blocks: Int64) {
        self.init(window: windowSeconds, jobs: jobs, blocks: blocks)
    }

    public var blocksPerSecond: Double { windowSeconds > 0 ? Double(blocks) / windowSeconds : 0 }
}

/// A parent-hash mismatch between two adjacent exported ranges.
public struct ReorgRecord: Sendable, Codable, Equatable {
    public let id: Int64
    public let detectedAt: Date
    public let boundaryBlock: Int64
    public let earlierJob: Int64
    public let laterJob: Int64
    public let expectedParent: String
    public let foundParent: String
}

/// A run of consecutive export ranges in one state, for the status page's picture.
public struct ExportSegment: Sendable, Codable, Equatable {
    public let firstBlock: Int64
    public let lastBlock: Int64
    public let state: String
}

extension JobQueue {
    public func exportRate(over window: Duration) async throws -> ExportRate {
        let rows = try await client.query(QueueSQL.exportRate(seconds: window.seconds), logger: logger)
        for try await (jobs, blocks, elapsed, sinceLast) in rows.decode((Int64, Int64, Double?, Double?).self) {
            return ExportRate(window: window.seconds, elapsed: elapsed, jobs: jobs, blocks: blocks, secondsSinceLastExport: sinceLast)
        }
        return ExportRate(window: window.seconds, jobs: 0, blocks: 0)
    }

    /// Workers that have not stopped and were seen within `seconds`.
    public func liveWorkerCount(seenWithin seconds: Double = 120) async throws -> Int {
        for try await count in try await client.query(QueueSQL.liveWorkerCount(seenWithinSeconds: seconds), logger: logger).decode(Int64.self) {
            return Int(count)
        }
        return 0
    }

    /// Highest block below which every planned export succeeded; -1 when none.
    public func lastContiguousExport() async throws -> Int64 {
        for try await block in try await client.query(QueueSQL.lastContiguousExport, logger: logger).decode(Int64.self) { return block }
        return -1
    }

    /// The planned export span, or nil when nothing is planned.
    public func exportSpan() async throws -> ClosedRange<Int64>? {
        for try await (first, last) in try await client.query(QueueSQL.exportSpan, logger: logger).decode((Int64?, Int64?).self) {
            if let first, let last { return first...last }
        }
        return nil
    }

    /// Spans of `span` with no succeeded export.
    public func exportGaps(in span: ClosedRange<Int64>) async throws -> [BlockGap] {
        var gaps: [BlockGap] = []
        let rows = try await client.query(QueueSQL.exportGaps(first: span.lowerBound, last: span.upperBound), logger: logger)
        for try await (first, last) in rows.decode((Int64, Int64).self) { gaps.append(BlockGap(firstBlock: first, lastBlock: last)) }
        return gaps
    }

    /// Load jobs in `span` that have not succeeded, by entity.
    public func loadGaps(in span: ClosedRange<Int64>) async throws -> [BlockGap] {
        var gaps: [BlockGap] = []
        let rows = try await client.query(QueueSQL.loadGaps(first: span.lowerBound, last: span.upperBound), logger: logger)
        for try await (entity, first, last, state) in rows.decode((String, Int64, Int64, String).self) {
            gaps.append(BlockGap(firstBlock: first, lastBlock: last, entity: entity, state: state))
        }
        return gaps
    }

    /// Sends every export job touching `span` back to pending (running ones are fenced off). Returns the ids.
    @discardableResult
    public func requeueExports(_ span: ClosedRange<Int64>, reason: String = "requeued by an operator") async throws -> [Int64] {
        try await client.inTransaction(logger: logger) { connection in
            var ids: [Int64] = []
            let rows = try await connection.checkedQuery(QueueSQL.requeueExports(first: span.lowerBound, last: span.upperBound, reason: reason), logger: logger)
            for try await id in rows.decode(Int64.self) { ids.append(id) }
            if !ids.isEmpty { try await connection.checkedQuery(QueueSQL.notify(channel: channel, kind: JobKind.export.rawValue), logger: logger) }
            return ids.sorted()
        }
    }

    /// The highest block planned for exports of `entities`, or nil when none is.
    public func highestPlannedExport(entities: String) async throws -> Int64? {
        for try await block in try await client.query(QueueSQL.highestPlanned(entities: entities), logger: logger).decode(Int64?.self) { return block }
        return nil
    }

    /// Compares the edge hashes of adjacent succeeded export ranges finished within `window`; each
    /// mismatch is recorded in `reorgs` and both ranges go back to pending, in one transaction.
    /// A boundary that has mismatched `maxAttempts` times already is not re-exported again: the
    /// later range goes to dead naming the block, since re-exporting from the same nodes keeps
    /// giving the same answer (the nodes disagree, or one is on a fork).
    @discardableResult
    public func checkReorgs(finishedWithin window: Duration, maxAttempts: Int = 3) async throws -> [ReorgRecord] {
        try await client.inTransaction(logger: logger) { connection in
            var found: [(Int64, Int64, Int64, String, String)] = []
            let rows = try await connection.checkedQuery(QueueSQL.reorgMismatches(sinceSeconds: window.seconds), logger: logger)
            for try await row in rows.decode((Int64, Int64, Int64, String, String).self) { found.append(row) }
            var records: [ReorgRecord] = []
            for (earlier, later, boundary, expected, foundParent) in found {
                var previous: Int64 = 0
                for try await count in try await connection.checkedQuery(QueueSQL.reorgsAt(boundary: boundary), logger: logger).decode(Int64.self) { previous = count }
                try await connection.checkedQuery(
                    QueueSQL.recordReorg(boundary: boundary, earlier: earlier, later: later, expected: expected, found: foundParent), logger: logger
                )
                if previous + 1 >= Int64(maxAttempts) {
                    let reason = "permanent: reorg guard: block \(boundary)'s parent hash \(foundParent) is not block \(boundary - 1)'s hash \(expected), \(previous + 1) times; check that the nodes agree on block \(boundary - 1), then `coordinator requeue --from \(boundary - 1) --to \(boundary)`"
                    try await connection.checkedQuery(QueueSQL.giveUpOnRange(id: later, reason: reason), logger: logger)
                } else {
                    let reason = "reorg guard: block \(boundary)'s parent hash \(foundParent) is not block \(boundary - 1)'s hash \(expected); re-exporting jobs \(earlier) and \(later)"
                    try await connection.checkedQuery(QueueSQL.flagForReexport(ids: [earlier, later], reason: reason), logger: logger)
                }
                records.append(ReorgRecord(id: 0, detectedAt: Date(), boundaryBlock: boundary, earlierJob: earlier, laterJob: later, expectedParent: expected, foundParent: foundParent))
            }
            if !records.isEmpty { try await connection.checkedQuery(QueueSQL.notify(channel: channel, kind: JobKind.export.rawValue), logger: logger) }
            return records
        }
    }

    public func reorgCount() async throws -> Int64 {
        for try await count in try await client.query(QueueSQL.reorgCount, logger: logger).decode(Int64.self) { return count }
        return 0
    }

    public func recentReorgs(limit: Int = 10) async throws -> [ReorgRecord] {
        var records: [ReorgRecord] = []
        let rows = try await client.query(QueueSQL.recentReorgs(limit: limit), logger: logger)
        for try await (id, at, boundary, earlier, later, expected, found) in rows.decode((Int64, Date, Int64, Int64, Int64, String, String).self) {
            records.append(ReorgRecord(id: id, detectedAt: at, boundaryBlock: boundary, earlierJob: earlier, laterJob: later, expectedParent: expected, foundParent: found))
        }
        return records
    }

    /// The export span as runs of one state (succeeded, running, pending, dead, cancelled).
    public func exportSegments() async throws -> [ExportSegment] {
        var segments: [ExportSegment] = []
        for try await (first, last, state) in try await client.query(QueueSQL.exportSegments, logger: logger).decode((Int64, Int64, String).self) {
            segments.append(ExportSegment(firstBlock: first, lastBlock: last, state: state))
        }
        return segments
    }
}

// Decoded tables as the queue sees them: rows and skips per table summed over the ranges model
// jobs reported (`decoded_totals`), and the tables that wait on a dependency's high-water mark.

import PostgresNIO

/// One decoded table in `coordinator status`.
public struct DecodedTableStatus: Sendable, Codable, Equatable {
    /// `dataset.table`.
    public let table: String
    /// Rows written and candidate rows skipped, summed over every range a model job reported
    /// (the latest counts of each range; a reload's re-decode replaces its range's).
    public let decoded: Int64
    public let skipped: Int64
    /// Ranges counted.
    public let ranges: Int64
    /// Ranges whose model job waits for this table's ref() dependency (0: none).
    public let waitingRanges: Int64
    /// The first waiting range's first block, and why it waits (the dependency's mark).
    public let firstWaitingBlock: Int64?
    public let waitingReason: String?

    public init(table: String, decoded: Int64, skipped: Int64, ranges: Int64, waitingRanges: Int64 = 0, firstWaitingBlock: Int64? = nil, waitingReason: String? = nil) {
        self.table = table
        self.decoded = decoded
        self.skipped = skipped
        self.ranges = ranges
        self.waitingRanges = waitingRanges
        self.firstWaitingBlock = firstWaitingBlock
        self.waitingReason = waitingReason
    }
}

extension JobQueue {
    /// Every decoded table named in a model job's result, sorted by name.
    public func decodedTables() async throws -> [DecodedTableStatus] {
        var tables: [String: DecodedTableStatus] = [:]
        for try await (table, decoded, skipped, ranges) in try await client.query(QueueSQL.decodedCounts, logger: logger).decode((String, Int64, Int64, Int64).self) {
            tables[table] = DecodedTableStatus(table: table, decoded: decoded, skipped: skipped, ranges: ranges)
        }
        for try await (table, waiting, firstBlock, reason) in try await client.query(QueueSQL.decodedWaiting, logger: logger).decode((String, Int64, Int64, String).self) {
            let counted = tables[table]
            tables[table] = DecodedTableStatus(table: table, decoded: counted?.decoded ?? 0, skipped: counted?.skipped ?? 0, ranges: counted?.ranges ?? 0,
                                               waitingRanges: waiting, firstWaitingBlock: firstBlock, waitingReason: reason)
        }
        return tables.values.sorted { $0.table < $1.table }
    }
}

// The coordinator's upkeep: reaping expired leases and pruning finished jobs.

import Logging
import PostgresNIO

/// A job whose lease expired, as the reaper left it.
public struct ReapedJob: Sendable, Equatable {
    public let id: Int64
    public let kind: JobKind
    /// `pending` (claimable again) or `dead` (that was its last attempt).
    public let state: JobState
    /// The worker that held the lease.
    public let owner: String
}

extension JobQueue {
    /// Returns jobs whose lease expired to the queue (or to dead), at most `limit` per call.
    public func reapExpiredLeases(limit: Int = 1000) async throws -> [ReapedJob] {
        try await client.inTransaction(logger: logger) { connection in
            var reaped: [ReapedJob] = []
            let rows = try await connection.checkedQuery(QueueSQL.reapExpired(limit: limit), logger: logger)
            for try await (id, kind, state, owner) in rows.decode((Int64, String, String, String).self) {
                reaped.append(ReapedJob(id: id, kind: JobKind(rawValue: kind), state: JobState(rawValue: state) ?? .dead, owner: owner))
            }
            for kind in Set(reaped.filter { $0.state == .pending }.map(\.kind.rawValue)).sorted() {
                try await connection.checkedQuery(QueueSQL.notify(channel: channel, kind: kind), logger: logger)
            }
            return reaped
        }
    }

    /// Deletes succeeded and cancelled jobs (except exports) finished more than `retention` ago.
    /// Returns how many were deleted.
    @discardableResult
    public func pruneFinished(olderThan retention: Duration, limit: Int = 10_000) async throws -> Int {
        let rows = try await client.query(QueueSQL.prune(olderThanSeconds: retention.seconds, limit: limit), logger: logger)
        for try await count in rows.decode(Int64.self) { return Int(count) }
        return 0
    }
}

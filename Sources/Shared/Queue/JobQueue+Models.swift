// Backfilling models: model jobs for every loaded range, forcing some models to run again.

import Logging
import PostgresNIO

extension JobQueue {
    /// Enqueues (or requeues) a model job for every range in `[first, last]` whose export and loads
    /// succeeded, forcing `models` (and, in the runner, their dependents) to run again there.
    /// Returns the job ids.
    @discardableResult
    /// With `keepingWaiting`, ranges whose model job is pending or retrying keep it unchanged.
    public func backfillModels(_ models: [String], from first: Int64 = 0, to last: Int64 = Int64.max, priority: Int = 100, maxAttempts: Int = 5,
                               keepingWaiting: Bool = false) async throws -> [Int64] {
        try await client.inTransaction(logger: logger) { connection in
            let rows = try await connection.checkedQuery(
                QueueSQL.backfillModels(first: first, last: last, force: models, priority: priority, maxAttempts: maxAttempts, keepingWaiting: keepingWaiting), logger: logger
            )
            var ids: [Int64] = []
            for try await id in rows.decode(Int64.self) { ids.append(id) }
            if !ids.isEmpty {
                try await connection.checkedQuery(QueueSQL.notify(channel: channel, kind: JobKind.model.rawValue), logger: logger)
            }
            return ids
        }
    }
}

// Statements that give up at a deadline even when the server never answers.

import Logging
import PostgresNIO
import Synchronization

extension PostgresClient {
    /// Runs `body` on one pooled connection. If it has not finished within `limit` (or the caller is
    /// cancelled first), the connection is closed, which fails whatever it waits on, and
    /// `DatabaseError.timedOut` is thrown. postgres-nio ignores task cancellation once a query is
    /// sent, so on a connection whose packets vanish (a network black hole) a query would otherwise
    /// wait until TCP gives up, about 15 minutes. `nil` runs `body` without a limit.
    public func withConnection<Result: Sendable>(
        deadline limit: Duration?,
        _ operation: String,
        _ body: @escaping @Sendable (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        guard let limit else { return try await withConnection { try await body($0) } }
        let held = HeldConnection()
        return try await withThrowingTaskGroup(of: Result?.self) { group in
            group.addTask {
                try await self.withConnection { connection in
                    held.connection.withLock { $0 = connection }
                    defer { held.connection.withLock { $0 = nil } }
                    return try await body(connection)
                }
            }
            group.addTask {
                // Returns early when the caller is cancelled: that ends the statement too.
                try? await Task.sleep(for: limit)
                return nil
            }
            let cancelled: Bool
            do {
                if let value = try await group.next()! {
                    group.cancelAll()
                    return value
                }
                cancelled = Task.isCancelled
            } catch {
                group.cancelAll()
                throw error
            }
            if let connection = held.connection.withLock({ $0 }) {
                try? await connection.close()
            }
            group.cancelAll()
            while !group.isEmpty { _ = try? await group.next() }
            if cancelled { throw CancellationError() }
            throw DatabaseError(.timedOut, "\(operation) got no answer within \(limit.seconds) s; its connection was closed")
        }
    }

    /// `inTransaction` whose whole transaction is bounded by `limit`, as `withConnection(deadline:)`.
    public func inTransaction<Result: Sendable>(
        deadline limit: Duration?,
        _ operation: String,
        logger: Logger,
        _ body: @escaping @Sendable (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await withConnection(deadline: limit, operation) { connection in
            try await connection.checkedQuery("BEGIN", logger: logger)
            do {
                let result = try await body(connection)
                try await connection.checkedQuery("COMMIT", logger: logger)
                return result
            } catch {
                // Closed by the deadline or broken: the server rolls back when the connection ends.
                if !connection.isClosed {
                    _ = try? await connection.checkedQuery("ROLLBACK", logger: logger)
                }
                throw error
            }
        }
    }
}

/// The connection a bounded statement runs on, shared with the task that closes it at the deadline.
private final class HeldConnection: Sendable {
    let connection = Mutex<PostgresConnection?>(nil)
}

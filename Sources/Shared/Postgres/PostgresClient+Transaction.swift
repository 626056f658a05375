// A transaction helper that rethrows the body's own error.

import Logging
import PostgresNIO

extension PostgresClient {
    /// Runs `body` between BEGIN and COMMIT on one pooled connection, rolling back when it throws.
    ///
    /// Unlike `withTransaction`, the body's error comes out unwrapped, so callers can match on
    /// `QueueError.leaseLost` and friends.
    public func inTransaction<Result: Sendable>(
        logger: Logger,
        _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await withConnection { connection in
            try await connection.checkedQuery("BEGIN", logger: logger)
            do {
                let result = try await body(connection)
                try await connection.checkedQuery("COMMIT", logger: logger)
                return result
            } catch {
                do {
                    // In a task of its own, so a cancelled caller (a lost lease) still rolls back
                    // before the connection goes back to the pool.
                    try await Task { try await connection.checkedQuery("ROLLBACK", logger: logger) }.value
                } catch {
                    // The connection is broken; the server rolls back when it closes.
                    logger.debug("rollback failed", metadata: ["error": "\(String(reflecting: error))"])
                }
                throw error
            }
        }
    }
}

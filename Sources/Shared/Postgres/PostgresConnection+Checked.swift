// Queries on a held connection that fail, rather than wait forever, once the server has closed it.

import Logging
import PostgresNIO

extension PostgresConnection {
    /// Runs `query` unless the connection has closed. postgres-nio 1.33 sends a query on a closed
    /// connection into the void and its answer never comes (vapor/postgres-nio#501 reverted the
    /// fix), so a server restart between two statements of a transaction would hang the caller.
    @discardableResult
    public func checkedQuery(_ query: PostgresQuery, logger: Logger, file: String = #fileID, line: Int = #line) async throws -> PostgresRowSequence {
        try requireOpen()
        return try await self.query(query, logger: logger, file: file, line: line)
    }

    /// Throws `DatabaseError.connectionLost` when the server has closed the connection.
    public func requireOpen() throws {
        guard !isClosed else {
            throw DatabaseError(.connectionLost, "the database connection closed (server restart or connection cut); the work is retried")
        }
    }
}

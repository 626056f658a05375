// Opening the queue database for one-shot commands and tests.

import Logging
import PostgresNIO

/// Runs a `PostgresClient` around a body of work, for commands that are not long-running services.
public enum QueueDatabase {
    @discardableResult
    public static func withClient<Result: Sendable>(
        _ configuration: DatabaseConfiguration,
        logger: Logger,
        _ body: @Sendable (PostgresClient) async throws -> Result
    ) async throws -> Result {
        // The pool's background log would warn that a lease may precede `run()`; for a one-shot
        // command that is expected, so only its errors are shown.
        var poolLogger = logger
        poolLogger.logLevel = max(logger.logLevel, .error)
        let client = PostgresClient(configuration: try configuration.clientConfiguration(), backgroundLogger: poolLogger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            return try await body(client)
        }
    }
}

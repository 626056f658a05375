// What the one-shot commands share: the queue opened with clear errors, and JSON output.

import Foundation
import Logging
import Shared

/// Opens the queue for a one-shot command, turning our errors into clear exits.
func withQueue<Result: Sendable>(_ options: CommonOptions, direct: Bool = false, _ body: @Sendable (JobQueue, Logger) async throws -> Result) async throws -> Result {
    let environment = Environment()
    let logger = try options.logger(environment, label: "blockfleet.coordinator")
    let pooled = try options.database(environment, applicationName: "blockfleet-coordinator")
    // Schema changes need no pooler in between (BLOCKFLEET_DATABASE_DIRECT_URL, when set).
    let directDatabase = direct ? try CommonOptions.reportingFlags { try DatabaseConfiguration.direct(in: environment, pooled: pooled) } : nil
    let database = directDatabase ?? pooled
    return try await QueueDatabase.withClient(database, logger: logger) { client in
        // Fail in seconds with the database named, rather than after the pool's minute of retries.
        try await withDeadline(.seconds(10), "connecting to the queue database \(database)") {
            try await client.query("SELECT 1", logger: logger)
        }
        return try await body(JobQueue(client: client, schema: database.schema, logger: logger), logger)
    }
}

func printJSON<T: Encodable>(_ value: T) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    encoder.dateEncodingStrategy = .iso8601
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}

// Readiness checks behind /readyz.

import Logging
import PostgresNIO

public enum Readiness {
    /// Nil when the queue database answers `SELECT 1` within 2 s; otherwise why not.
    public static func database(_ client: PostgresClient, logger: Logger) async -> String? {
        do {
            try await withDeadline(.seconds(2), "SELECT 1 on the queue database") {
                try await client.query("SELECT 1", logger: logger)
            }
            return nil
        } catch {
            return "queue database unreachable: \(String(describing: error).prefix(200))"
        }
    }
}

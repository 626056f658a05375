// A fresh, migrated schema on the test PostgreSQL server for each test.

import Foundation
import Logging
import PostgresNIO
import Shared
import Testing

/// Each test gets its own schema (`t_<random>`) in the database named by
/// `BLOCKFLEET_TEST_DATABASE_URL` (set by `scripts/test`), so tests run in parallel without
/// seeing each other's jobs, notifications or advisory locks.
struct TestDatabase {
    let configuration: DatabaseConfiguration
    let client: PostgresClient
    let queue: JobQueue
    let logger: Logger

    var schema: String { configuration.schema! }

    /// The database URL with this test's schema, for the worker and coordinator processes.
    var url: String {
        "postgres://\(configuration.username)@\(configuration.host):\(configuration.port)/\(configuration.database)?sslmode=disable&schema=\(schema)"
    }

    static func baseConfiguration() throws -> DatabaseConfiguration {
        guard let url = ProcessInfo.processInfo.environment["BLOCKFLEET_TEST_DATABASE_URL"], !url.isEmpty else {
            throw TestSetupError("BLOCKFLEET_TEST_DATABASE_URL is not set: run the tests with scripts/test, which starts PostgreSQL")
        }
        return try DatabaseConfiguration(url: url, setting: "BLOCKFLEET_TEST_DATABASE_URL")
    }

    /// Runs `body` with a migrated schema of its own, dropped afterwards.
    static func with<T: Sendable>(migrate: Bool = true, _ body: @Sendable (TestDatabase) async throws -> T) async throws -> T {
        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        let base = try baseConfiguration()
        let schema = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
        try await QueueDatabase.withClient(base, logger: logger) { admin in
            try await admin.query(PostgresQuery(unsafeSQL: "CREATE SCHEMA \(schema)"), logger: logger)
        }
        var configuration = base
        configuration.schema = String(schema)
        configuration.maximumConnections = 40
        let testConfiguration = configuration
        let result: Result<T, any Error>
        do {
            result = .success(try await QueueDatabase.withClient(testConfiguration, logger: logger) { client in
                let database = TestDatabase(
                    configuration: testConfiguration, client: client,
                    queue: JobQueue(client: client, schema: testConfiguration.schema, logger: logger), logger: logger
                )
                if migrate { try await SchemaMigrator(client: client, logger: logger).migrate() }
                return try await body(database)
            })
        } catch {
            result = .failure(error)
        }
        _ = try? await QueueDatabase.withClient(base, logger: logger) { admin in
            try await admin.query(PostgresQuery(unsafeSQL: "DROP SCHEMA \(schema) CASCADE"), logger: logger)
        }
        return try result.get()
    }

    // MARK: Reading the jobs table directly

    struct Row: Sendable, Equatable {
        let id: Int64
        let kind: String
        let state: String
        let attempts: Int
        let leaseToken: Int64
        let leaseOwner: String?
        let lastError: String?
        let result: String?
        let secondsUntilRunnable: Double
    }

    func row(_ id: Int64) async throws -> Row {
        let rows = try await client.query("""
            SELECT id, kind, state, attempts, lease_token, lease_owner, last_error, result::text,
                   EXTRACT(EPOCH FROM run_after - now())::float8
            FROM jobs WHERE id = \(id)
            """, logger: logger)
        for try await (id, kind, state, attempts, token, owner, error, result, until) in rows.decode(
            (Int64, String, String, Int, Int64, String?, String?, String?, Double).self
        ) {
            return Row(id: id, kind: kind, state: state, attempts: attempts, leaseToken: token, leaseOwner: owner, lastError: error, result: result, secondsUntilRunnable: until)
        }
        throw TestSetupError("job \(id) not found")
    }

    func count(kind: String? = nil, state: String? = nil) async throws -> Int {
        let rows = try await client.query("""
            SELECT count(*)::bigint FROM jobs
            WHERE (\(kind)::text IS NULL OR kind = \(kind)) AND (\(state)::text IS NULL OR state = \(state))
            """, logger: logger)
        for try await count in rows.decode(Int64.self) { return Int(count) }
        return 0
    }

    /// A job's payload as JSON text.
    func payload(_ id: Int64) async throws -> String? {
        let rows = try await client.query("SELECT payload::text FROM jobs WHERE id = \(id)", logger: logger)
        for try await payload in rows.decode(String.self) { return payload }
        return nil
    }

    /// Ends a job's lease now, as if its worker had stopped heartbeating long ago.
    func expireLease(_ id: Int64) async throws {
        try await client.query("UPDATE jobs SET lease_expires_at = now() - interval '1 second' WHERE id = \(id)", logger: logger)
    }

    /// Seconds until the job's lease expires by the database's clock (negative once expired); nil when it has none.
    func leaseSecondsLeft(_ id: Int64) async throws -> Double? {
        let rows = try await client.query("SELECT EXTRACT(EPOCH FROM lease_expires_at - now())::float8 FROM jobs WHERE id = \(id)", logger: logger)
        for try await left in rows.decode(Double?.self) { return left }
        return nil
    }

    /// When the job's lease expires; nil when it has none.
    func leaseExpiry(_ id: Int64) async throws -> Date? {
        let rows = try await client.query("SELECT lease_expires_at FROM jobs WHERE id = \(id)", logger: logger)
        for try await expiry in rows.decode(Date?.self) { return expiry }
        return nil
    }

    func ranges(kind: String) async throws -> [ClosedRange<Int64>] {
        var ranges: [ClosedRange<Int64>] = []
        let rows = try await client.query("SELECT first_block, last_block FROM jobs WHERE kind = \(kind) ORDER BY first_block", logger: logger)
        for try await (first, last) in rows.decode((Int64, Int64).self) { ranges.append(first...last) }
        return ranges
    }
}

struct TestSetupError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Polls `condition` until it holds, failing after `timeout`. For waiting on other processes.
func eventually(
    _ what: String,
    timeout: Duration = .seconds(20),
    every interval: Duration = .milliseconds(100),
    _ condition: () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: interval)
    }
    throw TestSetupError("timed out after \(timeout) waiting for: \(what)")
}

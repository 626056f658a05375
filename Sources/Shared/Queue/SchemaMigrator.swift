// Applies the schema migrations, safely from several processes at once.

import Logging
import PostgresNIO

/// Brings the schema up to `SchemaMigration.all`, then creates the tier roles when it may and
/// grants them the queue's privileges (`TierRoles`).
///
/// All of it runs in one transaction that first takes a transaction-scoped advisory lock keyed on the
/// schema, so two `coordinator migrate` (or two test runs) never interleave, and a failure leaves the
/// schema as it was.
public struct SchemaMigrator: Sendable {
    public let client: PostgresClient
    public let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Applies the missing migrations; returns the versions it applied.
    @discardableResult
    public func migrate() async throws -> [Int] {
        try await client.inTransaction(logger: logger) { connection in
            try await connection.checkedQuery(QueueSQL.lockForMigration, logger: logger)
            try await connection.checkedQuery(QueueSQL.createMigrationsTable, logger: logger)
            var applied = Set<Int>()
            for try await version in try await connection.checkedQuery(QueueSQL.appliedMigrations, logger: logger).decode(Int.self) {
                applied.insert(version)
            }
            if let newest = applied.max(), let known = SchemaMigration.all.last?.version, newest > known {
                throw QueueError(.schemaMismatch, "the database schema is at version \(newest), newer than this build's \(known); upgrade BlockFleet")
            }
            var done: [Int] = []
            for migration in SchemaMigration.all where !applied.contains(migration.version) {
                for statement in migration.statements {
                    try await connection.checkedQuery(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.checkedQuery(QueueSQL.recordMigration(version: migration.version, name: migration.name), logger: logger)
                logger.info("applied migration", metadata: ["version": "\(migration.version)", "name": "\(migration.name)"])
                done.append(migration.version)
            }
            try await TierRoles.apply(on: connection, logger: logger)
            return done
        }
    }

    /// The highest applied version, or nil on an empty database.
    public func currentVersion() async throws -> Int? {
        var exists = false
        for try await found in try await client.query(QueueSQL.migrationsTableExists, logger: logger).decode(Bool.self) {
            exists = found
        }
        guard exists else { return nil }
        let rows = try await client.query(QueueSQL.currentMigration, logger: logger)
        for try await version in rows.decode(Int?.self) { return version }
        return nil
    }

    /// Fails with a clear message unless the schema is exactly what this build expects.
    public func requireCurrent() async throws {
        let expected = SchemaMigration.all.last?.version ?? 0
        let current = try await currentVersion()
        guard current == expected else {
            throw QueueError(.schemaMismatch, "the database schema is at version \(current.map(String.init) ?? "none"), this build needs \(expected); run `coordinator migrate`")
        }
    }
}

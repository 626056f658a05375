// Roles per tier: the model stage's login reaches the warehouse, never the queue.

import Foundation
import Logging
import PostgresNIO
import Shared
import Testing

@Suite("Tier roles", .serialized)
struct TierRoleTests {
    /// Runs `body` with a login role granted `tier`, dropped (with what it owns) afterwards.
    static func withLogin<T: Sendable>(_ db: TestDatabase, granted tier: String, _ body: @Sendable (DatabaseConfiguration) async throws -> T) async throws -> T {
        let login = "bf_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12)
        try await db.client.query(PostgresQuery(unsafeSQL: "CREATE ROLE \(login) LOGIN IN ROLE \(tier)"), logger: db.logger)
        var configuration = try TestDatabase.baseConfiguration()
        configuration.username = login
        configuration.schema = db.schema
        configuration.maximumConnections = 4
        let result: Result<T, any Error>
        do {
            result = .success(try await body(configuration))
        } catch {
            result = .failure(error)
        }
        try await db.client.query(PostgresQuery(unsafeSQL: "DROP OWNED BY \(login)"), logger: db.logger)
        try await db.client.query(PostgresQuery(unsafeSQL: "DROP ROLE \(login)"), logger: db.logger)
        return try result.get()
    }

    @Test("migrations create the four NOLOGIN tier roles")
    func rolesExist() async throws {
        try await TestDatabase.with { db in
            var found: [String: Bool] = [:]
            let rows = try await db.client.query("SELECT rolname, rolcanlogin FROM pg_roles WHERE rolname = ANY(\(TierRoles.all))", logger: db.logger)
            for try await (name, canLogin) in rows.decode((String, Bool).self) { found[name] = canLogin }
            #expect(found == Dictionary(uniqueKeysWithValues: TierRoles.all.map { ($0, false) }))
        }
    }

    @Test("the model stage's login runs models in the warehouse, and model SQL touching jobs is refused by PostgreSQL")
    func modelLoginHasNoQueueAccess() async throws {
        let staging = LoadTests.Staging()
        defer { staging.remove() }
        let (first, last) = LoadTests.range
        try await TestDatabase.with { db in
            // The default deployment: the warehouse lives in the queue database (here, its schema too).
            let warehouse = PostgresWarehouse(client: db.client, schema: db.schema, store: staging.store, logger: db.logger)
            try await warehouse.prepare()
            let (csv, rows) = try LoadTests.receipts()
            _ = try await warehouse.load(try await staging.stage(csv, rows: rows), into: .of(.receipts), first: first, last: last)
            try await db.queue.plan(try PlanRequest(from: 0, to: 9, chunkSize: 10, entities: [.blocks]))

            try await Self.withLogin(db, granted: TierRoles.model) { configuration in
                try await QueueDatabase.withClient(configuration, logger: db.logger) { client in
                    let counted = try WarehouseModel.parse(name: "receipt_counts", postgresText: """
                        -- requires: receipts
                        CREATE TABLE IF NOT EXISTS receipt_counts (first_block BIGINT NOT NULL, receipts BIGINT NOT NULL);
                        DELETE FROM receipt_counts WHERE first_block = :first_block;
                        INSERT INTO receipt_counts SELECT :first_block, count(*) FROM receipts WHERE block_number BETWEEN :first_block AND :last_block
                        """, redshiftText: nil, source: "receipt_counts.sql")
                    let runner = ModelJobRunner(client: client, dialect: .postgres, schema: db.schema, catalog: try ModelCatalog([counted]), logger: db.logger)
                    try await runner.prepare()
                    let summary = try await runner.run(first: first, last: last, loaded: [.receipts])
                    #expect(summary.applied == ["receipt_counts"])

                    for (name, sql) in [("rewrite_jobs", "UPDATE \"\(db.schema)\".jobs SET state = 'dead'"),
                                        ("read_jobs", "CREATE TABLE IF NOT EXISTS stolen AS SELECT payload FROM \"\(db.schema)\".jobs"),
                                        ("drop_jobs", "DROP TABLE \"\(db.schema)\".jobs")] {
                        let evil = try WarehouseModel.parse(name: name, postgresText: "-- requires: receipts\n" + sql, redshiftText: nil, source: "\(name).sql")
                        let evilRunner = ModelJobRunner(client: client, dialect: .postgres, schema: db.schema, catalog: try ModelCatalog([evil]), logger: db.logger)
                        await #expect {
                            try await evilRunner.run(first: first, last: last, loaded: [.receipts])
                        } throws: { error in
                            let message = (error as? ModelError)?.message ?? "\(error)"
                            return message.contains("permission denied") || message.contains("must be owner")
                        }
                    }
                }
            }
            // The queue is intact.
            #expect(try await db.count(kind: "export", state: "pending") == 1)
        }
    }

    @Test("the reader login sees queue_depth but not the jobs table")
    func readerSeesQueueDepthOnly() async throws {
        try await TestDatabase.with { db in
            try await db.queue.plan(try PlanRequest(from: 0, to: 9, chunkSize: 10, entities: [.blocks]))
            try await Self.withLogin(db, granted: TierRoles.reader) { configuration in
                try await QueueDatabase.withClient(configuration, logger: db.logger) { client in
                    var jobs: Int64 = 0
                    for try await count in try await client.query("SELECT sum(jobs)::bigint FROM queue_depth", logger: db.logger).decode(Int64.self) { jobs = count }
                    #expect(jobs == 1)
                    await #expect {
                        try await client.query("SELECT payload FROM jobs", logger: db.logger)
                    } throws: { error in
                        (error as? PSQLError)?.serverInfo?[.sqlState] == "42501"  // insufficient_privilege
                    }
                }
            }
        }
    }
}

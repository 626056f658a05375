// A model run and a reload of the same range exclude each other: the models end on the new rows.

import Foundation
import Logging
import PostgresNIO
import Shared
import Testing

@Suite("Model runs against reloads", .serialized)
struct ModelReloadRaceTests {
    /// The advisory lock the held model waits on; the test holds it to keep the run open.
    static let gate: Int64 = 4_242_424_242

    /// A model that digests the range's receipts, then waits at the gate before its run is recorded.
    static let heldModel = """
        -- requires: receipts
        CREATE TABLE IF NOT EXISTS held_digest (first_block BIGINT NOT NULL, digest TEXT);
        DELETE FROM held_digest WHERE first_block = :first_block;
        INSERT INTO held_digest
        SELECT :first_block, md5(string_agg(r::text, ',' ORDER BY r::text)) FROM receipts r WHERE r.block_number BETWEEN :first_block AND :last_block;
        SELECT pg_advisory_xact_lock_shared(\(gate))
        """

    static func single<Value: PostgresDecodable>(_ client: PostgresClient, _ query: PostgresQuery, as type: Value.Type, logger: Logger) async throws -> Value? {
        for try await value in try await client.query(query, logger: logger).decode(Value.self) { return value }
        return nil
    }

    @Test("a reload during a model run waits for it, and the requeued run then models the new rows instead of skipping as up to date")
    func reloadDuringModelRun() async throws {
        let staging = LoadTests.Staging()
        defer { staging.remove() }
        let (first, last) = LoadTests.range
        try await TestDatabase.with { db in
            let warehouse = PostgresWarehouse(client: db.client, schema: db.schema, store: staging.store, logger: db.logger)
            try await warehouse.prepare()
            let (csv, rows) = try LoadTests.receipts()
            _ = try await warehouse.load(try await staging.stage(csv, rows: rows), into: .of(.receipts), first: first, last: last)
            let reload = try await staging.stage(try LoadTests.editedReceipts(), rows: rows, key: "receipts/0000483920-0000483920/v2.csv.gz")

            let model = try WarehouseModel.parse(name: "held_digest", postgresText: Self.heldModel, redshiftText: nil, source: "held_digest.sql")
            let runner = ModelJobRunner(client: db.client, dialect: .postgres, schema: db.schema, catalog: try ModelCatalog([model]), logger: db.logger)
            try await runner.prepare()

            try await db.client.withConnection { gate in
                _ = try await gate.query("SELECT pg_advisory_lock(\(Self.gate))", logger: db.logger)
                let run = Task { try await runner.run(first: first, last: last, loaded: [.receipts]) }
                // The run has digested the old rows and waits at the gate.
                try await eventually("the model run to wait at the gate", timeout: .seconds(10)) {
                    try await Self.single(db.client, """
                        SELECT count(*)::bigint FROM pg_locks
                        WHERE locktype = 'advisory' AND NOT granted AND classid::bigint = 0 AND objid::bigint = \(Self.gate)
                        """, as: Int64.self, logger: db.logger) == 1
                }
                let load = Task { try await warehouse.load(reload, into: .of(.receipts), first: first, last: last) }
                // Time for the reload to land in the middle of the run, if nothing keeps it out.
                try await Task.sleep(for: .milliseconds(700))
                _ = try await gate.query("SELECT pg_advisory_unlock(\(Self.gate))", logger: db.logger)
                let summary = try await run.value
                #expect(summary.applied == ["held_digest"])
                _ = try await load.value
            }

            // The load's model job runs again: the range changed, so the model applies again.
            let again = try await runner.run(first: first, last: last, loaded: [.receipts])
            #expect(again.applied == ["held_digest"], "\(again)")
            let stored = try await Self.single(db.client, PostgresQuery(unsafeSQL: "SELECT digest FROM \"\(db.schema)\".held_digest"), as: String.self, logger: db.logger)
            let current = try await Self.single(db.client, PostgresQuery(unsafeSQL: """
                SELECT md5(string_agg(r::text, ',' ORDER BY r::text)) FROM "\(db.schema)".receipts r
                """), as: String.self, logger: db.logger)
            #expect(stored != nil && stored == current, "the model's output is the reloaded rows'")
        }
    }
}

// Model jobs of different ranges overlap where their rows allow it, and the day models, which sum
// per block instead of re-reading their days, end on what a recount from scratch gives.

import Foundation
import Logging
import PostgresNIO
import Shared
import Testing

@Suite("Model runs side by side, and incremental day models", .serialized)
struct ModelConcurrencyTests {
    /// The advisory lock a held run waits on; the test holds it to keep the run open.
    static let gate: Int64 = 4_242_424_243

    /// Rows per range of its receipts, with an index, then a wait at the gate before the run is
    /// recorded: the held run has written the table (and holds its locks) when it waits.
    static func heldModel(concurrent: Bool) -> String {
        """
        -- requires: receipts
        -- concurrent: \(concurrent)
        CREATE TABLE IF NOT EXISTS held_rows (block_number BIGINT NOT NULL, gas_used BIGINT);
        CREATE INDEX IF NOT EXISTS held_rows_block_number_idx ON held_rows (block_number);
        DELETE FROM held_rows WHERE block_number BETWEEN :first_block AND :last_block;
        INSERT INTO held_rows SELECT block_number, gas_used FROM receipts WHERE block_number BETWEEN :first_block AND :last_block;
        SELECT pg_advisory_xact_lock_shared(CASE WHEN :first_block = 0 THEN \(gate) ELSE 0 END)
        """
    }

    static func single<Value: PostgresDecodable>(_ client: PostgresClient, _ sql: String, as type: Value.Type, logger: Logger) async throws -> Value? {
        for try await value in try await client.query(PostgresQuery(unsafeSQL: sql), logger: logger).decode(Value.self) { return value }
        return nil
    }

    /// Runs statements separated by `;` at line ends, `$S` standing for the test's schema.
    static func execute(_ db: TestDatabase, _ sql: String) async throws {
        for statement in sql.components(separatedBy: ";\n") {
            try await db.client.query(PostgresQuery(unsafeSQL: statement.replacingOccurrences(of: "$S", with: "\"\(db.schema)\"")), logger: db.logger)
        }
    }

    @Test("a concurrent model's run on one range does not wait for another range's open run (nor for its index's writers); a serialised one does")
    func concurrentRunsOverlap() async throws {
        for concurrent in [true, false] {
            try await TestDatabase.with { db in
                let staging = LoadTests.Staging()
                defer { staging.remove() }
                let warehouse = PostgresWarehouse(client: db.client, schema: db.schema, store: staging.store, logger: db.logger)
                try await warehouse.prepare()
                try await Self.execute(db, """
                    INSERT INTO $S.receipts (transaction_hash, block_number, gas_used) SELECT 'tx' || n, n, 21000 + n FROM generate_series(0, 19) AS n
                    """)
                let model = try WarehouseModel.parse(name: "held_rows", postgresText: Self.heldModel(concurrent: concurrent), redshiftText: nil, source: "held_rows.sql")
                #expect(model.concurrent == concurrent)
                let runner = ModelJobRunner(client: db.client, dialect: .postgres, schema: db.schema, catalog: try ModelCatalog([model]), logger: db.logger)
                try await runner.prepare()
                // The table and index exist before the runs, as after any first run.
                _ = try await runner.run(first: 10, last: 19, loaded: [.receipts])

                try await db.client.withConnection { gate in
                    _ = try await gate.query("SELECT pg_advisory_lock(\(Self.gate))", logger: db.logger)
                    let held = Task { try await runner.run(first: 0, last: 9, loaded: [.receipts]) }
                    try await eventually("the first range's run to wait at the gate", timeout: .seconds(10)) {
                        try await Self.single(db.client, """
                            SELECT count(*)::bigint FROM pg_locks
                            WHERE locktype = 'advisory' AND NOT granted AND classid::bigint = 0 AND objid::bigint = \(Self.gate)
                            """, as: Int64.self, logger: db.logger) == 1
                    }
                    try await Self.execute(db, "DELETE FROM $S.blockfleet_model_runs WHERE first_block = 10")
                    let other = Task { try await runner.run(first: 10, last: 19, loaded: [.receipts]) }
                    if concurrent {
                        let summary = try await withThrowingTaskGroup(of: ModelRunSummary?.self) { group in
                            group.addTask { try await other.value }
                            group.addTask { try await Task.sleep(for: .seconds(10)); return nil }
                            let first = try await group.next()!
                            group.cancelAll()
                            return first
                        }
                        #expect(summary?.applied == ["held_rows"], "the other range's run finished while the first was open: \(String(describing: summary))")
                    } else {
                        try await Task.sleep(for: .milliseconds(1500))
                        let runs = try await Self.single(db.client, "SELECT count(*)::bigint FROM \"\(db.schema)\".blockfleet_model_runs WHERE first_block = 10", as: Int64.self, logger: db.logger)
                        #expect(runs == 0, "a serialised model's run waits for the open run of another range")
                    }
                    _ = try await gate.query("SELECT pg_advisory_unlock(\(Self.gate))", logger: db.logger)
                    #expect(try await held.value.applied == ["held_rows"])
                    #expect(try await other.value.applied == ["held_rows"])
                }
                let rows = try await Self.single(db.client, "SELECT count(*)::bigint FROM \"\(db.schema)\".held_rows", as: Int64.self, logger: db.logger)
                #expect(rows == 20)
            }
        }
    }

    @Test("the enriched tables are created apart on the first runs: another range's run does not wait for the open run that needed them")
    func firstRunsDoNotWaitForTheCreator() async throws {
        try await TestDatabase.with { db in
            let staging = LoadTests.Staging()
            defer { staging.remove() }
            let warehouse = PostgresWarehouse(client: db.client, schema: db.schema, store: staging.store, logger: db.logger)
            try await warehouse.prepare()
            try await Self.seed(db)
            // Runs after the enriched token transfers and keeps the first range's transaction open.
            let held = try WarehouseModel.parse(name: "held_after_enrich", postgresText: """
                -- depends_on: enriched_token_transfers
                -- concurrent: true
                SELECT pg_advisory_xact_lock_shared(CASE WHEN :first_block = 0 THEN \(Self.gate) ELSE 0 END)
                """, redshiftText: nil, source: "held_after_enrich.sql")
            let runner = ModelJobRunner(client: db.client, dialect: .postgres, schema: db.schema, catalog: try ModelCatalog(EnrichModels.all + [held]), logger: db.logger)
            try await runner.prepare()
            let loaded: Set<ExportEntity> = [.blocks, .transactions, .receipts, .tokenTransfers]
            try await db.client.withConnection { gate in
                _ = try await gate.query("SELECT pg_advisory_lock(\(Self.gate))", logger: db.logger)
                let first = Task { try await runner.run(first: 0, last: 9, loaded: loaded) }
                try await eventually("the first range's run to wait at the gate", timeout: .seconds(10)) {
                    try await Self.single(db.client, """
                        SELECT count(*)::bigint FROM pg_locks
                        WHERE locktype = 'advisory' AND NOT granted AND classid::bigint = 0 AND objid::bigint = \(Self.gate)
                        """, as: Int64.self, logger: db.logger) == 1
                }
                let other = Task { try await runner.run(first: 10, last: 19, loaded: loaded) }
                // Its run recorded (committed) while the first is open; polled, so that a run that
                // waits does not hang the test: the gate opens either way.
                var recorded = false
                let deadline = ContinuousClock.now + .seconds(10)
                while !recorded, ContinuousClock.now < deadline {
                    recorded = try await Self.single(db.client, """
                        SELECT count(*)::bigint FROM "\(db.schema)".blockfleet_model_runs WHERE first_block = 10 AND model = 'held_after_enrich'
                        """, as: Int64.self, logger: db.logger) == 1
                    if !recorded { try await Task.sleep(for: .milliseconds(100)) }
                }
                #expect(recorded, "the other range's run finished while the first was open")
                _ = try await gate.query("SELECT pg_advisory_unlock(\(Self.gate))", logger: db.logger)
                let summary = try await other.value
                #expect(Set(summary.applied) == ["enriched_transactions", "enriched_token_transfers", "held_after_enrich"])
                #expect((summary.milliseconds ?? [:]).keys.filter { $0.hasPrefix("lock ") } == [], "no model lock waited for")
                #expect(try await first.value.applied.contains("enriched_token_transfers"))
            }
            let rows = try await Self.single(db.client, "SELECT count(*)::bigint FROM \"\(db.schema)\".enriched_token_transfers", as: Int64.self, logger: db.logger)
            #expect(rows == 60)
            let indexes = try await Self.single(db.client, """
                SELECT count(*)::bigint FROM pg_indexes WHERE schemaname = '\(db.schema)' AND tablename = 'enriched_token_transfers'
                """, as: Int64.self, logger: db.logger)
            #expect(indexes == 2, "block number and timestamp")
        }
    }

    // MARK: - Day models

    /// Blocks 0…59, twelve minutes apart from 23:00 UTC (blocks 0–4 on 2024-03-13, the rest the
    /// next day or the one after), three transactions each (some failed, some creating
    /// contracts), and three token transfers a block among few tokens and addresses, so an
    /// address sends on a day in several blocks and ranges.
    static func seed(_ db: TestDatabase) async throws {
        try await execute(db, """
            INSERT INTO $S.blocks (number, hash, "timestamp", transaction_count, miner, base_fee_per_gas)
            SELECT n, 'b' || n, 1710370800 + 720 * n, 3, 'miner', 7 FROM generate_series(0, 59) AS n;
            INSERT INTO $S.transactions (hash, block_number, transaction_index, from_address, to_address, value, gas, gas_price)
            SELECT 't' || n || '-' || i, n, i, 'from' || ((n + i) % 4), 'to' || i, 1, 30000, 10 + (n * 7 + i) % 13
            FROM generate_series(0, 59) AS n, generate_series(0, 2) AS i;
            INSERT INTO $S.receipts (transaction_hash, block_number, transaction_index, gas_used, status, contract_address, effective_gas_price)
            SELECT 't' || n || '-' || i, n, i, 21000 + n, CASE WHEN (n + i) % 5 = 0 THEN 0 ELSE 1 END,
                   CASE WHEN (n + i) % 7 = 0 THEN 'c' || n END, 9 + (n + i) % 3
            FROM generate_series(0, 59) AS n, generate_series(0, 2) AS i;
            INSERT INTO $S.token_transfers (token_address, from_address, to_address, value, transaction_hash, log_index, block_number)
            SELECT 'token' || ((n + i) % 3), 'a' || ((n * 3 + i) % 5), 'a' || ((n + 2 * i) % 6), 1000 + n * 10 + i, 't' || n || '-' || i, i, n
            FROM generate_series(0, 59) AS n, generate_series(0, 2) AS i
            """)
    }

    /// Rows of each day table that differ from a recount of the enriched tables from scratch.
    static func differences(_ db: TestDatabase) async throws -> (transactions: Int64, transfers: Int64) {
        let transfers = """
            SELECT CAST(block_timestamp AS DATE), token_address, count(*), count(DISTINCT from_address), count(DISTINCT to_address), sum(value)
            FROM $S.enriched_token_transfers GROUP BY 1, 2
            """
        let stored = "SELECT day, token_address, transfers, senders, receivers, volume FROM $S.token_transfers_daily"
        let transactions = """
            SELECT CAST(block_timestamp AS DATE), count(DISTINCT block_number), count(*), sum(CASE WHEN receipt_status = 0 THEN 1 ELSE 0 END),
                   sum(CASE WHEN receipt_contract_address IS NOT NULL THEN 1 ELSE 0 END), sum(receipt_gas_used),
                   sum(CAST(receipt_gas_used AS NUMERIC(38,0)) * receipt_effective_gas_price), CAST(avg(gas_price) AS NUMERIC(38,0))
            FROM $S.enriched_transactions GROUP BY 1
            """
        let daily = "SELECT * FROM $S.daily_transaction_stats"
        func count(_ a: String, _ b: String) async throws -> Int64 {
            let sql = "SELECT count(*)::bigint FROM ((\(a) EXCEPT ALL \(b)) UNION ALL (\(b) EXCEPT ALL \(a))) AS d"
            return try await single(db.client, sql.replacingOccurrences(of: "$S", with: "\"\(db.schema)\""), as: Int64.self, logger: db.logger) ?? -1
        }
        return (try await count(transactions, daily), try await count(transfers, stored))
    }

    @Test("the day models end on a recount from scratch: ranges in any order, a range changed and run again, a warehouse from before the per-block tables")
    func dayModelsMatchARecount() async throws {
        try await TestDatabase.with { db in
            let staging = LoadTests.Staging()
            defer { staging.remove() }
            let warehouse = PostgresWarehouse(client: db.client, schema: db.schema, store: staging.store, logger: db.logger)
            try await warehouse.prepare()
            try await Self.seed(db)
            let models = ModelPipelineTests.models
            let runner = ModelJobRunner(client: db.client, dialect: .postgres, schema: db.schema,
                                        catalog: try ModelCatalog.load(directory: models), logger: db.logger)
            try await runner.prepare()
            let loaded: Set<ExportEntity> = [.blocks, .transactions, .receipts, .tokenTransfers]
            func run(_ first: Int64, _ last: Int64) async throws {
                let summary = try await runner.run(first: first, last: last, loaded: loaded)
                #expect(summary.applied.contains("token_transfers_daily") && summary.applied.contains("daily_transaction_stats"), "\(summary)")
            }
            // Out of order, and two at once (the day models take turns, the rest overlaps).
            try await run(40, 59)
            async let a: Void = run(0, 19)
            async let b: Void = run(20, 39)
            _ = try await (a, b)
            var differences = try await Self.differences(db)
            #expect(differences == (0, 0), "after the first runs: \(differences)")
            #expect(try await Self.single(db.client, "SELECT count(*)::bigint FROM \"\(db.schema)\".token_transfers_daily", as: Int64.self, logger: db.logger) ?? 0 >= 6)

            // A range's rows change (as a reload does): an address's only transfers of a day go,
            // another sends for the first time, a token appears, a transaction fails; it runs again.
            try await Self.execute(db, """
                DELETE FROM $S.token_transfers WHERE block_number BETWEEN 20 AND 39 AND from_address = 'a1';
                UPDATE $S.token_transfers SET from_address = 'newcomer', token_address = 'token9' WHERE block_number = 25 AND log_index = 0;
                UPDATE $S.receipts SET status = 0 WHERE block_number = 30;
                DELETE FROM $S.blockfleet_model_runs WHERE first_block = 20
                """)
            try await run(20, 39)
            differences = try await Self.differences(db)
            #expect(differences == (0, 0), "after a changed range ran again: \(differences)")

            // A warehouse whose day tables an earlier version wrote: no per-block rows yet.
            try await Self.execute(db, """
                DROP TABLE $S.token_transfers_daily_addresses;
                DROP TABLE $S.daily_transaction_stats_blocks;
                UPDATE $S.token_transfers SET to_address = 'a0' WHERE block_number BETWEEN 0 AND 19;
                DELETE FROM $S.blockfleet_model_runs WHERE first_block = 0
                """)
            try await run(0, 19)
            differences = try await Self.differences(db)
            #expect(differences == (0, 0), "after the first run with the per-block tables: \(differences)")
        }
    }
}

// Loaded ranges become enriched, verified, modelled data: worker processes on devchain, a real
// Postgres warehouse, the shipped models and the analysts' dashboard.

import Foundation
import PostgresNIO
import Shared
import Testing

@Suite("Warehouse models after load", .serialized)
struct ModelPipelineTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let models = root.appendingPathComponent("models").path

    static func value(_ db: TestDatabase, _ sql: String) async throws -> Int64 {
        // Sums of BIGINT are NUMERIC in Postgres: read every answer as BIGINT.
        let query = "SELECT CAST(q.v AS BIGINT) FROM (\(sql.replacingOccurrences(of: "$S", with: db.schema))) AS q(v)"
        let rows = try await db.client.query(PostgresQuery(unsafeSQL: query), logger: db.logger)
        for try await value in rows.decode(Int64?.self) { return value ?? 0 }
        return -1
    }

    /// Row versions of a table: any rewrite of a row changes its xmin or ctid.
    static func versions(_ db: TestDatabase, _ table: String) async throws -> String {
        let rows = try await db.client.query(PostgresQuery(unsafeSQL: "SELECT COALESCE(md5(string_agg(xmin::text || ctid::text, ',' ORDER BY ctid)), '') FROM \(db.schema).\(table)"), logger: db.logger)
        for try await text in rows.decode(String.self) { return text }
        return ""
    }

    @Test("exported and loaded ranges end enriched, verified and modelled once; a re-run changes no row; a tampered range fails verify by name; every dashboard panel returns rows")
    func rangesBecomeModelledData() async throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("bf-models-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let (node, url) = try await DifferentialTests().startDevChain(["--seed", "5", "--blocks", "120", "--txs-per-block", "15"])
        defer { node.signal(SIGKILL) }

        try await TestDatabase.with { db in
            try await db.queue.plan(try PlanRequest(from: 0, to: 119, chunkSize: 40, entities: ExportEntity.allCases))
            let workers = try await PipelineWorkers.run(db, node: url, scratch: scratch, settings: ["BLOCKFLEET_MODELS_DIR": Self.models],
                                                        modelJobs: 3, timeout: .seconds(240))
            defer { workers.kill() }

            // Enriched tables hold every row of their base tables, with the block's time and hash.
            for (enriched, base) in [("enriched_transactions", "transactions"), ("enriched_logs", "logs"), ("enriched_token_transfers", "token_transfers"),
                                     ("enriched_traces", "traces"), ("enriched_contracts", "contracts")] {
                let rows = try await Self.value(db, "SELECT count(*) FROM $S.\(enriched)")
                let baseRows = try await Self.value(db, "SELECT count(*) FROM $S.\(base)")
                #expect(rows > 0 && rows == baseRows, "\(enriched): \(rows) rows, \(base): \(baseRows)")
            }
            #expect(try await Self.value(db, """
                SELECT count(*) FROM $S.enriched_transactions e
                JOIN $S.receipts r ON r.transaction_hash = e.hash
                JOIN $S.blocks b ON b.number = e.block_number
                WHERE e.receipt_gas_used IS DISTINCT FROM r.gas_used OR e.receipt_status IS DISTINCT FROM r.status
                   OR e.block_hash <> b.hash OR e.block_timestamp <> to_timestamp(b.timestamp) AT TIME ZONE 'UTC'
                """) == 0)

            // Every model once per range: 5 enrich models and 3 shipped ones, 3 ranges, one attempt each.
            #expect(try await Self.value(db, "SELECT count(*) FROM $S.blockfleet_model_runs") == 24)
            #expect(try await Self.value(db, "SELECT count(*) FROM jobs WHERE kind = 'model' AND attempts <> 1") == 0)
            #expect(try await Self.value(db, "SELECT sum(transactions) FROM $S.daily_transaction_stats")
                    == (try await Self.value(db, "SELECT count(*) FROM $S.transactions")))
            #expect(try await Self.value(db, "SELECT sum(transfers) FROM $S.token_transfers_daily")
                    == (try await Self.value(db, "SELECT count(*) FROM $S.token_transfers")))
            // Double-entry book: all changes together are what was minted (rewards) less what was burnt.
            #expect(try await Self.value(db, """
                SELECT CAST((SELECT COALESCE(sum(value_change), 0) FROM $S.ether_balance_changes)
                     - (SELECT COALESCE(sum(value), 0) FROM $S.traces WHERE trace_type = 'reward' AND status = 1)
                     + (SELECT COALESCE(sum(CAST(e.receipt_gas_used AS NUMERIC) * COALESCE(b.base_fee_per_gas, 0)
                                           + COALESCE(e.receipt_blob_gas_used, 0) * COALESCE(e.receipt_blob_gas_price, 0)), 0)
                        FROM $S.enriched_transactions e JOIN $S.blocks b ON b.number = e.block_number) AS BIGINT)
                """) == 0)
            #expect(try await Self.value(db, "SELECT count(*) FROM $S.ether_balance_changes") > 0)

            // The analysts' dashboard: every SQL panel runs on this warehouse and returns rows.
            let dashboard = Self.root.appendingPathComponent("helm/blockfleet/dashboards/blockfleet-warehouse-sql.json")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: dashboard)) as? [String: Any])
            var panels = 0
            for panel in json["panels"] as? [[String: Any]] ?? [] {
                for target in panel["targets"] as? [[String: Any]] ?? [] {
                    guard var sql = target["rawSql"] as? String else { continue }
                    // What Grafana does to these: the schema variable and its time-filter macro.
                    sql = sql.replacingOccurrences(of: "${schema}", with: db.schema)
                    sql = sql.replacingOccurrences(of: #"\$__timeFilter\(([^)]+)\)"#, with: "$1 BETWEEN '1970-01-01' AND '2200-01-01'", options: .regularExpression)
                    var rows = 0
                    for try await _ in try await db.client.query(PostgresQuery(unsafeSQL: sql), logger: db.logger) { rows += 1 }
                    #expect(rows > 0, "\(panel["title"] ?? "?"): no rows from \(sql)")
                    panels += 1
                }
            }
            #expect(panels >= 6)

            // Running a range's model job again changes no row.
            let job = try #require(try await db.queue.jobs(JobFilter(kind: .model)).first { $0.firstBlock == 0 })
            let tables = ["enriched_transactions", "enriched_traces", "daily_transaction_stats", "ether_balance_changes", "blockfleet_model_runs"]
            var before: [String] = []
            for table in tables { before.append(try await Self.versions(db, table)) }
            let runner = ModelJobRunner(client: db.client, dialect: .postgres, schema: db.schema,
                                        catalog: try ModelCatalog.load(directory: Self.models), logger: db.logger)
            let outcome = try await runner.run(ClaimedJob(
                id: job.id, kind: .model, firstBlock: job.firstBlock, lastBlock: job.lastBlock, entities: "",
                payload: try #require(try await db.payload(job.id)), attempt: 2, maxAttempts: 5, leaseToken: 0, priority: 100
            ))
            let summary = try JSONDecoder().decode(ModelRunSummary.self, from: Data(try #require(outcome.result).utf8))
            #expect(summary.applied.isEmpty && summary.upToDate.count == 8 && summary.verified.count == 6, "\(summary)")
            var after: [String] = []
            for table in tables { after.append(try await Self.versions(db, table)) }
            #expect(before == after)

            // Spam tokens send uint256 max: a day's volume sums such values without overflowing
            // (NUMERIC(78,0) did, and dead-lettered the range's model job).
            let maximum = "115792089237316195423570985008687907853269984665640564039457584007913129639935"
            try await db.client.query(PostgresQuery(unsafeSQL: """
                INSERT INTO \(db.schema).token_transfers (token_address, from_address, to_address, value, transaction_hash, log_index, block_number)
                SELECT '0x00000000000000000000000000000000000005a1', from_address, to_address, \(maximum), transaction_hash, log_index + 100000 + n, block_number
                FROM (SELECT * FROM \(db.schema).token_transfers WHERE block_number BETWEEN 0 AND 39 LIMIT 1) AS t, generate_series(1, 9) AS n
                """), logger: db.logger)
            try await db.client.query(PostgresQuery(unsafeSQL: "DELETE FROM \(db.schema).blockfleet_model_runs WHERE first_block = 0 AND model IN ('enriched_token_transfers', 'token_transfers_daily')"), logger: db.logger)
            let rerun = try await runner.run(ClaimedJob(
                id: job.id, kind: .model, firstBlock: job.firstBlock, lastBlock: job.lastBlock, entities: "",
                payload: try #require(try await db.payload(job.id)), attempt: 3, maxAttempts: 5, leaseToken: 0, priority: 100
            ))
            let applied = try JSONDecoder().decode(ModelRunSummary.self, from: Data(try #require(rerun.result).utf8)).applied
            #expect(Set(applied) == ["enriched_token_transfers", "token_transfers_daily"], "\(applied)")
            var volume = ""
            for try await text in try await db.client.query(PostgresQuery(unsafeSQL: "SELECT CAST(sum(volume) AS TEXT) FROM \(db.schema).token_transfers_daily WHERE token_address = '0x00000000000000000000000000000000000005a1'"), logger: db.logger).decode(String.self) {
                volume = text
            }
            #expect(volume == "1042128803135845758812138865078191170679429861990765076355118256071218166759415", "9 × (2^256 − 1), 79 digits")

            // A transaction row deleted: the back-filled model job fails verify, naming the check
            // and the range, goes dead, shows in status, and leaves the enriched rows as they were.
            let enrichedBefore = try await Self.versions(db, "enriched_transactions")
            try await db.client.query(PostgresQuery(unsafeSQL: "DELETE FROM \(db.schema).transactions WHERE hash = (SELECT hash FROM \(db.schema).transactions WHERE block_number BETWEEN 40 AND 79 LIMIT 1)"), logger: db.logger)
            let backfill = try await Ops.coordinator(["models", "backfill", "enriched_transactions", "--from", "40", "--to", "79", "--models-dir", Self.models], database: db.url)
            #expect(backfill.status == 0 && backfill.stdout.contains("1 model jobs"), "\(backfill.output)")
            try await eventually("the tampered range's model job to go dead", timeout: .seconds(60)) {
                try await db.count(kind: "model", state: "dead") == 1
            }
            let dead = try #require(try await db.queue.jobs(JobFilter(state: .dead)).first)
            #expect(dead.firstBlock == 40 && dead.lastBlock == 79 && dead.attempts == 1)
            #expect(dead.lastError?.contains("check transactions_count failed on blocks 40-79") == true, "\(dead.lastError ?? "")")
            let status = try await Ops.coordinator(["status"], database: db.url)
            #expect(status.stdout.contains("transactions_count"), "\(status.output)")
            // Progress per stage: all 120 blocks loaded, the tampered range's 40 not modelled.
            let stages = status.stdout.split(separator: "\n")
            #expect(stages.contains { $0.hasPrefix("load ") && $0.hasSuffix(" 120/120 blocks") }, "\(status.output)")
            #expect(stages.contains { $0.hasPrefix("model ") && $0.hasSuffix(" 80/120 blocks") }, "\(status.output)")
            #expect(try await Self.versions(db, "enriched_transactions") == enrichedBefore)

            let unknown = try await Ops.coordinator(["models", "backfill", "no_such_model", "--models-dir", Self.models], database: db.url)
            #expect(unknown.status == 64 && unknown.output.contains("no model named 'no_such_model'"), "\(unknown.output)")
            #expect(try await workers.stop() == [0, 0])
        }
    }

    @Test("a missing models folder or a bad model file stops the worker at start, naming the setting and the file")
    func badModelsStopTheWorker() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bf-bad-models-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "-- depends_on: b\nSELECT 1".write(to: folder.appendingPathComponent("a.sql"), atomically: true, encoding: .utf8)
        try "-- depends_on: a\nSELECT :first_block".write(to: folder.appendingPathComponent("b.sql"), atomically: true, encoding: .utf8)
        let base = ["BLOCKFLEET_DATABASE_URL": "postgres://nobody@127.0.0.1:1/none", "BLOCKFLEET_HTTP_PORT": "0", "BLOCKFLEET_WORKER_KINDS": "model"]

        let missing = try FleetProcess("worker", [], environment: base.merging(["BLOCKFLEET_MODELS_DIR": "/nonexistent/models"]) { $1 })
        #expect(try await missing.waitForExit() != 0)
        #expect(missing.log.contains("BLOCKFLEET_MODELS_DIR") && missing.log.contains("/nonexistent/models"), "\(missing.log)")

        let cycle = try FleetProcess("worker", [], environment: base.merging(["BLOCKFLEET_MODELS_DIR": folder.path]) { $1 })
        #expect(try await cycle.waitForExit() != 0)
        #expect(cycle.log.contains("a -> b -> a"), "\(cycle.log)")

        let list = try await Ops.coordinator(["models", "list", "--models-dir", Self.models], database: "postgres://nobody@127.0.0.1:1/none")
        #expect(list.status == 0 && list.stdout.contains("ether_balance_changes") && list.stdout.contains("requires:   blocks, receipts, traces, transactions"), "\(list.output)")
    }
}

// The enriched transactions' insert pairs each transaction with its receipt without testing
// every receipt of its block, on a real PostgreSQL planner.

import Foundation
import PostgresNIO
@testable import Shared
import Testing

@Suite("Enrich model plans")
struct EnrichPlanTests {
    /// Sums the rows a JSON plan's filters removed (per loop in the plan, so times its loops)
    /// and lists its joins.
    static func walk(_ node: [String: Any], _ removed: inout Int, _ joins: inout [String]) {
        let loops = node["Actual Loops"] as? Int ?? 1
        removed += loops * ((node["Rows Removed by Join Filter"] as? Int ?? 0) + (node["Rows Removed by Filter"] as? Int ?? 0))
        if let type = node["Node Type"] as? String, type.contains("Join") || type == "Nested Loop" { joins.append(type) }
        for child in node["Plans"] as? [[String: Any]] ?? [] { walk(child, &removed, &joins) }
    }

    /// Runs the model's statements for blocks 0…249 in a transaction that is rolled back,
    /// explaining the insert; `hints` false leaves out its planner settings.
    static func explainInsert(_ db: TestDatabase, hints: Bool) async throws -> (removed: Int, joins: [String], rows: Int) {
        try await db.client.withConnection { connection in
            _ = try await connection.query("BEGIN", logger: db.logger)
            _ = try await connection.query(PostgresQuery(unsafeSQL: "SET LOCAL search_path = \(db.schema)"), logger: db.logger)
            var plan: String?
            do {
                for statement in EnrichModels.transactions.postgres {
                    let text = statement.text.trimmingCharacters(in: .whitespacesAndNewlines)
                    if !hints && (text.hasPrefix("SET LOCAL enable_") || text.hasPrefix("RESET enable_")) { continue }
                    if text.hasPrefix("INSERT") {
                        let explained = ModelStatement(text: "EXPLAIN (ANALYZE, FORMAT JSON) " + statement.text, parameters: statement.parameters)
                        for try await json in try await connection.query(explained.query(first: 0, last: 249), logger: db.logger).decode(String.self) {
                            plan = json
                        }
                    } else {
                        _ = try await connection.query(statement.query(first: 0, last: 249), logger: db.logger)
                    }
                }
            } catch {
                _ = try? await connection.query("ROLLBACK", logger: db.logger)
                throw error
            }
            _ = try await connection.query("ROLLBACK", logger: db.logger)
            let parsed = try JSONSerialization.jsonObject(with: Data((plan ?? "[]").utf8)) as? [[String: Any]]
            let insert = try #require(parsed?.first?["Plan"] as? [String: Any])
            var removed = 0, joins: [String] = []
            walk(insert, &removed, &joins)
            let rows = (insert["Plans"] as? [[String: Any]])?.first?["Actual Rows"] as? Int ?? -1
            return (removed, joins, rows)
        }
    }

    @Test("enriched_transactions joins 12,500 transactions (50 a block) to their receipts with hash joins, testing no receipt of another transaction; without its planner settings PostgreSQL tests every receipt of the block")
    func transactionsMeetTheirReceiptsOnce() async throws {
        try await TestDatabase.with(migrate: false) { db in
            for entity in [ExportEntity.blocks, .transactions, .receipts] {
                let table = WarehouseTable.of(entity)
                _ = try await db.client.query(PostgresQuery(unsafeSQL: PostgresWarehouseSQL.createTable(table, schema: db.schema)), logger: db.logger)
                _ = try await db.client.query(PostgresQuery(unsafeSQL: PostgresWarehouseSQL.createRangeIndex(table, schema: db.schema)), logger: db.logger)
            }
            // 5,000 blocks of 50 transactions, each with its receipt; the range is the first 250.
            let s = db.schema
            for sql in [
                "INSERT INTO \(s).blocks (number, hash, timestamp) SELECT n, md5(n::text), 1700000000 + 12 * n FROM generate_series(0, 4999) AS n",
                "INSERT INTO \(s).transactions (hash, block_number, transaction_index, nonce) SELECT md5(n || ':' || i), n, i, i FROM generate_series(0, 4999) AS n, generate_series(0, 49) AS i",
                "INSERT INTO \(s).receipts (transaction_hash, block_number, transaction_index, gas_used) SELECT md5(n || ':' || i), n, i, 21000 FROM generate_series(0, 4999) AS n, generate_series(0, 49) AS i",
                "ANALYZE \(s).blocks, \(s).transactions, \(s).receipts",
            ] {
                _ = try await db.client.query(PostgresQuery(unsafeSQL: sql), logger: db.logger)
            }
            let hinted = try await EnrichPlanTests.explainInsert(db, hints: true)
            #expect(hinted.rows == 12_500)
            #expect(hinted.removed == 0, "rows removed by filters: \(hinted.removed), plan \(hinted.joins)")
            #expect(!hinted.joins.isEmpty && hinted.joins.allSatisfy { $0 == "Hash Join" }, "\(hinted.joins)")
            // Why the settings are there: left to itself the planner tests each transaction
            // against all 50 receipts of its block (49 of them removed by a filter).
            let plain = try await EnrichPlanTests.explainInsert(db, hints: false)
            #expect(plain.rows == 12_500)
            #expect(plain.removed >= 12_500 * 40, "\(plain.removed) rows removed by filters, plan \(plain.joins)")
        }
    }
}

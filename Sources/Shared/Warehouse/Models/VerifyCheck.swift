// The verify stage: counts across the loaded tables of a range must agree before models run.

/// One check, after ethereum-etl-airflow's verify stage but per range. Its query returns one row
/// of two BIGINTs, `found` and `expected`; they must be equal. Checks run only when the range
/// loaded every entity they read.
public struct VerifyCheck: Sendable, Equatable {
    public let name: String
    public let requires: Set<ExportEntity>
    /// What the two numbers are, for the failure message.
    public let found: String
    public let expected: String
    /// Uses `:first_block` and `:last_block`; the same text serves both dialects.
    public let sql: String
    /// `sql` with the range as bound parameters, parsed once.
    public let statement: ModelStatement

    init(name: String, requires: Set<ExportEntity>, found: String, expected: String, sql: String) {
        self.name = name
        self.requires = requires
        self.found = found
        self.expected = expected
        self.sql = sql
        // Our own text: parsing cannot fail (a test runs every check).
        self.statement = (try? ModelStatement.parseScript(sql, source: name).first) ?? ModelStatement(text: sql, parameters: [])
    }

    public static let all: [VerifyCheck] = [
        VerifyCheck(
            name: "blocks_have_no_gaps", requires: [.blocks],
            found: "distinct block numbers in blocks", expected: "blocks in the range",
            sql: """
                SELECT count(DISTINCT "number"), CAST(:last_block AS BIGINT) - CAST(:first_block AS BIGINT) + 1
                FROM "blocks" WHERE "number" BETWEEN :first_block AND :last_block
                """
        ),
        VerifyCheck(
            name: "blocks_are_unique", requires: [.blocks],
            found: "rows in blocks", expected: "distinct block numbers",
            sql: """
                SELECT count(*), count(DISTINCT "number")
                FROM "blocks" WHERE "number" BETWEEN :first_block AND :last_block
                """
        ),
        VerifyCheck(
            name: "transactions_count", requires: [.blocks, .transactions],
            found: "rows in transactions", expected: "sum of transaction_count in blocks",
            sql: """
                SELECT (SELECT count(*) FROM "transactions" WHERE "block_number" BETWEEN :first_block AND :last_block),
                       (SELECT CAST(COALESCE(sum("transaction_count"), 0) AS BIGINT) FROM "blocks" WHERE "number" BETWEEN :first_block AND :last_block)
                """
        ),
        VerifyCheck(
            name: "receipts_count", requires: [.transactions, .receipts],
            found: "rows in receipts", expected: "rows in transactions",
            sql: """
                SELECT (SELECT count(*) FROM "receipts" WHERE "block_number" BETWEEN :first_block AND :last_block),
                       (SELECT count(*) FROM "transactions" WHERE "block_number" BETWEEN :first_block AND :last_block)
                """
        ),
        VerifyCheck(
            name: "traces_transactions_count", requires: [.traces, .transactions],
            found: "top-level traces of transactions", expected: "rows in transactions",
            sql: """
                SELECT (SELECT count(*) FROM "traces" WHERE "block_number" BETWEEN :first_block AND :last_block
                          AND "transaction_hash" IS NOT NULL AND ("trace_address" IS NULL OR "trace_address" = '')),
                       (SELECT count(*) FROM "transactions" WHERE "block_number" BETWEEN :first_block AND :last_block)
                """
        ),
        VerifyCheck(
            name: "traces_contracts_count", requires: [.traces, .contracts],
            found: "rows in contracts", expected: "successful create traces",
            sql: """
                SELECT (SELECT count(*) FROM "contracts" WHERE "block_number" BETWEEN :first_block AND :last_block),
                       (SELECT count(*) FROM "traces" WHERE "block_number" BETWEEN :first_block AND :last_block
                          AND "trace_type" = 'create' AND "to_address" IS NOT NULL AND "status" = 1)
                """
        ),
    ]
}

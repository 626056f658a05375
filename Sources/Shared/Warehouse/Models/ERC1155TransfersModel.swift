// The built-in `erc1155_transfers` model: ERC-1155 transfers, one row per (transfer, token id).

/// ethereum-etl's `token_transfers` holds ERC-20 and ERC-721 transfers only; ERC-1155 ones are in
/// the decoded `TransferSingle` / `TransferBatch` tables. This model flattens both into one table,
/// a `TransferBatch` becoming one row per token id (`batch_index` its position, 0 for a single
/// transfer). It joins the catalog when the decode stage decodes both tables (the shipped
/// `common` definitions, or any pair with the same event ABIs), and runs after them in the same
/// model job.
public enum ERC1155TransfersModel {
    public static let name = "erc1155_transfers"

    static let singleSignature = "TransferSingle(address,address,address,uint256,uint256)"
    static let batchSignature = "TransferBatch(address,address,address,uint256[],uint256[])"

    /// The model over the first `TransferSingle` and `TransferBatch` definitions (every contract,
    /// fields named as the ERC-1155 standard's events), or nil when they are not both decoded.
    public static func model(for definitions: [DecodedTableDefinition]) -> WarehouseModel? {
        func find(_ signature: String, _ fields: [String]) -> DecodedTableDefinition? {
            definitions.first { definition in
                definition.parserType == .log && definition.entry.signature == signature && definition.contracts == .all
                    && fields.allSatisfy { field in definition.schema.contains { $0.name == field } }
            }
        }
        guard let single = find(singleSignature, ["operator", "from", "to", "id", "value"]),
              let batch = find(batchSignature, ["operator", "from", "to", "ids", "values"]) else { return nil }
        return model(single: DecodeStageSQL.table(single), batch: DecodeStageSQL.table(batch))
    }

    /// The model reading the quoted, qualified tables `single` and `batch`.
    static func model(single: String, batch: String) -> WarehouseModel {
        let script = """
            CREATE TABLE IF NOT EXISTS "erc1155_transfers" (
                "token_address" TEXT,
                "operator" TEXT,
                "from_address" TEXT,
                "to_address" TEXT,
                "token_id" NUMERIC(78,0),
                "value" NUMERIC(78,0),
                "transaction_hash" TEXT,
                "log_index" BIGINT,
                "batch_index" BIGINT,
                "block_number" BIGINT,
                "block_timestamp" TIMESTAMP
            );
            CREATE INDEX IF NOT EXISTS "erc1155_transfers_block_number_idx" ON "erc1155_transfers" ("block_number");
            DELETE FROM "erc1155_transfers" WHERE "block_number" BETWEEN :first_block AND :last_block;
            INSERT INTO "erc1155_transfers" ("token_address", "operator", "from_address", "to_address", "token_id", "value",
                                             "transaction_hash", "log_index", "batch_index", "block_number", "block_timestamp")
            SELECT s."contract_address", s."operator", s."from", s."to", CAST(s."id" AS NUMERIC(78,0)), CAST(s."value" AS NUMERIC(78,0)),
                   s."transaction_hash", s."log_index", 0, s."block_number", s."block_timestamp"
            FROM \(single) AS s
            WHERE s."block_number" BETWEEN :first_block AND :last_block
            UNION ALL
            SELECT b."contract_address", b."operator", b."from", b."to", CAST(i.id AS NUMERIC(78,0)), CAST(v.amount AS NUMERIC(78,0)),
                   b."transaction_hash", b."log_index", i.n - 1, b."block_number", b."block_timestamp"
            FROM \(batch) AS b
            CROSS JOIN LATERAL jsonb_array_elements_text(CAST(b."ids" AS JSONB)) WITH ORDINALITY AS i(id, n)
            JOIN LATERAL jsonb_array_elements_text(CAST(b."values" AS JSONB)) WITH ORDINALITY AS v(amount, n) ON v.n = i.n
            WHERE b."block_number" BETWEEN :first_block AND :last_block
            """
        // The text is ours and well formed; a parse failure here is a programming error caught by the tests.
        return WarehouseModel(
            name: name, requires: [.logs, .blocks],
            description: "ERC-1155 transfers from the decoded TransferSingle and TransferBatch tables, one row per (transfer, token id)",
            postgres: (try? ModelStatement.parseScript(script, source: name)) ?? [], source: "built-in", concurrent: true
        )
    }
}

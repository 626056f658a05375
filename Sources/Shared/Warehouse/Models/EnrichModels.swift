// The built-in models: ethereum-etl-airflow's enrich stage, per range, in both dialects.

/// The enriched tables analysts query: transactions joined with their receipts and blocks (the
/// columns and order of ethereum-etl-airflow's enriched `transactions`), and logs, token
/// transfers, traces and contracts with their block's timestamp and hash. Each is rebuilt per
/// range: delete the range, insert it from the loaded tables. Their rows belong to one range, so
/// they are `concurrent`: model jobs of different ranges enrich side by side.
public enum EnrichModels {
    public static let all: [WarehouseModel] = [transactions, logs, tokenTransfers, traces, contracts]

    /// One output column: its name, the expression that fills it, and its warehouse type.
    struct Column {
        let name: String
        let expression: String
        let type: WarehouseType
    }

    static let blockTimestamp = Column(name: "block_timestamp", expression: "TIMESTAMP 'epoch' + b.\"timestamp\" * INTERVAL '1 second'", type: .timestamp)
    static let blockHash = Column(name: "block_hash", expression: "b.\"hash\"", type: .text)

    static func columns(of entity: ExportEntity, alias: String, prefix: String = "", only names: [String]? = nil) -> [Column] {
        let table = WarehouseTable.of(entity)
        return (names ?? table.columnNames).map { name in
            let type = table.columns.first { $0.name == name }?.type ?? .text
            return Column(name: prefix + name, expression: "\(alias).\(PostgresWarehouseSQL.quoted(name))", type: type)
        }
    }

    static let transactions: WarehouseModel = {
        let t = { (names: [String]) in columns(of: .transactions, alias: "t", only: names) }
        let r = { (names: [String]) in columns(of: .receipts, alias: "r", prefix: "receipt_", only: names) }
        let output = t(["hash", "nonce", "transaction_index", "from_address", "to_address", "value", "gas", "gas_price", "input"])
            + r(["cumulative_gas_used", "gas_used", "contract_address", "root", "status"])
            + [blockTimestamp, Column(name: "block_number", expression: "b.\"number\"", type: .integer), blockHash]
            + t(["max_fee_per_gas", "max_priority_fee_per_gas", "transaction_type"])
            + r(["effective_gas_price"])
            + t(["max_fee_per_blob_gas", "blob_versioned_hashes"])
            + r(["blob_gas_price", "blob_gas_used"])
        return model(
            "enriched_transactions", requires: [.blocks, .transactions, .receipts], columns: output,
            from: """
                FROM "blocks" AS b
                JOIN "transactions" AS t ON t."block_number" = b."number"
                JOIN "receipts" AS r ON r."transaction_hash" = t."hash" AND r."block_number" = t."block_number"
                WHERE b."number" BETWEEN :first_block AND :last_block
                  AND t."block_number" BETWEEN :first_block AND :last_block
                  AND r."block_number" BETWEEN :first_block AND :last_block
                """,
            description: "transactions with their receipt (receipt_ columns) and block timestamp and hash, as ethereum-etl-airflow's enriched transactions",
            postgresHashJoins: true
        )
    }()

    static let logs = withBlock(.logs, name: "enriched_logs")
    static let tokenTransfers = withBlock(.tokenTransfers, name: "enriched_token_transfers")
    static let traces = withBlock(.traces, name: "enriched_traces")
    static let contracts = withBlock(.contracts, name: "enriched_contracts")

    /// An entity's own columns plus `block_timestamp` and (when it has none) `block_hash`.
    static func withBlock(_ entity: ExportEntity, name: String) -> WarehouseModel {
        var output = columns(of: entity, alias: "x")
        output.append(blockTimestamp)
        if !output.contains(where: { $0.name == "block_hash" }) { output.append(blockHash) }
        return model(
            name, requires: [.blocks, entity], columns: output,
            from: """
                FROM \(PostgresWarehouseSQL.quoted(entity.rawValue)) AS x
                JOIN "blocks" AS b ON b."number" = x."block_number"
                WHERE x."block_number" BETWEEN :first_block AND :last_block
                  AND b."number" BETWEEN :first_block AND :last_block
                """,
            description: "\(entity.rawValue) with their block's timestamp and hash"
        )
    }

    /// Create if missing, delete the range, insert it. Postgres indexes block number (the range
    /// delete) and timestamp (day models); Redshift sorts by block number instead, and its zone
    /// maps serve the timestamp too, since both grow together.
    ///
    /// `postgresHashJoins` runs the insert with hash joins only. PostgreSQL estimates a range's
    /// blocks joined with its transactions at 1/40 of the real rows (both sides filtered by the
    /// same range, taken as independent), so it joins receipts by block number alone and tests
    /// each transaction against every receipt of its block: 625,000 rows tested for 12,500
    /// transactions at 50 a block, ~4 times more per transaction at mainnet's ~200. With hash
    /// joins the insert took 0.10 s instead of 0.22 s on a 250-block range of
    /// `Benchmarks/end-to-end`.
    static func model(_ name: String, requires: Set<ExportEntity>, columns: [Column], from: String, description: String, postgresHashJoins: Bool = false) -> WarehouseModel {
        let table = PostgresWarehouseSQL.quoted(name)
        let names = columns.map { PostgresWarehouseSQL.quoted($0.name) }.joined(separator: ", ")
        let select = columns.map { "\($0.expression) AS \(PostgresWarehouseSQL.quoted($0.name))" }.joined(separator: ",\n    ")
        func create(_ type: (WarehouseType) -> String) -> String {
            "CREATE TABLE IF NOT EXISTS \(table) (\n" + columns.map { "    \(PostgresWarehouseSQL.quoted($0.name)) \(type($0.type))" }.joined(separator: ",\n") + "\n)"
        }
        let delete = "DELETE FROM \(table) WHERE \"block_number\" BETWEEN :first_block AND :last_block"
        let insert = "INSERT INTO \(table) (\(names))\nSELECT\n    \(select)\n\(from)"
        let postgres = """
            \(create(PostgresWarehouseSQL.type));
            CREATE INDEX IF NOT EXISTS \(PostgresWarehouseSQL.quoted("\(name)_block_number_idx")) ON \(table) ("block_number");
            CREATE INDEX IF NOT EXISTS \(PostgresWarehouseSQL.quoted("\(name)_block_timestamp_idx")) ON \(table) ("block_timestamp");
            \(delete);
            \(postgresHashJoins ? "SET LOCAL enable_nestloop = off;\nSET LOCAL enable_mergejoin = off;" : "")
            \(insert);
            \(postgresHashJoins ? "RESET enable_nestloop;\nRESET enable_mergejoin;" : "")
            """
        let redshift = """
            \(create(RedshiftSQL.type))
            DISTKEY ("block_number") COMPOUND SORTKEY ("block_number");
            \(delete);
            \(insert)
            """
        // The texts are ours and well formed; a parse failure here is a programming error caught by the tests.
        return WarehouseModel(
            name: name, requires: requires, description: description,
            postgres: (try? ModelStatement.parseScript(postgres, source: name)) ?? [],
            redshift: (try? ModelStatement.parseScript(redshift, source: name)) ?? [],
            source: "built-in", concurrent: true
        )
    }
}

// Each entity's columns, declared once, in ethereum-etl 2.4.x's order (its exporters' field lists).

/// The column names of one entity's output, in order. CSV headers, JSON keys and the mappers'
/// value order all come from here, so a column is added in exactly one place.
public struct EntityColumns: Sendable, Equatable {
    public let entity: ExportEntity
    public let names: [String]
    /// Column name to position, so mappers set values by name and the order stays in `names`.
    private let positions: [String: Int]

    public init(entity: ExportEntity, names: [String]) {
        self.entity = entity
        self.names = names
        var positions: [String: Int] = [:]
        for (index, name) in names.enumerated() { positions[name] = index }
        self.positions = positions
    }

    public var count: Int { names.count }

    /// The position of a column, or nil when the entity has no such column.
    public func index(of name: String) -> Int? { positions[name] }

    /// The columns of an entity.
    public static func of(_ entity: ExportEntity) -> EntityColumns {
        switch entity {
        case .blocks: return blocks
        case .transactions: return transactions
        case .receipts: return receipts
        case .logs: return logs
        case .tokenTransfers: return tokenTransfers
        case .traces: return traces
        case .contracts: return contracts
        case .tokens: return tokens
        }
    }

    /// `BLOCK_FIELDS_TO_EXPORT` of blocks_and_transactions_item_exporter.py.
    public static let blocks = EntityColumns(entity: .blocks, names: [
        "number", "hash", "parent_hash", "nonce", "sha3_uncles", "logs_bloom", "transactions_root",
        "state_root", "receipts_root", "miner", "difficulty", "total_difficulty", "size", "extra_data",
        "gas_limit", "gas_used", "timestamp", "transaction_count", "base_fee_per_gas",
        "withdrawals_root", "withdrawals", "blob_gas_used", "excess_blob_gas",
    ])

    /// `TRANSACTION_FIELDS_TO_EXPORT` of blocks_and_transactions_item_exporter.py.
    public static let transactions = EntityColumns(entity: .transactions, names: [
        "hash", "nonce", "block_hash", "block_number", "transaction_index", "from_address",
        "to_address", "value", "gas", "gas_price", "input", "block_timestamp", "max_fee_per_gas",
        "max_priority_fee_per_gas", "transaction_type", "max_fee_per_blob_gas", "blob_versioned_hashes",
    ])

    /// `RECEIPT_FIELDS_TO_EXPORT` of receipts_and_logs_item_exporter.py.
    public static let receipts = EntityColumns(entity: .receipts, names: [
        "transaction_hash", "transaction_index", "block_hash", "block_number", "cumulative_gas_used",
        "gas_used", "contract_address", "root", "status", "effective_gas_price", "l1_fee",
        "l1_gas_used", "l1_gas_price", "l1_fee_scalar", "blob_gas_price", "blob_gas_used",
    ])

    /// `LOG_FIELDS_TO_EXPORT` of receipts_and_logs_item_exporter.py.
    public static let logs = EntityColumns(entity: .logs, names: [
        "log_index", "transaction_hash", "transaction_index", "block_hash", "block_number",
        "address", "data", "topics",
    ])

    /// `FIELDS_TO_EXPORT` of token_transfers_item_exporter.py.
    public static let tokenTransfers = EntityColumns(entity: .tokenTransfers, names: [
        "token_address", "from_address", "to_address", "value", "transaction_hash", "log_index",
        "block_number",
    ])

    /// `FIELDS_TO_EXPORT` of traces_item_exporter.py (no mapper yet).
    public static let traces = EntityColumns(entity: .traces, names: [
        "block_number", "transaction_hash", "transaction_index", "from_address", "to_address",
        "value", "input", "output", "trace_type", "call_type", "reward_type", "gas", "gas_used",
        "subtraces", "trace_address", "error", "status", "trace_id",
    ])

    /// `FIELDS_TO_EXPORT` of contracts_item_exporter.py (no mapper yet).
    public static let contracts = EntityColumns(entity: .contracts, names: [
        "address", "bytecode", "function_sighashes", "is_erc20", "is_erc721", "block_number",
    ])

    /// `FIELDS_TO_EXPORT` of tokens_item_exporter.py (no mapper yet).
    public static let tokens = EntityColumns(entity: .tokens, names: [
        "address", "symbol", "name", "decimals", "total_supply", "block_number",
    ])
}

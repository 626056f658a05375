// THE column table: every exported column of the eight entities, once. Add a column here (and,
// if it comes from the node, its member in the node answer): see docs/architecture.md.

extension EntityColumns {
    /// `BLOCK_FIELDS_TO_EXPORT` of blocks_and_transactions_item_exporter.py.
    public static let blocks = EntityColumns(entity: .blocks, [
        .quantity("number", "number"),
        .text("hash", "hash"),
        .text("parent_hash", "parentHash"),
        .text("nonce", "nonce", nullable: true),
        .text("sha3_uncles", "sha3Uncles"),
        .text("logs_bloom", "logsBloom"),
        .text("transactions_root", "transactionsRoot"),
        .text("state_root", "stateRoot"),
        .text("receipts_root", "receiptsRoot"),
        .address("miner", "miner"),
        .quantity("difficulty", "difficulty", .wei, nullable: true),
        .quantity("total_difficulty", "totalDifficulty", .wei, nullable: true),
        .quantity("size", "size", nullable: true),
        .text("extra_data", "extraData"),
        .quantity("gas_limit", "gasLimit"),
        .quantity("gas_used", "gasUsed"),
        .quantity("timestamp", "timestamp"),
        .computed("transaction_count", .integer),
        .quantity("base_fee_per_gas", "baseFeePerGas", .wei, nullable: true),
        .text("withdrawals_root", "withdrawalsRoot", nullable: true),
        .computed("withdrawals", .text, nullable: true),
        .quantity("blob_gas_used", "blobGasUsed", nullable: true),
        .quantity("excess_blob_gas", "excessBlobGas", nullable: true),
    ])

    /// `TRANSACTION_FIELDS_TO_EXPORT` of blocks_and_transactions_item_exporter.py.
    public static let transactions = EntityColumns(entity: .transactions, [
        .text("hash", "hash"),
        .quantity("nonce", "nonce"),
        .text("block_hash", "blockHash"),
        .quantity("block_number", "blockNumber"),
        .quantity("transaction_index", "transactionIndex"),
        .address("from_address", "from"),
        .address("to_address", "to", nullable: true),
        .quantity("value", "value", .wei),
        .quantity("gas", "gas"),
        .quantity("gas_price", "gasPrice", .wei, nullable: true),
        .text("input", "input"),
        .computed("block_timestamp", .integer),
        .quantity("max_fee_per_gas", "maxFeePerGas", .wei, nullable: true),
        .quantity("max_priority_fee_per_gas", "maxPriorityFeePerGas", .wei, nullable: true),
        .quantity("transaction_type", "type", nullable: true),
        .quantity("max_fee_per_blob_gas", "maxFeePerBlobGas", .wei, nullable: true),
        .list("blob_versioned_hashes", "blobVersionedHashes", nullable: true),
    ])

    /// `RECEIPT_FIELDS_TO_EXPORT` of receipts_and_logs_item_exporter.py.
    public static let receipts = EntityColumns(entity: .receipts, [
        .text("transaction_hash", "transactionHash"),
        .quantity("transaction_index", "transactionIndex"),
        .text("block_hash", "blockHash"),
        .quantity("block_number", "blockNumber"),
        .quantity("cumulative_gas_used", "cumulativeGasUsed"),
        .quantity("gas_used", "gasUsed"),
        .address("contract_address", "contractAddress", nullable: true),
        .text("root", "root", nullable: true),
        .quantity("status", "status", nullable: true),
        .quantity("effective_gas_price", "effectiveGasPrice", .wei, nullable: true),
        .quantity("l1_fee", "l1Fee", .wei, nullable: true),
        .quantity("l1_gas_used", "l1GasUsed", nullable: true),
        .quantity("l1_gas_price", "l1GasPrice", .wei, nullable: true),
        Column("l1_fee_scalar", member: "l1FeeScalar", .float, .text, nullable: true),
        .quantity("blob_gas_price", "blobGasPrice", .wei, nullable: true),
        .quantity("blob_gas_used", "blobGasUsed", nullable: true),
    ])

    /// `LOG_FIELDS_TO_EXPORT` of receipts_and_logs_item_exporter.py. The address is NOT
    /// lower-cased: ethereum-etl keeps it as sent.
    public static let logs = EntityColumns(entity: .logs, [
        .quantity("log_index", "logIndex"),
        .text("transaction_hash", "transactionHash"),
        .quantity("transaction_index", "transactionIndex"),
        .text("block_hash", "blockHash"),
        .quantity("block_number", "blockNumber"),
        .text("address", "address"),
        .text("data", "data"),
        .list("topics", "topics"),
    ])

    /// `FIELDS_TO_EXPORT` of token_transfers_item_exporter.py: computed from Transfer logs.
    public static let tokenTransfers = EntityColumns(entity: .tokenTransfers, [
        .computed("token_address", .text),
        .computed("from_address", .text),
        .computed("to_address", .text),
        .computed("value", .uint256),
        .computed("transaction_hash", .text),
        .computed("log_index", .integer),
        .computed("block_number", .integer),
    ])

    /// `FIELDS_TO_EXPORT` of traces_item_exporter.py: computed from trace records.
    public static let traces = EntityColumns(entity: .traces, [
        .computed("block_number", .integer),
        .computed("transaction_hash", .text, nullable: true),
        .computed("transaction_index", .integer, nullable: true),
        .computed("from_address", .text, nullable: true),
        .computed("to_address", .text, nullable: true),
        .computed("value", .wei, nullable: true),
        .computed("input", .text, nullable: true),
        .computed("output", .text, nullable: true),
        .computed("trace_type", .text),
        .computed("call_type", .text, nullable: true),
        .computed("reward_type", .text, nullable: true),
        .computed("gas", .integer, nullable: true),
        .computed("gas_used", .integer, nullable: true),
        .computed("subtraces", .integer),
        .computed("trace_address", .text, nullable: true),
        .computed("error", .text, nullable: true),
        .computed("status", .integer, nullable: true),
        .computed("trace_id", .text, nullable: true),
    ])

    /// `FIELDS_TO_EXPORT` of contracts_item_exporter.py: computed from create traces and code.
    public static let contracts = EntityColumns(entity: .contracts, [
        .computed("address", .text),
        .computed("bytecode", .text, nullable: true),
        .computed("function_sighashes", .text, nullable: true),
        .computed("is_erc20", .boolean),
        .computed("is_erc721", .boolean),
        .computed("block_number", .integer),
    ])

    /// `FIELDS_TO_EXPORT` of tokens_item_exporter.py: computed from contract calls.
    public static let tokens = EntityColumns(entity: .tokens, [
        .computed("address", .text),
        .computed("symbol", .text, nullable: true),
        .computed("name", .text, nullable: true),
        .computed("decimals", .uint256, nullable: true),
        .computed("total_supply", .uint256, nullable: true),
        .computed("block_number", .integer),
    ])
}

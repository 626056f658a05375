// Transaction rows from a full block result, as ethereum-etl's EthTransactionMapper writes them.

/// One row per transaction of a full block (a header-only block has none). Addresses are
/// lower-cased, quantities decimal, and `block_timestamp` is taken from the block.
public struct TransactionMapper: EntityMapper {
    public let entity = ExportEntity.transactions

    public init() {}

    public func rows(from bundle: BlockBundle) throws(ExportError) -> [ExportRow] {
        guard case .full(let transactions) = bundle.block.transactions, !transactions.isEmpty else { return [] }
        let number = try bundle.number()
        let timestamp = ExportValue.number(try RowBuilder.decimal(bundle.block.timestamp, block: number, field: "timestamp"))
        var rows: [ExportRow] = []
        rows.reserveCapacity(transactions.count)
        // By index: `enumerated()` would copy each transaction (a retain per field).
        for index in transactions.indices {
            rows.append(try row(transactions[index], timestamp: timestamp, block: number, at: .transaction(index)))
        }
        return rows
    }

    private func row(_ transaction: RPCTransaction, timestamp: ExportValue, block: UInt64, at location: RowLocation) throws(ExportError) -> ExportRow {
        var row = RowBuilder(.transactions, block: block, at: location)
        row.text("hash", transaction.hash)
        try row.quantity("nonce", transaction.nonce)
        row.text("block_hash", transaction.blockHash)
        try row.quantity("block_number", transaction.blockNumber)
        try row.quantity("transaction_index", transaction.transactionIndex)
        row.address("from_address", transaction.from)
        row.address("to_address", transaction.to)
        try row.quantity("value", transaction.value)
        try row.quantity("gas", transaction.gas)
        try row.quantity("gas_price", transaction.gasPrice)
        row.text("input", transaction.input)
        row.set("block_timestamp", timestamp)
        try row.quantity("max_fee_per_gas", transaction.maxFeePerGas)
        try row.quantity("max_priority_fee_per_gas", transaction.maxPriorityFeePerGas)
        try row.quantity("transaction_type", transaction.type)
        try row.quantity("max_fee_per_blob_gas", transaction.maxFeePerBlobGas)
        row.texts("blob_versioned_hashes", transaction.blobVersionedHashes)
        return try row.row()
    }
}

// Block rows from a block result, as ethereum-etl's EthBlockMapper writes them.

/// One row per block. Hashes, nonce and extra data pass through as sent; the miner is
/// lower-cased; quantities become decimal; withdrawals become a list of small objects.
public struct BlockMapper: EntityMapper {
    public let entity = ExportEntity.blocks

    public init() {}

    public func rows(from bundle: BlockBundle) throws(ExportError) -> [ExportRow] {
        [try row(bundle.block)]
    }

    /// The row of one block.
    public func row(_ block: RPCBlock) throws(ExportError) -> ExportRow {
        let number = try block.numberValue()
        var row = RowBuilder(.blocks, block: number)
        row.set("number", .number(String(number)))
        row.text("hash", block.hash)
        row.text("parent_hash", block.parentHash)
        row.text("nonce", block.nonce)
        row.text("sha3_uncles", block.sha3Uncles)
        row.text("logs_bloom", block.logsBloom)
        row.text("transactions_root", block.transactionsRoot)
        row.text("state_root", block.stateRoot)
        row.text("receipts_root", block.receiptsRoot)
        row.address("miner", block.miner)
        try row.quantity("difficulty", block.difficulty)
        try row.quantity("total_difficulty", block.totalDifficulty)
        try row.quantity("size", block.size)
        row.text("extra_data", block.extraData)
        try row.quantity("gas_limit", block.gasLimit)
        try row.quantity("gas_used", block.gasUsed)
        try row.quantity("timestamp", block.timestamp)
        row.set("transaction_count", .number(String(block.transactions.count)))
        try row.quantity("base_fee_per_gas", block.baseFeePerGas)
        row.text("withdrawals_root", block.withdrawalsRoot)
        row.set("withdrawals", try Self.withdrawalsValue(block.withdrawals, block: number))
        try row.quantity("blob_gas_used", block.blobGasUsed)
        try row.quantity("excess_blob_gas", block.excessBlobGas)
        return try row.row()
    }

    /// ethereum-etl's `parse_withdrawals`: decimal index, validator index and amount; the
    /// address as sent (it is not normalized there).
    static func withdrawalsValue(_ withdrawals: [RPCWithdrawal]?, block: UInt64) throws(ExportError) -> ExportValue {
        guard let withdrawals else { return .null }
        var objects: [ExportObject] = []
        objects.reserveCapacity(withdrawals.count)
        for (index, withdrawal) in withdrawals.enumerated() {
            let path = "withdrawals[\(index)]."
            objects.append(ExportObject([
                "index": .number(try RowBuilder.decimal(withdrawal.index, block: block, field: path + "index")),
                "validator_index": .number(try RowBuilder.decimal(withdrawal.validatorIndex, block: block, field: path + "validatorIndex")),
                "address": .text(withdrawal.address),
                "amount": .number(try RowBuilder.decimal(withdrawal.amount, block: block, field: path + "amount")),
            ]))
        }
        return .objects(objects)
    }
}

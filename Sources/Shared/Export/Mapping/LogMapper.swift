// Log rows from receipts, as ethereum-etl's EthReceiptLogMapper writes them.

/// One row per log of each receipt. The log's address is NOT lower-cased (ethereum-etl keeps it
/// as sent), and topics are a list: comma-joined in CSV, an array in JSON.
public struct LogMapper: EntityMapper {
    public let entity = ExportEntity.logs

    public init() {}

    public func rows(from bundle: BlockBundle) throws(ExportError) -> [ExportRow] {
        let (number, receipts) = try bundle.requiredReceipts()
        var rows: [ExportRow] = []
        // By index, without `BlockBundle.logs()`: no copy of each log and no path text per row.
        for receiptIndex in receipts.indices {
            let logs = receipts[receiptIndex].logs
            for logIndex in logs.indices {
                rows.append(try row(logs[logIndex], block: number, at: .log(receipt: receiptIndex, log: logIndex)))
            }
        }
        return rows
    }

    /// The row of one log; `block` and `path` only name the log in errors.
    public func row(_ log: RPCLog, block: UInt64?, path: String = "") throws(ExportError) -> ExportRow {
        try row(log, block: block, at: .text(path))
    }

    func row(_ log: RPCLog, block: UInt64?, at location: RowLocation) throws(ExportError) -> ExportRow {
        var row = RowBuilder(.logs, block: block, at: location)
        try row.quantity("log_index", log.logIndex)
        row.text("transaction_hash", log.transactionHash)
        try row.quantity("transaction_index", log.transactionIndex)
        row.text("block_hash", log.blockHash)
        try row.quantity("block_number", log.blockNumber)
        row.text("address", log.address)
        row.text("data", log.data)
        row.texts("topics", log.topics)
        return try row.row()
    }
}

// Log rows from receipts, as ethereum-etl's EthReceiptLogMapper writes them.

/// One row per log of each receipt. The log's address is NOT lower-cased (ethereum-etl keeps it
/// as sent), and topics are a list: comma-joined in CSV, an array in JSON.
public struct LogMapper: EntityMapper {
    public let entity = ExportEntity.logs

    public init() {}

    public func rows(from bundle: BlockBundle) throws(ExportError) -> [ExportRow] {
        let number = try bundle.number()
        guard let receipts = bundle.receipts else {
            throw ExportError(.missingField, block: number, field: "receipts", "receipts were not fetched for this block")
        }
        var rows: [ExportRow] = []
        for (receiptIndex, receipt) in receipts.enumerated() {
            for (logIndex, log) in receipt.logs.enumerated() {
                rows.append(try row(log, block: number, path: "receipts[\(receiptIndex)].logs[\(logIndex)]."))
            }
        }
        return rows
    }

    /// The row of one log; `block` and `path` only name the log in errors.
    public func row(_ log: RPCLog, block: UInt64?, path: String = "") throws(ExportError) -> ExportRow {
        var row = RowBuilder(.logs, block: block, path: path)
        try row.quantity("log_index", log.logIndex, field: "logIndex")
        row.text("transaction_hash", log.transactionHash)
        try row.quantity("transaction_index", log.transactionIndex, field: "transactionIndex")
        row.text("block_hash", log.blockHash)
        try row.quantity("block_number", log.blockNumber, field: "blockNumber")
        row.text("address", log.address)
        row.text("data", log.data)
        row.texts("topics", log.topics)
        return try row.row()
    }
}

// Log rows from receipts, as ethereum-etl's EthReceiptLogMapper writes them.

/// One row per log of each receipt. The log's address is NOT lower-cased (ethereum-etl keeps it
/// as sent), and topics are a list: comma-joined in CSV, an array in JSON.
public struct LogMapper: EntityMapper {
    public let entity = ExportEntity.logs

    public init() {}

    public func rows(from bundle: BlockBundle) throws(ExportError) -> [ExportRow] {
        let (number, logs) = try bundle.logs()
        var rows: [ExportRow] = []
        rows.reserveCapacity(logs.count)
        for (log, path) in logs {
            rows.append(try row(log, block: number, path: path))
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

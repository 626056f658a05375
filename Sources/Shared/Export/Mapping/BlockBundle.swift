// One block with its receipts: the unit the mappers turn into rows.

/// A block and, when fetched, its receipts in transaction order, its traces (with statuses and
/// ids), the contracts created in it and their token metadata. What was not fetched is nil.
public struct BlockBundle: Sendable {
    public var block: RPCBlock
    public var receipts: [RPCReceipt]?
    public var traces: [TraceRecord]?
    public var contracts: [ContractRecord]?
    public var tokens: [TokenRecord]?

    public init(block: RPCBlock, receipts: [RPCReceipt]? = nil) {
        self.block = block
        self.receipts = receipts
    }

    /// The block number, or an error naming the field when it is not hex.
    public func number() throws(ExportError) -> UInt64 {
        try block.numberValue()
    }

    /// The block's receipts, or an error naming the block when they were not fetched.
    public func requiredReceipts() throws(ExportError) -> (number: UInt64, receipts: [RPCReceipt]) {
        let number = try number()
        guard let receipts else {
            throw ExportError(.missingField, block: number, field: "receipts", "receipts were not fetched for this block")
        }
        return (number, receipts)
    }

    /// Every log of the block's receipts with its JSON path (`receipts[1].logs[0].`), for errors.
    public func logs() throws(ExportError) -> (number: UInt64, logs: [(log: RPCLog, path: String)]) {
        let (number, receipts) = try requiredReceipts()
        var logs: [(log: RPCLog, path: String)] = []
        for (receiptIndex, receipt) in receipts.enumerated() {
            for (logIndex, log) in receipt.logs.enumerated() {
                logs.append((log, "receipts[\(receiptIndex)].logs[\(logIndex)]."))
            }
        }
        return (number, logs)
    }
}

// One block with its receipts: the unit the mappers turn into rows.

/// A block and, when receipts were fetched, its receipts in transaction order. Blocks-only
/// exports leave `receipts` nil; later entities (traces) will add their inputs here.
public struct BlockBundle: Sendable {
    public var block: RPCBlock
    public var receipts: [RPCReceipt]?

    public init(block: RPCBlock, receipts: [RPCReceipt]? = nil) {
        self.block = block
        self.receipts = receipts
    }

    /// The block number, or an error naming the field when it is not hex.
    public func number() throws(ExportError) -> UInt64 {
        try block.numberValue()
    }
}

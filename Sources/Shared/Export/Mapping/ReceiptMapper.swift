// Receipt rows, as ethereum-etl's EthReceiptMapper writes them.

import Foundation

/// One row per receipt. `root` passes through as sent, `contract_address` is lower-cased,
/// `l1_fee_scalar` is a float (Python's `float(x)` and its `repr`), the rest decimal.
public struct ReceiptMapper: EntityMapper {
    public let entity = ExportEntity.receipts

    public init() {}

    public func rows(from bundle: BlockBundle) throws(ExportError) -> [ExportRow] {
        let (number, receipts) = try bundle.requiredReceipts()
        var rows: [ExportRow] = []
        rows.reserveCapacity(receipts.count)
        // By index: `enumerated()` would copy each receipt (a retain per field).
        for index in receipts.indices {
            rows.append(try row(receipts[index], block: number, at: .receipt(index)))
        }
        return rows
    }

    /// The row of one receipt; `block` and `path` only name the receipt in errors.
    public func row(_ receipt: RPCReceipt, block: UInt64?, path: String = "") throws(ExportError) -> ExportRow {
        try row(receipt, block: block, at: .text(path))
    }

    func row(_ receipt: RPCReceipt, block: UInt64?, at location: RowLocation) throws(ExportError) -> ExportRow {
        var row = RowBuilder(.receipts, block: block, at: location)
        row.text("transaction_hash", receipt.transactionHash)
        try row.quantity("transaction_index", receipt.transactionIndex)
        row.text("block_hash", receipt.blockHash)
        try row.quantity("block_number", receipt.blockNumber)
        try row.quantity("cumulative_gas_used", receipt.cumulativeGasUsed)
        try row.quantity("gas_used", receipt.gasUsed)
        row.address("contract_address", receipt.contractAddress)
        row.text("root", receipt.root)
        try row.quantity("status", receipt.status)
        try row.quantity("effective_gas_price", receipt.effectiveGasPrice)
        try row.quantity("l1_fee", receipt.l1Fee)
        try row.quantity("l1_gas_used", receipt.l1GasUsed)
        try row.quantity("l1_gas_price", receipt.l1GasPrice)
        row.set("l1_fee_scalar", Self.float(receipt.l1FeeScalar))
        try row.quantity("blob_gas_price", receipt.blobGasPrice)
        try row.quantity("blob_gas_used", receipt.blobGasUsed)
        return try row.row()
    }

    /// ethereum-etl's `to_float_or_none`: a float's shortest round-trip text (Swift's `description`
    /// matches Python's `repr`, e.g. `1e-05`, `1e+16`), or the text itself when it is no number.
    static func float(_ text: String?) -> ExportValue {
        guard let text, !text.isEmpty else { return .null }
        guard let value = Double(text.trimmingCharacters(in: .whitespaces)) else { return .text(text) }
        return .number(value.description)
    }
}

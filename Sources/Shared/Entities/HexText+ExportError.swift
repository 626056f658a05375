// Hex quantities read where a malformed one is the node's fault, named by block and field.

extension HexText {
    /// Decimal text of a hex quantity, or an error naming block and field.
    static func requireDecimal(_ hex: String, block: UInt64?, field: String) throws(ExportError) -> String {
        guard let decimal = HexText.decimal(hex) else {
            throw ExportError(.malformedHex, block: block, field: field, "'\(hex)' is not a hex quantity")
        }
        return decimal
    }
}

// How the transcoder appends to ParquetCells: nulls, text, integers and hex quantities, declining what the decoding path would refuse.

extension ParquetCells.Column {
    typealias Declined = CSVTranscoder.Declined

    /// A null: no bytes or a zero, flagged. Declines in a non-nullable column, where the decoding
    /// path's writer would refuse it (and report it).
    @inline(__always)
    mutating func appendNull(_ conversion: EntityParquetField.Conversion, nullable: Bool) throws(Declined) {
        guard nullable else { throw Declined("a null in a non-nullable Parquet column") }
        nulls.append(true)
        if conversion == .text { ends.append(bytes.count) } else { integers.append(0) }
    }

    /// Ends a BYTE_ARRAY value appended to `bytes`.
    @inline(__always)
    mutating func endText(nullable: Bool) {
        ends.append(bytes.count)
        if nullable { nulls.append(false) }
    }

    /// A BYTE_ARRAY value.
    @inline(__always)
    mutating func appendText(_ value: UnsafeBufferPointer<UInt8>, nullable: Bool) {
        bytes.append(contentsOf: value)
        endText(nullable: nullable)
    }

    /// An INT64 value, or a TIMESTAMP's unix seconds.
    @inline(__always)
    mutating func appendInteger(_ value: Int64, nullable: Bool) {
        integers.append(value)
        if nullable { nulls.append(false) }
    }

    /// A hex quantity as INT64 (or TIMESTAMP seconds). Declines what the decoding path refuses:
    /// malformed hex, or a value past `Int64.max` (past `Int64.max / 10⁶` for seconds, which
    /// the TIMESTAMP column scales to its unit).
    @inline(__always)
    mutating func appendQuantity(_ hex: UnsafeBufferPointer<UInt8>, seconds: Bool, nullable: Bool) throws(Declined) {
        guard let value = HexText.uint64(hex), value <= (seconds ? UInt64(Int64.max / 1_000_000) : UInt64(Int64.max)) else {
            throw Declined("a quantity is not hex or does not fit INT64")
        }
        appendInteger(Int64(value), nullable: nullable)
    }
}

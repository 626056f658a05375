// A column chunk's statistics as the footer stores them.

/// `Statistics` in parquet.thrift: min_value/max_value in the column's type-defined order
/// (signed for INT64, unsigned bytewise for BYTE_ARRAY; the footer declares TypeDefinedOrder),
/// PLAIN-encoded without length prefix, and the null count. The deprecated `min`/`max` fields
/// (signed byte order) are not written.
struct ParquetStatistics: Equatable {
    var nullCount: Int64
    var minValue: [UInt8]?
    var maxValue: [UInt8]?

    func encode(into writer: inout ParquetThriftWriter) {
        writer.field(3, i64: nullCount)
        if let maxValue, let minValue {
            writer.field(5, binary: maxValue)
            writer.field(6, binary: minValue)
        }
    }
}

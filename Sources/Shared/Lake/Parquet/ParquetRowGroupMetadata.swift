// What the footer says about one written row group.

/// `RowGroup`: its column chunks, row count and sizes.
struct ParquetRowGroupMetadata {
    var columns: [ParquetColumnChunkMetadata]
    var rowCount: Int
    var ordinal: Int

    func encode(into writer: inout ParquetThriftWriter) {
        writer.field(1, listOf: .structure, count: columns.count) { list in
            for column in columns { list.element(struct: { column.encode(into: &$0) }) }
        }
        writer.field(2, i64: Int64(columns.reduce(0) { $0 + $1.uncompressedSize }))
        writer.field(3, i64: Int64(rowCount))
        writer.field(5, i64: Int64(columns.first?.startOffset ?? 0))
        writer.field(6, i64: Int64(columns.reduce(0) { $0 + $1.compressedSize }))
        writer.field(7, i16: Int16(truncatingIfNeeded: ordinal))
    }
}

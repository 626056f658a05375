// What the footer says about one written column chunk.

/// `ColumnChunk` with its `ColumnMetaData`, kept until the footer is written.
struct ParquetColumnChunkMetadata {
    var column: ParquetColumn
    var encodings: [ParquetFormat.Encoding]
    var codec: ParquetCodec
    /// Rows, nulls included.
    var valueCount: Int
    /// Sizes of all pages with their headers.
    var uncompressedSize: Int
    var compressedSize: Int
    var dataPageOffset: Int
    var dictionaryPageOffset: Int?
    var statistics: ParquetStatistics
    /// `PageEncodingStats`: how many pages of each type and encoding (readers use it to know
    /// that every data page is dictionary-encoded).
    var pageCounts: [(type: ParquetFormat.PageType, encoding: ParquetFormat.Encoding, count: Int)]

    /// Where the chunk starts: its dictionary page, else its first data page.
    var startOffset: Int { dictionaryPageOffset ?? dataPageOffset }

    func encode(into writer: inout ParquetThriftWriter) {
        writer.field(2, i64: Int64(startOffset))
        writer.field(3, struct: { meta in
            meta.field(1, i32: column.type.physicalType.rawValue)
            meta.field(2, listOf: .i32, count: encodings.count) { list in
                for encoding in encodings { list.element(i32: encoding.rawValue) }
            }
            meta.field(3, listOf: .binary, count: 1) { list in list.element(string: column.name) }
            meta.field(4, i32: codec.thriftValue)
            meta.field(5, i64: Int64(valueCount))
            meta.field(6, i64: Int64(uncompressedSize))
            meta.field(7, i64: Int64(compressedSize))
            meta.field(9, i64: Int64(dataPageOffset))
            if let dictionaryPageOffset { meta.field(11, i64: Int64(dictionaryPageOffset)) }
            meta.field(12, struct: { statistics.encode(into: &$0) })
            meta.field(13, listOf: .structure, count: pageCounts.count) { list in
                for entry in pageCounts {
                    list.element(struct: { stats in
                        stats.field(1, i32: entry.type.rawValue)
                        stats.field(2, i32: entry.encoding.rawValue)
                        stats.field(3, i32: Int32(entry.count))
                    })
                }
            }
        })
    }
}

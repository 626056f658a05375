// The Thrift header in front of every page.

/// `PageHeader` with its `DataPageHeader` (v1) or `DictionaryPageHeader`.
struct ParquetPageHeader {
    var type: ParquetFormat.PageType
    var uncompressedSize: Int
    var compressedSize: Int
    /// Rows (nulls included) of a data page; entries of a dictionary page.
    var valueCount: Int
    var encoding: ParquetFormat.Encoding

    func encoded() -> [UInt8] {
        var writer = ParquetThriftWriter()
        writer.field(1, i32: type.rawValue)
        writer.field(2, i32: Int32(uncompressedSize))
        writer.field(3, i32: Int32(compressedSize))
        switch type {
        case .dictionaryPage:
            writer.field(7, struct: { page in
                page.field(1, i32: Int32(valueCount))
                page.field(2, i32: encoding.rawValue)
            })
        default:
            writer.field(5, struct: { page in
                page.field(1, i32: Int32(valueCount))
                page.field(2, i32: encoding.rawValue)
                page.field(3, i32: ParquetFormat.Encoding.rle.rawValue)
                page.field(4, i32: ParquetFormat.Encoding.rle.rawValue)
            })
        }
        writer.stop()
        return writer.bytes
    }
}

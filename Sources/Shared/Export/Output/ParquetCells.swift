// One entity's Parquet cells of a window, column by column, as the transcoder reads them from spans.

/// The values of one entity's rows in a window, laid out per column of its `EntityParquetSchema`
/// (the Parquet fields, in order): byte strings end to end, integers as `Int64`, a null flag
/// per row for nullable columns. The transcoder fills it while it reads the window (in the
/// window's task, beside the other windows in flight); the exporter then appends rows of it, in
/// block order, to a `ParquetRowWriter`'s column buffers (`ParquetRowWriter.write(_:rows:)`).
///
/// Why not `ExportRow`s: those hold a `String` and an `ExportValue` per cell, which is what made
/// the decoding path slow; these are a few flat arrays per column, reused window after window.
struct ParquetCells: Sendable {
    /// One Parquet field's values.
    struct Column: Sendable {
        /// BYTE_ARRAY values (`Conversion.text`), end to end; `ends[row]` is where the row's ends.
        var bytes: [UInt8] = []
        var ends: [Int] = []
        /// INT64 and TIMESTAMP values (`Conversion.int64`, `.epochSeconds`: unix seconds), one per row.
        var integers: [Int64] = []
        /// One per row of a nullable column (true: null); empty for a non-nullable one.
        var nulls: [Bool] = []

        mutating func removeAll() {
            bytes.removeAll(keepingCapacity: true)
            ends.removeAll(keepingCapacity: true)
            integers.removeAll(keepingCapacity: true)
            nulls.removeAll(keepingCapacity: true)
        }

        /// The byte range of row `row` of a BYTE_ARRAY column.
        @inline(__always)
        func range(_ row: Int) -> Range<Int> {
            (row == 0 ? 0 : ends[row - 1])..<ends[row]
        }
    }

    var columns: [Column]
    private(set) var rowCount = 0
    /// The rows written after each block of the window: block `i`'s rows are
    /// `(i == 0 ? 0 : blockEnds[i - 1])..<blockEnds[i]` (the lake splits a window by date).
    private(set) var blockEnds: [Int] = []

    init(fields: Int) {
        columns = Array(repeating: Column(), count: fields)
    }

    /// The rows of block `index` of the window.
    func rows(ofBlock index: Int) -> Range<Int> {
        (index == 0 ? 0 : blockEnds[index - 1])..<blockEnds[index]
    }

    /// Counts rows whose cells were all appended.
    @inline(__always)
    mutating func endRows(_ count: Int) {
        rowCount += count
    }

    /// Marks the end of a block's rows.
    mutating func endBlock() {
        blockEnds.append(rowCount)
    }

    mutating func removeAll() {
        for index in columns.indices { columns[index].removeAll() }
        rowCount = 0
        blockEnds.removeAll(keepingCapacity: true)
    }
}

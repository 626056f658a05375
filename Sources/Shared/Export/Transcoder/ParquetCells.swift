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

// Writes rows as ethereum-etl's CsvItemExporter does (Python csv module, excel dialect).

/// CSV with a header row, `\r\n` line ends, and QUOTE_MINIMAL quoting: a field is quoted only
/// when it holds a comma, a quote (doubled inside) or a line break.
///
/// Like ethereum-etl, the header is written with the first row, so an entity with no rows
/// yields an empty file (ethereum-etl's expected_transactions.csv of an empty block is 0 bytes);
/// `headerWhenEmpty` writes the header anyway for loaders that want one.
public final class CSVRowWriter: RowWriter, EncodedRowWriter {
    public let columns: EntityColumns
    public private(set) var rowCount = 0
    public private(set) var byteCount = 0
    private let sink: any OutputSink
    private let capacity: Int
    private let headerWhenEmpty: Bool
    private var buffer: [UInt8] = []
    private var headerWritten = false

    public init(_ columns: EntityColumns, to sink: any OutputSink, bufferCapacity: Int = 1 << 16, headerWhenEmpty: Bool = false) {
        self.columns = columns
        self.sink = sink
        self.capacity = bufferCapacity
        self.headerWhenEmpty = headerWhenEmpty
        buffer.reserveCapacity(bufferCapacity + 4096)
    }

    public func write(_ row: ExportRow) throws(ExportError) {
        try checkShape(row)
        if !headerWritten { writeHeader() }
        // Appending to a local array, moved out of the property and back, spares every append
        // the dynamic exclusivity check a class's stored property gets (~3% of export CPU).
        var out: [UInt8] = []
        swap(&out, &buffer)
        let start = out.count
        let values = row.values
        if values.count == 1, values[0].isEmptyInCSV {
            // Python's csv writes a lone empty field as "" so the line is not blank.
            out.append(UInt8(ascii: "\""))
            out.append(UInt8(ascii: "\""))
        } else {
            for index in values.indices {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                values[index].appendCSV(to: &out)
            }
        }
        out.append(UInt8(ascii: "\r"))
        out.append(UInt8(ascii: "\n"))
        byteCount += out.count - start
        rowCount += 1
        swap(&out, &buffer)
        if buffer.count >= capacity { try flush() }
    }

    /// Appends `count` rows already encoded as CSV (by `CSVTranscoder`), header first if due.
    func write(encoded rows: [UInt8], count: Int) throws(ExportError) {
        guard count > 0 else { return }
        if !headerWritten { writeHeader() }
        byteCount += rows.count
        rowCount += count
        if buffer.count + rows.count < capacity {
            buffer.append(contentsOf: rows)
        } else {
            // A window's rows are usually larger than the buffer: hand them on without a copy.
            try flush()
            try sink.write(rows)
        }
    }

    public func finish() throws(ExportError) {
        if !headerWritten, headerWhenEmpty { writeHeader() }
        try flush()
    }

    private func writeHeader() {
        let start = buffer.count
        for (index, name) in columns.names.enumerated() {
            if index > 0 { buffer.append(UInt8(ascii: ",")) }
            ExportValue.text(name).appendCSV(to: &buffer)
        }
        buffer.append(contentsOf: [UInt8(ascii: "\r"), UInt8(ascii: "\n")])
        byteCount += buffer.count - start
        headerWritten = true
    }

    private func flush() throws(ExportError) {
        guard !buffer.isEmpty else { return }
        try sink.write(buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}

// Writes rows as ethereum-etl's JsonLinesItemExporter does (Python json, one object per line).

/// One JSON object per line, `\n` line ends, keys in column order, Python's default separators
/// (`", "` and `": "`) and `ensure_ascii` escaping. All columns are present; null is `null`.
public final class JSONLinesRowWriter: RowWriter, EncodedRowWriter {
    public let columns: EntityColumns
    public private(set) var rowCount = 0
    public private(set) var byteCount = 0
    private let sink: any OutputSink
    private let capacity: Int
    private var buffer: [UInt8] = []
    /// Each column's `"name": ` prefix, encoded once.
    private let keys: [[UInt8]]

    public init(_ columns: EntityColumns, to sink: any OutputSink, bufferCapacity: Int = 1 << 16) {
        self.columns = columns
        self.sink = sink
        self.capacity = bufferCapacity
        keys = columns.names.map { name in
            var key: [UInt8] = []
            ExportValue.appendJSONString(name, to: &key)
            key.append(contentsOf: [UInt8(ascii: ":"), UInt8(ascii: " ")])
            return key
        }
        buffer.reserveCapacity(bufferCapacity + 4096)
    }

    public func write(_ row: ExportRow) throws(ExportError) {
        try checkShape(row)
        let start = buffer.count
        buffer.append(UInt8(ascii: "{"))
        for (index, value) in row.values.enumerated() {
            if index > 0 { buffer.append(contentsOf: [UInt8(ascii: ","), UInt8(ascii: " ")]) }
            buffer.append(contentsOf: keys[index])
            value.appendJSON(to: &buffer, compact: false)
        }
        buffer.append(contentsOf: [UInt8(ascii: "}"), UInt8(ascii: "\n")])
        byteCount += buffer.count - start
        rowCount += 1
        if buffer.count >= capacity { try flush() }
    }

    /// Appends `count` JSON lines already encoded (by `CSVTranscoder`).
    func write(encoded rows: [UInt8], count: Int) throws(ExportError) {
        guard count > 0 else { return }
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
        try flush()
    }

    private func flush() throws(ExportError) {
        guard !buffer.isEmpty else { return }
        try sink.write(buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}

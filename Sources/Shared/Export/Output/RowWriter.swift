// The one interface of the CSV and JSON-lines writers.

/// Streams rows of one entity to an `OutputSink` through a fixed buffer, so memory stays flat
/// however long the range. The entity's `EntityColumns` decides header, keys and value order.
public protocol RowWriter: AnyObject {
    var columns: EntityColumns { get }
    /// Rows written so far (for the manifest).
    var rowCount: Int { get }
    /// Bytes produced so far, flushed or not (for the manifest).
    var byteCount: Int { get }
    /// Encodes one row; it reaches the sink when the buffer fills or at `finish()`.
    func write(_ row: ExportRow) throws(ExportError)
    /// Flushes what is buffered. Call once, after the last row.
    func finish() throws(ExportError)
}

extension RowWriter {
    /// Writes rows in order.
    public func write(contentsOf rows: [ExportRow]) throws(ExportError) {
        for row in rows { try write(row) }
    }

    /// Rejects a row of another entity or of the wrong width before it corrupts the output.
    func checkShape(_ row: ExportRow) throws(ExportError) {
        guard row.entity == columns.entity, row.values.count == columns.count else {
            throw ExportError(.rowShape, "a \(row.entity.rawValue) row of \(row.values.count) values given to the \(columns.entity.rawValue) writer of \(columns.count) columns")
        }
    }
}

/// A writer that also takes rows already encoded in its format (by `CSVTranscoder`).
protocol EncodedRowWriter: RowWriter {
    /// Appends `count` rows already encoded (without header), header first if due.
    func write(encoded rows: [UInt8], count: Int) throws(ExportError)
}

// Writes rows of one entity to a Parquet file, typed by the entity's column table.

/// Streams `ExportRow`s into a `ParquetWriter` with the entity's `EntityParquetSchema`: each
/// cell is converted (decimal text to INT64, booleans, unix seconds to TIMESTAMP, the rest as
/// text) and appended to its column. Memory is bounded by one row group
/// (`ParquetWriterConfiguration.rowGroupBytes`, default here `defaultRowGroupBytes`), never the
/// range. A value that does not fit its column (text in an INT64 column, a null in a
/// non-nullable one) fails the row with `ExportError.Code.valueType`, naming entity and column.
public final class ParquetRowWriter: RowWriter {
    public let columns: EntityColumns
    public let parquet: EntityParquetSchema
    public private(set) var rowCount = 0
    /// The file's bytes written so far plus the buffered row group's plain size (the file's
    /// size once `finish()` returns).
    public var byteCount: Int { writer.writtenByteCount + writer.bufferedByteCount }
    /// Row groups written so far.
    public var rowGroupCount: Int { writer.rowGroupCount }
    private let writer: ParquetWriter
    private let buffers: [ParquetColumnBuffer]
    private let fields: [EntityParquetField]
    /// Rows since the writer last checked its row group's size.
    private var pendingRows = 0

    /// 4 MiB of plain-encoded values per row group (about 1–2 MiB compressed): an export holds
    /// one row group per entity, and its buffers grow by doubling. Measured on 5,000 devchain
    /// blocks of five entities (release, one core): peak RSS 151–155 MB at 8 MiB, 135–139 MB at
    /// 5 MiB, 131–137 MB at 4 MiB (120–128 MB with dictionaries freed on fallback), 177 MB at
    /// 16 MiB; CSV 72 MB. Files grow 3 % (148.5 vs 143.8 MB) and the export got no slower.
    public static let defaultRowGroupBytes = 4 << 20
    /// How often (in rows) the row group's size is checked; the check walks every column.
    static let batchRows = 256

    public init(_ columns: EntityColumns, output: any ParquetOutput, configuration: ParquetWriterConfiguration = ParquetWriterConfiguration(rowGroupBytes: ParquetRowWriter.defaultRowGroupBytes)) throws(ExportError) {
        self.columns = columns
        parquet = EntityParquetSchema(columns)
        fields = parquet.fields
        do {
            writer = try ParquetWriter(schema: parquet.schema, output: output, configuration: configuration)
        } catch {
            throw ExportError(.writeFailed, "starting the \(columns.entity.rawValue) Parquet file: \(error)")
        }
        buffers = writer.columns
    }

    public func write(_ row: ExportRow) throws(ExportError) {
        try checkShape(row)
        let values = row.values
        for index in fields.indices {
            let field = fields[index]
            let buffer = buffers[index]
            let value = values[field.source]
            if case .null = value {
                guard field.column.nullable else { throw refused(value, field) }
                buffer.appendNull()
                continue
            }
            switch field.conversion {
            case .text:
                guard let text = value.plainText else { throw refused(value, field) }
                buffer.append(text)
            case .int64:
                guard case .number(let text) = value, let number = Int64(text) else { throw refused(value, field) }
                buffer.append(number)
            case .epochSeconds:
                guard case .number(let text) = value, let seconds = Int64(text) else { throw refused(value, field) }
                buffer.append(epochSeconds: seconds)
            case .boolean:
                guard case .bool(let flag) = value else { throw refused(value, field) }
                buffer.append(flag)
            }
        }
        rowCount += 1
        pendingRows += 1
        if pendingRows >= Self.batchRows {
            pendingRows = 0
            try parquetStep { () throws(ParquetError) in try writer.endBatch() }
        }
    }

    /// Appends rows `rows` of cells the transcoder read from the node's answers (`ParquetCells`,
    /// laid out by this entity's `EntityParquetSchema`): the values `write(_:)` appends for the
    /// decoding path's rows of the same blocks, without an `ExportRow` per row.
    func write(_ cells: ParquetCells, rows: Range<Int>) throws(ExportError) {
        guard cells.columns.count == fields.count else {
            throw ExportError(.rowShape, "\(cells.columns.count) columns of cells given to the \(columns.entity.rawValue) Parquet writer of \(fields.count)")
        }
        guard !rows.isEmpty else { return }
        for index in fields.indices {
            let field = fields[index]
            let buffer = buffers[index]
            let column = cells.columns[index]
            let nullable = field.column.nullable
            switch field.conversion {
            case .text:
                column.bytes.withUnsafeBytes { bytes in
                    for row in rows {
                        if nullable, column.nulls[row] {
                            buffer.appendNull()
                        } else {
                            buffer.append(bytes: UnsafeRawBufferPointer(rebasing: bytes[column.range(row)]))
                        }
                    }
                }
            case .int64:
                for row in rows {
                    if nullable, column.nulls[row] { buffer.appendNull() } else { buffer.append(column.integers[row]) }
                }
            case .epochSeconds:
                for row in rows {
                    if nullable, column.nulls[row] { buffer.appendNull() } else { buffer.append(epochSeconds: column.integers[row]) }
                }
            case .boolean:
                throw ExportError(.valueType, field: field.column.name, "\(columns.entity.rawValue).\(field.column.name): the transcoder's cells hold no booleans")
            }
        }
        rowCount += rows.count
        pendingRows = 0
        try parquetStep { () throws(ParquetError) in try writer.endBatch() }
    }

    public func finish() throws(ExportError) {
        try parquetStep { () throws(ParquetError) in try writer.finish() }
    }

    private func refused(_ value: ExportValue, _ field: EntityParquetField) -> ExportError {
        let shown = value.plainText.map { "'\($0.prefix(80))'" } ?? "null"
        return ExportError(.valueType, field: field.column.name,
                           "\(columns.entity.rawValue).\(field.column.name) is \(field.column.type)\(field.column.nullable ? "" : ", not nullable"); cannot write \(shown)")
    }

    /// Runs a writer step; its failures (disk full, a value the buffers refused) become export errors.
    private func parquetStep(_ body: () throws(ParquetError) -> Void) throws(ExportError) {
        do {
            try body()
        } catch {
            throw ExportError(error.code == .invalidValue ? .valueType : .writeFailed, field: error.column, "\(columns.entity.rawValue).parquet: \(error)")
        }
    }
}

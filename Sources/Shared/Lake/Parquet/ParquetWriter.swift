// Streams rows into a Parquet file one row group at a time.

/// Writes one Parquet file. Rows are appended column-wise to `columns` (one
/// `ParquetColumnBuffer` per schema column), a batch at a time; `endBatch()` checks that every
/// column got the same rows and writes a row group once the buffered rows reach the configured
/// size. Memory is bounded by one row group, never the whole file. `finish()` writes the last
/// row group and the footer. A file with zero rows is valid.
///
///     let writer = try ParquetWriter(schema: schema, output: ParquetFileOutput(path: path))
///     for block in blocks {
///         writer.columns[0].append(block.number)
///         writer.columns[1].append(block.hash)
///         try writer.endBatch()
///     }
///     try writer.finish()
///
/// Not thread-safe: one writer belongs to one task.
public final class ParquetWriter {
    public let schema: ParquetSchema
    public let configuration: ParquetWriterConfiguration
    /// The schema's columns, in order, to append to.
    public let columns: [ParquetColumnBuffer]
    /// Rows in written row groups.
    public private(set) var writtenRowCount = 0
    /// Bytes written so far (the file's size once `finish()` returns).
    public private(set) var writtenByteCount = 0
    /// Row groups written so far.
    public var rowGroupCount: Int { rowGroups.count }
    /// The buffered rows' size in plain encoding, which `rowGroupBytes` bounds (memory held is
    /// of this order: less for dictionary-encoded columns, more for tiny values' offsets).
    public var bufferedByteCount: Int { columns.reduce(0) { $0 + $1.plainBytes } }

    private let output: any ParquetOutput
    private let compressor: ParquetCompressor
    private var rowGroups: [ParquetRowGroupMetadata] = []
    private var pageBody: [UInt8] = []
    /// Set after `finish()` or a failure: the file cannot be continued.
    private var stopped: ParquetError?

    /// Starts a file on `output` (writing its leading magic bytes).
    public init(schema: ParquetSchema, output: any ParquetOutput, configuration: ParquetWriterConfiguration = ParquetWriterConfiguration()) throws(ParquetError) {
        try configuration.validate()
        self.schema = schema
        self.configuration = configuration
        self.output = output
        self.compressor = try ParquetCompressor(codec: configuration.codec)
        self.columns = schema.columns.map { ParquetColumnBuffer(column: $0, dictionaryPageBytes: configuration.dictionaryPageBytes) }
        try write(ParquetFormat.magic)
    }

    /// The buffer of the column named `name`.
    public func column(_ name: String) -> ParquetColumnBuffer? {
        columns.first { $0.column.name == name }
    }

    /// Ends a batch of rows: every column must have had the same number of values appended.
    /// Writes a row group when the buffered rows reach `rowGroupBytes` or `rowGroupRows`.
    public func endBatch() throws(ParquetError) {
        let rows = try checkedPendingRows()
        if rows >= configuration.rowGroupRows || bufferedByteCount >= configuration.rowGroupBytes {
            try writeRowGroup()
        }
    }

    /// Writes the buffered rows as a row group now (e.g. at a boundary readers should see).
    public func flushRowGroup() throws(ParquetError) {
        _ = try checkedPendingRows()
        try writeRowGroup()
    }

    /// Writes the buffered rows and the footer, then closes the output.
    public func finish() throws(ParquetError) {
        _ = try checkedPendingRows()
        try writeRowGroup()
        try guarded { () throws(ParquetError) in
            let footer = footerBytes(rowGroups: rowGroups, rowCount: writtenRowCount)
            try write(footer)
            let length = UInt32(footer.count)
            try write((0..<4).map { UInt8(truncatingIfNeeded: length >> (8 * UInt32($0))) })
            try write(ParquetFormat.magic)
            try output.close()
        }
        stopped = ParquetError(.finished, "the Parquet file is finished")
    }

    // MARK: Row groups

    /// The rows every column holds, or the first problem: a misused column, unequal columns,
    /// or a writer already stopped.
    private func checkedPendingRows() throws(ParquetError) -> Int {
        if let stopped { throw stopped }
        for buffer in columns {
            if let problem = buffer.problem {
                stopped = problem
                throw problem
            }
        }
        let rows = columns[0].rowCount
        if let uneven = columns.first(where: { $0.rowCount != rows }) {
            let counts = columns.map { "\($0.column.name)=\($0.rowCount)" }.joined(separator: ", ")
            let error = ParquetError(.rowCountMismatch, "columns hold different numbers of rows: \(counts)", column: uneven.column.name)
            stopped = error
            throw error
        }
        return rows
    }

    private func writeRowGroup() throws(ParquetError) {
        let rows = columns[0].rowCount
        guard rows > 0 else { return }
        try guarded { () throws(ParquetError) in
            var chunks: [ParquetColumnChunkMetadata] = []
            chunks.reserveCapacity(columns.count)
            for buffer in columns {
                chunks.append(try writeColumnChunk(buffer))
                buffer.reset()
            }
            rowGroups.append(ParquetRowGroupMetadata(columns: chunks, rowCount: rows, ordinal: rowGroups.count))
            writtenRowCount += rows
        }
    }

    private func writeColumnChunk(_ buffer: ParquetColumnBuffer) throws(ParquetError) -> ParquetColumnChunkMetadata {
        buffer.chooseEncoding()
        var chunk = ParquetColumnChunkMetadata(
            column: buffer.column, encodings: [], codec: configuration.codec, valueCount: buffer.rowCount,
            uncompressedSize: 0, compressedSize: 0, dataPageOffset: 0, dictionaryPageOffset: nil,
            statistics: buffer.statistics(maxBytes: configuration.statisticsMaxBytes), pageCounts: []
        )
        let dataEncoding: ParquetFormat.Encoding = buffer.usesDictionary ? .rleDictionary : .plain
        if buffer.usesDictionary {
            chunk.dictionaryPageOffset = writtenByteCount
            buffer.encodeDictionaryPage(into: &pageBody)
            try writePage(type: .dictionaryPage, valueCount: buffer.dictionaryCount, encoding: .plain, chunk: &chunk)
            chunk.pageCounts.append((.dictionaryPage, .plain, 1))
        }
        chunk.dataPageOffset = writtenByteCount
        let slices = buffer.pageSlices(pageBytes: configuration.pageBytes, pageRows: configuration.pageRows)
        for slice in slices {
            buffer.encodeDataPage(slice, into: &pageBody)
            try writePage(type: .dataPage, valueCount: slice.rows.count, encoding: dataEncoding, chunk: &chunk)
        }
        chunk.pageCounts.append((.dataPage, dataEncoding, slices.count))
        // PLAIN for the dictionary page (or the values), RLE for the definition levels.
        chunk.encodings = buffer.usesDictionary ? [.plain, .rle, .rleDictionary] : [.plain, .rle]
        return chunk
    }

    /// Compresses `pageBody` and writes it behind its header.
    private func writePage(type: ParquetFormat.PageType, valueCount: Int, encoding: ParquetFormat.Encoding, chunk: inout ParquetColumnChunkMetadata) throws(ParquetError) {
        let uncompressedSize = pageBody.count
        guard uncompressedSize < Int32.max else {
            throw ParquetError(.invalidValue, "a page of \(uncompressedSize) bytes exceeds Parquet's 2 GiB page limit", column: chunk.column.name)
        }
        var compressedSize = uncompressedSize
        if case .uncompressed = configuration.codec {} else {
            try pageBody.withParquetBytes { (body) throws(ParquetError) in try compressor.compress(body) }
            compressedSize = compressor.compressedCount
        }
        let header = ParquetPageHeader(
            type: type, uncompressedSize: uncompressedSize, compressedSize: compressedSize,
            valueCount: valueCount, encoding: encoding
        ).encoded()
        try write(header)
        if case .uncompressed = configuration.codec {
            try pageBody.withParquetBytes { (body) throws(ParquetError) in try writeRaw(body) }
        } else {
            try compressor.output.withParquetBytes(compressor.compressedCount) { (body) throws(ParquetError) in try writeRaw(body) }
        }
        chunk.uncompressedSize += header.count + uncompressedSize
        chunk.compressedSize += header.count + compressedSize
    }

    // MARK: Output

    private func write(_ bytes: [UInt8]) throws(ParquetError) {
        try bytes.withParquetBytes { (raw) throws(ParquetError) in try writeRaw(raw) }
    }

    private func writeRaw(_ bytes: UnsafeRawBufferPointer) throws(ParquetError) {
        try output.write(bytes)
        writtenByteCount += bytes.count
    }

    /// Runs `body`; a failure stops the writer, since the file is then incomplete.
    private func guarded(_ body: () throws(ParquetError) -> Void) throws(ParquetError) {
        do {
            try body()
        } catch {
            stopped = error
            throw error
        }
    }
}

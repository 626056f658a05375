// A Parquet output over an OutputSink (memory, a file handle), for writers made from a sink.

/// Hands the Parquet writer's bytes to an `OutputSink`. Exports write Parquet to a file path
/// (`ParquetFileOutput`) instead; this serves `RowFormat.makeWriter(_:to:)` (tests, memory).
final class OutputSinkParquetOutput: ParquetOutput {
    private let sink: any OutputSink

    init(_ sink: any OutputSink) {
        self.sink = sink
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws(ParquetError) {
        do {
            try sink.write(Array(bytes))
        } catch {
            throw ParquetError(.output, error.description)
        }
    }

    func close() throws(ParquetError) {}
}

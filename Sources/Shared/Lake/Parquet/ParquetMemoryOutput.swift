// A Parquet output that keeps the file in memory (small files, uploads in one piece, tests).

/// Collects the file's bytes in `bytes`.
public final class ParquetMemoryOutput: ParquetOutput {
    public private(set) var bytes: [UInt8] = []
    public private(set) var isClosed = false

    public init() {}

    public func write(_ bytes: UnsafeRawBufferPointer) throws(ParquetError) {
        guard !isClosed else { throw ParquetError(.output, "the in-memory output is already closed") }
        self.bytes.append(contentsOf: bytes)
    }

    public func close() throws(ParquetError) { isClosed = true }
}

// Where a Parquet writer's bytes go: a file, memory, or (later) an upload.

/// A sink for the bytes of one Parquet file, written strictly in order. The writer calls
/// `close()` once, from `finish()`, after the footer.
public protocol ParquetOutput: AnyObject {
    func write(_ bytes: UnsafeRawBufferPointer) throws(ParquetError)
    func close() throws(ParquetError)
}

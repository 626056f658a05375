// Where row writers send their bytes: a file, memory, or later a gzip or S3 upload stage.

/// A destination for chunks of output. Writers call it with buffered chunks (tens of KiB), so a
/// sink can compress or upload without the writer knowing.
public protocol OutputSink: AnyObject {
    func write(_ bytes: [UInt8]) throws(ExportError)
}

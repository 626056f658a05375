// An output sink collecting bytes in memory, for tests and small outputs.

/// Keeps everything written; `text` decodes it as UTF-8.
public final class MemorySink: OutputSink {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    public func write(_ bytes: [UInt8]) throws(ExportError) {
        self.bytes.append(contentsOf: bytes)
    }

    public var text: String { String(decoding: bytes, as: UTF8.self) }
}

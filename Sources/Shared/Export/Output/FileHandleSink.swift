// An output sink writing to a FileHandle.

import Foundation

/// Writes each chunk to a file handle; the caller owns opening and closing the handle.
public final class FileHandleSink: OutputSink {
    public let handle: FileHandle

    public init(_ handle: FileHandle) {
        self.handle = handle
    }

    public func write(_ bytes: [UInt8]) throws(ExportError) {
        do {
            try handle.write(contentsOf: bytes)
        } catch {
            throw ExportError(.writeFailed, "writing \(bytes.count) bytes failed: \(error)")
        }
    }
}

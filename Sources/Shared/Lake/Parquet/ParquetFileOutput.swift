// A Parquet output that writes a local file through a small buffer.

import Foundation

/// Writes a file at `path` (created or truncated), buffering small writes (page headers) and
/// passing page bodies straight through.
public final class ParquetFileOutput: ParquetOutput {
    public let path: String
    /// Flush the file to disk (fsync) before closing it. Default false: the system writes it
    /// back later, as for the other export files (`worker export --fsync` sets it).
    public var flushesToDisk = false
    private var descriptor: Int32
    private var buffer: [UInt8] = []
    private let bufferLimit = 256 << 10

    public init(path: String) throws(ParquetError) {
        self.path = path
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw ParquetError(.output, "cannot create \(path): \(String(cString: strerror(errno)))")
        }
        buffer.reserveCapacity(bufferLimit)
    }

    deinit {
        if descriptor >= 0 { _ = Foundation.close(descriptor) }
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws(ParquetError) {
        guard descriptor >= 0 else { throw ParquetError(.output, "\(path) is already closed") }
        if buffer.count + bytes.count <= bufferLimit {
            buffer.append(contentsOf: bytes)
            return
        }
        try flush()
        if bytes.count <= bufferLimit {
            buffer.append(contentsOf: bytes)
        } else {
            try writeAll(bytes)
        }
    }

    public func close() throws(ParquetError) {
        guard descriptor >= 0 else { return }
        try flush()
        if flushesToDisk, fsync(descriptor) != 0 {
            throw ParquetError(.output, "flushing \(path) to disk: \(String(cString: strerror(errno)))")
        }
        let result = Foundation.close(descriptor)
        descriptor = -1
        guard result == 0 else {
            throw ParquetError(.output, "closing \(path): \(String(cString: strerror(errno)))")
        }
    }

    private func flush() throws(ParquetError) {
        guard !buffer.isEmpty else { return }
        try buffer.withParquetBytes { (bytes) throws(ParquetError) in try writeAll(bytes) }
        buffer.removeAll(keepingCapacity: true)
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer) throws(ParquetError) {
        var offset = 0
        while offset < bytes.count {
            let written = Foundation.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw ParquetError(.output, "writing \(path): \(String(cString: strerror(errno)))")
            }
            offset += written
        }
    }
}

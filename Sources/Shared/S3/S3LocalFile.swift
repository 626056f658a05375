// Positioned reads and writes of local files, so parts can be read concurrently from one open file.

import Crypto
import Foundation
import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a local file could not be used; turned into `S3Error(.file)` with the operation's name.
struct S3LocalFileError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// A file opened once for reading. `pread` takes an offset, so concurrent part uploads share the
/// descriptor without seeking; and a file replaced mid-upload is not mixed into the object.
final class S3ReadableFile: Sendable {
    let path: String
    let size: Int64
    private let descriptor: Int32

    init(_ url: URL) throws {
        path = url.path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw S3LocalFileError(message: "cannot open \(path): \(String(cString: strerror(errno)))") }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let message = String(cString: strerror(errno))
            close(fd)
            throw S3LocalFileError(message: "cannot stat \(path): \(message)")
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw S3LocalFileError(message: "\(path) is not a regular file")
        }
        descriptor = fd
        size = Int64(info.st_size)
    }

    deinit { close(descriptor) }

    /// Exactly `length` bytes at `offset`; a short read means the file shrank under us.
    func read(offset: Int64, length: Int, allocator: ByteBufferAllocator = ByteBufferAllocator()) throws -> ByteBuffer {
        var buffer = allocator.buffer(capacity: length)
        var done = 0
        while done < length {
            var readError: Int32 = 0
            let count = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: length - done) { pointer -> Int in
                let n = pread(descriptor, pointer.baseAddress, length - done, off_t(offset) + off_t(done))
                if n < 0 {
                    readError = errno
                    return 0
                }
                return n
            }
            if readError == EINTR { continue }
            if readError != 0 { throw S3LocalFileError(message: "cannot read \(path): \(String(cString: strerror(readError)))") }
            if count == 0 {
                throw S3LocalFileError(message: "\(path) ended at \(offset + Int64(done)) bytes while being uploaded (it had \(size)): it shrank or vanished")
            }
            done += count
        }
        return buffer
    }

    /// Hex SHA-256 of `length` bytes at `offset`, read in 1 MiB chunks so memory stays flat.
    func sha256(offset: Int64, length: Int64) throws -> String {
        var hasher = SHA256()
        var position = offset
        let end = offset + length
        while position < end {
            let chunk = try read(offset: position, length: Int(min(Int64(1 << 20), end - position)))
            chunk.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
            position += Int64(chunk.readableBytes)
        }
        return AWSSigV4Signer.hex(hasher.finalize())
    }

    /// The bytes `offset..<offset+length` as an async sequence of ≤ 1 MiB buffers, for a
    /// streamed request body. Each iteration starts again at `offset`, so retries can resend it.
    func chunks(offset: Int64, length: Int64) -> S3FileChunks {
        S3FileChunks(file: self, offset: offset, length: length)
    }
}

struct S3FileChunks: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let file: S3ReadableFile
    let offset: Int64
    let length: Int64

    struct AsyncIterator: AsyncIteratorProtocol {
        let file: S3ReadableFile
        var position: Int64
        let end: Int64

        mutating func next() async throws -> ByteBuffer? {
            guard position < end else { return nil }
            try Task.checkCancellation()
            let chunk = try file.read(offset: position, length: Int(Swift.min(Int64(1 << 20), end - position)))
            position += Int64(chunk.readableBytes)
            return chunk
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(file: file, position: offset, end: offset + length)
    }
}

/// A download target: written under a temporary name beside the destination and renamed into
/// place only when complete, so a reader never sees half an object.
final class S3WritableFile: @unchecked Sendable {
    // @unchecked: used by one task at a time (the download loop); the descriptor is immutable.
    let destination: URL
    let temporaryPath: String
    private let descriptor: Int32
    private(set) var written: Int64 = 0
    private var finished = false

    init(destination: URL) throws {
        self.destination = destination
        temporaryPath = destination.path + ".s3tmp-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw S3LocalFileError(message: "cannot create \(temporaryPath): \(String(cString: strerror(errno)))") }
        descriptor = fd
    }

    deinit {
        close(descriptor)
        if !finished { unlink(temporaryPath) }
    }

    /// Starts over (a retried download).
    func reset() throws {
        guard ftruncate(descriptor, 0) == 0 else { throw S3LocalFileError(message: "cannot truncate \(temporaryPath): \(String(cString: strerror(errno)))") }
        written = 0
    }

    func write(_ buffer: ByteBuffer) throws {
        try buffer.withUnsafeReadableBytes { bytes in
            var done = 0
            while done < bytes.count {
                let n = pwrite(descriptor, bytes.baseAddress! + done, bytes.count - done, off_t(written) + off_t(done))
                if n < 0 {
                    if errno == EINTR { continue }
                    throw S3LocalFileError(message: "cannot write \(temporaryPath): \(String(cString: strerror(errno)))")
                }
                done += n
            }
        }
        written += Int64(buffer.readableBytes)
    }

    /// Flushes and renames into place.
    func commit() throws {
        guard fsync(descriptor) == 0 else { throw S3LocalFileError(message: "cannot flush \(temporaryPath): \(String(cString: strerror(errno)))") }
        guard rename(temporaryPath, destination.path) == 0 else {
            throw S3LocalFileError(message: "cannot rename \(temporaryPath) to \(destination.path): \(String(cString: strerror(errno)))")
        }
        finished = true
    }
}

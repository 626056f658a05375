// Decompresses a gzip object chunk by chunk as it streams from staging.

import CompressNIO
import NIOCore

/// Inflates gzip input fed in arbitrary chunks, handing out decompressed chunks of at most
/// `chunkSize` bytes, so a loader's memory does not grow with the object.
public final class GunzipStream {
    private let decompressor: ZlibDecompressor
    private let chunkSize: Int
    private var output = ByteBuffer()
    public private(set) var inputBytes = 0

    public init(chunkSize: Int = 1 << 18) throws {
        decompressor = try ZlibDecompressor(algorithm: .gzip)
        self.chunkSize = chunkSize
    }

    /// Inflates `input`, calling `emit` whenever decompressed bytes are ready.
    public nonisolated(nonsending) func feed(_ input: ByteBuffer, key: String, _ emit: (ByteBuffer) async throws -> Void) async throws {
        var input = input
        inputBytes += input.readableBytes
        while true {
            output.clear()
            output.reserveCapacity(minimumWritableBytes: chunkSize)
            var outputFull = false
            do {
                try decompressor.inflate(from: &input, to: &output)
            } catch let error as CompressNIOError where error == .bufferOverflow {
                outputFull = true
            } catch let error as CompressNIOError where error == .inputBufferOverflow {
                // zlib consumed everything and wants the next chunk.
            } catch {
                throw StagingError(.compression, key: key, "not valid gzip data after \(inputBytes) compressed bytes: \(error)")
            }
            if output.readableBytes > 0 { try await emit(output) }
            if !outputFull && input.readableBytes == 0 { return }
            if !outputFull && output.readableBytes == 0 {
                throw StagingError(.compression, key: key, "gzip stream stalled with \(input.readableBytes) bytes unread (trailing data after the end of the stream?)")
            }
        }
    }
}

// Page compression through libzstd and libsnappy.

import CSnappy
import CZstd

/// Compresses page bodies with the configured codec, reusing one zstd context and one output
/// buffer for every page of the file.
final class ParquetCompressor {
    let codec: ParquetCodec
    private var zstdContext: OpaquePointer?
    /// Holds the last page's compressed bytes in its first `compressedCount`; it only grows.
    private(set) var output: [UInt8] = []
    private(set) var compressedCount = 0

    init(codec: ParquetCodec) throws(ParquetError) {
        self.codec = codec
        if case .zstd = codec {
            guard let context = ZSTD_createCCtx() else {
                throw ParquetError(.compression, "ZSTD_createCCtx failed (out of memory)")
            }
            zstdContext = context
        }
    }

    deinit {
        if let zstdContext { ZSTD_freeCCtx(zstdContext) }
    }

    /// Compresses `input`; read the result with `withCompressed`.
    func compress(_ input: UnsafeRawBufferPointer) throws(ParquetError) {
        switch codec {
        case .uncompressed:
            if output.count < input.count { output = [UInt8](repeating: 0, count: input.count) }
            output.withUnsafeMutableBytes { $0.copyMemory(from: input) }
            compressedCount = input.count
        case .zstd(let level):
            let bound = ZSTD_compressBound(input.count)
            if output.count < bound { output = [UInt8](repeating: 0, count: bound) }
            let written = output.withUnsafeMutableBytes {
                ZSTD_compressCCtx(zstdContext, $0.baseAddress, $0.count, input.baseAddress, input.count, level)
            }
            if ZSTD_isError(written) != 0 {
                throw ParquetError(.compression, "zstd: \(String(cString: ZSTD_getErrorName(written)))")
            }
            compressedCount = written
        case .snappy:
            let bound = snappy_max_compressed_length(input.count)
            if output.count < bound { output = [UInt8](repeating: 0, count: bound) }
            var length = output.count
            let status = output.withUnsafeMutableBytes {
                snappy_compress(input.baseAddress?.assumingMemoryBound(to: CChar.self), input.count, $0.baseAddress?.assumingMemoryBound(to: CChar.self), &length)
            }
            if status != SNAPPY_OK {
                throw ParquetError(.compression, "snappy_compress returned status \(status.rawValue)")
            }
            compressedCount = length
        }
    }
}

// The bytes a value's spans point into: a slice of the response buffer, or a copy.

import NIOCore

/// Where `BlockSpans` and `ReceiptSpans` keep their value's bytes. A slice shares the response
/// body's storage (no copy of the ~200 KB a block and its receipts take); a copy is made when
/// the bytes did not come from a buffer (tests, other callers).
enum SpanBytes: Sendable {
    case shared(ByteBuffer)
    case copied([UInt8])

    static let empty = SpanBytes.copied([])

    var count: Int {
        switch self {
        case .shared(let buffer): buffer.readableBytes
        case .copied(let bytes): bytes.count
        }
    }

    /// Runs `body` on the bytes; the pointer is valid only inside it.
    func withBytes<Result, Failure: Error>(_ body: (UnsafeBufferPointer<UInt8>) throws(Failure) -> Result) throws(Failure) -> Result {
        switch self {
        case .shared(let buffer):
            let outcome = buffer.withUnsafeReadableBytes { raw -> Swift.Result<Result, Failure> in
                do throws(Failure) {
                    return .success(try body(raw.bindMemory(to: UInt8.self)))
                } catch {
                    return .failure(error)
                }
            }
            return try outcome.get()
        case .copied(let bytes):
            return try bytes.withUnsafeBufferPointer(body)
        }
    }
}

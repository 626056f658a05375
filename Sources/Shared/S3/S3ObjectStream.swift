// A GET whose body arrives as it is read.

import AsyncHTTPClient
import NIOCore

/// An object's metadata and its bytes as an async sequence of `ByteBuffer`s, read with
/// back-pressure: memory stays at a few chunks whatever the object's size. Read it to the end
/// (or drop it) promptly: the connection is held until then.
public struct S3ObjectStream: AsyncSequence, Sendable {
    public typealias Element = ByteBuffer
    public let metadata: S3ObjectMetadata
    let body: HTTPClientResponse.Body

    public func makeAsyncIterator() -> HTTPClientResponse.Body.AsyncIterator {
        body.makeAsyncIterator()
    }

    /// All of it in one buffer, refusing more than `maxBytes`.
    public func collect(upTo maxBytes: Int) async throws -> ByteBuffer {
        try await body.collect(upTo: maxBytes)
    }
}

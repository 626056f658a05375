// One protocol over the staging backends, so exporters and loaders don't know where files live.

import NIOCore

/// A store of staged objects addressed by key. Writes are whole-object and atomic: a reader sees
/// the previous object or the new one, never a part.
public protocol StagingStore: Sendable {
    /// Where this store writes, for logs and status (no credentials).
    var location: StagingLocation { get }
    /// Uploads a local file under `key`, replacing any object there.
    func put(file: String, key: String, contentType: String) async throws
    /// Streams the object's bytes to `consume` in chunks; memory does not grow with the object.
    nonisolated(nonsending) func read(key: String, _ consume: (ByteBuffer) async throws -> Void) async throws
    /// The object's size, or nil when there is none.
    func size(key: String) async throws -> Int?
    /// Keys under a prefix, in lexical order.
    func list(prefix: String) async throws -> [String]
    func delete(key: String) async throws
    /// The object's URL as warehouses name it (`s3://bucket/key` for Redshift's COPY).
    func url(key: String) -> String
}

extension StagingStore {
    /// Reads a small object (a manifest) whole.
    public func readAll(key: String, limit: Int = 64 << 20) async throws -> ByteBuffer {
        var all = ByteBuffer()
        try await read(key: key) { chunk in
            var chunk = chunk
            guard all.readableBytes + chunk.readableBytes <= limit else {
                throw StagingError(.tooLarge, key: key, "object is larger than \(limit) bytes")
            }
            all.writeBuffer(&chunk)
        }
        return all
    }
}

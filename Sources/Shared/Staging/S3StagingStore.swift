// The S3 staging backend.

import Foundation
import NIOCore

/// Stages objects in an S3 bucket (or any S3-compatible store). Uploads above the configured
/// threshold go multipart; reads stream the object. Keys given to it are full keys (prefix
/// included), as `StagingKeys` builds them.
public struct S3StagingStore: StagingStore {
    public let client: S3Client
    public let bucket: String
    public let prefix: String

    public init(client: S3Client, bucket: String, prefix: String) {
        self.client = client
        self.bucket = bucket
        self.prefix = prefix
    }

    public var location: StagingLocation { .s3(bucket: bucket, prefix: prefix) }

    public func put(file: String, key: String, contentType: String) async throws {
        _ = try await client.upload(bucket: bucket, key: key, file: URL(fileURLWithPath: file), contentType: contentType)
    }

    public nonisolated(nonsending) func read(key: String, _ consume: (ByteBuffer) async throws -> Void) async throws {
        let stream = try await client.getObject(bucket: bucket, key: key)
        for try await chunk in stream {
            try await consume(chunk)
        }
    }

    public func size(key: String) async throws -> Int? {
        try await client.headObject(bucket: bucket, key: key).map { Int($0.size) }
    }

    public func list(prefix: String) async throws -> [String] {
        try await client.listAllObjects(bucket: bucket, prefix: prefix).map(\.key).sorted()
    }

    public func delete(key: String) async throws {
        try await client.deleteObject(bucket: bucket, key: key)
    }

    public func url(key: String) -> String { "s3://\(bucket)/\(key)" }
}

// A Redshift COPY manifest: the exact objects a COPY reads.

import Foundation

/// `{"entries":[{"url":"s3://…","mandatory":true,"meta":{"content_length":N}}]}`, as Redshift's
/// `COPY … MANIFEST` reads it. A COPY from an object URL treats it as a prefix (every key that
/// starts with it is loaded); from a manifest it reads exactly the listed objects, fails if one
/// is missing (`mandatory`), and checks each one's length.
public struct RedshiftCopyManifest: Sendable, Codable, Equatable {
    public struct Entry: Sendable, Codable, Equatable {
        public struct Meta: Sendable, Codable, Equatable {
            public let contentLength: Int

            enum CodingKeys: String, CodingKey { case contentLength = "content_length" }
        }

        public let url: String
        public let mandatory: Bool
        public let meta: Meta
    }

    public let entries: [Entry]

    /// A manifest of the one object at `url` of `bytes` bytes.
    public init(url: String, bytes: Int) {
        self.init(objects: [(url, bytes)])
    }

    /// A manifest of several objects (a range's lake files of one entity, one per date), each
    /// with its length: Parquet COPYs require `content_length`.
    public init(objects: [(url: String, bytes: Int)]) {
        entries = objects.map { Entry(url: $0.url, mandatory: true, meta: .init(contentLength: $0.bytes)) }
    }

    /// Stable JSON (sorted keys).
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}

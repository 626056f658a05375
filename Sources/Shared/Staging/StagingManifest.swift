// The manifest of one staged range: what loaders verify before touching the warehouse.

import Foundation

/// Lists every file staged for a range with its row count, size and checksum. Written last, so a
/// manifest that exists vouches for files that are complete.
public struct StagingManifest: Sendable, Codable, Equatable {
    public struct File: Sendable, Codable, Equatable {
        public let entity: String
        public let key: String
        /// Data rows, header excluded.
        public let rows: Int
        /// Size of the staged (gzip) object.
        public let bytes: Int
        /// Hex SHA-256 of the staged (gzip) object.
        public let sha256: String
        /// `csv` or `json`.
        public let format: String

        public init(entity: String, key: String, rows: Int, bytes: Int, sha256: String, format: String) {
            self.entity = entity
            self.key = key
            self.rows = rows
            self.bytes = bytes
            self.sha256 = sha256
            self.format = format
        }
    }

    public var version = 1
    public let firstBlock: UInt64
    public let lastBlock: UInt64
    public let firstParentHash: String
    public let lastHash: String
    public let files: [File]

    public init(firstBlock: UInt64, lastBlock: UInt64, firstParentHash: String, lastHash: String, files: [File]) {
        self.firstBlock = firstBlock
        self.lastBlock = lastBlock
        self.firstParentHash = firstParentHash
        self.lastHash = lastHash
        self.files = files
    }

    enum CodingKeys: String, CodingKey {
        case version, firstBlock = "first_block", lastBlock = "last_block"
        case firstParentHash = "first_parent_hash", lastHash = "last_hash", files
    }

    /// Stable JSON (sorted keys): the same export gives the same manifest bytes.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(self)
    }
}

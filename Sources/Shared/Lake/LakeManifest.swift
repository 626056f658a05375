// What one exported range put in the lake: its files, their dates, blocks, rows and sizes.

import Foundation

/// Written at `LakeKeys.manifest` after the range's files; the next export of the range reads
/// it to delete files it no longer writes.
public struct LakeManifest: Sendable, Codable, Equatable {
    public struct File: Sendable, Codable, Equatable {
        public let entity: String
        public let blockDate: String
        public let key: String
        public let firstBlock: UInt64
        public let lastBlock: UInt64
        public let rows: Int
        public let bytes: Int

        public init(entity: String, blockDate: String, key: String, firstBlock: UInt64, lastBlock: UInt64, rows: Int, bytes: Int) {
            self.entity = entity
            self.blockDate = blockDate
            self.key = key
            self.firstBlock = firstBlock
            self.lastBlock = lastBlock
            self.rows = rows
            self.bytes = bytes
        }

        enum CodingKeys: String, CodingKey {
            case entity, blockDate = "block_date", key, firstBlock = "first_block", lastBlock = "last_block", rows, bytes
        }
    }

    public let firstBlock: UInt64
    public let lastBlock: UInt64
    public let files: [File]

    public init(firstBlock: UInt64, lastBlock: UInt64, files: [File]) {
        self.firstBlock = firstBlock
        self.lastBlock = lastBlock
        self.files = files
    }

    enum CodingKeys: String, CodingKey {
        case firstBlock = "first_block", lastBlock = "last_block", files
    }

    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(self)
    }
}

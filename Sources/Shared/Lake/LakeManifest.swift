// What one exported range put in the lake: its files, their dates, blocks, rows and sizes.

import Foundation

/// Written at `LakeKeys.manifest` after the range's files; the next export of the range reads
/// it to delete files it no longer writes, and to refuse to replace a newer attempt's files.
public struct LakeManifest: Sendable, Codable, Equatable {
    /// The export attempt that wrote the files: its job and lease token. Attempts are ordered by
    /// job (a later plan of a range is a later job) and then by token (every claim increments it).
    public struct Attempt: Sendable, Codable, Equatable, Comparable {
        public let job: Int64
        public let leaseToken: Int64

        public init(job: Int64, leaseToken: Int64) {
            self.job = job
            self.leaseToken = leaseToken
        }

        public static func < (lhs: Attempt, rhs: Attempt) -> Bool {
            (lhs.job, lhs.leaseToken) < (rhs.job, rhs.leaseToken)
        }

        enum CodingKeys: String, CodingKey { case job, leaseToken = "lease_token" }
    }

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
    /// Who wrote it; nil in manifests of workers before lake fencing.
    public let attempt: Attempt?

    public init(firstBlock: UInt64, lastBlock: UInt64, files: [File], attempt: Attempt? = nil) {
        self.firstBlock = firstBlock
        self.lastBlock = lastBlock
        self.files = files
        self.attempt = attempt
    }

    enum CodingKeys: String, CodingKey {
        case firstBlock = "first_block", lastBlock = "last_block", files, attempt
    }

    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(self)
    }
}

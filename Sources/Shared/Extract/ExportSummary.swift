// What one export of a block range produced: files, row counts, and the hashes at its edges.

/// The result of exporting a range, kept in the job's `result` for the reorg guard and loaders.
public struct ExportSummary: Sendable, Codable, Equatable {
    public struct File: Sendable, Codable, Equatable {
        public let entity: String
        public let path: String
        public let rows: Int
        public let bytes: Int
    }

    public let firstBlock: UInt64
    public let lastBlock: UInt64
    /// The parent hash of the first block: must equal the previous range's `lastHash`.
    public let firstParentHash: String
    public let lastHash: String
    public let files: [File]

    enum CodingKeys: String, CodingKey {
        case firstBlock = "first_block", lastBlock = "last_block"
        case firstParentHash = "first_parent_hash", lastHash = "last_hash", files
    }
}

// What one export of a block range produced: files, row counts, and the hashes at its edges.

/// The result of exporting a range, kept in the job's `result` for the reorg guard and loaders.
public struct ExportSummary: Sendable, Codable, Equatable {
    public struct File: Sendable, Codable, Equatable {
        public let entity: String
        public let path: String
        public let rows: Int
        /// Uncompressed bytes written.
        public let bytes: Int
        /// Size and hex SHA-256 of the gzip file, when the export was compressed.
        public let compressedBytes: Int?
        public let sha256: String?

        public init(entity: String, path: String, rows: Int, bytes: Int, compressedBytes: Int? = nil, sha256: String? = nil) {
            self.entity = entity
            self.path = path
            self.rows = rows
            self.bytes = bytes
            self.compressedBytes = compressedBytes
            self.sha256 = sha256
        }

        enum CodingKeys: String, CodingKey {
            case entity, path, rows, bytes, compressedBytes = "compressed_bytes", sha256
        }
    }

    public let firstBlock: UInt64
    public let lastBlock: UInt64
    /// The parent hash of the first block: must equal the previous range's `lastHash`.
    public let firstParentHash: String
    public let lastHash: String
    public let files: [File]
    /// Windows of blocks fetched, and how many of them the CSV transcoder wrote (the others took
    /// the decoding path). Nil in summaries written before the transcoder existed.
    public var windows: Int? = nil
    public var transcodedWindows: Int? = nil
    /// Of the windows, how many had their trace rows written from the trace answers' bytes
    /// (`TraceTranscoder`, either source); nil when no traces were exported.
    public var traceTranscodedWindows: Int? = nil
    /// The lake's Parquet files of the range, per entity and UTC date, when a lake folder was given.
    public var lakeFiles: [LakeFile]? = nil

    /// One local Parquet file for the lake: an entity's rows of the blocks `firstBlock…lastBlock`,
    /// all of UTC date `blockDate`.
    public struct LakeFile: Sendable, Codable, Equatable {
        public let entity: String
        public let blockDate: String
        public let firstBlock: UInt64
        public let lastBlock: UInt64
        public let path: String
        public let rows: Int
        public let bytes: Int

        enum CodingKeys: String, CodingKey {
            case entity, blockDate = "block_date", firstBlock = "first_block", lastBlock = "last_block", path, rows, bytes
        }
    }

    enum CodingKeys: String, CodingKey {
        case firstBlock = "first_block", lastBlock = "last_block"
        case firstParentHash = "first_parent_hash", lastHash = "last_hash", files
        case windows, transcodedWindows = "transcoded_windows", traceTranscodedWindows = "trace_transcoded_windows"
        case lakeFiles = "lake_files"
    }
}

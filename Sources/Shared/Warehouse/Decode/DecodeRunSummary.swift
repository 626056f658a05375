// What the decode stage did to one range, kept in the model job's result.

/// Per decoded table (`dataset.table`): rows written and rows skipped, or why it did not run.
public struct DecodeRunSummary: Sendable, Codable, Equatable {
    /// Tables decoded in this run: rows written, and candidate logs or calls skipped because
    /// they did not fit the ABI or a column.
    public var tables: [String: DecodedTableCounts] = [:]
    /// Tables already decoded for the range with the same definition.
    public var upToDate: [String] = []
    /// Tables not decoded, with why (an entity not loaded for the range).
    public var notLoaded: [String: String] = [:]
    /// Tables whose ref() dependency is not yet decoded on every earlier range (its high-water
    /// mark is below this range), with why: decoded when the job comes again.
    public var waiting: [String: String] = [:]
    /// Rows and skips of every table decoded on the range, in this run or before (`status` sums
    /// these over ranges).
    public var counts: [String: DecodedTableCounts] = [:]
    /// Tables whose runs on later ranges were forgotten because a table they read changed here.
    public var invalidated: DecodeInvalidation?
    /// Where the stage's time went: `read` (reading the range's logs and calls and decoding them,
    /// as one stream) and `write` (deleting, copying and recording every table), milliseconds.
    public var milliseconds: [String: Int] = [:]

    public init() {}

    enum CodingKeys: String, CodingKey {
        case tables, upToDate = "up_to_date", notLoaded = "not_loaded", waiting, counts, invalidated, milliseconds
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        tables = try container.decodeIfPresent([String: DecodedTableCounts].self, forKey: .tables) ?? [:]
        upToDate = try container.decodeIfPresent([String].self, forKey: .upToDate) ?? []
        notLoaded = try container.decodeIfPresent([String: String].self, forKey: .notLoaded) ?? [:]
        waiting = try container.decodeIfPresent([String: String].self, forKey: .waiting) ?? [:]
        counts = try container.decodeIfPresent([String: DecodedTableCounts].self, forKey: .counts) ?? [:]
        invalidated = try container.decodeIfPresent(DecodeInvalidation.self, forKey: .invalidated)
        milliseconds = try container.decodeIfPresent([String: Int].self, forKey: .milliseconds) ?? [:]
    }
}

/// Decoded tables to decode again on every range from a block on (`runName`s), because a table
/// they read changed on an earlier range (a reload with other rows).
public struct DecodeInvalidation: Sendable, Codable, Equatable {
    public var tables: [String]
    public var fromBlock: Int64

    public init(tables: [String], fromBlock: Int64) {
        self.tables = tables
        self.fromBlock = fromBlock
    }

    enum CodingKeys: String, CodingKey {
        case tables, fromBlock = "from_block"
    }
}

/// Rows one decoded table got from one range.
public struct DecodedTableCounts: Sendable, Codable, Equatable {
    public var decoded = 0
    public var skipped = 0

    public init(decoded: Int = 0, skipped: Int = 0) {
        self.decoded = decoded
        self.skipped = skipped
    }
}

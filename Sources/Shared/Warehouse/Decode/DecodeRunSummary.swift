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

    public init() {}

    enum CodingKeys: String, CodingKey {
        case tables, upToDate = "up_to_date", notLoaded = "not_loaded"
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

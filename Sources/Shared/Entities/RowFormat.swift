// The output formats ethereum-etl writes.

/// CSV (ethereum-etl's `.csv` files) or JSON lines (its `.json` files).
public enum RowFormat: String, Sendable, CaseIterable, Codable {
    case csv
    case json

    /// The file extension ethereum-etl uses to choose the format.
    public var fileExtension: String { rawValue }
}

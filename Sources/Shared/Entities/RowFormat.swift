// The output formats: ethereum-etl's two, and Parquet for the lake.

/// CSV (ethereum-etl's `.csv` files), JSON lines (its `.json` files) or Parquet (typed columns
/// from the column table, for the lake and columnar engines).
public enum RowFormat: String, Sendable, CaseIterable, Codable {
    case csv
    case json
    case parquet

    /// The formats written as lines of text, through an `OutputSink` (and gzip for staging).
    public static let lineFormats: [RowFormat] = [.csv, .json]

    /// The file extension ethereum-etl uses to choose the format (`.parquet` for Parquet).
    public var fileExtension: String { rawValue }

    /// Whether rows are written as lines of text (CSV, JSON lines) rather than Parquet.
    public var isLines: Bool { self != .parquet }
}

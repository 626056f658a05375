// The output formats ethereum-etl writes, and the writer for each.

/// CSV (ethereum-etl's `.csv` files) or JSON lines (its `.json` files).
public enum RowFormat: String, Sendable, CaseIterable, Codable {
    case csv
    case json

    /// The file extension ethereum-etl uses to choose the format.
    public var fileExtension: String { rawValue }

    /// A writer of this format for one entity.
    public func makeWriter(_ columns: EntityColumns, to sink: any OutputSink) -> any RowWriter {
        switch self {
        case .csv: return CSVRowWriter(columns, to: sink)
        case .json: return JSONLinesRowWriter(columns, to: sink)
        }
    }
}

// The row writer of each output format.

extension RowFormat {
    /// A writer of this format for one entity.
    public func makeWriter(_ columns: EntityColumns, to sink: any OutputSink) -> any RowWriter {
        switch self {
        case .csv: return CSVRowWriter(columns, to: sink)
        case .json: return JSONLinesRowWriter(columns, to: sink)
        }
    }

}

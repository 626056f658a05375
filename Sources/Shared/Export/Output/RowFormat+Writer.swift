// The row writer of each output format.

extension RowFormat {
    /// A writer of this format for one entity, writing to `sink`. Parquet's bytes pass through
    /// the sink unchanged; exports write Parquet straight to a file (`RangeExporter`).
    public func makeWriter(_ columns: EntityColumns, to sink: any OutputSink) throws(ExportError) -> any RowWriter {
        switch self {
        case .csv: return CSVRowWriter(columns, to: sink)
        case .json: return JSONLinesRowWriter(columns, to: sink)
        case .parquet: return try ParquetRowWriter(columns, output: OutputSinkParquetOutput(sink))
        }
    }
}

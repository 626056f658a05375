// The columns of a Parquet file, checked once when the schema is made.

/// A flat Parquet schema: an ordered list of uniquely named columns.
public struct ParquetSchema: Sendable, Hashable {
    public let columns: [ParquetColumn]

    /// Refuses an empty schema, an empty column name, a name used twice (readers would refuse
    /// the file, or silently read one of the two) and a decimal of more than 38 digits.
    public init(_ columns: [ParquetColumn]) throws(ParquetError) {
        guard !columns.isEmpty else {
            throw ParquetError(.invalidSchema, "a Parquet schema needs at least one column")
        }
        var seen = Set<String>()
        for column in columns {
            guard !column.name.isEmpty else {
                throw ParquetError(.invalidSchema, "a column has an empty name")
            }
            if case .decimal(let precision, let scale) = column.type, !(1...38).contains(precision) || !(0...precision).contains(scale) {
                throw ParquetError(.invalidSchema, "decimal(\(precision), \(scale)) needs a precision of 1…38 and a scale of 0…precision", column: column.name)
            }
            guard seen.insert(column.name).inserted else {
                throw ParquetError(.invalidSchema, "column name \"\(column.name)\" is used twice", column: column.name)
            }
        }
        self.columns = columns
    }
}

// One column of an entity's Parquet file and the column-table value it is written from.

/// A Parquet column of an entity's file: its name, type and nullability, the position of the
/// column-table value it comes from, and how that value is converted.
public struct EntityParquetField: Sendable, Hashable {
    /// How the row's value becomes the Parquet value.
    public enum Conversion: Sendable, Hashable {
        /// Decimal text to INT64 (counts, gas, block numbers, unix seconds).
        case int64
        /// The CSV cell's text, unquoted: hashes, addresses, data, uint256 amounts as exact
        /// decimal text, lists comma-joined, objects as compact JSON.
        case text
        /// True or false.
        case boolean
        /// Unix seconds in decimal text to a TIMESTAMP in the column's unit.
        case epochSeconds
    }

    public let column: ParquetColumn
    /// The index in the entity's `EntityColumns` of the value written here.
    public let source: Int
    public let conversion: Conversion

    public init(_ column: ParquetColumn, source: Int, conversion: Conversion) {
        self.column = column
        self.source = source
        self.conversion = conversion
    }
}

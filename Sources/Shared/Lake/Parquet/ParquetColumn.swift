// One column of a Parquet schema: its name, type and whether it may hold nulls.

/// A flat (top-level) column. Nullable columns are OPTIONAL and carry definition levels; the
/// others are REQUIRED and refuse nulls.
public struct ParquetColumn: Sendable, Hashable {
    public var name: String
    public var type: ParquetColumnType
    public var nullable: Bool

    public init(_ name: String, _ type: ParquetColumnType, nullable: Bool = false) {
        self.name = name
        self.type = type
        self.nullable = nullable
    }
}

// The column types the Parquet writer offers, each a physical type with its logical annotation.

/// What a column holds, as readers will see it. Each case fixes the physical type, the logical
/// type and the legacy converted type written to the schema:
///
/// | case | physical | logical (converted) | append with |
/// |---|---|---|---|
/// | `boolean` | BOOLEAN | none | `append(_: Bool)` |
/// | `int64` | INT64 | INTEGER(64, signed) (INT_64) | `append(_: Int64)` |
/// | `timestamp(unit)` | INT64 | TIMESTAMP(UTC, unit) (TIMESTAMP_MILLIS/MICROS) | `append(_: Int64)` in that unit since 1970 |
/// | `string` | BYTE_ARRAY | STRING (UTF8) | `append(_: String)` or UTF-8 bytes |
/// | `bytes` | BYTE_ARRAY | none | `append(bytes:)` |
///
/// uint256 values (wei amounts) go in `string` columns as decimal text, exact at any size
/// (Parquet's DECIMAL tops out at 38 digits in Athena and Redshift and 76 in Arrow; uint256
/// needs 78). Readers get numbers with a cast (`CAST(value AS DECIMAL(38,0))` or
/// `int(value)`). Lists (log topics) are written as text the way the CSV export writes them.
public enum ParquetColumnType: Sendable, Hashable, CustomStringConvertible {
    case boolean
    case int64
    /// An instant, stored as an integer count of `ParquetTimeUnit` since 1970-01-01 UTC.
    case timestamp(ParquetTimeUnit)
    case string
    case bytes

    /// How the values are stored in memory and in pages.
    enum Storage { case boolean, int64, byteArray }

    var storage: Storage {
        switch self {
        case .boolean: .boolean
        case .int64, .timestamp: .int64
        case .string, .bytes: .byteArray
        }
    }

    var physicalType: ParquetFormat.PhysicalType {
        switch storage {
        case .boolean: .boolean
        case .int64: .int64
        case .byteArray: .byteArray
        }
    }

    public var description: String {
        switch self {
        case .boolean: "boolean"
        case .int64: "int64"
        case .timestamp(let unit): "timestamp(\(unit))"
        case .string: "string"
        case .bytes: "bytes"
        }
    }
}

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
/// | `decimal(p, s)` | FIXED_LEN_BYTE_ARRAY | DECIMAL(p, s) (DECIMAL) | `append(_: String)` with decimal text |
///
/// uint256 values (wei amounts) go in `string` columns as decimal text by default, exact at any
/// size; readers get numbers with a cast (`CAST(value AS DECIMAL(38,0))`, `int(value)`). A
/// `decimal(precision: 38, scale: 0)` column is the numeric alternative for amounts known to
/// stay below 10^38 (Athena's and Redshift's largest DECIMAL; Arrow's decimal128): engines sum it
/// directly, but a larger value is refused, and uint256 reaches 78 digits. Lists (log topics)
/// are written as text, comma-joined as the CSV export writes them.
public enum ParquetColumnType: Sendable, Hashable, CustomStringConvertible {
    case boolean
    case int64
    /// An instant, stored as an integer count of `ParquetTimeUnit` since 1970-01-01 UTC.
    case timestamp(ParquetTimeUnit)
    case string
    case bytes
    /// An exact decimal of at most `precision` digits (1…38), `scale` of them after the point.
    case decimal(precision: Int, scale: Int)

    /// How the values are stored in memory and in pages.
    enum Storage { case boolean, int64, byteArray, fixedLengthByteArray }

    var storage: Storage {
        switch self {
        case .boolean: .boolean
        case .int64, .timestamp: .int64
        case .string, .bytes: .byteArray
        case .decimal: .fixedLengthByteArray
        }
    }

    /// The byte length of a FIXED_LEN_BYTE_ARRAY column's values; 0 for the other types.
    var fixedLength: Int {
        guard case .decimal(let precision, _) = self else { return 0 }
        return ParquetDecimal.byteWidth(precision: precision)
    }

    var physicalType: ParquetFormat.PhysicalType {
        switch storage {
        case .boolean: .boolean
        case .int64: .int64
        case .byteArray: .byteArray
        case .fixedLengthByteArray: .fixedLenByteArray
        }
    }

    public var description: String {
        switch self {
        case .boolean: "boolean"
        case .int64: "int64"
        case .timestamp(let unit): "timestamp(\(unit))"
        case .string: "string"
        case .bytes: "bytes"
        case .decimal(let precision, let scale): "decimal(\(precision), \(scale))"
        }
    }
}

// The units a Parquet timestamp column may count in.

/// The unit of a `timestamp` column's integers. Milliseconds are what Athena and Redshift
/// Spectrum read best; microseconds match DuckDB's and Arrow's native timestamps.
public enum ParquetTimeUnit: String, Sendable, Hashable, CustomStringConvertible {
    case milliseconds
    case microseconds

    public var description: String { rawValue }
}

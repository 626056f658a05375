// The compression codecs the Parquet writer offers for its pages.

/// How each page is compressed. ZSTD is the default: it is smaller than SNAPPY at a similar
/// write speed, and every current reader (Arrow, DuckDB, Athena, Spectrum, Spark) has it.
public enum ParquetCodec: Sendable, Hashable, CustomStringConvertible {
    case uncompressed
    case snappy
    /// Zstandard at `level` (1…22; 3 is zstd's own default, a good speed/size balance).
    case zstd(level: Int32)

    public static let `default` = ParquetCodec.zstd(level: 3)

    /// `CompressionCodec` in parquet.thrift.
    var thriftValue: Int32 {
        switch self {
        case .uncompressed: 0
        case .snappy: 1
        case .zstd: 6
        }
    }

    public var description: String {
        switch self {
        case .uncompressed: "UNCOMPRESSED"
        case .snappy: "SNAPPY"
        case .zstd(let level): "ZSTD(\(level))"
        }
    }
}

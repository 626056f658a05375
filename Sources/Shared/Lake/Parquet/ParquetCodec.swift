// The compression codecs the Parquet writer offers for its pages.

/// How each page is compressed. ZSTD is the default: it is smaller than SNAPPY at a similar
/// write speed, and every current reader (Arrow, DuckDB, Athena, Spectrum, Spark) has it.
public enum ParquetCodec: Sendable, Hashable, CustomStringConvertible {
    case uncompressed
    case snappy
    /// Zstandard at `level` (1…22).
    case zstd(level: Int32)

    /// ZSTD level 1, Arrow's default level: on the transactions-like benchmark level 3 took
    /// 1.9× the CPU of level 1 for a file 0.1% smaller (hashes and addresses are random bytes
    /// in hex, which no level compresses below half).
    public static let `default` = ParquetCodec.zstd(level: 1)

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

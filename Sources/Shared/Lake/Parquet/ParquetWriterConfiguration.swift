// How a Parquet file is cut into row groups and pages, compressed and dictionary-encoded.

/// The Parquet writer's settings, every one with a default suited to scans of Ethereum tables.
public struct ParquetWriterConfiguration: Sendable, Hashable {
    /// The codec of every page. Default ZSTD level 1 (`ParquetCodec.default`).
    public var codec: ParquetCodec
    /// A row group is written once its columns hold this many bytes in plain encoding
    /// (before compression). Default 64 MiB: large enough for scan engines to read long runs
    /// (typically 10–25 MiB compressed), small enough to keep the writer's memory, which holds
    /// one row group, near that figure.
    public var rowGroupBytes: Int
    /// …or once it holds this many rows, whichever comes first. Default 1,000,000.
    public var rowGroupRows: Int
    /// A data page ends at about this many plain-encoded bytes. Default 1 MiB (Arrow's default).
    public var pageBytes: Int
    /// …or at this many rows. Default 20,000 (Arrow's default), so readers can skip pages.
    public var pageRows: Int
    /// A column chunk keeps a dictionary while its distinct values take at most this many bytes
    /// in plain encoding; past it the chunk is written PLAIN. Default 1 MiB (Arrow's
    /// `dictionary_pagesize_limit`). 0 turns dictionaries off.
    public var dictionaryPageBytes: Int
    /// Min/max statistics longer than this are left out (a 100 KB calldata value is no use as
    /// a bound); the null count is always written. Default 4096 bytes (Arrow's).
    public var statisticsMaxBytes: Int

    public init(
        codec: ParquetCodec = .default,
        rowGroupBytes: Int = 64 << 20,
        rowGroupRows: Int = 1_000_000,
        pageBytes: Int = 1 << 20,
        pageRows: Int = 20_000,
        dictionaryPageBytes: Int = 1 << 20,
        statisticsMaxBytes: Int = 4096
    ) {
        self.codec = codec
        self.rowGroupBytes = rowGroupBytes
        self.rowGroupRows = rowGroupRows
        self.pageBytes = pageBytes
        self.pageRows = pageRows
        self.dictionaryPageBytes = dictionaryPageBytes
        self.statisticsMaxBytes = statisticsMaxBytes
    }

    /// Refuses sizes that cannot work, naming the setting.
    func validate() throws(ParquetError) {
        for (name, value) in [("rowGroupBytes", rowGroupBytes), ("rowGroupRows", rowGroupRows), ("pageBytes", pageBytes), ("pageRows", pageRows)] where value < 1 {
            throw ParquetError(.invalidConfiguration, "\(name) must be at least 1, not \(value)")
        }
        if dictionaryPageBytes < 0 || statisticsMaxBytes < 0 {
            throw ParquetError(.invalidConfiguration, "dictionaryPageBytes and statisticsMaxBytes must not be negative")
        }
        if case .zstd(let level) = codec, !(1...22).contains(level) {
            throw ParquetError(.invalidConfiguration, "zstd level must be 1…22, not \(level)")
        }
    }
}

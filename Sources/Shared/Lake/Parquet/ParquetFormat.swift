// The numbers parquet.thrift gives its enums, as written in footers and page headers.

/// Constants of the Parquet format (apache/parquet-format `parquet.thrift`), kept in one place.
enum ParquetFormat {
    /// `Type`: how values are stored.
    enum PhysicalType: Int32 {
        case boolean = 0, int32 = 1, int64 = 2, int96 = 3, float = 4, double = 5
        case byteArray = 6, fixedLenByteArray = 7
    }

    /// `Encoding`.
    enum Encoding: Int32 {
        case plain = 0, plainDictionary = 2, rle = 3, bitPacked = 4
        case deltaBinaryPacked = 5, deltaLengthByteArray = 6, deltaByteArray = 7
        case rleDictionary = 8, byteStreamSplit = 9
    }

    /// `PageType`.
    enum PageType: Int32 {
        case dataPage = 0, indexPage = 1, dictionaryPage = 2, dataPageV2 = 3
    }

    /// `FieldRepetitionType`.
    enum Repetition: Int32 {
        case required = 0, optional = 1, repeated = 2
    }

    /// `ConvertedType` (the legacy annotation old readers still look at).
    enum ConvertedType: Int32 {
        case utf8 = 0, decimal = 5, timestampMillis = 9, timestampMicros = 10, int64 = 18
    }

    /// The `LogicalType` union's field ids.
    enum LogicalTypeField: Int16 {
        case string = 1, decimal = 5, timestamp = 8, integer = 10
    }

    /// The `TimeUnit` union's field ids.
    enum TimeUnitField: Int16 {
        case millis = 1, micros = 2, nanos = 3
    }

    /// Every file starts and ends with these four bytes.
    static let magic: [UInt8] = Array("PAR1".utf8)

    /// `FileMetaData.version`: 2 announces the 2.x logical types and min_value/max_value statistics.
    static let version: Int32 = 2
}

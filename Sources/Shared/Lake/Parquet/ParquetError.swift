// The error the Parquet writer fails with, naming the column when one is at fault.

/// A Parquet writing failure: a bad schema, a value that does not fit its column, columns of
/// unequal length, a codec or output failure.
public struct ParquetError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Code: String, Sendable {
        /// The schema cannot be written (no columns, empty or repeated names).
        case invalidSchema = "invalid_schema"
        /// A value does not fit its column (wrong type, null in a non-nullable column).
        case invalidValue = "invalid_value"
        /// The columns of a batch hold different numbers of rows.
        case rowCountMismatch = "row_count_mismatch"
        /// The configuration is out of range (row group or page size, zstd level).
        case invalidConfiguration = "invalid_configuration"
        /// The codec library refused to compress.
        case compression
        /// Writing the output failed (disk full, closed file).
        case output
        /// The writer was used after `finish()` or after an earlier failure.
        case finished
    }

    public let code: Code
    public let message: String
    /// The column at fault, when there is one.
    public let column: String?

    public init(_ code: Code, _ message: String, column: String? = nil) {
        self.code = code
        self.message = message
        self.column = column
    }

    public var description: String {
        "Parquet error [\(code.rawValue)]\(column.map { " in column \"\($0)\"" } ?? ""): \(message)"
    }
}

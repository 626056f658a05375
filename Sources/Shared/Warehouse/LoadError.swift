// Load failures: bad staged data is named precisely and leaves the warehouse unchanged.

/// A load that failed, with what was wrong.
public struct LoadError: Error, CustomStringConvertible, ClassifiedJobError, Sendable {
    public enum Code: String, Sendable {
        /// The job's payload is not a load request this loader can run.
        case invalidRequest = "invalid_request"
        /// The object's bytes or SHA-256 differ from the manifest.
        case checksumMismatch = "checksum_mismatch"
        /// The object holds another number of rows than the manifest says.
        case rowCountMismatch = "row_count_mismatch"
        /// The CSV is not well formed or its header is not the entity's columns.
        case malformedCSV = "malformed_csv"
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// A checksum mismatch may be a torn download or a re-export racing the load: worth another
    /// attempt. Wrong counts, bad CSV and bad requests do not fix themselves.
    public var isRetryable: Bool { code == .checksumMismatch }

    public var description: String { "load \(code.rawValue): \(message)" }
}

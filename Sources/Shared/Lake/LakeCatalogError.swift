// The error `coordinator lake ddl` stops with, naming the flag at fault.

/// A catalog that cannot be written: no location, a location the dialect cannot read, a bad name.
public struct LakeCatalogError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Code: String, Sendable {
        /// No `--location` and no `BLOCKFLEET_LAKE_URL`.
        case missingLocation = "missing_location"
        /// The location is not one the dialect reads (Athena and Spectrum need s3://) or has
        /// characters that cannot go in a SQL literal.
        case invalidLocation = "invalid_location"
        /// A database, schema or role name that is not a plain identifier or ARN.
        case invalidName = "invalid_name"
        /// A date range that is not `YYYY-MM-DD` or runs backwards.
        case invalidDates = "invalid_dates"
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "lake catalog error [\(code.rawValue)]: \(message)" }
}

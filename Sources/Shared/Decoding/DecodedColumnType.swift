// The warehouse type of a decoded table's column, from its BigQuery type, and how values go in.

/// A column's logical type. Definitions declare BigQuery types; this maps them to Postgres and
/// Redshift, and turns a decoded value into the text the warehouse parses for that type.
public enum DecodedColumnType: String, Hashable, Sendable, CaseIterable {
    /// STRING, BYTES: text (bytes as 0x-hex; arrays and tuples as JSON text).
    case text
    /// INT64 / INTEGER.
    case integer
    /// NUMERIC / DECIMAL: integers up to 38 digits on Redshift.
    case numeric
    /// BIGNUMERIC / BIGDECIMAL: uint256-wide integers (Redshift has no such decimal: VARCHAR).
    case bigNumeric
    /// FLOAT64 / FLOAT.
    case float
    /// BOOL / BOOLEAN.
    case boolean
    /// TIMESTAMP: a decoded integer read as Unix seconds, written `YYYY-MM-DD HH:MM:SS` (UTC).
    case timestamp
    /// RECORD / STRUCT, any REPEATED field, and JSON: JSON text (Postgres JSONB; Redshift SUPER
    /// through JSON_PARSE).
    case json

    /// The type for a BigQuery `type` and `mode`, or nil when the type is not supported.
    public init?(bigQueryType: String, repeated: Bool) {
        if repeated {
            self = .json
            return
        }
        switch bigQueryType.uppercased() {
        case "STRING", "BYTES": self = .text
        case "INT64", "INTEGER": self = .integer
        case "NUMERIC", "DECIMAL": self = .numeric
        case "BIGNUMERIC", "BIGDECIMAL": self = .bigNumeric
        case "FLOAT64", "FLOAT": self = .float
        case "BOOL", "BOOLEAN": self = .boolean
        case "TIMESTAMP": self = .timestamp
        case "RECORD", "STRUCT", "JSON": self = .json
        default: return nil
        }
    }

    /// The Postgres column type.
    public var postgres: String {
        switch self {
        case .text: "TEXT"
        case .integer: "BIGINT"
        case .numeric, .bigNumeric: "NUMERIC(78,0)"
        case .float: "DOUBLE PRECISION"
        case .boolean: "BOOLEAN"
        case .timestamp: "TIMESTAMP"
        case .json: "JSONB"
        }
    }

    /// The Redshift column type.
    public var redshift: String {
        switch self {
        case .text: "VARCHAR(65535)"
        case .integer: "BIGINT"
        case .numeric: "DECIMAL(38,0)"
        case .bigNumeric: "VARCHAR(80)"
        case .float: "DOUBLE PRECISION"
        case .boolean: "BOOLEAN"
        case .timestamp: "TIMESTAMP"
        case .json: "SUPER"
        }
    }

    /// Redshift's VARCHAR(65535) counts bytes; longer text cannot be stored there.
    public static let redshiftTextLimit = 65_535

    /// The text the warehouse reads for `value` in a column of this type (the same for Postgres
    /// and Redshift), or `ABIDecodeError.doesNotFit` when the value cannot be that type: a
    /// non-integer in a numeric column, an integer out of range, a non-bool in a BOOLEAN. Such a
    /// row is skipped and counted like a log that does not fit its ABI.
    public func cell(_ value: ABIValue, column: String) throws -> String {
        func mismatch(_ what: String) -> ABIDecodeError {
            ABIDecodeError.doesNotFit("column \(column) (\(rawValue)): \(what)")
        }
        switch self {
        case .text:
            return value.text
        case .json:
            return value.jsonText
        case .boolean:
            guard case .bool(let flag) = value else { throw mismatch("\(value.text) is not a bool") }
            return flag ? "true" : "false"
        case .integer, .numeric, .bigNumeric, .float, .timestamp:
            guard value.isInteger else { throw mismatch("\(value.text) is not an integer") }
            let text = value.text
            let digits = text.utf8.count - (text.utf8.first == UInt8(ascii: "-") ? 1 : 0)
            switch self {
            case .integer:
                guard Int64(text) != nil else { throw mismatch("\(text) is outside BIGINT") }
            case .numeric:
                guard digits <= 38 else { throw mismatch("\(text) has more than 38 digits") }
            case .timestamp:
                guard let seconds = Int64(text), let stamp = Self.timestampText(seconds) else {
                    throw mismatch("\(text) is not a Unix time in years 1…9999")
                }
                return stamp
            default:
                break
            }
            return text
        }
    }

    /// `YYYY-MM-DD HH:MM:SS` for Unix seconds (proleptic Gregorian, UTC); nil outside years 1…9999.
    static func timestampText(_ seconds: Int64) -> String? {
        guard seconds >= -62_135_596_800, seconds <= 253_402_300_799 else { return nil }
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let yearText = String(year)
        return String(repeating: "0", count: max(0, 4 - yearText.count)) + yearText + "-" + two(month) + "-" + two(day)
            + " " + two(secondOfDay / 3_600) + ":" + two(secondOfDay % 3_600 / 60) + ":" + two(secondOfDay % 60)
    }
}

extension ABIValue {
    var isInteger: Bool {
        switch self {
        case .uint, .int: true
        default: false
        }
    }
}

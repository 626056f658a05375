// A log or call input that does not fit its ABI: counted and skipped by callers, never fatal.

/// Raised when bytes cannot be the encoding of the expected types: too short, an offset or length
/// out of bounds, an address with high bits, text that is not UTF-8, a topic count that does not
/// match the indexed inputs. The same event signature with another indexed layout is common, so
/// callers count these per table and go on.
public struct ABIDecodeError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Code: String, Sendable {
        case doesNotFit = "abi_does_not_fit"
    }

    public let code: Code
    public let reason: String

    public init(_ code: Code = .doesNotFit, reason: String) {
        self.code = code
        self.reason = reason
    }

    public static func doesNotFit(_ reason: String) -> ABIDecodeError {
        ABIDecodeError(.doesNotFit, reason: reason)
    }

    public var description: String { "\(code.rawValue): \(reason)" }
}

// A type or ABI entry that cannot be understood, naming the text that was wrong.

/// A malformed ABI: an unknown or out-of-range type, a tuple without components, a missing name.
public struct ABITypeError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Code: String, Sendable {
        /// The `type` text is not a Solidity ABI type (or is one this decoder does not support).
        case invalidType = "invalid_abi_type"
        /// The ABI entry (event or function) is malformed: wrong `type`, missing `name` or `inputs`.
        case invalidEntry = "invalid_abi_entry"
    }

    public let code: Code
    /// The type text or entry name at fault.
    public let subject: String
    public let reason: String

    public init(_ code: Code, subject: String, reason: String) {
        self.code = code
        self.subject = subject
        self.reason = reason
    }

    public var description: String {
        switch code {
        case .invalidType: "\(code.rawValue): type '\(subject)': \(reason)"
        case .invalidEntry: "\(code.rawValue): ABI entry '\(subject)': \(reason)"
        }
    }
}

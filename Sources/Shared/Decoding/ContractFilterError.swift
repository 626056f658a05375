// A contract_address this decoder does not accept, with the reason.

/// Raised for a `contract_address` that is not an address, an address list, or a supported query.
public struct ContractFilterError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Code: String, Sendable {
        /// Text that is neither an address nor SQL this parser reads.
        case unsupported = "contract_filter_unsupported"
        /// An address literal that is not 0x followed by 40 hex digits.
        case invalidAddress = "contract_filter_invalid_address"
    }

    public let code: Code
    public let reason: String

    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { "\(code.rawValue): \(reason)" }
}

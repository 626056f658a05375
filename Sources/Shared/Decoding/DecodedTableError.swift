// A definition file that is refused, naming the file and why.

/// Why a table-definition file was refused at start. Each refused file is reported; the others
/// still load.
public struct DecodedTableError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Code: String, Sendable {
        /// The file could not be read, or is not JSON of the definition's shape.
        case unreadable = "definition_unreadable"
        /// The ABI, parser type, names or schema are malformed or do not match each other.
        case invalidDefinition = "definition_invalid"
        /// `contract_address` is a form this decoder does not support.
        case unsupportedContractFilter = "definition_contract_filter_unsupported"
        /// `ref('…')` names no accepted definition of the dataset, or a column it does not have,
        /// or the references form a cycle.
        case unresolvedReference = "definition_reference_unresolved"
        /// Another file defines the same dataset and table.
        case duplicate = "definition_duplicate"
    }

    /// The file's path relative to the definitions folder.
    public let file: String
    public let code: Code
    public let reason: String

    public init(file: String, _ code: Code, _ reason: String) {
        self.file = file
        self.code = code
        self.reason = reason
    }

    public var description: String { "\(file): \(code.rawValue): \(reason)" }
}

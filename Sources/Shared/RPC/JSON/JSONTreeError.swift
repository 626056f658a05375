// Why a JSON tree could not be read as a model, and where.

/// A failure of `JSONValue.parse` or of a `JSONTreeDecodable` conversion, with the JSON path of
/// the value concerned (`[0].result[2].result.calls[0].gas`), as `JSONDecoder`'s errors carry one.
struct JSONTreeError: Error, Sendable {
    enum Kind: Sendable {
        /// Not JSON at all.
        case invalid
        /// Nested deeper than the reader's limit.
        case tooDeep
        /// A required member is absent.
        case missing
        /// A required member is null.
        case null
        /// A value of the wrong JSON type.
        case wrongType
    }

    let kind: Kind
    /// The path of the value, empty for the whole document.
    let path: String
    let message: String

    init(_ kind: Kind, path: String = "", _ message: String) {
        self.kind = kind
        self.path = path
        self.message = message
    }
}

// Models that read themselves from a JSONValue tree, for answers too deep for JSONDecoder.

/// A model that can be read from a `JSONValue`, with the same values `init(from:)` reads
/// through `JSONDecoder` (members optional where they are optional there, first duplicate key
/// wins). Conformers with nesting of their own (call frames) read it without recursion.
protocol JSONTreeDecodable: Decodable, Sendable {
    /// Reads `value`, found at `path` (for errors).
    static func decode(_ value: JSONValue, path: String) throws(JSONTreeError) -> Self
}

extension JSONValue {
    /// The path of member `key` under `path`, written as `RPCDecoding.path` writes coding paths.
    static func path(_ path: String, _ key: String) -> String {
        path.isEmpty ? key : path + "." + key
    }

    /// The path of element `index` under `path`.
    static func path(_ path: String, _ index: Int) -> String {
        path + "[\(index)]"
    }

    /// An optional string member: nil when absent or null, an error for any other type.
    func optionalString(_ key: String, path: String) throws(JSONTreeError) -> String? {
        switch self[key] {
        case nil, .null?: return nil
        case .string(let text)?: return text
        case let other?:
            let field = Self.path(path, key)
            throw JSONTreeError(.wrongType, path: field, "field '\(field)' is not a String: found \(other.kind) instead")
        }
    }
}

extension String: JSONTreeDecodable {
    static func decode(_ value: JSONValue, path: String) throws(JSONTreeError) -> String {
        guard case .string(let text) = value else {
            throw JSONTreeError(.wrongType, path: path, "field '\(path)' is not a String: found \(value.kind) instead")
        }
        return text
    }
}

extension Array: JSONTreeDecodable where Element: JSONTreeDecodable {
    static func decode(_ value: JSONValue, path: String) throws(JSONTreeError) -> [Element] {
        guard case .array(let elements) = value else {
            throw JSONTreeError(.wrongType, path: path, "field '\(path)' is not an Array: found \(value.kind) instead")
        }
        var decoded: [Element] = []
        decoded.reserveCapacity(elements.count)
        for (index, element) in elements.enumerated() {
            decoded.append(try Element.decode(element, path: JSONValue.path(path, index)))
        }
        return decoded
    }
}

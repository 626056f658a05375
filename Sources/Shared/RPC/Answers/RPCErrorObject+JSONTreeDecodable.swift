// A JSON-RPC error object read from a JSON tree.

extension RPCErrorObject: JSONTreeDecodable {
    static func decode(_ value: JSONValue, path: String) throws(JSONTreeError) -> RPCErrorObject {
        guard case .object = value else {
            throw JSONTreeError(.wrongType, path: path, "field '\(path)' is not a Dictionary: found \(value.kind) instead")
        }
        let codePath = JSONValue.path(path, "code")
        let code: Int
        switch value["code"] {
        case nil: throw JSONTreeError(.missing, path: codePath, "required field '\(codePath)' is missing")
        case .null?: throw JSONTreeError(.null, path: codePath, "required field '\(codePath)' is null")
        case .number(let text)?:
            guard let number = Int(text) ?? Double(text).flatMap({ Int(exactly: $0) }) else {
                throw JSONTreeError(.wrongType, path: codePath, "field '\(codePath)' is not an Int: \(text)")
            }
            code = number
        case let other?:
            throw JSONTreeError(.wrongType, path: codePath, "field '\(codePath)' is not an Int: found \(other.kind) instead")
        }
        let messagePath = JSONValue.path(path, "message")
        switch value["message"] {
        case nil: throw JSONTreeError(.missing, path: messagePath, "required field '\(messagePath)' is missing")
        case .null?: throw JSONTreeError(.null, path: messagePath, "required field '\(messagePath)' is null")
        case let message?: return RPCErrorObject(code: code, message: try String.decode(message, path: messagePath))
        }
    }
}

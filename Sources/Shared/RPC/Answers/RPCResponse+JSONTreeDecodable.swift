// A JSON-RPC response envelope read from a JSON tree, with the values init(from:) reads.

extension RPCResponse: JSONTreeDecodable where Result: JSONTreeDecodable {
    /// An integral id becomes its decimal text, a string id stays, anything else is nil, as in
    /// `init(from:)`; a null or absent result or error is nil.
    static func decode(_ value: JSONValue, path: String) throws(JSONTreeError) -> RPCResponse<Result> {
        guard case .object = value else {
            throw JSONTreeError(.wrongType, path: path, "field '\(path)' is not a Dictionary: found \(value.kind) instead")
        }
        var id: String?
        switch value["id"] {
        case .string(let text)?: id = text
        case .number(let text)?: id = (Int64(text) ?? Double(text).flatMap { Int64(exactly: $0) }).map { String($0) }
        default: id = nil
        }
        var result: Result?
        if let member = value["result"], !member.isNull {
            result = try Result.decode(member, path: JSONValue.path(path, "result"))
        }
        var error: RPCErrorObject?
        if let member = value["error"], !member.isNull {
            error = try RPCErrorObject.decode(member, path: JSONValue.path(path, "error"))
        }
        return RPCResponse(id: id, result: result, error: error)
    }
}

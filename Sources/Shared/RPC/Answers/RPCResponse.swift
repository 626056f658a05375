// The JSON-RPC 2.0 envelope around a result or an error.

/// `{"jsonrpc": "2.0", "id": …, "result": …}` or `{…, "error": {"code", "message"}}`.
public struct RPCResponse<Result: Decodable & Sendable>: Decodable, Sendable {
    /// The request id; a number or a string, kept as text so batches can be matched to requests.
    public let id: String?
    public let result: Result?
    public let error: RPCErrorObject?

    private enum CodingKeys: String, CodingKey { case id, result, error }

    /// A response built by a decoder other than `JSONDecoder` (the fast batch decode).
    public init(id: String?, result: Result?, error: RPCErrorObject?) {
        self.id = id
        self.result = result
        self.error = error
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let number = try? container.decodeIfPresent(Int64.self, forKey: .id) {
            id = String(number)
        } else {
            id = try? container.decodeIfPresent(String.self, forKey: .id)
        }
        result = try container.decodeIfPresent(Result.self, forKey: .result)
        error = try container.decodeIfPresent(RPCErrorObject.self, forKey: .error)
    }
}

/// Responses compare by value, so the fast and the `JSONDecoder` batch decodes can be checked against each other.
extension RPCResponse: Equatable where Result: Equatable {}

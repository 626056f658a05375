// RPCRequest: one JSON-RPC call taken out of a request body.

/// A call keeps its `id` as parsed JSON so the response echoes it byte for byte
/// (numbers and strings alike); a call without `id` is a notification and gets no answer.
struct RPCRequest: Sendable, Equatable {
    var id: JSONValue?
    var method: String
    var params: [JSONValue]

    var isNotification: Bool { id == nil }

    /// Reads a call object; returns the invalid-request error geth would send otherwise.
    init(_ value: JSONValue) throws(RPCError) {
        guard case .object = value else { throw RPCError.invalidRequest }
        id = value["id"]
        guard let method = value["method"]?.stringValue else {
            throw RPCError(code: -32600, message: "invalid request")
        }
        self.method = method
        switch value["params"] {
        case .none, .some(.null): params = []
        case .some(.array(let items)): params = items
        case .some: throw RPCError.invalidParams("non-array args")
        }
    }

    init(id: JSONValue?, method: String, params: [JSONValue]) {
        self.id = id
        self.method = method
        self.params = params
    }
}

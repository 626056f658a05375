// The error object of a JSON-RPC response.

/// A node's JSON-RPC error; codes -32000…-32099 and -32603 are server-side and worth a retry.
public struct RPCErrorObject: Decodable, Sendable, Equatable {
    public let code: Int
    public let message: String
}

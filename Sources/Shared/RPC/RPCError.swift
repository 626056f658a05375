// Failures talking to a node, classified for retries, circuit breaking and batch sizing.

/// A failed call or batch, naming the endpoint (never its URL) and the method.
public struct RPCError: Error, CustomStringConvertible, ClassifiedJobError, Sendable {
    public enum Code: String, Sendable {
        /// Could not connect, connection reset, TLS failure.
        case transport
        case timeout
        /// HTTP 429 or a rate-limit message; `retryAfter` says when to come back.
        case rateLimited = "rate_limited"
        /// HTTP 5xx.
        case serverError = "server_error"
        /// Any other non-200 HTTP status.
        case httpStatus = "http_status"
        /// The node refused the batch's size (geth -32600 "batch too large", Erigon's limit).
        case batchTooLarge = "batch_too_large"
        /// The node refused the response's size (geth -32003 "response too large").
        case responseTooLarge = "response_too_large"
        /// The node does not have this method (-32601): a fallback may exist.
        case methodNotFound = "method_not_found"
        /// A JSON-RPC error; -32000…-32099 and -32603 are the node's own trouble and retried.
        case rpc
        /// The result was null: a replica not synced to the block.
        case nullResult = "null_result"
        /// The response is not a JSON-RPC answer to what was sent (bad JSON, wrong or missing ids).
        case malformedResponse = "malformed_response"
        /// No endpoint could take the call (all open circuits, all behind the block).
        case noEndpoint = "no_endpoint"
    }

    public let code: Code
    public let endpoint: String?
    public let method: String?
    public let message: String
    /// JSON-RPC error code, when the node sent one.
    public let rpcCode: Int?
    /// Seconds the node asked us to wait (Retry-After).
    public let retryAfter: Double?

    public init(_ code: Code, endpoint: String? = nil, method: String? = nil, rpcCode: Int? = nil, retryAfter: Double? = nil, _ message: String) {
        self.code = code
        self.endpoint = endpoint
        self.method = method
        self.rpcCode = rpcCode
        self.retryAfter = retryAfter
        self.message = message
    }

    /// Whether another attempt (maybe on another replica) could succeed.
    public var isRetryable: Bool {
        switch code {
        case .transport, .timeout, .rateLimited, .serverError, .batchTooLarge, .responseTooLarge, .nullResult, .malformedResponse, .noEndpoint:
            return true
        case .httpStatus, .methodNotFound:
            return false
        case .rpc:
            guard let rpcCode else { return true }
            return (-32099 ... -32000).contains(rpcCode) || rpcCode == -32603 || rpcCode == 429
        }
    }

    /// "Method not found", first hand or as the pool's later "no replica has it": a fallback
    /// (another method, the decoding path) may exist.
    public var isMethodMissing: Bool {
        code == .methodNotFound || (code == .noEndpoint && message.contains("method not found"))
    }

    /// Whether a JSON-RPC error is the call's own answer (a revert, an invalid opcode, a missing
    /// method) rather than the node's trouble (a replica behind, a limit), for `callEach`.
    var isCallOutcome: Bool {
        guard code == .rpc || code == .methodNotFound else { return false }
        if rpcCode == 3 || rpcCode == 429 || rpcCode == -32005 { return rpcCode == 3 }
        let text = message.lowercased()
        return !(text.contains("header not found") || text.contains("missing trie node") || text.contains("limit")
                 || text.contains("timeout") || text.contains("busy"))
    }

    /// Whether the failure says the endpoint is unwell (counts toward its circuit breaker).
    var countsAgainstEndpoint: Bool {
        switch code {
        case .transport, .timeout, .serverError, .malformedResponse: return true
        default: return false
        }
    }

    public var description: String {
        var text = code.rawValue
        if let endpoint { text += " from \(endpoint)" }
        if let method { text += " (\(method))" }
        return text + ": " + message
    }
}

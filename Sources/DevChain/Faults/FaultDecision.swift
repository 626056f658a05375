// FaultDecision: what fault injection does to one HTTP request.

enum FaultDecision: Sendable, Equatable {
    /// Serve normally.
    case none
    /// Close the connection without a response.
    case drop
    /// HTTP 500.
    case httpStatus500
    /// HTTP 429 with `Retry-After: 1`.
    case httpStatus429
    /// JSON-RPC error -32000 "header not found" for every call in the request.
    case headerNotFound
}

// Failures of a held database connection, apart from any one statement's error.

/// A connection that can no longer be used, named so callers can retry the work elsewhere.
public struct DatabaseError: Error, CustomStringConvertible, Equatable, ClassifiedJobError {
    public enum Code: String, Sendable {
        /// A connection held across statements (a transaction, leadership, LISTEN) was closed by the server.
        case connectionLost = "connection_lost"
        /// A statement did not finish within its deadline; its connection was closed (a network
        /// black hole, or a server that stopped answering).
        case timedOut = "timed_out"
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
    /// A new connection may succeed.
    public var isRetryable: Bool { true }
}

// Errors of the queue API itself, with a code scripts and tests can match on.

/// A queue operation that could not be done, naming the job or argument concerned.
public struct QueueError: Error, CustomStringConvertible, Equatable {
    public enum Code: String, Sendable {
        /// The `(id, lease_token)` no longer matches a running job: the lease expired or was taken over.
        case leaseLost = "lease_lost"
        case invalidArgument = "invalid_argument"
        case notFound = "not_found"
        /// The schema is older or newer than this build expects.
        case schemaMismatch = "schema_mismatch"
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}

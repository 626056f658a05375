// How a job's failure is classified: retryable (backoff, then dead) or permanent (dead at once).

/// An error a job runner throws, carrying whether trying again could help.
///
/// Runners throw this (or any error conforming to `ClassifiedJobError`); any other error is
/// treated as retryable, because an unknown failure in a fleet is usually transient.
public struct JobError: Error, CustomStringConvertible, ClassifiedJobError {
    public enum Code: String, Sendable {
        /// Bad job parameters: another attempt would fail the same way.
        case invalidJob = "invalid_job"
        /// A node, the network or a dependency failed; a later attempt may succeed.
        case transient
        /// The data received was inconsistent (wrong hash, missing field).
        case inconsistentData = "inconsistent_data"
        /// The worker lost the job's lease and stopped it.
        case leaseLost = "lease_lost"
        /// The worker is shutting down and gave the job back.
        case shutdown
    }

    public let code: Code
    public let message: String
    public let isRetryable: Bool

    public init(_ code: Code, _ message: String, retryable: Bool? = nil) {
        self.code = code
        self.message = message
        self.isRetryable = retryable ?? (code != .invalidJob)
    }

    public var description: String { "\(code.rawValue): \(message)" }
}

// Model failures: a failed check or model names itself and the range, and nothing of the run stays.

/// A model job that failed. The whole run is one warehouse transaction, so a failure leaves the
/// warehouse as it was before the job.
public struct ModelError: Error, CustomStringConvertible, ClassifiedJobError, Sendable {
    public enum Code: String, Sendable {
        /// The job's payload is not a model request.
        case invalidRequest = "invalid_request"
        /// A model file is malformed, or the catalog has an unknown dependency or a cycle.
        case invalidModel = "invalid_model"
        /// A verify check found the range's tables disagree (e.g. a transaction row missing).
        case verifyFailed = "verify_failed"
        /// A model's SQL failed in the warehouse.
        case modelFailed = "model_failed"
    }

    public let code: Code
    public let message: String
    /// Set for SQL failures the server reports as transient (lock timeouts, serialization
    /// conflicts, lost connections); checks and bad SQL do not fix themselves.
    public let isRetryable: Bool
    /// The verify check that failed, for `verify_failed`.
    public let check: String?

    public init(_ code: Code, _ message: String, retryable: Bool = false, check: String? = nil) {
        self.code = code
        self.message = message
        self.isRetryable = retryable
        self.check = check
    }

    public var description: String { "model \(code.rawValue): \(message)" }
}

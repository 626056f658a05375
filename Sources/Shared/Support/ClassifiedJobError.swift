// Whether a failure is worth another attempt: the vocabulary every layer's errors share.

/// Errors that know whether a retry could help.
public protocol ClassifiedJobError: Error {
    var isRetryable: Bool { get }
}

extension Error {
    /// Unclassified errors are retryable.
    public var isRetryableJobError: Bool {
        (self as? any ClassifiedJobError)?.isRetryable ?? true
    }
}

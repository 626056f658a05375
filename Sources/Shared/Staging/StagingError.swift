// Staging failures, naming the key and never a credential.

/// A staging operation that failed.
public struct StagingError: Error, CustomStringConvertible, ClassifiedJobError, Sendable {
    public enum Code: String, Sendable {
        case notFound = "not_found"
        case io
        case tooLarge = "too_large"
        case compression
    }

    public let code: Code
    public let key: String
    public let message: String

    public init(_ code: Code, key: String, _ message: String) {
        self.code = code
        self.key = key
        self.message = message
    }

    /// A missing object may appear (eventual listing, a racing re-export); I/O may recover.
    public var isRetryable: Bool { code != .tooLarge }

    public var description: String { "staging \(code.rawValue) for \(key): \(message)" }
}

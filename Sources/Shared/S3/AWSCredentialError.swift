// Why no credentials could be had: which source failed, never what the secret was.

/// A credential source that is misconfigured or failed, naming the variable or endpoint kind.
/// The message never contains a key, token or response body that could hold one.
public struct AWSCredentialError: Error, CustomStringConvertible, Sendable {
    public enum Code: String, Sendable {
        /// No source applies, or a variable a source needs is unset.
        case missing
        /// A variable is set to something unusable (bad URL, http to a non-local host).
        case invalidValue = "invalid_value"
        /// A token file named by a variable cannot be read.
        case unreadableFile = "unreadable_file"
        /// The credential endpoint (STS, pod identity agent) refused or failed.
        case providerFailed = "provider_failed"
        /// The endpoint answered, but not with credentials.
        case malformedResponse = "malformed_response"
        /// The endpoint could not be reached.
        case transport
    }

    public let code: Code
    /// The variable or source at fault: `AWS_WEB_IDENTITY_TOKEN_FILE`, `STS AssumeRoleWithWebIdentity`, …
    public let source: String
    public let message: String
    /// HTTP status from the endpoint, when it answered.
    public let statusCode: Int?

    public init(_ code: Code, source: String, statusCode: Int? = nil, _ message: String) {
        self.code = code
        self.source = source
        self.statusCode = statusCode
        self.message = message
    }

    /// Transport trouble and 5xx/429 from the endpoint may pass.
    public var isRetryable: Bool {
        switch code {
        case .transport: return true
        case .providerFailed: return (statusCode ?? 0) >= 500 || statusCode == 429
        default: return false
        }
    }

    public var description: String {
        var text = "\(source): \(message)"
        if let statusCode { text += " (HTTP \(statusCode))" }
        return text
    }
}

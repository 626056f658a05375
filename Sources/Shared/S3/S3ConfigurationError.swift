// The error a bad S3 setting (environment variable, URL, part size) stops the program with.

/// An S3 or AWS setting that cannot be used, naming the setting and what was wrong with it. The
/// message never quotes a secret: values of credential variables are not repeated.
public struct S3ConfigurationError: Error, CustomStringConvertible, Equatable, Sendable {
    public enum Code: String, Sendable {
        case missing
        case invalidValue
        case invalidURL
    }

    public let code: Code
    /// The setting at fault as the user wrote it: `AWS_ENDPOINT_URL_S3`, `partSize`, …
    public let setting: String
    public let message: String

    public init(_ code: Code, setting: String, _ message: String) {
        self.code = code
        self.setting = setting
        self.message = message
    }

    public var description: String { "\(setting): \(message)" }
}

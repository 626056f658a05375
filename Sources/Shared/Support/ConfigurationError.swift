// The error a bad flag, environment variable or URL stops the program with.

/// A configuration value that cannot be used, naming the setting and what was wrong with it.
public struct ConfigurationError: Error, CustomStringConvertible, Equatable {
    public enum Code: String, Sendable {
        case missing
        case invalidValue
        case invalidURL
    }

    public let code: Code
    /// The setting at fault, as the user wrote it: `BLOCKFLEET_DATABASE_URL`, `--concurrency`, …
    public let setting: String
    public let message: String

    public init(_ code: Code, setting: String, _ message: String) {
        self.code = code
        self.setting = setting
        self.message = message
    }

    public var description: String { "\(setting): \(message)" }
}

// An AWS key pair, perhaps temporary, that never prints its secret.

import Foundation

/// Access key, secret and (for temporary credentials) session token and expiry. Its
/// `description` shows the access key id only, so a stray `print` or log leaks nothing.
public struct AWSCredentials: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    public let accessKeyID: String
    public let secretAccessKey: String
    public let sessionToken: String?
    /// When temporary credentials stop working; nil for long-lived keys.
    public let expiration: Date?

    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil, expiration: Date? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.expiration = expiration
    }

    public var description: String {
        var text = "AWSCredentials(\(accessKeyID), secret: ***"
        if sessionToken != nil { text += ", session token: ***" }
        if let expiration { text += ", expires \(expiration)" }
        return text + ")"
    }

    public var debugDescription: String { description }
}

/// Where signing credentials come from. Implementations cache and refresh as they need; callers
/// ask for every request and must not keep the answer.
public protocol AWSCredentialProvider: Sendable {
    func credentials() async throws -> AWSCredentials
}

/// Fixed credentials: environment keys, tests, local SeaweedFS.
public struct AWSStaticCredentialProvider: AWSCredentialProvider, CustomStringConvertible {
    public let value: AWSCredentials
    /// Where they came from, for logs: "environment", "test".
    public let source: String

    public init(_ credentials: AWSCredentials, source: String = "static") {
        self.value = credentials
        self.source = source
    }

    public func credentials() async throws -> AWSCredentials { value }

    public var description: String { "static credentials from \(source) (\(value.accessKeyID))" }
}

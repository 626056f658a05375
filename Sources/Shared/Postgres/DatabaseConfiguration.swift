// Where the queue's Postgres is and how to reach it, parsed from a postgres:// URL.

import Foundation
import NIOSSL
import PostgresNIO

/// Connection settings for the queue database, from `BLOCKFLEET_DATABASE_URL`.
///
/// The URL form is libpq's: `postgres://user:password@host:port/database?sslmode=…`. `sslmode`
/// `disable`, `allow`/`prefer` (the default, as libpq), `require`, `verify-ca` and `verify-full` are
/// honoured. The password is kept out of `description` so that logging a configuration never leaks it.
public struct DatabaseConfiguration: Sendable, CustomStringConvertible {
    public enum SSLMode: String, Sendable, CaseIterable {
        case disable, allow, prefer, require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
    }

    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String
    public var sslMode: SSLMode
    /// Schema holding BlockFleet's tables; several fleets (or test runs) can share a database.
    public var schema: String?
    /// Upper bound on pooled connections per process.
    public var maximumConnections: Int
    /// Application name shown in `pg_stat_activity`, so operators can tell workers apart.
    public var applicationName: String

    public static let defaultURL = "postgres://postgres@127.0.0.1:5432/blockfleet?sslmode=disable"

    public init(
        host: String = "127.0.0.1",
        port: Int = 5432,
        username: String = "postgres",
        password: String? = nil,
        database: String = "blockfleet",
        sslMode: SSLMode = .prefer,
        schema: String? = nil,
        maximumConnections: Int = 20,
        applicationName: String = "blockfleet"
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.sslMode = sslMode
        self.schema = schema
        self.maximumConnections = maximumConnections
        self.applicationName = applicationName
    }

    /// `BLOCKFLEET_DATABASE_URL` (or `--database-url` laid over it), else `defaultURL`; a URL
    /// without `application_name` gets `applicationName`, so `pg_stat_activity` tells processes apart.
    public init(environment: Environment, applicationName: String) throws(ConfigurationError) {
        if let text = environment.string("BLOCKFLEET_DATABASE_URL") {
            try self.init(url: text, setting: environment.setting("BLOCKFLEET_DATABASE_URL"))
        } else {
            try self.init(url: DatabaseConfiguration.defaultURL, setting: "default database URL")
        }
        if self.applicationName == "blockfleet" { self.applicationName = applicationName }
    }

    /// Parses a `postgres://` URL; `setting` names the flag or variable it came from in errors.
    public init(url text: String, setting: String = "BLOCKFLEET_DATABASE_URL") throws(ConfigurationError) {
        guard let components = URLComponents(string: text),
              let scheme = components.scheme, scheme == "postgres" || scheme == "postgresql"
        else {
            throw ConfigurationError(.invalidURL, setting: setting, "expected postgres://user:password@host:port/database, got '\(DatabaseConfiguration.redact(text))'")
        }
        guard let host = components.host, !host.isEmpty else {
            throw ConfigurationError(.invalidURL, setting: setting, "the URL has no host")
        }
        self.init()
        self.host = host
        self.port = components.port ?? 5432
        self.username = components.user.flatMap { $0.removingPercentEncoding ?? $0 } ?? "postgres"
        self.password = components.password.flatMap { $0.removingPercentEncoding ?? $0 }
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        self.database = path.isEmpty ? username : path
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let value = item.value, let mode = SSLMode(rawValue: value) else {
                    throw ConfigurationError(.invalidURL, setting: setting, "sslmode '\(item.value ?? "")' is not one of \(SSLMode.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                self.sslMode = mode
            case "schema", "search_path":
                guard let value = item.value, DatabaseConfiguration.isIdentifier(value) else {
                    throw ConfigurationError(.invalidURL, setting: setting, "schema '\(item.value ?? "")' must be a lower-case identifier ([a-z_][a-z0-9_]*)")
                }
                self.schema = value
            case "application_name":
                self.applicationName = item.value ?? applicationName
            default:
                throw ConfigurationError(.invalidURL, setting: setting, "unknown URL parameter '\(item.name)' (known: sslmode, schema, application_name)")
            }
        }
    }

    /// The URL with its password replaced by `***`, for logs and error messages.
    public var description: String {
        let credentials = password == nil ? username : "\(username):***"
        var text = "postgres://\(credentials)@\(host):\(port)/\(database)?sslmode=\(sslMode.rawValue)"
        if let schema { text += "&schema=\(schema)" }
        return text
    }

    /// Replaces the password in any postgres URL text with `***`.
    public static func redact(_ text: String) -> String {
        guard let at = text.lastIndex(of: "@"), let schemeEnd = text.range(of: "://") else { return text }
        let userInfo = text[schemeEnd.upperBound..<at]
        guard let colon = userInfo.firstIndex(of: ":") else { return text }
        return String(text[..<colon]) + ":***" + String(text[at...])
    }

    static func isIdentifier(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, text.count <= 63 else { return false }
        let lowerOrUnderscore = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyz_")
        let rest = lowerOrUnderscore.union(CharacterSet(charactersIn: "0123456789"))
        return lowerOrUnderscore.contains(first) && text.unicodeScalars.allSatisfy(rest.contains)
    }

    /// The postgres-nio client configuration these settings describe.
    public func clientConfiguration() throws(ConfigurationError) -> PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS
        switch sslMode {
        case .disable:
            tls = .disable
        case .allow, .prefer:
            var tlsConfig = TLSConfiguration.makeClientConfiguration()
            tlsConfig.certificateVerification = .none
            tls = .prefer(tlsConfig)
        case .require:
            // libpq's `require` encrypts without verifying the server's certificate.
            var tlsConfig = TLSConfiguration.makeClientConfiguration()
            tlsConfig.certificateVerification = .none
            tls = .require(tlsConfig)
        case .verifyCA:
            var tlsConfig = TLSConfiguration.makeClientConfiguration()
            tlsConfig.certificateVerification = .noHostnameVerification
            tls = .require(tlsConfig)
        case .verifyFull:
            tls = .require(.makeClientConfiguration())
        }
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: username, password: password, database: database, tls: tls
        )
        configuration.options.maximumConnections = maximumConnections
        var parameters = [("application_name", applicationName)]
        if let schema { parameters.append(("search_path", schema)) }
        configuration.options.additionalStartupParameters = parameters
        return configuration
    }
}

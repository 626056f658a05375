// Where the queue's Postgres is and how to reach it, parsed from a postgres:// URL.

import Foundation
import NIOSSL
import PostgresNIO

/// Connection settings for the queue database, from `BLOCKFLEET_DATABASE_URL`.
///
/// The URL form is libpq's: `postgres://user:password@host:port/database?sslmode=…&sslrootcert=…`.
/// `sslmode` `disable`, `allow`/`prefer` (the default, as libpq), `require`, `verify-ca` (the
/// certificate chains to a trusted CA) and `verify-full` (and names the host) are honoured;
/// `sslrootcert` is the PEM bundle of the CAs to trust (the RDS or Redshift bundle), else the
/// system's. With `sslrootcert`, `require` verifies the chain as `verify-ca` does, as libpq does.
/// The password is kept out of `description` so that logging a configuration never leaks it.
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
    /// PEM file of the CAs a `verify-ca`/`verify-full` connection trusts (`sslrootcert`); nil: the system's.
    public var sslRootCertificate: String?
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
            case "sslrootcert":
                guard let value = item.value, !value.isEmpty else {
                    throw ConfigurationError(.invalidURL, setting: setting, "sslrootcert needs the path of a PEM file")
                }
                self.sslRootCertificate = value
            case "schema", "search_path":
                guard let value = item.value, DatabaseConfiguration.isIdentifier(value) else {
                    throw ConfigurationError(.invalidURL, setting: setting, "schema '\(item.value ?? "")' must be a lower-case identifier ([a-z_][a-z0-9_]*)")
                }
                self.schema = value
            case "application_name":
                self.applicationName = item.value ?? applicationName
            default:
                throw ConfigurationError(.invalidURL, setting: setting, "unknown URL parameter '\(item.name)' (known: sslmode, sslrootcert, schema, application_name)")
            }
        }
    }

    /// The URL with its password replaced by `***`, for logs and error messages.
    public var description: String {
        let credentials = password == nil ? username : "\(username):***"
        var text = "postgres://\(credentials)@\(host):\(port)/\(database)?sslmode=\(sslMode.rawValue)"
        if let sslRootCertificate { text += "&sslrootcert=\(sslRootCertificate)" }
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

    /// The CAs to trust: the `sslrootcert` file, read now so a wrong path fails at start-up.
    func trustRoots() throws(ConfigurationError) -> NIOSSLTrustRoots {
        guard let path = sslRootCertificate else { return .default }
        do {
            let certificates = try NIOSSLCertificate.fromPEMFile(path)
            guard !certificates.isEmpty else { throw ConfigurationError(.invalidURL, setting: "sslrootcert", "\(path) holds no certificate") }
            return .certificates(certificates)
        } catch let error as ConfigurationError {
            throw error
        } catch {
            throw ConfigurationError(.invalidURL, setting: "sslrootcert", "cannot read the CA bundle \(path): \(error)")
        }
    }

    /// The TLS these settings ask for: nil for none, else the configuration and whether the
    /// connection must use it (`prefer` falls back to plain text, as libpq does).
    func tls() throws(ConfigurationError) -> (configuration: TLSConfiguration, required: Bool)? {
        var tlsConfig = TLSConfiguration.makeClientConfiguration()
        switch sslMode {
        case .disable:
            return nil
        case .allow, .prefer:
            tlsConfig.certificateVerification = .none
            return (tlsConfig, false)
        case .require where sslRootCertificate == nil:
            // libpq's `require` encrypts without verifying the server's certificate.
            tlsConfig.certificateVerification = .none
        case .require, .verifyCA:
            tlsConfig.certificateVerification = .noHostnameVerification
            tlsConfig.trustRoots = try trustRoots()
        case .verifyFull:
            // The chain must lead to a trusted CA and the certificate must name `host`.
            tlsConfig.certificateVerification = .fullVerification
            tlsConfig.trustRoots = try trustRoots()
        }
        return (tlsConfig, true)
    }

    /// The postgres-nio client configuration these settings describe.
    public func clientConfiguration() throws(ConfigurationError) -> PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS
        switch try self.tls() {
        case nil: tls = .disable
        case let (configuration, required)?: tls = required ? .require(configuration) : .prefer(configuration)
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

    /// The settings of one connection (no pool), for a one-shot check: a failure to connect is
    /// thrown at once instead of being retried by a pool.
    public func connectionConfiguration() throws -> PostgresConnection.Configuration {
        let tls: PostgresConnection.Configuration.TLS
        switch try self.tls() {
        case nil: tls = .disable
        case let (configuration, required)?:
            let context = try NIOSSLContext(configuration: configuration)
            tls = required ? .require(context) : .prefer(context)
        }
        var configuration = PostgresConnection.Configuration(host: host, port: port, username: username, password: password, database: database, tls: tls)
        var parameters = [("application_name", applicationName)]
        if let schema { parameters.append(("search_path", schema)) }
        configuration.options.additionalStartupParameters = parameters
        return configuration
    }
}

// sslmode=verify-full/verify-ca with sslrootcert against the test cluster's TLS (scripts/postgres):
// the server's own CA connects over TLS, a CA that did not sign its certificate is refused.

import Foundation
import Logging
import PostgresNIO
import Shared
import Testing

@Suite("PostgreSQL TLS verification")
struct DatabaseTLSTests {
    /// The folder of the cluster's CAs (`ca.crt` signed the server's certificate, `other-ca.crt` nothing).
    static func certificates() throws -> String {
        guard let folder = ProcessInfo.processInfo.environment["BLOCKFLEET_TEST_PG_TLS_DIR"], !folder.isEmpty else {
            throw TestSetupError("BLOCKFLEET_TEST_PG_TLS_DIR is not set: run the tests with scripts/test, which starts PostgreSQL with TLS")
        }
        return folder
    }

    /// The test server's address with `query` in place of its URL parameters (and `host`, when
    /// given, in place of its host).
    static func url(_ query: String, host: String? = nil) throws -> String {
        let base = try TestDatabase.baseConfiguration()
        return "postgres://\(base.username)@\(host ?? base.host):\(base.port)/\(base.database)?\(query)"
    }

    /// Connects once (no pool, so a refused handshake is thrown rather than retried) and says
    /// whether the session is encrypted.
    static func isEncrypted(_ url: String) async throws -> Bool {
        let configuration = try DatabaseConfiguration(url: url, setting: "test").connectionConfiguration()
        let logger = Logger(label: "tls-test", factory: { _ in SwiftLogNoOpLogHandler() })
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
        do {
            var encrypted = false
            let rows = try await connection.query("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", logger: logger)
            for try await ssl in rows.decode(Bool.self) { encrypted = ssl }
            try await connection.close()
            return encrypted
        } catch {
            try? await connection.close()
            throw error
        }
    }

    /// Whether an error is the certificate check refusing the server (not, say, a refused port).
    static func isCertificateRefusal(_ error: any Error) -> Bool {
        let text = String(reflecting: error)
        return ["certificate", "handshake", "verify"].contains { text.localizedCaseInsensitiveContains($0) }
    }

    /// The host each mode connects to: the certificate names `localhost` (and no IP address), which
    /// verify-full checks; the other modes use the server's own address.
    static func host(for mode: String) -> String? { mode == "verify-full" ? "localhost" : nil }

    @Test("the server's CA: verify-full, verify-ca and require connect, and the session is encrypted", arguments: ["verify-full", "verify-ca", "require"])
    func rightCAConnects(_ mode: String) async throws {
        let folder = try Self.certificates()
        #expect(try await Self.isEncrypted(try Self.url("sslmode=\(mode)&sslrootcert=\(folder)/ca.crt", host: Self.host(for: mode))))
    }

    @Test("another CA: the connection is refused on the certificate", arguments: ["verify-full", "verify-ca", "require"])
    func wrongCAIsRefused(_ mode: String) async throws {
        let folder = try Self.certificates()
        let url = try Self.url("sslmode=\(mode)&sslrootcert=\(folder)/other-ca.crt", host: Self.host(for: mode))
        await #expect(performing: { _ = try await Self.isEncrypted(url) }, throws: { Self.isCertificateRefusal($0) })
    }

    @Test("verify-full checks the name: the certificate names localhost only, so 127.0.0.1 is refused where verify-ca connects")
    func verifyFullChecksTheName() async throws {
        let folder = try Self.certificates()
        #expect(try await Self.isEncrypted(try Self.url("sslmode=verify-ca&sslrootcert=\(folder)/ca.crt", host: "127.0.0.1")))
        let url = try Self.url("sslmode=verify-full&sslrootcert=\(folder)/ca.crt", host: "127.0.0.1")
        await #expect(performing: { _ = try await Self.isEncrypted(url) }, throws: { Self.isCertificateRefusal($0) })
    }

    @Test("the system's CAs do not know the test CA: verify-full without sslrootcert is refused")
    func systemRootsRefuseTestCA() async throws {
        _ = try Self.certificates()
        let url = try Self.url("sslmode=verify-full", host: "localhost")
        await #expect(performing: { _ = try await Self.isEncrypted(url) }, throws: { Self.isCertificateRefusal($0) })
    }

    @Test("without sslrootcert, require encrypts without checking (libpq's rule); disable stays plain")
    func requireAndDisable() async throws {
        _ = try Self.certificates()
        #expect(try await Self.isEncrypted(try Self.url("sslmode=require")))
        #expect(try await !Self.isEncrypted(try Self.url("sslmode=disable")))
    }

    @Test("a CA bundle that is missing or holds no certificate stops the configuration, naming the file")
    func unreadableBundleIsAConfigurationError() throws {
        let folder = try Self.certificates()
        for path in ["\(folder)/none.crt", "\(folder)/san.ext"] {
            #expect {
                _ = try DatabaseConfiguration(url: try Self.url("sslmode=verify-full&sslrootcert=\(path)")).clientConfiguration()
            } throws: { error in
                (error as? ConfigurationError).map { "\($0)".contains(path) } ?? false
            }
        }
    }
}

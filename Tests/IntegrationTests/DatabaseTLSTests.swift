// sslmode=verify-full with sslrootcert: a server whose certificate no trusted CA signed is refused.

import Foundation
import Logging
import PostgresNIO
import Shared
import Testing

@Suite("PostgreSQL TLS verification", .serialized)
struct DatabaseTLSTests {
    /// Runs a command, failing with its output when it fails.
    static func run(_ arguments: [String], environment: [String: String] = [:], in folder: URL? = nil) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        if let folder { process.currentDirectoryURL = folder }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw TestSetupError("\(arguments.joined(separator: " ")) failed: \(text)") }
    }

    /// A throwaway CA (`name.crt`/`name.key`) in `folder`.
    static func makeCA(_ name: String, in folder: URL) throws {
        try run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=\(name)",
                 "-keyout", "\(name).key", "-out", "\(name).crt"], in: folder)
    }

    /// A server certificate for 127.0.0.1 signed by CA `ca`, as `server.crt`/`server.key`.
    static func makeServerCertificate(signedBy ca: String, in folder: URL) throws {
        try run(["openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", "server.key", "-out", "server.csr"], in: folder)
        try "subjectAltName = IP:127.0.0.1, DNS:localhost\n".write(to: folder.appendingPathComponent("san.ext"), atomically: true, encoding: .utf8)
        try run(["openssl", "x509", "-req", "-in", "server.csr", "-CA", "\(ca).crt", "-CAkey", "\(ca).key", "-CAcreateserial",
                 "-days", "2", "-extfile", "san.ext", "-out", "server.crt"], in: folder)
    }

    /// Connects once (no pool, so a refused handshake is thrown, not retried) and says whether the session is encrypted.
    static func selectOne(_ url: String) async throws -> Bool {
        let configuration = try DatabaseConfiguration(url: url, setting: "test").connectionConfiguration()
        let logger = Logger(label: "tls-test", factory: { _ in SwiftLogNoOpLogHandler() })
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
        do {
            var encrypted = false
            for try await ssl in try await connection.query("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", logger: logger).decode(Bool.self) {
                encrypted = ssl
            }
            try await connection.close()
            return encrypted
        } catch {
            try? await connection.close()
            throw error
        }
    }

    @Test("verify-full with the server's CA connects over TLS; with another CA the connection is refused with a clear error")
    func wrongCAIsRefused() async throws {
        let folder = URL(fileURLWithPath: "/tmp/bf-tls-\(UUID().uuidString.prefix(8))")
        let certificates = folder.appendingPathComponent("certs")
        try FileManager.default.createDirectory(at: certificates, withIntermediateDirectories: true)
        // The server runs as `postgres`: it must reach the folder.
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.makeCA("right", in: certificates)
        try Self.makeCA("wrong", in: certificates)
        try Self.makeServerCertificate(signedBy: "right", in: certificates)

        let port = 56_000 + Int.random(in: 0..<1000)
        let script = WarehouseProbe.packageRoot.appendingPathComponent("scripts/postgres").path
        let environment = ["BLOCKFLEET_PG_PORT": "\(port)", "BLOCKFLEET_PG_DIR": folder.appendingPathComponent("pg").path,
                           "BLOCKFLEET_PG_SSL_DIR": certificates.path]
        try Self.run([script, "start"], environment: environment)
        defer { try? Self.run([script, "stop"], environment: environment) }

        let base = "postgres://postgres@127.0.0.1:\(port)/blockfleet"
        #expect(try await Self.selectOne("\(base)?sslmode=verify-full&sslrootcert=\(certificates.path)/right.crt"), "the session is encrypted")
        #expect(try await Self.selectOne("\(base)?sslmode=verify-ca&sslrootcert=\(certificates.path)/right.crt"))

        for mode in ["verify-full", "verify-ca", "require"] {
            await #expect(performing: {
                _ = try await Self.selectOne("\(base)?sslmode=\(mode)&sslrootcert=\(certificates.path)/wrong.crt")
            }, throws: { error in
                // The handshake fails on the certificate, and says so.
                let text = String(reflecting: error)
                return text.localizedCaseInsensitiveContains("certificate") || text.localizedCaseInsensitiveContains("handshake")
            })
        }
        // The system's roots do not know a throwaway CA either.
        await #expect(throws: (any Error).self) { _ = try await Self.selectOne("\(base)?sslmode=verify-full") }
        // A missing CA bundle is a configuration error before any connection.
        #expect(throws: ConfigurationError.self) {
            _ = try DatabaseConfiguration(url: "\(base)?sslmode=verify-full&sslrootcert=\(certificates.path)/none.crt").clientConfiguration()
        }
    }
}

// Workers behind a transaction-pooling PgBouncer: statements through it, LISTEN straight to
// PostgreSQL (BLOCKFLEET_DATABASE_DIRECT_URL), as docs/scale.md sets a large fleet up.

import Foundation
import Logging
import PostgresNIO
import Shared
import Testing

@Suite("Workers behind PgBouncer (transaction pooling)", .serialized)
struct PgBouncerTests {
    static let binary = "/usr/sbin/pgbouncer"

    /// A PgBouncer in transaction mode on a free port in front of `database` as `user`, with at
    /// most `poolSize` server connections. PgBouncer refuses to run as root: then it runs as `postgres`.
    final class Bouncer: Sendable {
        let port: Int
        let folder: URL
        let process: FleetProcess

        init(database: String, user: String, server: DatabaseConfiguration, poolSize: Int) throws {
            guard FileManager.default.isExecutableFile(atPath: PgBouncerTests.binary) else {
                throw TestSetupError("\(PgBouncerTests.binary) is missing: run the tests with scripts/test, which installs pgbouncer (scripts/debian-packages test)")
            }
            port = try Ops.freePort()
            folder = URL(fileURLWithPath: "/tmp/bf-pgbouncer-\(UUID().uuidString.prefix(8))")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: folder.path)
            let settings = """
                [databases]
                pooled = host=\(server.host) port=\(server.port) dbname=\(database) user=\(user)
                [pgbouncer]
                listen_addr = 127.0.0.1
                listen_port = \(port)
                unix_socket_dir =
                auth_type = any
                pool_mode = transaction
                default_pool_size = \(poolSize)
                max_client_conn = 200
                logfile = \(folder.path)/pgbouncer.log
                pidfile = \(folder.path)/pgbouncer.pid

                """
            let ini = folder.appendingPathComponent("pgbouncer.ini")
            try settings.write(to: ini, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: ini.path)
            // setpriv execs PgBouncer in its own place (runuser would fork and keep it as a child
            // that a signal to runuser does not always reach).
            process = getuid() == 0
                ? try FleetProcess("/usr/bin/setpriv", ["--reuid=postgres", "--regid=postgres", "--init-groups", PgBouncerTests.binary, ini.path], absolute: true)
                : try FleetProcess(PgBouncerTests.binary, [ini.path], absolute: true)
        }

        var log: String { (try? String(contentsOf: folder.appendingPathComponent("pgbouncer.log"), encoding: .utf8)) ?? "" }

        func stop() {
            if let text = try? String(contentsOf: folder.appendingPathComponent("pgbouncer.pid"), encoding: .utf8),
               let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                kill(pid, SIGTERM)
            }
            process.signal(SIGTERM)
            try? FileManager.default.removeItem(at: folder)
        }
    }

    /// Runs `body` with a database and a login of its own for PgBouncer's server connections
    /// (PgBouncer passes no `search_path`, so the queue lives in the database's default schema),
    /// both dropped afterwards.
    static func withDatabase(_ body: @Sendable (_ name: String, _ direct: DatabaseConfiguration) async throws -> Void) async throws {
        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        let base = try TestDatabase.baseConfiguration()
        let name = "bf_pgb_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12)
        try await QueueDatabase.withClient(base, logger: logger) { admin in
            try await admin.query(PostgresQuery(unsafeSQL: "CREATE ROLE \(name) LOGIN SUPERUSER"), logger: logger)
            try await admin.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name) OWNER \(name)"), logger: logger)
        }
        // The test's own connections (and the direct URLs) use the server's login, so that every
        // backend of the pooled login is one PgBouncer opened.
        var direct = base
        direct.database = name
        direct.schema = nil
        do {
            try await QueueDatabase.withClient(direct, logger: logger) { client in
                try await SchemaMigrator(client: client, logger: logger).migrate()
            }
            try await body(name, direct)
        } catch {
            try? await drop(name, base, logger: logger)
            throw error
        }
        try await drop(name, base, logger: logger)
    }

    static func drop(_ name: String, _ base: DatabaseConfiguration, logger: Logger) async throws {
        try await QueueDatabase.withClient(base, logger: logger) { admin in
            try await admin.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"), logger: logger)
            try await admin.query(PostgresQuery(unsafeSQL: "DROP ROLE IF EXISTS \(name)"), logger: logger)
        }
    }

    @Test("statements through PgBouncer, LISTEN direct: a job planned onto an idle worker is claimed on its NOTIFY, not its 60 s poll")
    func workerBehindPgBouncer() async throws {
        try await Self.withDatabase { name, direct in
            let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
            let bouncer = try Bouncer(database: name, user: name, server: direct, poolSize: 2)
            defer { bouncer.stop() }
            try await eventually("PgBouncer to listen") { (try? Ops.connects(port: bouncer.port)) == true }

            let listenURL = "postgres://postgres@\(direct.host):\(direct.port)/\(name)?sslmode=disable"
            let worker = try FleetProcess("worker", ["--id", "pooled", "--kinds", "noop", "--concurrency", "4"], environment: [
                "BLOCKFLEET_DATABASE_URL": "postgres://\(name)@127.0.0.1:\(bouncer.port)/pooled?sslmode=disable",
                "BLOCKFLEET_DATABASE_DIRECT_URL": listenURL,
                "BLOCKFLEET_POLL_SECONDS": "60",
            ])
            defer { worker.signal(SIGKILL) }

            try await QueueDatabase.withClient(direct, logger: logger) { client in
                func count(_ sql: PostgresQuery) async throws -> Int {
                    for try await value in try await client.query(sql, logger: logger).decode(Int64.self) { return Int(value) }
                    return 0
                }
                // The worker is idle and LISTENs on a connection of its own, as `postgres`, straight to the server.
                try await eventually("the worker to register and LISTEN directly", timeout: .seconds(30)) {
                    let registered = try await count("SELECT count(*)::bigint FROM workers WHERE id = 'pooled'")
                    let listening = try await count("SELECT count(*)::bigint FROM pg_stat_activity WHERE datname = \(name) AND usename = 'postgres' AND query LIKE 'LISTEN %'")
                    return registered == 1 && listening == 1
                }
                let queue = JobQueue(client: client, logger: logger)
                let ids = try await queue.enqueue((0..<20).map { NewJob(kind: .noop, firstBlock: Int64($0), lastBlock: Int64($0)) })
                #expect(ids.count == 20)
                // Well inside the 60 s poll: only the notification can have woken it.
                try await eventually("the jobs to finish on the NOTIFY", timeout: .seconds(20)) {
                    try await count("SELECT count(*)::bigint FROM jobs WHERE kind = 'noop' AND state = 'succeeded'") == 20
                }
                // Its statements came through PgBouncer: server connections as the pooled login, at
                // most the pool's size.
                let pooled = try await count("SELECT count(*)::bigint FROM pg_stat_activity WHERE datname = \(name) AND usename = \(name)")
                #expect(pooled >= 1 && pooled <= 2, "\(pooled) server connections as \(name)\n\(bouncer.log)")
            }
            worker.signal(SIGTERM)
            #expect(try await worker.waitForExit(timeout: .seconds(30)) == 0, "\(worker.log)")
        }
    }

    @Test("a coordinator behind PgBouncer holds its leader lock on the direct connection")
    func coordinatorLeadsDirectly() async throws {
        try await Self.withDatabase { name, direct in
            let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
            let bouncer = try Bouncer(database: name, user: name, server: direct, poolSize: 2)
            defer { bouncer.stop() }
            try await eventually("PgBouncer to listen") { (try? Ops.connects(port: bouncer.port)) == true }
            let port = try Ops.freePort()
            let coordinator = try FleetProcess("coordinator", ["serve", "--reap-seconds", "0.2", "--http-port", "\(port)"], environment: [
                "BLOCKFLEET_DATABASE_URL": "postgres://\(name)@127.0.0.1:\(bouncer.port)/pooled?sslmode=disable",
                "BLOCKFLEET_DATABASE_DIRECT_URL": "postgres://postgres@\(direct.host):\(direct.port)/\(name)?sslmode=disable",
            ])
            defer { coordinator.signal(SIGKILL) }
            try await eventually("the coordinator to lead", timeout: .seconds(30)) {
                guard let metrics = await Ops.get("http://127.0.0.1:\(port)/metrics")?.body else { return false }
                return Ops.sample(metrics, "blockfleet_coordinator_leader") == 1
            }
            try await QueueDatabase.withClient(direct, logger: logger) { client in
                // The session advisory lock is held by a backend of the direct login, not a pooled one.
                let rows = try await client.query("""
                    SELECT a.usename FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                    WHERE l.locktype = 'advisory' AND l.granted AND a.datname = \(name)
                    """, logger: logger)
                var holders: [String] = []
                for try await user in rows.decode(String.self) { holders.append(user) }
                #expect(holders == ["postgres"], "advisory lock holders: \(holders)")
            }
            // The status page reads through PgBouncer.
            #expect(await Ops.get("http://127.0.0.1:\(port)/")?.status == 200)
            coordinator.signal(SIGTERM)
            #expect(try await coordinator.waitForExit(timeout: .seconds(30)) == 0, "\(coordinator.log)")
        }
    }
}

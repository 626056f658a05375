// Configuration: database URLs, secrets kept out of text, environment variables checked by name.

import Testing
@testable import Shared

@Suite("Configuration")
struct ConfigurationTests {
    @Test("a postgres URL is parsed, and its password never appears in its description")
    func databaseURL() throws {
        let config = try DatabaseConfiguration(url: "postgres://fleet:s3cr%40t@db.internal:6543/chain?sslmode=require&schema=fleet_a")
        #expect(config.host == "db.internal" && config.port == 6543)
        #expect(config.username == "fleet" && config.password == "s3cr@t")
        #expect(config.database == "chain" && config.sslMode == .require && config.schema == "fleet_a")
        #expect(!config.description.contains("s3cr"))
        #expect(config.description.contains("fleet:***@db.internal:6543/chain"))
        #expect(DatabaseConfiguration.redact("postgres://a:hunter2@h/d") == "postgres://a:***@h/d")
    }

    @Test("defaults: port 5432, sslmode prefer as libpq, database named after the user")
    func databaseDefaults() throws {
        let config = try DatabaseConfiguration(url: "postgresql://alice@localhost")
        #expect(config.port == 5432 && config.sslMode == .prefer && config.database == "alice" && config.password == nil)
    }

    @Test("bad URLs name the setting and what is wrong, without the password")
    func badURLs() {
        let cases = [
            ("mysql://u:pw@h/d", "expected postgres://"),
            ("postgres:///d", "no host"),
            ("postgres://u@h/d?sslmode=sometimes", "sslmode 'sometimes'"),
            ("postgres://u@h/d?schema=Bad-Name", "schema 'Bad-Name'"),
            ("postgres://u@h/d?timeout=3", "unknown URL parameter 'timeout'"),
        ]
        for (url, expected) in cases {
            do {
                _ = try DatabaseConfiguration(url: url, setting: "BLOCKFLEET_DATABASE_URL")
                Issue.record("\(url) was accepted")
            } catch {
                #expect(error.setting == "BLOCKFLEET_DATABASE_URL")
                #expect(error.description.contains(expected), "\(error)")
                #expect(!error.description.contains("pw@"))
            }
        }
    }

    @Test("worker settings come from BLOCKFLEET_* variables; a bad one is named")
    func workerEnvironment() throws {
        let config = try WorkerConfiguration(environment: Environment([
            "BLOCKFLEET_WORKER_CONCURRENCY": "16",
            "BLOCKFLEET_LEASE_SECONDS": "90",
            "BLOCKFLEET_WORKER_KINDS": "load, export",
            "BLOCKFLEET_WORKER_ID": "pod-7",
        ]))
        #expect(config.concurrency == 16 && config.lease == .seconds(90) && config.heartbeatInterval == .seconds(30))
        #expect(config.kinds == [.load, .export] && config.id == "pod-7")
        #expect(config.effectiveLeaseMargin == .seconds(15) && config.statementTimeout == .seconds(30), "defaults: a sixth of the lease, 30 s")
        let tuned = try WorkerConfiguration(environment: Environment([
            "BLOCKFLEET_LEASE_SECONDS": "60", "BLOCKFLEET_LEASE_MARGIN_SECONDS": "5", "BLOCKFLEET_STATEMENT_TIMEOUT_SECONDS": "2.5",
        ]))
        #expect(tuned.effectiveLeaseMargin == .seconds(5) && tuned.statementTimeout == .seconds(2.5))
        #expect(config.listens, "a worker listens by default")
        #expect(try WorkerConfiguration(environment: Environment(["BLOCKFLEET_LISTEN": "FALSE"])).listens == false)
        #expect(try WorkerConfiguration(environment: Environment(["BLOCKFLEET_LISTEN": "yes"])).listens)

        let bad: [([String: String], String)] = [
            (["BLOCKFLEET_WORKER_CONCURRENCY": "many"], "BLOCKFLEET_WORKER_CONCURRENCY"),
            (["BLOCKFLEET_WORKER_CONCURRENCY": "0"], "BLOCKFLEET_WORKER_CONCURRENCY"),
            (["BLOCKFLEET_LEASE_SECONDS": "-3"], "BLOCKFLEET_LEASE_SECONDS"),
            (["BLOCKFLEET_WORKER_KINDS": "export,mine"], "BLOCKFLEET_WORKER_KINDS"),
            (["BLOCKFLEET_LEASE_SECONDS": "10", "BLOCKFLEET_HEARTBEAT_SECONDS": "10"], "BLOCKFLEET_HEARTBEAT_SECONDS"),
            (["BLOCKFLEET_LEASE_SECONDS": "10", "BLOCKFLEET_HEARTBEAT_SECONDS": "6", "BLOCKFLEET_LEASE_MARGIN_SECONDS": "4"], "BLOCKFLEET_LEASE_MARGIN_SECONDS"),
            (["BLOCKFLEET_STATEMENT_TIMEOUT_SECONDS": "0"], "BLOCKFLEET_STATEMENT_TIMEOUT_SECONDS"),
            (["BLOCKFLEET_LISTEN": "sometimes"], "BLOCKFLEET_LISTEN"),
        ]
        for (values, setting) in bad {
            #expect(throws: ConfigurationError.self, "\(values)") { try WorkerConfiguration(environment: Environment(values)) }
            do { _ = try WorkerConfiguration(environment: Environment(values)) } catch { #expect(error.setting == setting) }
        }
    }

    @Test("empty variables mean the default, as in Kubernetes manifests")
    func emptyMeansDefault() throws {
        let config = try WorkerConfiguration(environment: Environment(["BLOCKFLEET_WORKER_CONCURRENCY": "  "]))
        #expect(config.concurrency == WorkerConfiguration().concurrency)
    }

    @Test("log levels are checked by name")
    func logLevels() throws {
        #expect(try BlockFleetLogging.level("DEBUG") == .debug)
        #expect(try BlockFleetLogging.level(nil) == .info)
        #expect(throws: ConfigurationError.self) { try BlockFleetLogging.level("loud") }
    }

    @Test("the model stage's login and the CA bundle of verify-full are read from their settings")
    func modelLoginAndRootCertificate() throws {
        let queue = try DatabaseConfiguration(url: "postgres://q@db/fleet")
        let plain = try WarehouseConfiguration(environment: Environment([:]), queueDatabase: queue)
        #expect(plain.modelDatabase == nil)
        let split = try WarehouseConfiguration(environment: Environment([
            "BLOCKFLEET_WAREHOUSE_URL": "postgres://loader@wh/warehouse",
            "BLOCKFLEET_MODEL_WAREHOUSE_URL": "postgres://modeller:secret@wh/warehouse?sslmode=verify-full&sslrootcert=/etc/ssl/rds.pem",
        ]), queueDatabase: queue)
        #expect(split.database.username == "loader")
        #expect(split.modelDatabase?.username == "modeller" && split.modelDatabase?.applicationName == "blockfleet-model")
        #expect(split.modelDatabase?.sslMode == .verifyFull && split.modelDatabase?.sslRootCertificate == "/etc/ssl/rds.pem")
        #expect(split.modelDatabase?.description.contains("secret") == false)
        #expect(throws: ConfigurationError.self) {
            try WarehouseConfiguration(environment: Environment([
                "BLOCKFLEET_WAREHOUSE_URL": "postgres://loader@wh/warehouse", "BLOCKFLEET_MODEL_WAREHOUSE_URL": "redshift://m@wh/dev",
            ]), queueDatabase: queue)
        }
        #expect(throws: ConfigurationError.self) { try DatabaseConfiguration(url: "postgres://u@h/d?sslmode=verify-full&sslrootcert=") }
    }
}

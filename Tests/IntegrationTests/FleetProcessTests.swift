// The real `worker` and `coordinator` executables against a real PostgreSQL: crashes and signals.

import Foundation
import Shared
import Testing

@Suite("Fleet processes", .serialized)
struct FleetProcessTests {
    @Test("a worker killed with SIGKILL mid-job: the coordinator reaps the lease and another worker finishes it")
    func crashedWorkerIsRecovered() async throws {
        try await TestDatabase.with { (db: TestDatabase) async throws in
            // Long enough that the kill lands mid-job even when the full suite loads the machine
            // (at 3 s the first worker sometimes finished before the test saw it hold the job).
            let id = try #require(try await db.queue.enqueue([NewJob(kind: .sleep, firstBlock: 0, lastBlock: 0, payload: #"{"seconds":10}"#)]).first)
            let environment = ["BLOCKFLEET_DATABASE_URL": db.url]
            let coordinator = try FleetProcess("coordinator", ["serve", "--reap-seconds", "0.2"], environment: environment)
            let doomed = try FleetProcess("worker", ["--id", "doomed", "--lease-seconds", "3", "--heartbeat-seconds", "0.5"], environment: environment)
            try await eventually("the first worker to hold the job") { try await db.row(id).leaseOwner == "doomed" }

            doomed.signal(SIGKILL)
            #expect(try await doomed.waitForExit() == SIGKILL)
            #expect(try await db.row(id).state == "running", "the first worker finished the job before it was killed")
            let successor = try FleetProcess("worker", ["--id", "successor", "--lease-seconds", "3", "--heartbeat-seconds", "0.5"], environment: environment)
            try await eventually("the reaper to return the job and the successor to finish it", timeout: .seconds(60)) {
                try await db.row(id).state == "succeeded"
            }
            let row = try await db.row(id)
            #expect(row.leaseOwner == "successor")
            #expect(row.attempts == 2)
            #expect(coordinator.log.contains("reaped an expired lease"), "coordinator log:\n\(coordinator.log)")

            successor.signal(SIGTERM)
            coordinator.signal(SIGTERM)
            #expect(try await successor.waitForExit() == 0, "worker log:\n\(successor.log)")
            #expect(try await coordinator.waitForExit() == 0, "coordinator log:\n\(coordinator.log)")
        }
    }

    @Test("SIGTERM: the worker releases what it holds after the grace period and exits 0; the job is claimable at once")
    func sigtermReleasesHeldJobs() async throws {
        try await TestDatabase.with { (db: TestDatabase) async throws in
            let id = try #require(try await db.queue.enqueue([NewJob(kind: .sleep, firstBlock: 0, lastBlock: 0, payload: #"{"seconds":300}"#)]).first)
            let worker = try FleetProcess(
                "worker", ["--id", "leaving", "--shutdown-grace-seconds", "1"], environment: ["BLOCKFLEET_DATABASE_URL": db.url]
            )
            try await eventually("the worker to hold the job") { try await db.row(id).state == "running" }

            worker.signal(SIGTERM)
            #expect(try await worker.waitForExit(timeout: .seconds(15)) == 0, "worker log:\n\(worker.log)")
            let row = try await db.row(id)
            #expect(row.state == "pending")
            #expect(row.attempts == 0)
            #expect(row.secondsUntilRunnable <= 0)
            #expect(try await db.queue.claim(kinds: [.sleep], limit: 1, owner: "next", lease: .seconds(30)).first?.id == id)
            let registered = try await WorkerRegistry(client: db.client, logger: db.logger).list()
            #expect(registered.first?.stoppedAt != nil)
        }
    }

    @Test("SIGTERM: a job that ends within the grace period completes before the worker exits")
    func sigtermLetsShortJobsFinish() async throws {
        try await TestDatabase.with { (db: TestDatabase) async throws in
            let id = try #require(try await db.queue.enqueue([NewJob(kind: .sleep, firstBlock: 0, lastBlock: 0, payload: #"{"seconds":1.5}"#)]).first)
            let worker = try FleetProcess(
                "worker", ["--id", "patient", "--shutdown-grace-seconds", "20"], environment: ["BLOCKFLEET_DATABASE_URL": db.url]
            )
            try await eventually("the worker to hold the job") { try await db.row(id).state == "running" }
            worker.signal(SIGTERM)
            #expect(try await worker.waitForExit() == 0, "worker log:\n\(worker.log)")
            #expect(try await db.row(id).state == "succeeded")
        }
    }

    @Test("bad flags and settings stop the executables with a message naming them")
    func badConfigurationIsReported() async throws {
        let cases: [(String, [String], [String: String], String)] = [
            ("worker", ["--concurrency", "0"], [:], "--concurrency"),
            ("worker", [], ["BLOCKFLEET_LEASE_SECONDS": "soon"], "BLOCKFLEET_LEASE_SECONDS"),
            ("worker", ["--kinds", "export,bogus"], [:], "unknown job kind 'bogus'"),
            ("worker", [], ["BLOCKFLEET_DATABASE_URL": "mysql://x"], "BLOCKFLEET_DATABASE_URL"),
            ("coordinator", ["plan", "--from", "5", "--to", "1"], [:], "--from (5) must not be greater than --to (1)"),
            ("coordinator", ["plan", "--from", "0", "--to", "1", "--chunk-size", "0"], [:], "--chunk-size must be greater than 0"),
            ("coordinator", ["plan", "--from", "0", "--to", "1", "--entities", "blocks,nfts"], [:], "unknown entity 'nfts'"),
            ("worker", ["--http-port", "70000"], [:], "--http-port"),
            ("worker", [], ["BLOCKFLEET_STAGING_GZIP_LEVEL": "12"], "BLOCKFLEET_STAGING_GZIP_LEVEL"),
            ("worker", [], ["BLOCKFLEET_LAKE_URL": "ftp://lake"], "BLOCKFLEET_LAKE_URL"),
            ("worker", [], ["BLOCKFLEET_STAGING_URL": "s3://bucket/x", "BLOCKFLEET_S3_PART_CONCURRENCY": "many"], "BLOCKFLEET_S3_PART_CONCURRENCY"),
            ("coordinator", ["serve"], ["BLOCKFLEET_HTTP_PORT": "http"], "BLOCKFLEET_HTTP_PORT"),
            ("coordinator", ["serve"], ["BLOCKFLEET_LOG_FORMAT": "xml"], "BLOCKFLEET_LOG_FORMAT"),
            ("coordinator", ["serve"], ["BLOCKFLEET_FOLLOW": "maybe"], "BLOCKFLEET_FOLLOW"),
            ("coordinator", ["serve", "--follow", "--rpc-url", "ftp://node"], [:], "--rpc-url"),
        ]
        for (executable, arguments, environment, expected) in cases {
            let process = try FleetProcess(executable, arguments, environment: environment)
            let status = try await process.waitForExit()
            #expect(status != 0, "\(executable) \(arguments) should fail")
            #expect(process.log.contains(expected), "\(executable) \(arguments) printed:\n\(process.log)")
        }
    }

    @Test("the database password never appears in the logs")
    func passwordIsNotLogged() async throws {
        let url = "postgres://blockfleet:hunter2-secret@127.0.0.1:1/nowhere?sslmode=disable"
        let worker = try FleetProcess("worker", ["--log-level", "debug"], environment: ["BLOCKFLEET_DATABASE_URL": url])
        // Once a connection attempt failed and was logged, the error paths have had their say.
        try await eventually("the worker to log a failed connection attempt") { worker.log.contains("Connection creation failed") }
        worker.signal(SIGTERM)
        _ = try await worker.waitForExit()
        #expect(worker.log.contains("127.0.0.1:1"), "the log should name the database:\n\(worker.log)")
        #expect(!worker.log.contains("hunter2"))
    }
}

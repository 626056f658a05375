// /metrics, /healthz, /readyz of the real executables, checked with Prometheus's own promtool.

import Foundation
import Logging
import PostgresNIO
import Shared
import Testing

@Suite("Operations HTTP", .serialized)
struct OperationsHTTPTests {
    /// `promtool check metrics` (Debian's `prometheus` package) on an exposition: its verdict and output.
    static func promtool(_ exposition: String) async throws -> (status: Int32, output: String, stdout: String) {
        guard let promtool = Ops.which("promtool", "/usr/bin/promtool") else {
            throw TestSetupError("promtool is missing: apt-get install prometheus (.ci/run installs it)")
        }
        return try await Ops.run(promtool, ["check", "metrics"], input: exposition)
    }

    @Test("coordinator and worker serve /metrics that promtool accepts, with queue and job families; /healthz and /readyz answer")
    func metricsOfBothExecutables() async throws {
        try await TestDatabase.with { (db: TestDatabase) async throws in
            let environment = ["BLOCKFLEET_DATABASE_URL": db.url]
            let (coordinatorPort, workerPort) = (try Ops.freePort(), try Ops.freePort())
            let coordinator = try FleetProcess("coordinator", ["serve", "--reap-seconds", "0.2", "--http-port", "\(coordinatorPort)"], environment: environment)
            let worker = try FleetProcess("worker", ["--id", "metered", "--kinds", "noop", "--poll-seconds", "0.2", "--http-port", "\(workerPort)"], environment: environment)
            try await db.queue.enqueue((0..<3).map { NewJob(kind: .noop, firstBlock: Int64($0), lastBlock: Int64($0)) })
            try await eventually("the worker to finish the jobs") { try await db.count(kind: "noop", state: "succeeded") == 3 }

            let base = "http://127.0.0.1:"
            try await eventually("both listeners to answer /healthz") {
                let coordinatorUp = await Ops.get(base + "\(coordinatorPort)/healthz")?.status == 200
                let workerUp = await Ops.get(base + "\(workerPort)/healthz")?.status == 200
                return coordinatorUp && workerUp
            }
            #expect(await Ops.get(base + "\(coordinatorPort)/readyz")?.status == 200)
            #expect(await Ops.get(base + "\(workerPort)/readyz")?.status == 200)

            var coordinatorMetrics = ""
            try await eventually("the coordinator to lead and count the jobs") {
                coordinatorMetrics = await Ops.get(base + "\(coordinatorPort)/metrics")?.body ?? ""
                return Ops.sample(coordinatorMetrics, #"blockfleet_queue_jobs{kind="noop",state="succeeded"}"#) == 3
                    && Ops.sample(coordinatorMetrics, "blockfleet_coordinator_leader") == 1
            }
            #expect(Ops.sample(coordinatorMetrics, #"blockfleet_queue_jobs{kind="noop",state="pending"}"#) == 0)
            #expect(Ops.sample(coordinatorMetrics, #"blockfleet_workers{state="live"}"#) == 1)
            #expect(coordinatorMetrics.contains("# HELP blockfleet_queue_oldest_ready_age_seconds"))
            let workerMetrics = await Ops.get(base + "\(workerPort)/metrics")?.body ?? ""
            #expect(Ops.sample(workerMetrics, #"blockfleet_jobs_finished_total{kind="noop",outcome="succeeded"}"#) == 3, "\(workerMetrics)")
            #expect(Ops.sample(workerMetrics, #"blockfleet_job_duration_seconds_count{kind="noop",outcome="succeeded"}"#) == 3)
            #expect(Ops.sample(workerMetrics, "blockfleet_worker_ready") == 1)

            for (name, text) in [("coordinator", coordinatorMetrics), ("worker", workerMetrics)] {
                let verdict = try await Self.promtool(text)
                #expect(verdict.status == 0, "promtool on the \(name)'s /metrics:\n\(verdict.output)\n\(text)")
            }

            worker.signal(SIGTERM)
            coordinator.signal(SIGTERM)
            #expect(try await worker.waitForExit() == 0, "worker log:\n\(worker.log)")
            #expect(try await coordinator.waitForExit() == 0, "coordinator log:\n\(coordinator.log)")
        }
    }

    @Test("promtool rejects a broken exposition (the check can fail)")
    func promtoolCanFail() async throws {
        let verdict = try await Self.promtool("# TYPE blockfleet_x counter\nblockfleet_x{kind=\"a\" 1\n")
        #expect(verdict.status != 0)
    }

    @Test("/readyz answers 503 naming the database when it is unreachable; /healthz still 200")
    func readinessFollowsTheDatabase() async throws {
        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        var unreachable = try TestDatabase.baseConfiguration()
        unreachable.port = try Ops.freePort()
        let client = PostgresClient(configuration: try unreachable.clientConfiguration(), backgroundLogger: logger)
        let port = try Ops.freePort()
        let server = OperationsServer(
            configuration: OperationsHTTPConfiguration(port: port),
            endpoints: OperationsEndpoints(readiness: { await Readiness.database(client, logger: logger) }),
            logger: logger
        )
        let clientTask = Task { await client.run() }
        let serverTask = Task { try await server.run() }
        defer { serverTask.cancel(); clientTask.cancel() }
        try await eventually("the listener") { await Ops.get("http://127.0.0.1:\(port)/healthz")?.status == 200 }
        let ready = await Ops.get("http://127.0.0.1:\(port)/readyz")
        #expect(ready?.status == 503)
        #expect(ready?.body.contains("queue database unreachable") == true, "\(ready?.body ?? "")")
    }

    @Test("the chart's KEDA query counts ready and running jobs of its kinds, and no pending job of a paused kind")
    func kedaQuerySkipsPausedKinds() async throws {
        let template = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("helm/blockfleet/templates/_pool.tpl")
        let text = try String(contentsOf: template, encoding: .utf8)
        let match = try #require(text.range(of: #"query: \{\{ printf "([^"]+)""#, options: .regularExpression))
        let format = String(text[match]).replacingOccurrences(of: #"query: {{ printf ""#, with: "").dropLast()
        // sum() of BIGINT is NUMERIC; KEDA reads either, the test reads BIGINT.
        let query = "SELECT CAST((\(format.replacingOccurrences(of: "%s", with: "noop,sleep"))) AS BIGINT)"
        try await TestDatabase.with { (db: TestDatabase) async throws in
            let depth = { () async throws -> Int64 in
                for try await value in try await db.client.query(PostgresQuery(unsafeSQL: query), logger: db.logger).decode(Int64.self) { return value }
                return -1
            }
            try await db.queue.enqueue((0..<5).map { NewJob(kind: .noop, firstBlock: Int64($0), lastBlock: Int64($0)) }
                                       + [NewJob(kind: .export, firstBlock: 0, lastBlock: 9)])
            _ = try await db.queue.claim(kinds: [.noop], limit: 2, owner: "w", lease: .seconds(30))
            #expect(try await depth() == 5)
            try await db.queue.pause(.noop, by: "test")
            // The two running jobs still need their worker; the three pending ones cannot be claimed.
            #expect(try await depth() == 2)
            try await db.queue.resume(.noop)
            #expect(try await depth() == 5)
        }
    }

    @Test("the queue_depth view counts jobs by kind and state with the oldest ready age")
    func queueDepthView() async throws {
        try await TestDatabase.with { (db: TestDatabase) async throws in
            try await db.queue.enqueue((0..<4).map { NewJob(kind: .noop, firstBlock: Int64($0), lastBlock: Int64($0)) })
            _ = try await db.queue.claim(kinds: [.noop], limit: 1, owner: "w", lease: .seconds(30))
            try await db.client.query("UPDATE jobs SET run_after = now() - interval '90 seconds' WHERE state = 'pending'", logger: db.logger)
            var rows: [String: (Int64, Double)] = [:]
            for try await (kind, state, jobs, age) in try await db.client.query(
                "SELECT kind, state, jobs, oldest_age_seconds FROM queue_depth", logger: db.logger
            ).decode((String, String, Int64, Double).self) {
                rows["\(kind)/\(state)"] = (jobs, age)
            }
            #expect(rows["noop/pending"]?.0 == 3)
            #expect(rows["noop/running"]?.0 == 1)
            #expect((rows["noop/pending"]?.1 ?? 0) >= 89)
            #expect(rows.count == 2)

            // The SQL panels of the shipped dashboards run against the view as written.
            let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("helm/blockfleet/dashboards")
            var ran = 0
            for file in try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil) where file.pathExtension == "json" {
                let text = try String(contentsOf: file, encoding: .utf8)
                let dashboard = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
                for panel in dashboard["panels"] as? [[String: Any]] ?? [] {
                    for target in panel["targets"] as? [[String: Any]] ?? [] {
                        // Warehouse panels run in the model pipeline test, against a loaded warehouse.
                        guard let sql = target["rawSql"] as? String, !sql.contains("${schema}") else { continue }
                        await #expect(throws: Never.self, "\(file.lastPathComponent): \(sql)") {
                            for try await _ in try await db.client.query(PostgresQuery(unsafeSQL: sql), logger: db.logger) {}
                        }
                        ran += 1
                    }
                }
            }
            #expect(ran >= 4)
        }
    }
}

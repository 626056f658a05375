// Leader election of coordinator replicas against a real PostgreSQL.

import Foundation
import Logging
import Shared
import Testing

@Suite("Coordinator leadership")
struct LeaderServiceTests {
    @Test("of two replicas one leads and reaps; when it stops, the other takes over")
    func oneLeaderAtATime() async throws {
        try await TestDatabase.with { (db: TestDatabase) async throws in
            let configuration = CoordinatorConfiguration(reapInterval: .milliseconds(100), electionInterval: .milliseconds(100))
            let registry = WorkerRegistry(client: db.client, logger: db.logger)
            let first = LeaderService(queue: db.queue, registry: registry, configuration: configuration, logger: db.logger)
            let second = LeaderService(queue: db.queue, registry: registry, configuration: configuration, logger: db.logger)
            let firstTask = Task { try await first.run() }
            try await eventually("the first replica to lead") { first.isLeader }
            let secondTask = Task { try await second.run() }
            defer { secondTask.cancel() }

            // Only the leader reaps: an expired lease goes back to pending.
            let id = try #require(try await db.queue.enqueue([NewJob(kind: .noop, firstBlock: 0, lastBlock: 0)]).first)
            _ = try await db.queue.claim(kinds: [.noop], limit: 1, owner: "gone", lease: .seconds(30))
            try await db.expireLease(id)
            try await eventually("the leader to reap the lease") { try await db.row(id).state == "pending" }
            try await Task.sleep(for: .milliseconds(300))
            #expect(!second.isLeader, "two leaders at once")

            firstTask.cancel()
            _ = try? await firstTask.value
            #expect(!first.isLeader)
            try await eventually("the second replica to take over") { second.isLeader }
        }
    }

    @Test("a leader whose connection the server closes campaigns again and goes on reaping")
    func leaderSurvivesLostConnection() async throws {
        try await TestDatabase.with { (db: TestDatabase) async throws in
            // The leader gets a client of its own, named so that only its connections are cut.
            var named = db.configuration
            named.applicationName = "leader-test-\(UUID().uuidString.prefix(8))"
            let leaderDatabase = named, name = named.applicationName
            try await QueueDatabase.withClient(leaderDatabase, logger: db.logger) { client in
                let configuration = CoordinatorConfiguration(reapInterval: .milliseconds(100), electionInterval: .milliseconds(100))
                let leader = LeaderService(
                    queue: JobQueue(client: client, schema: leaderDatabase.schema, logger: db.logger),
                    registry: WorkerRegistry(client: client, logger: db.logger), configuration: configuration, logger: db.logger
                )
                let task = Task { try await leader.run() }
                defer { task.cancel() }
                try await eventually("the replica to lead") { leader.isLeader }

                let rows = try await db.client.query(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = \(name)", logger: db.logger
                )
                for try await terminated in rows.decode(Int.self) { #expect(terminated >= 1) }

                // Reaping goes on after the cut: an expired lease made now is returned to pending.
                let id = try #require(try await db.queue.enqueue([NewJob(kind: .noop, firstBlock: 0, lastBlock: 0)]).first)
                _ = try await db.queue.claim(kinds: [.noop], limit: 1, owner: "gone", lease: .seconds(30))
                try await db.expireLease(id)
                try await eventually("the leader to reap after its connection was cut", timeout: .seconds(30)) {
                    try await db.row(id).state == "pending"
                }
                #expect(leader.isLeader)
                task.cancel()
                _ = try? await task.value
            }
        }
    }

    @Test("/healthz fails while the leader loop is wedged on a query, and answers ok once the loop goes round again", .timeLimit(.minutes(1)))
    func wedgedLeaderFailsLiveness() async throws {
        try await TestDatabase.with { (db: TestDatabase) async throws in
            let configuration = CoordinatorConfiguration(reapInterval: .milliseconds(100), electionInterval: .milliseconds(100), livenessBound: .milliseconds(500))
            let leader = LeaderService(queue: db.queue, registry: WorkerRegistry(client: db.client, logger: db.logger), configuration: configuration, logger: db.logger)
            let port = try Ops.freePort()
            let server = OperationsServer(
                configuration: OperationsHTTPConfiguration(port: port),
                endpoints: OperationsEndpoints(readiness: { nil }, liveness: { leader.liveness() }), logger: db.logger
            )
            let tasks = [Task { try await leader.run() }, Task { try await server.run() }]
            defer { tasks.forEach { $0.cancel() } }
            let healthz = "http://127.0.0.1:\(port)/healthz"
            try await eventually("the replica to lead and /healthz to answer ok") {
                let status = await Ops.get(healthz)?.status
                return leader.isLeader && status == 200
            }
            // The reaper's next query waits on this lock: the loop is wedged until it goes.
            try await db.client.withConnection { connection in
                try await connection.query("BEGIN", logger: db.logger)
                try await connection.query("LOCK TABLE jobs IN ACCESS EXCLUSIVE MODE", logger: db.logger)
                try await eventually("/healthz to fail while the reaper waits") { await Ops.get(healthz)?.status == 503 }
                let answer = await Ops.get(healthz)
                #expect(answer?.body.contains("leader loop has not gone round") == true, "\(answer?.body ?? "no answer")")
                try await connection.query("ROLLBACK", logger: db.logger)
            }
            try await eventually("/healthz to answer ok once the loop goes round") { await Ops.get(healthz)?.status == 200 }
            #expect(leader.isLeader)
        }
    }
}

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
}

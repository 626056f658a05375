// The coordinator's admin CLI as operators run it: real processes, real PostgreSQL, exit codes.

import Foundation
import Shared
import Testing

@Suite("Admin CLI", .serialized)
struct AdminCLITests {
    /// Claims and completes every ready export job, as a worker would, with matching edge hashes.
    static func exportAll(_ db: TestDatabase) async throws {
        while true {
            let jobs = try await db.queue.claim(kinds: [.export], limit: 100, owner: "test", lease: .seconds(30))
            if jobs.isEmpty { return }
            for job in jobs {
                try await db.queue.complete(JobCompletion(lease: job.lease, result: ReorgGuardTests.result(job.firstBlock, job.lastBlock)))
            }
        }
    }

    @Test("gaps finds the hole a cancelled job leaves (exit 3), requeue sends the span back, then no gaps (exit 0)")
    func gapsAndRequeue() async throws {
        try await TestDatabase.with { (db: TestDatabase) async throws in
            try await db.queue.plan(try PlanRequest(from: 0, to: 999, chunkSize: 100))
            let hole = try #require(try await db.queue.jobs(JobFilter(block: 450, limit: 1)).first)
            #expect(try await Ops.coordinator(["cancel", String(hole.id)], database: db.url).status == 0)
            try await Self.exportAll(db)

            let gaps = try await Ops.coordinator(["gaps", "--json"], database: db.url)
            #expect(gaps.status == 3, "\(gaps.output)")
            let parsed = try JSONDecoder().decode([BlockGap].self, from: Data(gaps.stdout.utf8))
            #expect(parsed == [BlockGap(firstBlock: 400, lastBlock: 499)])
            let table = try await Ops.coordinator(["gaps", "--from", "0", "--to", "1100"], database: db.url)
            #expect(table.status == 3)
            #expect(table.output.contains("400-499") && table.output.contains("1000-1100"), "\(table.output)")

            let requeue = try await Ops.coordinator(["requeue", "--from", "420", "--to", "430", "--json"], database: db.url)
            #expect(requeue.status == 0, "\(requeue.output)")
            #expect(requeue.output.contains(String(hole.id)))
            #expect(try await db.row(hole.id).state == "pending")
            try await Self.exportAll(db)
            let none = try await Ops.coordinator(["gaps"], database: db.url)
            #expect(none.status == 0, "\(none.output)")
            #expect(try await Ops.coordinator(["requeue", "--from", "5000", "--to", "6000"], database: db.url).status == 3, "nothing matched")
        }
    }

    @Test("pause stops a running worker from claiming the kind; resume lets it finish them")
    func pauseStopsClaims() async throws {
        try await TestDatabase.with { (db: TestDatabase) async throws in
            let paused = try await Ops.coordinator(["pause", "noop", "--json"], database: db.url)
            #expect(paused.status == 0 && paused.output.contains("noop"), "\(paused.output)")
            let worker = try FleetProcess("worker", ["--id", "paused", "--kinds", "noop,sleep", "--poll-seconds", "0.1"], environment: ["BLOCKFLEET_DATABASE_URL": db.url])
            try await db.queue.enqueue((0..<5).map { NewJob(kind: .noop, firstBlock: Int64($0), lastBlock: Int64($0)) })
            // A job of a running kind, enqueued after the paused ones: once it succeeded, the worker
            // has claimed with the paused jobs ready (one claim statement covers both kinds).
            let marker = try #require(try await db.queue.enqueue([NewJob(kind: .sleep, firstBlock: 100, lastBlock: 100, payload: #"{"seconds":0}"#)]).first)
            try await eventually("the worker to claim past the paused kind") { try await db.row(marker).state == "succeeded" }
            #expect(try await db.count(kind: "noop", state: "pending") == 5, "a paused kind was claimed")

            #expect(try await Ops.coordinator(["resume", "noop"], database: db.url).status == 0)
            try await eventually("the worker to finish the jobs once resumed") { try await db.count(kind: "noop", state: "succeeded") == 5 }
            worker.signal(SIGTERM)
            #expect(try await worker.waitForExit() == 0)
        }
    }

    @Test("status --json carries counts, progress, rate and ETA; the table shows the bar and dead jobs; bad flags exit 64")
    func statusAndExitCodes() async throws {
        try await TestDatabase.with { (db: TestDatabase) async throws in
            try await db.queue.plan(try PlanRequest(from: 0, to: 399, chunkSize: 100, maxAttempts: 1))
            let jobs = try await db.queue.claim(kinds: [.export], limit: 4, owner: "test", lease: .seconds(30))
            for job in jobs.prefix(3) { try await db.queue.complete(JobCompletion(lease: job.lease, result: ReorgGuardTests.result(job.firstBlock, job.lastBlock))) }
            try await db.queue.fail(jobs[3].lease, attempt: 1, message: "node said no", retryable: false)

            let json = try await Ops.coordinator(["status", "--json"], database: db.url)
            #expect(json.status == 0, "\(json.output)")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            let rate = try #require(object["rate"] as? [String: Any])
            #expect(rate["blocks"] as? Int == 300)
            #expect(object["lastExportedBlock"] as? Int == 299)
            #expect((object["deadJobs"] as? [Any])?.count == 1)

            let table = try await Ops.coordinator(["status"], database: db.url)
            #expect(table.output.contains("75.0 %") && table.output.contains("blocks/s") && table.output.contains("node said no"), "\(table.output)")
            #expect(try await Ops.coordinator(["jobs", "--state", "dead", "--json"], database: db.url).output.contains("node said no"))
            #expect(try await Ops.coordinator(["jobs", "--state", "nonsense"], database: db.url).status == 64)
            #expect(try await Ops.coordinator(["retry", "999999"], database: db.url).status == 3)
            let unreachable = try await Ops.coordinator(["status"], database: "postgres://nobody@127.0.0.1:1/none?sslmode=disable")
            #expect(unreachable.status == 1)
            #expect(unreachable.output.contains("connecting to the queue database postgres://nobody@127.0.0.1:1/none"), "\(unreachable.output)")
        }
    }

    @Test("leadership moves to the other coordinator when the leader is killed")
    func leadershipMoves() async throws {
        try await TestDatabase.with { (db: TestDatabase) async throws in
            let ports = [try Ops.freePort(), try Ops.freePort()]
            let coordinators = try ports.map {
                try FleetProcess("coordinator", ["serve", "--reap-seconds", "0.2", "--http-port", "\($0)"], environment: ["BLOCKFLEET_DATABASE_URL": db.url])
            }
            func leading(_ index: Int) async -> Bool {
                guard let metrics = await Ops.get("http://127.0.0.1:\(ports[index])/metrics")?.body else { return false }
                return Ops.sample(metrics, "blockfleet_coordinator_leader") == 1
            }
            var leader = -1
            try await eventually("one coordinator to lead") {
                for index in 0..<2 where await leading(index) { leader = index }
                return leader >= 0
            }
            let other = 1 - leader
            #expect(await leading(other) == false, "two leaders")
            let standby = await Ops.get("http://127.0.0.1:\(ports[other])/metrics")?.body ?? ""
            #expect(Ops.sample(standby, "blockfleet_coordinator_leader") == 0, "the standby reports 0, so dashboards can sum leaders")

            coordinators[leader].signal(SIGKILL)
            _ = try await coordinators[leader].waitForExit()
            try await eventually("the other coordinator to take over", timeout: .seconds(20)) { await leading(other) }
            // The new leader does the work: an expired lease is reaped.
            let id = try #require(try await db.queue.enqueue([NewJob(kind: .noop, firstBlock: 0, lastBlock: 0)]).first)
            _ = try await db.queue.claim(kinds: [.noop], limit: 1, owner: "gone", lease: .seconds(30))
            try await db.expireLease(id)
            try await eventually("the new leader to reap") { try await db.row(id).state == "pending" }
            coordinators[other].signal(SIGTERM)
            #expect(try await coordinators[other].waitForExit() == 0)
        }
    }
}

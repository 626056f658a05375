// The simulated fleet: starts the workers, each on a client of its own, and measures a run.

import Foundation
import Logging
import PostgresNIO
import Shared
import Synchronization

struct SoakFleet: Sendable {
    let configuration: DatabaseConfiguration
    let schema: String
    let settings: SoakSettings
    let logger: Logger

    static let workerApplication = "blockfleet-soak-worker"

    /// Runs the workers for `duration` against what is planned; reads their connections halfway.
    func run(for duration: Duration, admin: JobQueue) async throws -> SoakReport {
        let connections = Mutex<Int?>(nil)
        let (tally, seconds, cpu) = try await withWorkers { workers, started in
            try await Task.sleep(for: duration / 2)
            let held = try await Self.workerConnections(admin)
            connections.withLock { $0 = held }
            try await Task.sleep(until: started + duration, clock: .continuous)
        }
        return SoakReport(tally: tally, seconds: seconds, connections: connections.withLock { $0 }, serverCPUSeconds: cpu)
    }

    /// Plans `count` jobs at once, in one insert (one notification), while every worker is idle
    /// and listening; runs until they are all done.
    func wakeUp(planning count: Int, admin: JobQueue) async throws -> SoakReport {
        let (tally, seconds, cpu) = try await withWorkers(measuringFrom: { workers in
            // Idle: everyone listening and past its first (empty) claim.
            let deadline = ContinuousClock.now + .seconds(60)
            while workers.contains(where: { !$0.listening.load(ordering: .relaxed) }), ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
            }
            try await Task.sleep(for: .milliseconds(300))
            for worker in workers { worker.tally.withLock { $0 = SoakTally() } }
            let offset = Int64(UInt32.random(in: 0...UInt32.max)) << 8
            try await SoakSchema.plan(count, into: admin, from: offset)
        }) { workers, _ in
            // Each job and its follow-up.
            let deadline = ContinuousClock.now + .seconds(600)
            while workers.reduce(0, { $0 + $1.tally.withLock(\.completed) }) < 2 * count, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(5))
            }
        }
        return SoakReport(tally: tally, seconds: seconds, connections: nil, serverCPUSeconds: cpu)
    }

    /// Starts the workers, runs `prepare` and then `body` (timed), stops the workers and sums their
    /// tallies as they were when `body` returned, with the PostgreSQL server's CPU seconds in `body`.
    private func withWorkers(
        measuringFrom prepare: @Sendable ([SoakWorker]) async throws -> Void = { _ in },
        _ body: @Sendable ([SoakWorker], ContinuousClock.Instant) async throws -> Void
    ) async throws -> (SoakTally, Double, Double) {
        var clients: [PostgresClient] = []
        var workers: [SoakWorker] = []
        for index in 0..<settings.workers {
            var configuration = configuration
            configuration.maximumConnections = settings.connections
            configuration.applicationName = Self.workerApplication
            let client = PostgresClient(configuration: try configuration.clientConfiguration(), backgroundLogger: logger)
            clients.append(client)
            let queue = JobQueue(client: client, schema: schema, logger: logger, statementTimeout: .seconds(30))
            workers.append(SoakWorker(id: "soak-\(index)", queue: queue, settings: settings))
        }
        let stop = SoakStop()
        let (clientList, workerList) = (clients, workers)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            for client in clientList { group.addTask { await client.run() } }
            let outcome: Result<(SoakTally, Double, Double), any Error>
            do {
                outcome = .success(try await withThrowingTaskGroup(of: Void.self) { running in
                    for worker in workerList { running.addTask { await worker.run(until: stop) } }
                    do {
                        try await prepare(workerList)
                        let started = ContinuousClock.now
                        let cpuBefore = ServerCPU.seconds()
                        try await body(workerList, started)
                        let seconds = (ContinuousClock.now - started).seconds
                        let cpu = ServerCPU.seconds() - cpuBefore
                        var tally = SoakTally()
                        for worker in workerList { tally.add(worker.tally.withLock { $0 }) }
                        stop.set()
                        try await running.waitForAll()
                        return (tally, seconds, cpu)
                    } catch {
                        stop.set()
                        running.cancelAll()
                        throw error
                    }
                })
            } catch {
                outcome = .failure(error)
            }
            // Ends the clients' run loops.
            group.cancelAll()
            return try outcome.get()
        }
    }

    /// Connections the simulated workers hold now.
    static func workerConnections(_ queue: JobQueue) async throws -> Int {
        let rows = try await queue.client.query(
            "SELECT count(*)::bigint FROM pg_stat_activity WHERE application_name = \(workerApplication)", logger: queue.logger)
        for try await count in rows.decode(Int64.self) { return Int(count) }
        return 0
    }
}

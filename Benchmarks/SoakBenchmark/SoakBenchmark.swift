// Soak: many simulated workers, each with its own connections as a pod has, claim, heartbeat and
// complete no-op jobs (with follow-ups) against a real PostgreSQL for a fixed time.

import ArgumentParser
import Foundation
import Logging
import PostgresNIO
import Shared

@main
struct SoakBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "soak-benchmark",
        abstract: "Soaks the BlockFleet queue with simulated workers (a benchmark, not a test: it prints figures)."
    )

    @Option(name: .customLong("database-url")) var databaseURL: String
    @Option(help: "Simulated workers, each with its own PostgreSQL client.") var workers: Int = 50
    @Option(help: "Queue connections per worker: the LISTEN connection and one for statements, as `worker` runs.") var connections: Int = 2
    @Option(help: "Jobs a worker holds at once.") var slots: Int = 4
    @Option(help: "No-op jobs planned before the run.") var jobs: Int = 1_000_000
    @Option(help: "Seconds the soak runs.") var seconds: Double = 60
    @Option(name: .customLong("work-ms"), help: "Milliseconds each job is held before it completes.") var workMilliseconds: Int = 50
    @Option(name: .customLong("heartbeat-ms"), help: "Heartbeat period of a worker's held jobs.") var heartbeatMilliseconds: Int = 1000
    @Option(name: .customLong("poll-ms"), help: "Idle poll period when no notification comes.") var pollMilliseconds: Int = 1000
    @Option(help: "Jobs planned at once onto idle workers in the wake-up run (0: skip it).") var herd: Int = 10_000
    @Flag(inversion: .prefixedNo, help: "Workers LISTEN for new jobs (--no-listen: they only poll), to tell the cost of NOTIFY's fan-out.")
    var listen = true

    func validate() throws {
        guard workers >= 1, connections >= 2, slots >= 1, jobs >= 1, seconds > 0 else {
            throw ValidationError("--workers, --slots and --jobs must be at least 1, --connections at least 2 and --seconds above 0")
        }
    }

    func run() async throws {
        let logger = Logger(label: "soak", factory: { _ in SwiftLogNoOpLogHandler() })
        let base = try DatabaseConfiguration(url: databaseURL, setting: "--database-url")
        let settings = SoakSettings(
            workers: workers, connections: connections, slots: slots,
            work: .milliseconds(workMilliseconds), heartbeat: .milliseconds(heartbeatMilliseconds), poll: .milliseconds(pollMilliseconds),
            listens: listen
        )
        let cores = ProcessInfo.processInfo.activeProcessorCount
        print("soak — PostgreSQL on 127.0.0.1, \(cores) cores; \(workers) simulated workers × \(connections) connections, \(slots) slots, \(workMilliseconds) ms a job\(listen ? "" : ", no LISTEN")")

        try await SoakSchema.with(base, logger: logger) { schema, configuration in
            try await QueueDatabase.withClient(configuration, logger: logger) { admin in
                let queue = JobQueue(client: admin, schema: schema, logger: logger)
                let planned = ContinuousClock.now
                try await SoakSchema.plan(jobs, into: queue)
                print(String(format: "planned %d no-op jobs in %.1f s", jobs, (ContinuousClock.now - planned).seconds))

                let fleet = SoakFleet(configuration: configuration, schema: schema, settings: settings, logger: logger)
                let report = try await fleet.run(for: .milliseconds(Int64(seconds * 1000)), admin: queue)
                report.print(title: "soak \(Int(seconds)) s")
                try await SoakSchema.printTableHealth(admin, logger: logger)
                try await SoakSchema.timeLeaderTick(queue)
                // The tick again once every planned job has finished (as after a backfill, before pruning).
                try await SoakSchema.finishAll(admin, logger: logger)
                try await SoakSchema.timeLeaderTick(queue)
            }
        }
        guard herd > 0 else { return }
        try await SoakSchema.with(base, logger: logger) { schema, configuration in
            try await QueueDatabase.withClient(configuration, logger: logger) { admin in
                let queue = JobQueue(client: admin, schema: schema, logger: logger)
                let fleet = SoakFleet(configuration: configuration, schema: schema, settings: settings, logger: logger)
                for (label, count) in [("one job onto", 1), ("\(herd) jobs at once onto", herd)] {
                    let report = try await fleet.wakeUp(planning: count, admin: queue)
                    report.print(title: "wake-up: \(label) \(workers) idle workers")
                }
            }
        }
    }
}

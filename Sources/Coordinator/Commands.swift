// The coordinator's subcommands: each parses its flags and calls into Shared.

import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import PostgresNIO
import Shared

/// Opens the queue for a one-shot command, turning our errors into clear exits.
func withQueue<Result: Sendable>(_ options: CommonOptions, _ body: @Sendable (JobQueue, Logger) async throws -> Result) async throws -> Result {
    let environment = Environment()
    let logger = try options.logger(environment, label: "blockfleet.coordinator")
    let database = try options.database(environment, applicationName: "blockfleet-coordinator")
    return try await QueueDatabase.withClient(database, logger: logger) { client in
        try await body(JobQueue(client: client, schema: database.schema, logger: logger), logger)
    }
}

func printJSON<T: Encodable>(_ value: T) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    encoder.dateEncodingStrategy = .iso8601
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create or upgrade the queue schema (safe to run from several processes at once).")
    @OptionGroup var options: CommonOptions

    func run() async throws {
        try await withQueue(options) { queue, logger in
            let applied = try await SchemaMigrator(client: queue.client, logger: logger).migrate()
            print(applied.isEmpty ? "schema is up to date" : "applied migrations \(applied.map(String.init).joined(separator: ", "))")
        }
    }
}

struct Plan: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Split a block span into jobs. Idempotent: re-planning adds only ranges not planned yet.")
    @OptionGroup var options: CommonOptions
    @Option(help: "First block.") var from: Int64
    @Option(help: "Last block (inclusive).") var to: Int64
    @Option(name: .customLong("chunk-size"), help: "Blocks per job.") var chunkSize: Int64 = 100
    @Option(help: "Comma-separated entities to export: \(ExportEntity.allCases.map(\.rawValue).joined(separator: ", ")).")
    var entities: String = ExportEntity.listText(ExportEntity.defaultSet)
    @Option(help: "Lower runs first.") var priority: Int = 100
    @Option(name: .customLong("max-attempts"), help: "Attempts before a job is dead.") var maxAttempts: Int = 5
    @Option(help: "Job kind: export, or noop/sleep to drill the fleet.") var kind: String = "export"
    @Option(help: "Kind-specific JSON payload, e.g. {\"seconds\": 2} for sleep.") var payload: String = "{}"
    @Flag(help: "Print the result as JSON.") var json = false

    func run() async throws {
        let request: PlanRequest
        do {
            let kind = try JobKind.parseList(kind, setting: "--kind")
            guard kind.count == 1 else { throw ValidationError("--kind takes one kind") }
            guard (try? JSONSerialization.jsonObject(with: Data(payload.utf8))) is [String: Any] else {
                throw ValidationError("--payload must be a JSON object, got '\(payload)'")
            }
            request = try PlanRequest(
                kind: kind[0], from: from, to: to, chunkSize: chunkSize,
                entities: try ExportEntity.parseList(entities), priority: priority, maxAttempts: maxAttempts, payload: payload
            )
        } catch let error as QueueError {
            throw ValidationError(error.message)
        } catch let error as ExportEntityError {
            throw ValidationError("--entities: \(error)")
        } catch let error as ConfigurationError {
            throw ValidationError(error.description)
        }
        let result = try await withQueue(options) { queue, _ in try await queue.plan(request) }
        if json {
            try printJSON(result)
        } else {
            print("planned \(result.inserted) \(request.kind) jobs over blocks \(result.firstBlock)…\(result.lastBlock); \(result.alreadyPlannedBlocks) blocks were already planned")
        }
    }
}

struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Job counts by kind and state, export progress, dead jobs.")
    @OptionGroup var options: CommonOptions
    @Flag(help: "Print as JSON.") var json = false
    @Option(help: "Refresh every this many seconds until interrupted.") var watch: Double?
    @Flag(name: .customLong("until-idle"), help: "With --watch: exit once no job is pending, running or retrying.") var untilIdle = false

    func validate() throws {
        if let watch, !(watch >= 0.1) { throw ValidationError("--watch must be at least 0.1 seconds") }
        if untilIdle && watch == nil { throw ValidationError("--until-idle needs --watch") }
    }

    func run() async throws {
        guard let watch else {
            let report = try await withQueue(options) { queue, _ in try await StatusReport.load(from: queue) }
            if json { try printJSON(report) } else { print(report.render()) }
            return
        }
        let (json, untilIdle) = (json, untilIdle)
        try await withQueue(options) { queue, _ in
            let interactive = isatty(STDOUT_FILENO) == 1
            while true {
                let report = try await StatusReport.load(from: queue)
                if json {
                    try printJSON(report)
                } else {
                    // Redraw in place on a terminal; append in logs.
                    print((interactive ? "\u{1B}[H\u{1B}[2J" : "") + report.render() + "\n")
                }
                if untilIdle && report.isIdle { return }
                try await Task.sleep(for: .milliseconds(Int64(watch * 1000)))
            }
        }
    }
}

struct Jobs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List jobs, filtered.")
    @OptionGroup var options: CommonOptions
    @Option(help: "pending, running, retrying, succeeded, dead or cancelled.") var state: String?
    @Option(help: "Job kind.") var kind: String?
    @Option(help: "Jobs whose range contains this block.") var block: Int64?
    @Option(help: "Jobs held (or last held) by this worker id.") var worker: String?
    @Option(help: "At most this many.") var limit: Int = 50
    @Flag(help: "Print as JSON.") var json = false

    func run() async throws {
        var filter = JobFilter(block: block, worker: worker, limit: limit)
        if let state {
            guard let parsed = JobState(rawValue: state) else {
                throw ValidationError("--state '\(state)' is not one of \(JobState.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            filter.state = parsed
        }
        if let kind { filter.kind = JobKind(rawValue: kind) }
        guard limit > 0 else { throw ValidationError("--limit must be greater than 0") }
        let jobs = try await withQueue(options) { [filter] queue, _ in try await queue.jobs(filter) }
        if json { try printJSON(jobs); return }
        var rows = [["id", "kind", "state", "blocks", "attempts", "owner", "last error"]]
        for job in jobs {
            rows.append([
                String(job.id), job.kind, job.state, "\(job.firstBlock)-\(job.lastBlock)", "\(job.attempts)/\(job.maxAttempts)",
                job.leaseOwner ?? "", String((job.lastError ?? "").prefix(80)),
            ])
        }
        TextTable.render(rows).forEach { print($0) }
    }
}

struct Retry: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Put dead, cancelled or backing-off jobs back to pending with fresh attempts.")
    @OptionGroup var options: CommonOptions
    @Argument(help: "Job ids.") var ids: [Int64] = []
    @Flag(name: .customLong("all-dead"), help: "Retry every dead job.") var allDead = false

    func validate() throws {
        if ids.isEmpty && !allDead { throw ValidationError("name job ids or pass --all-dead") }
    }

    func run() async throws {
        let requeued = try await withQueue(options) { queue, _ in try await queue.retry(ids: ids, allDead: allDead) }
        print("requeued \(requeued.count) jobs\(requeued.isEmpty ? "" : ": " + requeued.map(String.init).joined(separator: ", "))")
        if requeued.isEmpty && !ids.isEmpty { throw ExitCode(3) }
    }
}

struct Cancel: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Cancel jobs that have not succeeded; a running job's worker stops at its next heartbeat.")
    @OptionGroup var options: CommonOptions
    @Argument(help: "Job ids.") var ids: [Int64]

    func run() async throws {
        let cancelled = try await withQueue(options) { queue, _ in try await queue.cancel(ids: ids) }
        print("cancelled \(cancelled.count) jobs\(cancelled.isEmpty ? "" : ": " + cancelled.map(String.init).joined(separator: ", "))")
        if cancelled.count < ids.count { throw ExitCode(3) }
    }
}

struct Pause: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Stop workers from claiming jobs of a kind (running ones finish).")
    @OptionGroup var options: CommonOptions
    @Argument(help: "Job kind.") var kind: String

    func run() async throws {
        let kinds = try JobKind.parseList(kind, setting: "kind")
        try await withQueue(options) { queue, _ in
            for kind in kinds { try await queue.pause(kind, by: ProcessInfo.processInfo.hostName) }
        }
        print("paused \(kinds.map(\.rawValue).joined(separator: ", "))")
    }
}

struct Resume: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Let workers claim a paused kind again.")
    @OptionGroup var options: CommonOptions
    @Argument(help: "Job kind.") var kind: String

    func run() async throws {
        let kinds = try JobKind.parseList(kind, setting: "kind")
        try await withQueue(options) { queue, _ in
            for kind in kinds { try await queue.resume(kind) }
        }
        print("resumed \(kinds.map(\.rawValue).joined(separator: ", "))")
    }
}

struct Workers: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Workers in the fleet: live, stale or stopped, and what each holds.")
    @OptionGroup var options: CommonOptions
    @Flag(help: "Print as JSON.") var json = false

    func run() async throws {
        let workers = try await withQueue(options) { queue, logger in try await WorkerRegistry(client: queue.client, logger: logger).list() }
        if json { try printJSON(workers); return }
        var rows = [["id", "state", "kinds", "holds", "done", "failed", "last seen"]]
        for worker in workers {
            let state = worker.stoppedAt != nil ? "stopped" : (worker.secondsSinceSeen > 120 ? "stale" : "live")
            rows.append([
                worker.id, state, worker.kinds, worker.currentJobs.map(String.init).joined(separator: ","),
                String(worker.jobsDone), String(worker.jobsFailed), String(format: "%.0f s ago", worker.secondsSinceSeen),
            ])
        }
        TextTable.render(rows).forEach { print($0) }
    }
}

struct Reap: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run one reaper pass now: expired leases back to pending (or dead).")
    @OptionGroup var options: CommonOptions

    func run() async throws {
        let reaped = try await withQueue(options) { queue, _ in try await queue.reapExpiredLeases() }
        print("reaped \(reaped.count) expired leases")
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the coordinator: reaper and pruner under leader election (run several replicas for HA).")
    @OptionGroup var options: CommonOptions
    @Option(name: .customLong("reap-seconds"), help: "Reaper period (env BLOCKFLEET_REAP_SECONDS; default 5).") var reapSeconds: String?

    func run() async throws {
        let environment = Environment()
        let logger = try options.logger(environment, label: "blockfleet.coordinator")
        let database = try options.database(environment, applicationName: "blockfleet-coordinator")
        var configuration = try CoordinatorConfiguration(environment: environment)
        if let reapSeconds {
            configuration.reapInterval = try Environment.parseSeconds(reapSeconds, setting: "--reap-seconds", range: 0.05...3600)
        }
        let client = PostgresClient(configuration: try database.clientConfiguration(), backgroundLogger: logger)
        let queue = JobQueue(client: client, schema: database.schema, logger: logger)
        let leader = LeaderService(
            queue: queue, registry: WorkerRegistry(client: client, logger: logger), configuration: configuration, logger: logger
        )
        logger.info("coordinator starting", metadata: ["database": "\(database)"])
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: client), .init(service: leader)],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        ))
        try await group.run()
    }
}

// The coordinator's subcommands: each parses its flags and calls into Shared.

import ArgumentParser
import AsyncHTTPClient
import Foundation
import Logging
import ServiceLifecycle
import PostgresNIO
import Shared
import Synchronization

/// Opens the queue for a one-shot command, turning our errors into clear exits.
func withQueue<Result: Sendable>(_ options: CommonOptions, _ body: @Sendable (JobQueue, Logger) async throws -> Result) async throws -> Result {
    let environment = Environment()
    let logger = try options.logger(environment, label: "blockfleet.coordinator")
    let database = try options.database(environment, applicationName: "blockfleet-coordinator")
    return try await QueueDatabase.withClient(database, logger: logger) { client in
        // Fail in seconds with the database named, rather than after the pool's minute of retries.
        try await withDeadline(.seconds(10), "connecting to the queue database \(database)") {
            try await client.query("SELECT 1", logger: logger)
        }
        return try await body(JobQueue(client: client, schema: database.schema, logger: logger), logger)
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
    @Flag(help: "Print the ids as JSON.") var json = false

    func validate() throws {
        if ids.isEmpty && !allDead { throw ValidationError("name job ids or pass --all-dead") }
    }

    func run() async throws {
        let requeued = try await withQueue(options) { queue, _ in try await queue.retry(ids: ids, allDead: allDead) }
        if json {
            try printJSON(["requeued": requeued])
        } else {
            print("requeued \(requeued.count) jobs\(requeued.isEmpty ? "" : ": " + requeued.map(String.init).joined(separator: ", "))")
        }
        if requeued.isEmpty && !ids.isEmpty { throw ExitCode(3) }
    }
}

struct Cancel: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Cancel jobs that have not succeeded; a running job's worker stops at its next heartbeat.")
    @OptionGroup var options: CommonOptions
    @Argument(help: "Job ids.") var ids: [Int64]
    @Flag(help: "Print the ids as JSON.") var json = false

    func run() async throws {
        let cancelled = try await withQueue(options) { queue, _ in try await queue.cancel(ids: ids) }
        if json {
            try printJSON(["cancelled": cancelled])
        } else {
            print("cancelled \(cancelled.count) jobs\(cancelled.isEmpty ? "" : ": " + cancelled.map(String.init).joined(separator: ", "))")
        }
        if cancelled.count < ids.count { throw ExitCode(3) }
    }
}

struct Pause: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Stop workers from claiming jobs of a kind (running ones finish).")
    @OptionGroup var options: CommonOptions
    @Argument(help: "Job kind (or a comma-separated list).") var kind: String
    @Flag(help: "Print the paused kinds as JSON.") var json = false

    func run() async throws {
        let kinds = try JobKind.parseList(kind, setting: "kind")
        let paused = try await withQueue(options) { queue, _ in
            for kind in kinds { try await queue.pause(kind, by: ProcessInfo.processInfo.hostName) }
            return try await queue.pausedKinds().map(\.rawValue)
        }
        if json { try printJSON(["paused": paused]) } else { print("paused \(kinds.map(\.rawValue).joined(separator: ", ")); paused now: \(paused.joined(separator: ", "))") }
    }
}

struct Resume: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Let workers claim a paused kind again.")
    @OptionGroup var options: CommonOptions
    @Argument(help: "Job kind (or a comma-separated list).") var kind: String
    @Flag(help: "Print the kinds still paused as JSON.") var json = false

    func run() async throws {
        let kinds = try JobKind.parseList(kind, setting: "kind")
        let paused = try await withQueue(options) { queue, _ in
            for kind in kinds { try await queue.resume(kind) }
            return try await queue.pausedKinds().map(\.rawValue)
        }
        if json { try printJSON(["paused": paused]) } else { print("resumed \(kinds.map(\.rawValue).joined(separator: ", "))") }
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
            let state = worker.state()
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

    @Flag(help: "Print the reaped job ids as JSON.") var json = false

    func run() async throws {
        let reaped = try await withQueue(options) { queue, _ in try await queue.reapExpiredLeases() }
        if json { try printJSON(["reaped": reaped.map(\.id)]) } else { print("reaped \(reaped.count) expired leases") }
    }
}

struct Gaps: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Block spans with no succeeded export (default), or with load jobs not succeeded (--load). Exits 3 when there are gaps.")
    @OptionGroup var options: CommonOptions
    @Option(help: "First block (default: start of the planned span).") var from: Int64?
    @Option(help: "Last block (default: end of the planned span).") var to: Int64?
    @Flag(help: "Report load jobs (per entity) that have not succeeded instead of export gaps.") var load = false
    @Flag(help: "Print as JSON.") var json = false

    func validate() throws {
        if let from, let to, from > to { throw ValidationError("--from (\(from)) must not be greater than --to (\(to))") }
        if let from, from < 0 { throw ValidationError("--from must be ≥ 0") }
    }

    func run() async throws {
        let (from, to, load) = (from, to, load)
        let gaps: [BlockGap] = try await withQueue(options) { queue, _ in
            guard let planned = try await queue.exportSpan() ?? (from != nil && to != nil ? from!...to! : nil) else { return [] }
            let span = (from ?? planned.lowerBound)...(to ?? planned.upperBound)
            guard span.lowerBound <= span.upperBound else { return [] }
            return load ? try await queue.loadGaps(in: span) : try await queue.exportGaps(in: span)
        }
        if json {
            try printJSON(gaps)
        } else if gaps.isEmpty {
            print(load ? "every load job in the span succeeded" : "no gaps: every block in the span has a succeeded export")
        } else {
            var rows = load ? [["entity", "blocks", "count", "state"]] : [["blocks", "count"]]
            for gap in gaps {
                let blocks = "\(gap.firstBlock)-\(gap.lastBlock)"
                rows.append(load ? [gap.entity ?? "", blocks, String(gap.blocks), gap.state ?? ""] : [blocks, String(gap.blocks)])
            }
            TextTable.render(rows).forEach { print($0) }
            print("\(gaps.count) gaps, \(gaps.reduce(0) { $0 + $1.blocks }) blocks")
        }
        if !gaps.isEmpty { throw ExitCode(3) }
    }
}

struct Requeue: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Force re-export of a block span: every export job touching it goes back to pending (running ones are fenced off).")
    @OptionGroup var options: CommonOptions
    @Option(help: "First block.") var from: Int64
    @Option(help: "Last block (inclusive).") var to: Int64
    @Flag(help: "Print the ids as JSON.") var json = false

    func validate() throws {
        guard from >= 0, from <= to else { throw ValidationError("--from must be ≥ 0 and not greater than --to") }
    }

    func run() async throws {
        let (from, to) = (from, to)
        let ids = try await withQueue(options) { queue, _ in try await queue.requeueExports(from...to) }
        if json {
            try printJSON(["requeued": ids])
        } else {
            print("requeued \(ids.count) export jobs over blocks \(from)…\(to)")
        }
        if ids.isEmpty { throw ExitCode(3) }
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the coordinator: reaper and pruner under leader election (run several replicas for HA).")
    @OptionGroup var options: CommonOptions
    @Option(name: .customLong("reap-seconds"), help: "Reaper period (env BLOCKFLEET_REAP_SECONDS; default 5).") var reapSeconds: String?
    @Option(name: .customLong("http-port"), help: "Port of /metrics, /healthz, /readyz and the status page; 0 disables (env BLOCKFLEET_HTTP_PORT; default 8080).")
    var httpPort: String?
    @Flag(help: "Follow the chain: plan new export ranges up to the finalized block (env BLOCKFLEET_FOLLOW).") var follow = false
    @Option(name: .customLong("follow-seconds"), help: "How often follow mode reads the chain (env BLOCKFLEET_FOLLOW_SECONDS; default 12).") var followSeconds: String?
    @OptionGroup var followOptions: FollowOptions

    func run() async throws {
        let environment = Environment()
        let logger = try options.logger(environment, label: "blockfleet.coordinator")
        let database = try options.database(environment, applicationName: "blockfleet-coordinator")
        var configuration = try CoordinatorConfiguration(environment: environment)
        if let reapSeconds {
            configuration.reapInterval = try Environment.parseSeconds(reapSeconds, setting: "--reap-seconds", range: 0.05...3600)
        }
        var http = try OperationsHTTPConfiguration(environment: environment, defaultPort: OperationsHTTPConfiguration.coordinatorPort)
        try http.override(port: httpPort)
        var followConfiguration = try FollowConfiguration(environment: environment)
        if follow { followConfiguration.enabled = true }
        if let followSeconds {
            followConfiguration.interval = try Environment.parseSeconds(followSeconds, setting: "--follow-seconds", range: 0.05...3600)
        }
        var nodes = try NodePoolConfiguration(environment: environment)
        try followOptions.apply(to: &followConfiguration, nodes: &nodes)

        FleetMetrics.bootstrap()
        let client = PostgresClient(configuration: try database.clientConfiguration(), backgroundLogger: logger)
        let queue = JobQueue(client: client, schema: database.schema, logger: logger)
        let registry = WorkerRegistry(client: client, logger: logger)
        let queueMetrics = QueueMetrics(queue: queue, registry: registry)
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: client)]
        var planner: FollowPlanner?
        // Nodes named without --follow: the head is still read, for the head and lag metrics.
        let watchesHead = followConfiguration.enabled || !followOptions.rpcURLs.isEmpty || environment.string("BLOCKFLEET_RPC_URLS") != nil
        if watchesHead {
            let httpClient = HTTPClientService()
            services.append(.init(service: httpClient))
            planner = FollowPlanner(
                queue: queue,
                reader: ChainHeadReader(transport: JSONRPCTransport(http: httpClient.client, timeout: nodes.timeout), endpoints: nodes.endpoints, confirmations: followConfiguration.confirmations),
                configuration: followConfiguration, logger: logger, plans: followConfiguration.enabled,
                onTip: { tip in queueMetrics.chainTip.withLock { $0 = tip } }
            )
        }
        let leader = LeaderService(queue: queue, registry: registry, configuration: configuration, logger: logger, follow: planner)
        services.append(.init(service: leader))
        if http.isEnabled {
            services.append(.init(service: OperationsServer(configuration: http, endpoints: OperationsEndpoints(
                readiness: { await Readiness.database(client, logger: logger) },
                refreshMetrics: { await queueMetrics.refresh() },
                statusPage: {
                    try await StatusPage.load(from: queue, registry: registry, chainTip: queueMetrics.chainTip.withLock { $0 }).render()
                }
            ), logger: logger)))
        }
        logger.info("coordinator starting", metadata: [
            "database": "\(database)", "follow": "\(followConfiguration.enabled)",
            "rpc": "\(watchesHead ? nodes.endpoints.map(\.name).joined(separator: ",") : "-")",
        ])
        let group = ServiceGroup(configuration: .init(
            services: services,
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        ))
        try await group.run()
    }
}

struct Follow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "One follow-mode step now: plan export ranges from the highest planned block up to the nodes' finalized block (or head − confirmations). `serve --follow` does this continuously.")
    @OptionGroup var options: CommonOptions
    @OptionGroup var followOptions: FollowOptions
    @Flag(help: "Print the chain tip and the plan as JSON.") var json = false

    struct Outcome: Encodable {
        let tip: ChainTip
        let plan: PlanResult?
    }

    func run() async throws {
        let environment = Environment()
        var follow = try FollowConfiguration(environment: environment)
        var nodes = try NodePoolConfiguration(environment: environment)
        try followOptions.apply(to: &follow, nodes: &nodes)
        let (configuration, endpoints, timeout) = (follow, nodes.endpoints, nodes.timeout)
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: HTTPClientService.defaultConfiguration)
        let outcome: Outcome
        do {
            outcome = try await withQueue(options) { queue, logger in
                let reader = ChainHeadReader(transport: JSONRPCTransport(http: http, timeout: timeout), endpoints: endpoints, confirmations: configuration.confirmations)
                let tip = Mutex<ChainTip?>(nil)
                let plan = try await FollowPlanner(queue: queue, reader: reader, configuration: configuration, logger: logger, onTip: { value in tip.withLock { $0 = value } }).step()
                return Outcome(tip: tip.withLock { $0 }!, plan: plan)
            }
        } catch {
            try? await http.shutdown()
            throw error
        }
        try await http.shutdown()
        if json {
            try printJSON(outcome)
        } else if let plan = outcome.plan {
            print("planned \(plan.inserted) export jobs over blocks \(plan.firstBlock)…\(plan.lastBlock) (head \(outcome.tip.head), planning target \(outcome.tip.target))")
        } else {
            print("nothing new to plan: planning target \(outcome.tip.target) (head \(outcome.tip.head)) is already planned")
        }
    }
}

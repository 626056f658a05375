// `worker`: claims and runs BlockFleet jobs until SIGTERM.

import ArgumentParser
import AsyncHTTPClient
import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle
import Shared

@main
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "A stateless BlockFleet worker: claims jobs from the queue and runs them.",
        version: BlockFleet.version,
        subcommands: [Run.self, Export.self],
        defaultSubcommand: Run.self
    )
}

struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Claim and run jobs until SIGTERM, then finish or release what is held and exit 0.")
    @OptionGroup var options: CommonOptions
    @Option(help: "Worker id (env BLOCKFLEET_WORKER_ID; default host-pid-random).") var id: String?
    @Option(help: "Comma-separated job kinds to claim (env BLOCKFLEET_WORKER_KINDS; default all).") var kinds: String?
    @Option(help: "Jobs run at once (env BLOCKFLEET_WORKER_CONCURRENCY; default 4).") var concurrency: Int?
    @Option(name: .customLong("lease-seconds"), help: "Lease length (env BLOCKFLEET_LEASE_SECONDS; default 60).") var leaseSeconds: String?
    @Option(name: .customLong("heartbeat-seconds"), help: "Heartbeat period (env BLOCKFLEET_HEARTBEAT_SECONDS; default lease/3).") var heartbeatSeconds: String?
    @Option(name: .customLong("poll-seconds"), help: "Poll period without NOTIFY (env BLOCKFLEET_POLL_SECONDS; default 5).") var pollSeconds: String?
    @Option(name: .customLong("shutdown-grace-seconds"), help: "Time held jobs get after SIGTERM (env BLOCKFLEET_SHUTDOWN_GRACE_SECONDS; default 25).")
    var shutdownGraceSeconds: String?
    @Option(name: .customLong("http-port"), help: "Port of /metrics, /healthz and /readyz; 0 disables (env BLOCKFLEET_HTTP_PORT; default 9090).")
    var httpPort: String?

    func run() async throws {
        MallocTuning.keepLargeBuffers(keep: 256 << 20)
        let environment = Environment()
        let logger = try options.logger(environment, label: "blockfleet.worker")
        var database = try options.database(environment, applicationName: "blockfleet-worker")
        var configuration = try WorkerConfiguration(environment: environment)
        if let id { configuration.id = id }
        if let kinds { configuration.kinds = try JobKind.parseList(kinds, setting: "--kinds") }
        if let concurrency {
            guard (1...1024).contains(concurrency) else { throw ValidationError("--concurrency must be in 1...1024, got \(concurrency)") }
            configuration.concurrency = concurrency
        }
        if let leaseSeconds {
            configuration.lease = try Environment.parseSeconds(leaseSeconds, setting: "--lease-seconds", range: 1...86_400)
            if heartbeatSeconds == nil, environment.string("BLOCKFLEET_HEARTBEAT_SECONDS") == nil {
                configuration.heartbeatInterval = configuration.lease / 3
            }
        }
        if let heartbeatSeconds {
            configuration.heartbeatInterval = try Environment.parseSeconds(heartbeatSeconds, setting: "--heartbeat-seconds", range: 0.1...86_400)
        }
        if let pollSeconds { configuration.pollInterval = try Environment.parseSeconds(pollSeconds, setting: "--poll-seconds", range: 0.05...3600) }
        if let shutdownGraceSeconds {
            configuration.shutdownGrace = try Environment.parseSeconds(shutdownGraceSeconds, setting: "--shutdown-grace-seconds", range: 0...3600)
        }
        try configuration.validate()
        var listener = try OperationsHTTPConfiguration(environment: environment, defaultPort: OperationsHTTPConfiguration.workerPort)
        try listener.override(port: httpPort)
        FleetMetrics.bootstrap()
        // Job slots, the LISTEN connection, heartbeats and completions each need a connection.
        database.maximumConnections = max(database.maximumConnections, configuration.concurrency + 4)

        let nodes = try NodePoolConfiguration(environment: environment)
        let traces = try TraceConfiguration(environment: environment)
        let staging = try StagingLocation(environment: environment)
        let scratch = URL(fileURLWithPath: environment.string("BLOCKFLEET_SCRATCH_DIR") ?? FileManager.default.temporaryDirectory.appendingPathComponent("blockfleet-scratch").path)
        let warehouse = configuration.kinds.contains(.load) || configuration.kinds.contains(.model)
            ? try WarehouseConfiguration(environment: environment, queueDatabase: database) : nil
        // Read at start-up, so a bad model file stops the worker instead of failing every model job.
        let models = configuration.kinds.contains(.model) ? try ModelConfiguration(environment: environment) : nil
        let catalog = try models?.catalog()
        let gzipLevel = try environment.int("BLOCKFLEET_STAGING_GZIP_LEVEL", range: 1...9)
        let warehouseClientConfiguration = try warehouse.map { warehouse in
            var database = warehouse.database
            database.maximumConnections = configuration.concurrency + 1
            return try database.clientConfiguration()
        }
        // The model stage's own login (BLOCKFLEET_MODEL_WAREHOUSE_URL), when set.
        let modelClientConfiguration = try warehouse?.modelDatabase.map { model in
            var database = model
            database.maximumConnections = configuration.concurrency + 1
            return try database.clientConfiguration()
        }
        // Every setting is read above: a bad one must stop the process before the clients below
        // exist (AsyncHTTPClient traps when a client is dropped without shutdown).

        let client = PostgresClient(configuration: try database.clientConfiguration(), backgroundLogger: logger)
        let http = HTTPClientService()
        let pool = NodePool(configuration: nodes, http: http.client, logger: logger)
        // S3 gets a client of its own: no redirects or decompression, and its own connection pool.
        let storageHTTP = HTTPClientService(client: HTTPClient(eventLoopGroupProvider: .singleton, configuration: S3Client.recommendedHTTPClientConfiguration))
        let store: any StagingStore
        do {
            store = try StagingStores.make(staging, environment: environment, http: storageHTTP.client, logger: logger)
        } catch {
            // A bad S3 or AWS setting: shut the clients down, so the process exits with the message.
            try? await http.client.shutdown()
            try? await storageHTTP.client.shutdown()
            throw error
        }
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: client), .init(service: http), .init(service: storageHTTP)]
        var runners = WorkerService.drillRunners
        var exporter = RangeExporter(fetcher: BlockFetcher(pool: pool, traces: traces))
        if let gzipLevel { exporter.gzipLevel = Int32(gzipLevel) }
        runners[.export] = ExportJobRunner(
            exporter: exporter, store: store,
            keys: StagingKeys(prefix: staging.keyPrefix), scratchRoot: scratch
        )
        if let warehouse, let warehouseClientConfiguration {
            let warehouseClient = PostgresClient(configuration: warehouseClientConfiguration, backgroundLogger: logger)
            services.append(.init(service: warehouseClient))
            if configuration.kinds.contains(.load) {
                runners[.load] = LoadJobRunner(
                    warehouse: Warehouses.make(warehouse, client: warehouseClient, store: store, logger: logger),
                    stagingLocation: staging
                )
            }
            if let catalog {
                var modelClient = warehouseClient
                if let modelClientConfiguration {
                    modelClient = PostgresClient(configuration: modelClientConfiguration, backgroundLogger: logger)
                    services.append(.init(service: modelClient))
                }
                runners[.model] = ModelJobRunner(client: modelClient, dialect: warehouse.dialect, schema: warehouse.schema, catalog: catalog, logger: logger)
                logger.info("running models", metadata: ["models": "\(catalog.models.map(\.name).joined(separator: ","))", "folder": "\(models?.directory ?? "none")"])
            }
            logger.info("loading into \(warehouse.dialect.rawValue) warehouse", metadata: ["database": "\(warehouse.database)", "schema": "\(warehouse.schema)"])
        }
        let queue = JobQueue(client: client, schema: database.schema, logger: logger)
        let worker = WorkerService(
            queue: queue, registry: WorkerRegistry(client: client, logger: logger),
            runners: runners, configuration: configuration, logger: logger
        )
        logger.info("worker starting", metadata: ["id": "\(configuration.id)", "database": "\(database)", "staging": "\(staging)"])
        services.append(.init(service: worker))
        if listener.isEnabled {
            services.append(.init(service: OperationsServer(configuration: listener, endpoints: OperationsEndpoints(readiness: {
                guard worker.isReady else { return "not claiming (starting up or shutting down)" }
                return await Readiness.database(client, logger: logger)
            }), logger: logger)))
        }
        let group = ServiceGroup(configuration: .init(
            services: services,
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        ))
        try await group.run()
    }
}

// A worker process's services, built from its configuration: the executable only parses flags.

import AsyncHTTPClient
import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle

/// Wires a worker: the queue client, the node pool, the staging store, the warehouse, one runner
/// per job kind, the claim loop and the operations listener, as one `ServiceGroup` that stops on
/// SIGTERM or SIGINT (services stop in reverse order, so clients outlive their users).
public enum WorkerApplication {
    public static func build(configuration: WorkerApplicationConfiguration, logger: Logger) async throws -> ServiceGroup {
        FleetMetrics.bootstrap()
        let client = PostgresClient(configuration: try configuration.database.clientConfiguration(), backgroundLogger: logger)
        let http = HTTPClientService()
        // S3 gets a client of its own: no redirects or decompression, and its own connection pool.
        let storageHTTP = HTTPClientService(client: HTTPClient(eventLoopGroupProvider: .singleton, configuration: S3Client.recommendedHTTPClientConfiguration))
        // A bad S3 or AWS setting: the clients are shut down, so the process exits with the message.
        let store = try await HTTPClientService.shuttingDown([http.client, storageHTTP.client]) {
            try StagingStores.make(configuration.staging, environment: configuration.environment, http: storageHTTP.client, logger: logger)
        }
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: client), .init(service: http), .init(service: storageHTTP)]
        var runners = WorkerService.drillRunners
        let pool = NodePool(configuration: configuration.nodes, http: http.client, logger: logger)
        var exporter = RangeExporter(fetcher: BlockFetcher(pool: pool, traces: configuration.traces))
        exporter.gzipLevel = configuration.exportJobs.gzipLevel
        var exportRunner = ExportJobRunner(
            exporter: exporter, store: store,
            keys: StagingKeys(prefix: configuration.staging.keyPrefix), scratchRoot: configuration.exportJobs.scratchDirectory
        )
        if let lake = configuration.exportJobs.lake {
            let lakeStore = try await HTTPClientService.shuttingDown([http.client, storageHTTP.client]) {
                try StagingStores.make(lake, environment: configuration.environment, http: storageHTTP.client, logger: logger)
            }
            exportRunner.lake = LakeDestination(store: lakeStore, keys: LakeKeys(prefix: lake.keyPrefix))
            // Lake keys are shared by every attempt of a range: each write checks the lease first.
            exportRunner.fence = JobQueue(client: client, schema: configuration.database.schema, logger: logger)
            logger.info("export jobs also write the lake", metadata: ["lake": "\(lake)"])
        }
        runners[.export] = exportRunner
        if let warehouse = configuration.warehouse {
            let warehouseClient = PostgresClient(configuration: try warehouse.database.clientConfiguration(), backgroundLogger: logger)
            services.append(.init(service: warehouseClient))
            if configuration.worker.kinds.contains(.load) {
                runners[.load] = LoadJobRunner(
                    warehouse: Warehouses.make(warehouse, client: warehouseClient, store: store, logger: logger),
                    stagingLocation: configuration.staging
                )
            }
            if let catalog = configuration.catalog {
                var modelClient = warehouseClient
                if let model = warehouse.modelDatabase {
                    modelClient = PostgresClient(configuration: try model.clientConfiguration(), backgroundLogger: logger)
                    services.append(.init(service: modelClient))
                }
                var decoding: DecodeStage?
                if let tables = configuration.decodedTables, !tables.definitions.isEmpty {
                    decoding = try DecodeStage(definitions: tables.definitions, waitSeconds: configuration.decoding?.waitSeconds ?? 30)
                    logger.info("decoding tables", metadata: ["tables": "\(tables.definitions.count)", "folder": "\(configuration.decoding?.directory ?? "none")"])
                }
                // Redshift: decoded rows are staged where exports are, and COPYed with the loader's role.
                var redshiftDecoding: RedshiftDecodeTarget?
                if warehouse.dialect == .redshift, let iamRole = warehouse.iamRole {
                    redshiftDecoding = RedshiftDecodeTarget(store: store, iamRole: iamRole, region: warehouse.copyRegion, prefix: configuration.staging.keyPrefix)
                }
                runners[.model] = ModelJobRunner(client: modelClient, dialect: warehouse.dialect, schema: warehouse.schema, catalog: catalog, decoding: decoding,
                                                 redshiftDecoding: redshiftDecoding, queue: JobQueue(client: client, schema: configuration.database.schema, logger: logger), logger: logger)
                logger.info("running models", metadata: ["models": "\(catalog.models.map(\.name).joined(separator: ","))", "folder": "\(configuration.models?.directory ?? "none")"])
            }
            logger.info("loading into \(warehouse.dialect.rawValue) warehouse", metadata: ["database": "\(warehouse.database)", "schema": "\(warehouse.schema)"])
        }
        let queue = JobQueue(client: client, schema: configuration.database.schema, logger: logger)
        var listenClient: PostgresClient?
        if let listen = configuration.listenDatabase, configuration.worker.listens {
            let client = PostgresClient(configuration: try listen.clientConfiguration(), backgroundLogger: logger)
            services.append(.init(service: client))
            listenClient = client
        }
        let worker = WorkerService(
            queue: queue, registry: WorkerRegistry(client: client, logger: logger),
            runners: runners, configuration: configuration.worker, logger: logger, listenClient: listenClient
        )
        logger.info("worker starting", metadata: ["id": "\(configuration.worker.id)", "database": "\(configuration.database)", "staging": "\(configuration.staging)"])
        services.append(.init(service: worker))
        if configuration.http.isEnabled {
            services.append(.init(service: OperationsServer(configuration: configuration.http, endpoints: OperationsEndpoints(readiness: {
                guard worker.isReady else { return "not claiming (starting up or shutting down)" }
                return await Readiness.database(client, logger: logger)
            }), logger: logger)))
        }
        return ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
    }
}

// A coordinator process's services, built from its configuration: the executable only parses flags.

import Logging
import PostgresNIO
import ServiceLifecycle

/// Wires `coordinator serve`: the queue client, the leader (reaper, pruner, reorg guard, follow
/// mode), the node client when the head is watched, and the operations listener with the status
/// page, as one `ServiceGroup` that stops on SIGTERM or SIGINT.
public enum CoordinatorApplication {
    public static func build(configuration: CoordinatorApplicationConfiguration, logger: Logger) throws -> ServiceGroup {
        FleetMetrics.bootstrap()
        let client = PostgresClient(configuration: try configuration.database.clientConfiguration(), backgroundLogger: logger)
        let queue = JobQueue(client: client, schema: configuration.database.schema, logger: logger)
        let registry = WorkerRegistry(client: client, logger: logger)
        let queueMetrics = QueueMetrics(queue: queue, registry: registry)
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: client)]
        var planner: FollowPlanner?
        if configuration.watchesHead {
            let httpClient = HTTPClientService()
            services.append(.init(service: httpClient))
            planner = FollowPlanner(
                queue: queue,
                reader: ChainHeadReader(
                    transport: JSONRPCTransport(http: httpClient.client, timeout: configuration.nodes.timeout), endpoints: configuration.nodes.endpoints,
                    confirmations: configuration.follow.confirmations, logger: logger
                ),
                configuration: configuration.follow, logger: logger, plans: configuration.follow.enabled,
                onTip: { tip in queueMetrics.chainTip.withLock { $0 = tip } }
            )
        }
        var leaderQueue = queue
        if let direct = configuration.directDatabase {
            let directClient = PostgresClient(configuration: try direct.clientConfiguration(), backgroundLogger: logger)
            services.append(.init(service: directClient))
            leaderQueue = JobQueue(client: directClient, schema: direct.schema, logger: logger)
        }
        let leader = LeaderService(queue: leaderQueue, registry: registry, configuration: configuration.coordinator, logger: logger, follow: planner)
        services.append(.init(service: leader))
        if configuration.http.isEnabled {
            let statusPage = StatusPageCache {
                try await StatusPage.load(from: queue, registry: registry, chainTip: queueMetrics.chainTip.withLock { $0 }).render()
            }
            services.append(.init(service: OperationsServer(configuration: configuration.http, endpoints: OperationsEndpoints(
                readiness: { await Readiness.database(client, logger: logger) },
                refreshMetrics: { await queueMetrics.refresh() },
                statusPage: { try await statusPage.page() },
                liveness: { leader.liveness() }
            ), logger: logger)))
        }
        logger.info("coordinator starting", metadata: [
            "database": "\(configuration.database)", "follow": "\(configuration.follow.enabled)",
            "rpc": "\(configuration.watchesHead ? configuration.nodes.endpoints.map(\.name).joined(separator: ",") : "-")",
        ])
        return ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
    }
}

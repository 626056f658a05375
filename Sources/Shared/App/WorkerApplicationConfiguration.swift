// Everything a worker process reads at start-up, in one struct, validated before any client exists.

import Foundation

/// The worker's settings: each part is a configuration struct with its documented defaults, read
/// from the environment (flags are an overlay on it, `Environment.overlaid`). Reading it is the
/// only place a setting is parsed and checked, so a bad one stops the process with its name before
/// any client is created.
public struct WorkerApplicationConfiguration: Sendable {
    /// The queue database (`BLOCKFLEET_DATABASE_URL`, `--database-url`), sized for the job slots.
    public var database: DatabaseConfiguration
    /// The connection the worker LISTENs on for new jobs (`BLOCKFLEET_DATABASE_DIRECT_URL`); nil:
    /// one of `database`'s. Set it when `database` goes through PgBouncer in transaction mode,
    /// which does not deliver notifications: statements then share PgBouncer's server connections
    /// and only this idle one per worker reaches PostgreSQL directly (docs/scale.md).
    public var listenDatabase: DatabaseConfiguration?
    public var worker: WorkerConfiguration
    /// `/metrics`, `/healthz`, `/readyz` (`BLOCKFLEET_HTTP_HOST`, `BLOCKFLEET_HTTP_PORT`; default port 9090).
    public var http: OperationsHTTPConfiguration
    public var nodes: NodePoolConfiguration
    public var traces: TraceConfiguration
    public var staging: StagingLocation
    public var exportJobs: ExportJobConfiguration
    /// Set when the worker runs load or model jobs.
    public var warehouse: WarehouseConfiguration?
    /// Set when the worker runs model jobs; its catalog is read now, so a bad model file stops the
    /// worker instead of failing every model job.
    public var models: ModelConfiguration?
    public var catalog: ModelCatalog?
    /// The decoded tables a model-running worker decodes (`BLOCKFLEET_PARSE_DIR`), read and checked
    /// now: a refused definition file stops the worker naming the file.
    public var decoding: DecodeConfiguration?
    public var decodedTables: DecodedTableCatalog?
    /// For the staging store's S3 and AWS settings, read when the store is made.
    public let environment: Environment

    public init(environment: Environment, database: DatabaseConfiguration) throws {
        self.environment = environment
        worker = try WorkerConfiguration(environment: environment)
        var database = database
        // Two queue connections per worker, whatever its concurrency (issue 22's budget): the LISTEN
        // connection and one for claims, heartbeats and completions, which take milliseconds each
        // and have deadlines (WorkerConfiguration.statementTimeout). Measured: 4 slots of 50 ms
        // sleep jobs ran at the same rate (~65 jobs/s) with 2 connections as with 5.
        database.maximumConnections = 2
        self.database = database
        if var listen = try DatabaseConfiguration.direct(in: environment, pooled: database) {
            listen.maximumConnections = 1
            listenDatabase = listen
        }
        http = try OperationsHTTPConfiguration(environment: environment, defaultPort: OperationsHTTPConfiguration.workerPort)
        nodes = try NodePoolConfiguration(environment: environment)
        traces = try TraceConfiguration(environment: environment)
        staging = try StagingLocation(environment: environment)
        exportJobs = try ExportJobConfiguration(environment: environment)
        if worker.kinds.contains(.load) || worker.kinds.contains(.model) {
            var warehouse = try WarehouseConfiguration(environment: environment, queueDatabase: database)
            warehouse.database.maximumConnections = worker.concurrency + 1
            _ = try warehouse.database.clientConfiguration()
            // The model stage's own login (BLOCKFLEET_MODEL_WAREHOUSE_URL), when set.
            if var model = warehouse.modelDatabase {
                model.maximumConnections = worker.concurrency + 1
                _ = try model.clientConfiguration()
                warehouse.modelDatabase = model
            }
            self.warehouse = warehouse
        }
        if worker.kinds.contains(.model) {
            let models = try ModelConfiguration(environment: environment)
            self.models = models
            catalog = try models.catalog()
            let decoding = try DecodeConfiguration(environment: environment)
            self.decoding = decoding
            decodedTables = try decoding.catalog()
            if let tables = decodedTables, !tables.definitions.isEmpty, let warehouse, warehouse.dialect == .redshift {
                // Redshift COPYs decoded rows from the staging store: it must be S3 (the role is
                // required of any Redshift warehouse).
                guard case .s3 = staging else {
                    throw ConfigurationError(.invalidValue, setting: "BLOCKFLEET_PARSE_DIR", "decoded tables on Redshift are staged for COPY, which reads S3: BLOCKFLEET_STAGING_URL is \(staging)")
                }
                // The built-in erc1155_transfers model is Postgres SQL; on Redshift the two
                // decoded tables are written without it (see docs/decoding.md).
            }
            // ERC-1155 transfers flattened, when both of their decoded tables are.
            if let tables = decodedTables, warehouse?.dialect == .postgres, let erc1155 = ERC1155TransfersModel.model(for: tables.definitions), let models = catalog?.models {
                catalog = try ModelCatalog(models + [erc1155])
            }
        }
        _ = try database.clientConfiguration()
    }
}

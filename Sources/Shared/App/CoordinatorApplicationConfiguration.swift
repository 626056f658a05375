// Everything `coordinator serve` reads at start-up, in one struct, validated before any client exists.

/// The coordinator's settings: each part is a configuration struct with its documented defaults,
/// read from the environment (flags are an overlay on it, `Environment.overlaid`).
public struct CoordinatorApplicationConfiguration: Sendable {
    /// The queue database (`BLOCKFLEET_DATABASE_URL`, `--database-url`).
    public var database: DatabaseConfiguration
    /// The leader's connection (`BLOCKFLEET_DATABASE_DIRECT_URL`): its lock is a session advisory
    /// lock, which a transaction-pooling PgBouncer cannot hold. Nil: `database`.
    public var directDatabase: DatabaseConfiguration?
    public var coordinator: CoordinatorConfiguration
    /// `/metrics`, `/healthz`, `/readyz` and the status page (`BLOCKFLEET_HTTP_HOST`, `BLOCKFLEET_HTTP_PORT`; default port 8080).
    public var http: OperationsHTTPConfiguration
    public var follow: FollowConfiguration
    public var nodes: NodePoolConfiguration
    /// Whether the chain head is read: in follow mode, or when nodes are named without it (for the
    /// head and lag metrics). Default: when `BLOCKFLEET_RPC_URLS` (`--rpc-url`) is set or follow mode is on.
    public var watchesHead: Bool

    public init(environment: Environment, database: DatabaseConfiguration) throws {
        self.database = database
        directDatabase = try DatabaseConfiguration.direct(in: environment, pooled: database)
        coordinator = try CoordinatorConfiguration(environment: environment)
        http = try OperationsHTTPConfiguration(environment: environment, defaultPort: OperationsHTTPConfiguration.coordinatorPort)
        follow = try FollowConfiguration(environment: environment)
        nodes = try NodePoolConfiguration(environment: environment)
        watchesHead = follow.enabled || environment.string("BLOCKFLEET_RPC_URLS") != nil
        _ = try database.clientConfiguration()
    }
}

// How the node pool talks to its replicas; every field has a documented default.

/// Settings of the JSON-RPC node pool. Environment variables set them; flags override.
public struct NodePoolConfiguration: Sendable {
    /// The replicas (`BLOCKFLEET_RPC_URLS`, comma-separated). Default: a local node on 8545.
    public var endpoints: [RPCEndpoint]
    /// Calls per HTTP batch to start with; halved for a node that refuses the size. Default 100
    /// (`BLOCKFLEET_RPC_BATCH_SIZE`): within Erigon's limit, and a 100-block batch of full blocks
    /// stays well under geth's 25 MB response cap.
    public var batchSize: Int
    /// Per-HTTP-request timeout. Default 30 s (`BLOCKFLEET_RPC_TIMEOUT_SECONDS`).
    public var timeout: Duration
    /// Attempts per call before the pool gives up. Default 6 (`BLOCKFLEET_RPC_ATTEMPTS`).
    public var attempts: Int
    /// Backoff between attempts (jittered, doubled, capped). Default 0.2 s … 5 s.
    public var backoff: Backoff
    /// Calls per second allowed per endpoint, for hosted nodes; nil = unlimited (`BLOCKFLEET_RPC_RATE_LIMIT`).
    public var rateLimit: Double?
    /// Consecutive failures that open an endpoint's circuit. Default 5.
    public var breakerThreshold: Int
    /// How long an open circuit stays open before one trial call. Default 5 s (doubling to 60 s).
    public var breakerCooldown: Duration
    /// How long a replica's known head stays fresh. Default 2 s.
    public var headTTL: Duration

    public init(
        endpoints: [RPCEndpoint],
        batchSize: Int = 100,
        timeout: Duration = .seconds(30),
        attempts: Int = 6,
        backoff: Backoff = Backoff(base: .milliseconds(200), cap: .seconds(5), jitter: 0.5),
        rateLimit: Double? = nil,
        breakerThreshold: Int = 5,
        breakerCooldown: Duration = .seconds(5),
        headTTL: Duration = .seconds(2)
    ) {
        self.endpoints = endpoints
        self.batchSize = batchSize
        self.timeout = timeout
        self.attempts = attempts
        self.backoff = backoff
        self.rateLimit = rateLimit
        self.breakerThreshold = breakerThreshold
        self.breakerCooldown = breakerCooldown
        self.headTTL = headTTL
    }

    public static let defaultURL = "http://127.0.0.1:8545"

    public init(environment: Environment) throws(ConfigurationError) {
        self.init(endpoints: try RPCEndpoint.parseList(environment.string("BLOCKFLEET_RPC_URLS") ?? NodePoolConfiguration.defaultURL, setting: environment.setting("BLOCKFLEET_RPC_URLS")))
        if let size = try environment.int("BLOCKFLEET_RPC_BATCH_SIZE", range: 1...10_000) { batchSize = size }
        if let timeout = try environment.seconds("BLOCKFLEET_RPC_TIMEOUT_SECONDS", range: 0.1...600) { self.timeout = timeout }
        if let attempts = try environment.int("BLOCKFLEET_RPC_ATTEMPTS", range: 1...100) { self.attempts = attempts }
        if let text = environment.string("BLOCKFLEET_RPC_RATE_LIMIT") {
            guard let rate = Double(text), rate > 0, rate.isFinite else {
                throw ConfigurationError(.invalidValue, setting: environment.setting("BLOCKFLEET_RPC_RATE_LIMIT"), "'\(text)' is not a positive number of calls per second")
            }
            rateLimit = rate
        }
    }
}

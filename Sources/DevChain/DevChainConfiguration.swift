// DevChainConfiguration: every setting of a devchain process, with its documented default.

import NIOCore

/// Built by the command from flags; the server and backends read only this.
struct DevChainConfiguration: Sendable, Equatable {
    /// Which chain is served.
    enum Mode: Sendable, Equatable {
        /// Recorded ethereum-etl fixture responses from one case directory.
        case replay(directory: String)
        /// A deterministic synthetic chain.
        case synthetic(SyntheticChainParameters)
    }

    /// Interface to bind (default 127.0.0.1: a dev node is never exposed).
    var host: String
    /// TCP port (default 8545, geth's; 0 picks a free port).
    var port: Int
    var mode: Mode
    /// Fraction of requests answered with HTTP 500, HTTP 429 or JSON-RPC -32000 (default 0).
    var errorRate: Double
    /// Requests per second the whole server accepts before answering 429 (default nil: unlimited).
    var rateLimit: Double?
    /// Delay added before every HTTP response, in milliseconds (default 0).
    var latencyMilliseconds: Int
    /// This replica reports head − lagBlocks and answers null above it (default 0).
    var lagBlocks: UInt64
    /// Fraction of requests whose connection is closed without a response (default 0).
    var dropConnectionRate: Double
    /// Maximum calls in one batch (default 1000, geth's BatchRequestLimit).
    var batchLimit: Int
    /// Maximum bytes of results in one batch response (default 25 MB, geth's BatchResponseMaxSize).
    var responseSizeLimit: Int
    /// Seed of the fault decisions (default 0).
    var faultSeed: UInt64
    /// Rendered synthetic blocks kept in memory (default 1024, ≈ 0.3 GB at 100 txs per block).
    var cacheBlocks: Int
    /// Widest eth_getLogs block range (default 10000).
    var maxLogsBlockRange: UInt64
    /// Largest accepted request body (default 5 MiB, geth's maxRequestContentLength).
    var maxRequestBytes: Int
    /// Event-loop threads (default: one per core).
    var threads: Int
    /// Synthetic head at start (default nil: the last block) and blocks added per second up to
    /// the last block (default 0: a fixed head), for follow-mode tests.
    var startHead: UInt64? = nil
    var growPerSecond: Double = 0
    /// JSON-RPC namespaces answered with "method not found" (default none; `debug`, `trace`).
    var disabledNamespaces: Set<String> = []
    /// Render every synthetic block before listening and keep them all (default false), so a
    /// benchmark measures serving precomputed bytes, not rendering; the cache then holds the
    /// whole chain (≈ 0.23 MB per 100-transaction block).
    var precompute = false

    init(host: String = "127.0.0.1", port: Int = 8545, mode: Mode, errorRate: Double = 0, rateLimit: Double? = nil,
         latencyMilliseconds: Int = 0, lagBlocks: UInt64 = 0, dropConnectionRate: Double = 0, batchLimit: Int = 1000,
         responseSizeLimit: Int = 25 * 1000 * 1000, faultSeed: UInt64 = 0, cacheBlocks: Int = 1024,
         maxLogsBlockRange: UInt64 = 10_000, maxRequestBytes: Int = 5 * 1024 * 1024, threads: Int = 0) {
        self.host = host
        self.port = port
        self.mode = mode
        self.errorRate = errorRate
        self.rateLimit = rateLimit
        self.latencyMilliseconds = latencyMilliseconds
        self.lagBlocks = lagBlocks
        self.dropConnectionRate = dropConnectionRate
        self.batchLimit = batchLimit
        self.responseSizeLimit = responseSizeLimit
        self.faultSeed = faultSeed
        self.cacheBlocks = cacheBlocks
        self.maxLogsBlockRange = maxLogsBlockRange
        self.maxRequestBytes = maxRequestBytes
        self.threads = threads
    }

    /// Builds the backend for the configured mode.
    func makeBackend() throws(DevChainError) -> any RPCBackend {
        switch mode {
        case .replay(let directory):
            return try ReplayBackend.load(directory: directory, lagBlocks: lagBlocks)
        case .synthetic(let parameters):
            let capacity = precompute ? max(cacheBlocks, Int(clamping: parameters.blockCount) + 1) : cacheBlocks
            let chain = SyntheticChain(parameters: parameters, lagBlocks: lagBlocks, cacheCapacity: capacity, startHead: startHead, growPerSecond: growPerSecond)
            if precompute { chain.precompute(threads: threads > 0 ? threads : System.coreCount) }
            return SyntheticBackend(chain: chain, maxLogsBlockRange: maxLogsBlockRange, disabledNamespaces: disabledNamespaces)
        }
    }

    func makeDispatcher() throws(DevChainError) -> RPCDispatcher {
        RPCDispatcher(
            backend: try makeBackend(),
            faults: FaultInjector(errorRate: errorRate, dropRate: dropConnectionRate, seed: faultSeed),
            rateLimiter: rateLimit.map { RateLimiter(ratePerSecond: $0) },
            batchLimit: batchLimit,
            responseSizeLimit: responseSizeLimit
        )
    }
}

// How a worker claims and runs jobs; every field has a documented default.

import Foundation

/// Settings of one worker process. Environment variables set them; flags override.
public struct WorkerConfiguration: Sendable {
    /// Unique id in the `workers` table and in `lease_owner`. Default: `host-pid-random`.
    public var id: String
    /// Kinds this worker claims. Default: every kind it has a runner for.
    public var kinds: [JobKind]
    /// Jobs run at once. Default 4 (`BLOCKFLEET_WORKER_CONCURRENCY`).
    public var concurrency: Int
    /// Lease length; a job whose worker stops heartbeating is reaped this long after its last beat.
    /// Default 60 s (`BLOCKFLEET_LEASE_SECONDS`).
    public var lease: Duration
    /// Heartbeat period. Default a third of the lease, so two beats can be lost before expiry.
    public var heartbeatInterval: Duration
    /// Poll period when no NOTIFY arrives (jittered ±20 %). Default 5 s (`BLOCKFLEET_POLL_SECONDS`).
    public var pollInterval: Duration
    /// Whether an idle worker LISTENs for new jobs. Default true (`BLOCKFLEET_LISTEN`). Off, it
    /// polls only: one queue connection instead of two, and no wake-up on every NOTIFY — for a
    /// backfill, where workers are never idle and each notification only wakes the idle ones to
    /// claims that find nothing (docs/scale.md §7).
    public var listens: Bool
    /// On SIGTERM: how long held jobs may run on before they are released. Default 25 s, below
    /// Kubernetes' 30 s termination grace (`BLOCKFLEET_SHUTDOWN_GRACE_SECONDS`).
    public var shutdownGrace: Duration
    /// How long start-up may wait for the database before the process exits with an error.
    /// Default 30 s (`BLOCKFLEET_STARTUP_TIMEOUT_SECONDS`).
    public var startupTimeout: Duration
    /// Backoff of failed jobs (`BLOCKFLEET_RETRY_BASE_SECONDS`, `BLOCKFLEET_RETRY_MAX_SECONDS`).
    public var backoff: Backoff
    /// A job is abandoned this long before its lease can have expired (counted from when the claim
    /// or the last extending heartbeat was sent), however the database connection behaves, so no
    /// job runs on once another worker may hold it. Default nil: a sixth of the lease
    /// (`BLOCKFLEET_LEASE_MARGIN_SECONDS`).
    public var leaseMargin: Duration?
    /// Longest a queue statement (claim, heartbeat, completion, …) waits for its answer before its
    /// connection is closed and the statement given up; heartbeats wait at most one heartbeat
    /// period. Default 30 s (`BLOCKFLEET_STATEMENT_TIMEOUT_SECONDS`).
    public var statementTimeout: Duration

    /// The margin in force: `leaseMargin`, or a sixth of the lease.
    public var effectiveLeaseMargin: Duration { leaseMargin ?? lease / 6 }

    public init(
        id: String = WorkerConfiguration.defaultID(),
        kinds: [JobKind] = JobKind.known,
        concurrency: Int = 4,
        lease: Duration = .seconds(60),
        heartbeatInterval: Duration? = nil,
        pollInterval: Duration = .seconds(5),
        listens: Bool = true,
        shutdownGrace: Duration = .seconds(25),
        startupTimeout: Duration = .seconds(30),
        backoff: Backoff = Backoff(),
        leaseMargin: Duration? = nil,
        statementTimeout: Duration = .seconds(30)
    ) {
        self.startupTimeout = startupTimeout
        self.leaseMargin = leaseMargin
        self.statementTimeout = statementTimeout
        self.id = id
        self.kinds = kinds
        self.concurrency = concurrency
        self.lease = lease
        self.heartbeatInterval = heartbeatInterval ?? lease / 3
        self.pollInterval = pollInterval
        self.listens = listens
        self.shutdownGrace = shutdownGrace
        self.backoff = backoff
    }

    /// Reads the `BLOCKFLEET_*` variables, naming any bad one.
    public init(environment: Environment) throws(ConfigurationError) {
        self.init()
        if let id = environment.string("BLOCKFLEET_WORKER_ID") { self.id = id }
        if let kinds = environment.string("BLOCKFLEET_WORKER_KINDS") {
            self.kinds = try JobKind.parseList(kinds, setting: environment.setting("BLOCKFLEET_WORKER_KINDS"))
        }
        if let concurrency = try environment.int("BLOCKFLEET_WORKER_CONCURRENCY", range: 1...1024) { self.concurrency = concurrency }
        if let lease = try environment.seconds("BLOCKFLEET_LEASE_SECONDS", range: 1...86_400) {
            self.lease = lease
            self.heartbeatInterval = lease / 3
        }
        if let beat = try environment.seconds("BLOCKFLEET_HEARTBEAT_SECONDS", range: 0.1...86_400) { self.heartbeatInterval = beat }
        if let poll = try environment.seconds("BLOCKFLEET_POLL_SECONDS", range: 0.05...3600) { self.pollInterval = poll }
        if let listens = try environment.bool("BLOCKFLEET_LISTEN") { self.listens = listens }
        if let grace = try environment.seconds("BLOCKFLEET_SHUTDOWN_GRACE_SECONDS", range: 0...3600) { self.shutdownGrace = grace }
        if let startup = try environment.seconds("BLOCKFLEET_STARTUP_TIMEOUT_SECONDS", range: 1...3600) { self.startupTimeout = startup }
        if let base = try environment.seconds("BLOCKFLEET_RETRY_BASE_SECONDS", range: 0...86_400) { self.backoff.base = base }
        if let cap = try environment.seconds("BLOCKFLEET_RETRY_MAX_SECONDS", range: 0...604_800) { self.backoff.cap = cap }
        if let margin = try environment.seconds("BLOCKFLEET_LEASE_MARGIN_SECONDS", range: 0...86_400) { self.leaseMargin = margin }
        if let timeout = try environment.seconds("BLOCKFLEET_STATEMENT_TIMEOUT_SECONDS", range: 0.1...3600) { self.statementTimeout = timeout }
        try validate()
    }

    /// Checks relations between settings that single values cannot.
    public func validate() throws(ConfigurationError) {
        guard heartbeatInterval < lease else {
            throw ConfigurationError(.invalidValue, setting: "BLOCKFLEET_HEARTBEAT_SECONDS", "heartbeat (\(heartbeatInterval.seconds) s) must be shorter than the lease (\(lease.seconds) s), or every lease expires between beats")
        }
        guard heartbeatInterval + effectiveLeaseMargin < lease else {
            throw ConfigurationError(.invalidValue, setting: "BLOCKFLEET_LEASE_MARGIN_SECONDS", "heartbeat (\(heartbeatInterval.seconds) s) plus the lease margin (\(effectiveLeaseMargin.seconds) s) must be shorter than the lease (\(lease.seconds) s), or every job is abandoned between beats")
        }
        guard !kinds.isEmpty else {
            throw ConfigurationError(.invalidValue, setting: "BLOCKFLEET_WORKER_KINDS", "a worker needs at least one job kind")
        }
    }

    public static func defaultID() -> String {
        let host = ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "worker"
        let suffix = String(UInt32.random(in: 0...UInt32.max), radix: 36)
        return "\(host)-\(ProcessInfo.processInfo.processIdentifier)-\(suffix)"
    }
}

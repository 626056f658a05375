// How the coordinator's leader keeps the queue healthy; every field has a documented default.

/// Settings of `coordinator serve`. Environment variables set them; flags override.
public struct CoordinatorConfiguration: Sendable {
    /// How often expired leases are reaped. Default 5 s (`BLOCKFLEET_REAP_SECONDS`).
    public var reapInterval: Duration
    /// How often finished jobs are pruned. Default 5 min (`BLOCKFLEET_PRUNE_SECONDS`).
    public var pruneInterval: Duration
    /// Finished load/model/drill jobs older than this are deleted; export jobs are kept as the
    /// record of what was exported. Default 7 days (`BLOCKFLEET_JOB_RETENTION_HOURS`).
    public var jobRetention: Duration
    /// Workers not seen for this long are forgotten. Default 1 day.
    public var workerRetention: Duration
    /// How often a replica that is not the leader tries to become it. Default 5 s.
    public var electionInterval: Duration
    /// `/healthz` fails when the leader loop (campaigning, or reaping while leader) has not gone
    /// round for this long — at least three reap and election intervals. Default 120 s
    /// (`BLOCKFLEET_LIVENESS_SECONDS`): a reap, reorg-guard or prune query that never returns
    /// wedges the loop, and only a restart (which frees the advisory lock) gets the fleet reaped again.
    public var livenessBound: Duration

    public init(
        reapInterval: Duration = .seconds(5),
        pruneInterval: Duration = .seconds(300),
        jobRetention: Duration = .seconds(7 * 24 * 3600),
        workerRetention: Duration = .seconds(24 * 3600),
        electionInterval: Duration = .seconds(5),
        livenessBound: Duration = .seconds(120)
    ) {
        self.reapInterval = reapInterval
        self.pruneInterval = pruneInterval
        self.jobRetention = jobRetention
        self.workerRetention = workerRetention
        self.electionInterval = electionInterval
        self.livenessBound = livenessBound
    }

    /// `livenessBound`, raised to three reap and election intervals so a slow tick is not a wedge.
    public var effectiveLivenessBound: Duration { max(livenessBound, reapInterval * 3, electionInterval * 3) }

    public init(environment: Environment) throws(ConfigurationError) {
        self.init()
        if let reap = try environment.seconds("BLOCKFLEET_REAP_SECONDS", range: 0.05...3600) { reapInterval = reap }
        if let prune = try environment.seconds("BLOCKFLEET_PRUNE_SECONDS", range: 1...86_400) { pruneInterval = prune }
        if let hours = try environment.int("BLOCKFLEET_JOB_RETENTION_HOURS", range: 0...87_600) { jobRetention = .seconds(hours * 3600) }
        if let bound = try environment.seconds("BLOCKFLEET_LIVENESS_SECONDS", range: 1...86_400) { livenessBound = bound }
    }
}

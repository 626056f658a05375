// What the pool knows about one replica: load, health (circuit breaker), head, size limits, rate.

/// Book-keeping for one endpoint; owned by the `NodePool` actor.
struct EndpointState {
    let endpoint: RPCEndpoint
    /// Calls sent and not yet answered: the least-loaded replica gets the next batch.
    var outstanding = 0
    /// Calls per batch this replica accepts; halved when it refuses a size.
    var batchSize: Int
    var consecutiveFailures = 0
    /// While set and in the future, the circuit is open: no calls.
    var openUntil: ContinuousClock.Instant?
    var cooldown: Duration
    /// Retry-After from the replica: no calls before this.
    var blockedUntil: ContinuousClock.Instant?
    /// Latest block the replica reported, and when.
    var head: UInt64?
    var headCheckedAt: ContinuousClock.Instant?
    /// Token bucket for the per-endpoint call rate.
    var tokens: Double
    var tokensAt: ContinuousClock.Instant
    /// Methods this replica answered "method not found" for.
    var missingMethods: Set<String> = []
    var calls = 0
    var failures = 0

    init(endpoint: RPCEndpoint, batchSize: Int, cooldown: Duration, burst: Double, now: ContinuousClock.Instant) {
        self.endpoint = endpoint
        self.batchSize = batchSize
        self.cooldown = cooldown
        self.tokens = burst
        self.tokensAt = now
    }

    func isAvailable(at now: ContinuousClock.Instant) -> Bool {
        if let openUntil, openUntil > now { return false }
        if let blockedUntil, blockedUntil > now { return false }
        return true
    }

    /// Whether the replica is known to have `block` (unknown heads count as having it, until checked).
    func has(_ block: UInt64?) -> Bool {
        guard let block, let head else { return true }
        return head >= block
    }

    mutating func recordSuccess() {
        consecutiveFailures = 0
        openUntil = nil
    }

    mutating func recordFailure(threshold: Int, baseCooldown: Duration, now: ContinuousClock.Instant) {
        consecutiveFailures += 1
        failures += 1
        if consecutiveFailures >= threshold {
            openUntil = now + cooldown
            cooldown = min(cooldown * 2, .seconds(60))
        } else if consecutiveFailures == 1 {
            cooldown = baseCooldown
        }
    }

    /// Takes `count` tokens if the rate allows; otherwise returns how long to wait.
    mutating func takeTokens(_ count: Double, rate: Double?, now: ContinuousClock.Instant) -> Duration? {
        guard let rate else { return nil }
        let burst = max(rate, 1)
        tokens = min(burst, tokens + (now - tokensAt).seconds * rate)
        tokensAt = now
        let needed = min(count, burst)
        if tokens >= needed {
            tokens -= count
            return nil
        }
        return .milliseconds(Int64(((needed - tokens) / rate) * 1000) + 1)
    }
}

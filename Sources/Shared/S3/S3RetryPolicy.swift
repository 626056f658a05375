// How many times an S3 request is tried, and how long to wait between tries.

/// Attempts and "full jitter"-style backoff: the delay after attempt n is `base · 2^(n-1)`, capped,
/// times a random factor in `[1 - jitter, 1]`, so that workers throttled together (503 SlowDown)
/// do not come back together.
public struct S3RetryPolicy: Sendable, Equatable {
    /// Tries in all, the first included. Default 4.
    public var maxAttempts: Int
    /// Delay after the first failure. Default 200 ms.
    public var baseDelay: Duration
    /// Longest delay. Default 5 s.
    public var maxDelay: Duration
    /// Fraction of each delay that is random, 0…1. Default 1 (full jitter, as the AWS SDKs).
    public var jitter: Double

    public init(maxAttempts: Int = 4, baseDelay: Duration = .milliseconds(200), maxDelay: Duration = .seconds(5), jitter: Double = 1) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.jitter = min(max(jitter, 0), 1)
    }

    /// The delay after the given failed attempt (1-based).
    public func delay(afterAttempt attempt: Int) -> Duration {
        var generator = SystemRandomNumberGenerator()
        return delay(afterAttempt: attempt, using: &generator)
    }

    public func delay<R: RandomNumberGenerator>(afterAttempt attempt: Int, using generator: inout R) -> Duration {
        var raw = baseDelay.s3Seconds
        for _ in 0..<min(max(attempt - 1, 0), 30) { raw *= 2 }
        raw = min(raw, maxDelay.s3Seconds)
        let factor = 1 - jitter * Double.random(in: 0...1, using: &generator)
        return .milliseconds(Int64((raw * factor * 1000).rounded()))
    }
}

// Exponential backoff with jitter for retried jobs.

/// Delay before attempt `n + 1`: `base · 2^(n-1)`, capped, then multiplied by a random factor in
/// `[1 - jitter, 1]` so that jobs failing together (a node outage) do not come back together.
public struct Backoff: Sendable, Equatable {
    public var base: Duration
    public var cap: Duration
    /// Fraction of the delay that is randomised, 0…1.
    public var jitter: Double

    /// Defaults: 5 s doubling up to 10 min, half of it random.
    public init(base: Duration = .seconds(5), cap: Duration = .seconds(600), jitter: Double = 0.5) {
        self.base = base
        self.cap = cap
        self.jitter = min(max(jitter, 0), 1)
    }

    /// The delay after the given failed attempt (1-based).
    public func delay<R: RandomNumberGenerator>(afterAttempt attempt: Int, using generator: inout R) -> Duration {
        let exponent = Double(min(max(attempt - 1, 0), 40))
        let raw = min(base.seconds * pow2(exponent), cap.seconds)
        let factor = 1 - jitter * Double.random(in: 0...1, using: &generator)
        return .milliseconds(Int64((raw * factor * 1000).rounded()))
    }

    public func delay(afterAttempt attempt: Int) -> Duration {
        var generator = SystemRandomNumberGenerator()
        return delay(afterAttempt: attempt, using: &generator)
    }

    private func pow2(_ exponent: Double) -> Double {
        var value = 1.0
        for _ in 0..<Int(exponent) { value *= 2 }
        return value
    }
}

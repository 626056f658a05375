// RateLimiter: a token bucket capping requests per second for the whole server.

import NIOConcurrencyHelpers
import NIOCore

/// Mimics a provider's per-key rate limit: bursts up to one second's worth, then the
/// excess is refused with HTTP 429 so clients exercise their backoff.
final class RateLimiter: Sendable {
    let ratePerSecond: Double
    private let state: NIOLockedValueBox<(tokens: Double, last: UInt64)>
    private let clock: @Sendable () -> UInt64

    /// `clock` returns nanoseconds; injectable so tests are deterministic.
    init(ratePerSecond: Double, clock: @escaping @Sendable () -> UInt64 = { NIODeadline.now().uptimeNanoseconds }) {
        self.ratePerSecond = ratePerSecond
        self.clock = clock
        state = NIOLockedValueBox((tokens: max(1, ratePerSecond), last: clock()))
    }

    /// Takes one token if available.
    func tryAcquire() -> Bool {
        let now = clock()
        let capacity = max(1, ratePerSecond)
        return state.withLockedValue { s in
            let elapsed = Double(now &- s.last) / 1e9
            s.last = now
            s.tokens = min(capacity, s.tokens + elapsed * ratePerSecond)
            if s.tokens >= 1 {
                s.tokens -= 1
                return true
            }
            return false
        }
    }
}

// FaultInjector: deterministic per-request fault decisions (errors, drops) from a seed.

import NIOConcurrencyHelpers

/// The n-th request handled by this process gets a decision that depends only on
/// (fault seed, n), so a test that sends requests one at a time sees the same faults every run.
final class FaultInjector: Sendable {
    /// Fraction of requests answered with an error (500, 429 or -32000), 0…1.
    let errorRate: Double
    /// Fraction of requests whose connection is closed without a response, 0…1.
    let dropRate: Double
    let seed: UInt64
    private let counter = NIOLockedValueBox<UInt64>(0)

    init(errorRate: Double, dropRate: Double, seed: UInt64) {
        self.errorRate = errorRate
        self.dropRate = dropRate
        self.seed = seed
    }

    var isActive: Bool { errorRate > 0 || dropRate > 0 }

    /// Decision for the next request in arrival order.
    func nextDecision() -> FaultDecision {
        guard isActive else { return .none }
        let n = counter.withLockedValue { value in
            defer { value &+= 1 }
            return value
        }
        return decision(forRequest: n)
    }

    /// Pure: the decision for the request with sequence number `n`.
    func decision(forRequest n: UInt64) -> FaultDecision {
        var rng = SplitMix64(seed, 0xFA17, n)
        let dropDraw = rng.nextUnit()
        let errorDraw = rng.nextUnit()
        let kind = rng.next(below: 3)
        if dropDraw < dropRate { return .drop }
        if errorDraw < errorRate {
            switch kind {
            case 0: return .httpStatus500
            case 1: return .httpStatus429
            default: return .headerNotFound
            }
        }
        return .none
    }
}

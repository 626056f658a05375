// A deterministic random generator for tests that draw many cases.

/// A linear congruential generator from a fixed state: a randomized test replays exactly with
/// the same seed (jitter, synthetic timestamps, CSV and trace cases).
public struct SeededGenerator: RandomNumberGenerator {
    public var state: UInt64

    public init(state: UInt64) {
        self.state = state
    }

    public mutating func next() -> UInt64 {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return state
    }

    /// Uniform in `0..<bound`.
    public mutating func next(below bound: Int) -> Int {
        Int.random(in: 0..<bound, using: &self)
    }
}

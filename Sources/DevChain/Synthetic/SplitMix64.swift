// SplitMix64: the deterministic pseudo-random source behind the synthetic chain and faults.

/// Same seed → same sequence on every platform and run, which is what makes synthetic
/// responses byte-identical and fault decisions reproducible. Not cryptographic.
struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    /// A generator keyed by several values (seed, domain, block, index…).
    init(_ keys: UInt64...) {
        state = Self.mix(keys)
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return Self.finalize(state)
    }

    /// Uniform in [0, 1).
    mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    mutating func nextBytes(_ count: Int) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(count)
        while out.count < count {
            var word = next()
            for _ in 0..<min(8, count - out.count) {
                out.append(UInt8(truncatingIfNeeded: word))
                word >>= 8
            }
        }
        return out
    }

    mutating func next(below bound: UInt64) -> UInt64 {
        bound == 0 ? 0 : next() % bound
    }

    @inline(__always)
    static func finalize(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Order-sensitive mixing of keys into one 64-bit value.
    static func mix(_ keys: [UInt64]) -> UInt64 {
        var h: UInt64 = 0x6A09_E667_F3BC_C908
        for k in keys {
            h = finalize(h ^ finalize(k &+ 0x9E37_79B9_7F4A_7C15))
        }
        return h
    }

    static func mix(_ keys: UInt64...) -> UInt64 { mix(keys) }
}

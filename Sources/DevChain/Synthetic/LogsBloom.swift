// LogsBloom: a 2048-bit bloom over log addresses and topics, shaped like geth's.

/// Real blooms use keccak; devchain uses its own mixing (no keccak offline) but keeps the
/// invariants exporters may check: 256 bytes, block bloom = OR of its receipts' blooms.
struct LogsBloom: Sendable, Equatable {
    private(set) var bytes = [UInt8](repeating: 0, count: 256)

    mutating func add(_ value: [UInt8]) {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in value { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
        h = SplitMix64.finalize(h)
        for k in 0..<3 {
            let bit = Int((h >> UInt64(k * 16)) & 0x7FF)
            bytes[255 - bit / 8] |= UInt8(1 << (bit % 8))
        }
    }

    mutating func formUnion(_ other: LogsBloom) {
        for i in 0..<256 { bytes[i] |= other.bytes[i] }
    }
}

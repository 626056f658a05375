// One 256-bit ABI word as an unsigned integer, and its exact decimal text.

/// A 32-byte big-endian word read as a 256-bit integer (four 64-bit limbs, most significant first).
/// Only what decoding needs: masking to N bits, two's-complement sign, and decimal text, so no
/// big-integer package is needed.
public struct ABIWord: Hashable, Sendable {
    /// Limbs, most significant first.
    public var limbs: (UInt64, UInt64, UInt64, UInt64)

    public init(limbs: (UInt64, UInt64, UInt64, UInt64)) {
        self.limbs = limbs
    }

    /// The word of 32 bytes starting at `start`; `start + 32` must not pass the end of `bytes`.
    public init(_ bytes: [UInt8], at start: Int) {
        precondition(start >= 0 && start + 32 <= bytes.count, "a word needs 32 bytes")
        limbs = bytes.withUnsafeBytes { raw in
            func limb(_ offset: Int) -> UInt64 { UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: start + offset, as: UInt64.self)) }
            return (limb(0), limb(8), limb(16), limb(24))
        }
    }

    public init(_ value: UInt64) {
        limbs = (0, 0, 0, value)
    }

    public static func == (lhs: ABIWord, rhs: ABIWord) -> Bool {
        lhs.limbs == rhs.limbs
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(limbs.0)
        hasher.combine(limbs.1)
        hasher.combine(limbs.2)
        hasher.combine(limbs.3)
    }

    var array: [UInt64] { [limbs.0, limbs.1, limbs.2, limbs.3] }

    init(array: [UInt64]) {
        limbs = (array[0], array[1], array[2], array[3])
    }

    /// The 32 big-endian bytes.
    public var bytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(32)
        for limb in array {
            for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: limb >> UInt64(shift))) }
        }
        return out
    }

    public var isZero: Bool { limbs == (0, 0, 0, 0) }

    /// The value when it fits in `UInt64`.
    public var uint64: UInt64? { limbs.0 == 0 && limbs.1 == 0 && limbs.2 == 0 ? limbs.3 : nil }

    /// The low `bits` bits (1…256), higher bits cleared. On limbs in place: this runs for every
    /// decoded integer, so no array is allocated.
    public func masked(to bits: Int) -> ABIWord {
        guard bits < 256 else { return self }
        func mask(_ limb: UInt64, low: Int) -> UInt64 {
            if bits <= low { return 0 }
            if bits < low + 64 { return limb & ((UInt64(1) << UInt64(bits - low)) - 1) }
            return limb
        }
        return ABIWord(limbs: (mask(limbs.0, low: 192), mask(limbs.1, low: 128), mask(limbs.2, low: 64), mask(limbs.3, low: 0)))
    }

    /// Whether bit `position` (0 = least significant) is set.
    public func bit(_ position: Int) -> Bool {
        let limb: UInt64
        switch position / 64 {
        case 0: limb = limbs.3
        case 1: limb = limbs.2
        case 2: limb = limbs.1
        default: limb = limbs.0
        }
        return (limb >> UInt64(position % 64)) & 1 == 1
    }

    /// The two's complement negation modulo 2²⁵⁶.
    public var negated: ABIWord {
        let (l3, c3) = (~limbs.3).addingReportingOverflow(1)
        let (l2, c2) = (~limbs.2).addingReportingOverflow(c3 ? 1 : 0)
        let (l1, c1) = (~limbs.1).addingReportingOverflow(c2 ? 1 : 0)
        let l0 = (~limbs.0) &+ (c1 ? 1 : 0)
        return ABIWord(limbs: (l0, l1, l2, l3))
    }

    /// The low `bits` bits read as a two's-complement signed value, as ethers' `fromTwos(bits)`:
    /// the magnitude and whether it is negative.
    public func signed(bits: Int) -> (magnitude: ABIWord, negative: Bool) {
        let value = masked(to: bits)
        guard value.bit(bits - 1) else { return (value, false) }
        // 2^bits - value, which lies in 1…2^(bits-1): negate modulo 2^256, keep `bits` bits.
        return (value.negated.masked(to: bits), true)
    }

    /// The decimal digits of `value`, written straight into the string's storage (most decoded
    /// integers fit 64 bits, and `String(UInt64)` costs several times more).
    static func decimal(_ value: UInt64) -> String {
        String(unsafeUninitializedCapacity: 20) { out in
            // Written at the end, then moved to the front (the regions may overlap).
            let start = HexText.writeDecimalDigits(value, endingAt: out)
            let count = out.count - start
            UnsafeMutableRawPointer(out.baseAddress!).copyMemory(from: out.baseAddress! + start, byteCount: count)
            return count
        }
    }

    /// The exact decimal digits (no sign, no leading zeros; "0" for zero).
    public var decimalText: String {
        if let small = uint64 { return Self.decimal(small) }
        // Long division by 10^19 (the largest power of ten in a UInt64), most significant limb first.
        let chunk: UInt64 = 10_000_000_000_000_000_000
        var value = array
        var chunks: [UInt64] = []
        while value.contains(where: { $0 != 0 }) {
            var remainder: UInt64 = 0
            for index in 0..<4 {
                let (quotient, rest) = chunk.dividingFullWidth((high: remainder, low: value[index]))
                value[index] = quotient
                remainder = rest
            }
            chunks.append(remainder)
        }
        var text = String(chunks.removeLast())
        for part in chunks.reversed() {
            let digits = String(part)
            text += String(repeating: "0", count: 19 - digits.count) + digits
        }
        return text
    }
}

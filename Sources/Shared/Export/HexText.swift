// Hex text of JSON-RPC quantities turned into numbers and into decimal text of any width.

/// Converts the hex strings nodes send into the decimal text ethereum-etl writes (`int(x, 16)`).
///
/// Values up to 64 bits take a fast path through `UInt64`; wider ones (uint256 token amounts,
/// wei values) go through a small base-10⁹ long division, so no big-integer package is needed.
public enum HexText {
    /// The value of a hex quantity such as `0x1b4`, or nil when malformed or wider than 64 bits.
    /// Like Python's `int(x, 16)`, the `0x` prefix is optional and letters may be of either case.
    public static func uint64(_ text: String) -> UInt64? {
        var text = text
        return text.withUTF8 { bytes -> UInt64? in
            guard let start = digitsStart(bytes) else { return nil }
            var value: UInt64 = 0
            for index in start..<bytes.count {
                guard let digit = digitValue(bytes[index]) else { return nil }
                if value > (UInt64.max >> 4) { return nil }
                value = value << 4 | UInt64(digit)
            }
            return value
        }
    }

    /// The decimal text of a hex quantity of any width, or nil when the text is not hex.
    public static func decimal(_ text: String) -> String? {
        var text = text
        return text.withUTF8 { bytes -> String? in
            guard let start = digitsStart(bytes) else { return nil }
            var first = start
            while first < bytes.count - 1, bytes[first] == UInt8(ascii: "0") { first += 1 }
            if bytes.count - first <= 16 {
                var value: UInt64 = 0
                for index in first..<bytes.count {
                    guard let digit = digitValue(bytes[index]) else { return nil }
                    value = value << 4 | UInt64(digit)
                }
                return decimalText(value)
            }
            return wideDecimal(bytes, from: first)
        }
    }

    /// `String(value)` without the generic integer printing: digits straight into the string's
    /// storage (up to 15 digits it is a small string, with no allocation at all).
    static func decimalText(_ value: UInt64) -> String {
        var length = 1
        var rest = value / 10
        while rest > 0 { length += 1; rest /= 10 }
        return String(unsafeUninitializedCapacity: length) { buffer in
            var remaining = value
            var index = length - 1
            while true {
                buffer[index] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: remaining % 10)
                remaining /= 10
                if index == 0 { break }
                index -= 1
            }
            return length
        }
    }

    /// Whether the text is `0x` followed by hex digits (possibly none, as in `0x` for empty data).
    public static func isHexData(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            guard bytes.count >= 2, bytes[0] == UInt8(ascii: "0"), bytes[1] | 0x20 == UInt8(ascii: "x") else { return false }
            for index in 2..<bytes.count where digitValue(bytes[index]) == nil { return false }
            return true
        }
    }

    /// Index of the first digit after an optional `0x`/`0X`, or nil when there are no digits.
    private static func digitsStart(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var start = 0
        if bytes.count >= 2, bytes[0] == UInt8(ascii: "0"), bytes[1] | 0x20 == UInt8(ascii: "x") { start = 2 }
        return start < bytes.count ? start : nil
    }

    @inline(__always)
    private static func digitValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte &- UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte &- UInt8(ascii: "a") &+ 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte &- UInt8(ascii: "A") &+ 10
        default: return nil
        }
    }

    /// Long division of a little-endian base-2³² number by 10⁹, chunk by chunk.
    private static func wideDecimal(_ bytes: UnsafeBufferPointer<UInt8>, from first: Int) -> String? {
        var limbs: [UInt32] = []
        limbs.reserveCapacity((bytes.count - first + 7) / 8)
        var end = bytes.count
        while end > first {
            let start = max(first, end - 8)
            var limb: UInt32 = 0
            for index in start..<end {
                guard let digit = digitValue(bytes[index]) else { return nil }
                limb = limb << 4 | UInt32(digit)
            }
            limbs.append(limb)
            end = start
        }
        while limbs.count > 1, limbs.last == 0 { limbs.removeLast() }

        var chunks: [UInt32] = []
        while !(limbs.count == 1 && limbs[0] == 0) {
            var remainder: UInt64 = 0
            for index in stride(from: limbs.count - 1, through: 0, by: -1) {
                let current = remainder << 32 | UInt64(limbs[index])
                limbs[index] = UInt32(current / 1_000_000_000)
                remainder = current % 1_000_000_000
            }
            chunks.append(UInt32(remainder))
            while limbs.count > 1, limbs.last == 0 { limbs.removeLast() }
        }
        guard let top = chunks.last else { return "0" }
        var text = String(top)
        for chunk in chunks.dropLast().reversed() {
            let part = String(chunk)
            text += String(repeating: "0", count: 9 - part.count) + part
        }
        return text
    }
}

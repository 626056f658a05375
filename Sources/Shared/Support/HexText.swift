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
        return text.withUTF8 { bytes in uint64(bytes) }
    }

    /// The decimal text of a hex quantity of any width, or nil when the text is not hex.
    public static func decimal(_ text: String) -> String? {
        var text = text
        return text.withUTF8 { bytes -> String? in
            guard let first = significantStart(bytes) else { return nil }
            if bytes.count - first <= 16 {
                guard let value = narrowValue(bytes, from: first) else { return nil }
                return decimalText(value)
            }
            var digits: [UInt8] = []
            guard appendWideDecimal(bytes, from: first, to: &digits) else { return nil }
            return String(decoding: digits, as: UTF8.self)
        }
    }

    /// `decimal` straight into an output buffer (the CSV transcoder's path, no `String` made):
    /// appends the decimal digits of the hex quantity in `bytes`, or appends nothing and returns
    /// false when it is not hex. Same rules and results as `decimal`.
    static func appendDecimal(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) -> Bool {
        guard let first = significantStart(bytes) else { return false }
        if bytes.count - first <= 16 {
            guard let value = narrowValue(bytes, from: first) else { return false }
            appendDecimalDigits(value, to: &out)
            return true
        }
        return appendWideDecimal(bytes, from: first, to: &out)
    }

    /// `uint64(_:)` over bytes.
    static func uint64(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64? {
        guard let start = digitsStart(bytes) else { return nil }
        var value: UInt64 = 0
        for index in start..<bytes.count {
            guard let digit = digitValue(bytes[index]) else { return nil }
            if value > (UInt64.max >> 4) { return nil }
            value = value << 4 | UInt64(digit)
        }
        return value
    }

    /// The decimal digits of `value` appended to `out`, through a small stack buffer.
    static func appendDecimalDigits(_ value: UInt64, to out: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { buffer in
            let start = writeDecimalDigits(value, endingAt: buffer)
            out.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[start...]))
        }
    }

    /// The decimal digits of `value` written at the end of `buffer` (20 bytes hold any UInt64);
    /// returns where they start.
    static func writeDecimalDigits(_ value: UInt64, endingAt buffer: UnsafeMutableBufferPointer<UInt8>) -> Int {
        var remaining = value
        var index = buffer.count
        repeat {
            index -= 1
            buffer[index] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: remaining % 10)
            remaining /= 10
        } while remaining > 0
        return index
    }

    /// Index of the first significant digit (leading zeros skipped, the last digit kept), or nil
    /// when there are no digits at all.
    private static func significantStart(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard var first = digitsStart(bytes) else { return nil }
        while first < bytes.count - 1, bytes[first] == UInt8(ascii: "0") { first += 1 }
        return first
    }

    /// The value of at most 16 hex digits from `first`, or nil when one is not hex.
    @inline(__always)
    private static func narrowValue(_ bytes: UnsafeBufferPointer<UInt8>, from first: Int) -> UInt64? {
        var value: UInt64 = 0
        for index in first..<bytes.count {
            guard let digit = digitValue(bytes[index]) else { return nil }
            value = value << 4 | UInt64(digit)
        }
        return value
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

    /// Long division of a little-endian base-2³² number by 10⁹, chunk by chunk, in stack buffers;
    /// the decimal digits are appended to `out`. False (nothing appended) when a digit is not hex.
    private static func appendWideDecimal(_ bytes: UnsafeBufferPointer<UInt8>, from first: Int, to out: inout [UInt8]) -> Bool {
        let limbCapacity = (bytes.count - first + 7) / 8
        return withUnsafeTemporaryAllocation(of: UInt32.self, capacity: limbCapacity) { limbs -> Bool in
            var count = 0
            var end = bytes.count
            while end > first {
                let start = max(first, end - 8)
                var limb: UInt32 = 0
                for index in start..<end {
                    guard let digit = digitValue(bytes[index]) else { return false }
                    limb = limb << 4 | UInt32(digit)
                }
                limbs[count] = limb
                count += 1
                end = start
            }
            while count > 1, limbs[count - 1] == 0 { count -= 1 }
            // Each chunk takes log2(10⁹) ≈ 29.9 of the 32 bits per limb.
            let chunkCapacity = limbCapacity * 32 / 29 + 2
            withUnsafeTemporaryAllocation(of: UInt32.self, capacity: chunkCapacity) { chunks in
                var chunkCount = 0
                while !(count == 1 && limbs[0] == 0) {
                    var remainder: UInt64 = 0
                    for index in stride(from: count - 1, through: 0, by: -1) {
                        let current = remainder << 32 | UInt64(limbs[index])
                        limbs[index] = UInt32(current / 1_000_000_000)
                        remainder = current % 1_000_000_000
                    }
                    chunks[chunkCount] = UInt32(remainder)
                    chunkCount += 1
                    while count > 1, limbs[count - 1] == 0 { count -= 1 }
                }
                guard chunkCount > 0 else {
                    out.append(UInt8(ascii: "0"))
                    return
                }
                appendDecimalDigits(UInt64(chunks[chunkCount - 1]), to: &out)
                for index in stride(from: chunkCount - 2, through: 0, by: -1) {
                    var chunk = chunks[index]
                    let start = out.count
                    out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: 9))
                    var position = start + 8
                    while chunk > 0 {
                        out[position] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: chunk % 10)
                        chunk /= 10
                        position -= 1
                    }
                }
            }
            return true
        }
    }
}

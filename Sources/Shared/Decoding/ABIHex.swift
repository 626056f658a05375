// Lower-case 0x-hex text of bytes, and bytes of hex text: the form every decoded byte value takes.

/// Hex as ethers.js writes it (`0x` + lower-case digits) and as logs and traces carry it.
public enum ABIHex {
    static let digits = Array("0123456789abcdef".utf8)

    /// `0x` followed by two lower-case digits per byte (`0x` alone for no bytes).
    public static func text(_ bytes: some Collection<UInt8>) -> String {
        // Straight into the string's storage: every address and hash cell of a decoded row is one.
        String(unsafeUninitializedCapacity: 2 + bytes.count * 2) { out in
            out[0] = UInt8(ascii: "0")
            out[1] = UInt8(ascii: "x")
            var index = 2
            for byte in bytes {
                out[index] = digits[Int(byte >> 4)]
                out[index + 1] = digits[Int(byte & 0x0F)]
                index += 2
            }
            return index
        }
    }

    /// Appends `0x` and the digits to a UTF-8 buffer (JSON is written this way, without a String per value).
    public static func append(_ bytes: some Collection<UInt8>, to out: inout [UInt8]) {
        out.reserveCapacity(out.count + 2 + bytes.count * 2)
        out.append(UInt8(ascii: "0"))
        out.append(UInt8(ascii: "x"))
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
    }

    /// The bytes of hex text, with or without `0x`, digits of either case; nil when a character
    /// is not a hex digit or the digit count is odd.
    public static func bytes(_ text: some StringProtocol) -> [UInt8]? {
        if let fast = text.utf8.withContiguousStorageIfAvailable({ bytes(utf8: $0) }) { return fast }
        return Array(text.utf8).withUnsafeBufferPointer { bytes(utf8: $0) }
    }

    static func bytes(utf8 whole: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        var utf8 = whole[...]
        if utf8.count >= 2, utf8[utf8.startIndex] == UInt8(ascii: "0"), utf8[utf8.startIndex + 1] | 0x20 == UInt8(ascii: "x") { utf8 = utf8.dropFirst(2) }
        guard utf8.count % 2 == 0 else { return nil }
        let count = utf8.count / 2
        var valid = true
        let out = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            var index = utf8.startIndex
            for position in 0..<count {
                guard let high = value(utf8[index]), let low = value(utf8[index + 1]) else {
                    valid = false
                    break
                }
                buffer[position] = high << 4 | low
                index += 2
            }
            initialized = valid ? count : 0
        }
        return valid ? out : nil
    }

    static func value(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

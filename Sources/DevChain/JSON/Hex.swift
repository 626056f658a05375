// Hex: parsing of the hex strings clients send (quantities, hashes, addresses).

/// Request parameters arrive as text; these parse them leniently about case
/// but strictly about shape, returning nil instead of trapping on bad input.
enum Hex {
    @inline(__always)
    static func nibble(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return b - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return b - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return b - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// `0x…` quantity up to 64 bits; nil when not hex, empty, or too large.
    static func parseQuantity(_ text: String) -> UInt64? {
        var utf8 = Substring(text).utf8[...]
        guard utf8.starts(with: "0x".utf8) || utf8.starts(with: "0X".utf8) else { return nil }
        utf8 = utf8.dropFirst(2)
        guard !utf8.isEmpty, utf8.count <= 16 else { return nil }
        var v: UInt64 = 0
        for b in utf8 {
            guard let d = nibble(b) else { return nil }
            v = v << 4 | UInt64(d)
        }
        return v
    }

    /// `0x…` data of exactly `length` bytes when given, any even length otherwise.
    static func parseData(_ text: String, length: Int? = nil) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard utf8.count >= 2, utf8[0] == UInt8(ascii: "0"), utf8[1] == UInt8(ascii: "x") || utf8[1] == UInt8(ascii: "X") else {
            return nil
        }
        let digits = utf8.count - 2
        guard digits % 2 == 0 else { return nil }
        if let length, digits != length * 2 { return nil }
        var out = [UInt8]()
        out.reserveCapacity(digits / 2)
        var i = 2
        while i < utf8.count {
            guard let hi = nibble(utf8[i]), let lo = nibble(utf8[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
            i += 2
        }
        return out
    }

    /// Lower-case `0x…` text of bytes.
    static func string(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = [UInt8(ascii: "0"), UInt8(ascii: "x")]
        JSONBytes.appendHexDigits(bytes, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    static func quantityString(_ value: UInt64) -> String {
        var out: [UInt8] = []
        JSONBytes.appendBareQuantity(value, to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}

// JSONBytes: appenders that write geth-shaped JSON values straight into a byte array.

/// Responses are precomputed as bytes; these helpers write geth's encodings
/// (minimal-hex quantities, 0x-prefixed even-length data) without intermediate strings.
enum JSONBytes {
    static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// A JSON string with the escapes JSON requires.
    static func appendString(_ s: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""): out.append(contentsOf: [0x5C, 0x22])
            case UInt8(ascii: "\\"): out.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0..<0x20:
                out.append(contentsOf: Array("\\u00".utf8))
                out.append(hexDigits[Int(b >> 4)])
                out.append(hexDigits[Int(b & 0xF)])
            default: out.append(b)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// `"key":` — keys are ASCII identifiers chosen by us, so no escaping is needed.
    @inline(__always)
    static func appendKey(_ key: StaticString, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        key.withUTF8Buffer { out.append(contentsOf: $0) }
        out.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
    }

    @inline(__always)
    static func appendRaw(_ text: StaticString, to out: inout [UInt8]) {
        text.withUTF8Buffer { out.append(contentsOf: $0) }
    }

    /// A quoted quantity: `"0x0"`, `"0x1b"` (geth's hexutil.Uint64 / hexutil.Big).
    static func appendQuantity(_ value: UInt64, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        appendBareQuantity(value, to: &out)
        out.append(UInt8(ascii: "\""))
    }

    static func appendBareQuantity(_ value: UInt64, to out: inout [UInt8]) {
        // Written into a stack buffer and appended once: quantities are the most frequent value.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 18) { buffer in
            buffer[0] = UInt8(ascii: "0")
            buffer[1] = UInt8(ascii: "x")
            var length = 2
            if value == 0 {
                buffer[2] = UInt8(ascii: "0")
                length = 3
            } else {
                var shift = (63 - value.leadingZeroBitCount) / 4 * 4
                while shift >= 0 {
                    buffer[length] = hexDigits[Int((value >> UInt64(shift)) & 0xF)]
                    length += 1
                    shift -= 4
                }
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[0..<length]))
        }
    }

    /// A quoted big-endian integer of any width, without leading zeros (hexutil.Big).
    static func appendBigQuantity(_ bytes: [UInt8], to out: inout [UInt8]) {
        guard let first = bytes.firstIndex(where: { $0 != 0 }) else {
            appendRaw("\"0x0\"", to: &out)
            return
        }
        out.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: "0"), UInt8(ascii: "x")])
        if bytes[first] < 0x10 {
            out.append(hexDigits[Int(bytes[first])])
            appendHexDigits(Array(bytes[(first + 1)...]), to: &out)
        } else {
            appendHexDigits(Array(bytes[first...]), to: &out)
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Quoted data: `"0x"` followed by two hex digits per byte (hexutil.Bytes, hashes, addresses).
    static func appendData(_ bytes: [UInt8], to out: inout [UInt8]) {
        out.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: "0"), UInt8(ascii: "x")])
        appendHexDigits(bytes, to: &out)
        out.append(UInt8(ascii: "\""))
    }

    /// Rendering synthetic blocks is mostly hex: digits are written into a stack buffer
    /// two at a time and appended with one copy (a per-byte append was the top profile entry).
    static func appendHexDigits(_ bytes: [UInt8], to out: inout [UInt8]) {
        let count = bytes.count
        guard count > 0 else { return }
        withUnsafeTemporaryAllocation(of: UInt16.self, capacity: count) { pairs in
            bytes.withUnsafeBufferPointer { source in
                hexPairs.withUnsafeBufferPointer { table in
                    for i in 0..<count { pairs[i] = table[Int(source[i])] }
                }
            }
            out.append(contentsOf: UnsafeRawBufferPointer(pairs))
        }
    }

    /// Two ASCII hex digits per byte value, laid out for a little-endian 16-bit store.
    static let hexPairs: [UInt16] = (0..<256).map { b in
        UInt16(hexDigits[b >> 4]) | UInt16(hexDigits[b & 0xF]) << 8
    }
}

// Decimal text to the big-endian two's complement a DECIMAL column stores.

/// Converts decimal text to the unscaled integer of a `decimal(precision, scale)` column, in the
/// FIXED_LEN_BYTE_ARRAY form Parquet stores: big-endian two's complement, `byteWidth` bytes.
enum ParquetDecimal {
    /// The fewest bytes holding every value of `precision` digits (16 for 38, as Arrow sizes them).
    static func byteWidth(precision: Int) -> Int {
        var bytes = 1
        // 2^(8·bytes − 1) must exceed 10^precision − 1.
        while (Double(8 * bytes - 1) * 0.301_029_995_663_981_2).rounded(.down) < Double(precision) { bytes += 1 }
        return bytes
    }

    /// The value of `text` ("-12.5", "+7", "1000") scaled by 10^scale, or nil when it is not a
    /// plain decimal number, has more than `scale` fraction digits or more than `precision` digits.
    static func encode(_ text: String, precision: Int, scale: Int) -> [UInt8]? {
        var utf8 = Substring(text).utf8[...]
        var negative = false
        if let sign = utf8.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
            negative = sign == UInt8(ascii: "-")
            utf8 = utf8.dropFirst()
        }
        var digits: [UInt8] = []
        var fractionDigits = 0
        var seenPoint = false
        for byte in utf8 {
            if byte == UInt8(ascii: ".") && !seenPoint {
                seenPoint = true
            } else if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                digits.append(byte - UInt8(ascii: "0"))
                if seenPoint { fractionDigits += 1 }
            } else {
                return nil
            }
        }
        guard !digits.isEmpty, fractionDigits <= scale else { return nil }
        digits.append(contentsOf: repeatElement(0, count: scale - fractionDigits))
        let significant = digits.drop { $0 == 0 }
        guard significant.count <= precision else { return nil }
        var bytes = [UInt8](repeating: 0, count: byteWidth(precision: precision))
        for digit in significant {
            // bytes = bytes × 10 + digit, big-endian.
            var carry = UInt16(digit)
            for index in bytes.indices.reversed() {
                let product = UInt16(bytes[index]) * 10 + carry
                bytes[index] = UInt8(truncatingIfNeeded: product)
                carry = product >> 8
            }
        }
        if negative {
            var carry: UInt16 = 1
            for index in bytes.indices.reversed() {
                let sum = UInt16(~bytes[index]) + carry
                bytes[index] = UInt8(truncatingIfNeeded: sum)
                carry = sum >> 8
            }
        }
        return bytes
    }
}

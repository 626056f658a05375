// Parquet's RLE/bit-packed hybrid encoding: definition levels and dictionary indices.

/// Encodes unsigned integers of `bitWidth` bits as Parquet's RLE/bit-packed hybrid
/// (Encodings.md, "Run Length Encoding / Bit-Packing Hybrid"): runs of eight or more equal
/// values become RLE runs, the rest bit-packed groups of eight, LSB first.
enum ParquetHybridEncoder {
    /// Bit-packed runs are cut at 63 groups (504 values), as Arrow writes them, so the run
    /// header stays one byte.
    static let maxGroupsPerRun = 63

    /// The bits needed for values up to `maxValue`, at least 1.
    static func bitWidth(forMaximum maxValue: Int) -> Int {
        max(1, Int.bitWidth - maxValue.leadingZeroBitCount)
    }

    /// Appends the encoded `values` (without any length prefix) to `out`.
    static func encode<Value: FixedWidthInteger & UnsignedInteger>(_ values: UnsafeBufferPointer<Value>, bitWidth: Int, into out: inout [UInt8]) {
        precondition((1...32).contains(bitWidth), "bit width \(bitWidth) out of range")
        let count = values.count
        var literalStart = 0
        var index = 0
        while index < count {
            let value = values[index]
            var end = index + 1
            while end < count && values[end] == value { end += 1 }
            let run = end - index
            if run >= 8 {
                // Literals must be whole groups of eight: borrow the run's first values to pad them.
                let pending = index - literalStart
                let pad = (8 - pending % 8) % 8
                if run - pad >= 8 {
                    if pending + pad > 0 {
                        bitPack(values, literalStart..<(index + pad), bitWidth: bitWidth, into: &out)
                    }
                    rle(UInt32(value), count: run - pad, bitWidth: bitWidth, into: &out)
                    literalStart = end
                }
            }
            index = end
        }
        if literalStart < count {
            bitPack(values, literalStart..<count, bitWidth: bitWidth, into: &out)
        }
    }

    private static func rle(_ value: UInt32, count: Int, bitWidth: Int, into out: inout [UInt8]) {
        varint(UInt64(count) << 1, into: &out)
        var value = value
        for _ in 0..<((bitWidth + 7) / 8) {
            out.append(UInt8(truncatingIfNeeded: value))
            value >>= 8
        }
    }

    /// Bit-packs `range`, padding the last group with zeros (only the final run may be
    /// padded; readers stop at the page's value count).
    private static func bitPack<Value: FixedWidthInteger & UnsignedInteger>(_ values: UnsafeBufferPointer<Value>, _ range: Range<Int>, bitWidth: Int, into out: inout [UInt8]) {
        var start = range.lowerBound
        while start < range.upperBound {
            let groups = min(maxGroupsPerRun, (range.upperBound - start + 7) / 8)
            varint(UInt64(groups) << 1 | 1, into: &out)
            let end = start + groups * 8
            var accumulator: UInt64 = 0
            var bits = 0
            for position in start..<end {
                let value = position < range.upperBound ? UInt64(values[position]) : 0
                accumulator |= value << UInt64(bits)
                bits += bitWidth
                while bits >= 8 {
                    out.append(UInt8(truncatingIfNeeded: accumulator))
                    accumulator >>= 8
                    bits -= 8
                }
            }
            start = end
        }
    }

    private static func varint(_ value: UInt64, into out: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        out.append(UInt8(value))
    }
}

// Variable-length values packed end to end: the in-memory form of a BYTE_ARRAY column.

import Foundation

/// Byte strings stored contiguously, with the end offset of each: one allocation for all values
/// of a column chunk instead of one per value.
struct ParquetByteArrays {
    private(set) var bytes: [UInt8] = []
    private(set) var ends: [Int] = []

    var count: Int { ends.count }

    func range(_ index: Int) -> Range<Int> {
        (index == 0 ? 0 : ends[index - 1])..<ends[index]
    }

    mutating func append(_ value: UnsafeRawBufferPointer) {
        bytes.append(contentsOf: value)
        ends.append(bytes.count)
    }

    mutating func append(copying index: Int, of other: ParquetByteArrays) {
        let range = other.range(index)
        other.bytes.withUnsafeBytes { append(UnsafeRawBufferPointer(rebasing: $0[range])) }
    }

    mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
    }

    /// Unsigned lexicographic order (Parquet's order for BYTE_ARRAY statistics), or with
    /// `signed` the order of big-endian two's complement integers of equal length (DECIMAL).
    func isLess(_ a: Int, than b: Int, signed: Bool = false) -> Bool {
        let ra = range(a), rb = range(b)
        if signed && !ra.isEmpty && !rb.isEmpty {
            let first = Int8(bitPattern: bytes[ra.lowerBound]), other = Int8(bitPattern: bytes[rb.lowerBound])
            if first != other { return first < other }
        }
        return bytes.withUnsafeBufferPointer { all in
            let common = min(ra.count, rb.count)
            if common > 0 {
                let order = memcmp(all.baseAddress! + ra.lowerBound, all.baseAddress! + rb.lowerBound, common)
                if order != 0 { return order < 0 }
            }
            return ra.count < rb.count
        }
    }

    /// PLAIN encoding of values `indices`: each a four-byte little-endian length, then its bytes.
    func encodePlain(_ indices: Range<Int>, into out: inout [UInt8]) {
        guard !indices.isEmpty else { return }
        let total = (ends[indices.upperBound - 1] - (indices.lowerBound == 0 ? 0 : ends[indices.lowerBound - 1])) + 4 * indices.count
        out.reserveCapacity(out.count + total)
        bytes.withUnsafeBufferPointer { all in
            for index in indices {
                let range = self.range(index)
                let length = UInt32(range.count)
                out.append(UInt8(truncatingIfNeeded: length))
                out.append(UInt8(truncatingIfNeeded: length >> 8))
                out.append(UInt8(truncatingIfNeeded: length >> 16))
                out.append(UInt8(truncatingIfNeeded: length >> 24))
                out.append(contentsOf: UnsafeBufferPointer(rebasing: all[range]))
            }
        }
    }
}
